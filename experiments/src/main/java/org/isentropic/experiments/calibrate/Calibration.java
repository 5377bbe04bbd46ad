package org.isentropic.experiments.calibrate;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.SplittableRandom;
import java.util.function.IntToDoubleFunction;
import org.apache.commons.math3.analysis.solvers.BrentSolver;
import org.isentropic.kernels.spec.AttentionKernel;
import org.isentropic.kernels.spec.AttentionOutput;
import org.isentropic.kernels.spec.AttentionSpec;
import org.isentropic.kernels.spec.NMode;
import org.isentropic.theory.models.LogitModels;
import org.isentropic.theory.solvers.Base;
import org.isentropic.theory.solvers.Condition;
import org.isentropic.theory.solvers.DerivedFactors;
import org.isentropic.theory.solvers.InvarianceSolver;

/**
 * Per-layer (per-head) temperature calibration from captured attention inputs (docs/method.md, the experiment),
 * shared by {@code isentropic calibrate} and the experiment's oracle and derived rows.
 *
 * <ul>
 *   <li><b>Oracle</b>: the constant factor f that multiplies every logit of the captures at length n so
 *       that their mean row entropy (the kernel's {@code H = logsumexp(z) - sum p z}) equals a target, the
 *       mean row entropy at the training length N. Row entropy is non-increasing in f, so the root is found
 *       by Brent's method on ln f after bracketing.</li>
 *   <li><b>Derived</b>: theory's exact entropy-invariance solver ({@link InvarianceSolver}, condition
 *       {@link Condition#EXACT}, the solver behind {@code isentropic derive}) on keys uniform on the sphere
 *       of R^d, given the measured mean entropy at N as the base entropy: the factor lambda_n / lambda_N
 *       that a model with isotropic keys would need.</li>
 * </ul>
 *
 * A capture holds q and k of one head for one sequence ({@code q[i*d + c]}, n x d) and the spec it was
 * attended with (logit kind, positions, mask, any per-row temperature the model itself applies). The
 * calibration factor multiplies the spec's own rule, if it has one.
 */
public final class Calibration {

    /** Relative accuracy of the oracle factor (Brent's absolute accuracy on ln f). */
    public static final double LOG_FACTOR_ACCURACY = 1e-5;
    private static final int MAX_BRACKET_STEPS = 60;

    /**
     * One captured attention input.
     *
     * @param spec the spec the head was attended with
     * @param q n x d queries
     * @param k n x d keys
     */
    public record Capture(AttentionSpec spec, float[] q, float[] k, int n, int d) {
        public Capture {
            if (n < 1 || d < 1 || q.length < n * d || k.length < n * d) {
                throw new IllegalArgumentException("capture: n >= 1, d >= 1 and q, k of n*d values required, got n="
                        + n + ", d=" + d + ", q " + q.length + ", k " + k.length);
            }
        }
    }

    /** A factor with its bootstrap interval. */
    public record Interval(double value, double lo, double hi) {
    }

    private Calibration() {
    }

    /** The spec of a capture with the constant factor f on top of its own rule. */
    static AttentionSpec scaled(AttentionSpec spec, double f) {
        IntToDoubleFunction own = spec.rule();
        IntToDoubleFunction r = own == null ? len -> f : len -> f * own.applyAsDouble(len);
        return spec.withRule(r, own == null ? NMode.SEQUENCE : spec.nMode());
    }

    /** Every row's entropy (nats) of every capture at factor f, concatenated in capture order. */
    public static double[] rowEntropies(List<Capture> captures, double f, AttentionKernel kernel) {
        int total = captures.stream().mapToInt(Capture::n).sum();
        double[] out = new double[total];
        int at = 0;
        for (Capture c : captures) {
            float[] v = new float[c.n()];
            AttentionOutput o = AttentionOutput.allocate(c.n(), 1, false);
            kernel.attend(f == 1.0 ? c.spec() : scaled(c.spec(), f), c.q(), c.k(), v, c.n(), c.d(), 1, o);
            float[] h = o.entropy();
            for (int i = 0; i < c.n(); i++) {
                out[at++] = h[i];
            }
        }
        return out;
    }

    /** Mean row entropy of the captures at factor f. */
    public static double meanEntropy(List<Capture> captures, double f, AttentionKernel kernel) {
        return mean(rowEntropies(captures, f, kernel));
    }

    /**
     * The oracle factor: f with {@code meanEntropy(captures, f) = target}.
     *
     * @throws IllegalArgumentException when no factor in [1e-6, 1e6] reaches the target (e.g. a target above
     *     the entropy at f -> 0, or below the entropy at f -> infinity)
     */
    public static double oracle(List<Capture> captures, double target, AttentionKernel kernel) {
        if (!Double.isFinite(target) || target < 0) {
            throw new IllegalArgumentException("target entropy must be finite and >= 0, got " + target);
        }
        java.util.function.DoubleUnaryOperator g = x -> meanEntropy(captures, Math.exp(x), kernel) - target;
        double lo = 0;
        double gLo = g.applyAsDouble(lo);
        if (gLo == 0) {
            return 1.0;
        }
        // g is non-increasing in x: step towards the sign change.
        double step = gLo > 0 ? 0.25 : -0.25;
        double hi = lo;
        double gHi = gLo;
        int k = 0;
        while (Math.signum(gHi) == Math.signum(gLo)) {
            lo = hi;
            gLo = gHi;
            hi = lo + step;
            step *= 1.6;
            if (++k > MAX_BRACKET_STEPS || Math.abs(hi) > Math.log(1e6)) {
                throw new IllegalArgumentException("no temperature factor in [1e-6, 1e6] gives the target mean entropy "
                        + target + " (entropy at factor 1: " + (g.applyAsDouble(0) + target) + ")");
            }
            gHi = g.applyAsDouble(hi);
            if (gHi == 0) {
                return Math.exp(hi);
            }
        }
        double a = Math.min(lo, hi);
        double b = Math.max(lo, hi);
        BrentSolver solver = new BrentSolver(LOG_FACTOR_ACCURACY);
        return Math.exp(solver.solve(200, g::applyAsDouble, a, b));
    }

