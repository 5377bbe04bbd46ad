package org.isentropic.verification;

import static org.junit.jupiter.api.Assertions.assertTrue;

import org.apache.commons.rng.UniformRandomProvider;
import org.apache.commons.rng.simple.RandomSource;
import org.isentropic.kernels.AttentionKernels;
import org.isentropic.kernels.spec.AttentionKernel;
import org.isentropic.kernels.spec.AttentionOutput;
import org.isentropic.kernels.spec.AttentionSpec;
import org.isentropic.kernels.spec.Mask;
import org.isentropic.kernels.spec.Positions;
import org.isentropic.theory.cosscale.CosScaleAnalysis;
import org.isentropic.verification.bridge.AttentionInputs;
import org.isentropic.verification.generators.AttentionCase;
import org.isentropic.verification.generators.AttentionInputGenerators;
import org.isentropic.verification.reference.EjmlAttention;
import org.junit.jupiter.api.Test;
import org.quicktheories.core.Gen;
import org.quicktheories.generators.SourceDSL;

/** Property group 5: CosScale (paper section 3) on the kernels' cosine attention. */
class CosScalePropertiesTest {
    static final double[] SCALES = {1, 4, 16, 64, 256};

    static UniformRandomProvider rng(long seed) {
        return RandomSource.XO_RO_SHI_RO_128_PP.create(seed);
    }

    /** Cosine cases: random inputs, scale, RoPE or not, full or causal, no temperature (s is the scale). */
    static Gen<AttentionCase> cosineCases() {
        return AttentionInputGenerators.gaussian(64, 32).zip(AttentionInputGenerators.seeds(), (in, seed) -> {
            UniformRandomProvider r = rng(seed);
            double s = SCALES[r.nextInt(SCALES.length)];
            boolean rope = r.nextBoolean();
            boolean causal = r.nextBoolean();
            AttentionSpec spec = AttentionSpec.cosine(s).withMask(causal ? Mask.causal() : Mask.full());
            EjmlAttention.Config ref = EjmlAttention.Config.cosine(s).withMask(EjmlAttention.Mask.FULL, 0, 0, causal);
            if (rope) {
                spec = spec.withPositions(Positions.rope(10000));
                ref = ref.withRope(EjmlAttention.Rope.INTERLEAVED, 10000);
            }
            return new AttentionCase("cosine(s=" + s + ")" + (rope ? ", rope" : "") + (causal ? ", causal" : ""), in,
                    spec, ref, rope ? in.n() - 1 : 0);
        });
    }

    /**
     * The concentration bound (paper section 3; {@link CosScaleAnalysis#concentrationBound}): with c* the
     * row's largest cosine, the keys with {@code cos <= c* - delta} hold at most
     * {@code (visible - 1) e^(-s delta)} of the mass. Cosines from the EJML reference (double); the mass
     * from the kernel's probabilities, each within its float bound.
     */
    static void concentrationBoundHolds(String property, AttentionKernel kernel) {
        Theories.check(property, 60, 1000, cosineCases(), c -> {
            AttentionInputs in = c.inputs();
            int n = in.n();
            AttentionOutput out = KernelAgreement.run(kernel, c, true);
            EjmlAttention.Result ref = EjmlAttention.attend(c.reference(), in.q(), in.k(), in.v(), n, in.d(), in.dv());
            KernelAgreement.Bounds b = KernelAgreement.bounds(c);
            double s = c.reference().scale();
            for (int i = 0; i < n; i++) {
                double max = Double.NEGATIVE_INFINITY;
                int visible = 0;
                for (int j = 0; j < n; j++) {
                    if (c.reference().visible(i, j)) {
                        max = Math.max(max, ref.logits()[i * n + j] / s);
                        visible++;
                    }
                }
                for (double delta : new double[] {0.02, 0.1, 0.3}) {
                    double outside = 0;
                    int count = 0;
                    for (int j = 0; j < n; j++) {
                        if (c.reference().visible(i, j) && ref.logits()[i * n + j] / s <= max - delta) {
                            outside += out.probs()[i * n + j];
                            count++;
                        }
                    }
                    double bound = CosScaleAnalysis.concentrationBound(visible, s, delta);
                    assertTrue(outside <= bound + count * b.prob()[i],
                            "row " + i + ", delta " + delta + ": mass " + outside + " on " + count
                                    + " keys below c* - delta exceeds the bound " + bound + "; case: " + c);
                }
            }
        });
    }

