package org.isentropic.theory.solvers;

import java.util.function.DoubleUnaryOperator;
import org.apache.commons.math3.analysis.solvers.BrentSolver;

/** Bracketing plus Brent's method (commons-math3) for the monotone equations of the solvers. */
final class Roots {

    private static final int MAX_EVALUATIONS = 500;
    private static final int MAX_DOUBLINGS = 80;

    private Roots() {
    }

    /**
     * The lambda >= 0 with {@code f(lambda) = target} for f non-increasing, {@code f(0) >= target}
     * (f(0) given so that it need not be evaluated).
     */
    static double decreasing(DoubleUnaryOperator f, double f0, double target, double guess, String what) {
        if (!Double.isFinite(target)) {
            throw new IllegalArgumentException(what + ": target must be finite, got " + target);
        }
        if (!(f0 >= target)) {
            throw new IllegalArgumentException(what + ": target " + target + " is beyond the value at lambda = 0 ("
                    + f0 + "); no temperature reaches it");
        }
        if (f0 == target) {
            return 0.0;
        }
        double lo = 0;
        double fLo = f0;
        double hi = guess > 0 ? guess : 1.0;
        int k = 0;
        double fHi;
        while ((fHi = f.applyAsDouble(hi)) >= target) {
            if (!(fHi <= fLo) && k > 0) {
                // The curve turned back before reaching the target (e.g. the focus mass peaks below it).
                throw new IllegalArgumentException(what + ": the curve turns at lambda ~ " + lo + " before reaching the"
                        + " target " + target + "; no temperature reaches it");
            }
            lo = hi;
            fLo = fHi;
            hi *= 2;
            if (++k > MAX_DOUBLINGS) {
                throw new IllegalArgumentException(what + ": no temperature up to " + hi + " reaches the target " + target);
            }
        }
        if (Double.isNaN(fHi)) {
            throw new IllegalArgumentException(what + ": the curve is undefined at lambda = " + hi + " before reaching"
                    + " the target " + target);
        }
        return brent(x -> f.applyAsDouble(x) - target, lo, hi);
    }

    /** The first lambda >= 0 with {@code f(lambda) = target} for f rising from {@code f(0) < target}. */
    static double increasing(DoubleUnaryOperator f, double f0, double target, double guess, String what) {
        return decreasing(x -> -f.applyAsDouble(x), -f0, -target, guess, what);
    }

    static double brent(DoubleUnaryOperator g, double lo, double hi) {
        BrentSolver solver = new BrentSolver(1e-15, 1e-15 * Math.max(1.0, Math.abs(hi)), 0.0);
        return solver.solve(MAX_EVALUATIONS, g::applyAsDouble, lo, hi);
    }
}
