package org.isentropic.verification.reference;

import java.util.Arrays;
import java.util.function.IntToDoubleFunction;
import org.ejml.data.DMatrixRMaj;
import org.ejml.dense.row.CommonOps_DDRM;

/**
 * An independent double-precision attention, written from the formulas and not from the kernels'
 * code, for cross-checking them: matrix products by EJML ({@code S = Q K^T}, {@code O = P V}), RoPE
 * through its relative form, softmax and entropy from their definitions.
 *
 * <p>Layout (the kernels'): {@code q[i*d + c]}, {@code k[j*d + c]}, {@code v[j*dv + c]}; outputs
 * {@code o[i*dv + c]}, per-row {@code entropy[i]} and {@code logSumExp[i]}, probabilities
 * {@code probs[i*n + j]}.
 *
 * <p>Logit of row i, key j (visible keys only):
 * {@code z_ij = tau_i * (a_ij - m |i - j|)} where {@code a_ij = q_i.k_j / sqrt(d)} (dot) or
 * {@code s cos(q_i, k_j)} (cosine; the norms are taken before RoPE, which preserves them),
 * {@code m} the ALiBi slope (0 without ALiBi) and {@code tau_i} the row's temperature (paper section 2:
 * the temperature multiplies the whole pre-softmax logit, position bias included).
 *
 * <p>RoPE (interleaved pairs {@code (2m, 2m+1)}, angle {@code pos * base^(-2m/d)}): instead of
 * rotating q and k, the logit uses the identity
 * {@code R_i q . R_j k = sum_m (qa ka + qb kb) cos((i-j) theta_m) - (qb ka - qa kb) sin((i-j) theta_m)}
 * with {@code (qa, qb) = (q_2m, q_2m+1)}; the "halves" layout pairs {@code (m, m + d/2)}.
 *
 * <p>Entropy: {@code H_i = -sum_j p_ij ln p_ij} over visible keys (the definition, deliberately not the
 * project's {@code logsumexp - sum p z} form, so that the two are checked against each other).
 */
public final class EjmlAttention {

    /** Logit kind. */
    public enum Kind {
        /** {@code q.k / sqrt(d)}. */
        DOT,
        /** {@code s cos(q, k)}. */
        COSINE
    }

    /** Which keys row i sees (before the optional causal intersection of {@link Config#causal()}). */
    public enum Mask {
        /** every key. */
        FULL,
        /** keys with {@code |i - j| <= window}. */
        WINDOW,
        /**
         * StreamingLLM: keys with {@code |i - j| <= window - 1}, plus the first {@code sinks} tokens as
         * keys (every row sees them) and as rows (they see every key).
         */
        STREAMING,
        /**
         * LM-Infinite: keys with {@code |i - j| <= window - 1} plus the first {@code sinks} tokens as keys;
         * relative distances capped: a pair with {@code |i - j| >= window} is treated as at relative
         * position {@code window - 1} (RoPE: the query rotated by {@code window - 1} against the unrotated
         * key, on both sides) and ALiBi distance {@code min(|i - j|, window - 1)}.
         */
        LAMBDA
    }

    /** Which length a rule is evaluated at for row i. */
    public enum RowLength {
        /** the sequence length n, every row. */
        SEQUENCE,
        /** the number of keys row i sees. */
        VISIBLE,
        /** the 1-based position i + 1. */
        POSITION
    }

    /** RoPE pairing. */
    public enum Rope {
        /** no rotary positions. */
        NONE,
        /** pairs (2m, 2m+1). */
        INTERLEAVED,
        /** pairs (m, m + d/2). */
        HALVES
    }

