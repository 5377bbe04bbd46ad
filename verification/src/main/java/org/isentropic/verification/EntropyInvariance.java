package org.isentropic.verification;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.function.IntToDoubleFunction;
import org.apache.commons.math3.distribution.TDistribution;
import org.isentropic.base.LogitKind;
import org.isentropic.base.Seeds;
import org.isentropic.kernels.AttentionKernels;
import org.isentropic.kernels.spec.AttentionKernel;
import org.isentropic.kernels.spec.AttentionOutput;
import org.isentropic.kernels.spec.AttentionSpec;
import org.isentropic.kernels.spec.KeyRange;
import org.isentropic.kernels.spec.NMode;
import org.isentropic.theory.entropy.Estimate;
import org.isentropic.theory.entropy.ExpectedEntropy;
import org.isentropic.theory.entropy.RunningMoments;
import org.isentropic.theory.models.LogitModel;
import org.isentropic.verification.bridge.AttentionInputs;
import org.isentropic.verification.bridge.ModelAttention;

/**
 * The paper's claim as a check: with a temperature rule {@code n -> lambda(n)} the mean row entropy that
 * an attention kernel measures at length n stays where it was at the training length N.
 *
 * <p><b>Measurement.</b> At each length n, {@link #batchesAt(int)} independent attention problems are drawn from
 * the logit model ({@link AttentionInputs#fromModel}: one draw of n keys, queries from independent draws)
 * and run through the kernel with the model's logits ({@code scale * cos} or {@code scale * q.k/sqrt(d)})
 * times {@code lambda(n)} ({@link NMode#SEQUENCE}: every row attends all n keys). A batch's value is the
 * mean entropy over its valid rows (all n rows for models without focus; row 0 for planted-focus models,
 * whose planted keys belong to query 0). The estimate is the mean of the batch values and its standard
 * error their sample standard deviation over {@code sqrt(batches)} (batches are independent; rows within
 * a batch share keys and are not).
 *
 * <p><b>Tolerance.</b> Length n passes when {@code lower(n) - tol <= H(n) - H(N) <= upper(n) + tol}
 * (invariance: lower = upper = 0) with
 * {@code tol = t sqrt(se_n^2 + se_N^2) + e_n + e_N + extra(n)}: {@code t} is the Student-t quantile with
 * {@code batches - 1} degrees of freedom at the two-sided level of {@link Tolerances#MONTE_CARLO_Z} (the
 * standard errors are themselves estimated), {@code e} the worst-case float error of a kernel row entropy
 * ({@link Tolerances#entropy}) and {@code extra} a caller's allowance (for instance the entropy error
 * implied by a derived factor's own standard error).
 *
 * <p><b>Failure.</b> {@link #assertInvariant()} and {@link #assertDrift} throw an {@link AssertionError}
 * whose message is {@link DriftReport#message()}: the per-length table, the seed, the command that reruns
 * it, and the smallest failing length found by bisecting (in ln n) between the last passing and the first
 * failing length.
 */
public final class EntropyInvariance {
    /** Monte-Carlo batches at the largest length in the default build. */
    public static final int DEFAULT_BATCHES = 16;
    /**
     * Most batches at any length. Shorter lengths get {@code batches * (maxLength / n)^2} batches up to
     * this cap, so every length costs about as much kernel work as the largest and the short lengths
     * (the reference N above all) are measured as precisely as the long ones.
     */
    public static final int MAX_BATCHES = 2048;
    /** Bisection steps when shrinking to the smallest failing length. */
    public static final int SHRINK_STEPS = 8;

    /** What is held invariant. */
    public enum Observable {
        /** the mean row entropy (nats). */
        ENTROPY,
        /**
         * the softmax mass of query 0 on the planted focus keys {@code 0 .. focusCount-1} (the kernel's
         * key-range mass), for planted-focus models.
         */
        FOCUS_MASS
    }

