package org.isentropic.kernels.spec;

import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.function.Function;

/**
 * Position schemes of the paper's comparison (docs/method.md, the length-extrapolation methods). Rotary schemes rotate pairs of
 * query and key components: component pair m (m = 0 .. d/2 - 1) of the token at position p is rotated by
 * the angle {@code p * positionScale * theta_m}, {@code theta_m = base^(-2m/d)}, so the logit of a pair
 * depends on i - j only. Pairs are (2m, 2m+1) ("interleaved", GAU-alpha's convention) or (m, m + d/2)
 * ("half", Llama's convention, {@link #ropeHalf}).
 * <ul>
 *   <li>{@link #rope}: plain RoPE.</li>
 *   <li>{@link #pi}: position interpolation, positions divided by s = max(1, n/N).</li>
 *   <li>{@link #piReference}: the reference implementation's PI, which multiplies the angles by s (its bug,
 *       kept as a named option).</li>
 *   <li>{@link #ntk}: NTK-aware, base multiplied by s^(d/(d-2)).</li>
 *   <li>{@link #yarn}: NTK-by-parts, theta'_m = (1 - g_m) theta_m / s + g_m theta_m with the ramp
 *       g_m = clamp((r_m - 1) / (32 - 1), 0, 1), r_m = N theta_m / (2 pi) (beta_fast 32, beta_slow 1), plus
 *       the factor 0.1 ln s + 1 on both rotated q and k (so the logits are multiplied by its square).</li>
 *   <li>{@link #rerope}: inside the window (|i - j| &lt; w) the ordinary RoPE logit; outside it, the logit at
 *       relative position w - 1 (the query rotated by w - 1 against the unrotated key), on both sides.</li>
 *   <li>{@link #reropeReference}: as rerope, but outside the window the rotated query is laid out as the
 *       reference implementation does (all rotated even components, then all odd ones) and meets the key
 *       in the interleaved layout, so component m of one meets a different component of the other.</li>
 *   <li>{@link #alibi}: no rotation; the bias -slope |i - j| is added to the logit (after the 1/sqrt(d) or
 *       the cosine scale, before the temperature). The reference adds it before dividing by sqrt(d): pass
 *       slope / sqrt(d) to reproduce that (one head: 1/256 / sqrt(128)).</li>
 * </ul>
 * Here n is the sequence length of the call and N the training length; s = max(1, n / N), so nothing
 * changes at or below the training length.
 *
 * <p>The schemes a command or an experiment selects by name are in {@link #VOCABULARY} and built by
 * {@link #parse}; each parameter name has one meaning ({@link Vocabulary#parameters()}).
 */
public record Positions(Scheme scheme, double base, int trainLength, int window, double slope) {

    private static final List<String> ROTARY = List.of("rope-base");
    private static final List<String> EXTENDED = List.of("rope-base", "train-length");
    private static final List<String> REROPE_PARAMETERS = List.of("rope-base", "window");
    /** The position schemes selectable by name (name, parameters, one-line description, help), in help order. */
    public static final Vocabulary<Positions> VOCABULARY = new Vocabulary<>("position", List.of(
            new SchemeEntry<>("none", List.of(), "no position information", a -> none()),
            new SchemeEntry<>("rope", ROTARY, "RoPE over interleaved pairs (2m, 2m+1)", a -> rope(a.real("rope-base"))),
            new SchemeEntry<>("rope-half", ROTARY, "RoPE over half-split pairs (m, m + d/2), Llama's layout",
                    a -> ropeHalf(a.real("rope-base"))),
            new SchemeEntry<>("pi", EXTENDED, "position interpolation: positions divided by s = max(1, n/N)",
                    a -> pi(a.real("rope-base"), a.integer("train-length"))),
            new SchemeEntry<>("pi-reference", EXTENDED, "the reference code's PI: angles multiplied by s",
                    a -> piReference(a.real("rope-base"), a.integer("train-length"))),
            new SchemeEntry<>("ntk", EXTENDED, "NTK-aware: base multiplied by s^(d/(d-2))",
                    a -> ntk(a.real("rope-base"), a.integer("train-length"))),
            new SchemeEntry<>("yarn", EXTENDED, "YaRN: NTK-by-parts frequencies, logits times (0.1 ln s + 1)^2",
                    a -> yarn(a.real("rope-base"), a.integer("train-length"))),
            new SchemeEntry<>("rerope", REROPE_PARAMETERS,
                    "ReRoPE: RoPE for |i - j| < W, relative position W - 1 for every farther pair",
                    a -> rerope(a.real("rope-base"), a.integer("window"))),
            new SchemeEntry<>("rerope-reference", REROPE_PARAMETERS,
                    "the reference code's ReRoPE (halves layout against interleaved beyond the window)",
                    a -> reropeReference(a.real("rope-base"), a.integer("window"))),
            new SchemeEntry<>("alibi", List.of("slope"), "ALiBi: bias -m |i - j| added to the logit",
                    a -> alibi(a.real("slope")))),
            Map.of(
                    "rope-base", "B > 1: rotary base, theta_m = B^(-2m/d)",
                    "train-length", "N >= 1: training length, s = max(1, n/N)",
                    "window", "W >= 1: pairs with |i - j| < W keep their relative position, farther pairs use W - 1",
                    "slope", "m >= 0: ALiBi slope"));

