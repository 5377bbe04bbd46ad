/**
 * Per-layer temperature calibration from captured attention inputs: the oracle factor that restores the
 * entropy at the training length (with a bootstrap interval over query rows) and the factor theory derives
 * from it, shared by the experiment and {@code isentropic calibrate}.
 */
package org.isentropic.experiments.calibrate;
