package org.isentropic.kernels.isentropic;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import org.isentropic.kernels.AttentionKernels;
import org.isentropic.kernels.RandomProblem;
import org.isentropic.kernels.RandomTensors;
import org.isentropic.kernels.decode.DecodeStep;
import org.isentropic.kernels.decode.MultiHeadDecode;
import org.isentropic.kernels.spec.AttentionKernel;
import org.isentropic.kernels.spec.AttentionOutput;
import org.isentropic.kernels.spec.AttentionSpec;
import org.isentropic.kernels.spec.IsentropicRows;
import org.isentropic.kernels.spec.IsentropicTarget;
import org.isentropic.kernels.spec.Mask;
import org.isentropic.kernels.spec.NMode;
import org.isentropic.kernels.spec.Positions;
import org.junit.jupiter.api.Test;

/** Exactly isentropic attention: every row reaches its target entropy within the tolerance, or says why not. */
class IsentropicKernelTest {

    private static final int N = 16;

    /** Rows not clamped and not unconverged are within the tolerance; clamped rows sit at a bound. */
    static List<String> violations(AttentionSpec spec, AttentionOutput out) {
        IsentropicTarget t = spec.isentropic();
        IsentropicRows r = out.isentropic();
        List<String> bad = new ArrayList<>();
        int outside = 0;
        for (int i = 0; i < out.n(); i++) {
            double miss = Math.abs(out.entropy()[i] - r.target()[i]);
            if (miss > t.tolerance()) {
                outside++;
                float l = r.lambda()[i];
                boolean atBound = l == (float) t.lambdaMin() || l == (float) t.lambdaMax()
                        || l == 1f && spec.mask().visibleCount(i, out.n()) <= 1;
                if (!atBound) {
                    bad.add("row " + i + ": H " + out.entropy()[i] + " vs target " + r.target()[i] + " at lambda " + l);
                }
            }
        }
        if (outside != r.clamped() + r.unconverged()) {
            bad.add(outside + " rows outside the tolerance but " + r.clamped() + " clamped + " + r.unconverged()
                    + " unconverged reported");
        }
        if (r.unconverged() > 0) {
            bad.add(r.unconverged() + " rows unconverged");
        }
        return bad;
    }

    static List<AttentionSpec> specs(int n) {
        List<AttentionSpec> specs = new ArrayList<>();
        for (AttentionSpec base : List.of(AttentionSpec.dot(), AttentionSpec.cosine(12))) {
            for (Positions p : List.of(Positions.none(), Positions.rope(10000), Positions.rerope(10000, 8),
                    Positions.alibi(0.2))) {
                specs.add(base.withPositions(p).withIsentropic(IsentropicTarget.window(N)));
                specs.add(base.withPositions(p).withMask(Mask.causal()).withIsentropic(IsentropicTarget.causalWindow(N)));
                specs.add(base.withPositions(p).withMask(Mask.lambda(2, N)).withIsentropic(IsentropicTarget.window(N)));
                specs.add(base.withPositions(p).withMask(Mask.window(N)).withIsentropic(IsentropicTarget.value(1.5)));
            }
        }
        return specs;
    }

    @Test
    void everyRowReachesItsTargetOrIsClamped() {
        SplittableRandom r = RandomTensors.rng(71);
        for (AttentionKernel inner : List.of(AttentionKernels.reference(), AttentionKernels.fused(1),
                AttentionKernels.fusedScalar(2))) {
            AttentionKernel k = AttentionKernels.isentropic(inner);
            for (int n : new int[] {1, 5, 16, 70, 200}) {
                RandomProblem problem = RandomProblem.of(n, 16).dv(3).sigma(2).draw(r); // one generator throughout
                for (AttentionSpec spec : specs(n)) {
                    AttentionOutput out = problem.run(k, spec);
                    List<String> bad = violations(spec, out);
                    assertTrue(bad.isEmpty(), inner.name() + " n=" + n + " " + spec + ": " + bad);
                }
            }
        }
    }

    @Test
    void outputIsThePlainKernelAtTheSolvedTemperatures() {
        int n = 120;
        RandomProblem problem = RandomProblem.of(n, 16).dv(4).sigma(1.5).draw(72);
        AttentionSpec spec = AttentionSpec.dot().withPositions(Positions.rope(10000)).withIsentropic(IsentropicTarget.window(N));
        AttentionOutput out = problem.run(AttentionKernels.isentropic(AttentionKernels.fused(1)), spec);
        AttentionSpec solved = AttentionSpec.dot().withPositions(Positions.rope(10000))
                .withTemperature(out.isentropic().lambda());
        AttentionOutput plain = problem.run(AttentionKernels.fused(1), solved);
        assertArrayEquals(plain.o(), out.o());
        assertArrayEquals(plain.entropy(), out.entropy());
        // longer than N: the rows need a temperature above 1 to hold their length-N entropy
        double mean = 0;
        for (float l : out.isentropic().lambda()) {
            mean += l / n;
        }
        assertTrue(mean > 1, "mean lambda " + mean);
    }

    @Test
    void atTheTrainingLengthTheCausalReferenceIsTheWholeRowAndLambdaIsOne() {
        RandomProblem problem = RandomProblem.of(N, 16).dv(2).sigma(2).draw(73);
        AttentionSpec spec = AttentionSpec.dot().withPositions(Positions.rope(10000)).withMask(Mask.causal())
                .withIsentropic(IsentropicTarget.causalWindow(N));
        AttentionOutput out = problem.run(AttentionKernels.isentropic(AttentionKernels.fused(2)), spec);
        for (int i = 0; i < N; i++) {
            assertEquals(1f, out.isentropic().lambda()[i], "row " + i);
            assertEquals(1, out.isentropic().iterations()[i], "row " + i);
        }
    }

