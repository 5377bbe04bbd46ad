/**
 * The fast kernels: {@link org.isentropic.kernels.fused.FusedKernel} (query blocks x key tiles, online softmax
 * carrying the entropy, threads) and {@link org.isentropic.kernels.fused.MultiHeadKernel} (multi-head and
 * grouped-query attention over the same tiles), with their machinery: the inner loops per provider
 * ({@code TileOps}: {@code SimdTiles} on the Vector API, {@code ScalarTiles} without it); the parts of a block
 * that only some calls need ({@code TileMask}: the mask a key tile at a time; {@code CapWindow}: the two copies of
 * the logits under ReRoPE's or LM-Infinite's window; {@code RangeMass}: the mass on requested key ranges); the
 * exp2 polynomial ({@link org.isentropic.kernels.fused.VectorExp2}); the run-time choice of provider
 * ({@link org.isentropic.kernels.fused.VectorSupport}); the worker pool
 * ({@link org.isentropic.kernels.fused.ParallelFor}); and {@link org.isentropic.kernels.fused.Projection}, a
 * dense layer on the same register tiles. How the kernel works and what was measured: docs/performance.md,
 * sections 2 and 3. Depends on {@code spec} only; VectorExp2, VectorSupport and ParallelFor are public for the
 * decode package and are not part of the library's API.
 */
package org.isentropic.kernels.fused;
