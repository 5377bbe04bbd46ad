/** The numerics of the paper: temperature rules, logit models, expected entropy, invariance solvers. */
package org.isentropic.theory;
