package org.isentropic.kernels.spec;

import java.util.Locale;

/**
 * The per-row entropy target of exactly isentropic attention ({@link AttentionSpec#withIsentropic}): row i's
 * temperature lambda_i is solved so that H_i(lambda_i), the entropy of the row over every key the call's
 * mask makes visible, equals target_i within {@code tolerance} nats:
 *
 * <pre>
 *   WINDOW:        target_i = H_i at factor 1 over the N keys j with i - floor(N/2) &lt;= j &lt; i + N - floor(N/2)
 *                  (the window [i - N/2, i + N/2), clipped to the sequence)
 *   CAUSAL_WINDOW: target_i = H_i at factor 1 over the N keys i - N + 1 &lt;= j &lt;= i (clipped at 0)
 *   VALUE:         target_i = the given value for every row
 * </pre>
 *
 * The reference set replaces the call's mask (use CAUSAL_WINDOW for causal calls, WINDOW otherwise);
 * logits there use the call's logit kind and positions. Since dH/dlambda = -lambda Var_p(z) &lt;= 0 (the
 * theory module's entropy formula), H_i falls monotonically in lambda; a target outside
 * [H_i(lambdaMax), H_i(lambdaMin)] cannot be reached and the row is clamped at the nearer bound.
 *
 * @param reference     how each row's target is defined
 * @param trainLength   N, the size of the reference set (&gt;= 1; unused for VALUE)
 * @param value         the target in nats for VALUE (finite, &gt;= 0), NaN otherwise
 * @param tolerance     |H_i(lambda_i) - target_i| allowed, in nats (&gt; 0)
 * @param lambdaMin     smallest temperature tried (&gt; 0)
 * @param lambdaMax     largest temperature tried (&gt; lambdaMin)
 * @param maxIterations solver passes over the keys before a row is reported unconverged (&gt;= 1)
 */
public record IsentropicTarget(Reference reference, int trainLength, double value, double tolerance, double lambdaMin,
        double lambdaMax, int maxIterations) {

    /** The reference sets. */
    public enum Reference { WINDOW, CAUSAL_WINDOW, VALUE }

    public static final double DEFAULT_TOLERANCE = 1e-3;
    public static final double DEFAULT_LAMBDA_MIN = 1.0 / 64;
    public static final double DEFAULT_LAMBDA_MAX = 64;
    public static final int DEFAULT_MAX_ITERATIONS = 40;

    public IsentropicTarget {
        if (reference == null) {
            throw new IllegalArgumentException("reference must not be null");
        }
        if (reference != Reference.VALUE && trainLength < 1) {
            throw new IllegalArgumentException("train length must be >= 1, got " + trainLength);
        }
        if (reference == Reference.VALUE && !(value >= 0 && value < Double.POSITIVE_INFINITY)) {
            throw new IllegalArgumentException("target entropy must be finite and >= 0, got " + value);
        }
        if (!(tolerance > 0) || Double.isInfinite(tolerance)) {
            throw new IllegalArgumentException("tolerance must be finite and > 0, got " + tolerance);
        }
        if (!(lambdaMin > 0) || !(lambdaMax > lambdaMin) || Double.isInfinite(lambdaMax)) {
            throw new IllegalArgumentException("temperature bounds must satisfy 0 < min < max < infinity, got "
                    + lambdaMin + ", " + lambdaMax);
        }
        Checks.atLeastOne("max iterations", maxIterations);
    }

    /** Target: each row's entropy over the N keys around it ([i - N/2, i + N/2)). */
    public static IsentropicTarget window(int trainLength) {
        return new IsentropicTarget(Reference.WINDOW, trainLength, Double.NaN, DEFAULT_TOLERANCE, DEFAULT_LAMBDA_MIN,
                DEFAULT_LAMBDA_MAX, DEFAULT_MAX_ITERATIONS);
    }

    /** Target: each row's entropy over the last N keys up to it. */
    public static IsentropicTarget causalWindow(int trainLength) {
        return new IsentropicTarget(Reference.CAUSAL_WINDOW, trainLength, Double.NaN, DEFAULT_TOLERANCE,
                DEFAULT_LAMBDA_MIN, DEFAULT_LAMBDA_MAX, DEFAULT_MAX_ITERATIONS);
    }

    /** Target: the same entropy {@code h} (nats) for every row. */
    public static IsentropicTarget value(double h) {
        return new IsentropicTarget(Reference.VALUE, 0, h, DEFAULT_TOLERANCE, DEFAULT_LAMBDA_MIN, DEFAULT_LAMBDA_MAX,
                DEFAULT_MAX_ITERATIONS);
    }

    public IsentropicTarget withTolerance(double t) {
        return new IsentropicTarget(reference, trainLength, value, t, lambdaMin, lambdaMax, maxIterations);
    }

    public IsentropicTarget withBounds(double min, double max) {
        return new IsentropicTarget(reference, trainLength, value, tolerance, min, max, maxIterations);
    }

    public IsentropicTarget withMaxIterations(int m) {
        return new IsentropicTarget(reference, trainLength, value, tolerance, lambdaMin, lambdaMax, m);
    }

    /** The mask of the reference set (null for VALUE). */
    public Mask referenceMask() {
        switch (reference) {
            case WINDOW:
                int before = trainLength / 2;
                return Mask.band(before, trainLength - 1 - before);
            case CAUSAL_WINDOW:
                return Mask.band(trainLength - 1, 0);
            default:
                return null;
        }
    }

    @Override
    public String toString() {
        String r = reference == Reference.VALUE ? String.format(Locale.ROOT, "value %.6g", value)
                : reference.name().toLowerCase(Locale.ROOT).replace('_', '-') + " N=" + trainLength;
        return String.format(Locale.ROOT, "%s, tol %.3g, lambda in [%.4g, %.4g], <= %d passes", r, tolerance,
                lambdaMin, lambdaMax, maxIterations);
    }
}
