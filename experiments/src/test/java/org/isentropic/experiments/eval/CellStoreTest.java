package org.isentropic.experiments.eval;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.isentropic.base.Seeds;
import org.isentropic.base.UserInputException;
import org.isentropic.kernels.AttentionKernels;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A run cut off resumes from its finished cells: a second run over the same store scores nothing again and gives the
 * same results; a cell lost from the store is scored again; a store left by a run with other settings is refused.
 */
class CellStoreTest {

    private static final Family FAMILY = Family.v1();
    private static final Plan PLAN = new Plan("test", List.of(new Plan.Entry("tiny", c -> true, Protocol.STREAMS,
            List.of(Method.ROPE), List.of(Temperature.STANDARD, Temperature.ORACLE), List.of(64, 128))), 2, 1, 128);

    @Test
    void aSecondRunReadsEveryCellAndGivesTheSameResults(@TempDir Path dir) throws Exception {
        ExperimentRunner.Setup s = ExperimentRunner.setup(FAMILY, PLAN, null);
        CellStore store = ExperimentRunner.cellStore(s, Seeds.DEFAULT_SEED, "fused(1)", dir, "--out");
        List<String> first = new ArrayList<>();
        Evaluation.Result a = ExperimentRunner.run(s, Seeds.DEFAULT_SEED, 2, () -> AttentionKernels.fused(1), dir,
                "fused(1)", first::add, store);
        int cells = 2 * 2 * 2; // checkpoints x temperatures x lengths
        assertEquals(cells, store.finished());
        assertTrue(first.stream().noneMatch(l -> l.contains("read from the cell store")), String.join("\n", first));

        // lose one cell, as a run killed while scoring it would
        Plan.Row row = a.results().get(0).row();
        Files.delete(store.file(row, 64));
        List<String> second = new ArrayList<>();
        CellStore again = ExperimentRunner.cellStore(s, Seeds.DEFAULT_SEED, "fused(1)", dir, "--out");
        Evaluation.Result b = ExperimentRunner.run(s, Seeds.DEFAULT_SEED, 2, () -> AttentionKernels.fused(1), dir,
                "fused(1)", second::add, again);
        int oracles = 2 * 2; // checkpoints x lengths
        assertEquals(cells - 1 + oracles, second.stream().filter(l -> l.contains("read from the cell store")).count(),
                String.join("\n", second));
        assertEquals(a.oracle().keySet(), b.oracle().keySet(), "the same oracle keys");
        a.oracle().forEach((k, f) -> assertArrayEquals(f, b.oracle().get(k), "oracle " + k));
        assertEquals(cells, again.finished());
        assertEquals(a.results().size(), b.results().size());
        for (int i = 0; i < a.results().size(); i++) {
            Evaluation.StreamResult x = a.results().get(i);
            Evaluation.StreamResult y = b.results().get(i);
            assertEquals(x.row(), y.row());
            assertEquals(x.length(), y.length());
            assertEquals(x.stream(), y.stream());
            assertArrayEquals(x.hits(), y.hits());
            assertArrayEquals(x.losses(), y.losses());
            assertArrayEquals(x.entropy(), y.entropy());
        }
    }

    @Test
    void aStoreOfAnotherRunIsRefusedNamingTheOption(@TempDir Path dir) {
        ExperimentRunner.Setup s = ExperimentRunner.setup(FAMILY, PLAN, null);
        ExperimentRunner.cellStore(s, Seeds.DEFAULT_SEED, "fused(1)", dir, "--out");
        UserInputException e = assertThrows(UserInputException.class,
                () -> ExperimentRunner.cellStore(s, Seeds.DEFAULT_SEED + 1, "fused(1)", dir, "--out"));
        assertTrue(e.getMessage().startsWith("--out "), e.getMessage());
        assertTrue(e.getMessage().contains("seed: " + Seeds.DEFAULT_SEED), e.getMessage());
    }
}
