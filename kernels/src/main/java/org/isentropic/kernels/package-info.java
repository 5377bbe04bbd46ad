/** Attention kernels with the row entropy measured in the same pass; JDK only. */
package org.isentropic.kernels;