    /**
     * Immutable configuration.
     *
     * @param kind logit kind
     * @param scale cosine scale s (ignored for DOT), finite and &gt; 0
     * @param rope RoPE pairing
     * @param ropeBase RoPE base, &gt; 1 when rope is not NONE
     * @param alibiSlope ALiBi slope m &gt;= 0 (0: none)
     * @param mask the mask
     * @param window window w &gt;= 0 for WINDOW, N &gt;= 1 for STREAMING and LAMBDA
     * @param sinks sink tokens for STREAMING and LAMBDA, &gt;= 0
     * @param causal whether the mask is intersected with {@code j <= i}
     * @param rule temperature rule n -&gt; factor, or null for none
     * @param rowLength which n the rule sees
     * @param rowTemperature explicit per-row temperatures (length n), or null; multiplies the rule
     */
    public record Config(Kind kind, double scale, Rope rope, double ropeBase, double alibiSlope, Mask mask,
            int window, int sinks, boolean causal, IntToDoubleFunction rule, RowLength rowLength, double[] rowTemperature) {
        /** Validates the configuration. */
        public Config {
            if (kind == null || rope == null || mask == null || rowLength == null) {
                throw new IllegalArgumentException("kind, rope, mask and rowLength must not be null");
            }
            if (!(scale > 0) || Double.isInfinite(scale)) {
                throw new IllegalArgumentException("scale must be finite and > 0, got " + scale);
            }
            if (rope != Rope.NONE && !(ropeBase > 1) || Double.isInfinite(ropeBase)) {
                throw new IllegalArgumentException("ropeBase must be finite and > 1, got " + ropeBase);
            }
            if (!(alibiSlope >= 0) || Double.isInfinite(alibiSlope)) {
                throw new IllegalArgumentException("alibiSlope must be finite and >= 0, got " + alibiSlope);
            }
            if (window < 0 || (mask == Mask.STREAMING || mask == Mask.LAMBDA) && window < 1) {
                throw new IllegalArgumentException("window must be >= 0 (>= 1 for " + mask + "), got " + window);
            }
            if (sinks < 0) {
                throw new IllegalArgumentException("sinks must be >= 0, got " + sinks);
            }
            rowTemperature = rowTemperature == null ? null : rowTemperature.clone();
        }

        /** @return dot-product attention, full mask, no positions, no temperature */
        public static Config dot() {
            return new Config(Kind.DOT, 1.0, Rope.NONE, 10000.0, 0.0, Mask.FULL, 0, 0, false, null, RowLength.SEQUENCE, null);
        }

        /**
         * @param s the cosine scale, &gt; 0
         * @return cosine attention with scale s, full mask, no positions
         */
        public static Config cosine(double s) {
            return new Config(Kind.COSINE, s, Rope.NONE, 10000.0, 0.0, Mask.FULL, 0, 0, false, null, RowLength.SEQUENCE, null);
        }

        /**
         * @param pairing the pairing
         * @param base the base
         * @return this with RoPE
         */
        public Config withRope(Rope pairing, double base) {
            return new Config(kind, scale, pairing, base, alibiSlope, mask, window, sinks, causal, rule, rowLength, rowTemperature);
        }

        /**
         * @param slope ALiBi slope
         * @return this with ALiBi
         */
        public Config withAlibi(double slope) {
            return new Config(kind, scale, rope, ropeBase, slope, mask, window, sinks, causal, rule, rowLength, rowTemperature);
        }

        /**
         * @param m the mask
         * @param w the window (for WINDOW, STREAMING, LAMBDA)
         * @param sinkCount sink tokens (for STREAMING, LAMBDA)
         * @param causalToo whether to intersect with the causal mask
         * @return this with the mask
         */
        public Config withMask(Mask m, int w, int sinkCount, boolean causalToo) {
            return new Config(kind, scale, rope, ropeBase, alibiSlope, m, w, sinkCount, causalToo, rule, rowLength,
                    rowTemperature);
        }

        /**
         * @param r the rule
         * @param which which n the rule sees
         * @return this with the rule
         */
        public Config withRule(IntToDoubleFunction r, RowLength which) {
            return new Config(kind, scale, rope, ropeBase, alibiSlope, mask, window, sinks, causal, r, which, rowTemperature);
        }

        /**
         * @param perRow per-row temperatures
         * @return this with them
         */
        public Config withTemperature(double[] perRow) {
            return new Config(kind, scale, rope, ropeBase, alibiSlope, mask, window, sinks, causal, rule, rowLength, perRow);
        }

        /**
         * Whether row i sees key j.
         *
         * @param i row
         * @param j key
         * @return visibility under this mask
         */
        public boolean visible(int i, int j) {
            if (causal && j > i) {
                return false;
            }
            int dist = Math.abs(i - j);
            switch (mask) {
                case FULL:
                    return true;
                case WINDOW:
                    return dist <= window;
                case STREAMING:
                    return dist <= window - 1 || j < sinks || i < sinks;
                case LAMBDA:
                    return dist <= window - 1 || j < sinks;
                default:
                    throw new IllegalStateException(mask.toString());
            }
        }

        /** The relative position that RoPE sees for (i, j), after LM-Infinite's cap. */
        int relative(int i, int j) {
            return mask == Mask.LAMBDA && Math.abs(i - j) >= window ? window - 1 : i - j;
        }

        /** The distance that ALiBi sees for (i, j), after LM-Infinite's cap. */
        int distance(int i, int j) {
            int dist = Math.abs(i - j);
            return mask == Mask.LAMBDA ? Math.min(dist, window - 1) : dist;
        }
    }

