package org.isentropic.kernels.fused;

import static org.isentropic.kernels.OpErrorBounds.UNDERFLOW;
import static org.isentropic.kernels.OpErrorBounds.gamma;
import static org.isentropic.kernels.OpErrorBounds.gammaDouble;
import static org.isentropic.kernels.OpInputs.failure;
import static org.isentropic.kernels.OpInputs.fill;
import static org.isentropic.kernels.OpInputs.sentinels;
import static org.isentropic.kernels.OpInputs.unchanged;
import static org.isentropic.kernels.OpInputs.untouched;
import static org.isentropic.kernels.OpInputs.within;

import java.util.Locale;
import java.util.SplittableRandom;
import org.isentropic.kernels.OpErrorBounds;
import org.isentropic.kernels.OpInputs;
import org.isentropic.kernels.OpInputs.Kind;

/**
 * Each {@link TileOps} operation of one provider against a plain scalar twin computed here in double from the
 * same float inputs, with the error bounds of {@link OpErrorBounds}: random and edge inputs (head dimensions
 * and counts of panels, rows, keys and value vectors that are not multiples of the tiles' or the vector
 * width, single ones, no keys; large, subnormal and underflowing values; masked (-infinity) scores where the
 * contract defines them), offsets and strides that are not multiples of anything, and sentinels around every
 * region (see {@link OpInputs}). Every check throws an AssertionError naming the case.
 */
final class TileOpsChecks {

    private TileOpsChecks() {
    }

    static void lanes(TileOps ops, int expected) {
        if (ops.lanes() != expected) {
            throw failure(ops.getClass().getSimpleName() + ".lanes() = " + ops.lanes() + ", expected " + expected);
        }
    }

    // ---------------------------------------------------------------- scores

    /** s[sOff + r ss + jj] = q_r . k_jj: a d-term dot product, at most gamma(d) sum |q_c k_c| (+ d underflows). */
    static void scores(TileOps ops) {
        SplittableRandom r = OpInputs.rng("TileOps.scores");
        Kind[] kinds = Kind.values();
        int round = 0;
        for (FusedKernel.QkTile tile : FusedKernel.QkTile.values()) {
            for (int d : new int[] {1, 2, 3, 5, 16, 33, 130}) {
                for (int panels : new int[] {1, 2, 3, 4, 5, 7}) {
                    int rows = tile.rows() * (1 + r.nextInt(2));
                    scoresCase(ops, tile, d, rows, panels, kinds[round++ % kinds.length], r);
                }
            }
        }
    }

    private static void scoresCase(TileOps ops, FusedKernel.QkTile tile, int d, int rows, int panels, Kind kind,
                                   SplittableRandom r) {
        int lanes = ops.lanes();
        int qOff = r.nextInt(4);
        float[] q = sentinels(qOff + rows * d + d);
        fill(q, qOff, rows * d, r, kind);
        int panelOff = r.nextInt(5);
        int panelSize = d * lanes;
        float[] kp = sentinels(panelOff + (panels + 1) * panelSize);
        fill(kp, panelOff, panels * panelSize, r, kind);
        int width = panels * lanes;
        int ss = width + r.nextInt(2) * lanes + r.nextInt(3);
        int sOff = r.nextInt(4);
        float[] s = sentinels(sOff + rows * ss + ss);
        float[] q0 = q.clone();
        float[] kp0 = kp.clone();
        float[] s0 = s.clone();
        ops.scores(tile, q, qOff, d, rows, kp, panelOff, panels, s, sOff, ss);
        String label = String.format(Locale.ROOT, "TileOps.scores %s d=%d rows=%d panels=%d %s", tile, d, rows,
                panels, kind);
        boolean[] written = new boolean[s.length];
        for (int row = 0; row < rows; row++) {
            for (int jj = 0; jj < width; jj++) {
                int panel = jj / lanes;
                int lane = jj % lanes;
                double exact = 0;
                double magnitude = 0;
                for (int c = 0; c < d; c++) {
                    double term = (double) q0[qOff + row * d + c] * kp0[panelOff + (panel * d + c) * lanes + lane];
                    exact += term;
                    magnitude += Math.abs(term);
                }
                int at = sOff + row * ss + jj;
                written[at] = true;
                within(label + " s[" + row + "][" + jj + "]", s[at], exact,
                        (gamma(d) + gammaDouble(d)) * magnitude + d * UNDERFLOW);
            }
        }
        untouched(label + " scores", s0, s, written);
        unchanged(label + " queries", q0, q);
        unchanged(label + " keys", kp0, kp);
    }

