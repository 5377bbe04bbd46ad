package org.isentropic.theory.models;

import java.util.Arrays;
import org.apache.commons.rng.UniformRandomProvider;
import org.apache.commons.rng.sampling.distribution.ChengBetaSampler;
import org.apache.commons.rng.sampling.distribution.ContinuousSampler;
import org.apache.commons.rng.sampling.distribution.ZigguratSampler;
import org.ejml.data.DMatrixRMaj;
import org.ejml.dense.row.factory.DecompositionFactory_DDRM;
import org.ejml.interfaces.decomposition.CholeskyDecomposition_F64;
import org.isentropic.base.LogitKind;

/** Factories of the project's {@link LogitModel}s; docs/theory.md section "Logit models". */
public final class LogitModels {

    private LogitModels() {
    }

    /**
     * Query and keys uniform on the unit sphere of R^d, logits {@code scale * cos}. The cosine of each key
     * is drawn directly from its law, {@code (t + 1)/2 ~ Beta((d-1)/2, (d-1)/2)}, in {@link
     * LogitModel#sampleLogits}.
     *
     * @param d     {@code >= 2}
     * @param scale {@code > 0}, finite (CosScale's s)
     */
    public static LogitModel sphere(int d, double scale) {
        return new Sphere(d, scale, 0, 0.0);
    }

    /**
     * Isotropic Gaussian query and keys: {@code q ~ N(0, (qNorm^2/d) I)}, {@code k ~ N(0, (kNorm^2/d) I)}
     * (so {@code E|q|^2 = qNorm^2}), logits {@code q . k / sqrt(d)}. Given q the logits are i.i.d.
     * {@code N(0, |q|^2 kNorm^2 / d^2)}; the distractor law at the typical query is
     * {@code N(0, (qNorm kNorm / d)^2)}. Su's setting is {@code qNorm = kNorm = sqrt(d)}.
     *
     * @param d     {@code >= 1}
     * @param qNorm {@code > 0}, finite
     * @param kNorm {@code > 0}, finite
     */
    public static LogitModel gaussian(int d, double qNorm, double kNorm) {
        checkDim(d, 1);
        checkPositive("qNorm", qNorm);
        checkPositive("kNorm", kNorm);
        double[] diagonal = new double[d];
        Arrays.fill(diagonal, kNorm * kNorm / d);
        return new Gaussian("gaussian", d, qNorm / Math.sqrt(d), choleskyDiagonal(diagonal));
    }

    /**
     * A standard normal query {@code q ~ N(0, I)} against Gaussian keys {@code k ~ N(0, Sigma)}, logits
     * {@code q . k / sqrt(d)}. Keys are drawn as {@code L g} with {@code Sigma = L L^T} (EJML Cholesky).
     * Given q the logits are i.i.d. {@code N(0, q^T Sigma q / d)}; the distractor law at the typical query
     * uses {@code E[q^T Sigma q] = tr Sigma}.
     *
     * @param d          {@code >= 1}
     * @param covariance either the d diagonal entries (all {@code > 0}) or the full d*d matrix, row-major,
     *                   symmetric positive definite
     */
    public static LogitModel anisotropic(int d, double[] covariance) {
        checkDim(d, 1);
        if (covariance == null) {
            throw new IllegalArgumentException("covariance must not be null");
        }
        for (int i = 0; i < covariance.length; i++) {
            if (!Double.isFinite(covariance[i])) {
                throw new IllegalArgumentException("covariance[" + i + "] must be finite, got " + covariance[i]);
            }
        }
        double[] lower;
        if (covariance.length == d) {
            for (int i = 0; i < d; i++) {
                checkPositive("covariance[" + i + "]", covariance[i]);
            }
            lower = choleskyDiagonal(covariance);
        } else if (covariance.length == d * d) {
            lower = choleskyFull(d, covariance);
        } else {
            throw new IllegalArgumentException("covariance must have d = " + d + " or d*d = " + d * d
                    + " values, got " + covariance.length);
        }
        return new Gaussian("anisotropic", d, 1.0, lower);
    }

    /**
     * The sphere model with {@code focusCount} planted keys (keys 0..focusCount-1) whose cosine with the
     * query is exactly {@code focusCosine}, among uniform distractors: the "focus on the original tokens"
     * reading of the paper.
     *
     * @param d           {@code >= 2}
     * @param scale       {@code > 0}, finite
     * @param focusCount  {@code >= 1}
     * @param focusCosine in [-1, 1]
     */
    public static LogitModel plantedFocus(int d, double scale, int focusCount, double focusCosine) {
        if (focusCount < 1) {
            throw new IllegalArgumentException("focusCount must be >= 1, got " + focusCount);
        }
        if (!(focusCosine >= -1 && focusCosine <= 1)) {
            throw new IllegalArgumentException("focusCosine must be in [-1, 1], got " + focusCosine);
        }
        return new Sphere(d, scale, focusCount, focusCosine);
    }

