package org.isentropic.theory.models;

/**
 * The law of one distractor logit z (temperature 1, the query held at its typical value), through the
 * two quantities the large-n (mean-field) entropy needs: the log moment-generating function
 * {@code ln M(lambda) = ln E[e^(lambda z)]} and the tilted mean {@code M'(lambda)/M(lambda)}, plus their
 * Laplace-method approximations (peak of the tilted density, width terms dropped; Su 2021).
 */
public interface LogitLaw {

    /** {@code ln E[exp(lambda z)]}, lambda finite. */
    double logMgf(double lambda);

    /** {@code E[z exp(lambda z)] / E[exp(lambda z)]}. */
    double tiltedMean(double lambda);

    /** The Laplace-method approximation of {@link #logMgf}. */
    double laplaceLogMgf(double lambda);

    /** The Laplace-method approximation of {@link #tiltedMean}: z at the peak of the tilted density. */
    double laplaceTiltedMean(double lambda);
}
