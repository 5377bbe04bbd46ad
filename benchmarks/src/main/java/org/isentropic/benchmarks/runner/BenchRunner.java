package org.isentropic.benchmarks.runner;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import org.isentropic.benchmarks.peak.PeakProbe;
import org.openjdk.jmh.profile.GCProfiler;
import org.openjdk.jmh.results.BenchmarkResult;
import org.openjdk.jmh.results.Result;
import org.openjdk.jmh.results.RunResult;
import org.openjdk.jmh.runner.Runner;
import org.openjdk.jmh.runner.RunnerException;
import org.openjdk.jmh.runner.format.OutputFormat;
import org.openjdk.jmh.runner.format.OutputFormatFactory;
import org.openjdk.jmh.runner.options.ChainedOptionsBuilder;
import org.openjdk.jmh.runner.options.OptionsBuilder;
import org.openjdk.jmh.runner.options.TimeValue;
import org.openjdk.jmh.runner.options.VerboseMode;

/**
 * Runs a {@link BenchPlan} through JMH's Runner API, one case at a time, in forked JVMs that get the
 * Vector API module ({@code --add-modules=jdk.incubator.vector}), the same class path as this JVM, a
 * 1 GiB heap (so that an accidental n x n allocation at n = 16384 fails instead of passing unnoticed) and
 * the seed ({@code -Disentropic.seed}). JMH's gc profiler supplies the allocation per operation. Each case runs
 * in the plan's forks for it ({@link BenchPlan#forks(BenchCase)}), and its result keeps every fork's mean.
 */
public final class BenchRunner {

    /** Heap of every forked JVM. */
    public static final String FORK_HEAP = "-Xmx1g";

    /** Called as cases start and finish (for progress on stderr). */
    public interface Listener {
        void started(BenchCase c, int index, int total);

        void finished(BenchResult r);

        void failed(Failure f);
    }

    private final long seed;
    private final PrintStream jmhLog;

    /**
     * @param seed   seed of the benchmark inputs, passed to the forks
     * @param jmhLog where JMH's own log goes (e.g. stderr), or null to keep it in memory and show its end
     *               only when a case fails
     */
    public BenchRunner(long seed, PrintStream jmhLog) {
        this.seed = seed;
        this.jmhLog = jmhLog;
    }

    /** A case that did not produce a result, with the reason. */
    public record Failure(BenchCase benchCase, String message) {
    }

    /** The results of a run and the cases that failed (a failed case does not stop the run). */
    public record Outcome(List<BenchResult> results, List<Failure> failures) {
        public Outcome {
            results = List.copyOf(results);
            failures = List.copyOf(failures);
        }
    }

    /**
     * Runs every case of the plan, in order, each in the plan's forks for it. A case that fails (its agreement
     * check, a crash of its fork) is recorded with its reason and the run goes on.
     */
    public Outcome run(BenchPlan plan, Listener listener) {
        List<BenchResult> results = new ArrayList<>();
        List<Failure> failures = new ArrayList<>();
        int index = 0;
        for (BenchCase c : plan.cases()) {
            listener.started(c, index++, plan.cases().size());
            try {
                BenchResult r = run(c, plan.settings().withForks(plan.forks(c)));
                results.add(r);
                listener.finished(r);
            } catch (IllegalStateException e) {
                Failure f = new Failure(c, e.getMessage());
                failures.add(f);
                listener.failed(f);
            }
        }
        return new Outcome(results, failures);
    }

