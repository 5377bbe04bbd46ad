/**
 * Where theory meets kernels, without QuickTheories: {@link org.isentropic.verification.bridge.ModelAttention}
 * turns a theory logit model and a temperature rule into the kernels' {@code AttentionSpec} and draws inputs
 * from the model, and {@link org.isentropic.verification.bridge.AttentionInputs} holds one attention problem in
 * the kernels' float layout with its deterministic families. The property suite's generators wrap these;
 * applications (the figures) use them directly.
 */
package org.isentropic.verification.bridge;