    // ---------------------------------------------------------------- alibi

    /**
     * s -= slope_r min(|keyStart + jj - rowStart - r|, cap): the distance is an exact integer (below 2^24), then
     * one product and one difference: gamma(2) (|s| + |bias|) (+ an underflow).
     */
    static void alibi(TileOps ops) {
        SplittableRandom r = OpInputs.rng("TileOps.alibi");
        Kind[] kinds = {Kind.NORMAL, Kind.LARGE, Kind.MIXED};
        int round = 0;
        for (int rows : new int[] {1, 3, 8}) {
            for (int panels : new int[] {1, 2, 5}) {
                for (float cap : new float[] {Float.POSITIVE_INFINITY, 0f, 3f, 40f}) {
                    alibiCase(ops, rows, panels, cap, kinds[round++ % kinds.length], r);
                }
            }
        }
    }

    private static void alibiCase(TileOps ops, int rows, int panels, float cap, Kind kind, SplittableRandom r) {
        int width = panels * ops.lanes();
        int ss = width + r.nextInt(2) * ops.lanes() + r.nextInt(3);
        int rowStart = r.nextInt(3) == 0 ? r.nextInt(100) : r.nextInt(1 << 20);
        int keyStart = r.nextBoolean() ? Math.max(0, rowStart + r.nextInt(601) - 300) : r.nextInt(1 << 20);
        float[] slope = sentinels(rowStart + rows + 1);
        for (int row = 0; row < rows; row++) {
            switch (r.nextInt(4)) {
                case 0: slope[rowStart + row] = 0f; break;
                case 1: slope[rowStart + row] = (float) (r.nextDouble() * 1e-39); break;
                case 2: slope[rowStart + row] = (float) (r.nextDouble() * 1e3); break;
                default: slope[rowStart + row] = (float) Math.abs(OpInputs.gaussian(r) * 0.5);
            }
        }
        float[] s = sentinels(rows * ss + ss);
        for (int row = 0; row < rows; row++) {
            fill(s, row * ss, width, r, kind);
        }
        float[] s0 = s.clone();
        float[] slope0 = slope.clone();
        ops.alibi(s, ss, rows, width, rowStart, keyStart, slope, cap);
        String label = String.format(Locale.ROOT, "TileOps.alibi rows=%d width=%d rowStart=%d keyStart=%d cap=%s %s",
                rows, width, rowStart, keyStart, cap, kind);
        boolean[] written = new boolean[s.length];
        for (int row = 0; row < rows; row++) {
            for (int jj = 0; jj < width; jj++) {
                int at = row * ss + jj;
                written[at] = true;
                double distance = Math.min(Math.abs((double) keyStart + jj - rowStart - row), cap);
                double bias = slope0[rowStart + row] * distance;
                double score = s0[at];
                within(label + " s[" + row + "][" + jj + "]", s[at], score - bias,
                        gamma(2) * (Math.abs(score) + Math.abs(bias)) + UNDERFLOW);
            }
        }
        untouched(label + " scores", s0, s, written);
        unchanged(label + " slopes", slope0, slope);
    }

    // ---------------------------------------------------------------- softmax

    /**
     * The online-softmax update of each row: the weights 2^(t - m) within {@link OpErrorBounds#weight}, exactly 0
     * where t = -infinity (masked), the running max exact, the rescale factor 2^(m_old - m) within the exp2
     * bound, l and u within the weights' and factor's errors plus gamma(width + 2) (l) or gamma(width + 4) (u) of
     * their magnitudes; a fully masked row left unchanged with rescale 1. u is the sum of the row's L lane
     * partials (TileOps.softmax), which start at random values (u's old value is their sum; ignored for a fresh
     * row), and the bound on u counts the magnitude of every lane; with entropy off the lanes are untouched. The
     * shifted logits t - m and m_old - m are rounded to float by every provider and by the twin alike. Also over
     * rows from r0 &gt; 0 and columns from col0 &gt; 0, where nothing outside those rows and columns may change.
     */
    static void softmax(TileOps ops) {
        SplittableRandom r = OpInputs.rng("TileOps.softmax");
        SplittableRandom offsets = OpInputs.rng("TileOps.softmax offsets");
        int round = 0;
        for (int panels : new int[] {1, 2, 5}) {
            for (int rows : new int[] {1, 3, 8}) {
                for (boolean masked : new boolean[] {false, true}) {
                    for (boolean entropy : new boolean[] {false, true}) {
                        softmaxCase(ops, 0, 0, panels * ops.lanes(), rows, masked, entropy, round, r);
                        // A group of rows within a block, over the panels from a column past the first.
                        softmaxCase(ops, 1 + offsets.nextInt(24), (1 + offsets.nextInt(3)) * ops.lanes(),
                                panels * ops.lanes(), rows, masked, entropy, round + 3, offsets);
                        round++;
                    }
                }
            }
        }
    }

