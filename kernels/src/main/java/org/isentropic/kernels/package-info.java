/**
 * Attention kernels with the row entropy measured in the same pass; JDK only (plus the incubating Vector
 * API when present).
 *
 * <p>One {@link org.isentropic.kernels.spec.AttentionSpec} describes a computation (logit kind, per-row
 * temperature or length rule with its choice of n, position scheme, mask); the kernels compute, for
 * every query row i, p_i = softmax(z_i) over the visible keys, o_i = sum_j p_ij v_j, the entropy
 * H_i = logsumexp(z_i) - sum_j p_ij z_ij (nats) and logsumexp(z_i). Layout everywhere: {@code q[i*d + c]},
 * {@code k[j*d + c]}, {@code v[j*dv + c]}, {@code o[i*dv + c]}.
 *
 * <p>This package holds the entry point, {@link org.isentropic.kernels.AttentionKernels}:
 * <ul>
 *   <li>{@link org.isentropic.kernels.AttentionKernels#reference()}: the oracle (double, plain loops).</li>
 *   <li>{@link org.isentropic.kernels.AttentionKernels#fused(int)}: the fast kernel
 *       ({@link org.isentropic.kernels.fused.FusedKernel}): query blocks x key tiles, online softmax carrying
 *       the entropy, Vector API register tiles, threads; scalar fallback without the module.</li>
 *   <li>{@link org.isentropic.kernels.AttentionKernels#isentropic}: exactly isentropic attention on top of
 *       either.</li>
 * </ul>
 * The parts live in sub-packages, each depending only on those listed before it (the root package on all of
 * them; {@code KernelPackagesTest} fails on a cycle):
 * <ul>
 *   <li>{@link org.isentropic.kernels.spec}: what a call computes: the spec and its vocabulary (logit kind,
 *       positions, masks, n modes, isentropic targets, the scheme registries), the kernel interface, the output,
 *       the shared argument checks and the logit geometry every kernel builds its logits from;</li>
 *   <li>{@link org.isentropic.kernels.reference}: the reference kernel;</li>
 *   <li>{@link org.isentropic.kernels.fused}: the fused kernel and its multi-head form, with their SIMD machinery
 *       (tiles, exp2, the Vector API probe, the worker pool) and the dense-layer {@code Projection};</li>
 *   <li>{@link org.isentropic.kernels.isentropic}: the per-row temperature solver of isentropic attention;</li>
 *   <li>{@link org.isentropic.kernels.decode}: one new query against a K/V cache, single- and multi-head (uses
 *       the fused package's pool and exp2 and the isentropic solver);</li>
 *   <li>{@link org.isentropic.kernels.io}: NumPy .npy files in and out (depends on no other package).</li>
 * </ul>
 * Semantics of positions and masks follow docs/method.md (the method and the length-extrapolation methods),
 * including the reference implementation's quirks as named options (rerope-reference, pi-reference);
 * commands and experiments select them by name through one registry each
 * ({@link org.isentropic.kernels.spec.Positions#parse}, {@link org.isentropic.kernels.spec.Mask#parse}). How the
 * fused kernel works and what was measured: docs/performance.md.
 */
package org.isentropic.kernels;
