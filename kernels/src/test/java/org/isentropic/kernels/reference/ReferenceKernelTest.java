package org.isentropic.kernels.reference;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.SplittableRandom;
import org.isentropic.kernels.AttentionKernels;
import org.isentropic.kernels.RandomProblem;
import org.isentropic.kernels.RandomTensors;
import org.isentropic.kernels.spec.AttentionKernel;
import org.isentropic.kernels.spec.AttentionOutput;
import org.isentropic.kernels.spec.AttentionSpec;
import org.isentropic.kernels.spec.KeyRange;
import org.isentropic.kernels.spec.Mask;
import org.isentropic.kernels.spec.NMode;
import org.isentropic.kernels.spec.Positions;
import org.junit.jupiter.api.Test;

class ReferenceKernelTest {

    /** Logits are formed in double from float inputs: agreement to a few double ulps of their size. */
    private static final double LOGIT_TOL = 1e-9;
    /** Outputs are stored as float: half an ulp of float relative, with a few roundings of slack. */
    private static final double FLOAT_TOL = 4 * Math.ulp(1f);

    private final AttentionKernel ref = AttentionKernels.reference();

    @Test
    void uniformRowHasEntropyLnNAndAveragesValues() {
        int n = 7;
        int d = 4;
        int dv = 3;
        float[] q = new float[n * d]; // zero queries: all logits 0
        SplittableRandom r = RandomTensors.rng(1);
        float[] k = RandomTensors.normal(r, n * d, 1);
        float[] v = RandomTensors.normal(r, n * dv, 1);
        AttentionOutput out = AttentionOutput.allocate(n, dv, true);
        ref.attend(AttentionSpec.dot(), q, k, v, n, d, dv, out);
        for (int i = 0; i < n; i++) {
            assertEquals(Math.log(n), out.entropy()[i], FLOAT_TOL * Math.log(n));
            assertEquals(Math.log(n), out.logSumExp()[i], FLOAT_TOL * Math.log(n));
            for (int c = 0; c < dv; c++) {
                double mean = 0;
                for (int j = 0; j < n; j++) {
                    mean += v[j * dv + c] / (double) n;
                }
                assertEquals(mean, out.o()[i * dv + c], 1e-6);
            }
        }
    }

    @Test
    void twoKeysMatchTheClosedForm() {
        // d = 1, q = 2, keys 1 and -1: z = +-2/sqrt(1) = +-2, p = (e^2, e^-2) / (e^2 + e^-2).
        float[] q = {2f, 0f};
        float[] k = {1f, -1f};
        float[] v = {1f, 3f};
        AttentionOutput out = AttentionOutput.allocate(2, 1, true);
        ref.attend(AttentionSpec.dot(), q, k, v, 2, 1, 1, out);
        double p0 = Math.exp(2) / (Math.exp(2) + Math.exp(-2));
        double p1 = 1 - p0;
        assertEquals(p0, out.probs()[0], FLOAT_TOL);
        assertEquals(p0 * 1 + p1 * 3, out.o()[0], FLOAT_TOL * 3);
        assertEquals(-(p0 * Math.log(p0) + p1 * Math.log(p1)), out.entropy()[0], FLOAT_TOL);
        assertEquals(Math.log(Math.exp(2) + Math.exp(-2)), out.logSumExp()[0], FLOAT_TOL * 3);
        // Row 1 has q = 0: uniform.
        assertEquals(Math.log(2), out.entropy()[1], FLOAT_TOL);
    }

