package org.isentropic.benchmarks.attention;

import org.isentropic.benchmarks.Workloads;
import org.isentropic.kernels.AttentionKernels;
import org.isentropic.kernels.spec.AttentionOutput;
import org.isentropic.kernels.spec.AttentionSpec;
import org.isentropic.kernels.spec.Mask;
import org.isentropic.kernels.spec.NMode;
import org.isentropic.theory.rules.TemperatureRule;

/**
 * One attention problem of the benchmarks: seeded inputs q, k, v ~ N(0, 1) (n x d, dv = d, row-major
 * {@code q[i * d + c]}) and the {@link AttentionSpec} named by the benchmark parameters (logits
 * {@code dot|cosine}, rule {@code standard|infoscale}, mask {@code full|causal|windowW}).
 *
 * @param n      sequence length, >= 1
 * @param d      head dimension, >= 1 (dv = d in every benchmark)
 * @param maskId the mask parameter ({@code Workloads.mask})
 * @param logits {@code dot} or {@code cosine} (CosScale with s = {@code Workloads.COS_SCALE})
 * @param rule   {@code standard} or {@code infoscale} (theory's InfoScale with N =
 *               {@code Workloads.INFOSCALE_TRAIN_LENGTH} and the row's sequence length)
 * @param seed   the seed the inputs were drawn from (0 for given inputs)
 * @param spec   the spec the parameters name
 * @param q      n x d queries
 * @param k      n x d keys
 * @param v      n x d values
 */
public record AttentionCase(int n, int d, String maskId, String logits, String rule, long seed, AttentionSpec spec,
                            float[] q, float[] k, float[] v) {

    public AttentionCase {
        if (n < 1 || d < 1) {
            throw new IllegalArgumentException("n and d must be >= 1, got n=" + n + ", d=" + d);
        }
        if (q.length != n * d || k.length != n * d || v.length != n * d) {
            throw new IllegalArgumentException("q, k and v must hold n*d = " + n * d + " floats");
        }
    }

    /** The problem of the parameters on given inputs (n x d each; not copied). */
    private static AttentionCase on(int n, int d, String maskId, String logits, String rule, long seed, float[] q,
                                    float[] k, float[] v) {
        AttentionSpec s = switch (logits) {
            case "dot" -> AttentionSpec.dot();
            case "cosine" -> AttentionSpec.cosine(Workloads.COS_SCALE);
            default -> throw new IllegalArgumentException("logits must be dot or cosine, got " + logits);
        };
        s = switch (rule) {
            case "standard" -> s;
            case "infoscale" -> s.withRule(TemperatureRule.infoScale(Workloads.INFOSCALE_TRAIN_LENGTH, d),
                    NMode.SEQUENCE);
            default -> throw new IllegalArgumentException("rule must be standard or infoscale, got " + rule);
        };
        return new AttentionCase(n, d, maskId, logits, rule, seed, s.withMask(Workloads.mask(maskId)), q, k, v);
    }

    /**
     * A dot-product problem on given inputs (n x d each, dv = d; not copied), e.g. one head of a multi-head
     * benchmark.
     */
    public static AttentionCase dotOn(int n, int d, String mask, float[] q, float[] k, float[] v) {
        return on(n, d, mask, "dot", "standard", 0, q, k, v);
    }

    /** Dot-product logits, standard temperature. */
    public static AttentionCase dot(int n, int d, String mask, long seed) {
        return of(n, d, mask, "dot", "standard", seed);
    }

    /** The problem of the parameters on inputs drawn from the seed. */
    public static AttentionCase of(int n, int d, String mask, String logits, String rule, long seed) {
        return on(n, d, mask, logits, rule, seed, Workloads.gaussian(seed, 1, n, d), Workloads.gaussian(seed, 2, n, d),
                Workloads.gaussian(seed, 3, n, d));
    }

    /** The same kind of problem at another n (for checking a large case at a small size; seeded inputs). */
    public AttentionCase resized(int newN) {
        return of(newN, d, maskId, logits, rule, seed);
    }

    /** dv = d in every benchmark. */
    public int dv() {
        return d;
    }

    public Mask mask() {
        return spec.mask();
    }

    /**
     * The full logit multiplier of each row for the baselines, {@code f_i / sqrt(d)} (f_i the row's
     * temperature), so that {@code z_ij = rowScale[i] * (q_i . k_j)}; dot logits only.
     */
    public float[] rowScale() {
        if (!logits.equals("dot")) {
            throw new IllegalArgumentException("the baselines compute dot logits only, got " + logits);
        }
        float[] s = new float[n];
        for (int i = 0; i < n; i++) {
            s[i] = (float) (spec.rowFactor(i, n) * spec.contentScale(d));
        }
        return s;
    }

    /**
     * The largest |logit| the inputs allow (Cauchy-Schwarz): {@code max_i f_i * max|q_i| * max|k_j| / sqrt(d)}
     * for dot logits, {@code max_i f_i * s} for cosine logits. Used to scale the agreement tolerance.
     */
    public double logitBound() {
        double f = 0;
        for (int i = 0; i < n; i++) {
            f = Math.max(f, spec.rowFactor(i, n));
        }
        if (logits.equals("cosine")) {
            return f * Workloads.COS_SCALE;
        }
        return f * maxRowNorm(q) * maxRowNorm(k) / Math.sqrt(d);
    }

    private double maxRowNorm(float[] a) {
        double best = 0;
        for (int i = 0; i < n; i++) {
            double s = 0;
            for (int c = 0; c < d; c++) {
                s += (double) a[i * d + c] * a[i * d + c];
            }
            best = Math.max(best, Math.sqrt(s));
        }
        return best;
    }

    /** The reference kernel's result for this problem. */
    public AttentionOutput reference() {
        AttentionOutput out = AttentionOutput.allocate(n, dv(), false);
        AttentionKernels.reference().attend(spec, q, k, v, n, d, dv(), out);
        return out;
    }

    @Override
    public String toString() {
        return "n=" + n + ", d=" + d + ", mask=" + maskId + ", logits=" + logits + ", rule=" + rule;
    }
}
