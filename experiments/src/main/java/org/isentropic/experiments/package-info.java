/**
 * The length-extrapolation experiment of the paper (docs/method.md, section 8) at a scale this machine trains: a
 * character-level stack of Gated Attention Units trained by masked LM at N = 64 (DJL, Maven profile
 * {@code train}), checkpoints in safetensors, and an evaluation up to 64 N that runs the model's forward
 * pass on the project's own attention kernels.
 */
package org.isentropic.experiments;
