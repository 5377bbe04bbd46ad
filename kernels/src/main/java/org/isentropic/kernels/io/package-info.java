/**
 * The file formats the kernels module reads and writes, one reader and writer per format, JDK only:
 * {@link org.isentropic.kernels.io.Npy} for NumPy {@code .npy} arrays (float32 and float64, C order) and
 * {@link org.isentropic.kernels.io.Json} for the JSON every module writes and reads. Malformed input fails
 * with an {@code IllegalArgumentException} that says what and where.
 */
package org.isentropic.kernels.io;
