package org.isentropic.experiments.eval;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Predicate;
import org.junit.jupiter.api.Test;

/**
 * The READMEs quote the v3 claims only as the evaluation generated them (issue 23: "extrapolation.md and both
 * READMEs quote only the generated sentences with their numbers"): the lines between {@value #BEGIN}... and
 * {@value #END} are, in order, the lines of the committed report's claims section (experiments/README.md: every
 * registered comparison; README.md: the paper's claims, ids c1-c5), so a README cannot round, reword or keep a
 * sentence of an older run. The retrieval probe's sentences likewise (between the retrieval-claims markers, from
 * results/retrieval/retrieval.md: experiments/README.md every one, README.md the copy-accuracy ones).
 */
class ClaimQuotesTest {

    static final String BEGIN = "<!-- v3-claims:begin";
    static final String END = "<!-- v3-claims:end -->";
    static final String RETRIEVAL_BEGIN = "<!-- retrieval-claims:begin";
    static final String RETRIEVAL_END = "<!-- retrieval-claims:end -->";
    private static final Path REPORT = Path.of("results", "v3", "extrapolation.md");
    private static final Path RETRIEVAL_REPORT = Path.of("results", "retrieval", "retrieval.md");
    private static final String SECTION = "## Claims (generated sentences)";

    @Test
    void theExperimentsReadmeQuotesEveryGeneratedSentence() throws IOException {
        List<String> generated = generated(REPORT, line -> true);
        assertTrue(generated.size() >= RegisteredClaims.packaged().size(), "one sentence per registered row");
        assertEquals(generated, quoted(Path.of("README.md"), BEGIN, END), REGENERATE);
    }

    @Test
    void theRootReadmeQuotesThePaperClaimsAsGenerated() throws IOException {
        List<String> generated = generated(REPORT, line -> line.matches("- c[1-5][a-z]? .*"));
        assertFalse(generated.isEmpty(), "the report has the paper's claims c1-c5");
        assertEquals(generated, quoted(Path.of("..", "README.md"), BEGIN, END), REGENERATE);
    }

    @Test
    void bothReadmesQuoteTheRetrievalProbesSentencesAsGenerated() throws IOException {
        List<String> generated = generated(RETRIEVAL_REPORT, line -> true);
        assertTrue(generated.size() >= RegisteredClaims.retrieval().size(), "a sentence per registered row");
        assertTrue(generated.stream().noneMatch(l -> l.contains("not run")), "the committed probe ran every claim");
        String regenerate = "copy the '- ' lines of the section '" + SECTION + "' of experiments/results/retrieval/"
                + "retrieval.md (written by: isentropic experiment retrieval --out experiments/results/retrieval)"
                + " between the retrieval-claims markers (README.md: the copy-accuracy lines only)";
        assertEquals(generated, quoted(Path.of("README.md"), RETRIEVAL_BEGIN, RETRIEVAL_END), regenerate);
        assertEquals(generated.stream().filter(l -> l.contains(" (copy-accuracy): ")).toList(),
                quoted(Path.of("..", "README.md"), RETRIEVAL_BEGIN, RETRIEVAL_END), regenerate);
    }

    private static final String REGENERATE = "copy the '- ' lines of the section '" + SECTION + "' of experiments/"
            + "results/v3/extrapolation.md (written by: isentropic experiment eval --out experiments/results/v3)"
            + " between the v3-claims markers";

    /** The claim lines of {@code report}'s claims section that pass {@code keep}. */
    private static List<String> generated(Path report, Predicate<String> keep) throws IOException {
        List<String> lines = Files.readAllLines(report);
        int from = lines.indexOf(SECTION);
        assertTrue(from >= 0, report + " has no section " + SECTION);
        List<String> out = new ArrayList<>();
        for (String line : lines.subList(from + 1, lines.size())) {
            if (line.startsWith("## ")) {
                break;
            }
            if (line.startsWith("- ") && keep.test(line)) {
                out.add(line);
            }
        }
        return out;
    }

    /** The '- ' lines between the markers of {@code readme}. */
    private static List<String> quoted(Path readme, String begin, String end) throws IOException {
        List<String> lines = Files.readAllLines(readme);
        int from = -1;
        int to = -1;
        for (int i = 0; i < lines.size(); i++) {
            if (lines.get(i).startsWith(begin)) {
                from = i;
            } else if (lines.get(i).equals(end)) {
                to = i;
            }
        }
        assertTrue(from >= 0 && to > from, readme + " has no block between " + begin + " ... --> and " + end);
        return lines.subList(from + 1, to).stream().filter(l -> l.startsWith("- ")).toList();
    }
}
