package org.isentropic.kernels.spec;

import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.function.Function;

/**
 * Which keys j each query row i may attend to (docs/method.md, the length-extrapolation methods). Every mask is a union of a
 * <em>sink prefix</em> {@code [0, sinkEnd(i))} and a <em>band</em> {@code [bandLo(i), bandHi(i))}, so a
 * kernel can classify whole tiles from these bounds:
 * <ul>
 *   <li>{@link #full()}: every key (bidirectional).</li>
 *   <li>{@link #causal()}: keys j &lt;= i.</li>
 *   <li>{@link #window(int) window(w)}: keys with |i - j| &lt;= w ("windowed attention").</li>
 *   <li>{@link #streaming(int, int) streaming(k, N)} (StreamingLLM): keys with |i - j| &lt;= N - 1, plus the
 *       first k tokens as keys (every row sees them) and as rows (they see every key).</li>
 *   <li>{@link #lambda(int, int) lambda(k, N)} (LM-Infinite): the Lambda-shaped mask, keys with
 *       |i - j| &lt;= N - 1 plus the first k tokens as keys; and relative distances capped at N - 1: rotary
 *       logits of pairs with |i - j| &gt;= N use relative position N - 1 (the query rotated by N - 1 against
 *       the unrotated key, on both sides in the bidirectional case, as ReRoPE does), ALiBi distances are
 *       min(|i - j|, N - 1).</li>
 * </ul>
 * {@link #prefix(int) prefix(m)} is a key-padding mask: only keys j &lt; m are visible (with m = 0 every
 * row is fully masked).
 * {@link #band(int, int) band(b, a)}: keys with i - b &lt;= j &lt;= i + a (the reference sets of isentropic
 * attention).
 * {@link #andCausal()} intersects any mask with the causal one. The diagonal is visible under every mask,
 * so no row is ever fully masked by them (only {@code prefix(0)} masks every key); kernels still define that case (o = 0, entropy = 0,
 * logsumexp = -infinity).
 *
 * <p>The masks a command or an experiment selects by name are in {@link #VOCABULARY} and built by
 * {@link #parse}; each parameter name has one meaning ({@link Vocabulary#parameters()}): {@code window} W always means
 * keys with |i - j| &lt; W (distances 0 .. W - 1), {@code half-width} H keys with |i - j| &lt;= H.
 */
public record Mask(Kind kind, int sinks, int window, boolean isCausal, int after) {

    /** The masks selectable by name (name, parameters, one-line description, help), in help order. */
    public static final Vocabulary<Mask> VOCABULARY = new Vocabulary<>("mask", List.of(
            new SchemeEntry<>("full", List.of(), "every key (bidirectional)", a -> full()),
            new SchemeEntry<>("causal", List.of(), "keys j <= i", a -> causal()),
            new SchemeEntry<>("window", List.of("half-width"), "windowed attention, keys with |i - j| <= H",
                    a -> window(a.integer("half-width"))),
            new SchemeEntry<>("streaming", List.of("sinks=4", "window"),
                    "StreamingLLM: keys with |i - j| < W, plus the first K tokens as keys and as rows",
                    a -> streaming(a.integer("sinks"), a.integer("window"))),
            new SchemeEntry<>("lambda", List.of("sinks=5", "window"),
                    "LM-Infinite: keys with |i - j| < W plus the first K tokens as keys; distances capped at W - 1",
                    a -> lambda(a.integer("sinks"), a.integer("window")))),
            Map.of(
                    "half-width", "H >= 1: keys with |i - j| <= H are visible",
                    "sinks", "K >= 0: the first K tokens are keys every row sees",
                    "window", "W >= 1: keys with |i - j| < W are visible (distances 0 .. W - 1)"));

    /**
     * The registered mask called {@code name} (case-insensitive) with its parameters from {@code values}
     * (null for a parameter not given: its default, if it has one, applies; parameters the mask does not
     * read are not consulted).
     *
     * @throws IllegalArgumentException for an unknown name ("mask: unknown value ..."), a required parameter
     *                                  missing or a parameter out of range (the message starts with its name)
     */
    public static Mask parse(String name, Function<String, ? extends Number> values) {
        return VOCABULARY.parse(name, values);
    }