    /** Runs one case. */
    public BenchResult run(BenchCase c, BenchSettings s) {
        ChainedOptionsBuilder o = new OptionsBuilder()
                .include(c.includeRegex())
                .forks(s.forks())
                .warmupIterations(s.warmupIterations())
                .warmupTime(TimeValue.milliseconds(s.warmupMillis()))
                .measurementIterations(s.measurementIterations())
                .measurementTime(TimeValue.milliseconds(s.measurementMillis()))
                .jvmArgs(FORK_HEAP, "-Disentropic.seed=" + seed)
                .jvmArgsAppend("--add-modules=jdk.incubator.vector")
                .addProfiler(GCProfiler.class)
                .shouldFailOnError(true);
        for (Map.Entry<String, String> p : c.params().entrySet()) {
            o.param(p.getKey(), p.getValue());
        }
        if (c.className().equals("OpenBlasBenchmark")) {
            o.jvm(ForkEnvironment.openBlasLauncher(c.intParam("threads", 1)).toString());
        }
        ByteArrayOutputStream buffer = new ByteArrayOutputStream();
        PrintStream sink = jmhLog != null ? jmhLog : new PrintStream(buffer, true, StandardCharsets.UTF_8);
        OutputFormat format = OutputFormatFactory.createFormatInstance(sink, VerboseMode.NORMAL);
        Collection<RunResult> runs;
        try {
            runs = new Runner(o.build(), format).run();
        } catch (RunnerException e) {
            throw new IllegalStateException("benchmark " + c.id() + " failed: " + e.getMessage()
                    + tail(buffer), e);
        }
        if (runs.size() != 1) {
            throw new IllegalStateException("benchmark " + c.id() + ": expected one JMH result, got "
                    + runs.size() + " (is the benchmark in the jar's META-INF/BenchmarkList?)" + tail(buffer));
        }
        RunResult run = runs.iterator().next();
        Result<?> primary = run.getPrimaryResult();
        double alloc = Double.NaN;
        double threadBytes = Double.NaN;
        double threadCalls = Double.NaN;
        double firstNanos = Double.NaN;
        double secondNanos = Double.NaN;
        double passes = Double.NaN;
        double pairs = Double.NaN;
        for (Map.Entry<String, Result> e : run.getSecondaryResults().entrySet()) {
            if (e.getKey().endsWith("gc.alloc.rate.norm")) {
                alloc = e.getValue().getScore();
            } else if (e.getKey().equals("allocBytes")) {
                threadBytes = e.getValue().getScore();
            } else if (e.getKey().equals("allocCalls")) {
                threadCalls = e.getValue().getScore();
            } else if (e.getKey().equals("firstNanos")) {
                firstNanos = e.getValue().getScore(); // a paired benchmark's PairedTimes
            } else if (e.getKey().equals("secondNanos")) {
                secondNanos = e.getValue().getScore();
            } else if (e.getKey().equals("solverPasses")) {
                passes = e.getValue().getScore();
            } else if (e.getKey().equals("pairs")) {
                pairs = e.getValue().getScore();
            }
        }
        return new BenchResult(c, primary.getScore(), primary.getScoreError(), primary.getScoreUnit(), alloc,
                threadCalls > 0 ? threadBytes / threadCalls : Double.NaN,
                secondNanos > 0 ? firstNanos / secondNanos : Double.NaN,
                passes > 0 && pairs > 0 ? passes / pairs : Double.NaN, forkSeconds(run));
    }

    /**
     * Each fork's mean time per operation, in seconds: JMH's run result holds one benchmark result per fork,
     * whose primary result aggregates that fork's measured iterations.
     */
    private static List<Double> forkSeconds(RunResult run) {
        List<Double> seconds = new ArrayList<>();
        for (BenchmarkResult fork : run.getBenchmarkResults()) {
            Result<?> primary = fork.getPrimaryResult();
            seconds.add(BenchResult.secondsPerOp(primary.getScore(), primary.getScoreUnit()));
        }
        return seconds;
    }

    private static String tail(ByteArrayOutputStream buffer) {
        String log = buffer.toString(StandardCharsets.UTF_8);
        if (log.isEmpty()) {
            return "";
        }
        return "\n--- end of the JMH log ---\n" + log.substring(Math.max(0, log.length() - 4000));
    }

    /**
     * The direct peak probe (no JMH), 1 thread and all processors.
     *
     * @param quick shorter warm-up and measurement
     */
    public static List<PeakProbe.PeakMeasurement> directPeak(boolean quick) {
        long warm = quick ? 1000 : 2000;
        long measure = quick ? 500 : 2000;
        int all = Runtime.getRuntime().availableProcessors();
        List<PeakProbe.PeakMeasurement> out = new ArrayList<>();
        out.add(PeakProbe.measure(1, warm, measure));
        if (all > 1) {
            out.add(PeakProbe.measure(all, warm, measure));
        }
        return out;
    }
}
