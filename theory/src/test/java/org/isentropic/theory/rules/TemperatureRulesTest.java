package org.isentropic.theory.rules;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.quicktheories.generators.SourceDSL.integers;

import java.util.List;
import org.isentropic.theory.TestSeeds;
import org.junit.jupiter.api.Test;

class TemperatureRulesTest {

    /** Four-decimal rounding of a printed table. */
    private static final double PRINTED = 0.5e-4;
    /** Double evaluation of a closed form with a few logs and a sqrt. */
    private static final double CLOSED_FORM = 1e-13;

    /**
     * Golden values derived by hand, independent of the code and of the docs it generates: with x = N^(-2/d) and
     * n = N^k, lambda^2 = (1 - x^k) / (1 - x) = 1 + x + ... + x^(k-1) (a geometric sum). For d = 128, N = 64:
     * x = 2^(-12/128) = 2^(-3/32), so lambda(64) = 1, lambda(4096) = sqrt(1 + 2^(-3/32)) = 1.39179...,
     * and lambda(262144) = sqrt(1 + 2^(-3/32) + 2^(-3/16)).
     */
    @Test
    void infoScaleAtPowersOfNIsAGeometricSum() {
        TemperatureRule rule = TemperatureRule.infoScale(64, 128);
        double x = Math.pow(2, -3.0 / 32);
        assertEquals(1.0, rule.factor(64), CLOSED_FORM);
        assertEquals(Math.sqrt(1 + x), rule.factor(4096), CLOSED_FORM);
        assertEquals(Math.sqrt(1 + x + x * x), rule.factor(262144), CLOSED_FORM);
        assertEquals(1.3918, rule.factor(4096), PRINTED, "1 + 2^(-3/32) = 1.93708..., its square root 1.39179...");
        // the same identity for any d and N (k = 2, 3)
        TestSeeds.qt().forAll(integers().between(1, 4096), integers().between(2, 1000))
                .checkAssert((d, trainLength) -> {
                    double y = Math.pow(trainLength, -2.0 / d);
                    TemperatureRule r = TemperatureRule.infoScale(trainLength, d);
                    long n2 = (long) trainLength * trainLength;
                    assertEquals(Math.sqrt(1 + y), r.factor((int) n2), 1e-12, "d=" + d + " N=" + trainLength);
                    if (n2 * trainLength <= Integer.MAX_VALUE) {
                        assertEquals(Math.sqrt(1 + y + y * y), r.factor((int) (n2 * trainLength)), 1e-12,
                                "d=" + d + " N=" + trainLength + ", n = N^3");
                    }
                });
    }

    @Test
    void infoScaleLiesBetweenOneAndTheSquareRootOfLogN() {
        // 1 - e^(-x) is concave, so for n >= N: 1 <= lambda^2 <= ln n / ln N.
        TestSeeds.qt().forAll(integers().between(1, 4096), integers().between(2, 5000), integers().between(0, 100000))
                .checkAssert((d, trainLength, extra) -> {
                    int n = trainLength + extra;
                    double l2 = Math.pow(TemperatureRule.infoScale(trainLength, d).factor(n), 2);
                    double logRatio = Math.log(n) / Math.log(trainLength);
                    assertTrue(l2 >= 1 - CLOSED_FORM, "lambda^2 = " + l2 + " d=" + d + " N=" + trainLength + " n=" + n);
                    assertTrue(l2 <= logRatio * (1 + CLOSED_FORM), "lambda^2 = " + l2 + " > " + logRatio);
                });
    }

    @Test
    void infoScaleTendsToTheSquareRootOfLogNForLargeD() {
        double limit = Math.sqrt(Math.log(4096) / Math.log(64));
        double lambda = TemperatureRule.infoScale(64, 1 << 24).factor(4096);
        // The next term of the expansion is O(ln n / d).
        assertEquals(limit, lambda, 10 * Math.log(4096) / (1 << 24));
    }

    @Test
    void infoScaleClampVariant() {
        TemperatureRule clamped = TemperatureRule.infoScale(512, 768, true);
        TemperatureRule plain = TemperatureRule.infoScale(512, 768, false);
        assertTrue(plain.factor(128) < 1);
        assertEquals(1.0, clamped.factor(128));
        assertEquals(plain.factor(2048), clamped.factor(2048));
    }