    private final String ruleName;
    private final IntToDoubleFunction rule;
    private final LogitModel model;
    private final int trainLength;
    private final int[] lengths;
    private final int batches;
    private final AttentionKernel kernel;
    private final long seed;
    private final IntToDoubleFunction extraTolerance;
    private final String property;
    private final Observable observable;
    private final double unitRoundoff;

    private EntropyInvariance(String ruleName, IntToDoubleFunction rule, LogitModel model, int trainLength,
            int[] lengths, int batches, AttentionKernel kernel, long seed, IntToDoubleFunction extraTolerance,
            String property, Observable observable, double unitRoundoff) {
        this.ruleName = ruleName;
        this.rule = rule;
        this.model = model;
        this.trainLength = trainLength;
        this.lengths = lengths;
        this.batches = batches;
        this.kernel = kernel;
        this.seed = seed;
        this.extraTolerance = extraTolerance;
        this.property = property;
        this.observable = observable;
        this.unitRoundoff = unitRoundoff;
    }

    /**
     * A check of {@code rule} on {@code model} at training length N and the given lengths, with the
     * defaults: {@link #DEFAULT_BATCHES} batches, the fused kernel on one thread, the run seed of
     * {@link Seeds}, no extra tolerance.
     *
     * @param ruleName a name for messages (e.g. {@code infoscale(N=16, d=32)})
     * @param rule n -&gt; factor on the logits; finite and &gt; 0 at N and every length
     * @param model the logit model
     * @param trainLength N, &gt;= max(1, model.focusCount())
     * @param lengths the lengths to check, each &gt;= max(1, model.focusCount()); N itself may be omitted
     * @return the check
     */
    public static EntropyInvariance of(String ruleName, IntToDoubleFunction rule, LogitModel model,
            int trainLength, int... lengths) {
        if (ruleName == null || rule == null || model == null) {
            throw new IllegalArgumentException("ruleName, rule and model must not be null");
        }
        int min = Math.max(1, model.focusCount());
        if (trainLength < min) {
            throw new IllegalArgumentException("trainLength must be >= " + min + ", got " + trainLength);
        }
        if (lengths == null || lengths.length == 0) {
            throw new IllegalArgumentException("lengths must not be empty");
        }
        for (int n : lengths) {
            if (n < min) {
                throw new IllegalArgumentException("every length must be >= " + min + ", got " + n);
            }
        }
        int[] sorted = Arrays.stream(lengths).distinct().sorted().toArray();
        return new EntropyInvariance(ruleName, rule, model, trainLength, sorted, DEFAULT_BATCHES,
                AttentionKernels.fused(1), Seeds.seed(), n -> 0.0, "entropy invariance: " + ruleName, Observable.ENTROPY,
                Tolerances.FLOAT_UNIT_ROUNDOFF);
    }

    /**
     * Lengths {@code N * 2^k} for {@code k = 1 .. log2(maxRatio)}.
     *
     * @param trainLength N, &gt;= 1
     * @param maxRatio largest n / N, a power of two &gt;= 2
     * @return the lengths
     */
    public static int[] doublings(int trainLength, int maxRatio) {
        if (trainLength < 1) {
            throw new IllegalArgumentException("trainLength must be >= 1, got " + trainLength);
        }
        if (maxRatio < 2 || Integer.bitCount(maxRatio) != 1) {
            throw new IllegalArgumentException("maxRatio must be a power of two >= 2, got " + maxRatio);
        }
        int steps = Integer.numberOfTrailingZeros(maxRatio);
        int[] out = new int[steps];
        for (int k = 1; k <= steps; k++) {
            out[k - 1] = Math.multiplyExact(trainLength, 1 << k);
        }
        return out;
    }

