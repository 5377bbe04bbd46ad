package org.isentropic.experiments.eval;

import java.util.ArrayList;
import java.util.List;
import org.isentropic.experiments.corpus.CharVocabulary;
import org.isentropic.experiments.corpus.Corpus;
import org.isentropic.experiments.corpus.CorpusSplit;
import org.isentropic.experiments.corpus.LanguageId;
import org.isentropic.experiments.model.TrainingDefaults;

/**
 * The streams of one part of the v3 corpus split as text ({@code isentropic experiment streams}): exactly the
 * characters the models see, one stream per file. The vocabulary is the training run's (characters seen at
 * least {@value TrainingDefaults#MIN_CHAR_COUNT} times in the training part); a character outside it, which the
 * models see as {@code [UNK]}, is written as U+FFFD, so each stream has exactly {@code length} characters.
 */
public final class StreamExport {

    /** The character written for {@code [UNK]}. */
    public static final int UNKNOWN = 0xFFFD;

    /**
     * One stream as text.
     *
     * @param document index of its document within the split part
     * @param start character offset of the stream in that document
     * @param language {@link LanguageId}'s answer for the stream's text
     */
    public record StreamText(int index, int document, int start, String text, String language) {

        /** {@code stream-000.txt}, ... */
        public String fileName() {
            return String.format(java.util.Locale.ROOT, "stream-%03d.txt", index);
        }
    }

    private StreamExport() {
    }

    /**
     * Every stream of {@code part} ({@link CorpusSplit#PARTS}) of {@code corpus}, {@code length} characters
     * each, as the evaluation builds them ({@link ExperimentRunner#streamsOf}).
     */
    public static List<StreamText> of(Corpus corpus, String part, int length) {
        CorpusSplit split = CorpusSplit.of(corpus, TrainingDefaults.TEST_DOCUMENTS);
        List<String> docs = split.part(part);
        CharVocabulary vocab = CharVocabulary.build(split.train(), TrainingDefaults.MIN_CHAR_COUNT);
        Streams streams = ExperimentRunner.streamsOf(split, part, vocab, length);
        List<StreamText> out = new ArrayList<>();
        int[] codePoints = vocab.codePoints(); // id - 2 -> code point (ids 0 and 1 are [UNK] and [MASK])
        for (int s = 0; s < streams.size(); s++) {
            Streams.Stream st = streams.stream(s);
            int doc = st.documents().get(0);
            StringBuilder b = new StringBuilder(length);
            for (int id : st.tokens()) {
                b.appendCodePoint(id == CharVocabulary.UNK ? UNKNOWN : codePoints[id - 2]);
            }
            String text = b.toString();
            out.add(new StreamText(s, doc, streams.offset(s), text, LanguageId.identify(text)));
        }
        return out;
    }
}
