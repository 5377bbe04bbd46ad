package org.isentropic.experiments.corpus;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;

/**
 * The deterministic split of a corpus. Rule: document i (0-based, source order) is held out when
 * {@code i % 10 == 0}, else it is for training. Of the held-out documents, the {@code testCount} longest
 * (in characters; ties to the lower index) are the test documents, kept in source order; the other held-out
 * documents are the validation set. No randomness: the same corpus always splits the same way.
 *
 * @param train training documents
 * @param validation held-out documents that are not test documents
 * @param test the long test documents
 */
public record CorpusSplit(List<String> train, List<String> validation, List<String> test) {

    /** Every {@value}-th document is held out. */
    public static final int HOLD_OUT_EVERY = 10;

    public CorpusSplit {
        train = List.copyOf(train);
        validation = List.copyOf(validation);
        test = List.copyOf(test);
    }

    /** Splits {@code corpus} by the rule above; {@code testCount >= 1}. */
    public static CorpusSplit of(Corpus corpus, int testCount) {
        if (testCount < 1) {
            throw new IllegalArgumentException("testCount must be >= 1, got " + testCount);
        }
        List<String> docs = corpus.documents();
        List<String> train = new ArrayList<>();
        List<Integer> heldOut = new ArrayList<>();
        for (int i = 0; i < docs.size(); i++) {
            if (i % HOLD_OUT_EVERY == 0) {
                heldOut.add(i);
            } else {
                train.add(docs.get(i));
            }
        }
        if (heldOut.size() <= testCount || train.isEmpty()) {
            throw new IllegalArgumentException("corpus " + corpus.name() + " has " + docs.size()
                    + " documents: too few for " + testCount + " test documents (needs more than "
                    + (HOLD_OUT_EVERY * testCount) + ")");
        }
        List<Integer> byLength = new ArrayList<>(heldOut);
        byLength.sort(Comparator.comparingInt((Integer i) -> -docs.get(i).length()).thenComparingInt(i -> i));
        List<Integer> testIdx = new ArrayList<>(byLength.subList(0, testCount));
        testIdx.sort(Comparator.naturalOrder());
        List<String> test = testIdx.stream().map(docs::get).toList();
        List<String> validation = heldOut.stream().filter(i -> !testIdx.contains(i)).map(docs::get).toList();
        return new CorpusSplit(train, validation, test);
    }
}
