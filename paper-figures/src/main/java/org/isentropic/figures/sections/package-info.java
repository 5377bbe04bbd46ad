/**
 * Figures 1 to 8 of the report, each a {@code ReportSection} that computes (or reads) its data, draws its
 * charts, writes its CSV and says how to read it; {@code Figures} lists them in order.
 */
package org.isentropic.figures.sections;
