package org.isentropic.kernels.isentropic;

import java.util.Arrays;
import org.isentropic.kernels.spec.AttentionKernel;
import org.isentropic.kernels.spec.AttentionOutput;
import org.isentropic.kernels.spec.AttentionSpec;
import org.isentropic.kernels.spec.Checks;
import org.isentropic.kernels.spec.IsentropicTarget;
import org.isentropic.kernels.spec.Mask;
import org.isentropic.kernels.spec.TemperatureSolving;

/**
 * Exactly isentropic attention on top of any kernel ({@code AttentionKernels.isentropic}).
 * For a spec with an {@link IsentropicTarget}, each row's temperature lambda_i is solved so that the row's entropy
 * equals its target, then one ordinary call computes O, entropy and logsumexp at those temperatures:
 *
 * <ol>
 *   <li>target pass (WINDOW, CAUSAL_WINDOW): the inner kernel at factor 1 under the reference set's band
 *       mask, whose tiles outside the band are skipped, so it costs O(n N d);</li>
 *   <li>solver: when the inner kernel caches each row's logits ({@link TemperatureSolving}: the fused and the
 *       reference kernels), one pass over the keys in which each row evaluates its entropy curve at as many
 *       temperatures as it needs (one exp per visible key each, no dot products); with any other kernel, solver
 *       passes: the inner kernel at the current lambda_i with a single zero value column, so a pass
 *       costs the logits and the online statistics (running max m, l = sum e^(z - m), u = sum e^(z - m) z,
 *       hence H = m + ln l - u / l) but almost none of the P V product. Each row runs a safeguarded
 *       bracketing iteration on x = ln lambda: H falls monotonically in lambda (dH/dlambda = -lambda
 *       Var_p(z)), so once a row has points on both sides of its target it keeps that bracket and steps by
 *       Newton's step when the curve gives Var_p(z) and the step lands inside the bracket ({@link Rows}:
 *       taken in ln(H / (ln m_i - H))), else by the secant through its last two points when that lands inside
 *       it, else by regula falsi with the Illinois modification (else bisection); before that it steps by
 *       Newton's step or the secant through its last two points (at most 3 in x); the first
 *       step solves the row as if its logits were Gaussian over its m_i visible keys (H = ln m_i - lambda^2
 *       sigma^2 / 2, so ln(ln m_i - H) is linear in x with slope 2). With the cached logits a windowed row
 *       starts where that model puts the root given its reference set ({@link Rows#startFromReference}), and
 *       rows solve to half the tolerance, which leaves room for the final pass's own rounding;</li>
 *   <li>final pass: the inner kernel with v at the solved temperatures.</li>
 * </ol>
 *
 * A row stops when |H_i - target_i| &lt;= tolerance; when its target lies outside
 * [H_i(lambdaMax), H_i(lambdaMin)] it is clamped at the nearer bound (a row with one visible key, whose entropy
 * is 0 whatever lambda, is clamped at lambda = 1); after {@code maxIterations} evaluations it
 * keeps its best point and counts as unconverged, as does a row that the final pass finds outside the
 * tolerance. The per-row results are in
 * {@link AttentionOutput#isentropic()}. Rows are independent, so the result does not depend on the inner
 * kernel's thread count when the inner kernel's own results do not.
 *
 * <p>Internal: public only for the factory ({@code AttentionKernels.isentropic}) and for
 * the decode step's use of {@link Rows}; callers build it through the factory. Not part of the library's API.
 */
public final class IsentropicKernel implements AttentionKernel {

    private final AttentionKernel inner;

    /**
     * Isentropic attention on top of {@code inner}. Internal: public only for the factory
     * ({@code AttentionKernels.isentropic}), through which callers build one.
     */
    public IsentropicKernel(AttentionKernel inner) {
        if (inner == null || inner instanceof IsentropicKernel) {
            throw new IllegalArgumentException("inner kernel must be a plain kernel");
        }
        this.inner = inner;
    }

    @Override
    public String name() {
        return "isentropic-" + inner.name();
    }

