package org.isentropic.figures.report;

import java.io.IOException;

/**
 * A {@link ReportSection} whose number and title are fixed when it is built: what every figure of the report
 * is, so that a figure class holds only its computation and drawing, sized by the run's {@link Budget}.
 */
public abstract class NumberedSection implements ReportSection {

    private final int number;
    private final String title;

    /**
     * @param number the figure number, &gt;= 1
     * @param title  a short title, not blank
     */
    protected NumberedSection(int number, String title) {
        if (number < 1) {
            throw new IllegalArgumentException("number must be >= 1, got " + number);
        }
        if (title == null || title.isBlank()) {
            throw new IllegalArgumentException("title must not be blank, got '" + title + "'");
        }
        this.number = number;
        this.title = title;
    }

    @Override
    public final int number() {
        return number;
    }

    @Override
    public final String title() {
        return title;
    }

    @Override
    public final SectionResult render(FigureContext context) throws IOException {
        return render(context, context.budget());
    }

    /** Computes and writes the figure at the run's budget (its lengths, head size and sample counts). */
    protected abstract SectionResult render(FigureContext context, Budget budget) throws IOException;
}
