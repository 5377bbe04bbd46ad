package org.isentropic.kernels.decode;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Set;
import org.isentropic.kernels.AttentionKernels;
import org.isentropic.kernels.RandomProblem;
import org.isentropic.kernels.RandomTensors;
import org.isentropic.kernels.spec.AttentionSpec;
import org.isentropic.kernels.spec.Mask;
import org.isentropic.kernels.spec.NMode;
import org.isentropic.kernels.spec.Positions;
import org.junit.jupiter.api.Test;

/** Split-K decode (several cache splits merged by log-sum-exp, entropy included) and multi-head decode. */
class SplitDecodeTest {

    /** A cache long enough for three splits, the last one partial. */
    private static final int LENGTH = 2 * DecodeStep.SPLIT_KEYS + 300;

    private static List<AttentionSpec> specs() {
        return List.of(
                AttentionSpec.dot().withMask(Mask.causal()).withPositions(Positions.rope(10000)),
                // keys of one split visible, the others masked: splits with m = -inf take part in the merge
                AttentionSpec.dot().withMask(Mask.window(100).andCausal()),
                AttentionSpec.dot().withMask(Mask.streaming(4, 700)).withPositions(Positions.alibi(0.01)),
                AttentionSpec.cosine(30).withPositions(Positions.rerope(10000, 1500)).withMask(Mask.causal())
                        .withRule(len -> Math.log(len + 1.0) / Math.log(512), NMode.VISIBLE));
    }

    @Test
    void splitCacheAgreesWithTheReferenceAndThreadsGiveTheSameBits() {
        int d = 16;
        int dv = 8;
        RandomProblem problem = RandomProblem.of(LENGTH, d).dv(dv).sigma(1.5).draw(500);
        // Make the splits' maxima differ a lot, so that a merge that forgot to move l, u or o to the common max fails.
        for (int c = 0; c < d; c++) {
            problem.k()[(LENGTH - 5) * d + c] = 4 * problem.q()[(LENGTH - 1) * d + c];
        }
        for (boolean simd : new boolean[] {true, false}) {
            for (AttentionSpec spec : specs()) {
                DecodeStep one = DecodeStep.create(spec, d, dv, LENGTH, 1, simd);
                DecodeStep two = DecodeStep.create(spec, d, dv, LENGTH, 2, simd);
                DecodeChecks.appendAll(one, problem);
                DecodeChecks.appendAll(two, problem);
                float[] qLast = problem.qRow(LENGTH - 1);
                float[] o1 = new float[dv];
                float[] o2 = new float[dv];
                String where = (simd ? "simd " : "scalar ") + spec;
                // Repeated steps: the bits must not change as the JIT compiles the split (no library exp).
                for (int rep = 0; rep < 3; rep++) {
                    float h1 = one.attend(qLast, o1);
                    float h2 = two.attend(qLast, o2);
                    assertArrayEquals(o1, o2, where);
                    assertEquals(h1, h2, 0.0, where);
                    assertEquals(one.lastLogSumExp(), two.lastLogSumExp(), 0.0, where);
                }
                DecodeChecks.lastRow(where + " n " + LENGTH, spec, problem, o2, one.attend(qLast, o2),
                        one.lastLogSumExp());
            }
        }
    }

