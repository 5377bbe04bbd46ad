/** JMH benchmarks of the kernels against the measured machine peak and baselines. */
package org.isentropic.benchmarks;
