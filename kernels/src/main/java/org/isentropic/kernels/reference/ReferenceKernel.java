package org.isentropic.kernels.reference;

import java.util.List;
import org.isentropic.kernels.spec.AttentionKernel;
import org.isentropic.kernels.spec.AttentionOutput;
import org.isentropic.kernels.spec.AttentionSpec;
import org.isentropic.kernels.spec.Checks;
import org.isentropic.kernels.spec.KeyRange;
import org.isentropic.kernels.spec.LogitGeometry;
import org.isentropic.kernels.spec.Mask;
import org.isentropic.kernels.spec.TemperatureSolving;

/**
 * The oracle: plain loops over rows and keys, double accumulators, every logit formed explicitly as the
 * {@link AttentionSpec} defines it, a two-pass softmax per row. O(n^2 d) time, O(n d) extra memory.
 * Obviously correct rather than fast.
 *
 * <p>Internal: public only for the factory ({@code AttentionKernels.reference} and
 * {@code AttentionKernels.referenceLogits}), through which callers use it; not part of the
 * library's API.
 */
public final class ReferenceKernel implements AttentionKernel, TemperatureSolving {

    /** The oracle; see the class comment. */
    public ReferenceKernel() {
    }

    @Override
    public String name() {
        return "reference";
    }

    @Override
    public void attend(AttentionSpec spec, float[] q, float[] k, float[] v, int n, int d, int dv, AttentionOutput out) {
        Checks.call(spec, q, k, v, n, d, dv, out);
        RowLogits logits = new RowLogits(spec, k, n, d);
        double[] z = new double[n];
        boolean[] visible = new boolean[n];
        double[] acc = new double[dv];
        Mask mask = spec.mask();
        for (int i = 0; i < n; i++) {
            for (int j = 0; j < n; j++) {
                visible[j] = mask.visible(i, j, n);
            }
            double max = logits.row(q, i, z, 0);
            finishRow(i, n, dv, v, z, visible, max, acc, out);
        }
        Checks.finiteResults(spec, n, dv, out, true);
    }

    /** Each row's logits in double, one row at a time, and its curve ({@link ReferenceCurve}) in double. */
    @Override
    public void solveTemperatures(AttentionSpec spec, float[] q, float[] k, int n, int d, RowSolver solver) {
        spec.check(n, d);
        Checks.array("q", q, (long) n * d);
        Checks.array("k", k, (long) n * d);
        RowLogits logits = new RowLogits(spec, k, n, d);
        double[] z = new double[n];
        ReferenceCurve curve = new ReferenceCurve();
        for (int i = 0; i < n; i++) {
            double max = logits.row(q, i, z, 0);
            curve.bind(z, n, max);
            solver.solve(i, curve);
        }
    }

    /**
     * The n x n logits z_ij of a call as {@link AttentionSpec} defines them, in double, with
     * negative infinity for masked pairs: {@code z[i*n + j]}.
     */
    public static double[] logits(AttentionSpec spec, float[] q, float[] k, int n, int d) {
        spec.check(n, d);
        Checks.array("q", q, (long) n * d);
        Checks.array("k", k, (long) n * d);
        RowLogits logits = new RowLogits(spec, k, n, d);
        double[] z = new double[n * n];
        for (int i = 0; i < n; i++) {
            logits.row(q, i, z, i * n);
        }
        return z;
    }

    /** The keys of a call prepared once (inside and outside vectors), and each row's logits from them. */
    private static final class RowLogits {
        private final AttentionSpec spec;
        private final LogitGeometry g;
        private final int n;
        private final int d;
        // [n][d] each key rotated at its own position; [n][d] unrotated (capped schemes only, else null).
        private final double[][] keysInside;
        private final double[][] keysOutside;
        // [d] the current query, rotated at its position; [d] rotated at W - 1 (capped schemes only).
        private final double[] queryInside;
        private final double[] queryOutside;

