/**
 * Reusable entropy-invariance checks and attention-input generators for any temperature rule and any
 * attention kernel, for use in other projects' tests.
 *
 * <ul>
 *   <li>{@link org.isentropic.verification.EntropyInvariance}: measure the mean row entropy (or the focus
 *       mass) with a kernel at each length, with a Monte-Carlo standard error, and assert invariance, a
 *       drift band, or the theory's predicted drift; failures print a per-length drift table, the seed,
 *       the rerun command and the smallest failing length after shrinking.</li>
 *   <li>{@link org.isentropic.verification.KernelAgreement}: a kernel against the independent EJML
 *       double-precision {@link org.isentropic.verification.reference.EjmlAttention}, or two kernels
 *       against each other, within bounds derived in {@link org.isentropic.verification.Tolerances}.</li>
 *   <li>{@link org.isentropic.verification.bridge.ModelAttention}: the one bridge from a theory logit model and
 *       a temperature rule to the kernels' spec and inputs drawn from the model (no QuickTheories: applications
 *       use it).</li>
 *   <li>{@link org.isentropic.verification.generators.AttentionInputGenerators}: QuickTheories generators
 *       of q/k/v tensors from the theory's logit models, adversarial inputs and random specs.</li>
 *   <li>{@link org.isentropic.verification.Theories}, {@code org.isentropic.base.Seeds},
 *       {@link org.isentropic.verification.ExampleBudget}, {@link org.isentropic.verification.SuiteLedger}:
 *       the QuickTheories setup (fixed seed from {@code -Disentropic.seed}, example counts from
 *       {@code -Pexhaustive}, failure messages with the rerun command, example counts for a summary).</li>
 * </ul>
 */
package org.isentropic.verification;
