package org.isentropic.kernels.spec;

import java.util.Arrays;
import java.util.Objects;
import java.util.function.IntToDoubleFunction;
import org.isentropic.base.LogitKind;

/**
 * Everything that defines one attention computation apart from its tensors: the logit kind, the
 * temperature of each query row, the position scheme and the mask. Immutable; the {@code with*} methods
 * return copies. For row i of a sequence of n tokens and key j the logit is
 *
 * <pre>
 *   z_ij = f_i * ( c * g * base_ij + bias_ij )       (visible keys only)
 *   base_ij = q'_i . k'_j            c = 1/sqrt(d)  for DOT
 *                                    c = s          for COSINE (q, k normalised before rotation)
 *   g       = the position scheme's logit factor (YaRN's (0.1 ln s + 1)^2, else 1)
 *   bias_ij = -slope * |i - j|  for ALiBi (distance capped by LM-Infinite's mask), else 0
 *   f_i     = perRow[i] * rule(n_i)   (each factor 1 when not given),
 *             or lambda_i solved per row under an isentropic target ({@link #withIsentropic})
 * </pre>
 *
 * where q', k' are rotated as {@link Positions} says and n_i is chosen by {@link NMode}. The temperature
 * multiplies the whole logit, ALiBi bias included, as the reference implementation does (docs/method.md,
 * the reference code's quirks). Row entropy H_i = logsumexp(z_i) - sum_j p_ij z_ij in nats (docs/method.md).
 */
public final class AttentionSpec {

    private final LogitKind kind;
    private final double cosScale;
    private final float[] temperatures;
    private final IntToDoubleFunction rule;
    private final NMode nMode;
    private final Positions positions;
    private final Mask mask;
    private final IsentropicTarget isentropic;

    private AttentionSpec(LogitKind kind, double cosScale, float[] temperatures, IntToDoubleFunction rule,
                          NMode nMode, Positions positions, Mask mask) {
        this(kind, cosScale, temperatures, rule, nMode, positions, mask, null);
    }

    private AttentionSpec(LogitKind kind, double cosScale, float[] temperatures, IntToDoubleFunction rule,
                          NMode nMode, Positions positions, Mask mask, IsentropicTarget isentropic) {
        this.kind = kind;
        this.cosScale = cosScale;
        this.temperatures = temperatures;
        this.rule = rule;
        this.nMode = nMode;
        this.positions = positions;
        this.mask = mask;
        this.isentropic = isentropic;
    }

    /** Scaled dot product q . k / sqrt(d), no temperature, no positions, bidirectional. */
    public static AttentionSpec dot() {
        return new AttentionSpec(LogitKind.DOT, 0, null, null, NMode.SEQUENCE, Positions.none(), Mask.full());
    }

    /**
     * Cosine attention s * cos(q, k) (CosScale). A zero vector has cosine 0 with everything.
     *
     * @param s the scale, finite and &gt; 0 (the paper's checkpoints use 128)
     */
    public static AttentionSpec cosine(double s) {
        if (!(s > 0) || Double.isInfinite(s)) {
            throw new IllegalArgumentException("cosine scale s must be finite and > 0, got " + s);
        }
        return new AttentionSpec(LogitKind.COSINE, s, null, null, NMode.SEQUENCE, Positions.none(), Mask.full());
    }

    /**
     * A temperature factor per query row (multiplies the row's logits); length must equal n at attend.
     *
     * @param perRow finite factors &gt; 0 (copied)
     */
    public AttentionSpec withTemperature(float[] perRow) {
        Objects.requireNonNull(perRow, "perRow");
        noTarget();
        for (int i = 0; i < perRow.length; i++) {
            if (!(perRow[i] > 0) || Float.isInfinite(perRow[i])) {
                throw new IllegalArgumentException("temperature[" + i + "] must be finite and > 0, got " + perRow[i]);
            }
        }
        return new AttentionSpec(kind, cosScale, perRow.clone(), rule, nMode, positions, mask);
    }

    /**
     * A length-dependent temperature: row i's logits are multiplied by {@code rule.applyAsDouble(n_i)},
     * n_i chosen by {@code nMode}. The rule must give a finite positive factor for every n it is asked (0 is
     * accepted at n = 1, see {@link #rowFactor}).
     */
    public AttentionSpec withRule(IntToDoubleFunction rule, NMode nMode) {
        noTarget();
        return new AttentionSpec(kind, cosScale, temperatures, Objects.requireNonNull(rule, "rule"),
                Objects.requireNonNull(nMode, "nMode"), positions, mask);
    }

    public AttentionSpec withPositions(Positions p) {
        return new AttentionSpec(kind, cosScale, temperatures, rule, nMode, Objects.requireNonNull(p, "positions"), mask,
                isentropic);
    }

    public AttentionSpec withMask(Mask m) {
        return new AttentionSpec(kind, cosScale, temperatures, rule, nMode, positions, Objects.requireNonNull(m, "mask"),
                isentropic);
    }

    /**
     * Exactly isentropic attention: row i's temperature lambda_i is solved so that its entropy equals a
     * per-row target ({@link IsentropicTarget}); run it with
     * {@code AttentionKernels.isentropic}. It replaces every other temperature, so a spec with
     * a per-row temperature or a rule cannot take a target.
     */
    public AttentionSpec withIsentropic(IsentropicTarget target) {
        Objects.requireNonNull(target, "target");
        if (temperatures != null || rule != null) {
            throw new IllegalArgumentException("an isentropic target replaces the temperature: give no per-row "
                    + "temperature and no rule with it");
        }
        return new AttentionSpec(kind, cosScale, null, null, nMode, positions, mask, target);
    }

