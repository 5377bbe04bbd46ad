package org.isentropic.benchmarks.runner;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.regex.Pattern;

/**
 * One JMH benchmark method with fixed parameters, e.g. {@code FusedAttentionBenchmark.attend} with
 * {@code n=4096, d=128, mask=causal}. Parameters not given keep the benchmark's defaults only if the
 * benchmark declares a single value; the plans give every parameter explicitly.
 *
 * @param id        a short unique label for tables and filters (e.g. {@code fused-n4096-causal})
 * @param benchmark simple class name and method, {@code Class.method}, in package
 *                  {@code org.isentropic.benchmarks.*}
 * @param params    JMH parameter values by name (insertion order kept)
 */
public record BenchCase(String id, String benchmark, Map<String, String> params) {

    public BenchCase {
        if (id == null || id.isBlank()) {
            throw new IllegalArgumentException("id must not be blank");
        }
        if (benchmark == null || !benchmark.matches("[A-Za-z0-9_]+\\.[A-Za-z0-9_]+")) {
            throw new IllegalArgumentException("benchmark must be Class.method, got " + benchmark);
        }
        params = java.util.Collections.unmodifiableMap(new LinkedHashMap<>(params));
    }

    /** The benchmark class's simple name. */
    public String className() {
        return benchmark.substring(0, benchmark.indexOf('.'));
    }

    /** The JMH include pattern that selects exactly this method. */
    public String includeRegex() {
        return "^org\\.isentropic\\.benchmarks\\.[a-z.]*" + Pattern.quote(benchmark) + "$";
    }

    /** A parameter value, or the fallback when this case does not set it. */
    public String param(String name, String fallback) {
        return params.getOrDefault(name, fallback);
    }

    public int intParam(String name, int fallback) {
        String v = params.get(name);
        return v == null ? fallback : Integer.parseInt(v);
    }
}
