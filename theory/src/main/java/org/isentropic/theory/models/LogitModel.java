package org.isentropic.theory.models;

import org.apache.commons.rng.UniformRandomProvider;
import org.isentropic.base.LogitKind;

/**
 * A random query against n random keys, and the logits (temperature 1) it produces. Built by the
 * factories of {@link LogitModels}.
 *
 * <p>Layout: {@code q[c]} (d values) and {@code keys[j * d + c]} (n rows of d). The logits of those
 * vectors are {@code scale() * cos(q, k_j)} when {@link #kind()} is {@link LogitKind#COSINE} and
 * {@code scale() * q . k_j / sqrt(d)} when it is {@link LogitKind#DOT}, so that an attention kernel fed
 * the same vectors reproduces them. {@link #sampleLogits} draws from the same law without building
 * the vectors when a shortcut exists (the cosine's Beta law, the Gaussian's conditional law).
 */
public interface LogitModel {

    /** {@code sphere}, {@code gaussian}, {@code anisotropic} or {@code planted}. */
    String id();

    /** The dimension d of queries and keys. */
    int dim();

    LogitKind kind();

    /** The factor in front of the cosine or of {@code q . k / sqrt(d)}. */
    double scale();

    /** The planted keys are keys {@code 0 .. focusCount()-1}; 0 for models without focus. */
    default int focusCount() {
        return 0;
    }

    /**
     * The temperature-1 logits of the focus keys ({@code focusCount()} values, deterministic given the
     * model), an empty array for models without focus.
     */
    default double[] focusLogits() {
        return new double[0];
    }

    /**
     * The law of a distractor (non-focus) logit with the query at its typical value, for the mean-field
     * and Laplace forms. Exact for the sphere and planted models (the cosine law does not depend on q).
     */
    LogitLaw distractorLaw();

    /**
     * Draws the n temperature-1 logits of one query into {@code out[0..n)}.
     *
     * @param n {@code >= 1} (and {@code >= focusCount()})
     */
    void sampleLogits(UniformRandomProvider rng, int n, double[] out);

    /**
     * Draws one query and n keys: {@code q[0..d)}, {@code keys[0..n*d)} row-major.
     *
     * @param n {@code >= 1} (and {@code >= focusCount()})
     */
    void sampleVectors(UniformRandomProvider rng, int n, double[] q, double[] keys);

    /** The temperature-1 logits of vectors drawn by {@link #sampleVectors}, by the model's rule. */
    default void logitsOf(double[] q, double[] keys, int n, double[] out) {
        int d = dim();
        double qq = 0;
        for (int c = 0; c < d; c++) {
            qq += q[c] * q[c];
        }
        for (int j = 0; j < n; j++) {
            double dot = 0;
            double kk = 0;
            int o = j * d;
            for (int c = 0; c < d; c++) {
                dot += q[c] * keys[o + c];
                kk += keys[o + c] * keys[o + c];
            }
            out[j] = kind() == LogitKind.COSINE
                    ? scale() * dot / Math.sqrt(qq * kk)
                    : scale() * dot / Math.sqrt(d);
        }
    }
}
