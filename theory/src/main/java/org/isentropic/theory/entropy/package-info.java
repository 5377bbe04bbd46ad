/**
 * Row entropy and its expectation: Monte Carlo with common random numbers, the mean-field (large-n) form
 * by quadrature, Su's Laplace form. docs/theory.md sections 1 and 4.
 */
package org.isentropic.theory.entropy;
