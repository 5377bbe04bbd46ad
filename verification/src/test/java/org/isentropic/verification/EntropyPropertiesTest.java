package org.isentropic.verification;

import static org.junit.jupiter.api.Assertions.assertTrue;

import org.apache.commons.rng.UniformRandomProvider;
import org.apache.commons.rng.simple.RandomSource;
import org.isentropic.kernels.spec.AttentionKernel;
import org.isentropic.kernels.spec.AttentionOutput;
import org.isentropic.theory.entropy.Entropy;
import org.isentropic.verification.bridge.AttentionInputs;
import org.isentropic.verification.generators.AttentionCase;
import org.isentropic.verification.generators.AttentionInputGenerators;
import org.junit.jupiter.api.Test;
import org.quicktheories.core.Gen;
import org.quicktheories.generators.SourceDSL;

/** Property group 3: row entropy, on the theory's formula and on every kernel's output. */
class EntropyPropertiesTest {

    static UniformRandomProvider rng(long seed) {
        return RandomSource.XO_RO_SHI_RO_128_PP.create(seed);
    }

    static int visible(AttentionCase c, int i) {
        int count = 0;
        for (int j = 0; j < c.inputs().n(); j++) {
            if (c.reference().visible(i, j)) {
                count++;
            }
        }
        return count;
    }

    /** 0 &lt;= H &lt;= ln(visible keys) on every row of every kernel, random specs and inputs. */
    @Test
    void entropyBetweenZeroAndLogVisible() {
        Gen<AttentionCase> cases = AttentionInputGenerators.gaussian(48, 32).zip(AttentionInputGenerators.seeds(),
                (in, s) -> AttentionCase.random(in, rng(s)));
        for (AttentionKernel kernel : KernelsUnderTest.all()) {
            Theories.check("entropy: 0 <= H <= ln(visible) [" + kernel.name() + "]", 60, 1000, cases, c -> {
                AttentionOutput out = KernelAgreement.run(kernel, c, false);
                KernelAgreement.Bounds b = KernelAgreement.bounds(c);
                for (int i = 0; i < c.inputs().n(); i++) {
                    double h = out.entropy()[i];
                    double max = Math.log(visible(c, i));
                    assertTrue(h >= -b.entropy()[i] && h <= max + b.entropy()[i],
                            "row " + i + ": H = " + h + " outside [0, ln visible = " + max + "] +- "
                                    + b.entropy()[i] + "; case: " + c);
                }
            });
        }
    }

    /** Adversarial inputs (near-ties, huge norms, a dominant key, n = 1, awkward n): finite, in range. */
    @Test
    void adversarialInputsGiveFiniteEntropyInRange() {
        Gen<AttentionCase> cases = AttentionInputGenerators.adversarial(32).zip(AttentionInputGenerators.seeds(),
                (in, s) -> AttentionCase.random(in, rng(s)));
        for (AttentionKernel kernel : KernelsUnderTest.all()) {
            Theories.check("entropy: adversarial inputs finite, 0 <= H <= ln(visible), sum p = 1 ["
                    + kernel.name() + "]", 60, 1000, cases, c -> {
                        AttentionOutput out = KernelAgreement.run(kernel, c, true);
                        int n = c.inputs().n();
                        for (int i = 0; i < n; i++) {
                            double h = out.entropy()[i];
                            double sum = 0;
                            for (int j = 0; j < n; j++) {
                                sum += out.probs()[i * n + j];
                            }
                            double tol = Tolerances.gamma(n + 8L) * 4;
                            assertTrue(Float.isFinite(out.entropy()[i]) && Float.isFinite(out.logSumExp()[i]),
                                    "row " + i + " not finite; case: " + c);
                            for (int col = 0; col < c.inputs().dv(); col++) {
                                assertTrue(Float.isFinite(out.o()[i * c.inputs().dv() + col]),
                                        "o not finite at row " + i + "; case: " + c);
                            }
                            assertTrue(h >= 0 && h <= Math.log(visible(c, i)) + 4 * tol,
                                    "row " + i + ": H = " + h + "; case: " + c);
                            assertTrue(Math.abs(sum - 1) <= tol, "row " + i + ": sum p = " + sum + "; case: " + c);
                        }
                    });
        }
    }

