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

/**
 * The test streams: one language, no repeated text, no text shared with the training part, and the same targets at
 * every n under the same mask density.
 */
class StreamsTest {

    /** A repeat of this many characters is copied text, not a common phrase. */
    static final int REPEAT = 200;
    static CharVocabulary vocab;
    static CorpusSplit split;
    static Streams test;
    static Streams calibration;

    @BeforeAll
    static void build() {
        split = CorpusSplit.of(Corpus.stateOfTheUnion(), TrainingDefaults.TEST_DOCUMENTS);
        vocab = CharVocabulary.build(split.train(), TrainingDefaults.MIN_CHAR_COUNT);
        test = ExperimentRunner.streamsOf(split, "test", vocab, 4096);
        calibration = ExperimentRunner.streamsOf(split, "calibration", vocab, 4096);
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
    void atLeast64TestStreamsEachInOneLanguageAndOneDocument() {
        assertTrue(test.size() >= 64, "test streams: " + test.size());
        assertTrue(calibration.size() >= 16, "calibration streams: " + calibration.size());
        for (StreamExport.StreamText t : StreamExport.of(Corpus.stateOfTheUnion(), "test", 4096)) {
            assertEquals("en", t.language(), t.fileName());
            assertEquals(4096, t.text().codePointCount(0, t.text().length()));
        }
        for (int s = 0; s < test.size(); s++) {
            assertEquals(1, test.stream(s).documents().size());
        }
    }

    @Test
    void aSubsetOfStreamsIsSpreadOverEveryTestDocument() {
        Streams sixtyFour = Streams.withinDocuments(split.test(), vocab, 4096, 64);
        assertEquals(64, sixtyFour.size());
        Set<Integer> docs = new HashSet<>();
        for (int s = 0; s < sixtyFour.size(); s++) {
            docs.addAll(sixtyFour.stream(s).documents());
        }
        assertEquals(split.test().size(), docs.size(), "every test document contributes");
        assertEquals(0, sixtyFour.offset(0));
    }

    @Test
    void noStreamRepeatsTextWithinOrAcrossTestAndCalibration() {
        List<int[]> all = new java.util.ArrayList<>();
        for (Streams st : List.of(test, calibration)) {
            for (int s = 0; s < st.size(); s++) {
                all.add(st.stream(s).tokens());
            }
        }
        assertNull(firstRepeat(all));
    }

    @Test
    void noTestSliceOccursInTheTrainingPart() {
        // every REPEAT-character slice of the training text, hashed; a test slice with a known hash is confirmed by
        // searching the training text for it
        String train = String.join(" ", split.train());
        long[] hashes = sliceHashes(train);
        Arrays.sort(hashes);
        int[] cps = vocab.codePoints();
        int checked = 0;
        for (int s = 0; s < test.size(); s++) {
            StringBuilder b = new StringBuilder();
            for (int id : test.stream(s).tokens()) {
                b.appendCodePoint(id < 2 ? 0xFFFD : cps[id - 2]);
            }
            String text = b.toString();
            long[] h = sliceHashes(text);
            for (int i = 0; i < h.length; i++) {
                if (Arrays.binarySearch(hashes, h[i]) >= 0) {
                    String slice = text.substring(i, i + REPEAT);
                    assertFalse(train.contains(slice), "test stream " + s + " at " + i + " occurs in training: " + slice);
                }
                checked++;
            }
        }
        assertTrue(checked > 64 * 3000);
        assertTrue(test.skipped() > 0, "addresses quote earlier ones: some pieces are skipped");
        System.err.println("test streams " + test.size() + " (" + test.skipped() + " skipped), calibration "
                + calibration.size() + " (" + calibration.skipped() + " skipped)");
        // teeth: a slice taken from the training text is found
        long[] planted = sliceHashes(train.substring(5000, 5000 + REPEAT));
        assertTrue(Arrays.binarySearch(hashes, planted[0]) >= 0);
    }

    /** Polynomial hashes of every REPEAT-long slice of {@code text} (chars), in slice order. */
    static long[] sliceHashes(String text) {
        int count = Math.max(0, text.length() - REPEAT + 1);
        long[] out = new long[count];
        long pow = 1;
        final long mul = 1_000_003L;
        for (int i = 0; i < REPEAT - 1; i++) {
            pow *= mul;
        }
        long h = 0;
        for (int i = 0; i < text.length(); i++) {
            if (i >= REPEAT) {
                h -= pow * text.charAt(i - REPEAT);
            }
            h = h * mul + text.charAt(i);
            if (i + 1 >= REPEAT) {
                out[i + 1 - REPEAT] = h;
            }
        }
        return out;
    }

    @Test
    void europarlStreamsOfTheEarlierFamiliesRepeatNoTextAndUseNoDocumentTwice() {
        CharVocabulary v1 = GauModel.loadResource("gau-softmax").vocabulary();
        List<String> held = ExperimentRunner.heldOut(Corpus.europarl());
        List<int[]> all = new java.util.ArrayList<>();
        Set<Integer> docs = new HashSet<>();
        for (Streams st : List.of(Streams.build(held, v1, 4096, 16, 0, 2), Streams.build(held, v1, 4096, 4, 1, 2))) {
            for (int s = 0; s < st.size(); s++) {
                all.add(st.stream(s).tokens());
                for (int d : st.stream(s).documents()) {
                    assertTrue(docs.add(d), "document " + d + " used twice");
                }
            }
        }
        assertNull(firstRepeat(all));
    }

    @Test
    void theRepeatCheckFindsTheTiledProtocolsRepeats() {
        // teeth: the repeated protocol tiles a document to 4096, which the same check catches
        Streams tiled = Streams.tiled(List.of("a short document of a few words"), vocab, 4096);
        assertTrue(firstRepeat(List.of(tiled.stream(0).tokens())) != null);
    }

    @Test
    void theSameTargetsAreScoredOnceAtEveryLengthUnderTheSameMaskDensity() {
        int[] lengths = {64, 128, 256, 512, 1024, 2048, 4096};
        int[] targets = test.targets();
        assertEquals(128, targets.length, "16 groups of 8 in the central 1024 characters");
        for (int s = 0; s < 3; s++) {
            int[] tokens = test.targetTokens(s);
            int[] stream = test.stream(s).tokens();
            for (int n : lengths) {
                int[] scored = new int[targets.length];
                for (int start : test.windowStarts(n)) {
                    int[] pos = test.targetsInWindow(start, n);
                    int[] index = test.targetIndices(start, n);
                    int[] original = test.window(s, start, n);
                    int[] input = test.maskedWindow(s, start, n);
                    for (int t = 0; t < pos.length; t++) {
                        assertEquals(tokens[index[t]], original[pos[t]], "stream " + s + " n " + n);
                        assertEquals(CharVocabulary.MASK, input[pos[t]]);
                        scored[index[t]]++;
                    }
                    int masked = 0;
                    for (int i = 0; i < n; i++) {
                        if (input[i] == CharVocabulary.MASK) {
                            masked++;
                        } else {
                            assertEquals(stream[start + i], input[i]);
                        }
                    }
                    assertEquals(n / Streams.MASK_EVERY, masked, "12.5 % masked at n = " + n);
                }
                for (int c : scored) {
                    assertEquals(1, c, "each target scored once at n = " + n);
                }
            }
        }
        // at N the windows are the band's 64-character blocks with the d128 protocol's target positions
        assertArrayEquals(new int[] {4, 12, 20, 28, 36, 44, 52, 60}, test.targetsInWindow(test.windowStarts(64)[0], 64));
        assertEquals(16, test.windowStarts(64).length);
        assertEquals(1, test.windowStarts(1024).length);
    }

    @Test
    void evaluationLengthsOutsideTheStreamAreRefused() {
        assertFalse(test.size() == 0);
        org.junit.jupiter.api.Assertions.assertThrows(IllegalArgumentException.class, () -> test.windowStarts(8192));
        org.junit.jupiter.api.Assertions.assertThrows(IllegalArgumentException.class, () -> test.windowStarts(32));
        org.junit.jupiter.api.Assertions.assertThrows(IllegalArgumentException.class, () -> test.windowStarts(96));
    }
}