    /** The mask families. */
    public enum Kind { FULL, CAUSAL, WINDOW, STREAMING, LAMBDA, PREFIX, BAND }

    /**
     * A mask with its parameters; the factories below are the readable way to build one. Parameters the mask
     * does not read must be 0, so that two equal masks are equal records.
     *
     * @param kind   the family
     * @param sinks  sink tokens (STREAMING, LAMBDA; &gt;= 0) or the number of valid keys (PREFIX; &gt;= 0)
     * @param window the half-width H &gt;= 1 (WINDOW), the window W &gt;= 1 (STREAMING, LAMBDA) or the keys before
     *               the row (BAND; &gt;= 0)
     * @param isCausal whether no key j &gt; i is visible (the causal mask, or another intersected with it)
     * @param after  BAND only: keys after the row that are visible, &gt;= 0
     */
    public Mask {
        java.util.Objects.requireNonNull(kind, "kind");
        boolean local = kind == Kind.STREAMING || kind == Kind.LAMBDA;
        if (kind == Kind.WINDOW && window < 1) {
            throw new IllegalArgumentException("half-width must be >= 1, got " + window);
        }
        if (local && sinks < 0) {
            throw new IllegalArgumentException("sinks must be >= 0, got " + sinks);
        }
        if (local && window < 1) {
            throw new IllegalArgumentException("window must be >= 1, got " + window);
        }
        if (kind == Kind.PREFIX && sinks < 0) {
            throw new IllegalArgumentException("prefix count must be >= 0, got " + sinks);
        }
        if (kind == Kind.BAND && (window < 0 || after < 0)) {
            throw new IllegalArgumentException("band must have before >= 0 and after >= 0, got " + window + ", "
                    + after);
        }
        boolean readsSinks = local || kind == Kind.PREFIX;
        boolean readsWindow = local || kind == Kind.WINDOW || kind == Kind.BAND;
        if ((!readsSinks && sinks != 0) || (!readsWindow && window != 0) || (kind != Kind.BAND && after != 0)) {
            throw new IllegalArgumentException(kind + " mask does not read sinks/window/after, got " + sinks + ", "
                    + window + ", " + after);
        }
    }

    /** Bidirectional: every key is visible. */
    public static Mask full() {
        return new Mask(Kind.FULL, 0, 0, false, 0);
    }

    /** Causal: row i sees keys 0..i. */
    public static Mask causal() {
        return new Mask(Kind.CAUSAL, 0, 0, true, 0);
    }

    /**
     * Windowed attention: row i sees keys with |i - j| &lt;= w.
     *
     * @param w half-width, at least 1
     */
    public static Mask window(int w) {
        return new Mask(Kind.WINDOW, 0, w, false, 0);
    }

    /**
     * StreamingLLM: |i - j| &lt; window, plus the first {@code sinks} tokens as keys and as rows.
     *
     * @param sinks  number of attention sinks, at least 0 (the paper's comparison uses 4)
     * @param window the window N (the training length in the paper's comparison), at least 1
     */
    public static Mask streaming(int sinks, int window) {
        return new Mask(Kind.STREAMING, sinks, window, false, 0);
    }

    /**
     * LM-Infinite: Lambda-shaped mask (first {@code sinks} tokens as keys, plus |i - j| &lt; window)
     * and relative distances capped at window - 1 (see the class comment).
     *
     * @param sinks  number of global tokens, at least 0 (LM-Infinite uses 5)
     * @param window the local window N, at least 1
     */
    public static Mask lambda(int sinks, int window) {
        return new Mask(Kind.LAMBDA, sinks, window, false, 0);
    }

    /**
     * Key padding: row i sees keys j &lt; count only (count may exceed n; 0 masks every row fully).
     *
     * @param count number of valid keys, &gt;= 0
     */
    public static Mask prefix(int count) {
        return new Mask(Kind.PREFIX, count, 0, false, 0);
    }

