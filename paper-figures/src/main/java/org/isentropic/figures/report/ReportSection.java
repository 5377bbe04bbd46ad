package org.isentropic.figures.report;

import java.io.IOException;

/**
 * One figure of the report. Figures 1 to 8 implement it in {@code org.isentropic.figures.sections}
 * (most through {@link NumberedSection}) and {@code Figures.all()} lists them.
 *
 * <p>A section computes its numbers, writes its images (via {@code ChartFiles}) and data (via
 * {@link DataFiles}) into {@link FigureContext#outDir()}, and returns what the report shows. Its reading
 * must be written from the numbers it computed. If the inputs it needs are missing (e.g. no benchmark
 * results), it returns {@link SectionResult#absent}.
 */
public interface ReportSection {

    /** The figure number, which orders the report and selects the figure in {@code --only}. */
    int number();

    /** A short title, e.g. "Temperature factor vs length". */
    String title();

    /** Computes and writes the figure. */
    SectionResult render(FigureContext context) throws IOException;
}
