/**
 * The length-extrapolation evaluation (docs/method.md, the experiment): the checkpoint families, the plan of
 * methods, temperatures and lengths, the test streams, the evaluation on the project's kernels, the cells
 * with their stream-level bootstrap intervals, the report with its tables, and the typed reader of those
 * tables ({@code ResultTables}) for whoever plots them.
 */
package org.isentropic.experiments.eval;