    /** Scale of a row's scores by style: ordinary, spread past the exp2 floor, large, subnormal, constant, mixed. */
    private static final double[] STYLE_SCALE = {1, 40, 1e30, 1e-39, 1, 1e17};

    private static void softmaxCase(TileOps ops, int r0, int col0, int width, int rows, boolean masked,
                                    boolean entropy, int round, SplittableRandom r) {
        int ss = col0 + width + r.nextInt(2) * ops.lanes() + r.nextInt(3);
        float[] s = sentinels((r0 + rows) * ss + ss);
        float[] rowMax = sentinels(r0 + rows + 1);
        int lanes = ops.lanes();
        float[] weightSums = sentinels((r0 + rows + 1) * lanes);
        float[] weightedLogitSums = sentinels((r0 + rows + 1) * lanes);
        float[] rescale = sentinels(r0 + rows + 1);
        int[] style = new int[rows];
        for (int row = 0; row < rows; row++) {
            style[row] = (row + round) % STYLE_SCALE.length;
            int off = (r0 + row) * ss + col0;
            float constant = (float) OpInputs.gaussian(r);
            for (int j = 0; j < width; j++) {
                s[off + j] = style[row] == 4 ? constant : style[row] == 5 ? OpInputs.value(r, Kind.MIXED)
                        : (float) (OpInputs.gaussian(r) * STYLE_SCALE[style[row]]);
            }
            if (masked) {
                for (int j = 0; j < width; j++) {
                    if (r.nextInt(10) < 3) {
                        s[off + j] = Float.NEGATIVE_INFINITY;
                    }
                }
                if (row == 1) {
                    java.util.Arrays.fill(s, off, off + width, Float.NEGATIVE_INFINITY);
                } else if (row == 2) {
                    int keep = r.nextInt(width);
                    for (int j = 0; j < width; j++) {
                        if (j != keep) {
                            s[off + j] = Float.NEGATIVE_INFINITY;
                        }
                    }
                }
            }
            float finiteMax = Float.NEGATIVE_INFINITY;
            for (int j = 0; j < width; j++) {
                finiteMax = Math.max(finiteMax, s[off + j]);
            }
            if (finiteMax == Float.NEGATIVE_INFINITY) {
                finiteMax = 0f;
            }
            double spread = STYLE_SCALE[style[row]] == 1e17 ? 1 : STYLE_SCALE[style[row]];
            float l = (float) (0.5 + 40 * r.nextDouble());
            float u = (float) (-l * 5 * r.nextDouble());
            switch (r.nextInt(5)) {
                case 0: // a fresh row
                    rowMax[r0 + row] = Float.NEGATIVE_INFINITY;
                    l = 0f;
                    u = 0f;
                    break;
                case 1: // the running max above the tile's: factor 1
                    rowMax[r0 + row] = (float) (finiteMax + Math.abs(OpInputs.gaussian(r)) * spread);
                    break;
                case 2: // below: the old sums are rescaled
                    rowMax[r0 + row] = (float) (finiteMax - Math.abs(OpInputs.gaussian(r)) * spread);
                    break;
                case 3: // far below: the factor underflows to 0
                    rowMax[r0 + row] = finiteMax - 500f;
                    break;
                default:
                    rowMax[r0 + row] = finiteMax;
            }
            // l in positive lane partials summing to about l, u in lane partials summing to about u (a fresh row's
            // are garbage the update must ignore)
            for (int t = 0; t < lanes; t++) {
                int at = (r0 + row) * lanes + t;
                weightSums[at] = l == 0f ? (float) (OpInputs.gaussian(r) * 100) : (float) (l * 2 * r.nextDouble() / lanes);
                weightedLogitSums[at] = l == 0f ? (float) (OpInputs.gaussian(r) * 100)
                        : (float) ((u + l * OpInputs.gaussian(r)) / lanes);
            }
            rescale[r0 + row] = 7f;
        }
        float[] s0 = s.clone();
        float[] rowMax0 = rowMax.clone();
        float[] weightSums0 = weightSums.clone();
        float[] weightedLogitSums0 = weightedLogitSums.clone();
        float[] rescale0 = rescale.clone();
        if (r0 == 0 && col0 == 0) {
            ops.softmax(s, ss, rows, width, masked, entropy, rowMax, weightSums, weightedLogitSums, rescale);
        } else {
            ops.softmax(s, ss, r0, rows, col0, width, masked, entropy, rowMax, weightSums, weightedLogitSums,
                    rescale);
        }
        String label = String.format(Locale.ROOT,
                "TileOps.softmax r0=%d col0=%d width=%d rows=%d masked=%s entropy=%s", r0, col0, width, rows, masked,
                entropy);
        boolean[] written = new boolean[s.length];
        boolean[] rowWritten = new boolean[r0 + rows + 1];
        boolean[] weightLanesWritten = new boolean[weightSums.length];
        boolean[] lanesWritten = new boolean[weightedLogitSums.length];
        for (int row = 0; row < rows; row++) {
            String at = label + " row " + row + " (style " + style[row] + ")";
            int off = (r0 + row) * ss + col0;
            for (int j = 0; j < width; j++) {
                written[off + j] = true;
            }
            float tileMax = Float.NEGATIVE_INFINITY;
            for (int j = 0; j < width; j++) {
                tileMax = Math.max(tileMax, s0[off + j]);
            }
            if (tileMax == Float.NEGATIVE_INFINITY) {
                for (int j = 0; j < width; j++) {
                    if (s[off + j] != 0f) {
                        throw failure(at + ": fully masked row, weight " + j + " = " + s[off + j] + ", expected 0");
                    }
                }
                if (rescale[r0 + row] != 1f) {
                    throw failure(at + ": fully masked row, rescale " + rescale[r0 + row] + ", expected 1");
                }
                rowWritten[r0 + row] = false;
                continue;
            }
            rowWritten[r0 + row] = true;
            java.util.Arrays.fill(weightLanesWritten, (r0 + row) * lanes, (r0 + row + 1) * lanes, true);
            if (entropy) {
                java.util.Arrays.fill(lanesWritten, (r0 + row) * lanes, (r0 + row + 1) * lanes, true);
            }
            float oldMax = rowMax0[r0 + row];
            float newMax = Math.max(oldMax, tileMax);
            float shift = oldMax - newMax;
            double factor = oldMax == Float.NEGATIVE_INFINITY ? 0 : Math.pow(2, shift);
            // Below 2^-150 the factor rounds to 0 or 2^-149 (and exp2Relative, linear in |shift|, is no use).
            double factorError = oldMax == Float.NEGATIVE_INFINITY ? 0 : shift < -150 ? 2 * UNDERFLOW + factor
                    : OpErrorBounds.exp2Relative(shift) * factor + UNDERFLOW;
            double weights = 0;
            double weightError = 0;
            double logits = 0;
            double logitMagnitude = 0;
            double logitError = 0;
            for (int j = 0; j < width; j++) {
                float t = s0[off + j];
                if (t == Float.NEGATIVE_INFINITY) {
                    if (s[off + j] != 0f) {
                        throw failure(at + ": masked score " + j + " has weight " + s[off + j] + ", expected 0");
                    }
                    continue;
                }
                float x = t - newMax;
                double p = Math.pow(2, x);
                double bound = OpErrorBounds.weight(x);
                within(at + " weight " + j + " (t - m = " + x + ")", s[off + j], p, bound);
                weights += p;
                weightError += bound;
                logits += p * x;
                logitMagnitude += p * Math.abs(x);
                logitError += OpErrorBounds.weightedLogit(x);
            }
            if (rowMax[r0 + row] != newMax) {
                throw failure(at + ": running max " + rowMax[r0 + row] + ", expected " + newMax);
            }
            within(at + " rescale", rescale[r0 + row], factor, factorError);
            double l0 = oldMax == Float.NEGATIVE_INFINITY ? 0 : TileOps.laneSum(weightSums0, r0 + row, lanes);
            double lError = factorError * l0 + weightError;
            within(at + " l", TileOps.laneSum(weightSums, r0 + row, lanes), factor * l0 + weights,
                    lError + (gamma(width + 2) + gammaDouble(width + 2 + lanes)) * (factor * l0 + weights + lError));
            if (entropy) {
                double u0 = 0;
                double lanesMagnitude = 0;
                for (int t = 0; t < lanes; t++) {
                    u0 += weightedLogitSums0[(r0 + row) * lanes + t];
                    lanesMagnitude += Math.abs(weightedLogitSums0[(r0 + row) * lanes + t]);
                }
                double expected = logits;
                double magnitude = logitMagnitude;
                double error = logitError;
                if (oldMax != Float.NEGATIVE_INFINITY) {
                    double oldPart = lanesMagnitude + l0 * Math.abs(shift);
                    expected += factor * (u0 + l0 * shift);
                    magnitude += factor * oldPart;
                    error += factorError * oldPart;
                }
                within(at + " u", TileOps.laneSum(weightedLogitSums, r0 + row, lanes), expected,
                        error + (gamma(width + 4) + gammaDouble(width + 4)) * (magnitude + error));
            }
        }
        untouched(label + " scores", s0, s, written);
        untouched(label + " running max", rowMax0, rowMax, rowWritten);
        untouched(label + " l lanes", weightSums0, weightSums, weightLanesWritten);
        untouched(label + " u lanes", weightedLogitSums0, weightedLogitSums, lanesWritten);
        boolean[] rescaleWritten = new boolean[r0 + rows + 1];
        java.util.Arrays.fill(rescaleWritten, r0, r0 + rows, true);
        untouched(label + " rescale", rescale0, rescale, rescaleWritten);
    }

