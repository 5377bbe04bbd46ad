package org.isentropic.kernels.fused;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import org.isentropic.kernels.Agreement;
import org.isentropic.kernels.AttentionKernels;
import org.isentropic.kernels.RandomProblem;
import org.isentropic.kernels.fused.FusedKernel.Config;
import org.isentropic.kernels.fused.FusedKernel.QkTile;
import org.isentropic.kernels.spec.AttentionKernel;
import org.isentropic.kernels.spec.AttentionOutput;
import org.isentropic.kernels.spec.AttentionSpec;
import org.isentropic.kernels.spec.Mask;
import org.isentropic.kernels.spec.NMode;
import org.isentropic.kernels.spec.Positions;
import org.junit.jupiter.api.Test;
import org.opentest4j.AssertionFailedError;

class MultiHeadKernelTest {

    private static final AttentionKernel REF = AttentionKernels.reference();
    /** Small blocks so that every head spans several query blocks and key tiles. */
    private static final Config SMALL = new Config(1, 24, 32, QkTile.R8C3, true, true);

    /**
     * Every query head agrees with the reference kernel run on its own q and its group's k and v, the heads
     * grouped as {@code kvHeads} KV heads (which a test may give otherwise than the problem's, to show that a
     * wrong grouping fails).
     */
    private static void checkPerHead(String label, List<AttentionSpec> specs, RandomProblem p, int kvHeads,
                                     MultiHeadOutput out, int blockKeys) {
        int n = p.n();
        for (int h = 0; h < p.heads(); h++) {
            int g = h / (p.heads() / kvHeads);
            float[] qh = p.qHead(h);
            float[] kg = p.kHead(g);
            float[] vg = p.vHead(g);
            AttentionOutput expect = AttentionOutput.allocate(n, p.dv(), false);
            REF.attend(specs.get(h), qh, kg, vg, n, p.d(), p.dv(), expect);
            Agreement.check(label + " head " + h + " (kv head " + g + ")", specs.get(h), qh, kg, vg, n, p.d(), p.dv(),
                    expect, out.head(h), blockKeys);
        }
    }

    /** Runs the multi-head kernel on the whole problem, one spec per query head, into a fresh output. */
    private static MultiHeadOutput attend(MultiHeadKernel kernel, List<AttentionSpec> specs, RandomProblem p) {
        MultiHeadOutput out = MultiHeadOutput.allocate(p.heads(), p.n(), p.dv(), false);
        kernel.attend(specs, p.q(), p.k(), p.v(), p.heads(), p.kvHeads(), p.n(), p.d(), p.dv(), out);
        return out;
    }

    private static List<AttentionSpec> perHeadSpecs(int heads, int n) {
        List<AttentionSpec> specs = new ArrayList<>();
        for (int h = 0; h < heads; h++) {
            double base = 0.6 + 0.2 * h; // a different temperature rule per head
            AttentionSpec s = h % 3 == 0 ? AttentionSpec.dot().withPositions(Positions.rope(10000))
                    : h % 3 == 1 ? AttentionSpec.cosine(20).withPositions(Positions.rope(500))
                    : AttentionSpec.dot().withPositions(Positions.alibi(0.05 * (h + 1)));
            specs.add(s.withMask(h % 2 == 0 ? Mask.causal() : Mask.window(9).andCausal())
                    .withRule(len -> base * Math.log(len + 1.0) / Math.log(n + 1.0), NMode.VISIBLE));
        }
        return specs;
    }

    @Test
    void groupedQueryHeadsAgreeWithTheReferencePerHead() {
        int n = 70;
        int[][] shapes = {{6, 2}, {4, 4}, {5, 1}}; // GQA, plain multi-head, MQA
        for (int[] shape : shapes) {
            int heads = shape[0];
            int kvHeads = shape[1];
            // dv = 24 is not a multiple of the vector lanes: the padded value path
            RandomProblem problem = RandomProblem.of(n, 32).dv(24).heads(heads, kvHeads)
                    .draw(400 + heads * 10 + kvHeads);
            List<AttentionSpec> specs = perHeadSpecs(heads, n);
            for (Config c : List.of(SMALL, SMALL.withThreads(2), SMALL.withSimd(false).withThreads(2))) {
                MultiHeadKernel kernel = MultiHeadKernel.create(c);
                checkPerHead(kernel.name() + " " + heads + "/" + kvHeads, specs, problem, kvHeads,
                        attend(kernel, specs, problem), c.blockKeys());
            }
        }
    }

