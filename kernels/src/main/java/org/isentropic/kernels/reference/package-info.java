/**
 * The reference kernel: plain loops, double accumulators, every logit formed as
 * {@link org.isentropic.kernels.spec.AttentionSpec} defines it. The oracle the other kernels are tested against;
 * callers reach it through {@code AttentionKernels.reference}. Depends on
 * {@code spec} only.
 */
package org.isentropic.kernels.reference;