    // ---------------------------------------------------------------- rowMoments

    /**
     * The moments of one row's cached scores at a temperature: with x_j = fl(fl(lambda t_j) - shift) (rounded to
     * float by every provider and by the twin alike), l = sum 2^x, u = sum 2^x x and w = sum 2^x x^2 added to
     * the three doubles given; each weight within {@link OpErrorBounds#weight}, each weighted logit within
     * {@link OpErrorBounds#weightedLogit} and each weighted square within |x| times that (126
     * {@link OpErrorBounds#ENTROPY_FLOOR_TERM} below the exp2 floor), plus gamma(width + 4) of the magnitudes
     * for the float sums; masked scores (-infinity) add nothing; the scores are only read.
     */
    static void rowMoments(TileOps ops) {
        SplittableRandom r = OpInputs.rng("TileOps.rowMoments");
        for (int panels : new int[] {1, 2, 5, 12}) {
            for (float lambda : new float[] {0.3f, 1f, 3.7f, 40f}) {
                for (boolean masked : new boolean[] {false, true}) {
                    rowMomentsCase(ops, panels * ops.lanes(), lambda, masked, r);
                }
            }
        }
    }

    private static void rowMomentsCase(TileOps ops, int width, float lambda, boolean masked, SplittableRandom r) {
        int off = r.nextInt(2 * ops.lanes() + 1);
        float[] t = sentinels(off + width + ops.lanes());
        double scale = r.nextBoolean() ? 1 : 8;
        for (int j = 0; j < width; j++) {
            t[off + j] = (float) (OpInputs.gaussian(r) * scale);
            if (masked && r.nextInt(10) < 3) {
                t[off + j] = Float.NEGATIVE_INFINITY;
            }
        }
        float max = Float.NEGATIVE_INFINITY;
        for (int j = 0; j < width; j++) {
            max = Math.max(max, t[off + j]);
        }
        float shift = max == Float.NEGATIVE_INFINITY ? 0f : lambda * max;
        double[] start = {r.nextDouble() * 10, -r.nextDouble() * 10, r.nextDouble() * 10};
        double[] moments = start.clone();
        float[] t0 = t.clone();
        ops.rowMoments(t, off, width, lambda, shift, moments);
        String label = String.format(Locale.ROOT, "TileOps.rowMoments width=%d lambda=%s masked=%s", width, lambda,
                masked);
        unchanged(label + " scores", t0, t);
        double[] exact = new double[3];
        double[] magnitude = new double[3];
        double[] error = new double[3];
        for (int j = 0; j < width; j++) {
            float score = t0[off + j];
            if (score == Float.NEGATIVE_INFINITY) {
                continue;
            }
            float x = lambda * score - shift;
            double p = Math.pow(2, x);
            exact[0] += p;
            exact[1] += p * x;
            exact[2] += p * x * x;
            magnitude[0] += p;
            magnitude[1] += p * Math.abs(x);
            magnitude[2] += p * x * x;
            error[0] += OpErrorBounds.weight(x);
            error[1] += OpErrorBounds.weightedLogit(x);
            error[2] += x < VectorExp2.FLOOR ? 126 * OpErrorBounds.ENTROPY_FLOOR_TERM
                    : OpErrorBounds.weightedLogit(x) * Math.abs(x);
        }
        String[] names = {" l", " u", " w"};
        for (int m = 0; m < 3; m++) {
            double bound = error[m] + (gamma(width + 4) + gammaDouble(width + 4)) * (magnitude[m] + error[m])
                    + gammaDouble(2) * (Math.abs(start[m]) + magnitude[m]);
            within(label + names[m], moments[m], start[m] + exact[m], bound);
        }
    }

