package org.isentropic.cli;

import java.util.Set;
import org.isentropic.figures.report.Budget;
import org.isentropic.figures.report.FigureRun;
import org.isentropic.figures.sections.Figures;
import picocli.CommandLine;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Spec;

/**
 * What {@code isentropic figures} and {@code isentropic reproduce} share: {@code --out} (default out/),
 * {@code --format}, {@code --seed} and {@code --threads}, and the run of the figures with the stdout table.
 */
public final class FigureRunOptions {

    @Mixin
    OutputOptions output;

    @Mixin
    SeedOption seed;

    @Mixin
    ThreadsOption threads = new ThreadsOption();

    @Spec(Spec.Target.MIXEE)
    CommandLine.Model.CommandSpec command;

    /**
     * Checks the options, runs the chosen figures and prints the table of what was written.
     *
     * @param quick  the quick budget instead of the full one
     * @param only   figure numbers to run (empty: all)
     * @param report whether to write REPORT.md
     * @return the exit code: 0, or 1 when a figure failed
     */
    int run(boolean quick, Set<Integer> only, boolean report) throws Exception {
        int t = threads.checked();
        // FigureRun checks --out and --only (every input before it creates anything)
        java.nio.file.Path out = output.out == null ? java.nio.file.Path.of("out") : output.out;
        FigureRun.Result r = FigureRun.execute(new FigureRun.Request(Figures.all(), out, seed.seed,
                quick ? Budget.quick() : Budget.full(), t, only, report, OutputOptions.typedCommand(command),
                Figures.versions()), System.err); // FigureRun's progress bar redraws a line: a PrintStream
        r.table().write(output.format, output.out());
        return r.outcome().failures().isEmpty() ? 0 : 1;
    }
}
