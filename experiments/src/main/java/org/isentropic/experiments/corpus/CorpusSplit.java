package org.isentropic.experiments.corpus;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import org.isentropic.base.UserInputException;

/**
 * The deterministic split of a corpus. Rule: document i (0-based, source order) is held out when
 * {@code i % 10 == 0}, else it is for training. Of the held-out documents, the {@code testCount} longest
 * (in characters; ties to the lower index) are the test documents; the other held-out documents alternate, in
 * source order, between validation (the first, third, ...: the trainer's stopping rule) and calibration (the
 * second, fourth, ...: the oracle temperatures of the evaluation). Every part keeps source order. No
 * randomness: the same corpus always splits the same way, and no document is in two parts.
 *
 * @param train training documents
 * @param validation held-out documents for the trainer's validation loss
 * @param calibration held-out documents for the evaluation's calibration streams
 * @param test the long test documents
 */
public record CorpusSplit(List<String> train, List<String> validation, List<String> calibration, List<String> test) {

    /** Every {@value}-th document is held out. */
    public static final int HOLD_OUT_EVERY = 10;

    /** The parts' names as {@code --split} takes them. */
    public static final List<String> PARTS = List.of("train", "validation", "calibration", "test");

    public CorpusSplit {
        train = List.copyOf(train);
        validation = List.copyOf(validation);
        calibration = List.copyOf(calibration);
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
        if (heldOut.size() < testCount + 2 || train.isEmpty()) {
            throw new IllegalArgumentException("corpus " + corpus.name() + " has " + docs.size()
                    + " documents: too few for " + testCount + " test documents (needs at least "
                    + (HOLD_OUT_EVERY * (testCount + 1) + 1) + ")");
        }
        List<Integer> byLength = new ArrayList<>(heldOut);
        byLength.sort(Comparator.comparingInt((Integer i) -> -docs.get(i).length()).thenComparingInt(i -> i));
        List<Integer> testIdx = new ArrayList<>(byLength.subList(0, testCount));
        testIdx.sort(Comparator.naturalOrder());
        List<String> test = testIdx.stream().map(docs::get).toList();
        List<Integer> rest = heldOut.stream().filter(i -> !testIdx.contains(i)).toList();
        List<String> validation = new ArrayList<>();
        List<String> calibration = new ArrayList<>();
        for (int r = 0; r < rest.size(); r++) {
            (r % 2 == 0 ? validation : calibration).add(docs.get(rest.get(r)));
        }
        return new CorpusSplit(train, validation, calibration, test);
    }

    /** The part named {@code name} (one of {@link #PARTS}). */
    public List<String> part(String name) {
        return switch (name) {
            case "train" -> train;
            case "validation" -> validation;
            case "calibration" -> calibration;
            case "test" -> test;
            default -> throw new UserInputException("--split must be one of " + String.join("|", PARTS)
                    + ", got '" + name + "'");
        };
    }
}
