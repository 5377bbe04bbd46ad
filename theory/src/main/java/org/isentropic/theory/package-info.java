/**
 * The numerics of the paper in double precision: temperature rules ({@code rules}), logit models
 * ({@code models}), expected entropy ({@code entropy}), invariance solvers ({@code solvers}) and the
 * CosScale analysis ({@code cosscale}). Derivations: docs/theory.md.
 */
package org.isentropic.theory;
