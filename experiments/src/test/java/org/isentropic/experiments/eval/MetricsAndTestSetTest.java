package org.isentropic.experiments.eval;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.List;
import org.isentropic.experiments.corpus.CharVocabulary;
import org.junit.jupiter.api.Test;

class MetricsAndTestSetTest {

    @Test
    void wilsonIntervalMatchesTheClosedForm() {
        Metrics m = Metrics.empty();
        for (int i = 0; i < 100; i++) {
            m = m.add(i < 40, i < 40 ? 1.0 : 3.0);
        }
        // Wilson score interval for 40/100 at z = 1.96 (Newcombe 1998, table I method 3): 0.3094 - 0.4980.
        double[] ci = m.accuracyInterval();
        assertEquals(0.3094, ci[0], 1e-4);
        assertEquals(0.4980, ci[1], 1e-4);
        assertEquals(2.2, m.loss(), 1e-12);
        // sample sd of 40 ones and 60 threes: sqrt(0.96 * 100 / 99)
        assertEquals(1.959964 * Math.sqrt(0.96 * 100 / 99) / 10, m.lossHalfWidth(), 1e-6);
        assertEquals(Math.exp(2.2), m.perplexity(), 1e-9);
    }

    @Test
    void documentsAreCutOrTiledWithASpace() {
        CharVocabulary v = CharVocabulary.build(List.of("abc abc"), 1);
        TestSet t = TestSet.of(List.of("abc"), v);
        int a = v.id('a');
        int b = v.id('b');
        int c = v.id('c');
        int s = v.id(' ');
        assertArrayEquals(new int[] {a, b}, t.tokens(0, 2, s));
        assertArrayEquals(new int[] {a, b, c, s, a, b, c, s, a}, t.tokens(0, 9, s));
        TestSet seven = TestSet.of(List.of("abcabca"), v);
        List<int[]> w = seven.windows(0, 3, s);
        assertEquals(2, w.size(), "floor(7 / 3) windows");
        assertArrayEquals(new int[] {a, b, c}, w.get(0));
        assertArrayEquals(new int[] {a, b, c}, w.get(1));
        assertEquals(1, seven.windows(0, 9, s).size(), "one tiled copy when shorter");
        assertArrayEquals(new int[] {2, 7}, Extrapolation.oneTokenPositions(10, 2));
    }
}