    /**
     * Result arrays.
     *
     * @param o outputs n x dv (0 for a row with no visible key)
     * @param entropy row entropies (0 for a row with no visible key, as the kernels define it)
     * @param logSumExp row log-sum-exp of the logits (-Infinity for a row with no visible key)
     * @param probs probabilities n x n (0 at masked keys)
     * @param logits logits n x n (NaN at masked keys)
     */
    public record Result(double[] o, double[] entropy, double[] logSumExp, double[] probs, double[] logits) {
    }

    private EjmlAttention() {
    }

    /**
     * Compute attention in double precision.
     *
     * @param c configuration
     * @param q queries n x d
     * @param k keys n x d
     * @param v values n x dv
     * @param n sequence length, &gt;= 1
     * @param d head dimension, &gt;= 1, even under RoPE
     * @param dv value dimension, &gt;= 1
     * @return outputs, entropies, log-sum-exps, probabilities and logits
     */
    public static Result attend(Config c, float[] q, float[] k, float[] v, int n, int d, int dv) {
        if (n < 1 || d < 1 || dv < 1) {
            throw new IllegalArgumentException("n, d, dv must be >= 1, got n=" + n + ", d=" + d + ", dv=" + dv);
        }
        if (q.length < n * d || k.length < n * d || v.length < n * dv) {
            throw new IllegalArgumentException("array too short for n=" + n + ", d=" + d + ", dv=" + dv);
        }
        if (c.rope() != Rope.NONE && d % 2 != 0) {
            throw new IllegalArgumentException("d must be even under RoPE, got " + d);
        }
        if (c.rowTemperature() != null && c.rowTemperature().length != n) {
            throw new IllegalArgumentException("rowTemperature length must be n=" + n + ", got " + c.rowTemperature().length);
        }
        DMatrixRMaj qm = toMatrix(q, n, d);
        DMatrixRMaj km = toMatrix(k, n, d);
        if (c.kind() == Kind.COSINE) {
            normaliseRows(qm);
            normaliseRows(km);
        }
        double pre = c.kind() == Kind.DOT ? 1.0 / Math.sqrt(d) : c.scale();
        DMatrixRMaj scores = new DMatrixRMaj(n, n);
        if (c.rope() == Rope.NONE) {
            CommonOps_DDRM.multTransB(qm, km, scores);
        } else {
            ropeScores(c, qm, km, n, d, scores);
        }
        CommonOps_DDRM.scale(pre, scores);

        double[] logits = new double[n * n];
        double[] probs = new double[n * n];
        double[] entropy = new double[n];
        double[] lse = new double[n];
        Arrays.fill(logits, Double.NaN);
        for (int i = 0; i < n; i++) {
            int visible = 0;
            for (int j = 0; j < n; j++) {
                if (c.visible(i, j)) {
                    visible++;
                }
            }
            if (visible == 0) {
                entropy[i] = 0.0;
                lse[i] = Double.NEGATIVE_INFINITY;
                continue;
            }
            double tau = 1.0;
            if (c.rule() != null) {
                int len = c.rowLength() == RowLength.SEQUENCE ? n
                        : c.rowLength() == RowLength.VISIBLE ? visible : i + 1;
                tau *= c.rule().applyAsDouble(len);
            }
            if (c.rowTemperature() != null) {
                tau *= c.rowTemperature()[i];
            }
            double max = Double.NEGATIVE_INFINITY;
            for (int j = 0; j < n; j++) {
                if (c.visible(i, j)) {
                    double z = tau * (scores.get(i, j) - c.alibiSlope() * c.distance(i, j));
                    logits[i * n + j] = z;
                    max = Math.max(max, z);
                }
            }
            double sum = 0;
            for (int j = 0; j < n; j++) {
                if (c.visible(i, j)) {
                    sum += Math.exp(logits[i * n + j] - max);
                }
            }
            double h = 0;
            for (int j = 0; j < n; j++) {
                if (c.visible(i, j)) {
                    double p = Math.exp(logits[i * n + j] - max) / sum;
                    probs[i * n + j] = p;
                    if (p > 0) {
                        h -= p * Math.log(p);
                    }
                }
            }
            entropy[i] = h;
            lse[i] = max + Math.log(sum);
        }
        DMatrixRMaj pm = DMatrixRMaj.wrap(n, n, probs);
        DMatrixRMaj vm = toMatrix(v, n, dv);
        DMatrixRMaj om = new DMatrixRMaj(n, dv);
        CommonOps_DDRM.mult(pm, vm, om);
        return new Result(om.getData(), entropy, lse, probs, logits);
    }

