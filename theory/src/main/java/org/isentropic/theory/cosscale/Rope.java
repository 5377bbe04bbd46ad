package org.isentropic.theory.cosscale;

/**
 * Rotary position embedding in double precision, interleaved pairs (2m, 2m+1) rotated by the angle
 * {@code position * base^(-2m/d)} (docs/method.md (the length-extrapolation baselines), GAU-alpha's convention).
 *
 * <p>Why a second RoPE besides the kernels' one: theory is double-precision analysis and must not
 * depend on the float hot path (nor the kernels on theory; README.md, the modules). This is the few lines the
 * CosScale analysis needs, kept deliberately plain; the verification module checks that it and the
 * kernels' {@code Positions.rope} agree.
 */
public final class Rope {

    private final int d;
    private final double[] frequency;

    /**
     * @param d    even, {@code >= 2}
     * @param base {@code > 1}, finite (10000 in RoPE)
     */
    public Rope(int d, double base) {
        if (d < 2 || d % 2 != 0) {
            throw new IllegalArgumentException("d must be even and >= 2 under RoPE, got " + d);
        }
        if (!(base > 1) || Double.isInfinite(base)) {
            throw new IllegalArgumentException("base must be finite and > 1, got " + base);
        }
        this.d = d;
        this.frequency = new double[d / 2];
        for (int m = 0; m < d / 2; m++) {
            frequency[m] = Math.pow(base, -2.0 * m / d);
        }
    }

    public int dim() {
        return d;
    }

    /** The angle frequency {@code base^(-2m/d)} of pair m. */
    public double frequency(int m) {
        return frequency[m];
    }

    /** Rotates {@code v[off .. off+d)} in place by position {@code pos}. */
    public void rotate(double[] v, int off, double pos) {
        for (int m = 0; m < d / 2; m++) {
            double angle = pos * frequency[m];
            double c = Math.cos(angle);
            double s = Math.sin(angle);
            int i = off + 2 * m;
            double x = v[i];
            double y = v[i + 1];
            v[i] = x * c - y * s;
            v[i + 1] = x * s + y * c;
        }
    }
}
