package org.isentropic.experiments.eval;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.isentropic.experiments.corpus.CharVocabulary;

/**
 * The test (and calibration) streams of the length-extrapolation protocol (docs/method.md, the experiment), and the
 * targets scored on them.
 *
 * <p>Streams: for the v1 and d128 families (Europarl, short documents), held-out documents concatenated in source
 * order, one space between documents, each document used once, until a stream holds {@code length} characters
 * ({@link #build}); for v3 (long documents), consecutive pieces of one document each ({@link #withinDocuments}). No
 * text repeats inside or across streams (no tiling).
 *
 * <p>Masks and targets (v3 protocol): every character at a stream position p with {@code p % 8 == 4} is replaced by
 * {@code [MASK]} in every window at every length, so the mask density is 12.5 % (near the training rate of 15 %)
 * at every n and everywhere in the window. The scored targets are the masked positions of the central band
 * {@code [c - B/2, c + B/2)}, c = length / 2, B = min({@value #BAND}, length): 128 targets per stream (16 groups of
 * 8 per 64 characters), the same characters at every n. At length n >= B one window {@code [c - n/2, c + n/2)}
 * scores them all; at n < B the band is cut into B / n consecutive windows of n, each scoring the targets inside
 * it (at n = N = 64 these are exactly the band's 16 blocks of 64, each with 8 targets at positions 4, 12, ..., 60,
 * the design of the d128 protocol at N). One forward pass per window scores all of its targets.
 */
public final class Streams {

    /** Every {@value}-th character is masked (at stream positions p with p % MASK_EVERY == MASK_OFFSET). */
    public static final int MASK_EVERY = 8;
    /** Offset of the masked positions within each {@link #MASK_EVERY} characters. */
    public static final int MASK_OFFSET = 4;
    /** Width of the central band holding the scored targets (at most the stream length). */
    public static final int BAND = 1024;
    /** The shortest evaluation length (N of the checkpoints); every length is a multiple of it. */
    public static final int REGION = 64;

    /** One stream: its tokens and the documents (indices into the source list, immutable) it was built from. */
    public record Stream(int[] tokens, List<Integer> documents) {
        public Stream {
            tokens = tokens.clone();
            documents = List.copyOf(documents);
        }

        @Override
        public int[] tokens() {
            return tokens.clone();
        }
    }

    private final List<Stream> streams;
    private final int length;
    /** Per stream, its character offset in its (first) document; empty for joined or tiled streams. */
    private final List<Integer> offsets;
    private final int skipped;

    private Streams(List<Stream> streams, int length, List<Integer> offsets, int skipped) {
        this.streams = List.copyOf(streams);
        this.length = length;
        this.offsets = List.copyOf(offsets);
        this.skipped = skipped;
    }

    private Streams(List<Stream> streams, int length) {
        this(streams, length, List.of(), 0);
    }

    /** Character offset of stream s in its document ({@link #withinDocuments} streams only). */
    public int offset(int s) {
        return offsets.get(s);
    }

    /** Pieces {@link #withinDocuments} skipped because {@code keep} rejected them. */
    public int skipped() {
        return skipped;
    }

    /**
     * Builds up to {@code count} streams of {@code length} characters from {@code documents} (source order),
     * starting at document {@code first} and using every {@code stride}-th document (so that two disjoint
     * sets, e.g. test and calibration, come from interleaved documents of the same split).
     *
     * @throws IllegalArgumentException when fewer than {@code count} streams can be built, or length is
     *     not a multiple of 16 or below {@value #REGION}
     */
    public static Streams build(List<String> documents, CharVocabulary vocab, int length, int count, int first,
            int stride) {
        checkStreamLength(length);
        if (count < 1 || first < 0 || stride < 1) {
            throw new IllegalArgumentException("count >= 1, first >= 0, stride >= 1 required, got " + count + ", "
                    + first + ", " + stride);
        }
        int space = vocab.id(' ');
        List<Stream> out = new ArrayList<>();
        int doc = first;
        while (out.size() < count && doc < documents.size()) {
            int[] buf = new int[length];
            int filled = 0;
            List<Integer> used = new ArrayList<>();
            while (filled < length && doc < documents.size()) {
                if (filled > 0) {
                    buf[filled++] = space;
                    if (filled == length) {
                        break;
                    }
                }
                int[] t = vocab.encode(documents.get(doc));
                int take = Math.min(t.length, length - filled);
                System.arraycopy(t, 0, buf, filled, take);
                filled += take;
                used.add(doc);
                doc += stride;
            }
            if (filled == length) {
                out.add(new Stream(buf, used));
            }
        }
        if (out.size() < count) {
            throw new IllegalArgumentException("the held-out documents give only " + out.size() + " streams of "
                    + length + " characters, " + count + " requested");
        }
        return new Streams(out, length);
    }

