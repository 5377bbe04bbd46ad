package org.isentropic.kernels.decode;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Arrays;
import java.util.List;
import java.util.SplittableRandom;
import org.isentropic.kernels.Agreement;
import org.isentropic.kernels.AttentionKernels;
import org.isentropic.kernels.RandomProblem;
import org.isentropic.kernels.RandomTensors;
import org.isentropic.kernels.fused.FusedKernel;
import org.isentropic.kernels.spec.AttentionOutput;
import org.isentropic.kernels.spec.AttentionSpec;
import org.isentropic.kernels.spec.Mask;
import org.isentropic.kernels.spec.NMode;
import org.isentropic.kernels.spec.Positions;
import org.junit.jupiter.api.Test;

class DecodeStepTest {

    @Test
    void eachStepEqualsTheLastRowOfTheFullComputation() {
        int steps = 40;
        int d = 16;
        int dv = 5;
        RandomProblem problem = RandomProblem.of(steps, d).dv(dv).draw(30);
        float[] q = problem.q();
        float[] k = problem.k();
        float[] v = problem.v();
        float[] temps = new float[steps];
        for (int i = 0; i < steps; i++) {
            temps[i] = 0.7f + 0.05f * i;
        }
        List<AttentionSpec> specs = List.of(
                AttentionSpec.dot().withMask(Mask.causal()).withPositions(Positions.rope(10000)),
                AttentionSpec.dot().withPositions(Positions.yarn(10000, 8)),
                AttentionSpec.cosine(40).withPositions(Positions.ntk(10000, 8)).withRule(n -> Math.log(n + 1), NMode.VISIBLE),
                AttentionSpec.dot().withPositions(Positions.rerope(10000, 6)).withMask(Mask.causal()),
                AttentionSpec.dot().withPositions(Positions.reropeReference(10000, 6)),
                AttentionSpec.dot().withPositions(Positions.alibi(0.2)).withMask(Mask.lambda(2, 5)),
                AttentionSpec.cosine(10).withPositions(Positions.rope(100)).withMask(Mask.lambda(3, 4).andCausal())
                        .withRule(n -> 1 + 0.1 * Math.log(n), NMode.POSITION),
                AttentionSpec.dot().withPositions(Positions.piReference(10000, 8)).withTemperature(temps)
                        .withMask(Mask.streaming(2, 7)),
                // the remaining masks, position schemes and rule lengths
                AttentionSpec.dot().withPositions(Positions.ropeHalf(10000)).withMask(Mask.window(6))
                        .withRule(n -> 0.5 + Math.log(n + 1), NMode.SEQUENCE),
                AttentionSpec.cosine(25).withPositions(Positions.pi(10000, 8)).withMask(Mask.band(9, 2)),
                AttentionSpec.dot().withPositions(Positions.alibi(0.3)).withTemperature(temps),
                AttentionSpec.dot().withPositions(Positions.alibi(0.1)).withMask(Mask.causal()),
                AttentionSpec.cosine(15).withMask(Mask.prefix(11)),
                AttentionSpec.dot().withPositions(Positions.yarn(10000, 8)).withMask(Mask.lambda(4, 9).andCausal()),
                AttentionSpec.dot().withPositions(Positions.rerope(10000, 5)).withMask(Mask.streaming(3, 12).andCausal()));
        for (boolean simd : new boolean[] {true, false}) {
            for (AttentionSpec spec : specs) {
                DecodeStep step = DecodeStep.create(spec, d, dv, steps, 1, simd);
                float[] o = new float[dv];
                for (int t = 1; t <= steps; t++) {
                    step.append(Arrays.copyOfRange(k, (t - 1) * d, t * d), Arrays.copyOfRange(v, (t - 1) * dv, t * dv));
                    float h = step.attend(Arrays.copyOfRange(q, (t - 1) * d, t * d), o);
                    AttentionSpec full = spec.temperatures() == null ? spec
                            : spec.withTemperature(Arrays.copyOf(temps, t));
                    DecodeChecks.lastRow((simd ? "simd " : "scalar ") + spec + " step " + t, full, q, k, v, t, d, dv,
                            o, 0, h, step.lastLogSumExp());
                }
            }
        }
    }

    @Test
    void fullyMaskedRowGivesZeroOutputZeroEntropyAndMinusInfinity() {
        int n = DecodeStep.SPLIT_KEYS + 70; // two splits, both empty
        int d = 16;
        SplittableRandom r = RandomTensors.rng(32);
        float[] k = RandomTensors.normal(r, n * d, 1);
        float[] v = RandomTensors.normal(r, n * d, 1);
        float[] q = RandomTensors.normal(r, d, 1);
        for (boolean simd : new boolean[] {true, false}) {
            for (int threads : new int[] {1, 2}) {
                DecodeStep step = DecodeStep.create(AttentionSpec.dot().withMask(Mask.prefix(0)), d, d, n, threads, simd);
                for (int j = 0; j < n; j++) {
                    step.append(k, j * d, v, j * d);
                }
                float[] o = new float[d];
                Arrays.fill(o, 7f);
                assertEquals(0f, step.attend(q, o));
                assertArrayEquals(new float[d], o);
                assertEquals(Double.NEGATIVE_INFINITY, step.lastLogSumExp());
            }
        }
    }

    @Test
    void matchesTheFusedKernelsLastRow() {
        int n = 300;
        int d = 64;
        RandomProblem problem = RandomProblem.of(n, d).draw(31);
        AttentionSpec spec = AttentionSpec.cosine(64).withMask(Mask.causal()).withPositions(Positions.rope(10000));
        DecodeStep step = DecodeStep.create(spec, d, d, n);
        DecodeChecks.appendAll(step, problem);
        float[] o = new float[d];
        float h = step.attend(problem.qRow(n - 1), o);
        AttentionOutput fused = problem.run(AttentionKernels.fused(1), spec);
        DecodeChecks.lastRow("decode", spec, problem, o, h, step.lastLogSumExp());
        AttentionOutput ref = problem.run(AttentionKernels.reference(), spec);
        // And the fused kernel agrees with the reference within its float tolerance (so with the decode step).
        Agreement.check("fused", spec, problem, ref, fused, FusedKernel.Config.defaults(1).blockKeys());
    }

    @Test
    void badUseIsRejected() {
        DecodeStep step = DecodeStep.create(AttentionSpec.dot(), 2, 2, 1);
        assertThrows(IllegalArgumentException.class, () -> step.attend(new float[2], new float[2]));
        step.append(new float[] {1, 2}, new float[] {3, 4});
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> step.append(new float[] {1, 2}, new float[] {3, 4}));
        assertTrue(e.getMessage().contains("capacity"), e.getMessage());
        e = assertThrows(IllegalArgumentException.class, () -> step.attend(new float[] {Float.NaN, 0}, new float[2]));
        assertTrue(e.getMessage().contains("q[0]"), e.getMessage());
        assertThrows(IllegalArgumentException.class,
                () -> DecodeStep.create(AttentionSpec.dot().withPositions(Positions.rope(10000)), 3, 2, 4));
        // One token: attends to itself only.
        float[] o = new float[2];
        assertEquals(0f, step.attend(new float[] {0.5f, 0.5f}, o));
        assertEquals(3f, o[0]);
        assertEquals(4f, o[1]);
    }
}
