package org.isentropic.theory.rules;

import java.util.Arrays;
import java.util.Locale;

/** The implementations behind the factories of {@link TemperatureRule}. */
final class Rules {

    private Rules() {
    }

    static int checkN(int n) {
        return Checks.atLeast("n", n, 1);
    }

    static String fmt(double v) {
        return String.format(Locale.ROOT, "%.6g", v);
    }

    /**
     * A closed-form rule: its id, its formula as text (which names every parameter, so two rules with the
     * same id and formula are the same rule), whether it is evaluated per query position, and the factor
     * itself; {@link #factor} checks n once for every rule.
     */
    static final class ClosedForm implements TemperatureRule {
        private final String id;
        private final String formula;
        private final boolean perPosition;
        private final java.util.function.IntToDoubleFunction value;

        ClosedForm(String id, String formula, boolean perPosition, java.util.function.IntToDoubleFunction value) {
            this.id = id;
            this.formula = formula;
            this.perPosition = perPosition;
            this.value = value;
        }

        @Override
        public String id() {
            return id;
        }

        @Override
        public double factor(int n) {
            checkN(n);
            return value.applyAsDouble(n);
        }

        @Override
        public boolean perPosition() {
            return perPosition;
        }

        @Override
        public String formula() {
            return formula;
        }

        @Override
        public boolean equals(Object o) {
            return o instanceof ClosedForm c && c.id.equals(id) && c.formula.equals(formula)
                    && c.perPosition == perPosition;
        }

        @Override
        public int hashCode() {
            return id.hashCode() * 31 + formula.hashCode();
        }

        @Override
        public String toString() {
            return id + ": " + formula;
        }
    }

    static final TemperatureRule STANDARD = new ClosedForm("standard", "1", false, n -> 1.0);

    static final TemperatureRule SOFTMAX_PLUS = new ClosedForm("softmax_plus", "ln max(n, 16) / ln 512", false,
            n -> Math.log(Math.max(n, 16)) / Math.log(512));

    /** The characteristic cosine c_n = sqrt(1 - n^(-2/d)) of the spherical cap holding one of n keys. */
    static double capCosine(int n, int d) {
        return Math.sqrt(-Math.expm1(-2.0 * Math.log(n) / d));
    }

    /** sqrt((1 - n^(-2/d)) / (1 - N^(-2/d))), with 1 - x^(-2/d) computed as -expm1(-2 ln x / d). */
    static TemperatureRule infoScale(int trainLength, int headDim, boolean clampAtOne) {
        Checks.atLeast("trainLength", trainLength, 2);
        Checks.atLeast("headDim", headDim, 1);
        String f = "sqrt((1 - n^(-2/" + headDim + ")) / (1 - " + trainLength + "^(-2/" + headDim + ")))";
        double atN = capCosine(trainLength, headDim);
        return new ClosedForm("infoscale", clampAtOne ? "max(1, " + f + ")" : f, false, n -> {
            double factor = capCosine(n, headDim) / atN;
            return clampAtOne ? Math.max(1.0, factor) : factor;
        });
    }

    static TemperatureRule logN(int trainLength) {
        Checks.atLeast("trainLength", trainLength, 2);
        return new ClosedForm("logn", "ln n / ln " + trainLength, false,
                n -> Math.log(n) / Math.log(trainLength));
    }

    static TemperatureRule qwenLogN(int trainLength) {
        Checks.atLeast("trainLength", trainLength, 2);
        return new ClosedForm("qwen_logn", "max(1, ln i / ln " + trainLength + "), i = 1-based query position", true,
                n -> Math.max(1.0, Math.log(n) / Math.log(trainLength)));
    }

    static TemperatureRule yarn(int trainLength) {
        Checks.atLeast("trainLength", trainLength, 1);
        return new ClosedForm("yarn", "(0.1 ln(n/" + trainLength + ") + 1)^2 for n > " + trainLength + ", else 1",
                false, n -> {
                    if (n <= trainLength) {
                        return 1.0;
                    }
                    double m = 0.1 * Math.log((double) n / trainLength) + 1.0;
                    return m * m;
                });
    }

    static TemperatureRule longRope(int trainLength) {
        Checks.atLeast("trainLength", trainLength, 2);
        return new ClosedForm("longrope", "1 + ln(n/" + trainLength + ") / ln " + trainLength + " for n > "
                + trainLength + ", else 1", false,
                n -> n <= trainLength ? 1.0 : 1.0 + Math.log((double) n / trainLength) / Math.log(trainLength));
    }

    static TemperatureRule ssmax(double s) {
        Checks.positive("s", s);
        return new ClosedForm("ssmax", fmt(s) + " ln n", false, n -> s * Math.log(n));
    }

    static TemperatureRule llama4(double a, int f) {
        Checks.finite("a", a);
        if (a < 0) {
            throw new IllegalArgumentException("a must be >= 0, got " + a);
        }
        Checks.atLeast("f", f, 1);
        return new ClosedForm("llama4", "1 + " + fmt(a) + " ln(floor(n/" + f + ") + 1), n = 0-based position + 1",
                true, n -> 1.0 + a * Math.log(Math.floor((double) n / f) + 1.0));
    }

    static final class Derived implements TemperatureRule {
        private final int[] lengths;
        private final double[] factors;

        Derived(int[] lengths, double[] factors) {
            if (lengths.length == 0) {
                throw new IllegalArgumentException("lengths must not be empty");
            }
            if (factors.length != lengths.length) {
                throw new IllegalArgumentException("factors has " + factors.length + " values, lengths has "
                        + lengths.length);
            }
            for (int i = 0; i < lengths.length; i++) {
                Checks.atLeast("lengths[" + i + "]", lengths[i], 1);
                if (i > 0 && lengths[i] <= lengths[i - 1]) {
                    throw new IllegalArgumentException("lengths must be strictly increasing, got "
                            + Arrays.toString(lengths));
                }
                if (!Double.isFinite(factors[i]) || factors[i] < 0) {
                    throw new IllegalArgumentException("factors[" + i + "] must be finite and >= 0, got "
                            + factors[i]);
                }
            }
            this.lengths = lengths.clone();
            this.factors = factors.clone();
        }

        @Override
        public String id() {
            return "derived";
        }

        @Override
        public double factor(int n) {
            checkN(n);
            int last = lengths.length - 1;
            if (n < lengths[0] || n > lengths[last]) {
                throw new IllegalArgumentException("n = " + n + " is outside the derived table's range ["
                        + lengths[0] + ", " + lengths[last] + "]");
            }
            int i = Arrays.binarySearch(lengths, n);
            if (i >= 0) {
                return factors[i];
            }
            int hi = -i - 1;
            int lo = hi - 1;
            double t = (Math.log(n) - Math.log(lengths[lo])) / (Math.log(lengths[hi]) - Math.log(lengths[lo]));
            return factors[lo] + t * (factors[hi] - factors[lo]);
        }

        /** The table's lengths (a copy). */
        int[] lengths() {
            return lengths.clone();
        }

        @Override
        public String formula() {
            return "table over n = " + Arrays.toString(lengths) + ", linear in ln n";
        }

        @Override
        public String toString() {
            return "derived" + Arrays.toString(lengths) + "->" + Arrays.toString(factors);
        }
    }
}
