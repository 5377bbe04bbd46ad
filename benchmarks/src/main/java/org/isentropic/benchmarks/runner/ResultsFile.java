package org.isentropic.benchmarks.runner;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.function.Function;
import org.isentropic.base.Json;

/**
 * The benchmarks' results file ({@code benchmarks/results.json}, written by {@code isentropic bench}) as
 * records: its one writer and its one reader, for the report and for every module that reads the results
 * (figure 7). Numbers are written with 6 significant digits ({@code %.6g}) and a number that does not apply
 * to a case, NaN in the records, as {@code null}; reading gives NaN back for {@code null}.
 *
 * <p>Older files are read too: those written before the benchmarks named the full mask {@code full} call it
 * {@code bidirectional} (the reader renames it in the cases' ids and mask parameters, so that readers see one
 * vocabulary), and those written before the bandwidth probe and the paired benchmarks lack their numbers
 * (read as NaN), and those written before the forks' means were kept lack {@code fork_seconds} (read as none).
 *
 * @param plan      the plan's name (quick, full)
 * @param command   the command line of the run
 * @param timestamp when the run ended (ISO-8601)
 * @param note      a remark on the conditions, may be empty
 * @param machine   the JVM and CPU of the run
 * @param settings  JMH's settings of every case and the forks' heap
 * @param peak      the measured FP32 FMA peak
 * @param bandwidth the measured memory read bandwidth
 * @param cases     every case that produced a result, in run order
 * @param targets   the performance targets evaluated on the run
 * @param failures  the cases that failed, with their reasons
 */
