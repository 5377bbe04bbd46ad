package org.isentropic.figures.sections;

import org.isentropic.figures.report.FigureContext;
import org.isentropic.figures.report.ReportSection;
import org.isentropic.figures.report.SectionResult;

/** A figure whose producer is not in this build; the report says why. */
final class AbsentSection implements ReportSection {

    private final int number;
    private final String title;
    private final String reason;

    AbsentSection(int number, String title, String reason) {
        this.number = number;
        this.title = title;
        this.reason = reason;
    }

    @Override
    public int number() {
        return number;
    }

    @Override
    public String title() {
        return title;
    }

    @Override
    public SectionResult render(FigureContext context) {
        return SectionResult.absent(number, title, reason);
    }
}