    /**
     * The oracle factor with a percentile bootstrap interval over query rows: rows of the N-length captures
     * and of the n-length captures are resampled independently ({@code resamples} times, seeded); each
     * resample's factor is found on a grid of {@code gridPoints} factors geometrically spaced over
     * [f / spread, f * spread] around the full-sample factor f, by linear interpolation in ln f of the
     * resampled mean entropy (the grid's per-row entropies are computed once). A resample whose crossing
     * falls outside the grid counts at the grid's end (the interval then reaches it; widen {@code spread}).
     */
    public static Interval oracleWithInterval(List<Capture> atN, List<Capture> atn, AttentionKernel kernel,
            int resamples, long seed, int gridPoints, double spread) {
        if (resamples < 1 || gridPoints < 3 || !(spread > 1)) {
            throw new IllegalArgumentException("resamples >= 1, gridPoints >= 3, spread > 1 required");
        }
        double[] hN = rowEntropies(atN, 1.0, kernel);
        double f = oracle(atn, mean(hN), kernel);
        double[] logF = new double[gridPoints];
        double[][] h = new double[gridPoints][];
        for (int g = 0; g < gridPoints; g++) {
            logF[g] = Math.log(f) + Math.log(spread) * (2.0 * g / (gridPoints - 1) - 1);
            h[g] = rowEntropies(atn, Math.exp(logF[g]), kernel);
        }
        int rowsN = hN.length;
        int rows = h[0].length;
        SplittableRandom rng = new SplittableRandom(seed);
        double[] fb = new double[resamples];
        double[] curve = new double[gridPoints];
        int[] idx = new int[rows];
        for (int b = 0; b < resamples; b++) {
            double t = 0;
            for (int i = 0; i < rowsN; i++) {
                t += hN[rng.nextInt(rowsN)];
            }
            t /= rowsN;
            for (int i = 0; i < rows; i++) {
                idx[i] = rng.nextInt(rows);
            }
            for (int g = 0; g < gridPoints; g++) {
                double s = 0;
                for (int i : idx) {
                    s += h[g][i];
                }
                curve[g] = s / rows;
            }
            fb[b] = Math.exp(crossing(logF, curve, t));
        }
        Arrays.sort(fb);
        return new Interval(f, org.isentropic.experiments.stats.Bootstrap.quantileSorted(fb, 0.025), org.isentropic.experiments.stats.Bootstrap.quantileSorted(fb, 0.975));
    }

    /** x where a non-increasing piecewise-linear curve y(x) crosses t; the ends when it does not. */
    static double crossing(double[] x, double[] y, double t) {
        if (t >= y[0]) {
            return x[0];
        }
        for (int g = 1; g < x.length; g++) {
            if (y[g] <= t) {
                double w = (y[g - 1] - t) / (y[g - 1] - y[g]);
                return x[g - 1] + w * (x[g] - x[g - 1]);
            }
        }
        return x[x.length - 1];
    }

    /**
     * The derived factors lambda_n / lambda_N at {@code lengths} (theory's exact solver on sphere keys of
     * dimension d, base entropy = the measured mean entropy at N), with their Monte-Carlo standard errors.
     *
     * @param samples Monte-Carlo rows per length ({@code isentropic derive}'s default is 2000)
     */
    public static DerivedFactors derived(int d, int trainLength, double entropyAtN, int[] lengths, int samples,
            long seed) {
        return InvarianceSolver.solve(Condition.EXACT, LogitModels.sphere(d, 1.0), trainLength, lengths,
                Base.entropy(entropyAtN), samples, seed, i -> { });
    }

    /**
     * Captures of a q, k capture of L rows cut into consecutive non-overlapping windows of m rows (positions
     * restart at 0 in each window): {@code floor(L / m)} windows.
     */
    public static List<Capture> windows(AttentionSpec spec, float[] q, float[] k, int rows, int d, int m) {
        if (m < 1 || m > rows) {
            throw new IllegalArgumentException("window length must be in [1, " + rows + "], got " + m);
        }
        List<Capture> out = new ArrayList<>();
        for (int w = 0; (w + 1) * m <= rows; w++) {
            out.add(new Capture(spec, Arrays.copyOfRange(q, w * m * d, (w + 1) * m * d),
                    Arrays.copyOfRange(k, w * m * d, (w + 1) * m * d), m, d));
        }
        return out;
    }

    static double mean(double[] x) {
        double s = 0;
        for (double v : x) {
            s += v;
        }
        return s / x.length;
    }
}
