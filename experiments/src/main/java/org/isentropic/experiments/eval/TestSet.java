package org.isentropic.experiments.eval;

import java.util.List;
import org.isentropic.experiments.corpus.CharVocabulary;

/**
 * The encoded test documents. At length n a document gives {@code min(8, max(1, floor(L / n)))}
 * consecutive, non-overlapping windows of n tokens from its start ({@link #windows}), so short lengths are
 * measured on more than the document's first n characters. A document is cut to length n, or tiled when shorter (the document, a
 * space, the document again, ...), as the paper's protocol says ("tiled or cut to the length"). Tiling
 * repeats text at a distance of the document's length plus one: the Europarl test documents have 1693 to
 * 1900 characters after white-space normalisation, so n = 2048 and 4096 contain repeats, at distances of
 * more than 26 N from the original.
 */
public final class TestSet {

    private final List<int[]> documents;

    private TestSet(List<int[]> documents) {
        this.documents = documents;
    }

    public static TestSet of(List<String> docs, CharVocabulary vocabulary) {
        if (docs.isEmpty()) {
            throw new IllegalArgumentException("test documents must be non-empty");
        }
        return new TestSet(docs.stream().map(vocabulary::encode).toList());
    }

    public int size() {
        return documents.size();
    }

    /** Length of document {@code doc} in tokens. */
    public int length(int doc) {
        return documents.get(doc).length;
    }

    /** At most this many windows per document and length. */
    public static final int MAX_WINDOWS = 8;

    /**
     * The windows of document {@code doc} at length n: min(8, floor(L / n)) consecutive slices from the
     * start, or one tiled copy when L &lt; n.
     */
    public List<int[]> windows(int doc, int n, int space) {
        int[] d = documents.get(doc);
        if (d.length < n) {
            return List.of(tokens(doc, n, space));
        }
        java.util.ArrayList<int[]> out = new java.util.ArrayList<>();
        for (int w = 0; (w + 1) * n <= d.length && w < MAX_WINDOWS; w++) {
            out.add(java.util.Arrays.copyOfRange(d, w * n, (w + 1) * n));
        }
        return out;
    }

    /** Document {@code doc} cut or tiled to n tokens ({@code space} between copies). */
    public int[] tokens(int doc, int n, int space) {
        if (n < 1) {
            throw new IllegalArgumentException("n must be >= 1, got " + n);
        }
        int[] d = documents.get(doc);
        int[] out = new int[n];
        int i = 0;
        while (i < n) {
            int take = Math.min(d.length, n - i);
            System.arraycopy(d, 0, out, i, take);
            i += take;
            if (i < n) {
                out[i++] = space;
            }
        }
        return out;
    }
}