    /**
     * @param count Monte-Carlo batches at the largest length (more at shorter ones, see
     *     {@link #MAX_BATCHES}), &gt;= 2
     * @return this check with that many batches
     */
    public EntropyInvariance withBatches(int count) {
        if (count < 2) {
            throw new IllegalArgumentException("batches must be >= 2, got " + count);
        }
        return new EntropyInvariance(ruleName, rule, model, trainLength, lengths, count, kernel, seed,
                extraTolerance, property, observable, unitRoundoff);
    }

    /**
     * @param k the kernel that measures the entropy
     * @return this check with that kernel
     */
    public EntropyInvariance withKernel(AttentionKernel k) {
        if (k == null) {
            throw new IllegalArgumentException("kernel must not be null");
        }
        return new EntropyInvariance(ruleName, rule, model, trainLength, lengths, batches, k, seed,
                extraTolerance, property, observable, Tolerances.FLOAT_UNIT_ROUNDOFF);
    }

    /**
     * The kernel and the unit roundoff of its arithmetic, for the float-error term of the tolerance:
     * {@link Tolerances#DOUBLE_UNIT_ROUNDOFF} for {@code AttentionKernels.reference()} (logits, softmax and
     * sums in double; only its float outputs are rounded), {@link Tolerances#FLOAT_UNIT_ROUNDOFF} for
     * float kernels (the default of {@link #withKernel(AttentionKernel)}).
     *
     * @param k the kernel
     * @param u its unit roundoff, in (0, 2^-24]
     * @return this check with that kernel
     */
    public EntropyInvariance withKernel(AttentionKernel k, double u) {
        if (!(u > 0 && u <= Tolerances.FLOAT_UNIT_ROUNDOFF)) {
            throw new IllegalArgumentException("unit roundoff must be in (0, 2^-24], got " + u);
        }
        EntropyInvariance withK = withKernel(k);
        return new EntropyInvariance(ruleName, rule, model, trainLength, lengths, batches, withK.kernel, seed,
                extraTolerance, property, observable, u);
    }

    /**
     * @param extra n -&gt; additional allowed |drift| in nats (finite, &gt;= 0)
     * @return this check with that allowance
     */
    public EntropyInvariance withExtraTolerance(IntToDoubleFunction extra) {
        if (extra == null) {
            throw new IllegalArgumentException("extra must not be null");
        }
        return new EntropyInvariance(ruleName, rule, model, trainLength, lengths, batches, kernel, seed, extra,
                property, observable, unitRoundoff);
    }

    /**
     * @param name the property name under which {@link SuiteLedger} counts this check's examples
     * @return this check with that name
     */
    public EntropyInvariance named(String name) {
        if (name == null || name.isBlank()) {
            throw new IllegalArgumentException("name must not be blank, got '" + name + "'");
        }
        return new EntropyInvariance(ruleName, rule, model, trainLength, lengths, batches, kernel, seed,
                extraTolerance, name, observable, unitRoundoff);
    }

    /**
     * @param o what to hold invariant ({@link Observable#FOCUS_MASS} needs a planted-focus model)
     * @return this check observing {@code o}
     */
    public EntropyInvariance observing(Observable o) {
        if (o == null) {
            throw new IllegalArgumentException("observable must not be null");
        }
        if (o == Observable.FOCUS_MASS && model.focusCount() == 0) {
            throw new IllegalArgumentException("FOCUS_MASS needs a model with focus keys, got " + model);
        }
        return new EntropyInvariance(ruleName, rule, model, trainLength, lengths, batches, kernel, seed,
                extraTolerance, property, o, unitRoundoff);
    }

    /** @return the checked lengths (sorted, distinct) */
    public int[] lengths() {
        return lengths.clone();
    }

    /**
     * The measured mean row entropy at one length.
     *
     * @param n length
     * @param factor the rule's factor at n
     * @param mean mean over batches of the batch mean row entropy (or of the focus mass)
     * @param standardError standard error of {@code mean}
     * @param batches number of batches
     * @param numericError worst-case float error bound of one kernel row entropy (nats) or focus mass
     */
    public record Measurement(int n, double factor, double mean, double standardError, int batches,
            double numericError) {
    }

