package org.isentropic.kernels.reference;

import org.isentropic.kernels.spec.TemperatureSolving;

/**
 * One row's entropy curve in double from its logits z_j at factor 1 (negative infinity where masked): at
 * lambda &gt; 0 the logits are lambda z_j, their maximum lambda max_j z_j, and with t_j = lambda (z_j - max),
 * l = sum e^t, u = sum e^t t and w = sum e^t t^2, H = ln l - u / l and Var_p = w / l - (u / l)^2.
 */
final class ReferenceCurve implements TemperatureSolving.EntropyCurve {

    private double[] z;
    private int n;
    private double max;
    private int visible;
    private double variance = Double.NaN;

    /** Binds the curve to row logits z[0 .. n) with their maximum and visible count. */
    void bind(double[] z, int n, double max) {
        this.z = z;
        this.n = n;
        this.max = max;
        int count = 0;
        for (int j = 0; j < n; j++) {
            if (z[j] != Double.NEGATIVE_INFINITY) {
                count++;
            }
        }
        this.visible = count;
        this.variance = Double.NaN;
    }

    @Override
    public int visible() {
        return visible;
    }

    @Override
    public double entropy(double lambda) {
        if (visible == 0) {
            variance = 0;
            return 0;
        }
        double l = 0;
        double u = 0;
        double w = 0;
        for (int j = 0; j < n; j++) {
            if (z[j] == Double.NEGATIVE_INFINITY) {
                continue;
            }
            double t = lambda * (z[j] - max);
            double e = Math.exp(t);
            l += e;
            u += e * t;
            w += e * t * t;
        }
        double mean = u / l;
        variance = Math.max(0.0, w / l - mean * mean);
        return Math.max(0.0, Math.log(l) - mean);
    }

    @Override
    public double variance() {
        return variance;
    }
}