    /**
     * The scalar and Vector API paths compute the same logits (same order of fused multiply-adds) and differ in
     * the exponential (the exp2 polynomial's relative error is about 1.2e-7, 1 eps, plus its rounding, against a
     * correctly rounded double exp) and in the rounding of the sums that the weights then feed. So with m the
     * visible keys, each weight differs by at most 2 eps relatively and the sums by a random walk of m
     * roundings, 4 sigma: SUM = 4 eps sqrt(m + 8); o by vmax (4 eps + SUM) (a weight's error moves o and the
     * normaliser alike), the entropy by (4 eps + SUM)(1 + spread) (Agreement's model with exact logits), the
     * logsumexp by 4 eps + SUM + eps |lse|.
     */
    @Test
    void scalarAndVectorPathsAgree() {
        assumeTrue(AttentionKernels.simdAvailable(), "needs jdk.incubator.vector");
        int d = 24; // not a multiple of 16: the scores' component tail
        int dv = 20; // values padded to a multiple of the lanes
        RandomProblem problem = RandomProblem.of(LENGTH, d).dv(dv).sigma(1.5).draw(520);
        double eps = Math.ulp(1f);
        for (AttentionSpec spec : specs()) {
            DecodeStep simd = DecodeStep.create(spec, d, dv, LENGTH, 1, true);
            DecodeStep scalar = DecodeStep.create(spec, d, dv, LENGTH, 1, false);
            assertTrue(simd.usesSimd());
            assertFalse(scalar.usesSimd());
            DecodeChecks.appendAll(simd, problem);
            DecodeChecks.appendAll(scalar, problem);
            float[] qLast = problem.qRow(LENGTH - 1);
            float[] os = new float[dv];
            float[] oc = new float[dv];
            float hs = simd.attend(qLast, os);
            float hc = scalar.attend(qLast, oc);
            double[] z = AttentionKernels.referenceLogits(spec, problem.q(), problem.k(), LENGTH, d);
            int row = (LENGTH - 1) * LENGTH;
            double max = Double.NEGATIVE_INFINITY;
            int visible = 0;
            for (int j = 0; j < LENGTH; j++) {
                if (z[row + j] != Double.NEGATIVE_INFINITY) {
                    visible++;
                    max = Math.max(max, z[row + j]);
                }
            }
            double l = 0;
            double spread = 0;
            for (int j = 0; j < LENGTH; j++) {
                if (z[row + j] != Double.NEGATIVE_INFINITY) {
                    double e = Math.exp(z[row + j] - max);
                    l += e;
                    spread += e * (max - z[row + j]);
                }
            }
            spread /= l;
            double vmax = 0;
            for (float x : problem.v()) {
                vmax = Math.max(vmax, Math.abs(x));
            }
            double sum = 4 * eps + 4 * eps * Math.sqrt(visible + 8);
            String where = spec + " (seed " + RandomTensors.SEED + ")";
            for (int c = 0; c < dv; c++) {
                assertEquals(oc[c], os[c], vmax * sum, where + " o[" + c + "]");
            }
            assertEquals(hc, hs, sum * (1 + spread), where + " entropy");
            assertEquals(scalar.lastLogSumExp(), simd.lastLogSumExp(), sum + eps * Math.abs(scalar.lastLogSumExp()),
                    where + " logsumexp");
        }
    }

    /**
     * Windows and cap windows that cross the boundary between two splits (and a panel of keys), sinks alone in
     * the first split, and sinks and a band in one split with masked keys between them.
     */
    @Test
    void windowsAcrossASplitBoundaryAgreeWithTheReference() {
        int n = 2 * DecodeStep.SPLIT_KEYS + 52; // the last row's window of 100 keys starts in the second split
        int d = 32;
        int dv = 16;
        RandomProblem problem = RandomProblem.of(n, d).dv(dv).sigma(1.5).draw(530);
        List<AttentionSpec> specs = List.of(
                AttentionSpec.dot().withMask(Mask.window(100).andCausal()),
                AttentionSpec.dot().withMask(Mask.window(100)).withPositions(Positions.rope(10000)),
                // cut = i - W + 1 = 2023: not a multiple of 16, and inside the second split
                AttentionSpec.cosine(20).withPositions(Positions.rerope(10000, 77)).withMask(Mask.causal()),
                AttentionSpec.dot().withPositions(Positions.reropeReference(10000, 77)).withMask(Mask.streaming(5, 90)),
                AttentionSpec.dot().withPositions(Positions.alibi(0.05)).withMask(Mask.lambda(5, 61)),
                AttentionSpec.dot().withMask(Mask.prefix(9)),
                AttentionSpec.cosine(30).withMask(Mask.streaming(4, 1100)).withRule(len -> Math.log(len + 1.0), NMode.VISIBLE));
        for (boolean simd : new boolean[] {true, false}) {
            for (AttentionSpec spec : specs) {
                for (int threads : new int[] {1, 2}) {
                    DecodeStep step = DecodeStep.create(spec, d, dv, n, threads, simd);
                    DecodeChecks.appendAll(step, problem);
                    float[] o = new float[dv];
                    float h = step.attend(problem.qRow(n - 1), o);
                    DecodeChecks.lastRow((simd ? "simd " : "scalar ") + threads + " threads " + spec, spec, problem, o,
                            h, step.lastLogSumExp());
                }
            }
        }
    }

