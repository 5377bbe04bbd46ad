/** Reusable entropy-invariance checks and attention-input generators for any temperature rule. */
package org.isentropic.verification;