    @Test
    void ropeLogitDependsOnlyOnTheOffset() {
        int n = 12;
        int d = 8;
        RandomProblem problem = RandomProblem.of(n, d).repeatedRows().draw(2);
        for (Positions p : List.of(Positions.rope(10000), Positions.ropeHalf(100), Positions.pi(10000, 4),
                Positions.ntk(10000, 4), Positions.yarn(10000, 4), Positions.rerope(10000, 3),
                Positions.reropeReference(10000, 3))) {
            double[] z = AttentionKernels.referenceLogits(AttentionSpec.dot().withPositions(p), problem.q(),
                    problem.k(), n, d);
            for (int i = 0; i + 1 < n; i++) {
                for (int j = 0; j + 1 < n; j++) {
                    assertEquals(z[i * n + j], z[(i + 1) * n + j + 1], LOGIT_TOL * 10, p + " at " + i + "," + j);
                }
            }
            // And it does depend on the offset (the check has teeth).
            assertTrue(Math.abs(z[5 * n] - z[5 * n + 5]) > 1e-6, p.toString());
        }
    }

    @Test
    void reropeUsesOffsetWindowMinusOneOutsideOnBothSides() {
        int n = 10;
        int d = 6;
        int w = 3;
        RandomProblem problem = RandomProblem.of(n, d).repeatedRows().draw(3);
        float[] q = problem.q();
        float[] k = problem.k();
        float[] a = problem.qRow(0); // every query
        float[] b = problem.kRow(0); // every key
        double[] rope = AttentionKernels.referenceLogits(AttentionSpec.dot().withPositions(Positions.rope(10000)), q, k, n, d);
        double[] re = AttentionKernels.referenceLogits(AttentionSpec.dot().withPositions(Positions.rerope(10000, w)), q, k, n, d);
        double[] reRef = AttentionKernels.referenceLogits(
                AttentionSpec.dot().withPositions(Positions.reropeReference(10000, w)), q, k, n, d);
        double atCap = rope[(w - 1) * n]; // i - j = w - 1
        for (int i = 0; i < n; i++) {
            for (int j = 0; j < n; j++) {
                if (Math.abs(i - j) < w) {
                    assertEquals(rope[i * n + j], re[i * n + j], LOGIT_TOL);
                    assertEquals(rope[i * n + j], reRef[i * n + j], LOGIT_TOL);
                } else {
                    assertEquals(atCap, re[i * n + j], LOGIT_TOL);
                }
            }
        }
        // The reference layout pairs mismatched components: outside the window it is not the RoPE logit.
        assertTrue(Math.abs(reRef[(n - 1) * n] - atCap) > 1e-6);
        // It equals the halves-layout rotated query against the raw key.
        double[] rot = new double[d];
        for (int c = 0; c < d; c++) {
            rot[c] = a[c];
        }
        Positions.rotate(rot, d, w - 1, Positions.rope(10000).frequencies(d, n), false);
        double[] halves = new double[d];
        Positions.toHalvesLayout(rot, d, halves);
        double expect = 0;
        for (int c = 0; c < d; c++) {
            expect += halves[c] * b[c];
        }
        assertEquals(expect / Math.sqrt(d), reRef[(n - 1) * n], LOGIT_TOL);
    }

    @Test
    void alibiAddsMinusSlopeTimesDistanceBeforeTemperature() {
        int n = 6;
        int d = 4;
        float[] q = new float[n * d];
        float[] k = RandomTensors.normal(RandomTensors.rng(4), n * d, 1);
        float[] t = {1f, 2f, 0.5f, 1f, 3f, 1f};
        double[] z = AttentionKernels.referenceLogits(
                AttentionSpec.dot().withPositions(Positions.alibi(0.25)).withTemperature(t), q, k, n, d);
        for (int i = 0; i < n; i++) {
            for (int j = 0; j < n; j++) {
                assertEquals(-t[i] * 0.25 * Math.abs(i - j), z[i * n + j], LOGIT_TOL);
            }
        }
        // LM-Infinite caps the distance at window - 1.
        double[] capped = AttentionKernels.referenceLogits(
                AttentionSpec.dot().withPositions(Positions.alibi(1)).withMask(Mask.lambda(1, 2)), q, k, n, d);
        assertEquals(-1.0, capped[5 * n], LOGIT_TOL); // sink key at distance 5, capped to 1
        assertEquals(Double.NEGATIVE_INFINITY, capped[5 * n + 2]);
    }

