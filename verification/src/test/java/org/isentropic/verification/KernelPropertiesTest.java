package org.isentropic.verification;

import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.function.Consumer;
import org.apache.commons.rng.UniformRandomProvider;
import org.apache.commons.rng.simple.RandomSource;
import org.isentropic.kernels.AttentionKernels;
import org.isentropic.kernels.fused.FusedKernel;
import org.isentropic.kernels.spec.AttentionKernel;
import org.isentropic.kernels.spec.AttentionOutput;
import org.isentropic.kernels.spec.AttentionSpec;
import org.isentropic.kernels.spec.Mask;
import org.isentropic.kernels.spec.NMode;
import org.isentropic.kernels.spec.Positions;
import org.isentropic.theory.rules.TemperatureRule;
import org.isentropic.verification.bridge.AttentionInputs;
import org.isentropic.verification.generators.AttentionCase;
import org.isentropic.verification.generators.AttentionInputGenerators;
import org.isentropic.verification.reference.EjmlAttention;
import org.junit.jupiter.api.Test;
import org.quicktheories.core.Gen;

/**
 * Property group 4: the kernels agree with each other and with the independent EJML reference, and
 * have the symmetries attention must have. Each property is a static method taking the kernel, so the
 * teeth tests run the same code against deliberately wrong kernels.
 */
class KernelPropertiesTest {
    /** Largest n of the random cases: several 8 x 16 tiles, a partial one at most lengths. */
    static final int MAX_N = 72;
    /** Largest d. */
    static final int MAX_D = 32;

    static UniformRandomProvider rng(long seed) {
        return RandomSource.XO_RO_SHI_RO_128_PP.create(seed);
    }

    /** Random inputs with a random spec (see {@link AttentionCase#random}). */
    static Gen<AttentionCase> cases(int maxN, int maxD) {
        return AttentionInputGenerators.cases(maxN, maxD);
    }

    // ---- properties, parameterised by the kernel under test ----

    static void agreesWithEjml(String property, AttentionKernel kernel, int quick) {
        Theories.check(property, quick, 20 * quick, cases(MAX_N, MAX_D),
                c -> KernelAgreement.assertAgrees(kernel, c, true));
    }

    static void agreesWithEjmlOnAdversarialInputs(String property, AttentionKernel kernel) {
        Gen<AttentionCase> adversarial = AttentionInputGenerators.adversarial(MAX_D).zip(
                AttentionInputGenerators.seeds(), (in, s) -> AttentionCase.random(in, rng(s)));
        Theories.check(property, 40, 800, adversarial.assuming(c -> c.inputs().maxAbs() < 100),
                c -> KernelAgreement.assertAgrees(kernel, c, true));
    }

