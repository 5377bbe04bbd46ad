package org.isentropic.theory.models;

import org.apache.commons.math3.analysis.integration.gauss.GaussIntegrator;
import org.apache.commons.math3.analysis.integration.gauss.GaussIntegratorFactory;
import org.apache.commons.math3.special.Beta;
import org.apache.commons.math3.special.Gamma;

/**
 * The cosine t = cos(q, k) between a fixed direction and a key uniform on the unit sphere of R^d, and
 * the logit z = scale * t. Its law: {@code (t + 1)/2 ~ Beta((d-1)/2, (d-1)/2)}, density proportional to
 * {@code (1 - t^2)^((d-3)/2)} on [-1, 1]; in the angle theta = acos t, density proportional to
 * {@code sin^(d-2) theta} on [0, pi], which is what the quadrature integrates (no endpoint singularity
 * for any d >= 2).
 *
 * <p>Quadrature: composite Gauss-Legendre (20 nodes from commons-math3, 64 panels) on a window of +-40
 * curvature widths around the peak of the tilted density {@code exp(kappa cos theta) sin^(d-2) theta},
 * clipped to [0, pi], computed with the peak factored out so that any finite kappa stays finite.
 */
public final class CosineLaw implements LogitLaw {

    private static final int PANELS = 64;
    private static final double HALF_WINDOW_WIDTHS = 40.0;
    private static final double[] NODE;
    private static final double[] WEIGHT;

    static {
        GaussIntegrator rule = new GaussIntegratorFactory().legendre(20, -1.0, 1.0);
        NODE = new double[rule.getNumberOfPoints()];
        WEIGHT = new double[NODE.length];
        for (int i = 0; i < NODE.length; i++) {
            NODE[i] = rule.getPoint(i);
            WEIGHT[i] = rule.getWeight(i);
        }
    }

    private final int d;
    private final double scale;
    private final double alpha;
    private final double logNorm;

    /**
     * @param d     dimension, {@code >= 2}
     * @param scale the logit per unit cosine, finite and {@code > 0}
     */
    public CosineLaw(int d, double scale) {
        if (d < 2) {
            throw new IllegalArgumentException("d must be >= 2, got " + d);
        }
        if (!(scale > 0) || Double.isInfinite(scale)) {
            throw new IllegalArgumentException("scale must be finite and > 0, got " + scale);
        }
        this.d = d;
        this.scale = scale;
        this.alpha = 0.5 * (d - 1);
        // ln of the integral of sin^(d-2) over [0, pi] = ln B(1/2, (d-1)/2)
        this.logNorm = Gamma.logGamma(0.5) + Gamma.logGamma(alpha) - Gamma.logGamma(0.5 * d);
    }

    public int dim() {
        return d;
    }

    public double scale() {
        return scale;
    }

    /** The Beta parameter (d-1)/2 of {@code (t + 1)/2}. */
    public double betaParameter() {
        return alpha;
    }

    /** {@code P(t >= c)} exactly: the regularized incomplete Beta function {@code I_{(1-c)/2}(a, a)}. */
    public double tail(double c) {
        if (Double.isNaN(c)) {
            throw new IllegalArgumentException("c must not be NaN");
        }
        if (c <= -1) {
            return 1.0;
        }
        if (c >= 1) {
            return 0.0;
        }
        return Beta.regularizedBeta(0.5 * (1.0 - c), alpha, alpha);
    }

    /** {@code P(t <= c)}. */
    public double cdf(double c) {
        return tail(-c);
    }

    @Override
    public double logMgf(double lambda) {
        return tilted(lambda)[0];
    }

    @Override
    public double tiltedMean(double lambda) {
        return tilted(lambda)[1];
    }

