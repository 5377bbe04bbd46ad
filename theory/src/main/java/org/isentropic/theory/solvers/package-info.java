/**
 * Entropy-invariance conditions solved for lambda_n / lambda_N (Brent), with standard errors where Monte
 * Carlo is involved. docs/theory.md section 5.
 */
package org.isentropic.theory.solvers;
