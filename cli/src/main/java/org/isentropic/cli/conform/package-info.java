/**
 * {@code isentropic conform}: property tests for an attention kernel in any language, run as a command.
 * {@link org.isentropic.cli.conform.ConformCases} generates the cases, {@link org.isentropic.cli.conform.ExternalKernel}
 * runs the command on each (float32 .npy in and out, no shell, a timeout),
 * {@link org.isentropic.cli.conform.ConformCheck} compares its output with the kernels' reference kernel under the
 * declared {@link org.isentropic.cli.conform.ConformSpec} within the verification library's derived bound,
 * {@link org.isentropic.cli.conform.Shrinker} shrinks the first failure and
 * {@link org.isentropic.cli.conform.Reproducer} writes it out.
 */
package org.isentropic.cli.conform;
