package org.isentropic.experiments.eval;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;

/** experiments/README.md's training table is the one the checkpoints' JSON generate. */
class CheckpointTableTest {

    @Test
    void theReadmeTableIsGeneratedFromTheV3Checkpoints() throws Exception {
        Family v3 = Family.indexedOrNull("v3");
        assertNotNull(v3, "checkpoints/v3/index.csv");
        String readme = Files.readString(Path.of("README.md"));
        String block = CheckpointTable.block(readme);
        assertNotNull(block, "README.md has no training table between " + CheckpointTable.BEGIN + " and "
                + CheckpointTable.END);
        assertEquals(CheckpointTable.markdown(v3), block,
                "regenerate with: isentropic experiment checkpoints --family v3");
    }

    @Test
    void everyRunTrainedFromScratchStoppedByThePlateauRule() {
        Family v3 = Family.indexedOrNull("v3");
        assertNotNull(v3);
        for (Family.Checkpoint c : v3.checkpoints()) {
            java.util.Map<String, Object> t = org.isentropic.experiments.model.GauModel.loadResource(c.resource())
                    .training();
            boolean scratch = t.get("initialised_from") == null;
            assertEquals(java.util.List.of(Family.SOFTMAX, Family.ATTENTION_E, Family.N256).contains(c.role()), scratch,
                    c.name() + ": only the softmax, Attention-E and N = 256 runs start from scratch");
            if (scratch) {
                assertTrue(String.valueOf(t.get("stop")).startsWith("stopped on plateau"), c.name() + ": " + t.get("stop"));
            }
        }
    }
}