    /**
     * Permutation equivariance without positions: permuting keys and values together by pi leaves every
     * row unchanged; permuting queries by sigma permutes the output rows. Full mask, a SEQUENCE rule (the
     * same factor for every row) or none: nothing else may depend on the index.
     */
    static void permutationEquivariant(String property, AttentionKernel kernel) {
        Gen<AttentionCase> gen = AttentionInputGenerators.gaussian(MAX_N, MAX_D).zip(AttentionInputGenerators.seeds(),
                (in, s) -> {
                    UniformRandomProvider r = rng(s);
                    boolean cosine = r.nextBoolean();
                    double scale = 1 + 31 * r.nextDouble();
                    AttentionSpec spec = cosine ? AttentionSpec.cosine(scale) : AttentionSpec.dot();
                    EjmlAttention.Config ref = cosine ? EjmlAttention.Config.cosine(scale) : EjmlAttention.Config.dot();
                    if (r.nextBoolean()) {
                        TemperatureRule rule = TemperatureRule.infoScale(8, in.d(), true);
                        spec = spec.withRule(rule, NMode.SEQUENCE);
                        ref = ref.withRule(rule, EjmlAttention.RowLength.SEQUENCE);
                    }
                    return new AttentionCase((cosine ? "cosine(" + scale + ")" : "dot") + ", seed " + s, in, spec,
                            ref, 0);
                });
        Theories.check(property, 40, 800, gen, c -> {
            AttentionInputs in = c.inputs();
            int n = in.n();
            int d = in.d();
            int dv = in.dv();
            UniformRandomProvider r = rng(n * 31L + d);
            int[] pi = permutation(n, r);
            int[] sigma = permutation(n, r);
            float[] q2 = new float[n * d];
            float[] k2 = new float[n * d];
            float[] v2 = new float[n * dv];
            for (int i = 0; i < n; i++) {
                System.arraycopy(in.q(), sigma[i] * d, q2, i * d, d);
                System.arraycopy(in.k(), pi[i] * d, k2, i * d, d);
                System.arraycopy(in.v(), pi[i] * dv, v2, i * dv, dv);
            }
            AttentionOutput a = KernelAgreement.run(kernel, c, false);
            AttentionOutput b = AttentionOutput.allocate(n, dv, false);
            kernel.attend(c.spec(), q2, k2, v2, n, d, dv, b);
            KernelAgreement.Bounds bounds = KernelAgreement.bounds(c).times(2);
            for (int i = 0; i < n; i++) {
                int src = sigma[i];
                String who = "kernel " + kernel.name() + ": permuted row " + i + " vs original row " + src;
                KernelAgreement.compare(who, c, i, "entropy", b.entropy()[i], a.entropy()[src], bounds.entropy()[src]);
                KernelAgreement.compare(who, c, i, "logSumExp", b.logSumExp()[i], a.logSumExp()[src],
                        bounds.logSumExp()[src]);
                for (int col = 0; col < dv; col++) {
                    KernelAgreement.compare(who, c, i, "o[" + col + "]", b.o()[i * dv + col], a.o()[src * dv + col],
                            bounds.output()[src]);
                }
            }
        });
    }

    /**
     * RoPE is relative: placing content X (length m) after t other tokens, under a causal mask, leaves the
     * logits among X's own pairs unchanged. The logits are recovered from the kernel as
     * {@code z_ij = ln p_ij + logsumexp_i}; their errors are the probability's relative error and the
     * logsumexp's bound.
     */
    static void ropeIsRelative(String property, AttentionKernel kernel) {
        Gen<long[]> gen = AttentionInputGenerators.lengths(1, 40).zip(AttentionInputGenerators.lengths(1, 40),
                AttentionInputGenerators.evenDimensions(MAX_D), AttentionInputGenerators.seeds(),
                (m, t, d, s) -> new long[] {m, t, d, s}).describedAs(java.util.Arrays::toString);
        Theories.check(property, 40, 800, gen, x -> {
            int m = (int) x[0];
            int t = (int) x[1];
            int d = (int) x[2];
            UniformRandomProvider r = rng(x[3]);
            boolean half = r.nextBoolean();
            boolean cosine = r.nextBoolean();
            AttentionSpec spec = (cosine ? AttentionSpec.cosine(4) : AttentionSpec.dot())
                    .withPositions(half ? Positions.ropeHalf(100) : Positions.rope(100)).withMask(Mask.causal());
            EjmlAttention.Config ref = (cosine ? EjmlAttention.Config.cosine(4) : EjmlAttention.Config.dot())
                    .withRope(half ? EjmlAttention.Rope.HALVES : EjmlAttention.Rope.INTERLEAVED, 100)
                    .withMask(EjmlAttention.Mask.FULL, 0, 0, true);
            AttentionInputs all = AttentionInputs.gaussian(t + m, d, 1, 1.0, r.nextLong());
            float[] qx = java.util.Arrays.copyOfRange(all.q(), t * d, (t + m) * d);
            float[] kx = java.util.Arrays.copyOfRange(all.k(), t * d, (t + m) * d);
            float[] vx = java.util.Arrays.copyOfRange(all.v(), t, t + m);
            AttentionInputs alone = new AttentionInputs("X alone", m, d, 1, qx, kx, vx);
            AttentionCase cAll = new AttentionCase("X after " + t + " tokens, " + spec, all, spec, ref, t + m - 1);
            AttentionCase cAlone = new AttentionCase("X alone, " + spec, alone, spec, ref, m - 1);
            AttentionOutput a = KernelAgreement.run(kernel, cAlone, true);
            AttentionOutput b = KernelAgreement.run(kernel, cAll, true);
            KernelAgreement.Bounds ba = KernelAgreement.bounds(cAlone);
            KernelAgreement.Bounds bb = KernelAgreement.bounds(cAll);
            int n = t + m;
            for (int i = 0; i < m; i++) {
                for (int j = 0; j <= i; j++) {
                    double za = Math.log(a.probs()[i * m + j]) + a.logSumExp()[i];
                    double zb = Math.log(b.probs()[(t + i) * n + t + j]) + b.logSumExp()[t + i];
                    double tol = 2 * (ba.prob()[i] / a.probs()[i * m + j] + bb.prob()[t + i] / b.probs()[(t + i) * n + t + j])
                            + ba.logSumExp()[i] + bb.logSumExp()[t + i];
                    KernelAgreement.compare("kernel " + kernel.name() + ": logit of (" + i + "," + j
                            + ") alone vs shifted by " + t, cAll, i, "z", za, zb, tol);
                }
            }
        });
    }

