package org.isentropic.experiments.model;

import java.util.SplittableRandom;
import org.isentropic.experiments.corpus.CharVocabulary;

/**
 * Masked-LM corruption of one sequence. {@code count = max(1, round(rate * n))} distinct positions are
 * drawn uniformly; in training (BERT's rule) each becomes {@code [MASK]} with probability 0.8, a uniformly
 * drawn character id with 0.1, and stays with 0.1; in evaluation every chosen position becomes
 * {@code [MASK]}. The loss is taken at the chosen positions only.
 *
 * @param input the corrupted sequence
 * @param chosen the positions whose original token is to be predicted, ascending
 */
public record MlmMasking(int[] input, int[] chosen) {

    /** The masking rate of the paper's training and of the one-pass evaluation variant. */
    public static final double RATE = 0.15;

    /** Training corruption (80 / 10 / 10). */
    public static MlmMasking training(int[] tokens, double rate, int vocabSize, SplittableRandom rng) {
        return of(tokens, rate, vocabSize, rng, true);
    }

    /** Evaluation corruption: every chosen position is {@code [MASK]}. */
    public static MlmMasking evaluation(int[] tokens, double rate, SplittableRandom rng) {
        return of(tokens, rate, CharVocabulary.MASK + 1, rng, false);
    }

    private static MlmMasking of(int[] tokens, double rate, int vocabSize, SplittableRandom rng, boolean bert) {
        if (!(rate > 0 && rate <= 1)) {
            throw new IllegalArgumentException("rate must be in (0, 1], got " + rate);
        }
        int n = tokens.length;
        if (n == 0) {
            throw new IllegalArgumentException("tokens must be non-empty");
        }
        int count = Math.max(1, (int) Math.round(rate * n));
        int[] perm = new int[n];
        for (int i = 0; i < n; i++) {
            perm[i] = i;
        }
        for (int i = 0; i < count; i++) { // partial Fisher-Yates
            int j = i + rng.nextInt(n - i);
            int t = perm[i];
            perm[i] = perm[j];
            perm[j] = t;
        }
        int[] chosen = java.util.Arrays.copyOf(perm, count);
        java.util.Arrays.sort(chosen);
        int[] input = tokens.clone();
        for (int p : chosen) {
            double u = bert ? rng.nextDouble() : 0;
            if (u < 0.8) {
                input[p] = CharVocabulary.MASK;
            } else if (u < 0.9) {
                input[p] = 2 + rng.nextInt(vocabSize - 2);
            }
        }
        return new MlmMasking(input, chosen);
    }
}
