package org.isentropic.benchmarks.runner;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.isentropic.benchmarks.peak.PeakProbe;
import org.junit.jupiter.api.Test;

/**
 * The results file's writer and reader: what is written reads back to the same records (numbers to their 6
 * significant digits, NaN as null and back), writing what was read gives the same bytes, older files read
 * with the current mask name, and a file of another shape is refused naming the member.
 */
class ResultsFileTest {

    private static final MachineInfo MACHINE = new MachineInfo("test VM \"quoted\"", "test OS", "test CPU",
            List.of("avx2", "fma"), 2, "Species[float, 16, S_512_BIT]");

    /** The fused case's three forks, seconds per call. */
    private static final List<Double> FORK_SECONDS = List.of(3.1234567e-3, 3.15e-3, 3.1764e-3);

    /** A report over made-up results of every kind: peak, bandwidth, fused, paired, decode, a failure. */
    private static BenchReport report() {
        List<BenchResult> rs = new ArrayList<>();
        rs.add(new BenchResult(new BenchCase("peak/1t", "PeakBenchmark.oneThread", Map.of()), 6400.125, 12.5,
                "ops/s", 64.0));
        rs.add(new BenchResult(new BenchCase(BenchPlan.BANDWIDTH_ONE, "BandwidthBenchmark.oneThread", Map.of()),
                321.123456789, 1, "ops/s", 0));
        rs.add(new BenchResult(BenchPlan.fused(1024, 128, "full", 1, true, "dot", "standard"), 3.14159265, 0.0271828,
                "ms/op", 12.5, 0.0, Double.NaN, Double.NaN, FORK_SECONDS));
        rs.add(new BenchResult(BenchPlan.fused(1024, 128, "window256", 2, true, "dot", "standard"), 1.5, Double.NaN,
                "ms/op", 1e-9));
        rs.add(new BenchResult(BenchPlan.isentropicCost(1024, 128, 1), 5.5, 0.1, "ms/op", 100, 0, 2.345678912, 3.25));
        rs.add(new BenchResult(BenchPlan.decode(4096, 128, 2), 17.5, 0.5, "us/op", 0));
        List<BenchRunner.Failure> failures = List.of(
                new BenchRunner.Failure(BenchPlan.ejml(1024, 128, "causal", 1), "disagrees\nwith the reference"),
                new BenchRunner.Failure(BenchPlan.ejml(1024, 128, "causal", 2), null));
        return new BenchReport(BenchPlan.quick(), rs, failures,
                List.of(new PeakProbe.PeakMeasurement(1, "S", 16, 16, 201.123456, 0.5)), MACHINE,
                "isentropic bench --quick", Instant.parse("2026-01-01T00:00:00Z"), "a note");
    }

    @Test
    void whatIsWrittenReadsBackAndWritesTheSameBytes() {
        ResultsFile written = report().resultsFile();
        String text = written.json();
        ResultsFile read = ResultsFile.parse(text);
        assertEquals(text, read.json());
        assertEquals(written.machine(), read.machine());
        assertEquals(written.settings(), read.settings());
        assertEquals(written.targets().size(), read.targets().size());
        assertEquals(written.failures(), read.failures());
        assertEquals(written.cases().size(), read.cases().size());
        for (int i = 0; i < written.cases().size(); i++) {
            ResultsFile.CaseResult w = written.cases().get(i);
            ResultsFile.CaseResult r = read.cases().get(i);
            assertEquals(w.benchCase(), r.benchCase());
            assertEquals(w.unit(), r.unit());
            assertClose(w.secondsPerOp(), r.secondsPerOp());
            assertClose(w.gflops(), r.gflops());
            assertClose(w.percentOfPeak(), r.percentOfPeak());
            assertClose(w.gbPerSecond(), r.gbPerSecond());
            assertClose(w.percentOfBandwidth(), r.percentOfBandwidth());
            assertClose(w.pairedRatio(), r.pairedRatio());
            assertClose(w.solverPasses(), r.solverPasses());
            assertEquals(w.forkSeconds().size(), r.forkSeconds().size());
            for (int f = 0; f < w.forkSeconds().size(); f++) {
                assertClose(w.forkSeconds().get(f), r.forkSeconds().get(f));
            }
        }
        assertClose(written.peak().gflopsOneThread(), read.peak().gflopsOneThread());
        assertClose(written.bandwidth().gbPerSecondOneThread(), read.bandwidth().gbPerSecondOneThread());
        assertTrue(Double.isNaN(read.cases().get(3).scoreError()), "NaN is written as null and read back as NaN");
        assertClose(2.345678912, read.cases().get(4).pairedRatio());
        assertEquals(FORK_SECONDS, written.cases().get(2).forkSeconds());
        assertEquals(List.of(3.12346e-3, 3.15e-3, 3.1764e-3), read.cases().get(2).forkSeconds());
        assertEquals(List.of(), read.cases().get(3).forkSeconds(), "a case without fork means reads as none");
        assertTrue(text.contains("\"fork_seconds\": [\n        0.00312346,"), text);
    }