    static void checkDim(int d, int min) {
        if (d < min) {
            throw new IllegalArgumentException("d must be >= " + min + ", got " + d);
        }
    }

    static void checkPositive(String name, double v) {
        if (!(v > 0) || Double.isInfinite(v)) {
            throw new IllegalArgumentException(name + " must be finite and > 0, got " + v);
        }
    }

    static void checkN(int n, int focusCount) {
        if (n < Math.max(1, focusCount)) {
            throw new IllegalArgumentException("n must be >= " + Math.max(1, focusCount) + ", got " + n);
        }
    }

    private static double[] choleskyDiagonal(double[] diagonal) {
        int d = diagonal.length;
        double[] lower = new double[d * d];
        for (int i = 0; i < d; i++) {
            lower[i * d + i] = Math.sqrt(diagonal[i]);
        }
        return lower;
    }

    private static double[] choleskyFull(int d, double[] covariance) {
        for (int i = 0; i < d; i++) {
            for (int j = 0; j < i; j++) {
                double a = covariance[i * d + j];
                double b = covariance[j * d + i];
                if (Math.abs(a - b) > 1e-12 * Math.max(1.0, Math.max(Math.abs(a), Math.abs(b)))) {
                    throw new IllegalArgumentException("covariance must be symmetric: [" + i + "," + j + "] = " + a
                            + ", [" + j + "," + i + "] = " + b);
                }
            }
        }
        DMatrixRMaj sigma = new DMatrixRMaj(d, d, true, covariance);
        CholeskyDecomposition_F64<DMatrixRMaj> chol = DecompositionFactory_DDRM.chol(d, true);
        if (!chol.decompose(sigma)) {
            throw new IllegalArgumentException("covariance must be positive definite (Cholesky failed)");
        }
        DMatrixRMaj l = chol.getT(null);
        double[] lower = new double[d * d];
        for (int i = 0; i < d; i++) {
            for (int j = 0; j <= i; j++) {
                lower[i * d + j] = l.get(i, j);
            }
        }
        return lower;
    }

    /** Fills v[0..d) with a uniform unit vector (Gaussian normalisation). */
    static void unitVector(ContinuousSampler normal, double[] v, int off, int d) {
        double ss;
        do {
            ss = 0;
            for (int c = 0; c < d; c++) {
                double g = normal.sample();
                v[off + c] = g;
                ss += g * g;
            }
        } while (ss == 0);
        double inv = 1.0 / Math.sqrt(ss);
        for (int c = 0; c < d; c++) {
            v[off + c] *= inv;
        }
    }

    /**
     * Sphere and planted-focus models (cosine logits); the components answer {@link LogitModel}'s accessors
     * and CosineLaw checks d and scale.
     */
    private record Sphere(int dim, double scale, int focusCount, double focusCosine, CosineLaw distractorLaw)
            implements LogitModel {

        Sphere(int dim, double scale, int focusCount, double focusCosine) {
            this(dim, scale, focusCount, focusCosine, new CosineLaw(dim, scale));
        }

        @Override
        public String id() {
            return focusCount == 0 ? "sphere" : "planted";
        }

        @Override
        public LogitKind kind() {
            return LogitKind.COSINE;
        }

        @Override
        public double[] focusLogits() {
            double[] f = new double[focusCount];
            Arrays.fill(f, scale * focusCosine);
            return f;
        }

        @Override
        public void sampleLogits(UniformRandomProvider rng, int n, double[] out) {
            checkN(n, focusCount);
            double a = distractorLaw.betaParameter();
            ContinuousSampler beta = ChengBetaSampler.of(rng, a, a);
            double focus = scale * focusCosine;
            for (int j = 0; j < focusCount; j++) {
                out[j] = focus;
            }
            double twoScale = 2.0 * scale;
            for (int j = focusCount; j < n; j++) {
                out[j] = twoScale * beta.sample() - scale;
            }
        }

        @Override
        public void sampleVectors(UniformRandomProvider rng, int n, double[] q, double[] keys) {
            checkN(n, focusCount);
            int d = dim;
            ContinuousSampler normal = ZigguratSampler.NormalizedGaussian.of(rng);
            unitVector(normal, q, 0, d);
            for (int j = 0; j < n; j++) {
                unitVector(normal, keys, j * d, d);
            }
            double sine = Math.sqrt(Math.max(0.0, 1.0 - focusCosine * focusCosine));
            for (int j = 0; j < focusCount; j++) {
                int o = j * d;
                // Direction orthogonal to q from a uniform vector (Gram-Schmidt), redrawn if degenerate.
                double norm;
                do {
                    double dot = 0;
                    for (int c = 0; c < d; c++) {
                        dot += keys[o + c] * q[c];
                    }
                    norm = 0;
                    for (int c = 0; c < d; c++) {
                        keys[o + c] -= dot * q[c];
                        norm += keys[o + c] * keys[o + c];
                    }
                    if (norm < 1e-12) {
                        unitVector(normal, keys, o, d);
                    }
                } while (norm < 1e-12);
                double inv = 1.0 / Math.sqrt(norm);
                for (int c = 0; c < d; c++) {
                    keys[o + c] = focusCosine * q[c] + sine * keys[o + c] * inv;
                }
            }
        }

        @Override
        public String toString() {
            return focusCount == 0 ? "sphere(d=" + dim + ", scale=" + scale + ")"
                    : "planted(d=" + dim + ", scale=" + scale + ", focus=" + focusCount + " at cos " + focusCosine + ")";
        }
    }

