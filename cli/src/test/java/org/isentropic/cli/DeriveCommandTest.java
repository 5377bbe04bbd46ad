package org.isentropic.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.junit.jupiter.api.Test;

class DeriveCommandTest extends InProcessCommandTest {

    private static int column(String header, String name) {
        return List.of(header.split(",")).indexOf(name);
    }

    @Test
    void approximateCapConditionPrintsInfoScaleBesideItself() {
        assertEquals(0, run("derive", "--condition", "focused-cap-approx", "--lengths", "64,256,4096"), err.toString());
        List<String> lines = out.toString().lines().toList();
        int factor = column(lines.get(0), "factor");
        int info = column(lines.get(0), "infoscale");
        assertTrue(factor >= 0 && info >= 0, lines.get(0));
        for (String line : lines.subList(1, lines.size())) {
            String[] cells = line.split(",");
            assertEquals(cells[info], cells[factor], line);
        }
        assertEquals("1.3918", lines.get(3).split(",")[factor]);
    }

    @Test
    void exactConditionIsReproducibleAndHasStandardErrors() {
        String[] args = {"derive", "--condition", "exact", "--model", "sphere", "--base-scale", "16,32",
            "--head-dim", "32", "--train-length", "16", "--lengths", "16,64", "--samples", "50", "--seed", "7"};
        assertEquals(0, run(args), err.toString());
        String first = out.toString();
        assertEquals(0, run(args));
        assertEquals(first, out.toString());
        List<String> lines = first.lines().toList();
        assertEquals(5, lines.size());
        int se = column(lines.get(0), "standard_error");
        assertTrue(Double.parseDouble(lines.get(2).split(",")[se]) > 0, lines.get(2));
        assertEquals(0, run(args[0], args[1], args[2], args[3], args[4], args[5], args[6], args[7], args[8], args[9],
                args[10], args[11], args[12], args[13], args[14], "--seed", "8"));
        assertTrue(!first.equals(out.toString()), "another seed must give other numbers");
    }

    @Test
    void everyModelAndConditionRuns() {
        assertEquals(0, run("derive", "--condition", "mean-field", "--model", "gaussian", "--lengths", "64,128",
                "--base-entropy", "2"), err.toString());
        assertEquals(0, run("derive", "--condition", "laplace", "--model", "anisotropic", "--lengths", "64,128"),
                err.toString());
        assertEquals(0, run("derive", "--condition", "planted-focus", "--model", "planted", "--head-dim", "32",
                "--lengths", "64,128", "--samples", "20", "--base-scale", "8"), err.toString());
        assertEquals(0, run("derive", "--condition", "focused-cap-exact", "--lengths", "64,128"), err.toString());
    }

    @Test
    void badInputIsAUsageError() {
        assertEquals(2, run("derive", "--base-scale", "1", "--base-entropy", "2"));
        assertEquals(2, run("derive", "--condition", "nope"));
        assertTrue(err.toString().contains("nope"), err.toString());
        assertEquals(2, run("derive", "--model", "nope"));
        assertEquals(2, run("derive", "--base-scale", "-1"));
        assertTrue(err.toString().contains("-1"), err.toString());
        assertEquals(2, run("derive", "--samples", "1"));
    }
}
