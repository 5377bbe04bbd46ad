package org.isentropic.experiments.eval;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The per-layer source mass: means over the scored characters per (cell, D, n, run), and the report's table. */
class SourceMassByLayerTest {

    @TempDir
    Path dir;

    @Test
    void theFileHoldsEachLayersMeanOverTheCharactersAndTheTablePairsCopyWithControl() throws Exception {
        List<RetrievalProbe.Hit> hits = new ArrayList<>();
        Plan.Row a = RetrievalAnalysisTest.row("copy-softmax-ft", 1, Method.ROPE, Temperature.STANDARD);
        Plan.Row b = RetrievalAnalysisTest.row("copy-softmax-ft", 2, Method.ROPE, Temperature.STANDARD);
        hits.add(new RetrievalProbe.Hit(a, 0, 32, 64, false, true, 0.1, new double[] {0.2, 0.6}));
        hits.add(new RetrievalProbe.Hit(b, 3, 32, 64, false, false, 2.0, new double[] {0.4, 0.0}));
        hits.add(new RetrievalProbe.Hit(a, 0, 32, 64, true, false, 2.0, new double[] {0.1, 0.05}));
        hits.add(new RetrievalProbe.Hit(a, 0, 4000, 4096, false, false, 2.0, new double[] {0.001, 0.002}));
        Path file = dir.resolve(SourceMassByLayer.FILE);
        SourceMassByLayer.write(hits, file);
        List<String> lines = Files.readAllLines(file);
        assertEquals(List.of(SourceMassByLayer.HEADER,
                "copy-softmax-ft/rope/standard,32,64,0,2,1,0.30000",
                "copy-softmax-ft/rope/standard,32,64,0,2,2,0.30000",
                "copy-softmax-ft/rope/standard,32,64,1,1,1,0.10000",
                "copy-softmax-ft/rope/standard,32,64,1,1,2,0.05000",
                "copy-softmax-ft/rope/standard,4000,4096,0,1,1,0.00100",
                "copy-softmax-ft/rope/standard,4000,4096,0,1,2,0.00200"), lines);
        String md = SourceMassByLayer.markdown(file);
        assertTrue(md.startsWith("| cell | D | n | layer 1 | layer 2 |\n|---|---|---|---|---|\n"), md);
        assertTrue(md.contains("| copy-softmax-ft/rope/standard | 32 | 64 | 0.300 / 0.100 | 0.300 / 0.050 |"), md);
        assertTrue(md.contains("| copy-softmax-ft/rope/standard | 4000 | 4096 | 0.001 / - | 0.002 / - |"), md);
    }

    @Test
    void aRowWithAnotherLayerCountIsRefused() {
        Plan.Row a = RetrievalAnalysisTest.row("copy-softmax-ft", 1, Method.ROPE, Temperature.STANDARD);
        List<RetrievalProbe.Hit> hits = List.of(
                new RetrievalProbe.Hit(a, 0, 32, 64, false, true, 0.1, new double[] {0.2, 0.6}),
                new RetrievalProbe.Hit(a, 1, 32, 64, false, true, 0.1, new double[] {0.2}));
        assertThrows(IllegalArgumentException.class, () -> SourceMassByLayer.write(hits, dir.resolve("x.csv")));
    }
}
