/**
 * What an attention call computes, independent of how: {@link org.isentropic.kernels.spec.AttentionSpec} (the
 * logit as one formula) with its vocabulary ({@link org.isentropic.base.LogitKind}, from the base module,
 * {@link org.isentropic.kernels.spec.Positions}, {@link org.isentropic.kernels.spec.Mask},
 * {@link org.isentropic.kernels.spec.NMode}, {@link org.isentropic.kernels.spec.IsentropicTarget}, and the
 * registries {@link org.isentropic.kernels.spec.Vocabulary} and {@link org.isentropic.kernels.spec.SchemeEntry}
 * that commands parse names through), the contract of a kernel ({@link org.isentropic.kernels.spec.AttentionKernel},
 * {@link org.isentropic.kernels.spec.AttentionOutput}, {@link org.isentropic.kernels.spec.KeyRange},
 * {@link org.isentropic.kernels.spec.IsentropicRows}, {@link org.isentropic.kernels.spec.FloatRangeException}),
 * and two internal classes every kernel shares: {@link org.isentropic.kernels.spec.Checks} (argument checks) and
 * {@link org.isentropic.kernels.spec.LogitGeometry} (the per-call constants and the preparation of q and k, so the
 * semantics of positions and masks live in one place). Depends on no other package of the kernels.
 */
package org.isentropic.kernels.spec;
