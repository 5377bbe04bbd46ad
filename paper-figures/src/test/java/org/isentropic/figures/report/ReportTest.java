package org.isentropic.figures.report;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.isentropic.base.Json;
import org.isentropic.base.Table;
import org.isentropic.base.UserInputException;
import org.isentropic.figures.charts.ChartFiles;
import org.isentropic.figures.charts.Charts;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.knowm.xchart.XYChart;

class ReportTest {

    @TempDir
    Path dir;

    /** A section that draws y = k x and says the slope it drew. */
    record Line(int number, double slope) implements ReportSection {
        @Override
        public String title() {
            return "line " + number;
        }

        @Override
        public SectionResult render(FigureContext ctx) throws java.io.IOException {
            XYChart c = Charts.xy("line", "x (1)", "y (1)");
            Charts.addSeries(c, "y", new double[] {0, 1}, new double[] {0, slope}, null);
            String png = ChartFiles.save(c, ctx.outDir(), "line-" + number).png().getFileName().toString();
            Table t = new Table(2, "x", "y").add(1, slope);
            String csv = DataFiles.csv(ctx.outDir(), "line-" + number + ".csv", t);
            return new SectionResult(number, title(), true, List.of(png), List.of(csv), "Slope " + slope + ".", t,
                    Map.of("slope", slope), "test");
        }
    }

    record Failing(int number) implements ReportSection {
        @Override
        public String title() {
            return "failing";
        }

        @Override
        public SectionResult render(FigureContext ctx) {
            throw new IllegalStateException("boom");
        }
    }

    @Test
    void reportHasASectionPerFigureWithImageReadingTableAndProvenance() throws Exception {
        List<ReportSection> sections = List.of(new Line(2, 3.5), new Line(1, 2.0), new Failing(3),
                new ReportSection() {
                    public int number() {
                        return 8;
                    }

                    public String title() {
                        return "absent one";
                    }

                    public SectionResult render(FigureContext c) {
                        return SectionResult.absent(8, "absent one", "not in this build");
                    }
                });
        ByteArrayOutputStream log = new ByteArrayOutputStream();
        FigureRun.Result r = FigureRun.execute(new FigureRun.Request(sections, dir, 42L, Budget.tiny(), 1,
                Set.of(), true, "isentropic reproduce --test", Map.of("kernels", "test")), new PrintStream(log, true, StandardCharsets.UTF_8));
        String md = Files.readString(dir.resolve(ReportWriter.REPORT));
        assertTrue(md.indexOf("## Figure 1. line 1") < md.indexOf("## Figure 2. line 2"), md);
        assertTrue(md.contains("![Figure 1: line 1](line-1.png)"), md);
        assertTrue(md.contains("Slope 3.5."), md);
        assertTrue(md.contains("| x | y |"), md);
        assertTrue(md.contains("*Not available.* This figure failed while running: java.lang.IllegalStateException: boom"), md);
        assertTrue(md.contains("*Not available.* not in this build"), md);
        assertTrue(md.contains("`isentropic reproduce --test`") && md.contains("| seed | 42 |"), md);
        assertTrue(md.contains("| kernels | test |") && md.contains("| run time |"), md);
        assertEquals(List.of(3), r.outcome().failures());
        assertTrue(Files.isRegularFile(dir.resolve("line-1.png")) && Files.isRegularFile(dir.resolve("line-2.svg")));
        assertTrue(log.toString(StandardCharsets.UTF_8).contains("figure 3: not available"));

        @SuppressWarnings("unchecked")
        Map<String, Object> json = (Map<String, Object>) Json.parse(Files.readString(dir.resolve(ReportWriter.SUMMARY)));
        @SuppressWarnings("unchecked")
        List<Map<String, Object>> figures = (List<Map<String, Object>>) json.get("figures");
        assertEquals(4, figures.size());
        assertEquals(2.0, ((Number) ((Map<?, ?>) figures.get(0).get("key")).get("slope")).doubleValue());
        assertEquals(Boolean.TRUE, figures.get(2).get("failed"));
        assertEquals(42.0, ((Number) ((Map<?, ?>) json.get("provenance")).get("seed")).doubleValue());
        assertEquals(4, r.table().rowCount());
    }

