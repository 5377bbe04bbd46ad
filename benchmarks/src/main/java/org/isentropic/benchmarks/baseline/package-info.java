/**
 * Attention written the ways Java code usually writes it, as the baselines and peers the fused kernel is
 * measured against: one query row at a time with the Vector API, the whole score matrix with EJML, and
 * row blocks of scores with OpenBLAS's sgemm. Each computes the row entropies too, over band masks (full,
 * causal, window), from logits {@code z_ij = rowScale[i] * (q_i . k_j)}.
 */
package org.isentropic.benchmarks.baseline;
