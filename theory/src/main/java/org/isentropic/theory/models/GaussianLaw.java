package org.isentropic.theory.models;

/**
 * A centred Gaussian logit z ~ N(0, sigma^2): {@code ln M = lambda^2 sigma^2 / 2},
 * {@code M'/M = lambda sigma^2}. The Laplace method is exact here.
 *
 * @param sigma standard deviation, finite and {@code >= 0}
 */
public record GaussianLaw(double sigma) implements LogitLaw {

    public GaussianLaw {
        if (!(sigma >= 0) || Double.isInfinite(sigma)) {
            throw new IllegalArgumentException("sigma must be finite and >= 0, got " + sigma);
        }
    }

    @Override
    public double logMgf(double lambda) {
        return 0.5 * lambda * lambda * sigma * sigma;
    }

    @Override
    public double tiltedMean(double lambda) {
        return lambda * sigma * sigma;
    }

    @Override
    public double laplaceLogMgf(double lambda) {
        return logMgf(lambda);
    }

    @Override
    public double laplaceTiltedMean(double lambda) {
        return tiltedMean(lambda);
    }
}