    private static void ropeScores(Config c, DMatrixRMaj qm, DMatrixRMaj km, int n, int d, DMatrixRMaj out) {
        int half = d / 2;
        for (int i = 0; i < n; i++) {
            for (int j = 0; j < n; j++) {
                double acc = 0;
                int rel = c.relative(i, j);
                for (int m = 0; m < half; m++) {
                    int a = c.rope() == Rope.INTERLEAVED ? 2 * m : m;
                    int b = c.rope() == Rope.INTERLEAVED ? 2 * m + 1 : m + half;
                    double theta = Math.pow(c.ropeBase(), -2.0 * m / d);
                    double qa = qm.get(i, a);
                    double qb = qm.get(i, b);
                    double ka = km.get(j, a);
                    double kb = km.get(j, b);
                    double phi = rel * theta;
                    acc += (qa * ka + qb * kb) * Math.cos(phi) - (qb * ka - qa * kb) * Math.sin(phi);
                }
                out.set(i, j, acc);
            }
        }
    }

    private static DMatrixRMaj toMatrix(float[] x, int rows, int cols) {
        DMatrixRMaj m = new DMatrixRMaj(rows, cols);
        for (int i = 0; i < rows * cols; i++) {
            float f = x[i];
            if (!Float.isFinite(f)) {
                throw new IllegalArgumentException("input must be finite, got " + f + " at index " + i);
            }
            m.data[i] = f;
        }
        return m;
    }

    /** Unit rows; a zero row stays zero (cosine 0 with everything, as the kernels define it). */
    private static void normaliseRows(DMatrixRMaj m) {
        for (int r = 0; r < m.numRows; r++) {
            double ss = 0;
            for (int c = 0; c < m.numCols; c++) {
                ss += m.get(r, c) * m.get(r, c);
            }
            double inv = ss > 0 ? 1.0 / Math.sqrt(ss) : 0.0;
            for (int c = 0; c < m.numCols; c++) {
                m.set(r, c, m.get(r, c) * inv);
            }
        }
    }
}