    @Test
    void onlyRunsTheChosenFiguresAndRejectsUnknownOnes() throws Exception {
        List<ReportSection> sections = List.of(new Line(1, 1), new Line(2, 2));
        PrintStream quiet = new PrintStream(new ByteArrayOutputStream(), true, StandardCharsets.UTF_8);
        FigureRun.Result r = FigureRun.execute(new FigureRun.Request(sections, dir, 1L, Budget.tiny(), 1, Set.of(2),
                false, "x", Map.of()), quiet);
        assertEquals(1, r.outcome().results().size());
        assertTrue(Files.exists(dir.resolve("line-2.png")) && !Files.exists(dir.resolve("line-1.png")));
        assertTrue(!Files.exists(dir.resolve(ReportWriter.REPORT)) && Files.exists(dir.resolve(ReportWriter.SUMMARY)));
        UserInputException e = assertThrows(UserInputException.class, () -> FigureRun.execute(
                new FigureRun.Request(sections, dir, 1L, Budget.tiny(), 1, Set.of(9), false, "x", Map.of()), quiet));
        assertTrue(e.getMessage().contains("9"), e.getMessage());
    }

    /**
     * Bad input is refused before anything is created: an unknown figure leaves no --out directory behind (nor
     * its missing parent), and a report file that cannot be written (a directory where REPORT.md goes) is
     * refused before any figure is drawn into an existing --out.
     */
    @Test
    void aRefusedRequestCreatesNothing() throws Exception {
        List<ReportSection> sections = List.of(new Line(1, 1), new Line(2, 2));
        PrintStream quiet = new PrintStream(new ByteArrayOutputStream(), true, StandardCharsets.UTF_8);
        Path out = dir.resolve("parent").resolve("out");
        UserInputException e = assertThrows(UserInputException.class, () -> FigureRun.execute(
                new FigureRun.Request(sections, out, 1L, Budget.tiny(), 1, Set.of(2, 9), true, "x", Map.of()), quiet));
        assertTrue(e.getMessage().startsWith("--only: no figure 9"), e.getMessage());
        assertFalse(Files.exists(dir.resolve("parent")), "a refused request created " + dir.resolve("parent"));

        Path existing = Files.createDirectories(dir.resolve("existing"));
        Files.createDirectory(existing.resolve(ReportWriter.REPORT));
        e = assertThrows(UserInputException.class, () -> FigureRun.execute(
                new FigureRun.Request(sections, existing, 1L, Budget.tiny(), 1, Set.of(), true, "x", Map.of()), quiet));
        assertTrue(e.getMessage().startsWith("--out"), e.getMessage());
        try (var files = Files.list(existing)) {
            assertEquals(List.of(existing.resolve(ReportWriter.REPORT)), files.toList(), "nothing written");
        }

        Path file = Files.writeString(dir.resolve("a-file"), "x");
        e = assertThrows(UserInputException.class, () -> FigureRun.execute(
                new FigureRun.Request(sections, file.resolve("out"), 1L, Budget.tiny(), 1, Set.of(), false, "x",
                        Map.of()), quiet));
        assertTrue(e.getMessage().startsWith("--out"), e.getMessage());
    }

    @Test
    void figureSeedsAreDistinctAndStable() {
        FigureContext a = new FigureContext(dir, 7L, Budget.tiny(), java.util.Optional.empty(), 1);
        assertTrue(a.seedFor(1) != a.seedFor(2));
        assertEquals(a.seedFor(3), new FigureContext(dir, 7L, Budget.quick(), java.util.Optional.empty(), 2).seedFor(3));
    }

    @Test
    void budgetsSweepFromNToTheLargestLength() {
        assertEquals(List.of(64, 128, 256, 512, 1024, 2048, 4096),
                java.util.Arrays.stream(Budget.full().lengths()).boxed().toList());
        assertThrows(IllegalArgumentException.class, () -> new Budget("bad", 64, 32, 128, 10, 2, 2, 2, 16, 2));
    }
}