public record ResultsFile(String plan, String command, String timestamp, String note, MachineInfo machine,
                          Settings settings, Peak peak, Bandwidth bandwidth, List<CaseResult> cases,
                          List<BenchReport.Target> targets, List<FailedCase> failures) {

    /** The name of the full mask in files written before the benchmarks used the kernels' name, {@code full}. */
    static final String LEGACY_FULL_MASK = "bidirectional";

    public ResultsFile {
        cases = List.copyOf(cases);
        targets = List.copyOf(targets);
        failures = List.copyOf(failures);
    }

    /** @param jmh JMH's forks, warm-up and measurement; @param forkHeap the forks' heap option */
    public record Settings(BenchSettings jmh, String forkHeap) {
    }

    /**
     * @param source                      where the peak comes from (JMH cases of the run, the direct probe, none)
     * @param gflopsOneThread             1-thread peak, GFLOP/s
     * @param gflopsAllThreads            all-processor peak, GFLOP/s
     * @param directProbe                 the direct probe's measurements (no JMH)
     * @param allocFloorBytesPerIteration what JMH's gc profiler reports per iteration for the allocation-free probe
     */
    public record Peak(String source, double gflopsOneThread, double gflopsAllThreads, List<DirectProbe> directProbe,
                       double allocFloorBytesPerIteration) {
        public Peak {
            directProbe = List.copyOf(directProbe);
        }
    }

    /** One direct peak measurement: threads, GFLOP/s, the vector species and the accumulator chains. */
    public record DirectProbe(int threads, double gflops, String species, int accumulators) {
    }

    /** The bandwidth probe's read bandwidth, GB/s, on 1 thread and on all processors. */
    public record Bandwidth(double gbPerSecondOneThread, double gbPerSecondAllThreads) {
    }

    /**
     * One case's result and the figures derived from it (NaN where they do not apply).
     *
     * @param benchCase              the case (id, benchmark, parameters)
     * @param score                  JMH's primary score in {@code unit}
     * @param scoreError             its 99.9 % confidence half-width
     * @param unit                   JMH's unit
     * @param secondsPerOp           time per call
     * @param flopsPerOp             flops of one call (attention: visible pairs only)
     * @param gflops                 GFLOP/s
     * @param percentOfPeak          % of the peak with the same threads
     * @param psPerPairDim           picoseconds per visible pair and dimension
     * @param gbPerSecond            bytes read per second (decode, bandwidth probe), in GB/s
     * @param percentOfBandwidth     decode: % of the bandwidth probe with the same threads
     * @param speedupOverRowAtATime  plain fused case: the row-at-a-time baseline's time over this one's
     * @param speedupOverEjml        plain fused case: the EJML baseline's time over this one's
     * @param allocBytesPerOp        JMH's gc.alloc.rate.norm
     * @param allocAboveFloor        the same minus the profiler's floor shared among an iteration's calls
     * @param threadAllocBytesPerOp  bytes the calling thread allocated per call (exact counter)
     * @param pairedRatio            paired benchmark: time of the first variant over the second
     * @param solverPasses           isentropic pair: mean solver passes per isentropic call
     * @param callsPerIteration      calls in one measured iteration
     * @param forkSeconds            each fork's mean time per call, seconds (empty when unknown)
     */
    public record CaseResult(BenchCase benchCase, double score, double scoreError, String unit, double secondsPerOp,
                             double flopsPerOp, double gflops, double percentOfPeak, double psPerPairDim,
                             double gbPerSecond, double percentOfBandwidth, double speedupOverRowAtATime,
                             double speedupOverEjml, double allocBytesPerOp, double allocAboveFloor,
                             double threadAllocBytesPerOp, double pairedRatio, double solverPasses,
                             double callsPerIteration, List<Double> forkSeconds) {
        public CaseResult {
            forkSeconds = List.copyOf(forkSeconds);
        }

        /** A case without the forks' means. */
        public CaseResult(BenchCase benchCase, double score, double scoreError, String unit, double secondsPerOp,
                          double flopsPerOp, double gflops, double percentOfPeak, double psPerPairDim,
                          double gbPerSecond, double percentOfBandwidth, double speedupOverRowAtATime,
                          double speedupOverEjml, double allocBytesPerOp, double allocAboveFloor,
                          double threadAllocBytesPerOp, double pairedRatio, double solverPasses,
                          double callsPerIteration) {
            this(benchCase, score, scoreError, unit, secondsPerOp, flopsPerOp, gflops, percentOfPeak, psPerPairDim,
                    gbPerSecond, percentOfBandwidth, speedupOverRowAtATime, speedupOverEjml, allocBytesPerOp,
                    allocAboveFloor, threadAllocBytesPerOp, pairedRatio, solverPasses, callsPerIteration, List.of());
        }
    }

    /** A case that produced no result, with the reason (null when the failure gave none). */
    public record FailedCase(String id, String message) {
    }

    // ---------------------------------------------------------------- writing

    /** The file's text: JSON, two spaces per level, numbers with 6 significant digits, a newline at the end. */
    public String json() {
        Map<String, Object> root = new LinkedHashMap<>();
        root.put("plan", plan);
        root.put("command", command);
        root.put("timestamp", timestamp);
        root.put("note", note);
        root.put("machine", members("jvm", machine.jvm(), "os", machine.os(), "cpu_model", machine.cpuModel(),
                "cpu_features", machine.cpuFeatures(), "processors", machine.processors(), "vector_species",
                machine.vectorSpecies()));
        BenchSettings jmh = settings.jmh();
        root.put("settings", members("forks", jmh.forks(), "warmup_iterations", jmh.warmupIterations(), "warmup_ms",
                jmh.warmupMillis(), "measurement_iterations", jmh.measurementIterations(), "measurement_ms",
                jmh.measurementMillis(), "fork_heap", settings.forkHeap()));
        Map<String, Object> p = new LinkedHashMap<>();
        p.put("source", peak.source());
        p.put("gflops_1_thread", peak.gflopsOneThread());
        p.put("gflops_all_threads", peak.gflopsAllThreads());
        p.put("direct_probe", objects(peak.directProbe(), probe -> members("threads", probe.threads(), "gflops",
                probe.gflops(), "species", probe.species(), "accumulators", probe.accumulators())));
        p.put("alloc_floor_bytes_per_iteration", peak.allocFloorBytesPerIteration());
        root.put("peak", p);
        root.put("bandwidth", members("gb_per_s_1_thread", bandwidth.gbPerSecondOneThread(), "gb_per_s_all_threads",
                bandwidth.gbPerSecondAllThreads()));
        root.put("cases", objects(cases, ResultsFile::caseMembers));
        root.put("targets", objects(targets, t -> members("name", t.name(), "value", t.value(), "measured",
                t.measured(), "requirement", t.requirement(), "met", t.met())));
        root.put("failures", objects(failures, f -> members("id", f.id(), "message", f.message())));
        return Json.writeIndented(root, ResultsFile::number);
    }

    private static Map<String, Object> caseMembers(CaseResult c) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("id", c.benchCase().id());
        m.put("benchmark", c.benchCase().benchmark());
        m.put("params", new LinkedHashMap<String, Object>(c.benchCase().params()));
        m.put("score", c.score());
        m.put("score_error", c.scoreError());
        m.put("unit", c.unit());
        m.put("seconds_per_op", c.secondsPerOp());
        m.put("flops_per_op", c.flopsPerOp());
        m.put("gflops", c.gflops());
        m.put("percent_of_peak", c.percentOfPeak());
        m.put("ps_per_pair_dim", c.psPerPairDim());
        m.put("gb_per_s", c.gbPerSecond());
        m.put("percent_of_bandwidth", c.percentOfBandwidth());
        m.put("speedup_over_row_at_a_time", c.speedupOverRowAtATime());
        m.put("speedup_over_ejml", c.speedupOverEjml());
        m.put("alloc_bytes_per_op", c.allocBytesPerOp());
        m.put("alloc_bytes_per_op_above_floor", c.allocAboveFloor());
        m.put("thread_alloc_bytes_per_op", c.threadAllocBytesPerOp());
        m.put("paired_ratio", c.pairedRatio());
        m.put("solver_passes", c.solverPasses());
        m.put("calls_per_iteration", c.callsPerIteration());
        m.put("fork_seconds", c.forkSeconds());
        return m;
    }

    /** {@code %.6g} (Locale.ROOT) for a finite number, {@code null} otherwise. */
    static String number(double v) {
        return Double.isFinite(v) ? String.format(Locale.ROOT, "%.6g", v) : "null";
    }

    /** An object of alternating keys and values, in that order. */
    private static Map<String, Object> members(Object... keysAndValues) {
        Map<String, Object> m = new LinkedHashMap<>();
        for (int i = 0; i < keysAndValues.length; i += 2) {
            m.put((String) keysAndValues[i], keysAndValues[i + 1]);
        }
        return m;
    }

    private static <T> List<Object> objects(List<T> items, Function<T, Map<String, Object>> members) {
        List<Object> out = new ArrayList<>();
        for (T item : items) {
            out.add(members.apply(item));
        }
        return out;
    }

    // ---------------------------------------------------------------- reading

    /** Reads a results file; IllegalArgumentException naming the file and the member when it has another shape. */
    public static ResultsFile read(Path file) throws IOException {
        try {
            return parse(Files.readString(file, StandardCharsets.UTF_8));
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException(file + ": " + e.getMessage(), e);
        }
    }

    /** Reads the text of a results file (see {@link #read(Path)}). */
    public static ResultsFile parse(String text) {
        Node root = new Node("the file", Json.parse(text));
        Node m = root.object("machine");
        MachineInfo machine = new MachineInfo(m.string("jvm"), m.string("os"), m.string("cpu_model"),
                m.list("cpu_features").stream().map(Node::text).toList(), m.integer("processors"),
                m.string("vector_species"));
        Node s = root.object("settings");
        Settings settings = new Settings(new BenchSettings(s.integer("forks"), s.integer("warmup_iterations"),
                s.integer("warmup_ms"), s.integer("measurement_iterations"), s.integer("measurement_ms")),
                s.string("fork_heap"));
        Node p = root.object("peak");
        Peak peak = new Peak(p.string("source"), p.number("gflops_1_thread"), p.number("gflops_all_threads"),
                p.list("direct_probe").stream().map(d -> new DirectProbe(d.integer("threads"), d.number("gflops"),
                        d.string("species"), d.integer("accumulators"))).toList(),
                p.number("alloc_floor_bytes_per_iteration"));
        Node b = root.has("bandwidth") ? root.object("bandwidth") : new Node("bandwidth", Map.of());
        Bandwidth bandwidth = new Bandwidth(b.number("gb_per_s_1_thread"), b.number("gb_per_s_all_threads"));
        List<CaseResult> cases = root.list("cases").stream().map(ResultsFile::caseResult).toList();
        List<BenchReport.Target> targets = root.list("targets").stream().map(t -> new BenchReport.Target(
                t.string("name"), t.string("measured"), t.number("value"), t.string("requirement"),
                t.flag("met"))).toList();
        List<FailedCase> failures = root.list("failures").stream()
                .map(f -> new FailedCase(currentMaskName(f.string("id")), f.nullableString("message"))).toList();
        return new ResultsFile(root.string("plan"), root.string("command"), root.string("timestamp"),
                root.string("note"), machine, settings, peak, bandwidth, cases, targets, failures);
    }

    private static CaseResult caseResult(Node c) {
        Map<String, String> params = new LinkedHashMap<>();
        Node ps = c.object("params");
        for (String name : ps.names()) {
            String value = ps.string(name);
            params.put(name, name.equals("mask") ? currentMaskName(value) : value);
        }
        BenchCase bc = new BenchCase(currentMaskName(c.string("id")), c.string("benchmark"), params);
        return new CaseResult(bc, c.number("score"), c.number("score_error"), c.string("unit"),
                c.number("seconds_per_op"), c.number("flops_per_op"), c.number("gflops"), c.number("percent_of_peak"),
                c.number("ps_per_pair_dim"), c.number("gb_per_s"), c.number("percent_of_bandwidth"),
                c.number("speedup_over_row_at_a_time"), c.number("speedup_over_ejml"), c.number("alloc_bytes_per_op"),
                c.number("alloc_bytes_per_op_above_floor"), c.number("thread_alloc_bytes_per_op"),
                c.number("paired_ratio"), c.number("solver_passes"), c.number("calls_per_iteration"),
                c.has("fork_seconds") ? c.list("fork_seconds").stream().map(Node::numeric).toList() : List.of());
    }

    /** A mask name or case id with the legacy name of the full mask replaced by {@code full}. */
    static String currentMaskName(String maskOrId) {
        return maskOrId.replace(LEGACY_FULL_MASK, "full");
    }

    /** A parsed JSON value with the path it was found at, for messages. */
    private record Node(String path, Object value) {

        boolean has(String name) {
            return value instanceof Map<?, ?> map && map.containsKey(name);
        }

        private Object member(String name) {
            if (!(value instanceof Map<?, ?> map)) {
                throw new IllegalArgumentException(path + " is not a JSON object");
            }
            if (!map.containsKey(name)) {
                throw new IllegalArgumentException(path + " has no member \"" + name + "\"");
            }
            return map.get(name);
        }

        Node object(String name) {
            Node n = new Node(path + "." + name, member(name));
            n.names(); // checks that it is an object
            return n;
        }

        List<String> names() {
            if (!(value instanceof Map<?, ?> map)) {
                throw new IllegalArgumentException(path + " is not a JSON object");
            }
            return map.keySet().stream().map(String::valueOf).toList();
        }

        List<Node> list(String name) {
            if (!(member(name) instanceof List<?> items)) {
                throw new IllegalArgumentException(path + "." + name + " is not a JSON array");
            }
            List<Node> out = new ArrayList<>();
            for (int i = 0; i < items.size(); i++) {
                out.add(new Node(path + "." + name + "[" + i + "]", items.get(i)));
            }
            return out;
        }

        String text() {
            if (!(value instanceof String s)) {
                throw new IllegalArgumentException(path + " is not a string");
            }
            return s;
        }

        String string(String name) {
            return new Node(path + "." + name, member(name)).text();
        }

        /** A string, or null for null. */
        String nullableString(String name) {
            return member(name) == null ? null : string(name);
        }

        /** A number, NaN for null or when absent (a figure older files lack). */
        double number(String name) {
            return new Node(path + "." + name, has(name) ? member(name) : null).numeric();
        }

        /** This value as a number, NaN for null. */
        double numeric() {
            if (value == null) {
                return Double.NaN;
            }
            if (!(value instanceof Number x)) {
                throw new IllegalArgumentException(path + " is not a number: " + value);
            }
            return x.doubleValue();
        }

        int integer(String name) {
            if (!(member(name) instanceof Long x) || x != x.intValue()) {
                throw new IllegalArgumentException(path + "." + name + " is not an int: " + member(name));
            }
            return x.intValue();
        }

        /** true, false or null. */
        Boolean flag(String name) {
            Object v = member(name);
            if (v != null && !(v instanceof Boolean)) {
                throw new IllegalArgumentException(path + "." + name + " is not true, false or null: " + v);
            }
            return (Boolean) v;
        }
    }
}