    /**
     * The v3 rule for corpora of long documents: each document, in order, cut from its start into consecutive,
     * non-overlapping pieces of {@code length} characters (a remainder shorter than {@code length} is dropped),
     * so that every stream is one stretch of one document; a piece that {@code keep} rejects (e.g. one that
     * shares a passage with the training text, {@code SharedText}) is skipped. Returns every piece kept when
     * {@code count} is 0, else {@code count} of them spread evenly over all kept pieces (piece {@code floor(i K /
     * count)} of the K kept, i = 0 .. count - 1), so that a subset samples every document, not the first ones.
     *
     * @throws IllegalArgumentException when fewer than {@code count} pieces are kept, or length is not a multiple
     *     of 16 or below {@value #REGION}
     */
    public static Streams withinDocuments(List<String> documents, CharVocabulary vocab, int length, int count,
            java.util.function.Predicate<int[]> keep) {
        checkStreamLength(length);
        if (count < 0) {
            throw new IllegalArgumentException("count must be >= 0, got " + count);
        }
        List<Stream> out = new ArrayList<>();
        List<Integer> offsets = new ArrayList<>();
        int skipped = 0;
        for (int d = 0; d < documents.size(); d++) {
            int[] t = vocab.encode(documents.get(d));
            for (int start = 0; start + length <= t.length; start += length) {
                int[] piece = Arrays.copyOfRange(t, start, start + length);
                if (keep.test(piece)) {
                    out.add(new Stream(piece, List.of(d)));
                    offsets.add(start);
                } else {
                    skipped++;
                }
            }
        }
        if (out.size() < Math.max(1, count)) {
            throw new IllegalArgumentException("the documents give only " + out.size() + " streams of " + length
                    + " characters (" + skipped + " skipped), " + Math.max(1, count) + " requested");
        }
        if (count == 0 || count == out.size()) {
            return new Streams(out, length, offsets, skipped);
        }
        List<Stream> spread = new ArrayList<>();
        List<Integer> spreadOffsets = new ArrayList<>();
        for (int i = 0; i < count; i++) {
            int k = (int) ((long) i * out.size() / count);
            spread.add(out.get(k));
            spreadOffsets.add(offsets.get(k));
        }
        return new Streams(spread, length, spreadOffsets, skipped);
    }

    /** {@link #withinDocuments(List, CharVocabulary, int, int, java.util.function.Predicate)} keeping every piece. */
    public static Streams withinDocuments(List<String> documents, CharVocabulary vocab, int length, int count) {
        return withinDocuments(documents, vocab, length, count, p -> true);
    }

    /**
     * The repeated protocol's streams ({@link Protocol#REPEATED}): document s tiled to {@code length}
     * characters (the document, a space, the document again, ...).
     */
    public static Streams tiled(List<String> documents, CharVocabulary vocab, int length) {
        int space = vocab.id(' ');
        List<Stream> out = new ArrayList<>();
        for (int d = 0; d < documents.size(); d++) {
            int[] t = vocab.encode(documents.get(d));
            int[] buf = new int[length];
            int i = 0;
            while (i < length) {
                int take = Math.min(t.length, length - i);
                System.arraycopy(t, 0, buf, i, take);
                i += take;
                if (i < length) {
                    buf[i++] = space;
                }
            }
            out.add(new Stream(buf, List.of(d)));
        }
        return new Streams(out, length);
    }

