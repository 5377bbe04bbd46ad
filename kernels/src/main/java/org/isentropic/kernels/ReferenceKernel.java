package org.isentropic.kernels;

import java.util.List;

/**
 * The oracle: plain loops over rows and keys, double accumulators, every logit formed explicitly as the
 * {@link AttentionSpec} defines it, a two-pass softmax per row. O(n^2 d) time, O(n d) extra memory.
 * Obviously correct rather than fast.
 */
final class ReferenceKernel implements AttentionKernel {

    @Override
    public String name() {
        return "reference";
    }

    @Override
    public void attend(AttentionSpec spec, float[] q, float[] k, float[] v, int n, int d, int dv, AttentionOutput out) {
        Checks.call(spec, q, k, v, n, d, dv, out);
        LogitGeometry g = new LogitGeometry(spec, n, d);
        double[][] kIn = new double[n][d];
        double[][] kOut = g.capped ? new double[n][d] : null;
        for (int j = 0; j < n; j++) {
            g.key(k, j, j, kIn[j], kOut == null ? null : kOut[j]);
        }
        double[] qIn = new double[d];
        double[] qOut = g.capped ? new double[d] : null;
        double[] z = new double[n];
        boolean[] visible = new boolean[n];
        double[] acc = new double[dv];
        Mask mask = spec.mask();
        for (int i = 0; i < n; i++) {
            g.query(q, i, i, qIn, qOut);
            double f = spec.rowFactor(i, n);
            double max = Double.NEGATIVE_INFINITY;
            for (int j = 0; j < n; j++) {
                visible[j] = mask.visible(i, j, n);
                if (!visible[j]) {
                    continue;
                }
                double content = g.inside(i, j) ? LogitGeometry.dot(qIn, kIn[j], d) : LogitGeometry.dot(qOut, kOut[j], d);
                z[j] = f * (g.contentScale * content + g.bias(i, j));
                max = Math.max(max, z[j]);
            }
            finishRow(i, n, dv, v, z, visible, max, acc, out);
        }
        Checks.finiteResults(spec, n, dv, out, true);
    }

    /**
     * The n x n logits z_ij of a call as {@link AttentionSpec} defines them, in double, with
     * negative infinity for masked pairs: {@code z[i*n + j]}.
     */
    static double[] logits(AttentionSpec spec, float[] q, float[] k, int n, int d) {
        spec.check(n, d);
        Checks.array("q", q, (long) n * d);
        Checks.array("k", k, (long) n * d);
        LogitGeometry g = new LogitGeometry(spec, n, d);
        double[][] kIn = new double[n][d];
        double[][] kOut = g.capped ? new double[n][d] : null;
        for (int j = 0; j < n; j++) {
            g.key(k, j, j, kIn[j], kOut == null ? null : kOut[j]);
        }
        double[] qIn = new double[d];
        double[] qOut = g.capped ? new double[d] : null;
        double[] z = new double[n * n];
        for (int i = 0; i < n; i++) {
            g.query(q, i, i, qIn, qOut);
            double f = spec.rowFactor(i, n);
            for (int j = 0; j < n; j++) {
                if (!spec.mask().visible(i, j, n)) {
                    z[i * n + j] = Double.NEGATIVE_INFINITY;
                    continue;
                }
                double content = g.inside(i, j) ? LogitGeometry.dot(qIn, kIn[j], d) : LogitGeometry.dot(qOut, kOut[j], d);
                z[i * n + j] = f * (g.contentScale * content + g.bias(i, j));
            }
        }
        return z;
    }

    /**
     * Softmax, entropy, logsumexp, output row, probabilities and key-range mass of one row in double,
     * from its logits z[j] (read where visible[j]). Shared with {@link DecodeStep}'s exact path.
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
