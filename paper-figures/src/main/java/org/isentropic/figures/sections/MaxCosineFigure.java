package org.isentropic.figures.sections;

import static org.isentropic.figures.charts.Charts.num;

import java.io.IOException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.stream.IntStream;
import org.isentropic.base.Table;
import org.isentropic.figures.analysis.MaxCosine;
import org.isentropic.figures.charts.ChartFiles;
import org.isentropic.figures.charts.Charts;
import org.isentropic.figures.report.Budget;
import org.isentropic.figures.report.DataFiles;
import org.isentropic.figures.report.FigureContext;
import org.isentropic.figures.report.NumberedSection;
import org.isentropic.figures.report.SectionResult;
import org.knowm.xchart.XYChart;

/**
 * Figure 4: the largest cosine among n random keys (Monte Carlo, mean +- standard error) against
 * {@code sqrt(1 - n^(-2/d))}, the characteristic cosine InfoScale is the ratio of, for d and d/8.
 */
public final class MaxCosineFigure extends NumberedSection {

    public static final String BASE = "figure-4-max-cosine";

    /** The dimensions shown: d/8 (at least 4) and d. */
    public static int[] dims(Budget b) {
        return new int[] {Math.max(4, b.headDim() / 8), b.headDim()};
    }

    /** Lengths 2, 4, ..., maxLength. */
    public static int[] lengths(Budget b) {
        return IntStream.iterate(2, n -> n <= b.maxLength(), n -> n * 2).toArray();
    }

    public MaxCosineFigure() {
        super(4, "Largest cosine among n random keys vs sqrt(1 - n^(-2/d))");
    }

    @Override
    protected SectionResult render(FigureContext ctx, Budget b) throws IOException {
        int[] ns = lengths(b);
        int[] dims = dims(b);
        List<MaxCosine> results = new ArrayList<>();
        for (int k = 0; k < dims.length; k++) {
            results.add(MaxCosine.compute(dims[k], ns, b.trials(), ctx.seedFor(number()) + k));
        }
        Table data = new Table(6, "d", "n", "max_cos_mc", "max_cos_se", "cap_cosine", "cap_cosine_exact_beta", "exact_expected_max", "trials");
        for (MaxCosine r : results) {
            for (int i = 0; i < ns.length; i++) {
                data.add(r.d(), ns[i], r.mean()[i], r.standardError()[i], r.capCosine()[i], r.capCosineExact()[i], r.exactMean()[i], r.trials());
            }
        }
        String csv = DataFiles.csv(ctx.outDir(), BASE + ".csv", data);

        XYChart chart = Charts.lengthChart("Largest cosine between a query and n random keys on the sphere",
                "n (number of keys)", "cosine (dimensionless)", ns[0], ns[ns.length - 1]);
        double[] x = Arrays.stream(ns).asDoubleStream().toArray();
        for (MaxCosine r : results) {
            Charts.addLengthSeries(chart, "Monte Carlo max cos, d = " + r.d(), x, r.mean(), r.standardError());
            Charts.dashed(Charts.addLengthSeries(chart, "sqrt(1 - n^(-2/d)), d = " + r.d(), x, r.capCosine(), null),
                    false);
            Charts.dashed(Charts.addLengthSeries(chart, "exact E[max cos], d = " + r.d(), x, r.exactMean(), null), true);
        }
        ChartFiles.Images img = ChartFiles.save(chart, ctx.outDir(), BASE);

        MaxCosine main = results.get(results.size() - 1);
        int last = ns.length - 1;
        int worst = 0;
        double worstZ = 0;
        for (MaxCosine r : results) {
            for (int i = 0; i < ns.length; i++) {
                double z = Math.abs(r.mean()[i] - r.exactMean()[i]) / Math.max(r.standardError()[i], 1e-300);
                if (z > worstZ) {
                    worstZ = z;
                    worst = i;
                }
            }
        }
        double ratioMax = main.capCosine()[last] / main.mean()[last];
        int nIdx = indexOf(ns, b.trainLength());
        double ratioN = nIdx >= 0 ? main.capCosine()[nIdx] / main.mean()[nIdx] : Double.NaN;
        double mcRatio = nIdx >= 0 ? main.mean()[last] / main.mean()[nIdx] : Double.NaN;
        double capRatio = nIdx >= 0 ? main.capCosine()[last] / main.capCosine()[nIdx] : Double.NaN;
        String reading = String.format(Locale.ROOT,
                "For d = %d the largest of n = %d random cosines averages %s +- %s (Monte Carlo, %d trials; within "
                + "%s standard errors of the exact quadrature at every n) while sqrt(1 - n^(-2/d)) = %s, %s times as "
                + "large (%s times at n = N = %d): the cap cosine is a characteristic scale, not the expected maximum. "
                + "InfoScale uses only its ratio to n = N, which is %s from N to %d against %s for the measured "
                + "maximum.",
                main.d(), ns[last], num(main.mean()[last]), num(main.standardError()[last]), main.trials(),
                num(worstZ), num(main.capCosine()[last]), num(ratioMax), num(ratioN), b.trainLength(),
                num(capRatio), ns[last], num(mcRatio));
        Table key = new Table(4, "d", "n", "MC max cos", "+- se", "sqrt(1-n^(-2/d))", "exact E[max]");
        for (MaxCosine r : results) {
            for (int i = 0; i < ns.length; i++) {
                if (ns[i] >= b.trainLength() || i == 0) {
                    key.add(r.d(), ns[i], r.mean()[i], r.standardError()[i], r.capCosine()[i], r.exactMean()[i]);
                }
            }
        }
        Map<String, Double> keyNumbers = new LinkedHashMap<>();
        keyNumbers.put("max_cos_mc_at_max", main.mean()[last]);
        keyNumbers.put("cap_cosine_at_max", main.capCosine()[last]);
        keyNumbers.put("cap_ratio_N_to_max", capRatio);
        keyNumbers.put("mc_ratio_N_to_max", mcRatio);
        keyNumbers.put("worst_z_vs_exact", worstZ);
        return new SectionResult(number(), title(), true, List.of(img.png().getFileName().toString()), List.of(csv),
                reading, key, keyNumbers, "theory sphere model (scale 1, logits = cosines), " + b.trials()
                        + " trials per n, worst deviation from the exact mean at n = " + ns[worst]);
    }

    static int indexOf(int[] xs, int v) {
        for (int i = 0; i < xs.length; i++) {
            if (xs[i] == v) {
                return i;
            }
        }
        return -1;
    }
}
