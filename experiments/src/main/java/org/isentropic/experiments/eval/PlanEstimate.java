package org.isentropic.experiments.eval;

import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import org.isentropic.experiments.model.GauModel;
import org.isentropic.kernels.spec.AttentionKernel;
import org.isentropic.kernels.AttentionKernels;

/**
 * What a plan will cost ({@code isentropic experiment eval --plan}): one forward pass of the family's first model
 * timed at every length of the plan (after a warm-up over all of them, one worker, in CPU time), times the forward passes the plan needs (the
 * windows of every row, length and stream, and the oracle's capture passes), divided by the workers.
 *
 * @param secondsPerPass n -> seconds of one forward pass over a window of n
 * @param minutes the estimated wall time if each worker gets a core
 */
public record PlanEstimate(List<String> description, Map<Integer, Double> secondsPerPass, double minutes) {

    /** Times the plan of {@code s} for {@code threads} workers. */
    public static PlanEstimate of(ExperimentRunner.Setup s, int threads) {
        Plan plan = s.plan();
        Map<Plan.Row, List<Integer>> rows = plan.rows(s.family());
        List<String> lines = new ArrayList<>();
        lines.add(String.format(Locale.ROOT, "family %s (%d checkpoints), plan %s: %d rows, %d test streams, %d"
                + " calibration streams", s.family().id(), s.family().checkpoints().size(), plan.name(), rows.size(),
                plan.streams(), plan.calibrationStreams()));
        for (Plan.Entry e : plan.entries()) {
            lines.add("  - " + e.description() + ", lengths " + e.lengths());
        }
        GauModel m = s.models().values().iterator().next();
        AttentionKernel k = AttentionKernels.fused(1);
        Streams st = s.test().get(Protocol.STREAMS);
        TreeSet<Integer> lengths = new TreeSet<>();
        rows.values().forEach(lengths::addAll);
        // Warm-up over every length of the plan in turn, so that the JIT has compiled each shape's paths before any
        // is timed (warming one length only left the first lengths timed at up to twice their steady cost).
        long w0 = System.nanoTime();
        long warmNanos = plan.maxLength() > 1024 ? 6_000_000_000L : 2_000_000_000L;
        do {
            for (int n : lengths) {
                m.forward(st.maskedWindow(0, n), x -> x, k, new int[] {0}, false);
            }
        } while (System.nanoTime() - w0 < warmNanos);
        Map<Integer, Double> cost = new TreeMap<>();
        for (int n : lengths) {
            cost.put(n, time(m, st, n, k));
        }
        double total = 0;
        Set<String> oracles = new HashSet<>();
        for (var e : rows.entrySet()) {
            Streams streams = s.test().get(e.getKey().protocol());
            for (int n : e.getValue()) {
                total += cost.get(n) * streams.windowStarts(n).length * streams.size();
                if (e.getKey().temperature() == Temperature.ORACLE
                        && oracles.add(e.getKey().checkpoint().name() + e.getKey().method() + n)) {
                    // per layer: capture passes plus about 12 attention-only solver steps
                    total += cost.get(n) * plan.calibrationStreams() * m.config().layers() * 3;
                }
            }
        }
        return new PlanEstimate(lines, cost, total / threads / 60);
    }

    /** The estimate as one line. */
    public String summary(int threads) {
        StringBuilder times = new StringBuilder();
        secondsPerPass.forEach((n, c) -> times.append(times.length() == 0 ? "" : ", ").append("n = ").append(n)
                .append(": ").append(String.format(Locale.ROOT, "%.3f s", c)));
        return String.format(Locale.ROOT, "one forward pass takes %s; estimated time %.0f min on %d worker(s) if each"
                + " gets a core", times, minutes, threads);
    }

    /**
     * Seconds of one forward pass at n: the thread's CPU time where the JVM measures it (so that a machine busy with
     * other work does not inflate the estimate, which assumes a core per worker), else wall time.
     */
    private static double time(GauModel m, Streams st, int n, AttentionKernel k) {
        int[] in = st.maskedWindow(0, n);
        for (int i = 0; i < 3; i++) {
            m.forward(in, x -> x, k, new int[] {0}, false);
        }
        ThreadMXBean cpu = ManagementFactory.getThreadMXBean();
        boolean cpuTime = cpu.isCurrentThreadCpuTimeSupported();
        long wall0 = System.nanoTime();
        long t0 = cpuTime ? cpu.getCurrentThreadCpuTime() : wall0;
        int reps = 0;
        do {
            m.forward(in, x -> x, k, new int[] {0}, false);
            reps++;
        } while (reps < 20 && System.nanoTime() - wall0 < 2_000_000_000L);
        long t1 = cpuTime ? cpu.getCurrentThreadCpuTime() : System.nanoTime();
        return (t1 - t0) / 1e9 / reps;
    }
}
