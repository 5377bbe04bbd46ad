package org.isentropic.cli;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;
import org.isentropic.base.OutputFiles;
import org.isentropic.base.Progress;
import org.isentropic.base.Table;
import org.isentropic.benchmarks.peak.PeakProbe;
import org.isentropic.benchmarks.runner.BenchCase;
import org.isentropic.benchmarks.runner.BenchPlan;
import org.isentropic.benchmarks.runner.BenchReport;
import org.isentropic.benchmarks.runner.BenchResult;
import org.isentropic.benchmarks.runner.BenchRunner;
import org.isentropic.benchmarks.runner.MachineInfo;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/**
 * {@code isentropic bench [--quick]}: runs the JMH suite of the benchmarks module (peak probe, fused and
 * reference kernels, row-at-a-time and EJML baselines, decode step) through JMH's Runner API in forked
 * JVMs with the Vector API module, then writes {@code results.md} and {@code results.json} (or
 * {@code results-quick.*}) and prints the targets (or every case) on stdout. The numbers are ratios
 * measured in the same run; {@code --quick} proves the benchmarks run and agree with the reference and
 * asserts no timing.
 */
@Command(name = "bench", mixinStandardHelpOptions = true,
        description = {"Run the JMH benchmarks (kernels vs the measured FMA peak and vs baselines) and write"
                + " results.md and results.json.",
            "Default output directory: ./benchmarks when it exists, else the current directory."})
public final class BenchCommand implements Callable<Integer> {

    @Option(names = "--quick", description = "The quick plan: n = 1024, 1 fork (3 for the entropy-cost pair), short"
            + " warm-up (under 2 minutes; rough numbers). Writes results-quick.md/json.")
    boolean quick;

    @Option(names = "--only", paramLabel = "TEXT", split = ",",
            description = "Run only the cases whose id contains one of these substrings, e.g. peak,fused/n4096.")
    List<String> only;

    @Option(names = "--list", description = "Print the cases of the plan and exit without running them.")
    boolean list;

    @Option(names = "--table", paramLabel = "targets|cases", defaultValue = "targets",
            description = "What to print on stdout: the performance targets (docs/performance.md) or every case (default: ${DEFAULT-VALUE}).")
    String table;

    @Option(names = "--note", paramLabel = "TEXT", defaultValue = "",
            description = "A remark on the run conditions for the report, e.g. 'machine shared, noisy'.")
    String note;

    @Option(names = "--forks", paramLabel = "F", description = "Override the plan's JMH forks per case (the"
            + " entropy-cost pair runs " + BenchPlan.ENTROPY_COST_FORKS_FACTOR + " times as many).")
    Integer forks;

    @Mixin
    OutputOptions output;

    @Mixin
    SeedOption seed;

