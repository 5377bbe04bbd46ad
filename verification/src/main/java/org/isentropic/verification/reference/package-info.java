/** An independent double-precision attention (EJML) for cross-checking kernels. */
package org.isentropic.verification.reference;
