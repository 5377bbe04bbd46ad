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
        // Golden: docs/method.md (InfoScale) (d = 128, N = 64)
        String[] expected = {"1.0000", "1.0772", "1.1485", "1.2150", "1.2773", "1.3361", "1.3918"};
        for (int i = 0; i < expected.length; i++) {
            assertEquals(expected[i], lines.get(i + 1).split(",")[2], lines.get(i + 1));
        }
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
