package org.isentropic.figures.analysis;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.isentropic.kernels.io.Json;

/**
 * Figure 7's data, read from the benchmarks module's {@code benchmarks/results.json} (written by
 * {@code isentropic bench}): every case with its parameters and derived figures, the measured FP32 peak and
 * memory bandwidth, and a short label per case ("fused 2t", "OpenBLAS 1t", "decode n=65536 2t") for legends
 * and bar charts.
 *
 * @param plan         the benchmark plan name (quick/full)
 * @param timestamp    when the benchmarks ran
 * @param peak1        measured 1-thread FP32 peak, GFLOP/s (NaN if absent)
 * @param peakAll      measured all-threads peak, GFLOP/s (NaN if absent)
 * @param bandwidth1   measured 1-thread read bandwidth, GB/s (NaN if absent)
 * @param bandwidthAll measured all-threads read bandwidth, GB/s (NaN if absent)
 * @param machine      a one-line machine description
 * @param cases        the cases in file order
 */
public record BenchmarkResults(String plan, String timestamp, double peak1, double peakAll, double bandwidth1,
                               double bandwidthAll, String machine, List<Case> cases) {

    /**
     * One benchmark case. Numbers that do not apply to the case are NaN.
     *
     * @param benchmark  {@code Class.method} of the JMH benchmark
     * @param params     its JMH parameters
     * @param seconds    time per call
     * @param gflops     GFLOP/s (attention: visible pairs only)
     * @param percentOfPeak      % of the FP32 peak with the same threads
     * @param gbPerSecond        bytes of K and V read per second (decode) or of the bandwidth probe
     * @param percentOfBandwidth decode: % of the bandwidth probe with the same threads
     */
    public record Case(String id, String benchmark, Map<String, String> params, double seconds, double gflops,
                       double percentOfPeak, double gbPerSecond, double percentOfBandwidth) {

        public String kind() {
            return benchmark.substring(0, Math.max(0, benchmark.indexOf('.')));
        }

        public int intParam(String name, int fallback) {
            String v = params.get(name);
            if (v == null) {
                return fallback;
            }
            try {
                return (int) Math.round(Double.parseDouble(v));
            } catch (NumberFormatException e) {
                return fallback;
            }
        }

        public String param(String name, String fallback) {
            return params.getOrDefault(name, fallback);
        }

        /** An attention call over a full sequence (not decode, not a probe). */
        public boolean isAttention() {
            return params.containsKey("mask");
        }

        public boolean isDecode() {
            return kind().equals("DecodeBenchmark") || kind().equals("MultiHeadDecodeBenchmark");
        }

        /** One head, entropy on, dot logits, standard rule: what every implementation computes. */
        public boolean isPlain() {
            return intParam("heads", 1) == 1 && param("entropy", "true").equals("true")
                    && param("logits", "dot").equals("dot") && param("rule", "standard").equals("standard");
        }

        /** The implementation without n, mask or threads: "fused", "OpenBLAS", "fused 32h/8kv", ... */
        public String implementation() {
            String base;
            switch (kind()) {
                case "FusedAttentionBenchmark": base = "fused"; break;
                case "MultiHeadBenchmark": base = "fused"; break;
                case "OpenBlasBenchmark": base = "OpenBLAS"; break;
                case "PyTorchSdpaBenchmark": base = "PyTorch SDPA"; break;
                case "RowAtATimeBenchmark": base = "row-at-a-time"; break;
                case "EjmlBenchmark": base = "EJML"; break;
                case "ReferenceAttentionBenchmark": base = "reference"; break;
                case "DecodeBenchmark": base = "decode"; break;
                case "MultiHeadDecodeBenchmark": base = "decode"; break;
                default: base = kind().replace("Benchmark", "");
            }
            int heads = intParam("heads", 1);
            if (heads > 1) {
                base += " " + heads + "h/" + intParam("kvHeads", heads) + "kv";
            }
            return base;
        }

        /** The implementation plus every setting that differs from the anchor (threads always). */
        public String label() {
            StringBuilder sb = new StringBuilder(implementation());
            String mask = param("mask", "bidirectional");
            if (!mask.equals("bidirectional")) {
                sb.append(' ').append(mask.replace("window", "window "));
            }
            if (param("entropy", "true").equals("false")) {
                sb.append(" no entropy");
            }
            if (param("logits", "dot").equals("cosine")) {
                sb.append(" CosScale");
            }
            if (param("rule", "standard").equals("infoscale")) {
                sb.append(" InfoScale");
            }
            if (intParam("d", 128) != 128) {
                sb.append(" d=").append(intParam("d", 128));
            }
            if (params.containsKey("threads")) {
                sb.append(' ').append(intParam("threads", 1)).append('t');
            }
            return sb.toString();
        }
    }

    /** Reads the results file; IllegalArgumentException when it is not the expected shape. */
    @SuppressWarnings("unchecked")
    public static BenchmarkResults read(Path file) throws IOException {
        Object root = Json.parse(Files.readString(file, StandardCharsets.UTF_8));
        if (!(root instanceof Map)) {
            throw new IllegalArgumentException(file + ": expected a JSON object");
        }
        Map<String, Object> m = (Map<String, Object>) root;
        Object cases = m.get("cases");
        if (!(cases instanceof List)) {
            throw new IllegalArgumentException(file + ": no \"cases\" array");
        }
        List<Case> list = new ArrayList<>();
        for (Object o : (List<Object>) cases) {
            if (!(o instanceof Map)) {
                continue;
            }
            Map<String, Object> c = (Map<String, Object>) o;
            Map<String, String> params = new LinkedHashMap<>();
            if (c.get("params") instanceof Map) {
                ((Map<String, Object>) c.get("params")).forEach((k, v) -> params.put(k, plain(v)));
            }
            list.add(new Case(String.valueOf(c.getOrDefault("id", "")), String.valueOf(c.getOrDefault("benchmark", "")),
                    Map.copyOf(params), number(c.get("seconds_per_op")), number(c.get("gflops")),
                    number(c.get("percent_of_peak")), number(c.get("gb_per_s")), number(c.get("percent_of_bandwidth"))));
        }
        Map<String, Object> peak = m.get("peak") instanceof Map ? (Map<String, Object>) m.get("peak") : Map.of();
        Map<String, Object> bw = m.get("bandwidth") instanceof Map ? (Map<String, Object>) m.get("bandwidth") : Map.of();
        Map<String, Object> machine = m.get("machine") instanceof Map ? (Map<String, Object>) m.get("machine") : Map.of();
        String mach = String.valueOf(machine.getOrDefault("cpu_model", "unknown CPU")) + ", "
                + plain(machine.getOrDefault("processors", "?")) + " processors, "
                + machine.getOrDefault("jvm", "unknown JVM");
        return new BenchmarkResults(String.valueOf(m.getOrDefault("plan", "unknown")),
                String.valueOf(m.getOrDefault("timestamp", "unknown")), number(peak.get("gflops_1_thread")),
                number(peak.get("gflops_all_threads")), number(bw.get("gb_per_s_1_thread")),
                number(bw.get("gb_per_s_all_threads")), mach, List.copyOf(list));
    }

    /** Attention series over n for the plain single-head problem (d = 128, bidirectional), one per label. */
    public Map<String, List<Case>> throughputSeries() {
        Map<String, List<Case>> series = new LinkedHashMap<>();
        for (Case c : cases) {
            if (c.isAttention() && c.isPlain() && c.intParam("d", 128) == 128
                    && c.param("mask", "").equals("bidirectional") && Double.isFinite(c.gflops())) {
                series.computeIfAbsent(c.label(), k -> new ArrayList<>()).add(c);
            }
        }
        for (List<Case> s : series.values()) {
            s.sort((a, b) -> Integer.compare(a.intParam("n", 0), b.intParam("n", 0)));
        }
        return series;
    }

    /** The n the summaries use: 4096 when a fused case has it, else the largest fused n (0 without any). */
    public int anchorN() {
        int best = 0;
        for (Case c : cases) {
            if (c.kind().equals("FusedAttentionBenchmark")) {
                int n = c.intParam("n", 0);
                if (n == 4096) {
                    return n;
                }
                best = Math.max(best, n);
            }
        }
        return best;
    }

    /** Attention cases at n (d = 128) with a % of peak. */
    public List<Case> atN(int n) {
        List<Case> out = new ArrayList<>();
        for (Case c : cases) {
            if (c.isAttention() && c.intParam("n", 0) == n && c.intParam("d", 128) == 128
                    && Double.isFinite(c.percentOfPeak())) {
                out.add(c);
            }
        }
        return out;
    }

    /** Decode cases with a % of bandwidth. */
    public List<Case> decode() {
        List<Case> out = new ArrayList<>();
        for (Case c : cases) {
            if (c.isDecode() && Double.isFinite(c.gbPerSecond())) {
                out.add(c);
            }
        }
        return out;
    }

    private static String plain(Object v) {
        if (v instanceof Double && (Double) v == Math.rint((Double) v)) {
            return Long.toString(Math.round((Double) v));
        }
        return String.valueOf(v).toLowerCase(Locale.ROOT).equals("null") ? "" : String.valueOf(v);
    }

    private static double number(Object o) {
        return o instanceof Number ? ((Number) o).doubleValue() : Double.NaN;
    }
}
