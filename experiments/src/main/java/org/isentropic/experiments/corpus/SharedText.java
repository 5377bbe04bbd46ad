package org.isentropic.experiments.corpus;

import java.util.Arrays;
import java.util.List;

/**
 * Which texts share a slice of {@value #SLICE} characters with the training part. State of the Union addresses
 * quote earlier ones, so a held-out address can repeat a passage of a training address word for word; a test
 * stream holding such a passage would score what the model may have memorised. Works on token ids (the model's
 * view of the text): every {@value #SLICE}-long slice of the training documents (joined with a space) is hashed
 * (polynomial rolling hash); a slice of a candidate whose hash is among them is confirmed by comparing tokens.
 */
public final class SharedText {

    /** A repeat of this many characters is copied text, not a common phrase. */
    public static final int SLICE = 200;
    private static final long MUL = 1_000_003L;

    /** Low bits of a key hold the slice's position; the high bits hold the top bits of its hash. */
    private static final int POSITION_BITS = 24;
    private static final long POSITION_MASK = (1L << POSITION_BITS) - 1;

    private final int[] train;
    /** Per training slice: (top bits of its hash) | position, sorted. */
    private final long[] keys;

    private SharedText(int[] train) {
        if (train.length > POSITION_MASK) {
            throw new IllegalArgumentException("training text of " + train.length + " tokens: at most "
                    + POSITION_MASK + " supported");
        }
        this.train = train;
        long[] h = hashes(train);
        keys = new long[h.length];
        for (int i = 0; i < h.length; i++) {
            keys[i] = (h[i] & ~POSITION_MASK) | i;
        }
        Arrays.sort(keys);
    }

    /** The index of the training documents' slices under {@code vocab}. */
    public static SharedText of(List<String> trainDocuments, CharVocabulary vocab) {
        int total = trainDocuments.stream().mapToInt(d -> d.codePointCount(0, d.length()) + 1).sum();
        int[] t = new int[total];
        int i = 0;
        int space = vocab.id(' ');
        for (String d : trainDocuments) {
            for (int id : vocab.encode(d)) {
                t[i++] = id;
            }
            t[i++] = space;
        }
        return new SharedText(t);
    }

    /** True when some {@value #SLICE}-long slice of {@code tokens} occurs in the training text. */
    public boolean shares(int[] tokens) {
        long[] h = hashes(tokens);
        for (int i = 0; i < h.length; i++) {
            long top = h[i] & ~POSITION_MASK;
            for (int k = lowerBound(top); k < keys.length && (keys[k] & ~POSITION_MASK) == top; k++) {
                int p = (int) (keys[k] & POSITION_MASK);
                if (Arrays.equals(train, p, p + SLICE, tokens, i, i + SLICE)) {
                    return true;
                }
            }
        }
        return false;
    }

    private int lowerBound(long key) {
        int lo = 0;
        int hi = keys.length;
        while (lo < hi) {
            int mid = (lo + hi) >>> 1;
            if (keys[mid] < key) {
                lo = mid + 1;
            } else {
                hi = mid;
            }
        }
        return lo;
    }

    /** Rolling hashes of every SLICE-long slice of {@code t}, in slice order. */
    static long[] hashes(int[] t) {
        long[] out = new long[Math.max(0, t.length - SLICE + 1)];
        long pow = 1;
        for (int i = 0; i < SLICE - 1; i++) {
            pow *= MUL;
        }
        long h = 0;
        for (int i = 0; i < t.length; i++) {
            if (i >= SLICE) {
                h -= pow * t[i - SLICE];
            }
            h = h * MUL + t[i];
            if (i + 1 >= SLICE) {
                out[i + 1 - SLICE] = h;
            }
        }
        return out;
    }
}
