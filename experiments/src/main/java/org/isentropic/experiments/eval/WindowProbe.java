package org.isentropic.experiments.eval;

import java.util.ArrayList;
import java.util.List;
import java.util.function.UnaryOperator;
import org.isentropic.experiments.calibrate.Calibration;
import org.isentropic.experiments.calibrate.CapturingKernel;
import org.isentropic.experiments.model.GauModel;
import org.isentropic.kernels.spec.AttentionKernel;
import org.isentropic.kernels.spec.AttentionOutput;
import org.isentropic.kernels.spec.Mask;

/**
 * Claim 4 on the trained models (docs/method.md, the experiment): how local is each layer's attention, per checkpoint, at
 * n = N and at the largest n, RoPE and the standard temperature, on the first test streams. Measured with
 * the kernels: the mass row i puts on keys with |i - j| <= w is {@code exp(lse_w(i) - lse(i))}, where lse is
 * the row's logsumexp over all keys and lse_w the one under a window mask of w (same logits otherwise). The
 * effective window is the smallest w in 1, 2, 4, ... (up to {@value #MAX_LADDER}) whose mean mass reaches
 * {@value #EFFECTIVE_MASS}; above the ladder it is reported as {@code 2 * MAX_LADDER}.
 */
public final class WindowProbe {

    public static final double EFFECTIVE_MASS = 0.9;
    public static final int MAX_LADDER = 512;
    /** Windows w whose mass is reported (N is added per checkpoint). */
    public static final int[] WINDOWS = {8, 32};

    /**
     * One checkpoint, length and layer.
     *
     * @param windows the w of {@code mass}
     * @param mass per window, per stream: the mean over rows of the mass within |i - j| <= w
     * @param effectiveWindow smallest ladder w with mean mass >= 0.9 (over all probe streams)
     */
    public record Row(Family.Checkpoint checkpoint, int length, int layer, int[] windows, double[][] mass,
            int effectiveWindow) {

        public double meanMass(int windowIndex) {
            double s = 0;
            for (double v : mass[windowIndex]) {
                s += v;
            }
            return s / mass[windowIndex].length;
        }
    }

    private WindowProbe() {
    }

    public static List<Row> run(Family.Checkpoint c, GauModel m, Streams test, int streams, int[] lengths,
            AttentionKernel kernel) {
        int trainLength = m.config().trainLength();
        int[] windows = {WINDOWS[0], WINDOWS[1], trainLength};
        List<Row> out = new ArrayList<>();
        for (int n : lengths) {
            List<List<Calibration.Capture>> caps = new ArrayList<>();
            for (int s = 0; s < streams; s++) {
                CapturingKernel ck = new CapturingKernel(kernel, CapturingKernel.ALL);
                m.forward(test.maskedWindow(s, n), UnaryOperator.identity(), ck, new int[] {0}, false);
                caps.add(ck.capturedAll());
            }
            for (int l = 0; l < m.config().layers(); l++) {
                double[][] mass = new double[windows.length][streams];
                float[][] full = new float[streams][];
                for (int s = 0; s < streams; s++) {
                    Calibration.Capture cap = caps.get(s).get(l);
                    full[s] = lse(cap, null, kernel);
                    for (int w = 0; w < windows.length; w++) {
                        mass[w][s] = meanMass(full[s], lse(cap, Mask.window(windows[w]), kernel));
                    }
                }
                int eff = 2 * MAX_LADDER;
                for (int w = 1; w <= Math.min(MAX_LADDER, n); w *= 2) {
                    double total = 0;
                    for (int s = 0; s < streams; s++) {
                        Calibration.Capture cap = caps.get(s).get(l);
                        total += meanMass(full[s], lse(cap, Mask.window(w), kernel));
                    }
                    if (total / streams >= EFFECTIVE_MASS) {
                        eff = w;
                        break;
                    }
                }
                out.add(new Row(c, n, l, windows.clone(), mass, eff));
            }
        }
        return out;
    }

    private static float[] lse(Calibration.Capture c, Mask mask, AttentionKernel kernel) {
        AttentionOutput o = AttentionOutput.allocate(c.n(), 1, false);
        kernel.attend(mask == null ? c.spec() : c.spec().withMask(mask), c.q(), c.k(), new float[c.n()], c.n(), c.d(), 1,
                o);
        return o.logSumExp().clone();
    }

    private static double meanMass(float[] full, float[] windowed) {
        double s = 0;
        for (int i = 0; i < full.length; i++) {
            s += Math.min(1.0, Math.exp((double) windowed[i] - full[i]));
        }
        return s / full.length;
    }
}