    @Test
    void multiHeadDecodeMatchesADecodeStepPerHeadAndTheReference() {
        int heads = 6;
        int kvHeads = 2;
        int d = 8;
        int dv = 4;
        int steps = DecodeStep.SPLIT_KEYS + 40;
        RandomProblem problem = RandomProblem.of(steps, d).dv(dv).heads(heads, kvHeads).draw(510);
        float[] q = problem.q(); // [steps, heads, d]
        float[] k = problem.k(); // [steps, kvHeads, d]
        float[] v = problem.v(); // [steps, kvHeads, dv]
        List<AttentionSpec> specs = new ArrayList<>();
        for (int h = 0; h < heads; h++) {
            double base = 0.5 + 0.25 * h; // per-head temperature rule
            specs.add(AttentionSpec.dot().withPositions(Positions.rope(10000)).withMask(Mask.causal())
                    .withRule(len -> base * Math.log(len + 1.0), NMode.POSITION));
        }
        MultiHeadDecode oneThread = MultiHeadDecode.create(specs, heads, kvHeads, d, dv, steps, 1);
        MultiHeadDecode twoThreads = MultiHeadDecode.create(specs, heads, kvHeads, d, dv, steps, 2);
        DecodeStep[] perHead = new DecodeStep[heads];
        for (int h = 0; h < heads; h++) {
            perHead[h] = DecodeStep.create(specs.get(h), d, dv, steps);
        }
        float[] o1 = new float[heads * dv];
        float[] o2 = new float[heads * dv];
        float[] h1 = new float[heads];
        float[] h2 = new float[heads];
        float[] l1 = new float[heads];
        float[] l2 = new float[heads];
        float[] oh = new float[dv];
        for (int t = 1; t <= steps; t++) {
            float[] kt = Arrays.copyOfRange(k, (t - 1) * kvHeads * d, t * kvHeads * d);
            float[] vt = Arrays.copyOfRange(v, (t - 1) * kvHeads * dv, t * kvHeads * dv);
            float[] qt = Arrays.copyOfRange(q, (t - 1) * heads * d, t * heads * d);
            oneThread.append(kt, vt);
            twoThreads.append(kt, vt);
            oneThread.attend(qt, o1, h1, l1);
            twoThreads.attend(qt, o2, h2, l2);
            assertArrayEquals(o1, o2, "step " + t);
            assertArrayEquals(h1, h2, "step " + t);
            assertArrayEquals(l1, l2, "step " + t);
            for (int h = 0; h < heads; h++) {
                int g = h / (heads / kvHeads);
                perHead[h].append(kt, g * d, vt, g * dv);
                float e = perHead[h].attend(Arrays.copyOfRange(qt, h * d, (h + 1) * d), oh);
                assertArrayEquals(oh, Arrays.copyOfRange(o1, h * dv, (h + 1) * dv), "head " + h + " step " + t);
                assertEquals(e, h1[h], 0.0, "head " + h + " step " + t);
            }
        }
        // The last row of each head against the reference kernel on that head's sequence.
        for (int h = 0; h < heads; h++) {
            int g = h / (heads / kvHeads);
            float[] qh = new float[steps * d];
            float[] kg = new float[steps * d];
            float[] vg = new float[steps * dv];
            for (int t = 0; t < steps; t++) {
                System.arraycopy(q, (t * heads + h) * d, qh, t * d, d);
                System.arraycopy(k, (t * kvHeads + g) * d, kg, t * d, d);
                System.arraycopy(v, (t * kvHeads + g) * dv, vg, t * dv, dv);
            }
            DecodeChecks.lastRow("head " + h, specs.get(h), qh, kg, vg, steps, d, dv, o2, h * dv, h2[h], l2[h]);
        }
    }

