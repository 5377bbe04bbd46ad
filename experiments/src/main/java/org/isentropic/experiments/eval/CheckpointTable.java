package org.isentropic.experiments.eval;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.isentropic.experiments.model.GauModel;

/**
 * The training table of a family, generated from its checkpoints' JSON (the facts the trainer recorded: steps,
 * stop reason, divergence rollbacks, schedule, final validation loss and accuracy, copy accuracy of a copy
 * fine-tune, seconds), so that the recipe text in
 * experiments/README.md can never drift from what ran: the README holds this table between the markers
 * {@value #BEGIN} and {@value #END}, and a test compares them. {@code isentropic experiment checkpoints} prints it.
 */
public final class CheckpointTable {

    public static final String BEGIN = "<!-- training-table:begin (isentropic experiment checkpoints) -->";
    public static final String END = "<!-- training-table:end -->";

    private CheckpointTable() {
    }

    /** The table of {@code family} as Markdown (the schedules numbered below it), markers included. */
    public static String markdown(Family family) {
        List<String> schedules = new ArrayList<>();
        StringBuilder b = new StringBuilder(BEGIN).append('\n');
        b.append("| checkpoint | role | seed | from | steps | stop | rollbacks | schedule | validation loss |"
                + " validation accuracy % | copy accuracy % | seconds |\n");
        b.append("|---|---|---|---|---|---|---|---|---|---|---|---|\n");
        for (Family.Checkpoint c : family.checkpoints()) {
            Map<String, Object> t = GauModel.loadResource(c.resource()).training();
            String schedule = String.valueOf(t.get("schedule"));
            if (t.get("scale_warmup") != null) {
                schedule += "; " + t.get("scale_warmup");
            }
            String from = t.get("initialised_from") == null ? "scratch"
                    : String.valueOf(t.get("initialised_from")).replace(".safetensors", "");
            int rollbacks = t.get("rollbacks") instanceof java.util.List<?> l ? l.size() : 0;
            int k = schedules.indexOf(schedule);
            if (k < 0) {
                schedules.add(schedule);
                k = schedules.size() - 1;
            }
            double copy = number(t, "final_copy_accuracy");
            b.append(String.format(Locale.ROOT, "| %s | %s | %d | %s | %s | %s | %d | S%d | %.3f | %.1f | %s | %s |%n",
                    c.name(), c.role(), c.seed(), from, t.get("steps"), t.get("stop"), rollbacks, k + 1,
                    number(t, "final_validation_loss"), 100 * number(t, "final_validation_accuracy"),
                    Double.isNaN(copy) ? "" : String.format(Locale.ROOT, "%.1f", 100 * copy), t.get("seconds")));
        }
        b.append('\n');
        for (int i = 0; i < schedules.size(); i++) {
            b.append("- S").append(i + 1).append(": ").append(schedules.get(i)).append('\n');
        }
        return b.append(END).append('\n').toString();
    }

    /** The block between the markers in {@code text} (markers included), or null. */
    public static String block(String text) {
        int from = text.indexOf(BEGIN);
        int to = text.indexOf(END);
        return from < 0 || to < from ? null : text.substring(from, to + END.length()) + "\n";
    }

    /** The number under {@code key} in a checkpoint's training facts, NaN when absent. */
    static double number(Map<String, Object> t, String key) {
        return t.get(key) instanceof Number n ? n.doubleValue() : Double.NaN;
    }
}
