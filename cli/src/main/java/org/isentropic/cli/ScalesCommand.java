package org.isentropic.cli;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import org.isentropic.base.OutputFiles;
import org.isentropic.base.Table;
import org.isentropic.base.UserInputException;
import org.isentropic.theory.rules.RuleParameters;
import org.isentropic.theory.rules.TemperatureRule;
import org.isentropic.theory.rules.TemperatureRules;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/**
 * {@code isentropic scales}: the factor of every temperature rule of the registry at each length, one row
 * per length, one column per rule (4 decimals). Per-position rules (qwen_logn, llama4) are evaluated for
 * the last query of a sequence of that length (1-based position n).
 */
@Command(name = "scales", mixinStandardHelpOptions = true,
        description = {"Temperature factor of every rule (InfoScale, log-n, YaRN, ...) at each length:"
                + " a lengths x rules table.",
            "Per-position rules (qwen_logn, llama4) are evaluated at the last position of a sequence of that length."})
public final class ScalesCommand implements Callable<Integer> {

    @Mixin
    LengthSweepOptions sweep;

    @Mixin
    HeadDimOption headDim;

    @Option(names = "--rules", paramLabel = "ID", split = ",", completionCandidates = RuleIds.class,
            description = "Rule ids to print (default: every rule of the registry except 'derived'). Known: "
                    + "${COMPLETION-CANDIDATES}.")
    List<String> rules;

    @Option(names = "--clamp", description = "Clamp InfoScale at 1 (the reference's DNA and T5 ports).")
    boolean clamp;

    @Option(names = "--ssmax-scale", paramLabel = "S",
            description = "SSMax's s (default: 1/ln N, so that SSMax is 1 at the training length).")
    Double ssmaxScale;

    @Option(names = "--llama4-a", paramLabel = "A", defaultValue = "0.1",
            description = "Llama 4's a (default: ${DEFAULT-VALUE}).")
    double llama4A;

    @Option(names = "--llama4-f", paramLabel = "F", defaultValue = "8192",
            description = "Llama 4's F (default: ${DEFAULT-VALUE}).")
    int llama4F;

    @Mixin
    OutputOptions output;

    /** The rules of the registry with a closed form ('derived' is the table that derive solves for). */
    static final List<String> RULES = TemperatureRules.ids().stream().filter(id -> !id.equals("derived")).toList();

    @Override
    public Integer call() {
        OptionChecks.atLeast("--train-length", sweep.train.value, 2);
        OptionChecks.atLeast("--head-dim", headDim.value(), 1);
        if (ssmaxScale != null) {
            OptionChecks.positive("--ssmax-scale", ssmaxScale);
        }
        OptionChecks.nonNegative("--llama4-a", llama4A);
        OptionChecks.atLeast("--llama4-f", llama4F, 1);
        RuleParameters p = RuleParameters.of(sweep.train.value, headDim.value()).withClampAtOne(clamp).withLlama4(llama4A, llama4F);
        if (ssmaxScale != null) {
            p = p.withSsmaxScale(ssmaxScale);
        }
        List<String> ids = new ArrayList<>();
        if (rules == null || rules.isEmpty()) {
            ids.addAll(RULES);
        } else {
            for (String id : rules) {
                ids.add(rule("--rules", id.trim()));
            }
        }
        java.nio.file.Path file = output.tableFile(new OutputFiles(), "scales");
        List<TemperatureRule> built = new ArrayList<>();
        for (String id : ids) {
            built.add(TemperatureRules.create(id, p));
        }
        List<String> columns = new ArrayList<>();
        columns.add("length");
        for (TemperatureRule r : built) {
            columns.add(r.id());
        }
        Table table = new Table(4, columns);
        for (int n : sweep.lengths) {
            Object[] row = new Object[columns.size()];
            row[0] = n;
            for (int i = 0; i < built.size(); i++) {
                row[i + 1] = built.get(i).factor(n);
            }
            table.add(row);
        }
        output.emit(table, file);
        return 0;
    }

    /** The ids of {@link #RULES}, for the help of every option that takes a rule id (the registry's, not a copy). */
    static final class RuleIds implements Iterable<String> {
        @Override
        public java.util.Iterator<String> iterator() {
            return RULES.iterator();
        }
    }

    /** A rule id given to {@code option}: one of {@link #RULES}. */
    static String rule(String option, String id) {
        if (!RULES.contains(id)) {
            throw new UserInputException(option + ": unknown rule '" + id + "' (known: " + String.join(", ", RULES)
                    + (id.equals("derived") ? "; 'derived' is the table that 'isentropic derive' solves for, not a"
                    + " closed-form rule)" : ")"));
        }
        return id;
    }
}
