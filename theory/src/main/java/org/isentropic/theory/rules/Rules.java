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

    static final TemperatureRule STANDARD = new TemperatureRule() {
        @Override
        public String id() {
            return "standard";
        }

        @Override
        public double factor(int n) {
            checkN(n);
            return 1.0;
        }

        @Override
        public String formula() {
            return "1";
        }

        @Override
        public String toString() {
            return "standard";
        }
    };

    static final TemperatureRule SOFTMAX_PLUS = new TemperatureRule() {
        @Override
        public String id() {
            return "softmax_plus";
        }

        @Override
        public double factor(int n) {
            checkN(n);
            return Math.log(Math.max(n, 16)) / Math.log(512);
        }

        @Override
        public String formula() {
            return "ln max(n, 16) / ln 512";
        }

        @Override
        public String toString() {
            return "softmax_plus";
        }
    };

    /** sqrt((1 - n^(-2/d)) / (1 - N^(-2/d))), with 1 - x^(-2/d) computed as -expm1(-2 ln x / d). */
    record InfoScale(int trainLength, int headDim, boolean clampAtOne) implements TemperatureRule {
        InfoScale {
            Checks.atLeast("trainLength", trainLength, 2);
            Checks.atLeast("headDim", headDim, 1);
        }

        @Override
        public String id() {
            return "infoscale";
        }

        /** The characteristic cosine c_n = sqrt(1 - n^(-2/d)) of the spherical cap holding one of n keys. */
        static double capCosine(int n, int d) {
            return Math.sqrt(-Math.expm1(-2.0 * Math.log(n) / d));
        }

        @Override
        public double factor(int n) {
            checkN(n);
            double f = capCosine(n, headDim) / capCosine(trainLength, headDim);
            return clampAtOne ? Math.max(1.0, f) : f;
        }

        @Override
        public String formula() {
            String f = "sqrt((1 - n^(-2/" + headDim + ")) / (1 - " + trainLength + "^(-2/" + headDim + ")))";
            return clampAtOne ? "max(1, " + f + ")" : f;
        }
    }

    record LogN(int trainLength) implements TemperatureRule {
        LogN {
            Checks.atLeast("trainLength", trainLength, 2);
        }

        @Override
        public String id() {
            return "logn";
        }

        @Override
        public double factor(int n) {
            checkN(n);
            return Math.log(n) / Math.log(trainLength);
        }

        @Override
        public String formula() {
            return "ln n / ln " + trainLength;
        }
    }

    record QwenLogN(int trainLength) implements TemperatureRule {
        QwenLogN {
            Checks.atLeast("trainLength", trainLength, 2);
        }

        @Override
        public String id() {
            return "qwen_logn";
        }

        @Override
        public double factor(int n) {
            checkN(n);
            return Math.max(1.0, Math.log(n) / Math.log(trainLength));
        }

        @Override
        public boolean perPosition() {
            return true;
        }

        @Override
        public String formula() {
            return "max(1, ln i / ln " + trainLength + "), i = 1-based query position";
        }
    }

    record Yarn(int trainLength) implements TemperatureRule {
        Yarn {
            Checks.atLeast("trainLength", trainLength, 1);
        }

        @Override
        public String id() {
            return "yarn";
        }

        @Override
        public double factor(int n) {
            checkN(n);
            if (n <= trainLength) {
                return 1.0;
            }
            double m = 0.1 * Math.log((double) n / trainLength) + 1.0;
            return m * m;
        }

        @Override
        public String formula() {
            return "(0.1 ln(n/" + trainLength + ") + 1)^2 for n > " + trainLength + ", else 1";
        }
    }

    record LongRope(int trainLength) implements TemperatureRule {
        LongRope {
            Checks.atLeast("trainLength", trainLength, 2);
        }

        @Override
        public String id() {
            return "longrope";
        }

        @Override
        public double factor(int n) {
            checkN(n);
            if (n <= trainLength) {
                return 1.0;
            }
            return 1.0 + Math.log((double) n / trainLength) / Math.log(trainLength);
        }

        @Override
        public String formula() {
            return "1 + ln(n/" + trainLength + ") / ln " + trainLength + " for n > " + trainLength + ", else 1";
        }
    }

    record Ssmax(double s) implements TemperatureRule {
        Ssmax {
            Checks.positive("s", s);
        }

        @Override
        public String id() {
            return "ssmax";
        }

        @Override
        public double factor(int n) {
            checkN(n);
            return s * Math.log(n);
        }

        @Override
        public String formula() {
            return fmt(s) + " ln n";
        }
    }

    record Llama4(double a, int f) implements TemperatureRule {
        Llama4 {
            Checks.finite("a", a);
            if (a < 0) {
                throw new IllegalArgumentException("a must be >= 0, got " + a);
            }
            Checks.atLeast("f", f, 1);
        }

        @Override
        public String id() {
            return "llama4";
        }

        @Override
        public double factor(int n) {
            checkN(n);
            return 1.0 + a * Math.log(Math.floor((double) n / f) + 1.0);
        }

        @Override
        public boolean perPosition() {
            return true;
        }

        @Override
        public String formula() {
            return "1 + " + fmt(a) + " ln(floor(n/" + f + ") + 1), n = 0-based position + 1";
        }
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