    /**
     * The batches measured at length n: {@code batches * (maxLength / n)^2}, at least {@code batches}
     * and at most {@link #MAX_BATCHES} (or {@code batches} when that is larger).
     *
     * @param n the length
     * @return the batch count
     */
    public int batchesAt(int n) {
        double max = lengths[lengths.length - 1];
        double scaled = batches * (max / n) * (max / n);
        return (int) Math.max(batches, Math.min(MAX_BATCHES, scaled));
    }

    /**
     * Measure the mean row entropy at length n.
     *
     * @param n the length, &gt;= max(1, focusCount)
     * @return the estimate
     */
    public Measurement measure(int n) {
        double factor = rule.applyAsDouble(n);
        if (!(factor > 0) || Double.isInfinite(factor)) {
            throw new IllegalArgumentException("rule " + ruleName + " gave factor " + factor + " at n=" + n
                    + " (must be finite and > 0)");
        }
        int d = model.dim();
        ModelAttention bridge = ModelAttention.of(model);
        AttentionSpec spec = bridge.spec(rule, n);
        // a cosine logit is at most the scale times the factor; a dot logit's bound depends on the draw
        double logitBound = model.kind() == LogitKind.COSINE ? model.scale() * factor : Double.NaN;
        boolean allRows = model.focusCount() == 0;
        boolean mass = observable == Observable.FOCUS_MASS;
        AttentionOutput out = mass
                ? AttentionOutput.allocate(n, 1, false, List.of(new KeyRange(0, model.focusCount())))
                : AttentionOutput.allocate(n, 1, false);
        // raw sums (shift 0), as the suite's bounds were calibrated on
        RunningMoments values = RunningMoments.create();
        double numeric = 0;
        int count = batchesAt(n);
        for (int b = 0; b < count; b++) {
            AttentionInputs in = bridge.sample(n, 1, Seeds.derive(seed, (long) n * 1_000_003L + b));
            kernel.attend(spec, in.q(), in.k(), in.v(), n, d, 1, out);
            float[] h = out.entropy();
            double value;
            if (mass) {
                value = out.mass()[0];
            } else if (allRows) {
                double s = 0;
                for (int i = 0; i < n; i++) {
                    s += h[i];
                }
                value = s / n;
            } else {
                value = h[0];
            }
            values.add(value);
            double bound = model.kind() == LogitKind.COSINE ? logitBound
                    : model.scale() * factor * in.maxQueryNorm() * in.maxKeyNorm() / Math.sqrt(d);
            double dz = Tolerances.logit(d, 0, bound, unitRoundoff);
            numeric = Math.max(numeric, mass
                    ? model.focusCount() * (2 * (dz + 4 * unitRoundoff) + Tolerances.gamma(n + 4L, unitRoundoff))
                            + Tolerances.FLOAT_UNIT_ROUNDOFF
                    : Tolerances.entropy(n, dz, bound, unitRoundoff));
        }
        SuiteLedger.count(property, count);
        Estimate e = values.estimate();
        return new Measurement(n, factor, e.mean(), e.standardError(), count, numeric);
    }

    /**
     * The Student-t quantile at the two-sided level of {@link Tolerances#MONTE_CARLO_Z}.
     *
     * @param batchCount the smaller batch count of the two compared estimates, &gt;= 2
     * @return the quantile with {@code batchCount - 1} degrees of freedom
     */
    public static double tQuantile(int batchCount) {
        double tail = 2 * normalUpperTail(Tolerances.MONTE_CARLO_Z);
        return new TDistribution(null, batchCount - 1).inverseCumulativeProbability(1 - tail / 2);
    }

    /**
     * Measure every length against N with the invariance band {@code [0, 0]}.
     *
     * @return the report (not asserted)
     */
    public DriftReport invariance() {
        return drift(n -> 0.0, n -> 0.0);
    }