    /**
     * An asymmetric band: row i sees keys j with i - before &lt;= j &lt;= i + after (clipped to the
     * sequence). The reference sets of isentropic attention ({@link IsentropicTarget}) are bands.
     *
     * @param before keys before the row, &gt;= 0
     * @param after  keys after the row, &gt;= 0
     */
    public static Mask band(int before, int after) {
        return new Mask(Kind.BAND, 0, before, false, after);
    }

    /** This mask intersected with the causal mask (keys j &lt;= i only). */
    public Mask andCausal() {
        return new Mask(kind, sinks, window, true, after);
    }

    /**
     * The relative-distance cap of LM-Infinite expressed as a window W: pairs with |i - j| &gt;= W are
     * treated as at distance W - 1. {@link Integer#MAX_VALUE} when the mask caps nothing.
     */
    public int distanceCapWindow() {
        return kind == Kind.LAMBDA ? window : Integer.MAX_VALUE;
    }

    /** End (exclusive) of the sink prefix of keys visible to row i of n. */
    public int sinkEnd(int i, int n) {
        if (kind != Kind.STREAMING && kind != Kind.LAMBDA && kind != Kind.PREFIX) {
            return 0;
        }
        int end = Math.min(sinks, n);
        return isCausal ? Math.min(end, i + 1) : end;
    }

    /** Start (inclusive) of the band of keys visible to row i of n. */
    public int bandLo(int i, int n) {
        switch (kind) {
            case FULL:
            case CAUSAL:
                return 0;
            case WINDOW:
                return Math.max(0, i - window);
            case STREAMING:
                return i < sinks ? 0 : Math.max(0, i - (window - 1));
            case LAMBDA:
                return Math.max(0, i - (window - 1));
            case PREFIX:
                return 0;
            case BAND:
                return Math.max(0, i - window);
            default:
                throw new AssertionError(kind);
        }
    }

    /** End (exclusive) of the band of keys visible to row i of n. */
    public int bandHi(int i, int n) {
        long hi;
        switch (kind) {
            case FULL:
            case CAUSAL:
                hi = n;
                break;
            case WINDOW:
                hi = (long) i + window + 1;
                break;
            case STREAMING:
                hi = i < sinks ? n : (long) i + window;
                break;
            case LAMBDA:
                hi = (long) i + window;
                break;
            case PREFIX:
                hi = 0;
                break;
            case BAND:
                hi = (long) i + after + 1;
                break;
            default:
                throw new AssertionError(kind);
        }
        if (isCausal) {
            hi = Math.min(hi, i + 1L);
        }
        return (int) Math.min(hi, n);
    }

    /** Whether key j is visible to row i in a sequence of n tokens. */
    public boolean visible(int i, int j, int n) {
        return j < sinkEnd(i, n) || (j >= bandLo(i, n) && j < bandHi(i, n));
    }

    /** The number of keys visible to row i of n (the n of {@link NMode#VISIBLE}). */
    public int visibleCount(int i, int n) {
        int s = sinkEnd(i, n);
        int lo = bandLo(i, n);
        int hi = bandHi(i, n);
        int band = Math.max(0, hi - lo);
        int overlap = Math.max(0, Math.min(s, hi) - lo);
        return s + band - overlap;
    }

    /** The command-line name of the family: full, causal, window, streaming, lambda, prefix, band. */
    public String id() {
        return kind.name().toLowerCase(java.util.Locale.ROOT);
    }

    @Override
    public String toString() {
        String base;
        switch (kind) {
            case WINDOW: base = "window(" + window + ")"; break;
            case STREAMING: base = "streaming(" + sinks + ", " + window + ")"; break;
            case LAMBDA: base = "lambda(" + sinks + ", " + window + ")"; break;
            case PREFIX: base = "prefix(" + sinks + ")"; break;
            case BAND: base = "band(" + window + ", " + after + ")"; break;
            default: base = id();
        }
        return isCausal && kind != Kind.CAUSAL ? base + "+causal" : base;
    }
}
