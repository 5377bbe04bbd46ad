package org.isentropic.figures.sections;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.ServiceLoader;
import org.isentropic.figures.report.ReportSection;
import org.isentropic.kernels.AttentionKernels;

/**
 * The report's figures: the built-in figures 1 to 7, then any {@link ReportSection} other modules
 * register through {@link ServiceLoader} (figure 8 from the experiments module). When no section numbered
 * 8 is registered, a placeholder says that the experiments module is absent.
 */
public final class Figures {

    /** The number reserved for the experiments module's length-extrapolation figure. */
    public static final int EXPERIMENTS_FIGURE = 8;

    private Figures() {
    }

    /** Figures 1 to 7 of this module. */
    public static List<ReportSection> builtIn() {
        return List.of(new FactorFigure(), new KernelEntropyFigure(), new RequiredFactorFigure(),
                new MaxCosineFigure(), new DilutionFigure(), new CosScaleFigure(), new KernelPerformanceFigure());
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
        byNumber.putIfAbsent(EXPERIMENTS_FIGURE, new AbsentSection(EXPERIMENTS_FIGURE,
                "Length extrapolation of the trained model", experimentsAbsence()));
        List<ReportSection> out = new ArrayList<>(byNumber.values());
        out.sort((a, b) -> Integer.compare(a.number(), b.number()));
        return out;
    }

    /** Why figure 8 is missing, as the report says it: the module is absent, or present without a section. */
    static String experimentsAbsence() {
        String hook = "Its figure plugs in as a ReportSection numbered 8, listed in "
                + "META-INF/services/org.isentropic.figures.report.ReportSection.";
        try {
            Class.forName("org.isentropic.experiments.eval.Extrapolation", false, Figures.class.getClassLoader());
            return "The experiments module is in this build but registers no figure for the report, so there is "
                    + "nothing to show here; `isentropic experiment eval` writes its own table and figures. " + hook;
        } catch (ClassNotFoundException e) {
            return "The experiments module is not part of this build, so there is no trained model to evaluate. " + hook;
        }
    }

    /** Version lines for the provenance: which kernel path ran. */
    public static Map<String, String> versions() {
        Map<String, String> v = new LinkedHashMap<>();
        v.put("kernels", AttentionKernels.simdAvailable()
                ? "fused, SIMD (jdk.incubator.vector)" : "fused, scalar (jdk.incubator.vector not loaded)");
        return v;
    }
}
