/**
 * Autoregressive attention: {@link org.isentropic.kernels.decode.DecodeStep} (one new query against a growing
 * K/V cache, split-K over threads with a merge whose order does not depend on them) and
 * {@link org.isentropic.kernels.decode.MultiHeadDecode} (a cache per KV head), with their inner loops per provider
 * ({@code DecodeOps}: {@code SimdDecodeOps}, {@code ScalarDecodeOps}). Depends on {@code spec}, on {@code fused}
 * for the worker pool, the exp2 polynomial and the Vector API probe, and on {@code isentropic} for the solver of
 * isentropic targets.
 */
package org.isentropic.kernels.decode;