    /** Causal rows do not see the future: changing tokens after position i leaves rows 0..i unchanged. */
    static void causalIgnoresTheFuture(String property, AttentionKernel kernel) {
        Gen<AttentionCase> gen = AttentionInputGenerators.gaussian(MAX_N, MAX_D).zip(AttentionInputGenerators.seeds(),
                (in, s) -> {
                    AttentionCase c = AttentionCase.random(in, rng(s));
                    Mask m = c.spec().mask();
                    Mask causal = m.kind() == Mask.Kind.FULL ? Mask.causal() : m.andCausal();
                    return new AttentionCase(c.description() + " (made causal)", in,
                            WrongKernels.withMask(c.spec(), causal).withPositions(c.spec().positions()),
                            c.reference().withMask(c.reference().mask(), c.reference().window(), c.reference().sinks(),
                                    true), c.maxPosition());
                });
        Theories.check(property, 40, 800, gen.assuming(c -> c.inputs().n() >= 2), c -> {
                    AttentionInputs in = c.inputs();
                    int n = in.n();
                    int d = in.d();
                    int dv = in.dv();
                    int cut = 1 + Math.floorMod(Float.floatToIntBits(in.q()[0]), n - 1);
                    AttentionInputs changed = AttentionInputs.gaussian(n, d, dv, 3.0, n * 7919L + cut);
                    float[] q2 = in.q().clone();
                    float[] k2 = in.k().clone();
                    float[] v2 = in.v().clone();
                    System.arraycopy(changed.q(), cut * d, q2, cut * d, (n - cut) * d);
                    System.arraycopy(changed.k(), cut * d, k2, cut * d, (n - cut) * d);
                    System.arraycopy(changed.v(), cut * dv, v2, cut * dv, (n - cut) * dv);
                    AttentionOutput a = KernelAgreement.run(kernel, c, false);
                    AttentionOutput b = AttentionOutput.allocate(n, dv, false);
                    kernel.attend(c.spec(), q2, k2, v2, n, d, dv, b);
                    KernelAgreement.Bounds bounds = KernelAgreement.bounds(c).times(2);
                    for (int i = 0; i < cut; i++) {
                        String who = "kernel " + kernel.name() + ": causal row " + i + " after changing tokens >= " + cut;
                        KernelAgreement.compare(who, c, i, "entropy", b.entropy()[i], a.entropy()[i], bounds.entropy()[i]);
                        for (int col = 0; col < dv; col++) {
                            KernelAgreement.compare(who, c, i, "o[" + col + "]", b.o()[i * dv + col], a.o()[i * dv + col],
                                    bounds.output()[i]);
                        }
                    }
                });
    }

    /** The spec of the first t tokens (per-row temperatures truncated to t). */
    static AttentionSpec prefixSpec(AttentionSpec s, int t) {
        float[] temps = s.temperatures();
        if (temps == null) {
            return s;
        }
        return s.withTemperature(java.util.Arrays.copyOf(temps, t));
    }

