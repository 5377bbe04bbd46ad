/**
 * The numbers behind the figures, computed from theory, the kernels and verification's theory-to-kernels
 * bridge (or read from the committed benchmark and experiment results): one record per figure's data,
 * free of charting, so tests can check the numbers alone.
 */
package org.isentropic.figures.analysis;