    /**
     * Query heads read in fours and pairs (each key panel and value row once for the group) under a cap window
     * whose cut falls inside a panel, with values in several column panels (the last one narrower): every head
     * the same bits as a DecodeStep of its own, at lengths before, at and past the window.
     */
    @Test
    void headGroupsUnderACapWindowGiveTheBitsOfOneHeadAlone() {
        int heads = 7; // four heads together, a pair and one head alone
        int d = 16;
        int dv = 72; // more columns than a value panel of either provider, and not a multiple of one
        int steps = DecodeStep.SPLIT_KEYS + 60;
        RandomProblem problem = RandomProblem.of(steps, d).dv(dv).heads(heads, 1).sigma(1.5).draw(540);
        float[] q = problem.q(); // [steps, heads, d]
        float[] k = problem.k(); // [steps, 1, d]
        float[] v = problem.v(); // [steps, 1, dv]
        List<AttentionSpec> specs = new ArrayList<>();
        for (int h = 0; h < heads; h++) {
            double base = 0.6 + 0.2 * h;
            specs.add(AttentionSpec.cosine(20).withPositions(Positions.rerope(10000, 77)).withMask(Mask.causal())
                    .withRule(len -> base * Math.log(len + 1.0), NMode.POSITION));
        }
        MultiHeadDecode decode = MultiHeadDecode.create(specs, heads, 1, d, dv, steps, 1);
        DecodeStep[] perHead = new DecodeStep[heads];
        for (int h = 0; h < heads; h++) {
            perHead[h] = DecodeStep.create(specs.get(h), d, dv, steps);
        }
        float[] o = new float[heads * dv];
        float[] entropy = new float[heads];
        float[] logSumExp = new float[heads];
        float[] oh = new float[dv];
        Set<Integer> checked = Set.of(1, 40, 77, 78, 83, 500, DecodeStep.SPLIT_KEYS + 1, steps);
        for (int t = 1; t <= steps; t++) {
            float[] kt = Arrays.copyOfRange(k, (t - 1) * d, t * d);
            float[] vt = Arrays.copyOfRange(v, (t - 1) * dv, t * dv);
            decode.append(kt, vt);
            for (DecodeStep step : perHead) {
                step.append(kt, vt);
            }
            if (!checked.contains(t)) {
                continue;
            }
            float[] qt = Arrays.copyOfRange(q, (t - 1) * heads * d, t * heads * d);
            decode.attend(qt, o, entropy, logSumExp);
            for (int h = 0; h < heads; h++) {
                float e = perHead[h].attend(Arrays.copyOfRange(qt, h * d, (h + 1) * d), oh);
                assertArrayEquals(oh, Arrays.copyOfRange(o, h * dv, (h + 1) * dv), "head " + h + " step " + t);
                assertEquals(e, entropy[h], 0.0, "head " + h + " step " + t);
                assertEquals((float) perHead[h].lastLogSumExp(), logSumExp[h], 0.0, "head " + h + " step " + t);
            }
        }
    }

    @Test
    void headsSharingACacheMustAgreeOnWhatTheCacheDependsOn() {
        List<AttentionSpec> specs = List.of(AttentionSpec.dot().withPositions(Positions.rope(10000)),
                AttentionSpec.dot().withPositions(Positions.rope(500)));
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> MultiHeadDecode.create(specs, 2, 1, 4, 4, 8, 1));
        assertTrue(e.getMessage().contains("shares KV head 0"), e.getMessage());
        // Two KV heads: each head has its own cache, so they may differ.
        MultiHeadDecode ok = MultiHeadDecode.create(specs, 2, 2, 4, 4, 8, 1);
        assertEquals(2, ok.kvHeads());
        e = assertThrows(IllegalArgumentException.class,
                () -> MultiHeadDecode.create(AttentionSpec.dot(), 3, 2, 4, 4, 8, 1));
        assertTrue(e.getMessage().contains("multiple of kvHeads"), e.getMessage());
        MultiHeadDecode empty = MultiHeadDecode.create(AttentionSpec.dot(), 2, 1, 4, 4, 8, 2);
        e = assertThrows(IllegalArgumentException.class,
                () -> empty.attend(new float[8], new float[8], new float[2], new float[2]));
        assertTrue(e.getMessage().contains("empty"), e.getMessage());
    }
}
