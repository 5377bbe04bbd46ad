package org.isentropic.experiments.eval;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Map;
import org.isentropic.kernels.spec.NMode;
import org.junit.jupiter.api.Test;

class PlanAndFamilyTest {

    static final String INDEX = String.join("\n", "name,role,seed,scale", "softmax-seed1,softmax,1,",
            "softmax-ft-seed1,control,1,", "softmax-ft-seed2,control,2,", "cos128-seed1,cosscale,1,128",
            "cos128-seed2,cosscale,2,128", "cos32-seed1,cosscale,1,32", "softplus-seed1,attention-e,1,", "");

    @Test
    void anIndexParsesIntoArmsAndSeeds() {
        Family f = Family.parseIndex("d128", "d128/", INDEX);
        assertEquals(7, f.checkpoints().size());
        Family.Checkpoint c = f.checkpoints().get(3);
        assertEquals("d128/cos128-seed1", c.resource());
        assertEquals("cos128", c.arm());
        assertEquals(1, c.seed());
        assertEquals("control", f.checkpoints().get(1).arm());
        assertTrue(f.has(Family.ATTENTION_E));
    }

    @Test
    void badIndexesAreRefusedNamingTheLine() {
        assertThrows(IllegalArgumentException.class, () -> Family.parseIndex("x", "", "name,role\n"));
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> Family.parseIndex("x", "", "name,role,seed,scale\na,teacher,1,\n"));
        assertTrue(e.getMessage().contains("line 2"), e.getMessage());
    }

    @Test
    void visibleRowsExistOnlyForMaskingMethodsAndLengthDependentTemperatures() {
        Map<Plan.Row, List<Integer>> rows = Plan.forFamily(Family.v1()).rows(Family.v1());
        for (Plan.Row r : rows.keySet()) {
            if (r.nMode() == NMode.VISIBLE) {
                assertTrue(r.method().masking() && r.temperature().lengthDependent(), r.toString());
            }
        }
        assertTrue(rows.keySet().stream().anyMatch(r -> r.method() == Method.WINDOW && r.nMode() == NMode.VISIBLE
                && r.temperature() == Temperature.INFOSCALE));
        assertTrue(rows.keySet().stream().anyMatch(r -> r.method() == Method.REROPE_REFERENCE));
        assertTrue(rows.keySet().stream().anyMatch(r -> r.protocol() == Protocol.REPEATED));
    }

    @Test
    void theD128PlanRunsEveryMethodOnOneSeedAndTheMainRowsOnEverySeed() {
        Family f = Family.parseIndex("d128", "d128/", INDEX);
        Map<Plan.Row, List<Integer>> rows = Plan.forFamily(f).rows(f);
        // seed 1 of the control: every method under the paper's temperatures, every temperature on RoPE
        assertTrue(rows.keySet().stream().anyMatch(r -> r.checkpoint().name().equals("softmax-ft-seed1")
                && r.method() == Method.PI_REFERENCE && r.temperature() == Temperature.INFOSCALE));
        assertTrue(rows.keySet().stream().anyMatch(r -> r.checkpoint().name().equals("softmax-ft-seed1")
                && r.method() == Method.ROPE && r.temperature() == Temperature.DERIVED));
        // other seeds: no reference variants, but RoPE with the oracle and the per-row isentropic temperature
        assertTrue(rows.keySet().stream().noneMatch(r -> r.checkpoint().name().equals("cos128-seed2")
                && r.method() == Method.PI_REFERENCE));
        assertTrue(rows.keySet().stream().anyMatch(r -> r.checkpoint().name().equals("cos32-seed1")
                && r.method() == Method.ROPE && r.temperature() == Temperature.ISENTROPIC));
        assertTrue(rows.keySet().stream().anyMatch(r -> r.checkpoint().name().equals("cos128-seed2")
                && r.method() == Method.ROPE && r.temperature() == Temperature.ORACLE));
    }
}
