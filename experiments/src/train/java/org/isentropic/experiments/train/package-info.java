/**
 * Training of the GAU checkpoints on DJL + PyTorch, built only in the Maven profile {@code train} (the
 * default build and the command never load it).
 */
package org.isentropic.experiments.train;
