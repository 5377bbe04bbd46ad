package org.isentropic.experiments.eval;

import java.util.ArrayList;
import java.util.List;
import java.util.function.UnaryOperator;
import org.isentropic.experiments.model.GauModel;
import org.isentropic.kernels.AttentionKernel;
import org.isentropic.kernels.AttentionSpec;
import org.isentropic.kernels.NMode;

/**
 * Claim (4) in a trained model: does raising the logit scale make attention windowed? For each multiplier
 * m, every layer's scale is multiplied by m (CosScale: s_l -> m s_l; softmax: a constant temperature m on
 * q.k/sqrt(d)), the unmasked test documents are run at length n with plain RoPE, and we measure per layer
 * the <em>local mass</em> (mean over rows of the attention probability on keys with |i - j| <= w) and the
 * mean row entropy. Windowed attention has local mass 1.
 */
public final class WindowProbe {

    /** One multiplier's result, per layer. */
    public record Row(String model, double multiplier, double[] localMass, double[] entropy) {
    }

    private WindowProbe() {
    }

    public static List<Row> run(GauModel model, TestSet test, int documents, int n, int w, double[] multipliers,
            AttentionKernel kernel) {
        int layers = model.config().layers();
        int space = model.vocabulary().id(' ');
        List<Row> rows = new ArrayList<>();
        for (double mult : multipliers) {
            if (!(mult > 0)) {
                throw new IllegalArgumentException("multiplier must be > 0, got " + mult);
            }
            UnaryOperator<AttentionSpec> op = model.config().cosine()
                    ? s -> AttentionSpec.cosine(s.cosScale() * mult).withPositions(s.positions())
                    : s -> s.withRule(len -> mult, NMode.SEQUENCE);
            double[] mass = new double[layers];
            double[] ent = new double[layers];
            for (int doc = 0; doc < documents; doc++) {
                GauModel.Forward f = model.forward(test.tokens(doc, n, space), op, kernel, new int[] {0}, true, true);
                for (int l = 0; l < layers; l++) {
                    float[] p = f.probs()[l];
                    double sum = 0;
                    for (int i = 0; i < n; i++) {
                        for (int j = Math.max(0, i - w); j <= Math.min(n - 1, i + w); j++) {
                            sum += p[i * n + j];
                        }
                    }
                    mass[l] += sum / n / documents;
                    ent[l] += f.meanEntropy()[l] / documents;
                }
            }
            rows.add(new Row(model.name(), mult, mass, ent));
        }
        return rows;
    }
}
