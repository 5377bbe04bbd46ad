package org.isentropic.figures.sections;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.ServiceLoader;
import org.isentropic.figures.report.ReportSection;
import org.isentropic.kernels.AttentionKernels;

/**
 * The report's figures: the built-in figures 1 to 8, then any {@link ReportSection} other modules
 * register through {@link ServiceLoader} (a registered section replaces the built-in of its number).
 */
public final class Figures {

    /** The number of the length-extrapolation figure (the experiments module's results). */
    public static final int EXPERIMENTS_FIGURE = 8;

    private Figures() {
    }

    /** Figures 1 to 8 of this module. */
    public static List<ReportSection> builtIn() {
        return List.of(new FactorFigure(), new KernelEntropyFigure(), new RequiredFactorFigure(),
                new MaxCosineFigure(), new DilutionFigure(), new CosScaleFigure(), new KernelPerformanceFigure(),
                new ExtrapolationFigure());
    }

    /** Every section of the report, ordered by number; a plugged-in section replaces a built-in of its number. */
    public static List<ReportSection> all() {
        Map<Integer, ReportSection> byNumber = new LinkedHashMap<>();
        for (ReportSection s : builtIn()) {
            byNumber.put(s.number(), s);
        }
        for (ReportSection s : ServiceLoader.load(ReportSection.class)) {
            byNumber.put(s.number(), s);
        }
        List<ReportSection> out = new ArrayList<>(byNumber.values());
        out.sort((a, b) -> Integer.compare(a.number(), b.number()));
        return out;
    }

    /** Version lines for the provenance: which kernel path ran. */
    public static Map<String, String> versions() {
        Map<String, String> v = new LinkedHashMap<>();
        v.put("kernels", AttentionKernels.simdAvailable()
                ? "fused, SIMD (jdk.incubator.vector)" : "fused, scalar (jdk.incubator.vector not loaded)");
        return v;
    }
}
