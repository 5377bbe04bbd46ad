/**
 * Attention kernels with the row entropy measured in the same pass; JDK only (plus the incubating Vector
 * API when present).
 *
 * <p>One {@link org.isentropic.kernels.AttentionSpec} describes a computation (logit kind, per-row
 * temperature or length rule with its choice of n, position scheme, mask); the kernels compute, for
 * every query row i, p_i = softmax(z_i) over the visible keys, o_i = sum_j p_ij v_j, the entropy
 * H_i = logsumexp(z_i) - sum_j p_ij z_ij (nats) and logsumexp(z_i). Layout everywhere: {@code q[i*d + c]},
 * {@code k[j*d + c]}, {@code v[j*dv + c]}, {@code o[i*dv + c]}.
 * <ul>
 *   <li>{@link org.isentropic.kernels.AttentionKernels#reference()}: the oracle (double, plain loops).</li>
 *   <li>{@link org.isentropic.kernels.AttentionKernels#fused(int)}: the fast kernel
 *       ({@link org.isentropic.kernels.FusedKernel}): query blocks x key tiles, online softmax carrying
 *       the entropy, Vector API register tiles, threads; scalar fallback without the module.</li>
 *   <li>{@link org.isentropic.kernels.DecodeStep}: one new query against a growing K/V cache.</li>
 *   <li>{@link org.isentropic.kernels.io.Npy}: NumPy .npy files in and out.</li>
 * </ul>
 * Semantics of positions and masks follow docs/method.md (the method and the length-extrapolation methods),
 * including the reference implementation's quirks as named options (rerope-reference, pi-reference);
 * commands and experiments select them by name through one registry each
 * ({@link org.isentropic.kernels.Positions#parse}, {@link org.isentropic.kernels.Mask#parse}). How the fused
 * kernel works and what was measured: docs/performance.md.
 */
package org.isentropic.kernels;