    // ---------------------------------------------------------------- pv

    /**
     * o_r = rescale_r o_r + sum_j s_rj v_j over keys [keyStart, keyStart + keys): keys + 1 roundings per output,
     * gamma(keys + 2) (|rescale o| + sum |s v|) (+ an underflow per rounding).
     */
    static void pv(TileOps ops) {
        SplittableRandom r = OpInputs.rng("TileOps.pv");
        Kind[] kinds = {Kind.NORMAL, Kind.LARGE, Kind.SUBNORMAL, Kind.MIXED};
        int round = 0;
        for (int vectors : new int[] {1, 2, 4, 5, 9}) {
            for (int keys : new int[] {0, 1, 5, 47, 48, 49, 100}) {
                int rows = 12 * (1 + r.nextInt(2));
                int r0 = 12 * r.nextInt(2);
                pvCase(ops, vectors, keys, r0, rows, kinds[round++ % kinds.length], r);
            }
        }
    }

    private static void pvCase(TileOps ops, int vectors, int keys, int r0, int rows, Kind kind, SplittableRandom r) {
        int lanes = ops.lanes();
        int dvp = vectors * lanes;
        int keyStart = r.nextInt(20);
        int ss = keyStart + keys + r.nextInt(5);
        float[] s = sentinels((r0 + rows + 1) * ss);
        for (int row = r0; row < r0 + rows; row++) {
            for (int j = 0; j < keys; j++) {
                s[row * ss + keyStart + j] = OpInputs.weight(r);
            }
        }
        int vRow0 = r.nextInt(4);
        int vs = dvp + (r.nextBoolean() ? 0 : 1 + r.nextInt(2 * lanes));
        float[] v = sentinels((vRow0 + keyStart + keys + 1) * vs);
        for (int j = 0; j < keys; j++) {
            fill(v, (vRow0 + keyStart + j) * vs, dvp, r, kind);
        }
        float[] o = sentinels((r0 + rows + 1) * dvp);
        fill(o, r0 * dvp, rows * dvp, r, kind == Kind.SUBNORMAL ? Kind.SUBNORMAL : Kind.NORMAL);
        float[] rescale = sentinels(r0 + rows + 1);
        for (int row = r0; row < r0 + rows; row++) {
            switch (r.nextInt(4)) {
                case 0: rescale[row] = 1f; break;
                case 1: rescale[row] = 0f; break;
                case 2: rescale[row] = (float) (r.nextDouble() * 1e-39); break;
                default: rescale[row] = (float) r.nextDouble();
            }
        }
        float[] s0 = s.clone();
        float[] v0 = v.clone();
        float[] o0 = o.clone();
        float[] rescale0 = rescale.clone();
        ops.pv(s, ss, r0, rows, keyStart, keys, v, vRow0, vs, dvp, o, rescale);
        String label = String.format(Locale.ROOT, "TileOps.pv dvp=%d keys=%d r0=%d rows=%d keyStart=%d vs=%d %s",
                dvp, keys, r0, rows, keyStart, vs, kind);
        boolean[] written = new boolean[o.length];
        for (int row = r0; row < r0 + rows; row++) {
            for (int c = 0; c < dvp; c++) {
                int at = row * dvp + c;
                written[at] = true;
                double scaled = (double) rescale0[row] * o0[at];
                double exact = scaled;
                double magnitude = Math.abs(scaled);
                for (int j = keyStart; j < keyStart + keys; j++) {
                    double term = (double) s0[row * ss + j] * v0[(vRow0 + j) * vs + c];
                    exact += term;
                    magnitude += Math.abs(term);
                }
                within(label + " o[" + row + "][" + c + "]", o[at], exact,
                        (gamma(keys + 2) + gammaDouble(keys + 2)) * magnitude + (keys + 1) * UNDERFLOW);
            }
        }
        untouched(label + " output", o0, o, written);
        unchanged(label + " weights", s0, s);
        unchanged(label + " values", v0, v);
        unchanged(label + " rescale", rescale0, rescale);
    }