    @Test
    void temperatureRuleSeesTheChosenN() {
        int n = 9;
        int d = 2;
        float[] q = RandomTensors.repeat(new float[] {1f, 0f}, n);
        float[] k = RandomTensors.repeat(new float[] {1f, 0f}, n);
        Mask mask = Mask.window(2).andCausal();
        for (NMode mode : NMode.values()) {
            double[] z = AttentionKernels.referenceLogits(
                    AttentionSpec.dot().withMask(mask).withRule(len -> len, mode), q, k, n, d);
            for (int i = 0; i < n; i++) {
                int expectN = mode == NMode.SEQUENCE ? n : mode == NMode.POSITION ? i + 1 : Math.min(i + 1, 3);
                assertEquals(expectN / Math.sqrt(d), z[i * n + i], LOGIT_TOL, mode + " row " + i);
            }
        }
    }

    @Test
    void cosineLogitIsScaleTimesCosine() {
        float[] q = {3f, 4f, 0f, 0f};
        float[] k = {0f, 2f, 0f, 0f};
        double[] z = AttentionKernels.referenceLogits(AttentionSpec.cosine(128), q, k, 2, 2);
        assertEquals(128 * 0.8, z[0], LOGIT_TOL * 128);
        assertEquals(0.0, z[1], 0.0); // zero key: cosine 0
        assertEquals(0.0, z[2], 0.0); // zero query
    }

    @Test
    void yarnMultipliesLogitsBySquaredFactorAndRampsFrequencies() {
        int d = 128;
        int train = 1024; // theta_0 = 1: r = 1024 / 2pi > 32; theta_63 ~ 1.2e-4: r < 1
        int n = 4096;
        Positions y = Positions.yarn(10000, train);
        double m = 0.1 * Math.log(4) + 1;
        assertEquals(m * m, y.logitFactor(n), 1e-15);
        assertEquals(1.0, y.logitFactor(train), 0.0);
        double[] plain = Positions.rope(10000).frequencies(d, n);
        double[] th = y.frequencies(d, n);
        assertEquals(plain[0], th[0], 0.0); // high frequency: r = N theta / 2pi > 32, unchanged
        assertEquals(plain[d / 2 - 1] / 4, th[d / 2 - 1], 1e-18); // low frequency: interpolated
        double[] ntk = Positions.ntk(10000, train).frequencies(d, n);
        assertEquals(Math.pow(10000 * Math.pow(4, 128.0 / 126), -2.0 * 5 / d), ntk[5], 1e-15);
        assertEquals(0.25, Positions.pi(10000, train).positionScale(n), 0.0);
        assertEquals(4.0, Positions.piReference(10000, train).positionScale(n), 0.0);
        assertEquals(1.0, Positions.pi(10000, train).positionScale(32), 0.0);
    }

    @Test
    void masksMatchTheirDefinitions() {
        int n = 13;
        for (Mask mask : List.of(Mask.full(), Mask.causal(), Mask.window(2), Mask.streaming(2, 3), Mask.lambda(3, 2),
                Mask.window(3).andCausal(), Mask.streaming(4, 2).andCausal(), Mask.lambda(2, 4).andCausal(), Mask.prefix(4),
                Mask.prefix(20).andCausal())) {
            for (int i = 0; i < n; i++) {
                int count = 0;
                for (int j = 0; j < n; j++) {
                    boolean expect;
                    int dist = Math.abs(i - j);
                    switch (mask.kind()) {
                        case FULL: expect = true; break;
                        case CAUSAL: expect = j <= i; break;
                        case WINDOW: expect = dist <= mask.window(); break;
                        case STREAMING: expect = dist <= mask.window() - 1 || j < mask.sinks() || i < mask.sinks(); break;
                        case LAMBDA: expect = dist <= mask.window() - 1 || j < mask.sinks(); break;
                        case PREFIX: expect = j < mask.sinks(); break;
                        default: throw new AssertionError();
                    }
                    if (mask.isCausal()) {
                        expect &= j <= i;
                    }
                    assertEquals(expect, mask.visible(i, j, n), mask + " " + i + "," + j);
                    count += expect ? 1 : 0;
                }
                assertEquals(count, mask.visibleCount(i, n), mask + " row " + i);
            }
        }
    }

