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
 * sentence of an older run.
 */
class ClaimQuotesTest {

    static final String BEGIN = "<!-- v3-claims:begin";
    static final String END = "<!-- v3-claims:end -->";
    private static final Path REPORT = Path.of("results", "v3", "extrapolation.md");
    private static final String SECTION = "## Claims (generated sentences)";

    @Test
    void theExperimentsReadmeQuotesEveryGeneratedSentence() throws IOException {
        List<String> generated = generated(id -> true);
        assertTrue(generated.size() >= RegisteredClaims.packaged().size(), "one sentence per registered row");
        assertEquals(generated, quoted(Path.of("README.md")), REGENERATE);
    }

    @Test
    void theRootReadmeQuotesThePaperClaimsAsGenerated() throws IOException {
        List<String> generated = generated(id -> id.matches("c[1-5][a-z]?"));
        assertFalse(generated.isEmpty(), "the report has the paper's claims c1-c5");
        assertEquals(generated, quoted(Path.of("..", "README.md")), REGENERATE);
    }

    private static final String REGENERATE = "copy the '- ' lines of the section '" + SECTION + "' of experiments/"
            + "results/v3/extrapolation.md (written by: isentropic experiment eval --out experiments/results/v3)"
            + " between the v3-claims markers";

    /** The claim lines of the report's claims section whose id passes {@code keep}. */
    private static List<String> generated(Predicate<String> keep) throws IOException {
        List<String> lines = Files.readAllLines(REPORT);
        int from = lines.indexOf(SECTION);
        assertTrue(from >= 0, REPORT + " has no section " + SECTION);
        List<String> out = new ArrayList<>();
        for (String line : lines.subList(from + 1, lines.size())) {
            if (line.startsWith("## ")) {
                break;
            }
            if (line.startsWith("- ") && keep.test(line.substring(2, line.indexOf(' ', 2)))) {
                out.add(line);
            }
        }
        return out;
    }

    /** The '- ' lines between the markers of {@code readme}. */
    private static List<String> quoted(Path readme) throws IOException {
        List<String> lines = Files.readAllLines(readme);
        int from = -1;
        int to = -1;
        for (int i = 0; i < lines.size(); i++) {
            if (lines.get(i).startsWith(BEGIN)) {
                from = i;
            } else if (lines.get(i).equals(END)) {
                to = i;
            }
        }
        assertTrue(from >= 0 && to > from, readme + " has no block between " + BEGIN + " ... --> and " + END);
        return lines.subList(from + 1, to).stream().filter(l -> l.startsWith("- ")).toList();
    }
}
