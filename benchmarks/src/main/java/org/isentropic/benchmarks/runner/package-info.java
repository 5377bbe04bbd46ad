/**
 * {@code isentropic bench}'s machinery: the plans (which cases, how long), the runner that measures each
 * case through JMH's Runner API in forked JVMs, the report that turns one run's results into ratios of
 * numbers measured in that run (Markdown), and the results file with its one writer and typed reader
 * ({@link org.isentropic.benchmarks.runner.ResultsFile}), which figure 7 reads.
 */
package org.isentropic.benchmarks.runner;
