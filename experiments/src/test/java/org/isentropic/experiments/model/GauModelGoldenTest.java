package org.isentropic.experiments.model;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.function.UnaryOperator;
import org.isentropic.experiments.io.SafeTensors;
import org.isentropic.kernels.AttentionKernels;
import org.isentropic.kernels.spec.AttentionSpec;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The Java forward pass on the kernels equals the training engine's forward pass at N. Golden source: the
 * training run (DJL PyTorch 2.7.1, float32) wrote its MLM logits for two masked validation sequences to
 * {@code golden/NAME-golden.safetensors} right after writing the checkpoint.
 */
class GauModelGoldenTest {

    /**
     * Float32 rounding through 4 layers of sums over at most max(h, e, N) = 128 terms, relative to the logit
     * scale: a few hundred ulps of 1e-7 each; 1e-4 (this test's bound) covers it with margin, and a wrong
     * convention (RoPE direction, norm, swish, scale) moves logits by O(0.1) or more.
     */
    static final double TOLERANCE = 1e-4;

    @ParameterizedTest
    @ValueSource(strings = {"gau-softmax", "gau-cosscale", "d128/softmax-seed1", "d128/cos128-seed1", "d128/softplus-seed1",
        "v3/softmax-seed1", "v3/cos128-seed1", "v3/softplus-seed1"})
    void javaForwardEqualsTrainingEngine(String name) {
        GauModel model = GauModel.loadResource(name);
        SafeTensors.Contents golden = SafeTensors.readResource("golden/" + name + "-golden.safetensors");
        SafeTensors.Tensor tokens = golden.get("tokens");
        SafeTensors.Tensor logits = golden.get("logits");
        int rows = tokens.shape()[0];
        int n = tokens.shape()[1];
        int v = model.config().vocabSize();
        assertEquals(model.config().trainLength(), n);
        assertEquals(v, logits.shape()[2]);
        double worst = 0;
        double scale = 0;
        for (int r = 0; r < rows; r++) {
            int[] seq = java.util.Arrays.copyOfRange(tokens.ints(), r * n, (r + 1) * n);
            GauModel.Forward f = model.forward(seq, UnaryOperator.identity(), AttentionKernels.reference(), null);
            for (int i = 0; i < n * v; i++) {
                float expected = logits.floats()[r * n * v + i];
                worst = Math.max(worst, Math.abs(f.logits()[i] - expected));
                scale = Math.max(scale, Math.abs(expected));
            }
        }
        System.err.printf("%s: max abs diff %.3g, max logit %.3g%n", name, worst, scale);
        double bound = TOLERANCE * Math.max(1, scale);
        assertTrue(worst <= bound, name + ": max |java - djl| = " + worst + " > " + bound + " (max |logit| " + scale + ")");
    }
}
