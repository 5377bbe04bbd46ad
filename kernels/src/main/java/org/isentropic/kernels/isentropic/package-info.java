/**
 * Exactly isentropic attention: {@code IsentropicKernel} solves each row's
 * temperature so that its entropy equals a target ({@link org.isentropic.kernels.spec.IsentropicTarget}) on top of
 * any kernel; its per-row solver is shared with the decode step. Callers reach it through
 * {@code AttentionKernels.isentropic}. Depends on {@code spec} only.
 */
package org.isentropic.kernels.isentropic;
