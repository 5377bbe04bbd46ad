package org.isentropic.verification;

import java.util.List;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Consumer;
import org.isentropic.base.Seeds;
import org.quicktheories.QuickTheory;
import org.quicktheories.api.AsString;
import org.quicktheories.core.Gen;
import org.quicktheories.core.Reporter;

/**
 * The QuickTheories setup of the project: a fixed seed from {@link Seeds}, an example count from
 * {@link ExampleBudget}, a bounded number of shrink cycles, a failure message that names the property,
 * the smallest falsifying example after shrinking, the seed and the command that reruns it, and the
 * example count recorded in {@link SuiteLedger}.
 *
 * <pre>{@code
 * Theories.check("entropy is at most ln n", 50, 1000, Generators.sizes(1, 512),
 *     n -> assertTrue(...));
 * }</pre>
 */
public final class Theories {
    /** Shrink cycles in the default build; attention examples are expensive to re-run. */
    public static final int QUICK_SHRINK_CYCLES = 200;
    /** Shrink cycles under {@code -Pexhaustive}. */
    public static final int EXHAUSTIVE_SHRINK_CYCLES = 2000;

    private Theories() {
    }

    /**
     * A configured {@code qt()} for one property: seeded with {@code Seeds.derive(property)}, with
     * {@code ExampleBudget.pick(quick, exhaustive)} examples and this class's failure reporter.
     *
     * @param property the property's name (a sentence), not blank
     * @param quick examples in the default build, at least 1
     * @param exhaustive examples under {@code -Pexhaustive}, at least {@code quick}
     * @return the configured QuickTheory
     */
    public static QuickTheory qt(String property, int quick, int exhaustive) {
        SuiteLedger.register(property);
        long runSeed = Seeds.seed();
        return QuickTheory.qt()
                .withFixedSeed(Seeds.derive(runSeed, property))
                .withExamples(ExampleBudget.pick(quick, exhaustive))
                .withShrinkCycles(ExampleBudget.exhaustive() ? EXHAUSTIVE_SHRINK_CYCLES : QUICK_SHRINK_CYCLES)
                .withReporter(new RerunReporter(property, runSeed));
    }

    /**
     * Check a property over generated examples and count them in {@link SuiteLedger}.
     *
     * @param property the property's name, not blank
     * @param quick examples in the default build
     * @param exhaustive examples under {@code -Pexhaustive}
     * @param examples the generator
     * @param assertion throws an {@link AssertionError} (or any exception) when the example falsifies it
     * @param <A> the example type
     * @throws AssertionError with the smallest falsifying example, the seed and the rerun command
     */
    public static <A> void check(String property, int quick, int exhaustive, Gen<A> examples,
            Consumer<A> assertion) {
        AtomicLong evaluated = new AtomicLong();
        try {
            qt(property, quick, exhaustive).forAll(examples).checkAssert(a -> {
                evaluated.incrementAndGet();
                assertion.accept(a);
            });
        } finally {
            SuiteLedger.count(property, evaluated.get());
        }
    }

    /** Throws an AssertionError that tells what broke and how to rerun it. */
    static final class RerunReporter implements Reporter {
        private final String property;
        private final long runSeed;

        RerunReporter(String property, long runSeed) {
            this.property = property;
            this.runSeed = runSeed;
        }

        @Override
        public void falisification(long seed, int examplesUsed, Object smallest, Throwable cause,
                List<Object> others, AsString<Object> toString) {
            throw new AssertionError(message(examplesUsed, smallest, cause, others, toString), cause);
        }

        @Override
        public void falisification(long seed, int examplesUsed, Object smallest, List<Object> others,
                AsString<Object> toString) {
            throw new AssertionError(message(examplesUsed, smallest, null, others, toString));
        }

        @Override
        public void valuesExhausted(int examplesUsed) {
            // A generator that runs dry has still checked every value it had: not a failure.
        }

        private String message(int examplesUsed, Object smallest, Throwable cause, List<Object> others,
                AsString<Object> toString) {
            StringBuilder sb = new StringBuilder();
            sb.append("Property falsified: ").append(property).append('\n');
            sb.append("  after ").append(examplesUsed).append(" example(s); smallest falsifying example after shrinking:\n");
            sb.append("    ").append(toString.asString(smallest).replace("\n", "\n    ")).append('\n');
            if (cause != null) {
                sb.append("  because: ").append(String.valueOf(cause.getMessage()).replace("\n", "\n    ")).append('\n');
            }
            if (others != null && !others.isEmpty()) {
                sb.append("  ").append(others.size()).append(" other falsifying example(s), first: ")
                        .append(toString.asString(others.get(0)).replace("\n", " ")).append('\n');
            }
            sb.append("  ").append(Seeds.rerunHint(runSeed));
            return sb.toString();
        }
    }
}
