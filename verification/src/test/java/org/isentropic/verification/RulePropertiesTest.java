package org.isentropic.verification;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.function.IntFunction;
import org.isentropic.theory.rules.RuleParameters;
import org.isentropic.theory.rules.TemperatureRule;
import org.isentropic.theory.rules.TemperatureRules;
import org.junit.jupiter.api.Test;
import org.quicktheories.core.Gen;
import org.quicktheories.generators.SourceDSL;

/**
 * Property group 2: the temperature rules. InfoScale {@code lambda(n) = sqrt((1 - n^(-2/d)) / (1 -
 * N^(-2/d)))} (paper section 2). With {@code f(x) = (1 - e^(-x)) / x} decreasing and {@code f(x) >=
 * 1 - x/2}, {@code lambda^2 = (ln n / ln N) f(2 ln n / d) / f(2 ln N / d)}, so for n &gt;= N:
 * {@code (1 - ln n / d) ln n / ln N <= lambda^2 <= ln n / ln N}, and {@code lambda^2 >= 1} since
 * {@code 1 - n^(-2/d)} increases in n. Hence {@code lambda -> sqrt(ln n / ln N)} as d grows.
 */
class RulePropertiesTest {
    /** Double rounding slack for a handful of libm calls: 16 ulps at 1. */
    static final double RULE_ROUNDING = 16 * Math.ulp(1.0);

    /** (N, n, d) with 2 &lt;= N &lt;= 4096, N &lt;= n &lt;= 64 N, d in [1, 100000]. */
    static Gen<int[]> trainLengthDim() {
        return SourceDSL.integers().between(2, 4096).zip(SourceDSL.integers().between(1, 1 << 20),
                SourceDSL.integers().between(1, 100_000), (N, r, d) -> {
                    int n = (int) Math.min(64L * N, N + (long) r % (63L * N + 1));
                    return new int[] {N, n, d};
                }).describedAs(x -> show(x));
    }

    /** The InfoScale properties of the class comment, for any rule factory (N, d) -&gt; rule. */
    static void infoScaleProperties(String property, IntFunction<IntFunction<TemperatureRule>> factory) {
        Theories.check(property, 300, 20_000, trainLengthDim(),
                x -> {
                    int trainLength = x[0];
                    int n = x[1];
                    int d = x[2];
                    TemperatureRule rule = factory.apply(trainLength).apply(d);
                    assertEquals(1.0, rule.factor(trainLength), RULE_ROUNDING,
                            "lambda(N) at N=" + trainLength + ", d=" + d);
                    double l2 = rule.factor(n) * rule.factor(n);
                    double logRatio = Math.log(n) / Math.log(trainLength);
                    assertTrue(l2 >= 1 - RULE_ROUNDING, "lambda^2 >= 1: " + l2 + " at " + show(x));
                    assertTrue(l2 <= logRatio * (1 + RULE_ROUNDING),
                            "lambda^2 <= ln n/ln N = " + logRatio + ": " + l2 + " at " + show(x));
                    assertTrue(l2 >= (1 - Math.log(n) / d) * logRatio * (1 - RULE_ROUNDING),
                            "lambda^2 >= (1 - ln n/d) ln n/ln N: " + l2 + " at " + show(x));
                    if (n > trainLength) {
                        assertTrue(rule.factor(n) >= rule.factor(n - 1), "non-decreasing at " + show(x));
                        if (d <= 4096) {
                            assertTrue(rule.factor(n) > rule.factor(trainLength), "increasing at " + show(x));
                        }
                    }
                });
    }

    private static String show(int[] x) {
        return "N=" + x[0] + ", n=" + x[1] + ", d=" + x[2];
    }

    @Test
    void infoScale() {
        infoScaleProperties("rules: InfoScale(N) = 1, increasing, 1 <= lambda^2 <= ln n/ln N, limit in d",
                trainLength -> d -> TemperatureRule.infoScale(trainLength, d));
    }

    @Test
    void infoScalePropertiesHaveTeeth() {
        // log-n squared is ln n / ln N: the upper bound lambda^2 <= ln n / ln N must reject it.
        Teeth.mustDetect("InfoScale bounds vs log-n used as InfoScale",
                name -> infoScaleProperties(name, trainLength -> d -> TemperatureRule.logN(trainLength)));
        // InfoScale without the square root: lambda^2 then exceeds ln n / ln N for small d.
        Teeth.mustDetect("InfoScale bounds vs InfoScale without its square root",
                name -> infoScaleProperties(name,
                        trainLength -> d -> squared(TemperatureRule.infoScale(trainLength, d))));
    }

