package org.isentropic.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.junit.jupiter.api.Test;

class ScalesCommandTest extends InProcessCommandTest {

    @Test
    void issueCommandPrintsTheInfoScaleColumnOfThePaper() {
        assertEquals(0, run("scales", "--train-length", "64", "--head-dim", "128", "--lengths",
                "64,128,256,512,1024,2048,4096", "--format", "csv"), err.toString());
        List<String> lines = out.toString().lines().toList();
        assertEquals("length,standard,infoscale,logn,softmax_plus,qwen_logn,yarn,longrope,ssmax,llama4", lines.get(0));
        // Expected: InfoScale's formula, lambda(n) = sqrt((1 - n^(-2/d)) / (1 - N^(-2/d))) (docs/method.md), evaluated
        // here independently of the theory module, at d = 128, N = 64, printed to 4 decimals
        int[] n = {64, 128, 256, 512, 1024, 2048, 4096};
        for (int i = 0; i < n.length; i++) {
            double lambda = Math.sqrt((1 - Math.pow(n[i], -2.0 / 128)) / (1 - Math.pow(64, -2.0 / 128)));
            assertEquals(String.format(java.util.Locale.ROOT, "%.4f", lambda), lines.get(i + 1).split(",")[2],
                    lines.get(i + 1));
        }
        assertEquals("1.3918", lines.get(7).split(",")[2], "sqrt(1 + 2^(-3/32)) at n = N^2 (a geometric sum)");
        assertEquals("4096", lines.get(7).split(",")[0]);
        assertEquals("2.0000", lines.get(7).split(",")[3]);
    }

    @Test
    void selectedRulesAndClamp() {
        assertEquals(0, run("scales", "--train-length", "512", "--head-dim", "768", "--lengths", "128,2048",
                "--rules", "infoscale", "--clamp"));
        List<String> lines = out.toString().lines().toList();
        assertEquals("length,infoscale", lines.get(0));
        assertEquals("128,1.0000", lines.get(1));
    }

    @Test
    void outWritesTheSameTableToAFile(@org.junit.jupiter.api.io.TempDir java.nio.file.Path dir) throws Exception {
        assertEquals(0, run("scales", "--lengths", "64,128", "--format", "md", "--out", dir.toString()));
        assertEquals(out.toString(), java.nio.file.Files.readString(dir.resolve("scales.md")));
    }

    @Test
    void badInputIsAUsageError() {
        assertEquals(2, run("scales", "--lengths", "64,0"));
        assertTrue(err.toString().contains("0"), err.toString());
        assertEquals(2, run("scales", "--train-length", "1"));
        assertTrue(err.toString().contains("--train-length: must be >= 2, got 1"), err.toString());
        assertEquals(2, run("scales", "--rules", "nope"));
        assertTrue(err.toString().contains("nope"), err.toString());
    }
}