    @Test
    void keyRangeMassSumsProbabilities() {
        int n = 8;
        RandomProblem problem = RandomProblem.of(n, 4).dv(2).draw(5);
        AttentionOutput out = AttentionOutput.allocate(n, 2, true, List.of(new KeyRange(0, 3), new KeyRange(5, 20)));
        problem.attend(ref, AttentionSpec.dot().withMask(Mask.causal()), out);
        for (int i = 0; i < n; i++) {
            double a = 0;
            double b = 0;
            double total = 0;
            for (int j = 0; j < n; j++) {
                float p = out.probs()[i * n + j];
                a += j < 3 ? p : 0;
                b += j >= 5 ? p : 0;
                total += p;
                if (j > i) {
                    assertEquals(0f, p);
                }
            }
            assertEquals(1.0, total, FLOAT_TOL * n);
            assertEquals(a, out.mass()[i * 2], FLOAT_TOL * n);
            assertEquals(b, out.mass()[i * 2 + 1], FLOAT_TOL * n);
        }
    }

    @Test
    void hugeCosineScaleStaysFinite() {
        int n = 16;
        AttentionOutput out = RandomProblem.of(n, 8).draw(6)
                .run(ref, AttentionSpec.cosine(1e4).withPositions(Positions.rope(10000)));
        for (int i = 0; i < n; i++) {
            assertTrue(Float.isFinite(out.entropy()[i]) && out.entropy()[i] >= 0);
            assertTrue(Float.isFinite(out.logSumExp()[i]));
        }
    }

    @Test
    void badInputNamesTheArgument() {
        float[] q = new float[8];
        float[] k = new float[8];
        float[] v = new float[8];
        AttentionOutput out = AttentionOutput.allocate(2, 4, false);
        q[3] = Float.NaN;
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> ref.attend(AttentionSpec.dot(), q, k, v, 2, 4, 4, out));
        assertTrue(e.getMessage().contains("q[3]"), e.getMessage());
        q[3] = 0;
        k[1] = Float.POSITIVE_INFINITY;
        e = assertThrows(IllegalArgumentException.class, () -> ref.attend(AttentionSpec.dot(), q, k, v, 2, 4, 4, out));
        assertTrue(e.getMessage().contains("k[1]"), e.getMessage());
        k[1] = 0;
        e = assertThrows(IllegalArgumentException.class,
                () -> ref.attend(AttentionSpec.dot().withPositions(Positions.rope(10000)), new float[6], new float[6],
                        new float[6], 2, 3, 3, AttentionOutput.allocate(2, 3, false)));
        assertTrue(e.getMessage().contains("d must be even"), e.getMessage());
        e = assertThrows(IllegalArgumentException.class, () -> ref.attend(AttentionSpec.dot(), q, k, v, 3, 4, 4, out));
        assertTrue(e.getMessage().contains("q has 8 values"), e.getMessage());
        e = assertThrows(IllegalArgumentException.class, () -> AttentionSpec.cosine(-1));
        assertTrue(e.getMessage().contains("-1"), e.getMessage());
        assertThrows(IllegalArgumentException.class, () -> Mask.window(0));
        assertThrows(IllegalArgumentException.class, () -> Positions.rerope(10000, 0));
        assertThrows(IllegalArgumentException.class,
                () -> ref.attend(AttentionSpec.dot().withRule(len -> -1, NMode.SEQUENCE), q, k, v, 2, 4, 4, out));
    }
}
