package org.isentropic.experiments.model;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.isentropic.experiments.eval.Family;
import org.junit.jupiter.api.Test;

/** The plan {@code isentropic experiment train} prints is the one the committed v3 checkpoints' JSON record. */
class TrainingPlanTest {

    private static Map<String, Object> training(String name) throws Exception {
        try (InputStream in = TrainingPlanTest.class.getClassLoader()
                .getResourceAsStream(TrainingPlan.FOLDER + "/" + name + ".json")) {
            assertNotNull(in, "no JSON committed for the plan's run " + name);
            return GauConfig.fromJson(new String(in.readAllBytes(), StandardCharsets.UTF_8)).training();
        }
    }

    private static String flag(String arguments, String flag) {
        Matcher m = Pattern.compile("--" + flag + " (\\S+)").matcher(arguments);
        return m.find() ? m.group(1) : null;
    }

    @Test
    void everyRunOfThePlanRanWithItsSeedStepsAndStart() throws Exception {
        for (TrainingPlan.Run r : TrainingPlan.runs()) {
            Map<String, Object> t = training(r.name());
            assertEquals(Long.parseLong(flag(r.arguments(), "seed")), ((Number) t.get("seed")).longValue(),
                    r.name() + ": seed");
            String steps = flag(r.arguments(), "steps");
            if (steps != null) {
                assertEquals(Integer.parseInt(steps), ((Number) t.get("steps")).intValue(), r.name() + ": steps");
            }
            Object from = t.get("initialised_from");
            assertEquals(r.initFrom() == null ? null : r.initFrom() + ".safetensors", from, r.name() + ": start");
            String init = flag(r.arguments(), "init");
            assertTrue(init == null ? r.initFrom() == null : init.endsWith("/" + r.initFrom() + ".safetensors"),
                    r.name() + ": --init " + init);
            if (r.name().startsWith("copy")) {
                assertEquals("true".equals(flag(r.arguments(), "copy-loss-only")), t.get("copy_loss_only"),
                        r.name() + ": copy loss only");
            }
        }
    }

    @Test
    void everyIndexedCheckpointIsAPlanRunWithItsRole() {
        Family v3 = Family.indexedOrNull("v3");
        assertNotNull(v3);
        Map<String, String> roles = new java.util.HashMap<>();
        TrainingPlan.runs().forEach(r -> roles.put(r.name(), r.role()));
        for (Family.Checkpoint c : v3.checkpoints()) {
            assertEquals(c.role(), roles.get(c.name()), c.name());
        }
    }

    @Test
    void copyLineagesFollowTheirBlockRules() throws Exception {
        Set<Integer> seeds = new HashSet<>();
        for (TrainingPlan.CopyLineage l : TrainingPlan.COPY_LINEAGES) {
            seeds.add(l.seed());
            List<TrainingPlan.Run> runs = TrainingPlan.runs().stream().filter(r -> r.seed() == l.seed()
                    && r.role().startsWith("copy-")).toList();
            for (TrainingPlan.Run r : runs) {
                double copy = ((Number) training(r.name()).get("final_copy_accuracy")).doubleValue();
                boolean lastSkill = r.role().equals("copy-skill") && runs.stream().noneMatch(
                        x -> r.name().equals(x.initFrom()) && x.role().equals("copy-skill"));
                boolean lastBase = r.role().equals("copy-base") && runs.stream().noneMatch(
                        x -> r.name().equals(x.initFrom()) && x.role().equals("copy-base"));
                if (r.role().equals("copy-skill") && !lastSkill) {
                    assertTrue(copy < TrainingDefaults.COPY_SKILL_ACCURACY, r.name() + " left chance, yet repeated");
                }
                if (lastSkill) {
                    assertEquals(l.baseBlocks() > 0, copy >= TrainingDefaults.COPY_SKILL_ACCURACY
                            || l.skillBlocks() < TrainingDefaults.COPY_SKILL_BLOCKS, r.name() + ": " + copy);
                }
                if (r.role().equals("copy-base") && !lastBase) {
                    assertTrue(copy < TrainingDefaults.COPY_TARGET_ACCURACY, r.name() + " reached the aim, yet repeated");
                }
                if (lastBase) {
                    assertTrue(copy >= TrainingDefaults.COPY_TARGET_ACCURACY
                            || l.baseBlocks() == TrainingDefaults.COPY_RECOVERY_BLOCKS, r.name() + ": " + copy);
                }
            }
            assertTrue(l.skillBlocks() <= TrainingDefaults.COPY_SKILL_BLOCKS
                    && l.baseBlocks() <= TrainingDefaults.COPY_RECOVERY_BLOCKS, l.toString());
        }
        assertEquals(5, seeds.size(), "every softmax-ft seed tried once, in order, until three copy");
    }
}
