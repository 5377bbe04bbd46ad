package org.isentropic.kernels.isentropic;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import org.isentropic.kernels.AttentionKernels;
import org.isentropic.kernels.RandomProblem;
import org.isentropic.kernels.spec.AttentionKernel;
import org.isentropic.kernels.spec.AttentionOutput;
import org.isentropic.kernels.spec.AttentionSpec;
import org.isentropic.kernels.spec.IsentropicTarget;
import org.isentropic.kernels.spec.Mask;
import org.isentropic.kernels.spec.Positions;
import org.isentropic.kernels.spec.TemperatureSolving;
import org.junit.jupiter.api.Test;

/**
 * The entropy curves of {@link TemperatureSolving} (each row's H(lambda) and Var_p(lambda z) from logits computed
 * once): the reference kernel's curve is its own entropy at lambda = 1 and its variance is -dH/d ln lambda; the
 * fused kernel's curves (SIMD and scalar tiles, one and two threads) agree with the reference's. And the
 * isentropic kernel still solves through plain passes over an inner kernel without a logit cache.
 */
class EntropyCurveTest {

    private static final double[] LAMBDAS = {0.4, 1, 2.5, 7};

    /** Per row and lambda: H, Var and the visible count, recorded by a solver that only evaluates. */
    private record Curves(double[] entropy, double[] variance, int[] visible) {

        static Curves of(TemperatureSolving kernel, AttentionSpec spec, RandomProblem p) {
            int n = p.n();
            Curves c = new Curves(new double[n * LAMBDAS.length], new double[n * LAMBDAS.length], new int[n]);
            kernel.solveTemperatures(spec, p.q(), p.k(), n, p.d(), (row, curve) -> {
                c.visible[row] = curve.visible();
                for (int m = 0; m < LAMBDAS.length; m++) {
                    c.entropy[row * LAMBDAS.length + m] = curve.entropy(LAMBDAS[m]);
                    c.variance[row * LAMBDAS.length + m] = curve.variance();
                }
            });
            return c;
        }
    }

    static List<AttentionSpec> specs() {
        List<AttentionSpec> specs = new ArrayList<>();
        for (AttentionSpec base : List.of(AttentionSpec.dot(), AttentionSpec.cosine(12))) {
            for (Positions p : List.of(Positions.none(), Positions.rope(10000), Positions.rerope(10000, 8),
                    Positions.alibi(0.2))) {
                for (Mask m : List.of(Mask.full(), Mask.causal(), Mask.window(20), Mask.lambda(2, 16))) {
                    specs.add(base.withPositions(p).withMask(m));
                }
            }
        }
        return specs;
    }

    @Test
    void theReferenceCurveIsTheReferenceEntropyAndVarianceIsItsSlope() {
        RandomProblem p = RandomProblem.of(90, 16).dv(1).sigma(1.5).draw(81);
        AttentionKernel reference = AttentionKernels.reference();
        for (AttentionSpec spec : specs()) {
            Curves c = Curves.of((TemperatureSolving) reference, spec, p);
            AttentionOutput out = p.run(reference, spec);
            float[] lambda = new float[p.n()];
            for (int i = 0; i < p.n(); i++) {
                assertEquals(spec.mask().visibleCount(i, p.n()), c.visible[i], spec + " row " + i);
                assertEquals(out.entropy()[i], (float) c.entropy[i * LAMBDAS.length + 1], spec + " row " + i);
                lambda[i] = 2.5f;
            }
            // Var = -dH/d ln lambda: a central difference in ln lambda at 2.5 (step 1e-4, error O(1e-8))
            double h = 1e-4;
            double[] up = new double[p.n()];
            double[] down = new double[p.n()];
            ((TemperatureSolving) reference).solveTemperatures(spec, p.q(), p.k(), p.n(), p.d(), (row, curve) -> {
                up[row] = curve.entropy(2.5 * Math.exp(h));
                down[row] = curve.entropy(2.5 * Math.exp(-h));
            });
            for (int i = 0; i < p.n(); i++) {
                double slope = -(up[i] - down[i]) / (2 * h);
                assertEquals(slope, c.variance[i * LAMBDAS.length + 2], 1e-6 * (1 + slope), spec + " row " + i);
            }
        }
    }

