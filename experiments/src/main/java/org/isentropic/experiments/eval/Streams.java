package org.isentropic.experiments.eval;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.isentropic.experiments.corpus.CharVocabulary;

/**
 * The test (and calibration) streams of the length-extrapolation protocol (docs/method.md, the experiment): held-out
 * documents concatenated in source order, one space between documents, each document used once, until a
 * stream holds at least {@code length} characters; the stream is then cut to exactly {@code length}. No
 * text repeats inside or across streams (no tiling).
 *
 * <p>Targets: {@value #TARGETS} characters at fixed offsets around the stream's centre
 * {@code c = length / 2}: {@code c - 32 + 4 + 8 t}, t = 0..7 (every 8th character of the central 64). At
 * evaluation length n the window is {@code [c - n/2, c + n/2)}: the same target characters at every n, each
 * with the same surroundings (the window grows by the same amount on both sides); the targets sit at
 * window positions {@code n/2 - 28 + 8 t}. All targets are replaced by {@code [MASK]} at once, which masks
 * 12.5 % of the central 64 characters, near the training rate of 15 %; the rest of the window is unmasked.
 * One forward pass per stream and length scores all of them.
 */
public final class Streams {

    /** Targets per stream. */
    public static final int TARGETS = 8;
    /** Width of the central region holding the targets; the shortest evaluation length. */
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

    private Streams(List<Stream> streams, int length) {
        this.streams = List.copyOf(streams);
        this.length = length;
    }

    /**
     * Builds up to {@code count} streams of {@code length} characters from {@code documents} (source order),
     * starting at document {@code first} and using every {@code stride}-th document (so that two disjoint
     * sets, e.g. test and calibration, come from interleaved documents of the same split).
     *
     * @throws IllegalArgumentException when fewer than {@code count} streams can be built, or length is
     *     odd or below {@value #REGION}
     */
    public static Streams build(List<String> documents, CharVocabulary vocab, int length, int count, int first,
            int stride) {
        if (length < REGION || length % 2 != 0) {
            throw new IllegalArgumentException("stream length must be even and >= " + REGION + ", got " + length);
        }
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
        return new Streams(streams.subList(0, k), length);
    }

    /** Stream positions of the targets (ascending). */
    public int[] targets() {
        int c = length / 2;
        int[] p = new int[TARGETS];
        for (int t = 0; t < TARGETS; t++) {
            p[t] = c - REGION / 2 + 4 + 8 * t;
        }
        return p;
    }

    /** Offset of the window of length n in the stream: {@code c - n/2}. */
    public int windowStart(int n) {
        checkLength(n);
        return length / 2 - n / 2;
    }

    /** Window positions of the targets at length n. */
    public int[] targetsInWindow(int n) {
        int start = windowStart(n);
        return Arrays.stream(targets()).map(p -> p - start).toArray();
    }

    /** The original tokens of the window of stream s at length n (no mask). */
    public int[] window(int s, int n) {
        int start = windowStart(n);
        return Arrays.copyOfRange(streams.get(s).tokens, start, start + n);
    }

    /** The window with every target replaced by [MASK]: the model's input. */
    public int[] maskedWindow(int s, int n) {
        int[] w = window(s, n);
        for (int p : targetsInWindow(n)) {
            w[p] = CharVocabulary.MASK;
        }
        return w;
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

    private void checkLength(int n) {
        if (n < REGION || n > length || n % 2 != 0) {
            throw new IllegalArgumentException("evaluation length must be even and in [" + REGION + ", " + length
                    + "], got " + n);
        }
    }
}
