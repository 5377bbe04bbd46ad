package org.isentropic.experiments.eval;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Arrays;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.isentropic.experiments.corpus.CharVocabulary;
import org.isentropic.experiments.corpus.Corpus;
import org.isentropic.experiments.corpus.CorpusSplit;
import org.isentropic.experiments.model.GauModel;
import org.isentropic.experiments.model.TrainingDefaults;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** The test streams: no repeated text, the same targets with the same surroundings at every n. */
class StreamsTest {

    /** A repeat of this many characters is copied text, not a common phrase. */
    static final int REPEAT = 200;
    static CharVocabulary vocab;
    static Corpus corpus;
    static Streams test;
    static Streams calibration;

    @BeforeAll
    static void build() {
        vocab = GauModel.loadResource("gau-softmax").vocabulary();
        corpus = Corpus.europarl();
        List<String> held = ExperimentRunner.heldOut(corpus);
        test = Streams.build(held, vocab, 4096, 32, 0, 2);
        calibration = Streams.build(held, vocab, 4096, 4, 1, 2);
    }

    /**
     * Where a REPEAT-long slice of the streams occurs a second time (within a stream or across streams), or
     * null. Polynomial hashes of every slice; a hash match is confirmed by comparing the slices.
     */
    static String firstRepeat(List<int[]> streams) {
        Map<Long, int[]> seen = new HashMap<>();
        long pow = 1;
        final long mul = 1_000_003L;
        for (int i = 0; i < REPEAT - 1; i++) {
            pow *= mul;
        }
        for (int s = 0; s < streams.size(); s++) {
            int[] t = streams.get(s);
            long h = 0;
            for (int i = 0; i < t.length; i++) {
                if (i >= REPEAT) {
                    h -= pow * t[i - REPEAT];
                }
                h = h * mul + t[i];
                if (i + 1 >= REPEAT) {
                    int start = i + 1 - REPEAT;
                    int[] prev = seen.putIfAbsent(h, new int[] {s, start});
                    if (prev != null && Arrays.equals(streams.get(prev[0]), prev[1], prev[1] + REPEAT, t, start,
                            start + REPEAT)) {
                        return "stream " + s + " at " + start + " repeats stream " + prev[0] + " at " + prev[1];
                    }
                }
            }
        }
        return null;
    }

    @Test
    void noStreamRepeatsTextAndNoDocumentIsUsedTwice() {
        List<int[]> all = new java.util.ArrayList<>();
        Set<Integer> docs = new HashSet<>();
        for (Streams st : List.of(test, calibration)) {
            for (int s = 0; s < st.size(); s++) {
                all.add(st.stream(s).tokens());
                for (int d : st.stream(s).documents()) {
                    assertTrue(docs.add(d), "document " + d + " used twice");
                }
                assertEquals(4096, st.stream(s).tokens().length);
            }
        }
        assertNull(firstRepeat(all));
    }

    @Test
    void theRepeatCheckFindsTheTiledProtocolsRepeats() {
        // teeth: the repeated protocol tiles ~1800-character documents to 4096, which the same check catches
        CorpusSplit split = CorpusSplit.of(corpus, TrainingDefaults.TEST_DOCUMENTS);
        Streams tiled = Streams.tiled(split.test().subList(0, 1), vocab, 4096);
        assertTrue(firstRepeat(List.of(tiled.stream(0).tokens())) != null);
    }

    @Test
    void theSameTargetsAreScoredAtEveryLengthWithTheSameSurroundings() {
        int[] lengths = {64, 128, 256, 512, 1024, 2048, 4096};
        for (int s = 0; s < test.size(); s++) {
            int[] targets = test.targetTokens(s);
            int[] stream = test.stream(s).tokens();
            for (int n : lengths) {
                int[] pos = test.targetsInWindow(n);
                int[] original = test.window(s, n);
                int[] input = test.maskedWindow(s, n);
                for (int t = 0; t < pos.length; t++) {
                    assertEquals(targets[t], original[pos[t]], "stream " + s + " n " + n + " target " + t);
                    assertEquals(CharVocabulary.MASK, input[pos[t]]);
                    // the target's surroundings: the 28 characters on either side of the central region are the
                    // stream's own characters at the same offsets, at every n
                    int start = test.windowStart(n);
                    assertEquals(stream[test.targets()[t]], original[test.targets()[t] - start]);
                }
                int masked = 0;
                for (int i = 0; i < n; i++) {
                    if (input[i] == CharVocabulary.MASK) {
                        masked++;
                    } else {
                        assertEquals(stream[test.windowStart(n) + i], input[i]);
                    }
                }
                assertEquals(Streams.TARGETS, masked, "only the targets are masked");
                // symmetric growth: the window centre is the stream centre at every n
                assertEquals(2048, test.windowStart(n) + n / 2);
            }
        }
        assertArrayEquals(new int[] {4, 12, 20, 28, 36, 44, 52, 60}, test.targetsInWindow(64));
    }

    @Test
    void evaluationLengthsOutsideTheStreamAreRefused() {
        assertFalse(test.size() == 0);
        org.junit.jupiter.api.Assertions.assertThrows(IllegalArgumentException.class, () -> test.window(0, 8192));
        org.junit.jupiter.api.Assertions.assertThrows(IllegalArgumentException.class, () -> test.window(0, 32));
    }
}
