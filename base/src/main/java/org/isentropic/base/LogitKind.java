package org.isentropic.base;

/**
 * How the logit of a query-key pair is formed from the two vectors, before temperature, position bias and mask:
 * the one vocabulary of the theory's logit models ({@code LogitModel.kind()}) and of the kernels
 * ({@code AttentionSpec.kind()}), which may not depend on each other, so it lives here, below both.
 */
public enum LogitKind {
    /**
     * The scaled dot product q . k / sqrt(d) (Vaswani et al. 2017), times the model's scale in the theory's
     * logit models.
     */
    DOT,
    /**
     * Cosine attention s * cos(q, k) (CosScale, docs/method.md): q and k are normalised (in the kernels before
     * rotary positions); a zero vector has cosine 0 with everything.
     */
    COSINE
}
