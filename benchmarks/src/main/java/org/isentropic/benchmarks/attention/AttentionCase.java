package org.isentropic.benchmarks.attention;

import org.isentropic.benchmarks.Workloads;
import org.isentropic.kernels.AttentionKernels;
import org.isentropic.kernels.AttentionOutput;
import org.isentropic.kernels.AttentionSpec;
import org.isentropic.kernels.Mask;
import org.isentropic.kernels.NMode;

/**
 * One attention problem of the benchmarks: seeded inputs q, k, v ~ N(0, 1) (n x d, dv = d) and the
 * {@link AttentionSpec} named by the benchmark parameters (logits {@code dot|cosine}, rule
 * {@code standard|infoscale}, mask {@code bidirectional|causal|windowW}).
 */
public final class AttentionCase {

    private final int n;
    private final int d;
    private final String maskId;
    private final String logits;
    private final String rule;
    private final long seed;
    private final AttentionSpec spec;
    private final float[] q;
    private final float[] k;
    private final float[] v;

    private AttentionCase(int n, int d, String maskId, String logits, String rule, long seed) {
        this(n, d, maskId, logits, rule, seed, Workloads.gaussian(seed, 1, n, d), Workloads.gaussian(seed, 2, n, d),
                Workloads.gaussian(seed, 3, n, d));
    }

    private AttentionCase(int n, int d, String maskId, String logits, String rule, long seed, float[] q, float[] k,
                          float[] v) {
        if (n < 1) {
            throw new IllegalArgumentException("n must be >= 1, got " + n);
        }
        if (d < 1) {
            throw new IllegalArgumentException("d must be >= 1, got " + d);
        }
        this.n = n;
        this.d = d;
        this.maskId = maskId;
        this.logits = logits;
        this.rule = rule;
        this.seed = seed;
        AttentionSpec s;
        switch (logits) {
            case "dot": s = AttentionSpec.dot(); break;
            case "cosine": s = AttentionSpec.cosine(Workloads.COS_SCALE); break;
            default: throw new IllegalArgumentException("logits must be dot or cosine, got " + logits);
        }
        switch (rule) {
            case "standard": break;
            case "infoscale": s = s.withRule(Workloads.infoScale(d), NMode.SEQUENCE); break;
            default: throw new IllegalArgumentException("rule must be standard or infoscale, got " + rule);
        }
        this.spec = s.withMask(Workloads.mask(maskId));
        if (q.length != n * d || k.length != n * d || v.length != n * d) {
            throw new IllegalArgumentException("q, k and v must hold n*d = " + n * d + " floats");
        }
        this.q = q;
        this.k = k;
        this.v = v;
    }

    /**
     * A dot-product problem on given inputs (n x d each, dv = d; not copied), e.g. one head of a multi-head
     * benchmark.
     */
    public static AttentionCase dotOn(int n, int d, String mask, float[] q, float[] k, float[] v) {
        return new AttentionCase(n, d, mask, "dot", "standard", 0, q, k, v);
    }

    /** Dot-product logits, standard temperature. */
    public static AttentionCase dot(int n, int d, String mask, long seed) {
        return new AttentionCase(n, d, mask, "dot", "standard", seed);
    }

    public static AttentionCase of(int n, int d, String mask, String logits, String rule, long seed) {
        return new AttentionCase(n, d, mask, logits, rule, seed);
    }

    /** The same kind of problem at another n (for checking a large case at a small size; seeded inputs). */
    public AttentionCase resized(int newN) {
        return new AttentionCase(newN, d, maskId, logits, rule, seed);
    }

    public int n() {
        return n;
    }

    public int d() {
        return d;
    }

    /** dv = d in every benchmark. */
    public int dv() {
        return d;
    }

    public AttentionSpec spec() {
        return spec;
    }

    public Mask mask() {
        return spec.mask();
    }

    public float[] q() {
        return q;
    }

    public float[] k() {
        return k;
    }

    public float[] v() {
        return v;
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
