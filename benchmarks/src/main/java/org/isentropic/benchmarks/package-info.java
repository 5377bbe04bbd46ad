/**
 * The benchmarks of the kernels: JMH benchmarks of the fused, multi-head, decode and reference kernels
 * ({@code attention}) against the machine's measured FMA peak and memory bandwidth ({@code peak}), against
 * baselines written the usual ways in Java ({@code baseline}) and against optimised peers (OpenBLAS, and
 * PyTorch in {@code peers}); the runner that measures a plan of cases and writes the report and the results
 * file ({@code runner}); and the vocabulary they share ({@link org.isentropic.benchmarks.Workloads}: masks,
 * flops and bytes per call, seeded inputs). What the numbers mean and the targets they are held to:
 * docs/performance.md.
 */
package org.isentropic.benchmarks;