    @Override
    public void attend(AttentionSpec spec, float[] q, float[] k, float[] v, int n, int d, int dv, AttentionOutput out) {
        IsentropicTarget target = spec == null ? null : spec.isentropic();
        if (target == null) {
            inner.attend(spec, q, k, v, n, d, dv, out);
            return;
        }
        Checks.call(spec.solvedWith(null), q, k, v, n, d, dv, out);
        AttentionOutput probe = AttentionOutput.allocate(n, 1, false);
        float[] zeros = new float[n]; // v of the probe passes: n x 1
        float[] goal = targets(spec, target, q, k, n, d, zeros, probe);
        if (inner instanceof TemperatureSolving solving) {
            attendFromCachedLogits(solving, spec, target, goal, q, k, v, n, d, dv, out);
            return;
        }
        Rows rows = new Rows(spec, target, goal, n);
        float[] lambda = new float[n];
        Arrays.fill(lambda, 1f);
        int pass = 0;
        while (pass < target.maxIterations() && rows.active() > 0) {
            inner.attend(spec.solvedWith(lambda), q, k, zeros, n, d, 1, probe);
            pass++;
            rows.observe(probe.entropy(), lambda, pass);
        }
        rows.finish(lambda);
        inner.attend(spec.solvedWith(lambda), q, k, v, n, d, dv, out);
        out.recordIsentropic(goal, lambda, rows.iterations, rows.clamped(), rows.unconverged(), pass);
    }

    /**
     * The solver passes of an inner kernel that caches each row's logits ({@link TemperatureSolving}): one pass
     * over the keys, in which each row runs its iteration on its cached logits, Newton steps with the variance
     * the curve gives, from the start {@link Rows#startFromReference}; then the final pass. The rows solve to
     * half the tolerance, so that the final pass, whose logits are rounded once more (lambda folded into the
     * queries instead of multiplying the cached logits), stays within it; a row that still misses it there
     * counts as unconverged. The iterations reported are the rows' evaluations of their entropy.
     */
    private void attendFromCachedLogits(TemperatureSolving solving, AttentionSpec spec, IsentropicTarget target,
            float[] goal, float[] q, float[] k, float[] v, int n, int d, int dv, AttentionOutput out) {
        Rows rows = new Rows(target, goal, Rows.visibleCounts(spec.mask(), n), 0.5 * target.tolerance());
        float[] lambda = rows.startFromReference(target, n);
        int maxIterations = target.maxIterations();
        solving.solveTemperatures(spec.solvedWith(null), q, k, n, d,
                (row, curve) -> rows.solve(row, curve, lambda, maxIterations));
        rows.finish(lambda);
        inner.attend(spec.solvedWith(lambda), q, k, v, n, d, dv, out);
        int passes = 0;
        for (int it : rows.iterations) {
            passes = Math.max(passes, it);
        }
        // Rows whose final entropy misses the tolerance (the cached logits are rounded differently from the final
        // pass's; with sharp logits, e.g. CosScale at s = 128, the difference can exceed half the tolerance) go on
        // with the pass-by-pass iteration on the final pass's own entropies, from a fresh bracket.
        for (int extra = 0; extra < maxIterations && rows.reopenMisses(out.entropy(), target.tolerance()) > 0;
                extra++) {
            rows.observe(out.entropy(), lambda, ++passes);
            inner.attend(spec.solvedWith(lambda), q, k, v, n, d, dv, out);
        }
        rows.settle();
        rows.verify(out.entropy(), target.tolerance());
        out.recordIsentropic(goal, lambda, rows.iterations, rows.clamped(), rows.unconverged(), passes);
    }

    private float[] targets(AttentionSpec spec, IsentropicTarget t, float[] q, float[] k, int n, int d, float[] zeros,
            AttentionOutput probe) {
        float[] goal = new float[n];
        if (t.reference() == IsentropicTarget.Reference.VALUE) {
            Arrays.fill(goal, (float) t.value());
            return goal;
        }
        inner.attend(spec.referenceWith(t.referenceMask()), q, k, zeros, n, d, 1, probe);
        System.arraycopy(probe.entropy(), 0, goal, 0, n);
        return goal;
    }

