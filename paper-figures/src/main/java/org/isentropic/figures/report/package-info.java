/**
 * The report: a section per figure ({@code ReportSection}), the run of the chosen sections with a seed and
 * a Monte Carlo budget ({@code FigureRun}), their provenance, and the writing of summary.json and REPORT.md.
 */
package org.isentropic.figures.report;
