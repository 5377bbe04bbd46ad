package org.isentropic.figures.sections;

import java.io.IOException;
import java.nio.file.Path;
import org.isentropic.figures.charts.Charts;
import org.isentropic.figures.charts.ImageChecks;
import org.isentropic.figures.report.Budget;
import org.isentropic.figures.report.ReportSection;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;

/**
 * The tests of one figure: the figure rendered once per test class at the tiny budget ({@link TinyRun#render})
 * into a temporary directory, which every test of the class then reads. One test instance per class (so
 * that the directory and the rendering are the class's, not shared with the other figures' tests).
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
abstract class RenderedFigureTest {

    private final ReportSection figure;
    /** The base name of the figure's files: {@code base.csv}, {@code base.png}, {@code base.svg}. */
    private final String base;

    /** The temporary directory the figure was rendered into (the class's, removed after its tests). */
    Path dir;
    /** The rendered figure: its context, its result and the rows of {@code base.csv}. */
    TinyRun.Rendered run;

    RenderedFigureTest(ReportSection figure, String base) {
        this.figure = figure;
        this.base = base;
    }

    @BeforeAll
    void render(@TempDir Path tempDir) throws IOException {
        dir = tempDir;
        run = TinyRun.render(dir, figure, base);
    }

    /** The budget the figure was rendered at. */
    Budget budget() {
        return run.context().budget();
    }

    /** {@code base.png} is a chart of the charts' size. */
    void assertChartPng() throws IOException {
        ImageChecks.assertChartPng(dir.resolve(base + ".png"), Charts.WIDTH, Charts.HEIGHT);
    }

    /** The number of curves in {@code base.svg}. */
    int svgSeries() throws IOException {
        return ImageChecks.svgSeriesCount(dir.resolve(base + ".svg"));
    }
}