    /**
     * Per-row solver state, in x = ln lambda; g = H - target falls with x. Rows are independent: the cached-logit
     * solve runs them concurrently, each row's state touched by one thread only. Internal: public only so that
     * the decode step (the decode package) solves its row by the same iteration.
     */
    public static final class Rows {
        private static final double MAX_STEP = 3;
        private static final byte ACTIVE = 0;
        private static final byte CONVERGED = 1;
        private static final byte CLAMPED = 2;
        private static final byte UNCONVERGED = 3;
        private final double[] target;
        private final double tol;
        private final double xMin;
        private final double xMax;
        private final double[] logVisible;
        /** ln(L - target) per row, or negative infinity when the target is at or above L = ln m_i. */
        private final double[] logTarget;
        private static final double MIN_GAP = 1e-12;
        /** Bracket: xLo has g &gt; 0 (entropy too high), xHi has g &lt; 0; NaN g when not yet seen. */
        private final double[] xLo;
        private final double[] gLo;
        private final double[] xHi;
        private final double[] gHi;
        /** The last point evaluated and the side (+1 lo, -1 hi) replaced by the last bracketed step. */
        private final double[] xLast;
        private final double[] gLast;
        private final byte[] lastSide;
        /** Best point so far (smallest |g|). */
        private final double[] xBest;
        private final double[] gBest;
        private final byte[] status;
        final int[] iterations;

        Rows(AttentionSpec spec, IsentropicTarget t, float[] goal, int n) {
            this(t, goal, visibleCounts(spec.mask(), n));
        }

        static int[] visibleCounts(Mask mask, int n) {
            int[] v = new int[n];
            for (int i = 0; i < n; i++) {
                v[i] = mask.visibleCount(i, n);
            }
            return v;
        }

        /** Rows with the given targets and visible key counts (the decode step solves one row). */
        public Rows(IsentropicTarget t, float[] goal, int[] visible) {
            this(t, goal, visible, t.tolerance());
        }

        /** As {@link #Rows(IsentropicTarget, float[], int[])}, stopping at {@code tolerance} instead of t's. */
        Rows(IsentropicTarget t, float[] goal, int[] visible, double tolerance) {
            int n = goal.length;
            target = new double[n];
            logVisible = new double[n];
            logTarget = new double[n];
            for (int i = 0; i < n; i++) {
                target[i] = goal[i];
                logVisible[i] = Math.log(Math.max(1, visible[i]));
                double gap = logVisible[i] - target[i];
                logTarget[i] = gap > MIN_GAP ? Math.log(gap) : Double.NEGATIVE_INFINITY;
            }
            tol = tolerance;
            xMin = Math.log(t.lambdaMin());
            xMax = Math.log(t.lambdaMax());
            xLo = filled(n, Double.NaN);
            gLo = filled(n, Double.NaN);
            xHi = filled(n, Double.NaN);
            gHi = filled(n, Double.NaN);
            xLast = filled(n, Double.NaN);
            gLast = filled(n, Double.NaN);
            lastSide = new byte[n];
            xBest = filled(n, 0);
            gBest = filled(n, Double.POSITIVE_INFINITY);
            status = new byte[n];
            iterations = new int[n];
        }

        /** Rows still being solved. */
        public int active() {
            return count(ACTIVE);
        }

        /** Per row, the solver passes it took. */
        public int[] iterations() {
            return iterations;
        }

        /** Rows whose target lies out of reach, left at the nearer bound. */
        public int clamped() {
            return count(CLAMPED);
        }

        /** Rows still outside the tolerance after the last pass (counted by {@link #finish}). */
        public int unconverged() {
            return count(UNCONVERGED);
        }

        private int count(byte s) {
            int c = 0;
            for (byte b : status) {
                if (b == s) {
                    c++;
                }
            }
            return c;
        }

        private static double[] filled(int n, double x) {
            double[] a = new double[n];
            Arrays.fill(a, x);
            return a;
        }

        /**
         * Starting temperatures from the targets' reference sets (WINDOW, CAUSAL_WINDOW; 1 for VALUE): if a row's
         * logits were Gaussian with the same sigma over its N_i reference keys and its m_i visible keys, then
         * ln N_i - target = sigma^2 / 2 (the target is the reference's entropy at factor 1) and ln m_i - H =
         * lambda^2 sigma^2 / 2 (the first step's model, {@link #gaussianStep}), so the root is lambda^2 =
         * (ln m_i - target) / (ln N_i - target); exactly 1 when the reference set is the visible set. Clipped
         * to the bounds; 1 where a gap is not positive.
         */
        float[] startFromReference(IsentropicTarget t, int n) {
            float[] lambda = new float[n];
            Arrays.fill(lambda, 1f);
            if (t.reference() == IsentropicTarget.Reference.VALUE) {
                return lambda;
            }
            Mask reference = t.referenceMask();
            for (int i = 0; i < n; i++) {
                double visibleGap = logVisible[i] - target[i];
                double referenceGap = Math.log(Math.max(1, reference.visibleCount(i, n))) - target[i];
                if (visibleGap > MIN_GAP && referenceGap > MIN_GAP) {
                    double x = 0.5 * Math.log(visibleGap / referenceGap);
                    lambda[i] = (float) Math.exp(Math.max(xMin, Math.min(xMax, x)));
                }
            }
            return lambda;
        }

