package org.isentropic.figures.report;

/**
 * A {@link ReportSection} whose number and title are fixed when it is built: what every figure of the report
 * is, so that a figure class holds only its computation and drawing.
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
}
