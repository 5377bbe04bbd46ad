package org.isentropic.kernels.spec;

/** How the logit of a query-key pair is formed before temperature, position bias and mask. */
public enum LogitKind {
    /** q . k / sqrt(d), the standard scaled dot product (Vaswani et al. 2017). */
    DOT,
    /** s * cos(q, k) with q and k normalised before rotary positions (CosScale, docs/method.md). */
    COSINE
}
