/**
 * The GAU masked language model of the experiment in plain Java on the project's attention kernels: its
 * configuration, the forward pass, masking, and the training defaults and plan the checkpoints were
 * trained with.
 */
package org.isentropic.experiments.model;
