package org.isentropic.benchmarks.runner;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import jdk.incubator.vector.FloatVector;

/**
 * The JVM and CPU a run happened on, for the report.
 *
 * @param jvm           VM name and runtime version
 * @param os            OS name, version and architecture
 * @param cpuModel      the CPU's model name from {@code /proc/cpuinfo}, or "unknown" where it is not
 *                      readable
 * @param cpuFeatures   vector features the CPU reports (avx2, fma, avx512f), empty if unknown
 * @param processors    processors available to the JVM
 * @param vectorSpecies the Vector API's preferred float species
 */
public record MachineInfo(String jvm, String os, String cpuModel, List<String> cpuFeatures, int processors,
                          String vectorSpecies) {

    private static final Path CPUINFO = Path.of("/proc/cpuinfo");
    private static final List<String> FEATURES = List.of("avx2", "fma", "avx512f");

    public MachineInfo {
        cpuFeatures = List.copyOf(cpuFeatures);
    }

    /** This JVM and the CPU it runs on. */
    public static MachineInfo current() {
        String cpu = "unknown";
        List<String> features = new ArrayList<>();
        try {
            List<String> lines = Files.readAllLines(CPUINFO, StandardCharsets.UTF_8);
            cpu = field(lines, "model name", cpu);
            String flags = " " + field(lines, "flags", "") + " ";
            for (String f : FEATURES) {
                if (flags.contains(" " + f + " ")) {
                    features.add(f);
                }
            }
        } catch (IOException | SecurityException e) {
            // Not Linux, or not readable: the model stays "unknown".
        }
        return new MachineInfo(
                System.getProperty("java.vm.name") + " " + System.getProperty("java.runtime.version"),
                System.getProperty("os.name") + " " + System.getProperty("os.version") + " "
                        + System.getProperty("os.arch"),
                cpu, features, Runtime.getRuntime().availableProcessors(),
                FloatVector.SPECIES_PREFERRED.toString());
    }

    private static String field(List<String> lines, String key, String fallback) {
        for (String line : lines) {
            int colon = line.indexOf(':');
            if (colon > 0 && line.substring(0, colon).trim().equals(key)) {
                return line.substring(colon + 1).trim();
            }
        }
        return fallback;
    }
}
