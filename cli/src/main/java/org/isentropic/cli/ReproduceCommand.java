package org.isentropic.cli;

import java.util.Set;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/** {@code isentropic reproduce}: every figure, its data, summary.json and REPORT.md. */
@Command(name = "reproduce", mixinStandardHelpOptions = true,
        description = "Reproduce the paper's analysis: every figure (PNG, SVG), its CSV, summary.json and REPORT.md.")
public final class ReproduceCommand implements Callable<Integer> {

    @Option(names = "--quick", description = "Fewer Monte Carlo samples: under two minutes (what CI runs).")
    boolean quick;

    @Mixin
    FigureRunOptions run;

    @Override
    public Integer call() throws Exception {
        return run.run(quick, Set.of(), true);
    }
}
