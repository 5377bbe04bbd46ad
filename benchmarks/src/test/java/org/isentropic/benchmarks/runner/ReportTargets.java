package org.isentropic.benchmarks.runner;

import static org.junit.jupiter.api.Assertions.assertEquals;

/** The targets of a {@link BenchReport}, looked up by the start of their name, for the report's tests. */
final class ReportTargets {

    private ReportTargets() {
    }

    /** The first target whose name starts with {@code prefix}. */
    static BenchReport.Target target(BenchReport r, String prefix) {
        return r.targets().stream().filter(t -> t.name().startsWith(prefix)).findFirst().orElseThrow(
                () -> new AssertionError("no target " + prefix + " in " + r.targets()));
    }

    /** The target named by {@code prefix} has {@code value} (to 1e-9) and is met or not as {@code met} says. */
    static void assertTarget(BenchReport r, String prefix, double value, boolean met) {
        BenchReport.Target t = target(r, prefix);
        assertEquals(value, t.value(), 1e-9, prefix);
        assertEquals(met, t.met(), prefix);
    }
}
