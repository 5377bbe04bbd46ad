package org.isentropic.cli;

import org.isentropic.figures.output.OutputFiles;
import java.nio.file.Path;
import java.util.LinkedHashSet;
import java.util.Set;
import java.util.concurrent.Callable;
import org.isentropic.figures.report.Budget;
import org.isentropic.figures.report.FigureRun;
import org.isentropic.figures.sections.Figures;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

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
    OutputOptions output;

    @Mixin
    SeedOption seed;

    @Option(names = "--threads", paramLabel = "T",
            description = "Threads for the attention kernels (default: available processors).")
    Integer threads;

    @Spec
    CommandLine.Model.CommandSpec spec;

    @Override
    public Integer call() throws Exception {
        Set<Integer> chosen = new LinkedHashSet<>();
        if (only != null) {
            Set<Integer> known = new java.util.TreeSet<>();
            Figures.all().forEach(section -> known.add(section.number()));
            for (int n : only) {
                if (!known.contains(n)) {
                    throw new IllegalArgumentException("--only: no figure " + n + " (figures: "
                            + known.toString().replaceAll("[\\[\\] ]", "") + ")");
                }
                chosen.add(n);
            }
        }
        int t = threads(threads);
        Path out = outputDirectory(output);
        FigureRun.Result r = FigureRun.execute(Figures.all(), out, seed.seed, quick ? Budget.quick() : Budget.full(),
                t, chosen, false, commandLine(spec), Figures.versions(), System.err);
        r.table().write(output.format, System.out);
        return r.outcome().failures().isEmpty() ? 0 : 1;
    }

    static int threads(Integer requested) {
        if (requested == null) {
            return Runtime.getRuntime().availableProcessors();
        }
        return OptionChecks.inRange("--threads", requested, 1, 256);
    }

    /** {@code --out} (default out/), checked under the output policy before any figure runs; not created. */
    static Path outputDirectory(OutputOptions output) {
        return new OutputFiles().directory("--out", output.out == null ? Path.of("out") : output.out);
    }

    /** The command as typed, for the provenance. */
    static String commandLine(CommandLine.Model.CommandSpec spec) {
        StringBuilder sb = new StringBuilder("isentropic");
        for (String a : spec.commandLine().getParseResult().originalArgs()) {
            sb.append(' ').append(a.matches("[A-Za-z0-9_./=,:-]+") ? a : "'" + a.replace("'", "'\\''") + "'");
        }
        return sb.toString();
    }
}