    /**
     * Entropy decreases in s on every row: {@code dH/ds = -s Var_p(cos) <= 0}, so for the same inputs
     * {@code H(s') <= H(s)} whenever {@code s' > s}, up to the two runs' float bounds.
     */
    static void entropyDecreasesInScale(String property, AttentionKernel kernel) {
        Theories.check(property, 40, 800, cosineCases(), c -> {
            AttentionInputs in = c.inputs();
            int n = in.n();
            float[] previous = null;
            double[] previousTol = null;
            double previousS = 0;
            for (double s : SCALES) {
                AttentionSpec spec = AttentionSpec.cosine(s).withMask(c.spec().mask()).withPositions(c.spec().positions());
                AttentionCase cs = new AttentionCase(c.description() + " at s=" + s, in, spec,
                        new EjmlAttention.Config(EjmlAttention.Kind.COSINE, s, c.reference().rope(), 10000, 0,
                                EjmlAttention.Mask.FULL, 0, 0, c.reference().causal(), null,
                                EjmlAttention.RowLength.SEQUENCE, null), c.maxPosition());
                AttentionOutput out = KernelAgreement.run(kernel, cs, false);
                double[] tol = KernelAgreement.bounds(cs).entropy();
                if (previous != null) {
                    for (int i = 0; i < n; i++) {
                        assertTrue(out.entropy()[i] <= previous[i] + tol[i] + previousTol[i],
                                "row " + i + ": H(s=" + s + ") = " + out.entropy()[i] + " > H(s=" + previousS + ") = "
                                        + previous[i] + "; case: " + c);
                    }
                }
                previous = out.entropy().clone();
                previousTol = tol;
                previousS = s;
            }
        });
    }

    /**
     * Under RoPE with content similar between neighbours ({@link AttentionInputs#neighbourCorrelated},
     * rho = 0.95), cosine attention approaches windowed attention as s grows: the total-variation distance
     * between a row and its restriction to {@code |i - j| <= w} (= the mass outside the window), averaged
     * over rows, decreases strictly along s = 1, 4, 16, 64, 256.
     */
    static void distanceToWindowedDecreasesInScale(String property, AttentionKernel kernel) {
        Gen<long[]> gen = SourceDSL.integers().between(48, 128).zip(AttentionInputGenerators.evenDimensions(32)
                .assuming(d -> d >= 8), AttentionInputGenerators.seeds(), (n, d, seed) -> new long[] {n, d, seed})
                .describedAs(java.util.Arrays::toString);
        int w = 4;
        Theories.check(property, 15, 300, gen, x -> {
            int n = (int) x[0];
            int d = (int) x[1];
            AttentionInputs in = AttentionInputs.neighbourCorrelated(n, d, 1, 0.95, x[2]);
            double previous = Double.POSITIVE_INFINITY;
            StringBuilder trace = new StringBuilder();
            for (double s : SCALES) {
                AttentionSpec spec = AttentionSpec.cosine(s).withPositions(Positions.rope(10000));
                AttentionOutput out = AttentionOutput.allocate(n, 1, true);
                kernel.attend(spec, in.q(), in.k(), in.v(), n, d, 1, out);
                double tv = 0;
                for (int i = 0; i < n; i++) {
                    double inside = 0;
                    for (int j = Math.max(0, i - w); j <= Math.min(n - 1, i + w); j++) {
                        inside += out.probs()[i * n + j];
                    }
                    tv += Math.max(0, 1 - inside);
                }
                tv /= n;
                trace.append(String.format(" s=%g: %.5f", s, tv));
                assertTrue(tv < previous, "mean TV distance to windowed attention (w=" + w + ") did not decrease:"
                        + trace + "; " + in);
                previous = tv;
            }
        });
    }

    @Test
    void concentrationBound() {
        for (AttentionKernel k : KernelsUnderTest.all()) {
            concentrationBoundHolds("cosscale: concentration bound on every row [" + k.name() + "]", k);
        }
    }

    @Test
    void entropyDecreasesInS() {
        for (AttentionKernel k : KernelsUnderTest.all()) {
            entropyDecreasesInScale("cosscale: entropy decreases in s [" + k.name() + "]", k);
        }
    }

    @Test
    void windowedInTheLimit() {
        distanceToWindowedDecreasesInScale("cosscale: TV to windowed attention decreases in s under RoPE",
                AttentionKernels.fused(1));
    }

    @Test
    void cosScalePropertiesHaveTeeth() {
        Teeth.mustDetect("entropy decreasing in s vs a kernel that inverts s",
                name -> entropyDecreasesInScale(name, WrongKernels.invertsCosineScale()));
        Teeth.mustDetect("TV to windowed decreasing in s vs a kernel that inverts s",
                name -> distanceToWindowedDecreasesInScale(name, WrongKernels.invertsCosineScale()));
    }
}