    /**
     * The registered scheme called {@code name} (case-insensitive) with its parameters from {@code values}
     * (null for a parameter not given; parameters the scheme does not read are not consulted).
     *
     * @throws IllegalArgumentException for an unknown name ("position: unknown value ..."), a required
     *                                  parameter missing or a parameter out of range (the message starts with
     *                                  its name)
     */
    public static Positions parse(String name, Function<String, ? extends Number> values) {
        return VOCABULARY.parse(name, values);
    }

    /** The position-scheme families. */
    public enum Scheme { NONE, ROPE, ROPE_HALF, PI, PI_REFERENCE, NTK, YARN, REROPE, REROPE_REFERENCE, ALIBI }

    private static final double YARN_BETA_FAST = 32.0;
    private static final double YARN_BETA_SLOW = 1.0;

    /**
     * A scheme with its parameters; the factories below are the readable way to build one. Parameters the scheme
     * does not read must be 0, so that two equal schemes are equal records.
     *
     * @param scheme      the family
     * @param base        rotary base, finite and &gt; 1, for every rotary scheme
     * @param trainLength the training length N &gt;= 1 for pi, pi-reference, ntk and yarn
     * @param window      ReRoPE's window W &gt;= 1 for rerope and rerope-reference
     * @param slope       ALiBi's slope, finite and &gt;= 0, for alibi
     */
    public Positions {
        Objects.requireNonNull(scheme, "scheme");
        boolean rotary = scheme != Scheme.NONE && scheme != Scheme.ALIBI;
        boolean extended = scheme == Scheme.PI || scheme == Scheme.PI_REFERENCE || scheme == Scheme.NTK
                || scheme == Scheme.YARN;
        boolean rerope = scheme == Scheme.REROPE || scheme == Scheme.REROPE_REFERENCE;
        if (rotary ? !(base > 1) || Double.isInfinite(base) : base != 0) {
            throw new IllegalArgumentException("rope-base must be finite and > 1, got " + base);
        }
        if (extended ? trainLength < 1 : trainLength != 0) {
            throw new IllegalArgumentException("train-length must be >= 1, got " + trainLength);
        }
        if (rerope ? window < 1 : window != 0) {
            throw new IllegalArgumentException("window must be >= 1, got " + window);
        }
        if (scheme == Scheme.ALIBI ? !(slope >= 0) || Double.isInfinite(slope) : slope != 0) {
            throw new IllegalArgumentException("slope must be finite and >= 0, got " + slope);
        }
    }

    /** No position information (the logit depends on content only). */
    public static Positions none() {
        return new Positions(Scheme.NONE, 0, 0, 0, 0);
    }

    /** RoPE over interleaved pairs (2m, 2m+1). @param base rotary base, &gt; 1 (10000 in GAU-alpha) */
    public static Positions rope(double base) {
        return new Positions(Scheme.ROPE, base, 0, 0, 0);
    }

    /** RoPE over the half-split pairs (m, m + d/2). @param base rotary base, &gt; 1 */
    public static Positions ropeHalf(double base) {
        return new Positions(Scheme.ROPE_HALF, base, 0, 0, 0);
    }

    /** Position interpolation: positions divided by max(1, n / trainLength). */
    public static Positions pi(double base, int trainLength) {
        return new Positions(Scheme.PI, base, trainLength, 0, 0);
    }

    /** The reference implementation's PI: angles multiplied by max(1, n / trainLength). */
    public static Positions piReference(double base, int trainLength) {
        return new Positions(Scheme.PI_REFERENCE, base, trainLength, 0, 0);
    }

    /** NTK-aware scaling: base multiplied by s^(d/(d-2)), s = max(1, n / trainLength). */
    public static Positions ntk(double base, int trainLength) {
        return new Positions(Scheme.NTK, base, trainLength, 0, 0);
    }

    /** YaRN: NTK-by-parts frequencies plus the factor 0.1 ln s + 1 on rotated q and k. */
    public static Positions yarn(double base, int trainLength) {
        return new Positions(Scheme.YARN, base, trainLength, 0, 0);
    }

    /**
     * ReRoPE with window w: RoPE for pairs with |i - j| &lt; w, relative position w - 1 for every farther pair.
     *
     * @param window w &gt;= 1 (w = 1: every pair off the diagonal is at relative position 0)
     */
    public static Positions rerope(double base, int window) {
        return new Positions(Scheme.REROPE, base, 0, window, 0);
    }

    /** The reference implementation's ReRoPE (layout mismatch outside the window, see class comment). */
    public static Positions reropeReference(double base, int window) {
        return new Positions(Scheme.REROPE_REFERENCE, base, 0, window, 0);
    }

    /** ALiBi: bias -slope |i - j| added to the logit. @param slope finite, &gt;= 0 (one head: 1/256) */
    public static Positions alibi(double slope) {
        return new Positions(Scheme.ALIBI, 0, 0, 0, slope);
    }

