package org.isentropic.verification;

import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.ExtensionContext;

/**
 * Prints {@link SuiteLedger#summary()} (properties and the examples each evaluated) once, when the
 * whole JUnit run ends. Registered for every test class by extension auto-detection
 * (src/test/resources: junit-platform.properties and META-INF/services).
 */
public final class SuiteSummaryExtension implements BeforeAllCallback {
    private static final String KEY = SuiteSummaryExtension.class.getName();

    @Override
    public void beforeAll(ExtensionContext context) {
        context.getRoot().getStore(ExtensionContext.Namespace.GLOBAL)
                .getOrComputeIfAbsent(KEY, k -> new Printer(), Printer.class);
    }

    /** Closed by JUnit when the root context closes, i.e. after the last test class. */
    static final class Printer implements ExtensionContext.Store.CloseableResource {
        private final long start = System.nanoTime();

        @Override
        public void close() {
            double seconds = (System.nanoTime() - start) / 1e9;
            System.out.println(SuiteLedger.summary());
            System.out.printf("  suite wall time %.1f s%n", seconds);
        }
    }
}