    public int size() {
        return streams.size();
    }

    /** Characters per stream (the largest evaluation length). */
    public int length() {
        return length;
    }

    public Stream stream(int s) {
        return streams.get(s);
    }

    /** The first {@code k} streams. */
    public Streams first(int k) {
        if (k < 1 || k > streams.size()) {
            throw new IllegalArgumentException("k must be in [1, " + streams.size() + "], got " + k);
        }
        return new Streams(streams.subList(0, k), length, offsets.isEmpty() ? offsets : offsets.subList(0, k), skipped);
    }

    /** Width of the central band of scored targets: min({@value #BAND}, length). */
    public int band() {
        return Math.min(BAND, length);
    }

    /** True when stream position p is masked. */
    public static boolean masked(int p) {
        return p % MASK_EVERY == MASK_OFFSET;
    }

    /** Stream positions of the scored targets (ascending): the masked positions of the central band. */
    public int[] targets() {
        int from = length / 2 - band() / 2;
        int[] p = new int[band() / MASK_EVERY];
        for (int t = 0; t < p.length; t++) {
            p[t] = from + MASK_OFFSET + MASK_EVERY * t;
        }
        return p;
    }

    /** Start offsets (in the stream) of the windows of length n that together score every target once. */
    public int[] windowStarts(int n) {
        checkLength(n);
        if (n >= band()) {
            return new int[] {length / 2 - n / 2};
        }
        int from = length / 2 - band() / 2;
        int[] starts = new int[band() / n];
        for (int i = 0; i < starts.length; i++) {
            starts[i] = from + i * n;
        }
        return starts;
    }

    /** Offset of the window of length n centred on the stream: {@code c - n/2} (calibration and probes). */
    public int windowStart(int n) {
        checkLength(n);
        return length / 2 - n / 2;
    }

    /** Indices (into {@link #targets}) of the targets inside the window [start, start + n). */
    public int[] targetIndices(int start, int n) {
        int[] t = targets();
        return java.util.stream.IntStream.range(0, t.length).filter(i -> t[i] >= start && t[i] < start + n).toArray();
    }

    /** Window positions of the targets inside the window [start, start + n), in target order. */
    public int[] targetsInWindow(int start, int n) {
        int[] t = targets();
        return Arrays.stream(targetIndices(start, n)).map(i -> t[i] - start).toArray();
    }

    /** The original tokens of stream s in the window [start, start + n) (no mask). */
    public int[] window(int s, int start, int n) {
        return Arrays.copyOfRange(streams.get(s).tokens, start, start + n);
    }

    /** The window [start, start + n) with every masked position replaced by [MASK]: the model's input. */
    public int[] maskedWindow(int s, int start, int n) {
        int[] w = window(s, start, n);
        for (int p = 0; p < n; p++) {
            if (masked(start + p)) {
                w[p] = CharVocabulary.MASK;
            }
        }
        return w;
    }

    /** The masked window of length n centred on stream s (calibration and probes). */
    public int[] maskedWindow(int s, int n) {
        return maskedWindow(s, windowStart(n), n);
    }

    /** The original target tokens of stream s (the same at every n). */
    public int[] targetTokens(int s) {
        int[] t = targets();
        int[] out = new int[t.length];
        for (int i = 0; i < t.length; i++) {
            out[i] = streams.get(s).tokens[t[i]];
        }
        return out;
    }

    private static void checkStreamLength(int length) {
        if (length < REGION || length % (2 * MASK_EVERY) != 0) {
            throw new IllegalArgumentException("stream length must be a multiple of " + 2 * MASK_EVERY + " and >= "
                    + REGION + ", got " + length);
        }
    }

    private void checkLength(int n) {
        if (n < REGION || n > length || n % MASK_EVERY != 0 || n < band() && band() % n != 0) {
            throw new IllegalArgumentException("evaluation length must be a multiple of " + MASK_EVERY + " in ["
                    + REGION + ", " + length + "] that divides " + band() + " when shorter, got " + n);
        }
    }
}
