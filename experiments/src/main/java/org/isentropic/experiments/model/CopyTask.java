package org.isentropic.experiments.model;

import java.util.Arrays;
import java.util.SplittableRandom;
import org.isentropic.experiments.corpus.CharVocabulary;

/**
 * The long-range retrieval task (issue 24): a random string of {@code length} characters planted twice in a
 * sequence, the second copy at distance {@code distance} after the first, so that the only source of the second
 * copy is the first one. In the second copy every other letter is masked (offsets 1, 3, 5, ...) and predicted; the
 * letters between stay visible, so each masked letter is identified by its two visible neighbours, which occur
 * together only around the same letter of the first copy. (A masked-LM predicts a masked character from the
 * characters around it: with the whole second copy masked, nothing but "the other random string" links it to its
 * source and a model must count its way to the letter at the same offset; fine-tunes of 1,200 steps with a quarter
 * of their windows so planted stayed at chance, and so did 1,000 steps with half of them planted and the first 4
 * letters of the copy left visible as a key.) Its control replaces the first
 * copy by a different random string, so the accuracy the model reaches without a source (the floor: letter
 * frequencies, chance) is measured on the same positions. The strings are drawn from the vocabulary's lower-case
 * letters a-z, uniformly: no language model predicts them above chance (1/26).
 *
 * @param tokens the sequence with both copies (the control: with a different string at the source)
 * @param source start of the first copy
 * @param target start of the second copy ({@code source + distance})
 * @param length characters per copy
 */
public record CopyTask(int[] tokens, int source, int target, int length) {

    /** Shortest and longest planted string (issue 24: 8-16 characters). */
    public static final int MIN_LENGTH = 8;
    public static final int MAX_LENGTH = 16;

    public CopyTask {
        tokens = tokens.clone();
    }

    @Override
    public int[] tokens() {
        return tokens.clone();
    }

    /** The vocabulary ids of a-z (those present). */
    public static int[] letters(CharVocabulary vocab) {
        return java.util.stream.IntStream.rangeClosed('a', 'z').map(vocab::id).filter(id -> id != CharVocabulary.UNK)
                .toArray();
    }

    /**
     * Plants a random string of {@code length} letters at {@code source} and at {@code source + distance}.
     *
     * @param control when true, the first copy is a different random string (no position equal), so the target
     *     has no source
     * @throws IllegalArgumentException when the copies overlap or do not fit
     */
    public static CopyTask plant(int[] tokens, int source, int distance, int length, int[] letters,
            SplittableRandom rng, boolean control) {
        int target = source + distance;
        if (length < 1 || distance < length || source < 0 || target + length > tokens.length || letters.length < 2) {
            throw new IllegalArgumentException("copy task: copies of " + length + " at " + source + " and " + target
                    + " must not overlap and must fit in " + tokens.length + " tokens");
        }
        int[] t = tokens.clone();
        int[] string = new int[length];
        for (int i = 0; i < length; i++) {
            string[i] = letters[rng.nextInt(letters.length)];
        }
        SplittableRandom other = rng.split(); // the control's source: the same target string in both runs
        for (int i = 0; i < length; i++) {
            t[target + i] = string[i];
            int src = string[i];
            while (control && src == string[i]) {
                src = letters[other.nextInt(letters.length)];
            }
            t[source + i] = src;
        }
        return new CopyTask(t, source, target, length);
    }

    /** A training plant: random length, distance and place inside a window of {@code n} (both copies inside). */
    public static CopyTask plantWithin(int[] tokens, int[] letters, SplittableRandom rng) {
        int length = MIN_LENGTH + rng.nextInt(MAX_LENGTH - MIN_LENGTH + 1);
        int n = tokens.length;
        if (n < 2 * length + 1) {
            throw new IllegalArgumentException("copy task: a window of " + n + " cannot hold two copies of " + length);
        }
        int distance = length + rng.nextInt(n - 2 * length + 1);
        int source = rng.nextInt(n - distance - length + 1);
        return plant(tokens, source, distance, length, letters, rng, false);
    }

    /** The masked positions of the second copy, its odd offsets 1, 3, 5, ... (the ones to predict). */
    public int[] targetPositions() {
        int[] p = new int[length / 2];
        Arrays.setAll(p, i -> target + 2 * i + 1);
        return p;
    }

    /** The sequence with the second copy's odd offsets replaced by [MASK]. */
    public int[] masked() {
        int[] t = tokens.clone();
        for (int p : targetPositions()) {
            t[p] = CharVocabulary.MASK;
        }
        return t;
    }
}