    // ---------------------------------------------------------------- laneSum

    /**
     * The finiteness scan: for every range [from, to) of lengths 0 .. 3L + 5 (whole vectors, their tails, shorter
     * than a vector), true on finite values (extremes and subnormals included) with NaN and infinity just outside
     * the range; false with any non-finite bit pattern (infinities, quiet and signalling NaNs of either sign) at any
     * place inside it.
     */
    static void allFinite(TileOps ops) {
        int[] badBits = {0x7f800000, 0xff800000, 0x7fc00000, 0xffc00000, 0x7f800001, 0xff800001, 0x7fffffff,
            0xffffffff};
        float[] extremes = {Float.MAX_VALUE, -Float.MAX_VALUE, Float.MIN_VALUE, -Float.MIN_NORMAL, -0f, 1e-40f};
        SplittableRandom r = OpInputs.rng("TileOps.allFinite");
        int lanes = ops.lanes();
        for (int from = 0; from <= 3; from++) {
            for (int to = from; to <= from + 3 * lanes + 5; to++) {
                float[] a = new float[to + 2];
                java.util.Arrays.fill(a, 0, from, Float.NaN);
                for (int i = from; i < to; i++) {
                    a[i] = r.nextInt(4) == 0 ? extremes[r.nextInt(extremes.length)] : OpInputs.value(r, Kind.MIXED);
                }
                a[to] = Float.POSITIVE_INFINITY;
                a[to + 1] = Float.NaN;
                String label = "TileOps.allFinite [" + from + ", " + to + ")";
                if (!ops.allFinite(a, from, to)) {
                    throw failure(label + ": finite values reported as not finite");
                }
                for (int at = from; at < to; at++) {
                    float[] b = a.clone();
                    b[at] = Float.intBitsToFloat(badBits[(at + to) % badBits.length]);
                    if (ops.allFinite(b, from, to)) {
                        throw failure(label + ": " + b[at] + " (0x" + Integer.toHexString(badBits[(at + to)
                                % badBits.length]) + ") at " + at + " not seen");
                    }
                }
            }
        }
    }

