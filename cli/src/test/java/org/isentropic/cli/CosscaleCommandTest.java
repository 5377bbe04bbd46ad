package org.isentropic.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.junit.jupiter.api.Test;

class CosscaleCommandTest extends InProcessCommandTest {

    @Test
    void everyTablePrintsARowPerLengthAndScale() {
        String[] common = {"--head-dim", "32", "--lengths", "64,128", "--scales", "4,64", "--samples", "10"};
        for (String table : new String[] {"entropy", "concentration", "window"}) {
            String[] args = new String[common.length + 3];
            args[0] = "cosscale";
            args[1] = "--table";
            args[2] = table;
            System.arraycopy(common, 0, args, 3, common.length);
            assertEquals(0, run(args), err.toString());
            List<String> lines = out.toString().lines().toList();
            assertEquals(5, lines.size(), table + ":\n" + out);
            assertTrue(lines.get(0).startsWith("length,s"), lines.get(0));
        }
        assertEquals(0, run("cosscale", "--table", "target", "--head-dim", "32", "--lengths", "128",
                "--target-entropy", "1,2", "--samples", "10"), err.toString());
        assertEquals(3, out.toString().lines().count());
        assertEquals(0, run("cosscale", "--table", "maxcos", "--head-dim", "32", "--lengths", "1,64", "--samples", "10"),
                err.toString());
        List<String> lines = out.toString().lines().toList();
        assertEquals("length,max_cos_quadrature,max_cos_mc,standard_error,cap_cos_exact,cap_cos_approx", lines.get(0));
        // one key: the expected largest cosine is the mean cosine, 0 (quadrature to 4 decimals)
        assertEquals(0.0, Double.parseDouble(lines.get(1).split(",")[1]), 1e-4, lines.get(1));
    }

    @Test
    void entropyFallsWithTheScale() {
        assertEquals(0, run("cosscale", "--head-dim", "32", "--lengths", "256", "--scales", "1,100", "--samples", "20"));
        List<String> lines = out.toString().lines().toList();
        double low = Double.parseDouble(lines.get(1).split(",")[2]);
        double high = Double.parseDouble(lines.get(2).split(",")[2]);
        assertTrue(high < low, out.toString());
    }

    @Test
    void badInputIsAUsageError() {
        assertEquals(2, run("cosscale", "--table", "nope"));
        assertTrue(err.toString().contains("nope"));
        assertEquals(2, run("cosscale", "--scales", "0"));
        assertEquals(2, run("cosscale", "--table", "window", "--head-dim", "31", "--samples", "2"));
    }
}
