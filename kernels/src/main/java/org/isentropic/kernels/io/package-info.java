/**
 * The file formats the kernels module reads and writes, JDK only: {@link org.isentropic.kernels.io.Npy} for
 * NumPy {@code .npy} arrays (float32 and float64, C order). Malformed input fails with an
 * {@code IllegalArgumentException} that says what and where. (JSON is read and written by the base module's
 * {@code org.isentropic.base.Json}.)
 */
package org.isentropic.kernels.io;
