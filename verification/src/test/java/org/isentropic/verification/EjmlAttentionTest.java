package org.isentropic.verification;

import static org.junit.jupiter.api.Assertions.assertEquals;

import org.isentropic.verification.bridge.AttentionInputs;
import org.isentropic.verification.reference.EjmlAttention;
import org.junit.jupiter.api.Test;

/** The independent reference itself, against hand computation and against explicit rotation. */
class EjmlAttentionTest {

    /**
     * n = 2, d = 2, q = k = identity rows, v = (1, 0), (0, 3): logits of row 0 are (1/sqrt 2, 0), so
     * p_00 = 1 / (1 + e^(-1/sqrt 2)) (computed by hand from the softmax definition).
     */
    @Test
    void twoTokensByHand() {
        float[] q = {1, 0, 0, 1};
        float[] v = {1, 0, 0, 3};
        EjmlAttention.Result r = EjmlAttention.attend(EjmlAttention.Config.dot(), q, q, v, 2, 2, 2);
        double a = 1 / Math.sqrt(2);
        double p = 1 / (1 + Math.exp(-a));
        assertEquals(p, r.probs()[0], 1e-15);
        assertEquals(1 - p, r.probs()[1], 1e-15);
        assertEquals(p, r.o()[0], 1e-15);
        assertEquals(3 * (1 - p), r.o()[1], 1e-15);
        assertEquals(-p * Math.log(p) - (1 - p) * Math.log(1 - p), r.entropy()[0], 1e-15);
        assertEquals(Math.log(Math.exp(a) + 1), r.logSumExp()[0], 1e-15);
    }

    /** The relative RoPE form equals rotating q and k explicitly (both pairings). */
    @Test
    void ropeRelativeFormEqualsExplicitRotation() {
        int n = 9;
        int d = 6;
        AttentionInputs in = AttentionInputs.gaussian(n, d, 1, 1.0, 7);
        for (EjmlAttention.Rope rope : new EjmlAttention.Rope[] {EjmlAttention.Rope.INTERLEAVED,
                EjmlAttention.Rope.HALVES}) {
            EjmlAttention.Result r = EjmlAttention.attend(EjmlAttention.Config.dot().withRope(rope, 100.0),
                    in.q(), in.k(), in.v(), n, d, 1);
            for (int i = 0; i < n; i++) {
                double[] qi = rotate(in.q(), i, d, rope);
                for (int j = 0; j < n; j++) {
                    double[] kj = rotate(in.k(), j, d, rope);
                    double dot = 0;
                    for (int c = 0; c < d; c++) {
                        dot += qi[c] * kj[c];
                    }
                    assertEquals(dot / Math.sqrt(d), r.logits()[i * n + j], 1e-12, rope + " i=" + i + " j=" + j);
                }
            }
        }
    }

    /** Causal row 0 sees one key: entropy 0, output = v_0. */
    @Test
    void causalFirstRowSeesOnlyItself() {
        AttentionInputs in = AttentionInputs.gaussian(5, 4, 2, 1.0, 3);
        EjmlAttention.Result r = EjmlAttention.attend(
                EjmlAttention.Config.cosine(8).withMask(EjmlAttention.Mask.FULL, 0, 0, true),
                in.q(), in.k(), in.v(), 5, 4, 2);
        assertEquals(0.0, r.entropy()[0], 0.0);
        assertEquals(in.v()[0], r.o()[0], 1e-15);
        assertEquals(in.v()[1], r.o()[1], 1e-15);
    }

    private static double[] rotate(float[] x, int row, int d, EjmlAttention.Rope rope) {
        double[] out = new double[d];
        int h = d / 2;
        for (int m = 0; m < h; m++) {
            int a = rope == EjmlAttention.Rope.INTERLEAVED ? 2 * m : m;
            int b = rope == EjmlAttention.Rope.INTERLEAVED ? 2 * m + 1 : m + h;
            double angle = row * Math.pow(100.0, -2.0 * m / d);
            double xa = x[row * d + a];
            double xb = x[row * d + b];
            out[a] = xa * Math.cos(angle) - xb * Math.sin(angle);
            out[b] = xa * Math.sin(angle) + xb * Math.cos(angle);
        }
        return out;
    }
}
