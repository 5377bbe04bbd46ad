package org.isentropic.kernels;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.function.IntToDoubleFunction;
import org.isentropic.kernels.spec.AttentionKernel;
import org.isentropic.kernels.spec.AttentionOutput;
import org.isentropic.kernels.spec.AttentionSpec;
import org.isentropic.kernels.spec.FloatRangeException;
import org.isentropic.kernels.spec.Mask;
import org.isentropic.kernels.spec.NMode;
import org.junit.jupiter.api.Test;

/**
 * The kernels' entry points on finite inputs whose float32 result would overflow (refused with a
 * {@link FloatRangeException}, never returned as -inf, NaN or inf) and on rules that are 0 at n = 1
 * (valid: a row with one visible key has probability 1 and entropy 0 whatever the factor). Every kernel
 * is run: the reference, the fused SIMD path (when the module is present) and the fused scalar path.
 */
class EntryPointNumericsTest {

    private static final List<AttentionKernel> KERNELS = List.of(AttentionKernels.reference(),
            AttentionKernels.fused(1), AttentionKernels.fusedScalar(1), AttentionKernels.fused(2));
    /** InfoScale at d = 8, N = 16: sqrt((1 - n^(-2/d)) / (1 - N^(-2/d))), 0 at n = 1. */
    private static final IntToDoubleFunction INFOSCALE = n -> Math.sqrt((1 - Math.pow(n, -0.25)) / (1 - Math.pow(16, -0.25)));

    private static float[] scaled(float[] x, float s) {
        float[] y = x.clone();
        for (int i = 0; i < y.length; i++) {
            y[i] *= s;
        }
        return y;
    }

    @Test
    void logitsBeyondTheFloatRangeAreRefusedNotReturnedAsMinusInfinity() {
        int n = 12;
        int d = 8;
        RandomProblem p = RandomProblem.of(n, d).dv(3).draw(7);
        float[] q = scaled(p.q(), 1e20f);
        float[] k = scaled(p.k(), 1e20f);
        float[] v = p.v();
        for (AttentionKernel kernel : KERNELS) {
            AttentionOutput out = AttentionOutput.allocate(n, 3, false);
            FloatRangeException e = assertThrows(FloatRangeException.class,
                    () -> kernel.attend(AttentionSpec.dot(), q, k, v, n, d, 3, out), kernel.name());
            assertEquals(FloatRangeException.Source.LOGITS, e.source(), kernel.name());
            assertTrue(e.getMessage().startsWith("row " + e.row() + ": "), e.getMessage());
        }
    }

    @Test
    void valuesNearTheFloatMaximumGiveTheRightAnswerOrARefusal() {
        int n = 16;
        int d = 8;
        // random q and k; every value near the float maximum instead of random
        RandomProblem p = RandomProblem.of(n, d).dv(2).draw(8);
        java.util.Arrays.fill(p.v(), 3e38f);
        for (AttentionKernel kernel : KERNELS) {
            AttentionOutput out = p.output(false);
            try {
                p.attend(kernel, AttentionSpec.dot(), out);
                for (float o : out.o()) {
                    // a convex combination of equal values is that value
                    assertEquals(3e38f, o, 3e38f * 1e-5f, kernel.name());
                }
            } catch (FloatRangeException e) {
                assertEquals(FloatRangeException.Source.VALUES, e.source(), kernel.name());
            }
        }
        // The fused kernel sums unnormalised weights times v in float: it must refuse, not print inf.
        assertThrows(FloatRangeException.class, () -> p.run(AttentionKernels.fusedScalar(1), AttentionSpec.dot()));
    }

    @Test
    void aFullyMaskedRowKeepsItsDocumentedResult() {
        int n = 5;
        RandomProblem p = RandomProblem.of(n, 4).dv(1).draw(9);
        for (AttentionKernel kernel : KERNELS) {
            AttentionOutput out = p.run(kernel, AttentionSpec.dot().withMask(Mask.prefix(0)));
            for (int i = 0; i < n; i++) {
                assertEquals(Float.NEGATIVE_INFINITY, out.logSumExp()[i], kernel.name());
                assertEquals(0f, out.entropy()[i], kernel.name());
            }
        }
    }

    @Test
    void aRuleThatIsZeroAtOneIsValidForRowsWithOneVisibleKey() {
        int n = 6;
        int d = 8;
        RandomProblem p = RandomProblem.of(n, d).dv(2).draw(10);
        float[] q = p.q();
        float[] k = p.k();
        float[] v = p.v();
        List<AttentionSpec> specs = List.of(AttentionSpec.dot().withRule(INFOSCALE, NMode.POSITION).withMask(Mask.causal()),
                AttentionSpec.dot().withRule(INFOSCALE, NMode.VISIBLE).withMask(Mask.causal()),
                AttentionSpec.cosine(16).withRule(INFOSCALE, NMode.SEQUENCE));
        for (AttentionKernel kernel : KERNELS) {
            for (AttentionSpec spec : specs) {
                int rows = spec.nMode() == NMode.SEQUENCE ? 1 : n;
                AttentionOutput out = AttentionOutput.allocate(rows, 2, false);
                kernel.attend(spec, q, k, v, rows, d, 2, out);
                // row 0 sees key 0 only: p = 1, entropy 0, o = v_0, logsumexp = 0 * z = 0
                assertEquals(0f, out.entropy()[0], 1e-6f, kernel.name() + " " + spec);
                assertEquals(0f, out.logSumExp()[0], 1e-6f, kernel.name() + " " + spec);
                assertEquals(v[0], out.o()[0], 1e-6f, kernel.name() + " " + spec);
                assertEquals(v[1], out.o()[1], 1e-6f, kernel.name() + " " + spec);
                for (int i = 0; i < rows; i++) {
                    assertTrue(Float.isFinite(out.logSumExp()[i]) && out.entropy()[i] >= 0, kernel.name());
                }
            }
        }
    }

    @Test
    void aRuleThatIsZeroElsewhereIsStillRejected() {
        RandomProblem p = RandomProblem.of(4, 4).dv(1).draw(11);
        AttentionSpec zeroAtTwo = AttentionSpec.dot().withRule(len -> len == 2 ? 0 : 1, NMode.POSITION);
        AttentionSpec negative = AttentionSpec.dot().withRule(len -> -1, NMode.SEQUENCE);
        for (AttentionKernel kernel : KERNELS) {
            for (AttentionSpec spec : List.of(zeroAtTwo, negative)) {
                IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> p.run(kernel, spec));
                assertTrue(e.getMessage().startsWith("temperature rule gave"), e.getMessage());
            }
        }
    }
}