    @Test
    void oneAndTwoThreadsGiveIdenticalResults() {
        RandomProblem problem = RandomProblem.of(300, 32).dv(8).draw(74);
        AttentionSpec spec = AttentionSpec.cosine(20).withPositions(Positions.rope(10000))
                .withIsentropic(IsentropicTarget.window(64));
        AttentionOutput one = problem.run(AttentionKernels.isentropic(AttentionKernels.fused(1)), spec);
        AttentionOutput two = problem.run(AttentionKernels.isentropic(AttentionKernels.fused(2)), spec);
        assertArrayEquals(one.isentropic().lambda(), two.isentropic().lambda());
        assertArrayEquals(one.o(), two.o());
        assertArrayEquals(one.entropy(), two.entropy());
    }

    @Test
    void unreachableTargetsAreClampedAndCounted() {
        int n = 40;
        RandomProblem problem = RandomProblem.of(n, 8).dv(1).draw(75);
        // ln 40 = 3.69 is the most entropy 40 keys can have: a target of 5 nats is out of reach
        AttentionSpec spec = AttentionSpec.dot().withIsentropic(IsentropicTarget.value(5).withBounds(0.5, 2));
        AttentionOutput out = problem.run(AttentionKernels.isentropic(AttentionKernels.reference()), spec);
        assertEquals(n, out.isentropic().clamped());
        for (float l : out.isentropic().lambda()) {
            assertEquals(0.5f, l);
        }
        assertTrue(violations(spec, out).isEmpty());
    }

    @Test
    void aSolverStoppedTooEarlyIsCaught() {
        RandomProblem problem = RandomProblem.of(200, 16).dv(1).sigma(2).draw(76);
        AttentionSpec full = AttentionSpec.dot().withPositions(Positions.rope(10000))
                .withIsentropic(IsentropicTarget.window(N));
        AttentionOutput out = problem.run(AttentionKernels.isentropic(AttentionKernels.fused(1)), full);
        int passes = out.isentropic().passes();
        assertTrue(passes >= 2 && passes <= 12, "passes " + passes);
        AttentionSpec short1 = AttentionSpec.dot().withPositions(Positions.rope(10000))
                .withIsentropic(IsentropicTarget.window(N).withMaxIterations(passes - 1));
        problem.attend(AttentionKernels.isentropic(AttentionKernels.fused(1)), short1, out);
        assertTrue(out.isentropic().unconverged() > 0);
        assertTrue(!violations(short1, out).isEmpty(), "the check must flag a solver one pass short");
    }

    @Test
    void aTargetReplacesEveryOtherTemperatureAndPlainKernelsRefuseIt() {
        AttentionSpec spec = AttentionSpec.dot().withIsentropic(IsentropicTarget.value(1));
        assertThrows(IllegalArgumentException.class, () -> spec.withTemperature(new float[] {1f}));
        assertThrows(IllegalArgumentException.class, () -> AttentionSpec.dot().withRule(n -> 2, NMode.SEQUENCE)
                .withIsentropic(IsentropicTarget.value(1)));
        AttentionOutput out = AttentionOutput.allocate(1, 1, false);
        assertThrows(IllegalArgumentException.class, () -> AttentionKernels.fused(1).attend(spec, new float[2],
                new float[2], new float[1], 1, 2, 1, out));
        assertThrows(IllegalArgumentException.class, () -> IsentropicTarget.value(-1));
        assertThrows(IllegalArgumentException.class, () -> IsentropicTarget.window(0));
        assertThrows(IllegalArgumentException.class, () -> IsentropicTarget.window(8).withBounds(2, 1));
    }

    @Test
    void decodeSolvesTheNewestRowLikeTheFullKernelsCausalRow() {
        int n = 150;
        int d = 16;
        RandomProblem problem = RandomProblem.of(n, d).dv(2).sigma(1.5).draw(77);
        AttentionSpec spec = AttentionSpec.dot().withPositions(Positions.rope(10000)).withMask(Mask.causal())
                .withIsentropic(IsentropicTarget.causalWindow(N));
        AttentionOutput full = problem.run(AttentionKernels.isentropic(AttentionKernels.reference()), spec);
        for (int threads : new int[] {1, 2}) {
            DecodeStep step = DecodeStep.create(spec, d, 2, n, threads);
            float[] o = new float[2];
            for (int i = 0; i < n; i++) {
                step.append(problem.k(), i * d, problem.v(), i * 2);
                float h = step.attend(problem.qRow(i), o);
                IsentropicRows rows = step.lastIsentropic();
                // the same target (the last N keys) and the same tolerance as the full causal row i
                assertEquals(full.isentropic().target()[i], rows.target()[0], 1e-4, "row " + i);
                if (rows.clamped() == 0) {
                    assertEquals(rows.target()[0], h, IsentropicTarget.DEFAULT_TOLERANCE, "row " + i);
                }
                assertEquals(full.isentropic().lambda()[i], rows.lambda()[0], 0.02 * full.isentropic().lambda()[i],
                        "row " + i);
            }
        }
        assertThrows(IllegalArgumentException.class, () -> MultiHeadDecode.create(spec, 2, 1, d, 2, n, 1));
    }

    @Test
    void referenceBandsHoldNKeys() {
        assertEquals(Mask.band(8, 7), IsentropicTarget.window(16).referenceMask());
        assertEquals(Mask.band(15, 0), IsentropicTarget.causalWindow(16).referenceMask());
        Mask b = IsentropicTarget.window(16).referenceMask();
        assertEquals(16, b.visibleCount(50, 100));
        assertEquals(8, b.visibleCount(0, 100)); // clipped at the start: keys 0..7
        assertEquals(9, b.visibleCount(99, 100)); // clipped at the end: keys 91..99
    }
}