    /** A decoder under test: given the case, returns per step t (1..n) the entropy and output of row t-1. */
    interface Decoder {
        float[][] decode(AttentionCase c);
    }

    /** The kernels' DecodeStep: append token t-1, attend its query. */
    static float[][] decodeStep(AttentionCase c, boolean wrongExtraToken) {
        AttentionInputs in = c.inputs();
        int n = in.n();
        int d = in.d();
        int dv = in.dv();
        org.isentropic.kernels.decode.DecodeStep step = org.isentropic.kernels.decode.DecodeStep.create(c.spec(), d, dv,
                n + (wrongExtraToken ? 1 : 0));
        if (wrongExtraToken) {
            step.append(new float[d], new float[dv]);
        }
        float[][] out = new float[n][];
        float[] q = new float[d];
        for (int t = 1; t <= n; t++) {
            step.append(in.k(), (t - 1) * d, in.v(), (t - 1) * dv);
            System.arraycopy(in.q(), (t - 1) * d, q, 0, d);
            float[] o = new float[dv];
            float h = step.attend(q, o);
            float[] row = new float[dv + 2];
            row[0] = h;
            row[1] = (float) step.lastLogSumExp();
            System.arraycopy(o, 0, row, 2, dv);
            out[t - 1] = row;
        }
        return out;
    }

    /**
     * The decode step equals the last row of the full computation: after appending t tokens, attending
     * token t-1's query gives row t-1 of the kernel over the first t tokens (every t = 1..n).
     */
    static void decodeIsLastRow(String property, AttentionKernel kernel, Decoder decoder) {
        Theories.check(property, 30, 600, cases(40, MAX_D), c -> {
            AttentionInputs in = c.inputs();
            int n = in.n();
            int d = in.d();
            int dv = in.dv();
            float[][] steps = decoder.decode(c);
            for (int t = 1; t <= n; t++) {
                AttentionInputs prefix = new AttentionInputs("prefix " + t, t, d, dv,
                        java.util.Arrays.copyOf(in.q(), t * d), java.util.Arrays.copyOf(in.k(), t * d),
                        java.util.Arrays.copyOf(in.v(), t * dv));
                AttentionCase pc = new AttentionCase(c.description() + ", prefix " + t, prefix,
                        prefixSpec(c.spec(), t), c.reference().rowTemperature() == null ? c.reference()
                                : c.reference().withTemperature(java.util.Arrays.copyOf(c.reference().rowTemperature(), t)),
                        c.maxPosition() == 0 ? 0 : t - 1);
                AttentionOutput full = KernelAgreement.run(kernel, pc, false);
                KernelAgreement.Bounds b = KernelAgreement.bounds(pc).times(2);
                int i = t - 1;
                String who = "decode step " + t + " vs row " + i + " of " + kernel.name() + " over " + t + " tokens";
                KernelAgreement.compare(who, pc, i, "entropy", steps[i][0], full.entropy()[i], b.entropy()[i]);
                KernelAgreement.compare(who, pc, i, "logSumExp", steps[i][1], full.logSumExp()[i], b.logSumExp()[i]);
                for (int col = 0; col < dv; col++) {
                    KernelAgreement.compare(who, pc, i, "o[" + col + "]", steps[i][2 + col], full.o()[i * dv + col],
                            b.output()[i]);
                }
            }
        });
    }

    static int[] permutation(int n, UniformRandomProvider r) {
        int[] p = new int[n];
        for (int i = 0; i < n; i++) {
            p[i] = i;
        }
        for (int i = n - 1; i > 0; i--) {
            int j = r.nextInt(i + 1);
            int tmp = p[i];
            p[i] = p[j];
            p[j] = tmp;
        }
        return p;
    }

    static void forEachKernel(Consumer<AttentionKernel> body) {
        for (AttentionKernel k : KernelsUnderTest.all()) {
            body.accept(k);
        }
    }

    // ---- the suite ----

    @Test
    void everyKernelEqualsEjml() {
        forEachKernel(k -> agreesWithEjml("kernels: " + k.name() + " = EJML over random specs", k, 60));
    }