    /**
     * A row's l or u from its lane partials: the sum of lanes[r L .. r L + L) in double, exact when the partials are
     * small integers times one power of 2 (every other round), within gamma_double(L) of their magnitude
     * otherwise; the other rows' lanes are not read (NaN there).
     */
    static void laneSum() {
        SplittableRandom r = OpInputs.rng("TileOps.laneSum");
        for (int lanes : new int[] {1, 4, 8, 16}) {
            for (int round = 0; round < 50; round++) {
                int row = r.nextInt(3);
                float[] partials = new float[(row + 2) * lanes];
                java.util.Arrays.fill(partials, Float.NaN);
                boolean exact = round % 2 == 0;
                double scale = Math.scalb(1.0, r.nextInt(40) - 30);
                double expected = 0;
                double magnitude = 0;
                for (int t = 0; t < lanes; t++) {
                    float x = exact ? (float) ((r.nextInt(1 << 20) - (1 << 19)) * scale)
                            : OpInputs.value(r, Kind.MIXED);
                    partials[row * lanes + t] = x;
                    expected += x; // exact for the integer cases
                    magnitude += Math.abs(x);
                }
                String label = "TileOps.laneSum lanes=" + lanes + " row=" + row + (exact ? " exact" : "");
                double actual = TileOps.laneSum(partials, row, lanes);
                if (exact && actual != expected) {
                    throw failure(label + ": got " + actual + ", expected exactly " + expected);
                }
                within(label, actual, expected, gammaDouble(lanes) * magnitude);
            }
        }
    }
}
