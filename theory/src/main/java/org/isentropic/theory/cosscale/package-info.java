/**
 * CosScale analysis: entropy of cosine attention against s and n, the concentration bound, the effective
 * window and TV distance to windowed attention under RoPE with neighbour-correlated content, s for a target
 * entropy. Contains its own double-precision RoPE (theory does not depend on the kernels). docs/theory.md
 * section 6.
 */
package org.isentropic.theory.cosscale;
