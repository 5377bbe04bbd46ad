package org.isentropic.kernels.fused;

import org.isentropic.kernels.spec.TemperatureSolving;

/**
 * One row's entropy curve from its cached scores t_j (base-2 logits at factor 1, negative infinity where
 * masked; {@link FusedKernel#solveTemperatures}). At lambda &gt; 0 the row's logits are lambda t_j and their
 * maximum lambda M (M = max_j t_j, found once per row), so with s_j = lambda t_j - lambda M &lt;= 0 the sums
 * l = sum 2^s, u = sum 2^s s and w = sum 2^s s^2 ({@link TileOps#rowMoments}, summed in double over the
 * row's tiles) give H = ln l - ln2 u / l and Var_p = ln2^2 (w / l - (u / l)^2) in nats, as
 * the fused kernel's own H = ln l - ln2 u / l.
 */
final class CachedRowCurve implements TemperatureSolving.EntropyCurve {

    private static final double LN2 = 0.6931471805599453;

    private final TileOps ops;
    private final double[] moments = new double[3];
    private float[] cache;
    private int rowOffset;
    private int[] tiles;
    private int tileCount;
    private int blockKeys;
    private int n;
    private int visible;
    private float max;
    private double variance = Double.NaN;

    CachedRowCurve(TileOps ops) {
        this.ops = ops;
    }

    /**
     * Binds the curve to the row at {@code cache[rowOffset + j]}, held for the key tiles whose first keys are
     * {@code tiles[0 .. tileCount)} (blockKeys keys each, the last clipped at n and padded to the lanes).
     */
    void bind(float[] cache, int rowOffset, int[] tiles, int tileCount, int blockKeys, int n, int visible) {
        this.cache = cache;
        this.rowOffset = rowOffset;
        this.tiles = tiles;
        this.tileCount = tileCount;
        this.blockKeys = blockKeys;
        this.n = n;
        this.visible = visible;
        this.variance = Double.NaN;
        float m = Float.NEGATIVE_INFINITY;
        for (int t = 0; t < tileCount; t++) {
            int from = rowOffset + tiles[t];
            int to = from + width(t);
            for (int j = from; j < to; j++) {
                m = Math.max(m, cache[j]);
            }
        }
        this.max = m;
    }

    private int width(int tile) {
        int keys = Math.min(blockKeys, n - tiles[tile]);
        int lanes = ops.lanes();
        return (keys + lanes - 1) / lanes * lanes;
    }

    @Override
    public int visible() {
        return visible;
    }

    @Override
    public double entropy(double lambda) {
        if (max == Float.NEGATIVE_INFINITY) {
            variance = 0;
            return 0;
        }
        float factor = (float) lambda;
        float shift = factor * max;
        moments[0] = 0;
        moments[1] = 0;
        moments[2] = 0;
        for (int t = 0; t < tileCount; t++) {
            ops.rowMoments(cache, rowOffset + tiles[t], width(t), factor, shift, moments);
        }
        double l = moments[0];
        double mean = moments[1] / l;
        variance = Math.max(0.0, LN2 * LN2 * (moments[2] / l - mean * mean));
        return Math.max(0.0, Math.log(l) - LN2 * mean);
    }

    @Override
    public double variance() {
        return variance;
    }
}
