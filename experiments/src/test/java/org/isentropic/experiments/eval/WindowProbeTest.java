package org.isentropic.experiments.eval;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.function.UnaryOperator;
import org.isentropic.experiments.corpus.Corpus;
import org.isentropic.experiments.model.GauModel;
import org.isentropic.kernels.AttentionKernels;
import org.junit.jupiter.api.Test;

/** The probe's logsumexp-difference mass against the mass summed from the model's attention probabilities. */
class WindowProbeTest {

    /** float32 logsumexps of magnitude ~10 differ by ~1e-6; exp of that difference, and float32 probabilities. */
    static final double MASS_TOLERANCE = 2e-5;

    @Test
    void theMassNearTheDiagonalEqualsTheSumOfTheProbabilities() {
        GauModel m = GauModel.loadResource("gau-cosscale");
        Family.Checkpoint c = Family.v1().checkpoints().get(1);
        Streams st = Streams.build(ExperimentRunner.heldOut(Corpus.europarl()), m.vocabulary(), 256, 2, 0, 2);
        int n = 128;
        List<WindowProbe.Row> rows = WindowProbe.run(c, m, st, 2, new int[] {n}, AttentionKernels.fused(1));
        assertEquals(m.config().layers(), rows.size());
        for (int s = 0; s < 2; s++) {
            GauModel.Forward f = m.forward(st.maskedWindow(s, n), UnaryOperator.identity(), AttentionKernels.reference(),
                    new int[] {0}, false, true);
            for (WindowProbe.Row r : rows) {
                float[] p = f.probs()[r.layer()];
                for (int w = 0; w < r.windows().length; w++) {
                    int win = r.windows()[w];
                    double sum = 0;
                    for (int i = 0; i < n; i++) {
                        for (int j = Math.max(0, i - win); j <= Math.min(n - 1, i + win); j++) {
                            sum += p[i * n + j];
                        }
                    }
                    assertEquals(sum / n, r.mass()[w][s], MASS_TOLERANCE, "layer " + r.layer() + " w " + win);
                }
            }
        }
        for (WindowProbe.Row r : rows) {
            assertTrue(r.meanMass(0) <= r.meanMass(1) && r.meanMass(1) <= r.meanMass(2) + 1e-9, "mass grows with w");
            assertTrue(r.effectiveWindow() >= 1);
        }
    }
}
