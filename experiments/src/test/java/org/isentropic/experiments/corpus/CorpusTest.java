package org.isentropic.experiments.corpus;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.isentropic.base.UserInputException;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class CorpusTest {

    @Test
    void splitFollowsTheDocumentedRule() {
        List<String> docs = new ArrayList<>();
        for (int i = 0; i < 100; i++) {
            docs.add("d" + i + " " + "x".repeat(i % 10 == 0 ? (i * 7) % 50 : 3));
        }
        CorpusSplit s = CorpusSplit.of(new Corpus("synthetic", docs), 3);
        assertEquals(90, s.train().size());
        // the 7 held-out documents that are not test documents (0, 10, 30, 50, 60, 80, 90) alternate
        assertEquals(List.of(docs.get(0), docs.get(30), docs.get(60), docs.get(90)), s.validation());
        assertEquals(List.of(docs.get(10), docs.get(50), docs.get(80)), s.calibration());
        // held-out docs 0,10,...,90 carry (7 i mod 50) x's: 0,20,40,10,30,0,20,40,10,30. Longest: 20 and 70
        // (40 each), then 40 and 90 tie at 30 and the lower index wins; the test set is in source order.
        assertEquals(List.of(docs.get(20), docs.get(40), docs.get(70)), s.test());
        assertEquals(s, CorpusSplit.of(new Corpus("synthetic", docs), 3), "deterministic");
        assertThrows(IllegalArgumentException.class, () -> CorpusSplit.of(new Corpus("tiny", docs.subList(0, 20)), 3));
    }

    @Test
    void stateOfTheUnionIsLongEnglishDocumentsAndSplitsIntoEnoughTestText() {
        Corpus c = Corpus.stateOfTheUnion();
        assertEquals(233, c.documents().size());
        assertTrue(c.documents().stream().allMatch(d -> LanguageId.identify(d).equals("en")), "every address is English");
        CorpusSplit s = CorpusSplit.of(c, 10);
        assertEquals(10, s.test().size());
        assertEquals(7, s.validation().size());
        assertEquals(7, s.calibration().size());
        assertTrue(s.test().stream().allMatch(d -> d.length() > 16_000), "test documents hold 16,000+ characters");
        assertTrue(s.test().stream().mapToInt(d -> d.length() / 4096).sum() >= 64, ">= 64 test streams of 4096");
        assertThrows(UserInputException.class, () -> s.part("tests"));
    }

    @Test
    void europarlByLanguageKeepsOneLanguageOrderedByDateAndTitle() {
        Corpus en = Corpus.europarl("en");
        assertTrue(en.documents().size() > 1000, "English snippets: " + en.documents().size());
        assertTrue(en.documents().stream().allMatch(d -> LanguageId.identify(d).equals("en")));
        assertThrows(UserInputException.class, () -> Corpus.named("europarl:xx"));
    }

    @Test
    void europarlSampleLoadsFromTheClasspath() {
        Corpus c = Corpus.europarl();
        assertTrue(c.documents().size() > 17_000, "documents: " + c.documents().size());
        CorpusSplit s = CorpusSplit.of(c, 10);
        assertEquals(10, s.test().size());
        assertTrue(s.test().stream().allMatch(d -> d.length() > 1500), "test documents are long");
    }

    @Test
    void userCorpusFromFileAndDirectory(@TempDir Path dir) throws Exception {
        Path f = dir.resolve("c.txt");
        Files.writeString(f, "one  two\n\n  three\tfour \n");
        assertEquals(List.of("one two", "three four"), Corpus.fromPath(f).documents());
        Path d = Files.createDirectory(dir.resolve("docs"));
        Files.writeString(d.resolve("b.txt"), "second\nline");
        Files.writeString(d.resolve("a.txt"), "first");
        assertEquals(List.of("first", "second line"), Corpus.fromPath(d).documents());
        UserInputException e = assertThrows(UserInputException.class,
                () -> Corpus.fromPath(dir.resolve("missing")));
        assertTrue(e.getMessage().startsWith("--corpus"), e.getMessage());
    }

    @Test
    void vocabularyKeepsFrequentCharactersInOrder() {
        CharVocabulary v = CharVocabulary.build(List.of("aab", "ac", "\uD83D\uDE00"), 2);
        assertEquals(3, v.size()); // [UNK], [MASK], 'a' (b, c and the emoji occur once)
        assertArrayEquals(new int[] {2, 0, 0, 0}, v.encode("abc\uD83D\uDE00"));
        assertEquals("a", v.token(2));
        assertEquals("[MASK]", v.token(CharVocabulary.MASK));
        assertEquals(v, CharVocabulary.ofCodePoints(v.codePoints()));
        assertThrows(IllegalArgumentException.class, () -> v.token(3));
    }
}