    /**
     * Shift invariance of the project's formula: {@code H(z + c) = H(z)}. Both evaluate
     * {@code ln l - u / l} on {@code z_j - max z}; forming {@code (z_j + c) - (max + c)} in double moves each
     * centred logit by at most {@code 2 u (|c| + max|z|)} (two roundings), which moves H by at most
     * {@code 2 range} times that, plus the sums' own {@code gamma(n)} relative error on both sides.
     */
    @Test
    void entropyInvariantToAddingAConstant() {
        Gen<long[]> gen = SourceDSL.integers().between(1, 300).zip(SourceDSL.longs().all(),
                (n, s) -> new long[] {n, s}).describedAs(java.util.Arrays::toString);
        Theories.check("entropy: H(z + c) = H(z) (theory formula)", 300, 20_000, gen, x -> {
            int n = (int) x[0];
            UniformRandomProvider r = rng(x[1]);
            double scale = Math.pow(10, -2 + 4 * r.nextDouble());
            double c = (r.nextDouble() * 2 - 1) * Math.pow(10, 3 * r.nextDouble());
            double[] z = new double[n];
            double[] zc = new double[n];
            double maxAbs = 0;
            for (int j = 0; j < n; j++) {
                z[j] = scale * (2 * r.nextDouble() - 1);
                zc[j] = z[j] + c;
                maxAbs = Math.max(maxAbs, Math.abs(z[j]));
            }
            double u = Tolerances.DOUBLE_UNIT_ROUNDOFF;
            double shift = 2 * u * (Math.abs(c) + maxAbs);
            double tol = 2 * (2 * maxAbs) * shift + 4 * n * u * (1 + 4 * maxAbs);
            double h = Entropy.ofLogits(z, n);
            double hc = Entropy.ofLogits(zc, n);
            assertTrue(Math.abs(h - hc) <= tol, "H(z) = " + h + ", H(z + " + c + ") = " + hc + ", tol " + tol);
        });
    }

    /**
     * Shift invariance on the kernels: appending a coordinate {@code a_i} to query i and 1 to every key adds
     * {@code f_i a_i / sqrt(d + 1)} to every logit of row i (dot logits, no positions); entropy and output
     * must not change, and logsumexp must move by exactly that shift.
     */
    @Test
    void kernelEntropyInvariantToAddingAConstantToARow() {
        Gen<long[]> gen = SourceDSL.integers().between(1, 40).zip(SourceDSL.integers().between(1, 16),
                SourceDSL.longs().all(), (n, d, s) -> new long[] {n, d, s}).describedAs(java.util.Arrays::toString);
        for (AttentionKernel kernel : KernelsUnderTest.all()) {
            Theories.check("entropy: kernel H invariant to a constant added to a row [" + kernel.name() + "]",
                    60, 1000, gen, x -> {
                        int n = (int) x[0];
                        int d = (int) x[1];
                        UniformRandomProvider r = rng(x[2]);
                        AttentionInputs base = AttentionInputs.gaussian(n, d, 2, 1.0, r.nextLong());
                        float[] qShift = new float[n * (d + 1)];
                        float[] qZero = new float[n * (d + 1)];
                        float[] k1 = new float[n * (d + 1)];
                        for (int i = 0; i < n; i++) {
                            float a = (float) (8 * (2 * r.nextDouble() - 1));
                            for (int c = 0; c < d; c++) {
                                qShift[i * (d + 1) + c] = base.q()[i * d + c];
                                qZero[i * (d + 1) + c] = base.q()[i * d + c];
                                k1[i * (d + 1) + c] = base.k()[i * d + c];
                            }
                            qShift[i * (d + 1) + d] = a;
                            k1[i * (d + 1) + d] = 1f;
                        }
                        AttentionInputs shifted = new AttentionInputs("shifted", n, d + 1, 2, qShift, k1, base.v());
                        AttentionInputs plain = new AttentionInputs("plain", n, d + 1, 2, qZero, k1, base.v());
                        long specSeed = r.nextLong();
                        AttentionCase cs = AttentionCase.random(shifted, rng(specSeed), false, false, false);
                        AttentionCase cp = AttentionCase.random(plain, rng(specSeed), false, false, false);
                        AttentionOutput os = KernelAgreement.run(kernel, cs, true);
                        AttentionOutput op = KernelAgreement.run(kernel, cp, true);
                        KernelAgreement.Bounds bs = KernelAgreement.bounds(cs);
                        KernelAgreement.Bounds bp = KernelAgreement.bounds(cp);
                        for (int i = 0; i < n; i++) {
                            String who = "kernel " + kernel.name() + " shifted vs plain row";
                            KernelAgreement.compare(who, cs, i, "entropy", os.entropy()[i], op.entropy()[i],
                                    bs.entropy()[i] + bp.entropy()[i]);
                            for (int col = 0; col < 2; col++) {
                                KernelAgreement.compare(who, cs, i, "o[" + col + "]", os.o()[i * 2 + col],
                                        op.o()[i * 2 + col], bs.output()[i] + bp.output()[i]);
                            }
                            double expectedShift = cs.spec().rowFactor(i, n) * qShift[i * (d + 1) + d]
                                    / Math.sqrt(d + 1);
                            KernelAgreement.compare(who, cs, i, "logSumExp - shift",
                                    os.logSumExp()[i] - expectedShift, op.logSumExp()[i],
                                    bs.logSumExp()[i] + bp.logSumExp()[i]
                                            + 2 * Tolerances.FLOAT_UNIT_ROUNDOFF * Math.abs(os.logSumExp()[i]));
                        }
                    });
        }
    }

