package org.isentropic.base;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import org.junit.jupiter.api.Test;

class TableTest {

    private final Table table = new Table(4, "length", "rule, with comma")
            .add(64, 1.0)
            .add(128, Double.NaN);

    @Test
    void csvHasAHeaderAndQuotesCellsWithCommas() {
        assertEquals("length,\"rule, with comma\"\n64,1.0000\n128,NaN\n", table.render(OutputFormat.csv));
    }

    @Test
    void markdownHasASeparatorRow() {
        assertEquals("| length | rule, with comma |\n|---|---|\n| 64 | 1.0000 |\n| 128 | NaN |\n",
                table.render(OutputFormat.md));
    }

    @Test
    void jsonWritesNonFiniteNumbersAsNull() {
        assertEquals("[\n  {\"length\": 64, \"rule, with comma\": 1.0000},\n"
                + "  {\"length\": 128, \"rule, with comma\": null}\n]\n", table.render(OutputFormat.json));
    }

    @Test
    void rowOfTheWrongWidthIsRejected() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> table.add(1));
        assertEquals("row has 1 cells, table has 2 columns", e.getMessage());
    }
}
