package org.isentropic.theory.solvers;

/**
 * What is held fixed at the training length: either the temperature lambda_N that multiplies the model's
 * logits there ({@link #scale}), so the target entropy is the entropy at N with that temperature, or the
 * target entropy itself ({@link #entropy}), in which case lambda_N is solved for too.
 *
 * @param scale   lambda_N (finite, {@code > 0}), or NaN when the entropy is given
 * @param entropy the target entropy in nats (finite, {@code > 0}), or NaN when the scale is given
 */
public record Base(double scale, double entropy) {

    public Base {
        boolean hasScale = !Double.isNaN(scale);
        boolean hasEntropy = !Double.isNaN(entropy);
        if (hasScale == hasEntropy) {
            throw new IllegalArgumentException("give exactly one of base scale and base entropy, got scale = "
                    + scale + ", entropy = " + entropy);
        }
        if (hasScale && (!(scale > 0) || Double.isInfinite(scale))) {
            throw new IllegalArgumentException("base scale must be finite and > 0, got " + scale);
        }
        if (hasEntropy && (!(entropy > 0) || Double.isInfinite(entropy))) {
            throw new IllegalArgumentException("base entropy must be finite and > 0, got " + entropy);
        }
    }

    /** Holds lambda_N fixed. */
    public static Base scale(double lambdaN) {
        return new Base(lambdaN, Double.NaN);
    }

    /** Holds the entropy at N fixed at {@code h} nats (0 < h < ln N). */
    public static Base entropy(double h) {
        return new Base(Double.NaN, h);
    }

    public boolean isScale() {
        return !Double.isNaN(scale);
    }

    @Override
    public String toString() {
        return isScale() ? "scale " + scale : "entropy " + entropy;
    }
}
