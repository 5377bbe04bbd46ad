package org.isentropic.kernels.spec;

/**
 * What the solver of isentropic attention did per row ({@link AttentionOutput#isentropic()}).
 *
 * @param target      n target entropies (nats)
 * @param lambda      n solved temperatures lambda_i (multiply the row's logits)
 * @param iterations  n solver passes each row took
 * @param clamped     rows whose target lies outside [H_i(lambdaMax), H_i(lambdaMin)], left at the nearer bound
 *                    (or at lambda = 1 when H_i does not depend on lambda, as with one visible key)
 * @param unconverged rows still outside the tolerance after the last pass, left at their best point
 * @param passes      solver passes over the keys (the largest iteration count), besides the target pass and
 *                    the final pass
 */
public record IsentropicRows(float[] target, float[] lambda, int[] iterations, int clamped, int unconverged,
        int passes) {
}
