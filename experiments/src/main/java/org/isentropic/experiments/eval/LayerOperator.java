package org.isentropic.experiments.eval;

import java.util.function.IntFunction;
import java.util.function.UnaryOperator;
import org.isentropic.kernels.spec.AttentionSpec;

/**
 * A per-layer spec operator for one forward pass: {@code GauModel.forward} applies its operator once per
 * layer, in layer order (layer l is call l), so this operator counts its calls to know the layer. Make a new
 * instance for every forward pass; it refuses more calls than layers.
 */
final class LayerOperator implements UnaryOperator<AttentionSpec> {

    private final IntFunction<UnaryOperator<AttentionSpec>> perLayer;
    private final int layers;
    private int calls;

    LayerOperator(IntFunction<UnaryOperator<AttentionSpec>> perLayer, int layers) {
        this.perLayer = perLayer;
        this.layers = layers;
    }

    @Override
    public AttentionSpec apply(AttentionSpec s) {
        if (calls >= layers) {
            throw new IllegalStateException("a per-layer operator was applied more than " + layers + " times; make one"
                    + " per forward pass");
        }
        return perLayer.apply(calls++).apply(s);
    }
}