        /** Takes the entropies at the current lambda of every active row and moves it to its next point. */
        public void observe(float[] entropy, float[] lambda, int pass) {
            for (int i = 0; i < target.length; i++) {
                if (status[i] == ACTIVE) {
                    step(i, entropy[i], Double.NaN, lambda, pass);
                }
            }
        }

        /**
         * Solves row i from its curve (the cached-logit solve): evaluates it at lambda[i] and steps, at most
         * {@code maxIterations} times or until the row stops; lambda[i] is the row's last point.
         */
        void solve(int i, TemperatureSolving.EntropyCurve curve, float[] lambda, int maxIterations) {
            for (int pass = 1; pass <= maxIterations && status[i] == ACTIVE; pass++) {
                double h = curve.entropy(lambda[i]);
                step(i, h, curve.variance(), lambda, pass);
            }
        }

        /**
         * Row i's entropy at lambda[i] (and the variance of its logits there, NaN when not known): stops the row
         * or moves lambda[i] to its next point.
         */
        private void step(int i, double entropy, double variance, float[] lambda, int pass) {
            iterations[i] = pass;
            double x = Math.log(lambda[i]);
            double miss = entropy - target[i];
            if (Math.abs(miss) < Math.abs(gBest[i])) {
                xBest[i] = x;
                gBest[i] = miss;
            }
            if (Math.abs(miss) <= tol) {
                status[i] = CONVERGED;
                return;
            }
            double g = miss;
            if (logVisible[i] == 0) { // one visible key: H = 0 whatever lambda
                lambda[i] = 1f;
                status[i] = CLAMPED;
                return;
            }
            double next = next(i, x, g, entropy, variance);
            if (Double.isNaN(next)) {
                status[i] = CLAMPED;
                return;
            }
            xLast[i] = x;
            gLast[i] = g;
            lambda[i] = (float) Math.exp(next);
            if (Math.log(lambda[i]) == x) { // float resolution reached: the best point is final
                status[i] = CONVERGED;
            }
        }

        /**
         * The step in x that reaches the target if the row's logits were Gaussian: then H = L - lambda^2 sigma^2
         * / 2 with L = ln m_i (m_i visible keys), so ln(L - H) = 2 x + const and the root is
         * x + (ln(L - target) - ln(L - H)) / 2.
         */
        private double gaussianStep(int i, double h) {
            return 0.5 * (logTarget[i] - Math.log(Math.max(logVisible[i] - h, MIN_GAP)));
        }

        /**
         * Newton's step from entropy h with dH/dx = -variance, taken on y = ln(H / (L - H)) (L = ln m_i), in
         * which H(x) is much closer to a straight line than H itself between its two ends (y falls from +inf at
         * x = -inf to -inf at x = +inf, with slope -2 where the logits look Gaussian): dy/dx = -variance L /
         * (H (L - H)). Plain Newton on H when h or the target is not inside (0, L); NaN without a variance.
         */
        private double newtonStep(int i, double h, double variance) {
            if (!(variance > 0) || Double.isInfinite(variance)) {
                return Double.NaN;
            }
            double l = logVisible[i];
            double t = target[i];
            if (h > 0 && h < l && t > 0 && t < l) {
                double slope = -variance * l / (h * (l - h));
                return -(Math.log(h / (l - h)) - Math.log(t / (l - t))) / slope;
            }
            return (h - t) / variance;
        }

