package org.isentropic.kernels.spec;

import java.util.List;

/**
 * The results of one attention call, in caller-owned arrays that kernels overwrite (allocate once, reuse):
 * <ul>
 *   <li>{@code o()}: n x dv, row-major {@code o[i*dv + c] = sum_j p_ij v[j*dv + c]}.</li>
 *   <li>{@code entropy()}: per row, H_i = logsumexp(z_i) - sum_j p_ij z_ij, in nats, &gt;= 0.</li>
 *   <li>{@code logSumExp()}: per row, ln sum_j exp(z_ij) over visible keys.</li>
 *   <li>{@code probs()}: n x n, {@code probs[i*n + j] = p_ij} (0 for masked keys), only when requested
 *       (meant for small n).</li>
 *   <li>{@code mass()}: n x R, {@code mass[i*R + r] = sum over key range r of p_ij}, when key ranges are
 *       given.</li>
 *   <li>{@code isentropic()}: per row the target entropy, the solved temperature and the solver's
 *       iterations, after a call of exactly isentropic attention
 *       ({@code IsentropicKernel}).</li>
 * </ul>
 * A row with no visible key has o = 0, entropy = 0, logsumexp = -infinity, probabilities and mass 0.
 */
public final class AttentionOutput {

    private final int n;
    private final int dv;
    private final float[] o;
    private final float[] entropy;
    private final float[] logSumExp;
    private final float[] probs;
    private final List<KeyRange> ranges;
    private final float[] mass;
    private IsentropicRows isentropic;

    private AttentionOutput(int n, int dv, boolean withProbs, List<KeyRange> ranges) {
        Checks.atLeastOne("n", n);
        Checks.atLeastOne("dv", dv);
        if (withProbs && (long) n * n > Integer.MAX_VALUE - 8) {
            throw new IllegalArgumentException("n too large for a probability matrix: " + n);
        }
        this.n = n;
        this.dv = dv;
        this.o = new float[Math.multiplyExact(n, dv)];
        this.entropy = new float[n];
        this.logSumExp = new float[n];
        this.probs = withProbs ? new float[n * n] : null;
        this.ranges = List.copyOf(ranges);
        this.mass = this.ranges.isEmpty() ? null : new float[Math.multiplyExact(n, this.ranges.size())];
    }

    /** Output arrays for n rows of dv values; the n x n probability matrix only if {@code withProbs}. */
    public static AttentionOutput allocate(int n, int dv, boolean withProbs) {
        return new AttentionOutput(n, dv, withProbs, List.of());
    }

    /**
     * As {@link #allocate(int, int, boolean)}, also collecting the attention mass on each key range
     * (ranges reaching past n are clipped to n at attend time).
     */
    public static AttentionOutput allocate(int n, int dv, boolean withProbs, List<KeyRange> ranges) {
        return new AttentionOutput(n, dv, withProbs, ranges);
    }

    public int n() {
        return n;
    }

    public int dv() {
        return dv;
    }

    public float[] o() {
        return o;
    }

    public float[] entropy() {
        return entropy;
    }

    public float[] logSumExp() {
        return logSumExp;
    }

    /** The n x n probabilities, or null when not requested. */
    public float[] probs() {
        return probs;
    }

    public List<KeyRange> keyRanges() {
        return ranges;
    }

    /** n x R attention mass per key range, or null when no ranges were given. */
    public float[] mass() {
        return mass;
    }

    /** What the isentropic solver did per row in the last isentropic call into this output, or null. */
    public IsentropicRows isentropic() {
        return isentropic;
    }

    /**
     * Records what the isentropic solver did per row. Internal: public only for the isentropic kernel
     * (the isentropic package); not part of the library's API.
     */
    public void recordIsentropic(float[] target, float[] lambda, int[] iterations, int clamped, int unconverged,
            int passes) {
        isentropic = new IsentropicRows(target, lambda, iterations, clamped, unconverged, passes);
    }

    /**
     * Throws unless this output fits a call with n rows and dv value columns. Internal: public only for the
     * multi-head kernel (the fused package); not part of the library's API.
     */
    public void checkFits(int n, int dv) {
        if (this.n != n || this.dv != dv) {
            throw new IllegalArgumentException("output was allocated for n=" + this.n + ", dv=" + this.dv
                    + " but the call has n=" + n + ", dv=" + dv);
        }
    }
}