    /**
     * Measure every length against N with the band {@code [lower(n), upper(n)]} for the drift.
     *
     * @param lower n -&gt; smallest allowed drift ({@code Double.NEGATIVE_INFINITY} for none)
     * @param upper n -&gt; largest allowed drift ({@code Double.POSITIVE_INFINITY} for none)
     * @return the report (not asserted), with the smallest failing length after shrinking
     */
    public DriftReport drift(IntToDoubleFunction lower, IntToDoubleFunction upper) {
        SuiteLedger.register(property);
        Measurement ref = measure(trainLength);
        DriftReport.Row refRow = new DriftReport.Row(trainLength, ref.factor(), ref.mean(), ref.standardError(),
                0.0, 0.0, 0.0, 0.0);
        List<DriftReport.Row> rows = new ArrayList<>();
        int firstFail = -1;
        for (int idx = 0; idx < lengths.length; idx++) {
            int n = lengths[idx];
            if (n == trainLength) {
                continue;
            }
            DriftReport.Row row = row(measure(n), ref, lower, upper);
            rows.add(row);
            if (!row.passed() && firstFail < 0) {
                firstFail = idx;
            }
        }
        int smallest = 0;
        if (firstFail >= 0) {
            int hi = lengths[firstFail];
            int lo = firstFail > 0 ? lengths[firstFail - 1] : Math.min(trainLength, hi);
            if (lo >= hi) {
                lo = Math.max(Math.max(1, model.focusCount()), hi / 2);
            }
            for (int step = 0; step < SHRINK_STEPS && hi - lo > 1; step++) {
                int mid = (int) Math.round(Math.sqrt((double) lo * hi));
                mid = Math.min(hi - 1, Math.max(lo + 1, mid));
                if (mid == trainLength) {
                    lo = mid;
                    continue;
                }
                DriftReport.Row row = row(measure(mid), ref, lower, upper);
                if (row.passed()) {
                    lo = mid;
                } else {
                    hi = mid;
                }
            }
            smallest = hi;
        }
        String title = (observable == Observable.FOCUS_MASS ? "focus mass, " : "") + ruleName + " on " + model
                + " with kernel " + kernel.name() + ", " + batchesAt(lengths[lengths.length - 1])
                + " to " + batchesAt(Math.min(trainLength, lengths[0])) + " batches per length";
        return new DriftReport(title, trainLength, refRow, rows, seed, smallest);
    }

    /**
     * The drift the theory module predicts for this rule and model: {@code E[H_n(lambda(n))] -
     * E[H_N(lambda(N))]} by {@link ExpectedEntropy#monteCarlo} (or the focus mass by
     * {@link ExpectedEntropy#focusMassMonteCarlo}), with its standard error.
     *
     * @param n the length
     * @param samples Monte-Carlo rows at the largest length ({@link #theoryRows}), &gt;= 2
     * @return {mean, standard error} of the predicted drift
     */
    public double[] theoryDrift(int n, int samples) {
        long theorySeed = Seeds.derive(seed, "theory");
        Estimate at = theoryValue(n, samples, theorySeed);
        Estimate ref = theoryValue(trainLength, samples, theorySeed);
        return new double[] {at.mean() - ref.mean(), Math.hypot(at.standardError(), ref.standardError())};
    }

    private Estimate theoryValue(int n, int samples, long theorySeed) {
        double lambda = rule.applyAsDouble(n);
        long s = Seeds.derive(theorySeed, n);
        int rows = theoryRows(samples, n);
        return observable == Observable.FOCUS_MASS
                ? ExpectedEntropy.focusMassMonteCarlo(model, n, lambda, rows, s)
                : ExpectedEntropy.monteCarlo(model, n, lambda, rows, s);
    }