    @Test
    void everyKernelEqualsEjmlOnAdversarialInputs() {
        forEachKernel(k -> agreesWithEjmlOnAdversarialInputs("kernels: " + k.name() + " = EJML, adversarial inputs", k));
    }

    @Test
    void fusedEqualsReference() {
        AttentionKernel reference = AttentionKernels.reference();
        for (AttentionKernel k : KernelsUnderTest.fused()) {
            Theories.check("kernels: " + k.name() + " = reference", 40, 800, cases(MAX_N, MAX_D),
                    c -> KernelAgreement.assertKernelsAgree(k, reference, c));
        }
    }

    @Test
    void simdEqualsScalar() {
        Theories.check("kernels: SIMD = scalar (fused, default and small tiles)", 40, 800, cases(MAX_N, MAX_D), c -> {
            KernelAgreement.assertKernelsAgree(AttentionKernels.fused(1), AttentionKernels.fusedScalar(1), c);
            KernelAgreement.assertKernelsAgree(
                    AttentionKernels.fused(KernelsUnderTest.smallTiles(1, true, FusedKernel.QkTile.R8C3)),
                    AttentionKernels.fused(KernelsUnderTest.smallTiles(1, false, FusedKernel.QkTile.R8C3)), c);
        });
        assertTrue(AttentionKernels.fused(1).usesSimd() == AttentionKernels.simdAvailable(),
                "fused(1) uses SIMD exactly when the Vector API is available");
    }

    @Test
    void oneThreadEqualsTwoThreads() {
        Theories.check("kernels: 1 thread = 2 threads (fused, small tiles)", 40, 800, cases(MAX_N, MAX_D), c ->
                KernelAgreement.assertKernelsAgree(
                        AttentionKernels.fused(KernelsUnderTest.smallTiles(1, true, FusedKernel.QkTile.R4C4)),
                        AttentionKernels.fused(KernelsUnderTest.smallTiles(2, true, FusedKernel.QkTile.R4C4)), c));
    }

    @Test
    void permutationEquivariance() {
        forEachKernel(k -> permutationEquivariant("kernels: permutation equivariance [" + k.name() + "]", k));
    }

    @Test
    void ropeRelative() {
        forEachKernel(k -> ropeIsRelative("kernels: RoPE logits depend on i - j only [" + k.name() + "]", k));
    }

    @Test
    void causalIndependence() {
        forEachKernel(k -> causalIgnoresTheFuture("kernels: causal rows ignore the future [" + k.name() + "]", k));
    }

    @Test
    void decodeStepIsLastRow() {
        for (AttentionKernel k : List.of(AttentionKernels.reference(), AttentionKernels.fused(1))) {
            decodeIsLastRow("kernels: decode step = last row of the full computation [" + k.name() + "]", k,
                    c -> decodeStep(c, false));
        }
    }

    // ---- teeth ----

    @Test
    void kernelPropertiesHaveTeeth() {
        Teeth.mustDetect("EJML agreement vs a temperature off by 0.8 %",
                name -> agreesWithEjml(name, WrongKernels.temperatureOffByOnePercent(), 60));
        Teeth.mustDetect("EJML agreement vs a kernel that reads the last key as zeros",
                name -> agreesWithEjml(name, WrongKernels.zeroesLastKey(), 60));
        Teeth.mustDetect("EJML agreement vs a kernel that ignores the rule",
                name -> agreesWithEjml(name, WrongKernels.ignoresRule(), 60));
        Teeth.mustDetect("permutation equivariance vs a hidden position bias",
                name -> permutationEquivariant(name, WrongKernels.hiddenPositionBias()));
        Teeth.mustDetect("RoPE relative vs RoPE on queries only",
                name -> ropeIsRelative(name, WrongKernels.ropeOnQueriesOnly()));
        Teeth.mustDetect("causal independence vs a kernel that ignores the mask",
                name -> causalIgnoresTheFuture(name, WrongKernels.ignoresMask()));
        Teeth.mustDetect("decode = last row vs a decoder whose cache starts with an extra token",
                name -> decodeIsLastRow(name, AttentionKernels.fused(1), c -> decodeStep(c, true)));
    }
}
