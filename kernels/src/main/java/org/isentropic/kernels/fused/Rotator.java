package org.isentropic.kernels.fused;

/**
 * Rotates vectors at successive positions 0, 1, 2, ... without one cos/sin call per component: the
 * (cos, sin) of each pair's angle advances by one complex multiplication per position and is recomputed
 * exactly every {@value #RESYNC} positions, so the drift stays at a few double ulps. Same rotation as
 * {@link org.isentropic.kernels.spec.Positions#rotate} (the reference calls that directly; comparing both checks
 * this class).
 */
final class Rotator {

    private static final int RESYNC = 64;

    private final int d;
    private final int half;
    private final boolean halfSplit;
    private final double[] theta;
    private final double positionScale;
    private final double[] cos;
    private final double[] sin;
    private final double[] stepCos;
    private final double[] stepSin;
    private int position;

    Rotator(int d, double[] theta, double positionScale, boolean halfSplit) {
        this.d = d;
        this.half = d / 2;
        this.halfSplit = halfSplit;
        this.theta = theta;
        this.positionScale = positionScale;
        this.cos = new double[half];
        this.sin = new double[half];
        this.stepCos = new double[half];
        this.stepSin = new double[half];
        for (int m = 0; m < half; m++) {
            stepCos[m] = Math.cos(positionScale * theta[m]);
            stepSin[m] = Math.sin(positionScale * theta[m]);
        }
        seek(0);
    }

    /** Jumps to a position (exact cos and sin). */
    void seek(int p) {
        position = p;
        for (int m = 0; m < half; m++) {
            double a = p * positionScale * theta[m];
            cos[m] = Math.cos(a);
            sin[m] = Math.sin(a);
        }
    }

    /** Moves to the next position. */
    void advance() {
        position++;
        if (position % RESYNC == 0) {
            seek(position);
            return;
        }
        for (int m = 0; m < half; m++) {
            double c = cos[m] * stepCos[m] - sin[m] * stepSin[m];
            double s = sin[m] * stepCos[m] + cos[m] * stepSin[m];
            cos[m] = c;
            sin[m] = s;
        }
    }

    int position() {
        return position;
    }

    /** Rotates x (d values) in place by the current position's angles. */
    void rotate(double[] x) {
        for (int m = 0; m < half; m++) {
            int i0 = halfSplit ? m : 2 * m;
            int i1 = halfSplit ? m + half : 2 * m + 1;
            double x0 = x[i0];
            double x1 = x[i1];
            x[i0] = x0 * cos[m] - x1 * sin[m];
            x[i1] = x0 * sin[m] + x1 * cos[m];
        }
    }

    int dimension() {
        return d;
    }

    /** The frequencies this rotator was built for (the caller's array, compared by identity for reuse). */
    double[] theta() {
        return theta;
    }

    double positionScale() {
        return positionScale;
    }

    boolean halfSplit() {
        return halfSplit;
    }
}