    @Test
    void oneSpecForAllHeadsWithProbabilities() {
        int heads = 4;
        int kvHeads = 2;
        int n = 41;
        int d = 16;
        RandomProblem problem = RandomProblem.of(n, d).heads(heads, kvHeads).draw(410);
        AttentionSpec spec = AttentionSpec.dot().withPositions(Positions.rerope(10000, 12)).withMask(Mask.causal());
        MultiHeadOutput out = MultiHeadOutput.allocate(heads, n, d, true);
        MultiHeadKernel.create(SMALL.withThreads(2)).attend(spec, problem.q(), problem.k(), problem.v(), heads, kvHeads,
                n, d, d, out);
        for (int h = 0; h < heads; h++) {
            int g = h / 2;
            AttentionOutput expect = AttentionOutput.allocate(n, d, true);
            REF.attend(spec, problem.qHead(h), problem.kHead(g), problem.vHead(g), n, d, d, expect);
            Agreement.check("head " + h, spec, problem.qHead(h), problem.kHead(g), problem.vHead(g), n, d, d,
                    expect, out.head(h), SMALL.blockKeys());
        }
    }

    @Test
    void oneAndTwoThreadsGiveIdenticalResults() {
        int heads = 8;
        int kvHeads = 2;
        int n = 200;
        int d = 64;
        RandomProblem problem = RandomProblem.of(n, d).heads(heads, kvHeads).draw(420);
        List<AttentionSpec> specs = perHeadSpecs(heads, n);
        Config c = new Config(1, 48, 64, QkTile.R8C3, true, true);
        MultiHeadOutput one = attend(MultiHeadKernel.create(c), specs, problem);
        MultiHeadOutput two = MultiHeadOutput.allocate(heads, n, d, false);
        MultiHeadKernel twoThreads = MultiHeadKernel.create(c.withThreads(2));
        for (int call = 0; call < 3; call++) { // repeated calls reuse the workspaces
            twoThreads.attend(specs, problem.q(), problem.k(), problem.v(), heads, kvHeads, n, d, d, two);
            for (int h = 0; h < heads; h++) {
                assertArrayEquals(one.head(h).o(), two.head(h).o(), "head " + h + " call " + call);
                assertArrayEquals(one.head(h).entropy(), two.head(h).entropy(), "head " + h + " call " + call);
                assertArrayEquals(one.head(h).logSumExp(), two.head(h).logSumExp(), "head " + h + " call " + call);
            }
        }
    }

    @Test
    void eachHeadEqualsTheSingleHeadFusedKernelBitForBit() {
        int heads = 3;
        int n = 100;
        int d = 32;
        RandomProblem problem = RandomProblem.of(n, d).heads(heads, 1).draw(430);
        AttentionSpec spec = AttentionSpec.cosine(30).withPositions(Positions.rope(10000)).withMask(Mask.causal());
        MultiHeadOutput out = MultiHeadOutput.allocate(heads, n, d, false);
        MultiHeadKernel.create(SMALL.withThreads(2)).attend(spec, problem.q(), problem.k(), problem.v(), heads, 1, n, d,
                d, out);
        FusedKernel single = AttentionKernels.fused(SMALL);
        for (int h = 0; h < heads; h++) {
            AttentionOutput expect = AttentionOutput.allocate(n, d, false);
            single.attend(spec, problem.qHead(h), problem.k(), problem.v(), n, d, d, expect);
            assertArrayEquals(expect.o(), out.head(h).o(), "head " + h);
            assertArrayEquals(expect.entropy(), out.head(h).entropy(), "head " + h);
        }
    }