    /** {ln M(lambda), M'(lambda)/M(lambda)} by quadrature in one pass. */
    public double[] tilted(double lambda) {
        if (!Double.isFinite(lambda)) {
            throw new IllegalArgumentException("lambda must be finite, got " + lambda);
        }
        double kappa = lambda * scale;
        int m = d - 2;
        double peak;
        if (m == 0) {
            peak = kappa >= 0 ? 0.0 : Math.PI;
        } else {
            double c = kappa == 0 ? 0.0 : (Math.sqrt((double) m * m + 4.0 * kappa * kappa) - m) / (2.0 * kappa);
            peak = Math.acos(c);
        }
        double sinPeak = Math.sin(peak);
        double curvature = Math.abs(kappa * Math.cos(peak)) + (m == 0 ? 0.0 : m / (sinPeak * sinPeak));
        double halfWindow = curvature > 0 ? HALF_WINDOW_WIDTHS / Math.sqrt(curvature) : Math.PI;
        double lo = Math.max(0.0, peak - halfWindow);
        double hi = Math.min(Math.PI, peak + halfWindow);
        double gPeak = kappa * Math.cos(peak) + (m == 0 ? 0.0 : m * Math.log(sinPeak));
        double panel = (hi - lo) / PANELS;
        double s0 = 0;
        double s1 = 0;
        for (int p = 0; p < PANELS; p++) {
            double mid = lo + (p + 0.5) * panel;
            for (int i = 0; i < NODE.length; i++) {
                double theta = mid + 0.5 * panel * NODE[i];
                double cos = Math.cos(theta);
                double g = kappa * cos + (m == 0 ? 0.0 : m * Math.log(Math.sin(theta)));
                double w = WEIGHT[i] * Math.exp(g - gPeak);
                s0 += w;
                s1 += w * cos;
            }
        }
        s0 *= 0.5 * panel;
        s1 *= 0.5 * panel;
        return new double[] {gPeak + Math.log(s0) - logNorm, scale * s1 / s0};
    }

    /**
     * Su's Laplace form: the tilted density {@code exp(kappa t) (1 - t^2)^(d/2)} (large-d exponent) peaks
     * at {@code c = (sqrt(d^2 + 4 kappa^2) - d) / (2 kappa)}, kappa = lambda * scale, and
     * {@code ln M ~ kappa c + (d/2) ln(1 - c^2)}.
     */
    @Override
    public double laplaceLogMgf(double lambda) {
        double kappa = lambda * scale;
        double c = laplacePeak(kappa);
        return kappa * c + 0.5 * d * Math.log1p(-c * c);
    }

    @Override
    public double laplaceTiltedMean(double lambda) {
        return scale * laplacePeak(lambda * scale);
    }

    /** The peak {@code c(kappa) = (sqrt(d^2 + 4 kappa^2) - d) / (2 kappa)} (0 at kappa = 0). */
    public double laplacePeak(double kappa) {
        if (kappa == 0) {
            return 0.0;
        }
        // Written as 2 kappa / (sqrt(d^2 + 4 kappa^2) + d) to avoid cancellation for small kappa.
        return 2.0 * kappa / (Math.sqrt((double) d * d + 4.0 * kappa * kappa) + d);
    }

    /**
     * The expected largest cosine among n independent keys: {@code 1 - integral_{-1}^{1} F(t)^n dt} with F
     * the exact Beta-law CDF (composite Gauss-Legendre, 200 panels).
     */
    public double expectedMax(int n) {
        if (n < 1) {
            throw new IllegalArgumentException("n must be >= 1, got " + n);
        }
        int panels = 200;
        double h = 2.0 / panels;
        double sum = 0;
        for (int p = 0; p < panels; p++) {
            double mid = -1.0 + (p + 0.5) * h;
            for (int i = 0; i < NODE.length; i++) {
                double t = mid + 0.5 * h * NODE[i];
                double f = cdf(t);
                sum += WEIGHT[i] * (f <= 0 ? 0.0 : Math.exp(n * Math.log(f)));
            }
        }
        return 1.0 - 0.5 * h * sum;
    }

    @Override
    public String toString() {
        return "CosineLaw[d=" + d + ", scale=" + scale + "]";
    }
}
