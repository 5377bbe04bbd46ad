package org.isentropic.figures.analysis;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.isentropic.experiments.io.Json;

/**
 * Figure 7's data, read from the benchmarks module's {@code benchmarks/results.json} (written by
 * {@code isentropic bench}): per implementation and configuration, GFLOP/s and percent of the measured
 * peak against n. An implementation's series is its benchmark name plus every parameter except n.
 *
 * @param plan      the benchmark plan name (quick/full)
 * @param timestamp when the benchmarks ran
 * @param peak1     measured 1-thread FP32 peak, GFLOP/s (NaN if absent)
 * @param peakAll   measured all-threads peak, GFLOP/s (NaN if absent)
 * @param machine   a one-line machine description
 * @param series    the series, largest first
 */
public record BenchmarkResults(String plan, String timestamp, double peak1, double peakAll, String machine,
        List<Series> series) {

    /** One implementation/configuration over n. */
    public record Series(String name, int[] n, double[] gflops, double[] percentOfPeak) {
    }

    /** Reads and groups the results file; IllegalArgumentException when it is not the expected shape. */
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
        // Parameters with one value in every case say nothing about a series: leave them out of its name.
        Map<String, java.util.Set<String>> values = new java.util.HashMap<>();
        for (Object o : (List<Object>) cases) {
            if (o instanceof Map && ((Map<String, Object>) o).get("params") instanceof Map) {
                ((Map<String, Object>) ((Map<String, Object>) o).get("params")).forEach(
                        (k, v) -> values.computeIfAbsent(k, x -> new java.util.HashSet<>()).add(String.valueOf(v)));
            }
        }
        Map<String, TreeMap<Integer, double[]>> groups = new LinkedHashMap<>();
        for (Object o : (List<Object>) cases) {
            if (!(o instanceof Map)) {
                continue;
            }
            Map<String, Object> c = (Map<String, Object>) o;
            Object params = c.get("params");
            double gflops = number(c.get("gflops"));
            if (!(params instanceof Map) || !Double.isFinite(gflops)) {
                continue;
            }
            Map<String, Object> p = new TreeMap<>((Map<String, Object>) params);
            Object nValue = p.remove("n");
            p.keySet().removeIf(k -> values.get(k).size() < 2);
            if (nValue == null) {
                continue;
            }
            int n;
            try {
                n = (int) Math.round(nValue instanceof Number ? ((Number) nValue).doubleValue()
                        : Double.parseDouble(nValue.toString()));
            } catch (NumberFormatException e) {
                continue;
            }
            String name = shortName(String.valueOf(c.get("benchmark"))) + (p.isEmpty() ? "" : " " + describe(p));
            groups.computeIfAbsent(name, k -> new TreeMap<>())
                    .put(n, new double[] {gflops, number(c.get("percent_of_peak"))});
        }
        List<Series> series = new ArrayList<>();
        for (Map.Entry<String, TreeMap<Integer, double[]>> g : groups.entrySet()) {
            int k = g.getValue().size();
            int[] n = new int[k];
            double[] gf = new double[k];
            double[] pct = new double[k];
            int i = 0;
            for (Map.Entry<Integer, double[]> e : g.getValue().entrySet()) {
                n[i] = e.getKey();
                gf[i] = e.getValue()[0];
                pct[i] = e.getValue()[1];
                i++;
            }
            series.add(new Series(g.getKey(), n, gf, pct));
        }
        series.sort((a, b) -> Integer.compare(b.n().length, a.n().length));
        Map<String, Object> peak = m.get("peak") instanceof Map ? (Map<String, Object>) m.get("peak") : Map.of();
        Map<String, Object> machine = m.get("machine") instanceof Map ? (Map<String, Object>) m.get("machine") : Map.of();
        String mach = String.valueOf(machine.getOrDefault("cpu_model", "unknown CPU")) + ", "
                + String.valueOf(machine.getOrDefault("processors", "?")).replaceAll("\\.0$", "") + " processors, "
                + machine.getOrDefault("jvm", "unknown JVM");
        return new BenchmarkResults(String.valueOf(m.getOrDefault("plan", "unknown")),
                String.valueOf(m.getOrDefault("timestamp", "unknown")), number(peak.get("gflops_1_thread")),
                number(peak.get("gflops_all_threads")), mach, List.copyOf(series));
    }

    private static String shortName(String benchmark) {
        return benchmark.replace("Benchmark.", ".").replace("Benchmark", "");
    }

    private static String describe(Map<String, Object> p) {
        StringBuilder sb = new StringBuilder();
        for (Map.Entry<String, Object> e : p.entrySet()) {
            Object v = e.getValue();
            String text = v instanceof Double && (Double) v == Math.rint((Double) v)
                    ? Long.toString(Math.round((Double) v)) : String.valueOf(v);
            sb.append(sb.length() == 0 ? "" : ",").append(e.getKey()).append('=').append(text);
        }
        return sb.toString();
    }

    private static double number(Object o) {
        return o instanceof Number ? ((Number) o).doubleValue() : Double.NaN;
    }
}