        RowLogits(AttentionSpec spec, float[] k, int n, int d) {
            this.spec = spec;
            this.g = new LogitGeometry(spec, n, d);
            this.n = n;
            this.d = d;
            keysInside = new double[n][d];
            keysOutside = g.capped() ? new double[n][d] : null;
            for (int j = 0; j < n; j++) {
                g.key(k, j, j, keysInside[j], keysOutside == null ? null : keysOutside[j]);
            }
            queryInside = new double[d];
            queryOutside = g.capped() ? new double[d] : null;
        }

        /** Row i's logits into z[offset + j], negative infinity where masked; returns their maximum. */
        double row(float[] q, int i, double[] z, int offset) {
            g.query(q, i, i, queryInside, queryOutside);
            double f = spec.rowFactor(i, n);
            double max = Double.NEGATIVE_INFINITY;
            for (int j = 0; j < n; j++) {
                if (!spec.mask().visible(i, j, n)) {
                    z[offset + j] = Double.NEGATIVE_INFINITY;
                    continue;
                }
                double content = g.inside(i, j) ? LogitGeometry.dot(queryInside, keysInside[j], d)
                        : LogitGeometry.dot(queryOutside, keysOutside[j], d);
                z[offset + j] = f * (g.contentScale() * content + g.bias(i, j));
                max = Math.max(max, z[offset + j]);
            }
            return max;
        }
    }

    /**
     * Softmax, entropy, logsumexp, output row, probabilities and key-range mass of one row in double,
     * from its logits z[j] (read where visible[j]).
     */
    static void finishRow(int i, int n, int dv, float[] v, double[] z, boolean[] visible, double max,
                          double[] acc, AttentionOutput out) {
        float[] o = out.o();
        float[] probs = out.probs();
        if (max == Double.NEGATIVE_INFINITY) {
            java.util.Arrays.fill(o, i * dv, i * dv + dv, 0f);
            out.entropy()[i] = 0f;
            out.logSumExp()[i] = Float.NEGATIVE_INFINITY;
            if (probs != null) {
                java.util.Arrays.fill(probs, i * n, i * n + n, 0f);
            }
            if (out.mass() != null) {
                int r = out.keyRanges().size();
                java.util.Arrays.fill(out.mass(), i * r, i * r + r, 0f);
            }
            return;
        }
        double l = 0;
        double u = 0;
        java.util.Arrays.fill(acc, 0, dv, 0.0);
        for (int j = 0; j < n; j++) {
            if (!visible[j]) {
                continue;
            }
            double e = Math.exp(z[j] - max);
            l += e;
            u += e * (z[j] - max);
        }
        for (int j = 0; j < n; j++) {
            if (!visible[j]) {
                continue;
            }
            double p = Math.exp(z[j] - max) / l;
            for (int c = 0; c < dv; c++) {
                acc[c] += p * v[j * dv + c];
            }
        }
        for (int c = 0; c < dv; c++) {
            o[i * dv + c] = (float) acc[c];
        }
        // H = logsumexp - sum p z = (max + ln l) - (max + u / l); the max cancels exactly.
        out.entropy()[i] = (float) Math.max(0.0, Math.log(l) - u / l);
        out.logSumExp()[i] = (float) (max + Math.log(l));
        if (probs != null) {
            for (int j = 0; j < n; j++) {
                probs[i * n + j] = visible[j] ? (float) (Math.exp(z[j] - max) / l) : 0f;
            }
        }
        List<KeyRange> ranges = out.keyRanges();
        if (!ranges.isEmpty()) {
            float[] mass = out.mass();
            for (int r = 0; r < ranges.size(); r++) {
                KeyRange kr = ranges.get(r);
                double m = 0;
                for (int j = kr.start(); j < Math.min(kr.end(), n); j++) {
                    if (visible[j]) {
                        m += Math.exp(z[j] - max) / l;
                    }
                }
                mass[i * ranges.size() + r] = (float) m;
            }
        }
    }
}
