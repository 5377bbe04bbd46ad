package org.isentropic.experiments.corpus;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * A character (Unicode code point) vocabulary. Id 0 is {@code [UNK]} (any code point not in the
 * vocabulary), id 1 is {@code [MASK]}; ids 2.. are the code points seen at least {@code minCount} times
 * in the training documents, most frequent first (ties by code point).
 */
public final class CharVocabulary {

    public static final int UNK = 0;
    public static final int MASK = 1;
    private static final int SPECIALS = 2;

    private final int[] codePoints; // id - SPECIALS -> code point
    private final Map<Integer, Integer> ids;

    private CharVocabulary(int[] codePoints) {
        this.codePoints = codePoints.clone();
        this.ids = new HashMap<>();
        for (int i = 0; i < codePoints.length; i++) {
            if (ids.put(codePoints[i], i + SPECIALS) != null) {
                throw new IllegalArgumentException("vocabulary: duplicate code point " + codePoints[i]);
            }
        }
    }

    /** Counts code points in {@code documents} and keeps those with count >= {@code minCount} (>= 1). */
    public static CharVocabulary build(Collection<String> documents, int minCount) {
        if (minCount < 1) {
            throw new IllegalArgumentException("minCount must be >= 1, got " + minCount);
        }
        Map<Integer, long[]> counts = new HashMap<>();
        for (String d : documents) {
            d.codePoints().forEach(cp -> counts.computeIfAbsent(cp, k -> new long[1])[0]++);
        }
        List<Map.Entry<Integer, long[]>> kept = new ArrayList<>();
        for (Map.Entry<Integer, long[]> e : counts.entrySet()) {
            if (e.getValue()[0] >= minCount) {
                kept.add(e);
            }
        }
        kept.sort((a, b) -> a.getValue()[0] != b.getValue()[0]
                ? Long.compare(b.getValue()[0], a.getValue()[0]) : Integer.compare(a.getKey(), b.getKey()));
        return new CharVocabulary(kept.stream().mapToInt(Map.Entry::getKey).toArray());
    }

    /** A vocabulary from its code points in id order (ids 2..), as stored in a checkpoint's config. */
    public static CharVocabulary ofCodePoints(int[] codePoints) {
        return new CharVocabulary(codePoints);
    }

    /** Number of ids, specials included. */
    public int size() {
        return codePoints.length + SPECIALS;
    }

    /** The code points of ids 2.. in id order. */
    public int[] codePoints() {
        return codePoints.clone();
    }

    public int id(int codePoint) {
        Integer id = ids.get(codePoint);
        return id == null ? UNK : id;
    }

    public int[] encode(String text) {
        return text.codePoints().map(this::id).toArray();
    }

    /** Printable form of one id: the character, or {@code [UNK]} / {@code [MASK]}. */
    public String token(int id) {
        if (id < 0 || id >= size()) {
            throw new IllegalArgumentException("id must be in [0, " + size() + "), got " + id);
        }
        if (id == UNK) {
            return "[UNK]";
        }
        if (id == MASK) {
            return "[MASK]";
        }
        return new String(Character.toChars(codePoints[id - SPECIALS]));
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof CharVocabulary v && Arrays.equals(codePoints, v.codePoints);
    }

    @Override
    public int hashCode() {
        return Arrays.hashCode(codePoints);
    }
}
