package org.isentropic.figures.sections;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.isentropic.figures.report.ReportSection;
import org.isentropic.kernels.AttentionKernels;

/** The report's figures 1 to 8, in order, and the version lines of their provenance. */
public final class Figures {

    /** The number of the length-extrapolation figure (the experiments module's results). */
    public static final int EXPERIMENTS_FIGURE = 8;

    private Figures() {
    }

    /** Every section of the report, figures 1 to 8, ordered by number. */
    public static List<ReportSection> all() {
        return List.of(new FactorFigure(), new KernelEntropyFigure(), new RequiredFactorFigure(),
                new MaxCosineFigure(), new DilutionFigure(), new CosScaleFigure(), new KernelPerformanceFigure(),
                new ExtrapolationFigure());
    }

    /** Version lines for the provenance: which kernel path ran. */
    public static Map<String, String> versions() {
        Map<String, String> v = new LinkedHashMap<>();
        v.put("kernels", AttentionKernels.simdAvailable()
                ? "fused, SIMD (jdk.incubator.vector)" : "fused, scalar (jdk.incubator.vector not loaded)");
        return v;
    }
}