    @Test
    void aWrongGroupMappingIsCaught() {
        // The per-head check has teeth: head 1's output compared as if it used KV head 1 instead of 0 fails.
        int heads = 2;
        int kvHeads = 1;
        int n = 30;
        int d = 16;
        // two KV heads drawn, the kernel told there is one: it reads the first
        RandomProblem problem = RandomProblem.of(n, d).heads(heads, 2).draw(440);
        List<AttentionSpec> specs = List.of(AttentionSpec.dot(), AttentionSpec.dot());
        MultiHeadOutput out = MultiHeadOutput.allocate(heads, n, d, false);
        MultiHeadKernel.create(SMALL).attend(specs, problem.q(), problem.k(), problem.v(), heads, kvHeads, n, d, d, out);
        checkPerHead("MQA", specs, problem, kvHeads, out, SMALL.blockKeys());
        assertThrows(AssertionFailedError.class,
                () -> checkPerHead("as if GQA 2/2", specs, problem, 2, out, SMALL.blockKeys()));
    }

    @Test
    void badShapesAreRejected() {
        MultiHeadKernel kernel = MultiHeadKernel.create(1);
        float[] x = new float[6 * 4 * 2];
        MultiHeadOutput out = MultiHeadOutput.allocate(6, 4, 2, false);
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> kernel.attend(AttentionSpec.dot(), x, x, x, 6, 4, 4, 2, 2, out));
        assertTrue(e.getMessage().contains("multiple of kvHeads"), e.getMessage());
        e = assertThrows(IllegalArgumentException.class,
                () -> kernel.attend(AttentionSpec.dot(), new float[10], x, x, 6, 3, 4, 2, 2, out));
        assertTrue(e.getMessage().startsWith("q has 10 values"), e.getMessage());
        e = assertThrows(IllegalArgumentException.class,
                () -> kernel.attend(List.of(AttentionSpec.dot()), x, x, x, 6, 3, 4, 2, 2, out));
        assertTrue(e.getMessage().contains("one spec per query head"), e.getMessage());
        e = assertThrows(IllegalArgumentException.class,
                () -> kernel.attend(AttentionSpec.dot(), x, x, x, 3, 3, 4, 2, 2, out));
        assertTrue(e.getMessage().contains("6 heads"), e.getMessage());
        float[] bad = x.clone();
        bad[5] = Float.NaN;
        e = assertThrows(IllegalArgumentException.class,
                () -> kernel.attend(AttentionSpec.dot(), x, bad, x, 6, 3, 4, 2, 2, out));
        assertEquals("k[5] is NaN (must be finite)", e.getMessage());
    }

    /**
     * A head whose logits leave float's range from finite inputs is refused with a FloatRangeException naming that
     * head and its first such row, as the one-head kernel does, not returned as -inf (heads 2 and 3 share KV head 1;
     * only head 2's queries are scaled up, so only its logits overflow).
     */
    @Test
    void aHeadWhoseLogitsOverflowIsRefusedAndNamed() {
        int heads = 4;
        int kvHeads = 2;
        int n = 12;
        int d = 8;
        RandomProblem p = RandomProblem.of(n, d).heads(heads, kvHeads).draw(91);
        float[] q = p.q().clone();
        float[] k = p.k().clone();
        for (int i = 2 * n * d; i < 3 * n * d; i++) {
            q[i] *= 1e20f;
        }
        for (int i = n * d; i < 2 * n * d; i++) {
            k[i] *= 1e20f;
        }
        for (MultiHeadKernel kernel : List.of(MultiHeadKernel.create(1), MultiHeadKernel.create(2))) {
            MultiHeadOutput out = MultiHeadOutput.allocate(heads, n, d, false);
            org.isentropic.kernels.spec.FloatRangeException e = assertThrows(
                    org.isentropic.kernels.spec.FloatRangeException.class,
                    () -> kernel.attend(AttentionSpec.dot(), q, k, p.v(), heads, kvHeads, n, d, d, out), kernel.name());
            assertEquals(org.isentropic.kernels.spec.FloatRangeException.Source.LOGITS, e.source(), kernel.name());
            assertTrue(e.getMessage().startsWith("head 2, row " + e.row() + ": logsumexp"), e.getMessage());
        }
        // Unscaled, every head is finite: no refusal.
        MultiHeadOutput out = MultiHeadOutput.allocate(heads, n, d, false);
        MultiHeadKernel.create(1).attend(AttentionSpec.dot(), p.q(), p.k(), p.v(), heads, kvHeads, n, d, d, out);
    }
}
