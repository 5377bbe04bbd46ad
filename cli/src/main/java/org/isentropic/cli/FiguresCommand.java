package org.isentropic.cli;

import java.util.LinkedHashSet;
import java.util.Set;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/** {@code isentropic figures}: some or all figures with their CSV and summary.json, without the report. */
@Command(name = "figures", mixinStandardHelpOptions = true,
        description = "Write figures (PNG at 150 dpi, SVG) with their CSV data and summary.json.")
public final class FiguresCommand implements Callable<Integer> {

    @Option(names = "--quick", description = "Fewer Monte Carlo samples (the budget of reproduce --quick).")
    boolean quick;

    @Option(names = "--only", paramLabel = "LIST", split = ",",
            description = "Figure numbers to write, e.g. 1,4 (default: all).")
    int[] only;

    @Mixin
    FigureRunOptions run;

    @Override
    public Integer call() throws Exception {
        Set<Integer> chosen = new LinkedHashSet<>();
        if (only != null) {
            for (int n : only) {
                chosen.add(n); // FigureRun refuses a number that is no figure, before it creates anything
            }
        }
        return run.run(quick, chosen, false);
    }
}
