/**
 * Statistics of the experiment: the cluster bootstrap over test streams for intervals and paired
 * differences.
 */
package org.isentropic.experiments.stats;
