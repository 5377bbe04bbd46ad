package org.isentropic.kernels.spec;

/**
 * What the solver of isentropic attention did per row ({@link AttentionOutput#isentropic()}).
 *
 * @param target      n target entropies (nats)
 * @param lambda      n solved temperatures lambda_i (multiply the row's logits)
 * @param iterations  n evaluations of its entropy each row took: solver passes over the keys, or, when the
 *                    inner kernel caches each row's logits ({@link TemperatureSolving}), evaluations from them
 *                    (all computed in one pass over the keys)
 * @param clamped     rows whose target lies outside [H_i(lambdaMax), H_i(lambdaMin)], left at the nearer bound
 *                    (or at lambda = 1 when H_i does not depend on lambda, as with one visible key)
 * @param unconverged rows still outside the tolerance after the last pass, left at their best point
 * @param passes      the largest iteration count: the solver passes over the keys, besides the target pass and
 *                    the final pass (with a logit cache there is one such pass, and this counts the most
 *                    evaluations a row took from it)
 */
public record IsentropicRows(float[] target, float[] lambda, int[] iterations, int clamped, int unconverged,
        int passes) {
}