    @Override
    public Integer call() throws IOException {
        OptionChecks.oneOf("--table", table, List.of("targets", "cases"));
        if (forks != null) {
            OptionChecks.inRange("--forks", forks, 1, 100);
        }
        BenchPlan plan = quick ? BenchPlan.quick() : BenchPlan.full();
        if (only != null && !only.isEmpty()) {
            plan = plan.only(only);
        }
        if (forks != null) {
            plan = plan.withSettings(plan.settings().withForks(forks));
        }
        if (list) {
            planTable(plan).write(output.format, output.out());
            return 0;
        }
        String stem = quick ? "results-quick" : "results";
        OutputFiles files = new OutputFiles();
        Path dir = files.directory("--out", outputDirectory(output.out));
        Path md = files.fileIn("--out", dir, stem + ".md");
        Path json = files.fileIn("--out", dir, stem + ".json");

        output.err().println("bench: " + plan.name() + " plan, " + plan.cases().size() + " cases, "
                + plan.settings() + " each (" + BenchPlan.ENTROPY_COST_FORKS_FACTOR
                + "x the forks for the entropy-cost pair); peak probe first");
        List<PeakProbe.PeakMeasurement> direct = BenchRunner.directPeak(quick);
        for (PeakProbe.PeakMeasurement p : direct) {
            output.err().printf(Locale.ROOT, "bench: direct peak probe, %d thread(s): %.1f GFLOP/s (%s)%n",
                    p.threads(), p.gflops(), p.species());
        }
        // JMH's own log (--debug) needs a PrintStream, so it goes to System.err itself
        BenchRunner runner = new BenchRunner(seed.seed,
                IsentropicCommand.verbose(output.command.commandLine()) ? System.err : null);
        BenchRunner.Outcome outcome;
        try (Progress progress = new Progress("bench", plan.cases().size())) {
            outcome = runner.run(plan, new BenchRunner.Listener() {
                @Override
                public void started(BenchCase c, int index, int total) {
                    output.err().println("bench: [" + (index + 1) + "/" + total + "] " + c.id());
                }

                @Override
                public void finished(BenchResult r) {
                    output.err().printf(Locale.ROOT, "bench:   %.4f ms/op (+- %.1f %%)%s%n", r.secondsPerOp() * 1e3,
                            100 * r.relativeError(), r.relativeError() > BenchReport.NOISY_RELATIVE_ERROR
                                    ? ", noisy: is the machine busy?" : "");
                    progress.step();
                }

                @Override
                public void failed(BenchRunner.Failure f) {
                    output.err().println("bench:   FAILED: " + f.message());
                    progress.step();
                }
            });
        }
        BenchReport report = new BenchReport(plan, outcome.results(), outcome.failures(), direct,
                MachineInfo.current(), output.typedCommand(), Instant.now(), note);
        OutputFiles.writeString(md, report.markdown());
        OutputFiles.writeString(json, report.json());
        output.err().println("bench: wrote " + md + " and " + json);
        if (!report.noisyCases().isEmpty()) {
            output.err().println("bench: " + report.noisyCases().size() + " case(s) had a half-width above "
                    + Math.round(100 * BenchReport.NOISY_RELATIVE_ERROR) + " %, listed under the targets in " + md
                    + ": " + report.noisyCaseList());
        }
        (table.equals("cases") ? casesTable(report) : targetsTable(report)).write(output.format, output.out());
        if (!outcome.failures().isEmpty()) {
            output.err().println("bench: " + outcome.failures().size() + " case(s) failed: see " + md);
            return 1;
        }
        return 0;
    }

    /** {@code --out}, else ./benchmarks when it exists (the repository root), else the current directory. */
    static Path outputDirectory(Path out) {
        if (out != null) {
            return out;
        }
        Path benchmarks = Path.of("benchmarks");
        return Files.isDirectory(benchmarks) ? benchmarks : Path.of(".");
    }

    static Table planTable(BenchPlan plan) {
        Table t = new Table(0, "case", "benchmark", "params", "forks", "warmup", "measurement");
        for (BenchCase c : plan.cases()) {
            t.add(c.id(), c.benchmark(), c.params().toString().replaceAll("[{}]", ""), plan.forks(c),
                    plan.settings().warmupIterations() + "x" + plan.settings().warmupMillis() + "ms",
                    plan.settings().measurementIterations() + "x" + plan.settings().measurementMillis() + "ms");
        }
        return t;
    }

    static Table targetsTable(BenchReport report) {
        Table t = new Table(3, "target", "measured", "value", "required", "met");
        for (BenchReport.Target target : report.targets()) {
            t.add(target.name(), target.measured(), target.value(), target.requirement(),
                    target.met() == null ? "-" : target.met() ? "yes" : "no");
        }
        return t;
    }

    static Table casesTable(BenchReport report) {
        Table t = new Table(3, "case", "ms_per_call", "error_pct", "gflops", "pct_of_peak", "ps_per_pair_dim",
                "gb_per_s", "speedup_vs_row_at_a_time", "speedup_vs_ejml", "alloc_bytes_per_call");
        for (BenchReport.Row r : report.rows()) {
            t.add(r.result().benchCase().id(), r.result().secondsPerOp() * 1e3, 100 * r.result().relativeError(),
                    r.gflops(), r.percentOfPeak(), r.picosPerPairDim(), r.gigabytesPerSecond(),
                    r.speedupOverRowAtATime(), r.speedupOverEjml(), r.result().allocBytesPerOp());
        }
        return t;
    }
}