    @Test
    void eachRuleAtItsReferencePoints() {
        assertEquals(1.0, TemperatureRule.standard().factor(12345));
        assertEquals(2.0, TemperatureRule.logN(64).factor(4096), CLOSED_FORM);
        assertEquals(0.0, TemperatureRule.logN(64).factor(1));
        assertEquals(1.0, TemperatureRule.softmaxPlus().factor(512), CLOSED_FORM);
        assertEquals(Math.log(16) / Math.log(512), TemperatureRule.softmaxPlus().factor(3), CLOSED_FORM);
        assertEquals(1.0, TemperatureRule.qwenLogN(64).factor(10));
        assertEquals(2.0, TemperatureRule.qwenLogN(64).factor(4096), CLOSED_FORM);
        assertTrue(TemperatureRule.qwenLogN(64).perPosition());
        assertEquals(1.0, TemperatureRule.yarn(64).factor(64));
        double m = 0.1 * Math.log(64) + 1;
        assertEquals(m * m, TemperatureRule.yarn(64).factor(4096), CLOSED_FORM);
        assertEquals(1.0, TemperatureRule.longRope(64).factor(32));
        assertEquals(2.0, TemperatureRule.longRope(64).factor(4096), CLOSED_FORM);
        assertEquals(0.5 * Math.log(100), TemperatureRule.ssmax(0.5).factor(100), CLOSED_FORM);
        assertEquals(1.0, TemperatureRule.llama4(0.1, 8192).factor(8191));
        assertEquals(1 + 0.1 * Math.log(2), TemperatureRule.llama4(0.1, 8192).factor(8192), CLOSED_FORM);
        assertEquals(1 + 0.1 * Math.log(3), TemperatureRule.llama4(0.1, 8192).factor(3 * 8192 - 1), CLOSED_FORM);
        assertTrue(TemperatureRule.llama4(0.1, 8192).perPosition());
        assertFalse(TemperatureRule.infoScale(64, 128).perPosition());
    }

    @Test
    void derivedInterpolatesLinearlyInLogNAndRefusesToExtrapolate() {
        TemperatureRule r = TemperatureRule.derived(new int[] {64, 256}, new double[] {1.0, 2.0});
        assertEquals(1.0, r.factor(64));
        assertEquals(2.0, r.factor(256));
        assertEquals(1.5, r.factor(128), CLOSED_FORM);
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> r.factor(512));
        assertTrue(e.getMessage().contains("512"), e.getMessage());
        assertThrows(IllegalArgumentException.class, () -> r.factor(32));
        assertThrows(IllegalArgumentException.class,
                () -> TemperatureRule.derived(new int[] {64, 64}, new double[] {1, 1}));
        assertThrows(IllegalArgumentException.class,
                () -> TemperatureRule.derived(new int[] {64}, new double[] {Double.NaN}));
        assertThrows(IllegalArgumentException.class,
                () -> TemperatureRule.derived(new int[] {64, 128}, new double[] {1}));
    }

    @Test
    void badParametersAreRejectedWithTheirName() {
        assertMessage("n", () -> TemperatureRule.infoScale(64, 128).factor(0));
        assertMessage("trainLength", () -> TemperatureRule.infoScale(1, 128));
        assertMessage("headDim", () -> TemperatureRule.infoScale(64, 0));
        assertMessage("trainLength", () -> TemperatureRule.logN(1));
        assertMessage("s", () -> TemperatureRule.ssmax(0));
        assertMessage("s", () -> TemperatureRule.ssmax(Double.NaN));
        assertMessage("a", () -> TemperatureRule.llama4(Double.NaN, 8192));
        assertMessage("f", () -> TemperatureRule.llama4(0.1, 0));
        assertMessage("n", () -> TemperatureRule.standard().factor(-3));
        for (String id : TemperatureRules.ids()) {
            if (!id.equals("derived")) {
                assertMessage("n", () -> TemperatureRules.create(id, RuleParameters.of(64, 128)).factor(0));
            }
        }
    }

    @Test
    void registryListsEveryRuleInOrderAndBuildsThem() {
        assertEquals(List.of("standard", "infoscale", "logn", "softmax_plus", "qwen_logn", "yarn", "longrope",
                "ssmax", "llama4", "derived"), TemperatureRules.ids());
        RuleParameters p = RuleParameters.of(64, 128).withDerived(new int[] {64, 4096}, new double[] {1, 1.4});
        for (String id : TemperatureRules.ids()) {
            TemperatureRule r = TemperatureRules.create(id, p);
            assertEquals(id, r.id());
            assertFalse(r.formula().isBlank());
            assertEquals(r.factor(1000), r.applyAsDouble(1000));
        }
        // SSMax default s = 1/ln N is 1 at the training length.
        assertEquals(1.0, TemperatureRules.create("ssmax", p).factor(64), CLOSED_FORM);
        assertTrue(TemperatureRules.create("infoscale", p.withClampAtOne(true)).factor(32) == 1.0);
        assertMessage("derived", () -> TemperatureRules.create("derived", RuleParameters.of(64, 128)));
        assertMessage("nope", () -> TemperatureRules.create("nope", RuleParameters.of(64, 128)));
        assertMessage("trainLength", () -> RuleParameters.of(1, 128));
    }

    /** A deliberately wrong InfoScale (exponent -1/d instead of -2/d) must fail the golden test. */
    @Test
    void goldenTestHasTeeth() {
        double wrong = Math.sqrt((1 - Math.pow(4096, -1.0 / 128)) / (1 - Math.pow(64, -1.0 / 128)));
        assertTrue(Math.abs(wrong - Math.sqrt(1 + Math.pow(2, -3.0 / 32))) > 1e-3);
    }

    private static void assertMessage(String name, org.junit.jupiter.api.function.Executable call) {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, call);
        assertTrue(e.getMessage().contains(name), "message '" + e.getMessage() + "' does not name " + name);
    }
}