    /**
     * Gaussian keys k = L g against a Gaussian query q = qStd * g' (dot-product logits); {@code diagonal} says
     * whether L is, so that sampling can skip the product.
     */
    private record Gaussian(String id, int dim, double qStd, double[] lower, boolean diagonal,
            GaussianLaw distractorLaw) implements LogitModel {

        Gaussian(String id, int dim, double qStd, double[] lower) {
            this(id, dim, qStd, lower, isDiagonal(dim, lower), typicalQueryLaw(dim, qStd, lower));
        }

        @Override
        public LogitKind kind() {
            return LogitKind.DOT;
        }

        @Override
        public double scale() {
            return 1.0;
        }

        /**
         * The distractor law at the typical query: variance {@code E[q^T Sigma q] / d = qStd^2 tr(Sigma) / d},
         * with {@code tr(Sigma)} the sum of squares of L's entries.
         */
        private static GaussianLaw typicalQueryLaw(int d, double qStd, double[] lower) {
            double trace = 0;
            for (int i = 0; i < d; i++) {
                for (int j = 0; j <= i; j++) {
                    trace += lower[i * d + j] * lower[i * d + j];
                }
            }
            return new GaussianLaw(qStd * Math.sqrt(trace / d));
        }

        private static boolean isDiagonal(int d, double[] lower) {
            for (int i = 0; i < d; i++) {
                for (int j = 0; j < d; j++) {
                    if (i != j && lower[i * d + j] != 0) {
                        return false;
                    }
                }
            }
            return true;
        }

        @Override
        public void sampleLogits(UniformRandomProvider rng, int n, double[] out) {
            checkN(n, 0);
            int d = dim;
            ContinuousSampler normal = ZigguratSampler.NormalizedGaussian.of(rng);
            // Given q, z_j = (L^T q) . g_j / sqrt(d) ~ N(0, |L^T q|^2 / d).
            double ss = 0;
            if (diagonal) {
                for (int c = 0; c < d; c++) {
                    double w = lower[c * d + c] * qStd * normal.sample();
                    ss += w * w;
                }
            } else {
                double[] q = new double[d];
                for (int c = 0; c < d; c++) {
                    q[c] = qStd * normal.sample();
                }
                for (int c = 0; c < d; c++) {
                    double w = 0;
                    for (int r = c; r < d; r++) {
                        w += lower[r * d + c] * q[r];
                    }
                    ss += w * w;
                }
            }
            double sigma = Math.sqrt(ss / d);
            for (int j = 0; j < n; j++) {
                out[j] = sigma * normal.sample();
            }
        }

        @Override
        public void sampleVectors(UniformRandomProvider rng, int n, double[] q, double[] keys) {
            checkN(n, 0);
            int d = dim;
            ContinuousSampler normal = ZigguratSampler.NormalizedGaussian.of(rng);
            for (int c = 0; c < d; c++) {
                q[c] = qStd * normal.sample();
            }
            double[] g = new double[d];
            for (int j = 0; j < n; j++) {
                for (int c = 0; c < d; c++) {
                    g[c] = normal.sample();
                }
                int o = j * d;
                for (int r = 0; r < d; r++) {
                    double v = 0;
                    for (int c = 0; c <= r; c++) {
                        v += lower[r * d + c] * g[c];
                    }
                    keys[o + r] = v;
                }
            }
        }

        @Override
        public String toString() {
            return id + "(d=" + dim + ")";
        }
    }
}