    /**
     * Theory Monte-Carlo rows at length n: {@code samples} at the largest length and proportionally more
     * at shorter ones (up to 16 times), so every length costs about the same.
     *
     * @param samples rows at the largest length, &gt;= 2
     * @param n the length
     * @return the row count
     */
    public int theoryRows(int samples, int n) {
        if (samples < 2) {
            throw new IllegalArgumentException("samples must be >= 2, got " + samples);
        }
        long max = lengths[lengths.length - 1];
        return (int) Math.min(16L * samples, Math.max(samples, samples * max / n));
    }

    /**
     * Measure every length and compare the kernel's drift with the theory's Monte-Carlo prediction
     * ({@link #theoryDrift}): the two modules estimate the same expectation independently, so they must
     * agree within {@code t sqrt(se_n^2 + se_N^2) + e_n + e_N + extra(n) + Z se_theory(n)}.
     *
     * @param samples theory Monte-Carlo rows at the largest length ({@link #theoryRows}), &gt;= 2
     * @return the report (not asserted)
     */
    public DriftReport againstTheory(int samples) {
        long theorySeed = Seeds.derive(seed, "theory");
        Estimate ref = theoryValue(trainLength, samples, theorySeed);
        java.util.Map<Integer, Estimate> cache = new java.util.HashMap<>();
        java.util.function.IntFunction<Estimate> at = n -> cache.computeIfAbsent(n,
                key -> theoryValue(n, samples, theorySeed));
        IntToDoubleFunction pred = n -> at.apply(n).mean() - ref.mean();
        IntToDoubleFunction base = extraTolerance;
        EntropyInvariance withTheory = withExtraTolerance(n -> base.applyAsDouble(n)
                + Tolerances.MONTE_CARLO_Z * Math.hypot(at.apply(n).standardError(), ref.standardError()));
        return withTheory.drift(pred, pred);
    }

    /**
     * Assert {@link #againstTheory}.
     *
     * @param samples theory Monte-Carlo rows per length
     * @return the report when every length passed
     * @throws AssertionError with {@link DriftReport#message()} otherwise
     */
    public DriftReport assertMatchesTheory(int samples) {
        return assertPassed(againstTheory(samples));
    }

    private DriftReport.Row row(Measurement m, Measurement ref, IntToDoubleFunction lower,
            IntToDoubleFunction upper) {
        double t = tQuantile(Math.min(m.batches(), ref.batches()));
        double tol = t * Math.hypot(m.standardError(), ref.standardError()) + m.numericError()
                + ref.numericError() + extraTolerance.applyAsDouble(m.n());
        return new DriftReport.Row(m.n(), m.factor(), m.mean(), m.standardError(), m.mean() - ref.mean(),
                lower.applyAsDouble(m.n()), upper.applyAsDouble(m.n()), tol);
    }

    /**
     * Assert invariance.
     *
     * @return the report when every length passed
     * @throws AssertionError with {@link DriftReport#message()} otherwise
     */
    public DriftReport assertInvariant() {
        return assertPassed(invariance());
    }

    /**
     * Assert that the drift lies in {@code [lower(n), upper(n)]} (within tolerance) at every length.
     *
     * @param lower n -&gt; smallest allowed drift
     * @param upper n -&gt; largest allowed drift
     * @return the report when every length passed
     * @throws AssertionError with {@link DriftReport#message()} otherwise
     */
    public DriftReport assertDrift(IntToDoubleFunction lower, IntToDoubleFunction upper) {
        return assertPassed(drift(lower, upper));
    }

    private static DriftReport assertPassed(DriftReport report) {
        if (!report.passed()) {
            throw new AssertionError(report.message());
        }
        return report;
    }

    /** Upper tail of the standard normal, {@code P(Z > z) = erfc(z / sqrt 2) / 2}. */
    static double normalUpperTail(double z) {
        return 0.5 * org.apache.commons.math3.special.Erf.erfc(z / Math.sqrt(2));
    }
}