    /** Whether q and k are rotated (every scheme except NONE and ALIBI). */
    public boolean isRotary() {
        return scheme != Scheme.NONE && scheme != Scheme.ALIBI;
    }

    /** Whether the rotated pairs are (m, m + d/2) rather than (2m, 2m+1). */
    public boolean isHalfSplit() {
        return scheme == Scheme.ROPE_HALF;
    }

    /** The relative-position window W of ReRoPE (pairs with |i-j| &gt;= W use W - 1); MAX_VALUE if none. */
    public int capWindow() {
        return scheme == Scheme.REROPE || scheme == Scheme.REROPE_REFERENCE ? window : Integer.MAX_VALUE;
    }

    /** Whether outside the cap window the rotated query is permuted to the reference's halves layout. */
    public boolean isReferenceLayoutOutside() {
        return scheme == Scheme.REROPE_REFERENCE;
    }

    /** s = max(1, n / N) for the schemes with a training length; 1 otherwise. */
    public double extension(int n) {
        return trainLength == 0 ? 1.0 : Math.max(1.0, (double) n / trainLength);
    }

    /** The factor that multiplies positions before the angles are formed, for a sequence of n tokens. */
    public double positionScale(int n) {
        switch (scheme) {
            case PI: return 1.0 / extension(n);
            case PI_REFERENCE: return extension(n);
            default: return 1.0;
        }
    }

    /** The factor on every logit that the scheme adds: YaRN's (0.1 ln s + 1)^2, 1 for the others. */
    public double logitFactor(int n) {
        if (scheme != Scheme.YARN) {
            return 1.0;
        }
        double m = 0.1 * Math.log(extension(n)) + 1.0;
        return m * m;
    }

    /**
     * The angular frequencies theta'_m (m = 0 .. d/2 - 1) for head dimension d and sequence length n.
     *
     * @param d even head dimension, &gt;= 2
     */
    public double[] frequencies(int d, int n) {
        if (!isRotary()) {
            throw new IllegalStateException("scheme " + id() + " has no rotary frequencies");
        }
        checkEvenDimension(d);
        int half = d / 2;
        double[] theta = new double[half];
        double s = extension(n);
        double b = base;
        if (scheme == Scheme.NTK && d > 2) {
            b = base * Math.pow(s, (double) d / (d - 2));
        }
        for (int m = 0; m < half; m++) {
            double t = Math.pow(b, -2.0 * m / d);
            if (scheme == Scheme.YARN) {
                double r = trainLength * t / (2 * Math.PI);
                double g = Math.min(1.0, Math.max(0.0, (r - YARN_BETA_SLOW) / (YARN_BETA_FAST - YARN_BETA_SLOW)));
                t = (1 - g) * t / s + g * t;
            }
            theta[m] = t;
        }
        return theta;
    }

    /** Throws unless d is even and positive (rotary schemes rotate pairs). */
    public void checkEvenDimension(int d) {
        if (isRotary() && (d < 2 || d % 2 != 0)) {
            throw new IllegalArgumentException("d must be even under " + id() + " positions, got " + d);
        }
    }

    /**
     * Rotates one vector in place: pair m by the angle {@code position * theta[m]}. The one RoPE
     * implementation of the kernels; both conventions.
     *
     * @param x        d values, rotated in place
     * @param position the (already scaled) position
     * @param theta    d/2 frequencies from {@link #frequencies}
     * @param half     pairs (m, m + d/2) when true, (2m, 2m+1) when false
     */
    public static void rotate(double[] x, int d, double position, double[] theta, boolean half) {
        int h = d / 2;
        for (int m = 0; m < h; m++) {
            double a = position * theta[m];
            double c = Math.cos(a);
            double s = Math.sin(a);
            int i0 = half ? m : 2 * m;
            int i1 = half ? m + h : 2 * m + 1;
            double x0 = x[i0];
            double x1 = x[i1];
            x[i0] = x0 * c - x1 * s;
            x[i1] = x0 * s + x1 * c;
        }
    }

    /** Permutes interleaved pairs into the halves layout: out = (x0, x2, x4, ..., x1, x3, ...). */
    public static void toHalvesLayout(double[] x, int d, double[] out) {
        int h = d / 2;
        for (int m = 0; m < h; m++) {
            out[m] = x[2 * m];
            out[h + m] = x[2 * m + 1];
        }
    }

    /** The command-line name: none, rope, rope-half, pi, pi-reference, ntk, yarn, rerope, rerope-reference, alibi. */
    public String id() {
        return scheme.name().toLowerCase(Locale.ROOT).replace('_', '-');
    }

    @Override
    public String toString() {
        switch (scheme) {
            case NONE: return "none";
            case ROPE: case ROPE_HALF: return id() + "(" + base + ")";
            case PI: case PI_REFERENCE: case NTK: case YARN: return id() + "(" + base + ", N=" + trainLength + ")";
            case REROPE: case REROPE_REFERENCE: return id() + "(" + base + ", w=" + window + ")";
            case ALIBI: return "alibi(" + slope + ")";
            default: throw new AssertionError(scheme);
        }
    }
}