        /** The next x of row i after g at x (entropy h, variance or NaN), or NaN when the target is out of reach. */
        private double next(int i, double x, double g, double h, double variance) {
            byte side = g > 0 ? (byte) 1 : (byte) -1;
            if (side > 0) {
                xLo[i] = x;
                gLo[i] = g;
            } else {
                xHi[i] = x;
                gHi[i] = g;
            }
            double newton = x + newtonStep(i, h, variance);
            if (!Double.isNaN(gLo[i]) && !Double.isNaN(gHi[i])) {
                if (side == lastSide[i]) { // Illinois: the same end moved twice, halve the other end's g
                    if (side > 0) {
                        gHi[i] *= 0.5;
                    } else {
                        gLo[i] *= 0.5;
                    }
                }
                lastSide[i] = side;
                // Newton's step when it stays inside the bracket, else the secant through the last two points,
                // else Illinois' regula falsi on the bracket, else bisection
                double xn = newton;
                if (!(xn > xLo[i] && xn < xHi[i]) && !Double.isNaN(gLast[i]) && g != gLast[i]) {
                    xn = x - g * (x - xLast[i]) / (g - gLast[i]);
                }
                if (!(xn > xLo[i] && xn < xHi[i])) {
                    xn = xLo[i] - gLo[i] * (xHi[i] - xLo[i]) / (gHi[i] - gLo[i]);
                }
                if (!(xn > xLo[i] && xn < xHi[i])) {
                    xn = 0.5 * (xLo[i] + xHi[i]);
                }
                return xn;
            }
            // one side only: step towards the target (g > 0: larger x), by Newton, the secant or the Gaussian slope
            double slope = Double.NaN;
            if (!Double.isNaN(gLast[i]) && x != xLast[i]) {
                slope = (g - gLast[i]) / (x - xLast[i]);
            }
            double step;
            if (!Double.isNaN(newton) && (newton - x) * g > 0) {
                step = newton - x;
            } else if (slope < 0) {
                step = -g / slope;
            } else { // first step, or a flat secant (a saturated row): the Gaussian model, at least doubling
                step = logTarget[i] > Double.NEGATIVE_INFINITY ? gaussianStep(i, g + target[i])
                        : g / (2 * Math.max(logVisible[i] - (g + target[i]), 0.05));
                if (!Double.isNaN(gLast[i])) {
                    step = Math.copySign(Math.max(Math.abs(step), 2 * Math.abs(x - xLast[i])), step);
                }
            }
            step = Math.max(-MAX_STEP, Math.min(MAX_STEP, step));
            double xn = x + step;
            double bound = side > 0 ? xMax : xMin;
            if (side > 0 ? xn >= bound : xn <= bound) {
                if (x == bound) {
                    return Double.NaN; // evaluated at the bound and still on the same side
                }
                xn = bound;
            }
            return xn;
        }

        /** Rows still active after the last pass keep their best point (clamped rows stay at their bound). */
        public void finish(float[] lambda) {
            for (int i = 0; i < target.length; i++) {
                if (status[i] == ACTIVE) {
                    status[i] = UNCONVERGED;
                    lambda[i] = (float) Math.exp(xBest[i]);
                }
            }
        }

        /**
         * After a final pass: every row not clamped whose entropy there misses its target by more than
         * {@code tolerance} becomes active again with its bracket and history cleared (they came from the cached
         * logits, whose rounding differs from the pass's), so that {@link #observe} steps it on the pass's
         * entropies. Returns the rows reopened.
         */
        int reopenMisses(float[] entropy, double tolerance) {
            int reopened = 0;
            for (int i = 0; i < target.length; i++) {
                if (status[i] != CLAMPED && Math.abs(entropy[i] - target[i]) > tolerance) {
                    status[i] = ACTIVE;
                    xLo[i] = Double.NaN;
                    gLo[i] = Double.NaN;
                    xHi[i] = Double.NaN;
                    gHi[i] = Double.NaN;
                    xLast[i] = Double.NaN;
                    gLast[i] = Double.NaN;
                    lastSide[i] = 0;
                    gBest[i] = Double.POSITIVE_INFINITY;
                    reopened++;
                }
            }
            return reopened;
        }

        /** Rows still active count as unconverged, their temperatures left as they are (the last pass's). */
        void settle() {
            for (int i = 0; i < target.length; i++) {
                if (status[i] == ACTIVE) {
                    status[i] = UNCONVERGED;
                }
            }
        }

        /**
         * After the final pass, whose entropies are the ones reported: a row counted converged that misses its
         * target by more than {@code tolerance} counts as unconverged, and a row clamped at a bound that is within
         * it counts as converged (the cached logits put the target just out of reach; the pass's rounding does not).
         */
        void verify(float[] entropy, double tolerance) {
            for (int i = 0; i < target.length; i++) {
                boolean within = Math.abs(entropy[i] - target[i]) <= tolerance;
                if (status[i] == CONVERGED && !within) {
                    status[i] = UNCONVERGED;
                } else if (status[i] == CLAMPED && within) {
                    status[i] = CONVERGED;
                }
            }
        }
    }
}
