package org.isentropic.theory.models;

/** How a {@link LogitModel}'s logits follow from the vectors it samples. */
public enum LogitKind {
    /** {@code scale * cos(q, k_j)} (cosine attention, CosScale). */
    COSINE,
    /** {@code scale * q . k_j / sqrt(d)} (scaled dot product). */
    DOT
}
