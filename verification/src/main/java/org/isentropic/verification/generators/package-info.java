/** Attention inputs (q, k, v in the kernels' layout) and random specs, as QuickTheories generators. */
package org.isentropic.verification.generators;