    @Test
    void fusedCurvesAgreeWithTheReference() {
        for (int n : new int[] {1, 70, 413}) {
            RandomProblem p = RandomProblem.of(n, 16).dv(1).sigma(1.5).draw(82 + n);
            for (AttentionSpec spec : specs()) {
                Curves expected = Curves.of((TemperatureSolving) AttentionKernels.reference(), spec, p);
                for (var fused : List.of(AttentionKernels.fused(1), AttentionKernels.fused(2),
                        AttentionKernels.fusedScalar(2))) {
                    Curves actual = Curves.of(fused, spec, p);
                    String at = fused.name() + " n=" + n + " " + spec;
                    for (int i = 0; i < n; i++) {
                        assertEquals(expected.visible[i], actual.visible[i], at + " row " + i);
                        for (int m = 0; m < LAMBDAS.length; m++) {
                            int x = i * LAMBDAS.length + m;
                            // float logits (relative error ~1e-6 of |z| <= ~30 at lambda 7) and float sums
                            assertEquals(expected.entropy[x], actual.entropy[x], 1e-4,
                                    at + " row " + i + " H at " + LAMBDAS[m]);
                            assertEquals(expected.variance[x], actual.variance[x], 1e-4 * (1 + expected.variance[x]),
                                    at + " row " + i + " Var at " + LAMBDAS[m]);
                        }
                    }
                }
            }
        }
    }

    @Test
    void anInnerKernelWithoutALogitCacheIsSolvedByPasses() {
        int n = 150;
        RandomProblem p = RandomProblem.of(n, 16).dv(2).sigma(1.5).draw(83);
        AttentionKernel fused = AttentionKernels.fused(1);
        AttentionKernel plainOnly = new AttentionKernel() { // the fused kernel without TemperatureSolving
            @Override
            public void attend(AttentionSpec spec, float[] q, float[] k, float[] v, int rows, int d, int dv,
                    AttentionOutput out) {
                fused.attend(spec, q, k, v, rows, d, dv, out);
            }

            @Override
            public String name() {
                return "plain-" + fused.name();
            }
        };
        for (AttentionSpec spec : IsentropicKernelTest.specs(n)) {
            AttentionOutput byPasses = p.run(AttentionKernels.isentropic(plainOnly), spec);
            assertTrue(IsentropicKernelTest.violations(spec, byPasses).isEmpty(), spec + ": "
                    + IsentropicKernelTest.violations(spec, byPasses));
            AttentionOutput cached = p.run(AttentionKernels.isentropic(fused), spec);
            assertTrue(IsentropicKernelTest.violations(spec, cached).isEmpty(), spec + ": "
                    + IsentropicKernelTest.violations(spec, cached));
            for (int i = 0; i < n; i++) {
                float a = byPasses.isentropic().lambda()[i];
                float b = cached.isentropic().lambda()[i];
                // both within the tolerance of the same target: the same root up to tolerance / Var
                assertEquals(a, b, 0.02 * a + 1e-3, spec + " row " + i);
            }
        }
    }

    @Test
    void windowedRowsStartAtTheGaussianRatioAndNeedFewEvaluations() {
        int n = 600;
        RandomProblem p = RandomProblem.of(n, 32).dv(1).sigma(1).draw(84);
        AttentionSpec spec = AttentionSpec.dot().withPositions(Positions.rope(10000))
                .withIsentropic(IsentropicTarget.window(64));
        AttentionOutput out = p.run(AttentionKernels.isentropic(AttentionKernels.fused(1)), spec);
        assertTrue(IsentropicKernelTest.violations(spec, out).isEmpty());
        double mean = 0;
        for (int it : out.isentropic().iterations()) {
            mean += it / (double) n;
        }
        // the start and Newton's steps: about 3 evaluations a row (the bracketing iteration alone took about 5)
        assertTrue(mean < 3.5 && out.isentropic().passes() <= 5, "mean " + mean + ", most "
                + out.isentropic().passes());
    }
}