    private static TemperatureRule squared(TemperatureRule r) {
        return new TemperatureRule() {
            @Override
            public String id() {
                return "infoscale-squared";
            }

            @Override
            public double factor(int n) {
                return r.factor(n) * r.factor(n);
            }

            @Override
            public String formula() {
                return "(" + r.formula() + ")^2";
            }
        };
    }

    /** docs/method.md (InfoScale): InfoScale for d = 128, N = 64 (4 decimals). */
    @Test
    void infoScaleAtThePapersReferencePoints() {
        TemperatureRule r = TemperatureRule.infoScale(64, 128);
        int[] n = {128, 256, 512, 1024, 2048, 4096};
        double[] expected = {1.0772, 1.1485, 1.2150, 1.2773, 1.3361, 1.3918};
        for (int i = 0; i < n.length; i++) {
            assertEquals(expected[i], r.factor(n[i]), 0.5e-4, "InfoScale(N=64, d=128) at n=" + n[i]);
        }
        SuiteLedger.count("rules: reference points", n.length);
    }

    /** Every rule at points computed by hand from its formula (docs/method.md (the earlier temperature rules)). */
    @Test
    void everyRuleAtItsReferencePoints() {
        double ln2 = Math.log(2);
        List<Object[]> cases = List.of(
                new Object[] {TemperatureRule.standard(), 1000, 1.0},
                new Object[] {TemperatureRule.logN(64), 4096, 2.0},
                new Object[] {TemperatureRule.logN(64), 64, 1.0},
                new Object[] {TemperatureRule.softmaxPlus(), 512, 1.0},
                new Object[] {TemperatureRule.softmaxPlus(), 8, 4.0 / 9.0},
                new Object[] {TemperatureRule.softmaxPlus(), 16, 4.0 / 9.0},
                new Object[] {TemperatureRule.qwenLogN(64), 10, 1.0},
                new Object[] {TemperatureRule.qwenLogN(64), 4096, 2.0},
                new Object[] {TemperatureRule.yarn(64), 64, 1.0},
                new Object[] {TemperatureRule.yarn(64), 256, Math.pow(0.1 * 2 * ln2 + 1, 2)},
                new Object[] {TemperatureRule.longRope(64), 4096, 2.0},
                new Object[] {TemperatureRule.longRope(64), 32, 1.0},
                new Object[] {TemperatureRule.ssmax(0.5), 1024, 0.5 * 10 * ln2},
                new Object[] {TemperatureRule.llama4(0.1, 8192), 8191, 1.0},
                new Object[] {TemperatureRule.llama4(0.1, 8192), 8192, 1 + 0.1 * ln2},
                new Object[] {TemperatureRule.llama4(0.1, 8192), 3 * 8192, 1 + 0.1 * Math.log(4)},
                new Object[] {TemperatureRule.derived(new int[] {16, 64}, new double[] {1.0, 2.0}), 32, 1.5},
                new Object[] {TemperatureRule.derived(new int[] {16, 64}, new double[] {1.0, 2.0}), 64, 2.0});
        for (Object[] c : cases) {
            TemperatureRule r = (TemperatureRule) c[0];
            int n = (Integer) c[1];
            double expected = (Double) c[2];
            assertEquals(expected, r.factor(n), 8 * Math.ulp(expected), r.formula() + " at n=" + n);
            assertEquals(r.factor(n), r.applyAsDouble(n), 0.0, "applyAsDouble = factor for " + r.id());
        }
        SuiteLedger.count("rules: reference points", cases.size());
    }

    /** The registry creates every id, and each rule it creates reports that id. */
    @Test
    void registryCreatesEveryId() {
        RuleParameters p = RuleParameters.of(64, 128).withDerived(new int[] {64, 128}, new double[] {1, 1.1});
        for (String id : TemperatureRules.ids()) {
            assertEquals(id, TemperatureRules.create(id, p).id());
        }
        SuiteLedger.count("rules: registry ids", TemperatureRules.ids().size());
    }
}
