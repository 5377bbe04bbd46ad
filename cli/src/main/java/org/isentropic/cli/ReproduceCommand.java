package org.isentropic.cli;

import java.nio.file.Path;
import java.util.Set;
import java.util.concurrent.Callable;
import org.isentropic.figures.report.Budget;
import org.isentropic.figures.report.FigureRun;
import org.isentropic.figures.sections.Figures;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** {@code isentropic reproduce}: every figure, its data, summary.json and REPORT.md. */
@Command(name = "reproduce", mixinStandardHelpOptions = true,
        description = "Reproduce the paper's analysis: every figure (PNG, SVG), its CSV, summary.json and REPORT.md.")
public final class ReproduceCommand implements Callable<Integer> {

    @Option(names = "--quick", description = "Fewer Monte Carlo samples: under two minutes (what CI runs).")
    boolean quick;

    @Mixin
    OutputOptions output;

    @Mixin
    SeedOption seed;

    @Option(names = "--threads", paramLabel = "T",
            description = "Threads for the attention kernels (default: available processors).")
    Integer threads;

    @Spec
    picocli.CommandLine.Model.CommandSpec spec;

    @Override
    public Integer call() throws Exception {
        int t = FiguresCommand.threads(threads);
        Path out = FiguresCommand.outputDirectory(output);
        FigureRun.Result r = FigureRun.execute(Figures.all(), out, seed.seed, quick ? Budget.quick() : Budget.full(), t,
                Set.of(), true, FiguresCommand.commandLine(spec), Figures.versions(), System.err);
        r.table().write(output.format, System.out);
        return r.outcome().failures().isEmpty() ? 0 : 1;
    }
}