    private void noTarget() {
        if (isentropic != null) {
            throw new IllegalArgumentException("the spec has an isentropic target, which replaces the temperature");
        }
    }

    /** The isentropic target, or null. */
    public IsentropicTarget isentropic() {
        return isentropic;
    }

    /**
     * This spec without its isentropic target and with per-row temperatures {@code perRow} (no copy checks).
     * Internal: public only for the isentropic kernel (the isentropic package); not part of
     * the library's API.
     */
    public AttentionSpec solvedWith(float[] perRow) {
        return new AttentionSpec(kind, cosScale, perRow, null, nMode, positions, mask, null);
    }

    /**
     * This spec at factor 1 under {@code m}, without its isentropic target (the reference pass). Internal: public
     * only for the isentropic kernel (the isentropic package); not part of the library's API.
     */
    public AttentionSpec referenceWith(Mask m) {
        return new AttentionSpec(kind, cosScale, null, null, nMode, positions, m, null);
    }

    public LogitKind kind() {
        return kind;
    }

    /** CosScale's s (0 for DOT). */
    public double cosScale() {
        return cosScale;
    }

    /** A copy of the per-row temperatures, or null. */
    public float[] temperatures() {
        return temperatures == null ? null : temperatures.clone();
    }

    /** The length rule, or null. */
    public IntToDoubleFunction rule() {
        return rule;
    }

    public NMode nMode() {
        return nMode;
    }

    public Positions positions() {
        return positions;
    }

    public Mask mask() {
        return mask;
    }

    /** The n the rule sees for row i of n ({@link NMode}). */
    public int ruleLength(int i, int n) {
        switch (nMode) {
            case SEQUENCE: return n;
            case VISIBLE: return mask.visibleCount(i, n);
            case POSITION: return i + 1;
            default: throw new AssertionError(nMode);
        }
    }

    /**
     * The temperature f_i of row i of n (product of the per-row factor and the rule's factor).
     *
     * <p>At a rule length of 1 the rule may give 0: InfoScale, log-n and SSMax are 0 at n = 1 by their
     * formulas (sqrt(1 - 1^(-2/d)), ln 1, s ln 1). A row whose rule length is 1 then has logits 0: with one
     * visible key (sequence n = 1, the first row under a causal mask) its probability is 1 and its entropy 0
     * whatever the factor, and its logsumexp is the logit f_i z = 0. Any other length needs a factor &gt; 0.
     *
     * @throws IllegalArgumentException when the rule gives a non-finite factor, a negative one, or 0 at a
     *                                  length other than 1
     */
    public double rowFactor(int i, int n) {
        double f = temperatures == null ? 1.0 : temperatures[i];
        if (rule != null) {
            int len = ruleLength(i, n);
            double r = rule.applyAsDouble(len);
            boolean zeroAtOne = r == 0 && len == 1;
            if (!(r > 0 || zeroAtOne) || Double.isInfinite(r)) {
                throw new IllegalArgumentException("temperature rule gave " + r + " for n=" + len
                        + " (must be finite and > 0; 0 is allowed only at n=1)");
            }
            f *= r;
        }
        return f;
    }

    /** The scale c of the content logit: 1/sqrt(d) for DOT, s for COSINE. */
    public double contentScale(int d) {
        return kind == LogitKind.DOT ? 1.0 / Math.sqrt(d) : cosScale;
    }

    /**
     * The window W below which relative positions are exact (pairs with |i - j| &gt;= W use W - 1): the
     * smaller of ReRoPE's window and LM-Infinite's distance cap; MAX_VALUE when neither applies.
     */
    public int capWindow() {
        return Math.min(positions.capWindow(), mask.distanceCapWindow());
    }

    /**
     * Validates the spec against a call's sizes.
     *
     * @throws IllegalArgumentException naming the bad argument
     */
    public void check(int n, int d) {
        Checks.atLeastOne("n", n);
        Checks.atLeastOne("d", d);
        positions.checkEvenDimension(d);
        if (temperatures != null && temperatures.length != n) {
            throw new IllegalArgumentException("temperature length must equal n=" + n + ", got " + temperatures.length);
        }
    }

    @Override
    public String toString() {
        return "AttentionSpec[" + (kind == LogitKind.DOT ? "dot" : "cosine(s=" + cosScale + ")")
                + (temperatures != null ? ", perRowTemperature[" + temperatures.length + "]" : "")
                + (rule != null ? ", rule(" + rule + ", n=" + nMode + ")" : "")
                + (isentropic != null ? ", isentropic(" + isentropic + ")" : "")
                + ", positions=" + positions + ", mask=" + mask + "]";
    }

    @Override
    public boolean equals(Object o) {
        if (!(o instanceof AttentionSpec)) {
            return false;
        }
        AttentionSpec s = (AttentionSpec) o;
        return kind == s.kind && cosScale == s.cosScale && Arrays.equals(temperatures, s.temperatures)
                && Objects.equals(rule, s.rule) && nMode == s.nMode && positions.equals(s.positions)
                && mask.equals(s.mask) && Objects.equals(isentropic, s.isentropic);
    }

    @Override
    public int hashCode() {
        return Objects.hash(kind, cosScale, Arrays.hashCode(temperatures), rule, nMode, positions, mask, isentropic);
    }
}