    @Test
    void numbersWithSixDigitsReadBackExactly() {
        ResultsFile.CaseResult c = new ResultsFile.CaseResult(BenchPlan.decode(4096, 128, 1), 17.5, 0.25, "us/op",
                1.75e-5, 2.09715e6, 119.837, Double.NaN, Double.NaN, 12.25, 81.5, Double.NaN, Double.NaN, 0, 0,
                Double.NaN, Double.NaN, Double.NaN, 57142.9, List.of(1.75e-5, 1.8e-5));
        ResultsFile f = new ResultsFile("quick", "isentropic bench", "2026-01-01T00:00:00Z", "", MACHINE,
                new ResultsFile.Settings(BenchSettings.quick(), "-Xmx1g"),
                new ResultsFile.Peak("none measured", Double.NaN, Double.NaN, List.of(), Double.NaN),
                new ResultsFile.Bandwidth(15.5, 25.0), List.of(c),
                List.of(new BenchReport.Target("t", "-", Double.NaN, ">= 1", null)), List.of());
        assertEquals(f, ResultsFile.parse(f.json()));
    }

    @Test
    void olderFilesReadWithTheCurrentMaskNameAndWithoutTheNewerFigures() {
        String text = report().json().replace("/full/", "/bidirectional/").replace("\"mask\": \"full\"",
                "\"mask\": \"bidirectional\"").replace("\"paired_ratio\"", "\"old_member\"")
                .replace("\"fork_seconds\"", "\"older_member\"");
        int bandwidth = text.indexOf("  \"bandwidth\"");
        text = text.substring(0, bandwidth) + text.substring(text.indexOf("  \"cases\"")); // no bandwidth object
        assertTrue(text.contains("fused/n1024/d128/bidirectional/t1"), "the fixture uses the old name");
        ResultsFile read = ResultsFile.parse(text);
        ResultsFile.CaseResult fused = read.cases().get(2);
        assertEquals("fused/n1024/d128/full/t1", fused.benchCase().id());
        assertEquals("full", fused.benchCase().param("mask", "?"));
        assertTrue(Double.isNaN(read.bandwidth().gbPerSecondOneThread()));
        assertTrue(Double.isNaN(read.cases().get(4).pairedRatio()));
        assertEquals(List.of(), fused.forkSeconds(), "a file without fork_seconds reads as none");
        assertFalse(read.json().contains("bidirectional/"));
    }

    @Test
    void anotherShapeIsRefusedNamingTheMember() {
        String text = report().json();
        IllegalArgumentException noMachine = assertThrows(IllegalArgumentException.class,
                () -> ResultsFile.parse(text.replace("\"machine\"", "\"computer\"")));
        assertTrue(noMachine.getMessage().contains("\"machine\""), noMachine.getMessage());
        IllegalArgumentException badProcessors = assertThrows(IllegalArgumentException.class,
                () -> ResultsFile.parse(text.replace("\"processors\": 2", "\"processors\": \"two\"")));
        assertTrue(badProcessors.getMessage().contains("machine.processors"), badProcessors.getMessage());
    }

    private static void assertClose(double expected, double actual) {
        if (Double.isNaN(expected)) {
            assertTrue(Double.isNaN(actual), "expected NaN, got " + actual);
            return;
        }
        assertEquals(expected, actual, 5e-6 * Math.abs(expected), "6 significant digits");
    }
}