    /** A uniform row (zero queries: every logit 0) has H = ln(visible keys), any mask, rule or RoPE. */
    @Test
    void uniformRowHasEntropyLogN() {
        Gen<AttentionCase> cases = AttentionInputGenerators.gaussian(64, 32).zip(AttentionInputGenerators.seeds(),
                (in, s) -> {
                    AttentionInputs zero = new AttentionInputs("zero queries", in.n(), in.d(), in.dv(),
                            new float[in.n() * in.d()], in.k(), in.v());
                    return AttentionCase.random(zero, rng(s), true, true, false);
                });
        for (AttentionKernel kernel : KernelsUnderTest.all()) {
            Theories.check("entropy: uniform row has H = ln(visible) [" + kernel.name() + "]", 60, 1000, cases, c -> {
                AttentionOutput out = KernelAgreement.run(kernel, c, false);
                KernelAgreement.Bounds b = KernelAgreement.bounds(c);
                for (int i = 0; i < c.inputs().n(); i++) {
                    KernelAgreement.compare("kernel " + kernel.name(), c, i, "entropy of a uniform row",
                            out.entropy()[i], Math.log(visible(c, i)), b.entropy()[i]);
                }
            });
        }
    }

    /**
     * The kernel's entropy equals {@code -sum p ln p} of the probabilities it returns. Each returned p_j
     * carries a relative error of at most {@code e = 2 (dz + e_exp) + gamma(n)} (as in
     * {@link KernelAgreement#bounds}), which moves {@code -sum p ln p} by at most {@code e (H + 1)}.
     */
    @Test
    void kernelEntropyEqualsEntropyOfItsProbabilities() {
        Gen<AttentionCase> cases = AttentionInputGenerators.gaussian(48, 32).zip(AttentionInputGenerators.seeds(),
                (in, s) -> AttentionCase.random(in, rng(s)));
        for (AttentionKernel kernel : KernelsUnderTest.all()) {
            Theories.check("entropy: kernel H = -sum p ln p of its probabilities [" + kernel.name() + "]", 60, 1000,
                    cases, c -> {
                        AttentionOutput out = KernelAgreement.run(kernel, c, true);
                        KernelAgreement.Bounds b = KernelAgreement.bounds(c);
                        int n = c.inputs().n();
                        for (int i = 0; i < n; i++) {
                            double h = 0;
                            for (int j = 0; j < n; j++) {
                                double p = out.probs()[i * n + j];
                                if (p > 0) {
                                    h -= p * Math.log(p);
                                }
                            }
                            double tol = b.prob()[i] * (h + 1) * 2 + b.entropy()[i];
                            KernelAgreement.compare("kernel " + kernel.name(), c, i, "entropy vs -sum p ln p",
                                    out.entropy()[i], h, tol);
                        }
                    });
        }
    }
}
