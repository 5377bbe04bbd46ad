package org.isentropic.figures.sections;

import static org.isentropic.figures.charts.Charts.num;

import java.io.IOException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.isentropic.base.Progress;
import org.isentropic.base.Table;
import org.isentropic.figures.analysis.AttentionMaps;
import org.isentropic.figures.charts.ChartFiles;
import org.isentropic.figures.charts.Charts;
import org.isentropic.figures.charts.HeatMapPanel;
import org.isentropic.figures.report.Budget;
import org.isentropic.figures.report.DataFiles;
import org.isentropic.figures.report.FigureContext;
import org.isentropic.figures.report.NumberedSection;
import org.isentropic.figures.report.SectionResult;
import org.isentropic.kernels.AttentionKernels;
import org.isentropic.theory.cosscale.CosScaleAnalysis;
import org.isentropic.theory.cosscale.LocalContentModel;
import org.isentropic.theory.entropy.Estimate;
import org.knowm.xchart.XYChart;

/**
 * Figure 6, CosScale: (a) entropy of cosine attention vs s for several n (theory, Monte Carlo and mean
 * field); (b) attention maps from the fused kernel with RoPE and neighbour-correlated content for
 * s in {8, 32, 128, 512}; (c) total-variation distance to windowed attention and effective window vs s
 * (theory's local-content model).
 */
public final class CosScaleFigure extends NumberedSection {

    public static final String BASE = "figure-6";
    /** The s values of the heat maps. */
    public static final double[] MAP_SCALES = {8, 32, 128, 512};
    /** Neighbour correlation rho of the content. */
    public static final double RHO = 0.99;
    /** Query-key content correlation of the theory's local model; the kernel inputs use k = q + 0.1 g. */
    public static final double QUERY_KEY_CORRELATION = 1.0 / Math.sqrt(1.01);
    /** Half-widths of the windowed attention compared with full cosine attention. */
    public static final int[] WINDOWS = {4, 16};
    /** Mass fraction defining the effective window. */
    public static final double COVERAGE = 0.9;

    /**
     * scalePoints values of s from 1 to 1024, geometric (11 points: the powers of two; 21: also the half
     * powers).
     */
    public static double[] scales(Budget b) {
        double[] s = new double[b.scalePoints()];
        for (int i = 0; i < s.length; i++) {
            s[i] = Math.pow(2, 10.0 * i / (s.length - 1));
        }
        return s;
    }

    /** N, 8N and the largest length (distinct, increasing). */
    public static int[] entropyLengths(Budget b) {
        int n = b.trainLength();
        return 8 * n < b.maxLength() ? new int[] {n, 8 * n, b.maxLength()} : new int[] {n, b.maxLength()};
    }

    public CosScaleFigure() {
        super(6, "CosScale: entropy vs s, attention maps, distance to windowed attention");
    }

    @Override
    protected SectionResult render(FigureContext ctx, Budget b) throws IOException {
        int d = b.headDim();
        double[] s = scales(b);
        int[] ns = entropyLengths(b);
        long seed = ctx.seedFor(number());
        List<String> images = new ArrayList<>();
        List<String> files = new ArrayList<>();
        Map<String, Double> key = new LinkedHashMap<>();
        Progress progress = new Progress("figure 6 panels", 3);

        // (a) entropy vs s
        Estimate[][] mc = new Estimate[ns.length][];
        double[][] mf = new double[ns.length][s.length];
        Table a = new Table(6, "n", "s", "entropy_mc", "se", "entropy_mean_field");
        for (int k = 0; k < ns.length; k++) {
            mc[k] = CosScaleAnalysis.entropyMonteCarlo(d, ns[k], s, b.samples(), seed + k);
            for (int i = 0; i < s.length; i++) {
                mf[k][i] = CosScaleAnalysis.entropyMeanField(d, ns[k], s[i]);
                a.add(ns[k], s[i], mc[k][i].mean(), mc[k][i].standardError(), mf[k][i]);
            }
        }
        files.add(DataFiles.csv(ctx.outDir(), BASE + "a-entropy-vs-s.csv", a));
        XYChart ca = Charts.lengthChart("Entropy of cosine attention vs s (random keys, d = " + d + ")",
                "s (CosScale: logits = s cos(q, k))", "mean row entropy (nats)", (int) s[0], (int) s[s.length - 1]);
        for (int k = 0; k < ns.length; k++) {
            double[] m = new double[s.length];
            double[] e = new double[s.length];
            for (int i = 0; i < s.length; i++) {
                m[i] = mc[k][i].mean();
                e[i] = mc[k][i].standardError();
            }
            Charts.addLengthSeries(ca, "Monte Carlo, n = " + ns[k], s, m, e);
        }
        // The mean field is a large-n form: at large s it leaves [0, ln n] (it goes negative); only its valid
        // points are drawn (all are in the CSV), and the reading says where it stops.
        double firstInvalid = Double.NaN;
        for (int k = 0; k < ns.length; k++) {
            List<Double> xs = new ArrayList<>();
            List<Double> ys = new ArrayList<>();
            for (int i = 0; i < s.length; i++) {
                if (mf[k][i] >= 0 && mf[k][i] <= Math.log(ns[k]) + 1e-9) {
                    xs.add(s[i]);
                    ys.add(mf[k][i]);
                } else if (k == ns.length - 1 && Double.isNaN(firstInvalid)) {
                    firstInvalid = s[i];
                }
            }
            if (!xs.isEmpty()) {
                Charts.dashed(Charts.addLengthSeries(ca, "mean field, n = " + ns[k], FactorFigure.toArray(xs),
                        FactorFigure.toArray(ys), null), false);
            }
        }
        images.add(ChartFiles.save(ca, ctx.outDir(), BASE + "a-entropy-vs-s").png().getFileName().toString());
        progress.step();

        // (b) attention maps by the fused kernel
        int mapN = b.mapSize();
        AttentionMaps maps = AttentionMaps.compute(AttentionKernels.fused(ctx.threads()), mapN, d, RHO, MAP_SCALES,
                COVERAGE, seed + 101);
        HeatMapPanel panel = new HeatMapPanel("Cosine attention s cos(q, k) with RoPE on neighbour-correlated content (n = "
                + mapN + ", d = " + d + ", fused kernel)", "key position j", "query position i", "attention probability (log scale)",
                220, 1e-4);
        Table bt = new Table(8, "s", "i", "j", "p");
        for (int k = 0; k < MAP_SCALES.length; k++) {
            panel.add(new HeatMapPanel.Map(String.format(Locale.ROOT, "s = %s: %d%% within |i-j| <= %.1f", Charts.compact(MAP_SCALES[k]),
                    Math.round(100 * COVERAGE), maps.effectiveWidth()[k]), mapN, maps.probs()[k]));
            for (int i = 0; i < mapN; i++) {
                for (int j = 0; j < mapN; j++) {
                    bt.add(MAP_SCALES[k], i, j, maps.probs()[k][i * mapN + j]);
                }
            }
        }
        files.add(DataFiles.csv(ctx.outDir(), BASE + "b-attention-maps.csv", bt));
        images.add(ChartFiles.save(panel, ctx.outDir(), BASE + "b-attention-maps").png().getFileName().toString());
        progress.step();

        // (c) distance to windowed attention (theory's local-content model, query in the middle)
        int rowN = Math.min(b.maxLength(), 8 * b.trainLength());
        CosScaleAnalysis.LocalRows rows = CosScaleAnalysis.localRows(
                new LocalContentModel(d, AttentionMaps.ROPE_BASE, RHO, QUERY_KEY_CORRELATION), rowN,
                Math.max(2, b.samples() / 4), seed + 202);
        double[][] tv = new double[WINDOWS.length][s.length];
        double[][] tvSe = new double[WINDOWS.length][s.length];
        double[] width = new double[s.length];
        double[] widthSe = new double[s.length];
        Table c = new Table(6, "s", "window", "tv_to_windowed", "se", "effective_window", "effective_window_se", "entropy");
        for (int w = 0; w < WINDOWS.length; w++) {
            for (int i = 0; i < s.length; i++) {
                CosScaleAnalysis.WindowStats st = rows.at(s[i], 1 - COVERAGE, WINDOWS[w]);
                tv[w][i] = st.tvToWindowed().mean();
                tvSe[w][i] = st.tvToWindowed().standardError();
                width[i] = st.effectiveWindow().mean();
                widthSe[i] = st.effectiveWindow().standardError();
                c.add(s[i], WINDOWS[w], tv[w][i], tvSe[w][i], width[i], widthSe[i], st.entropy().mean());
            }
        }
        files.add(DataFiles.csv(ctx.outDir(), BASE + "c-window-distance.csv", c));
        XYChart cc = Charts.lengthChart("Distance to windowed attention (RoPE, rho = " + Charts.compact(RHO)
                + ", n = " + rowN + ")", "s (CosScale: logits = s cos(q, k))",
                "total-variation distance (fraction of mass)", (int) s[0], (int) s[s.length - 1]);
        for (int w = 0; w < WINDOWS.length; w++) {
            Charts.addLengthSeries(cc, "TV to window |i - j| <= " + WINDOWS[w], s, tv[w], tvSe[w]);
        }
        cc.getStyler().setYAxisMin(0.0).setYAxisMax(1.0);
        images.add(ChartFiles.save(cc, ctx.outDir(), BASE + "c-window-distance").png().getFileName().toString());
        progress.step();
        progress.close();

        int last = s.length - 1;
        int longest = ns.length - 1;
        int wSmall = 0;
        double sHalf = firstBelow(s, tv[wSmall], 0.1);
        String reading = String.format(Locale.ROOT,
                "Raising s from %s to %s lowers the entropy of cosine attention over n = %d random keys from %s to %s "
                + "nats%s, and with RoPE and neighbour-correlated content the kernel's maps narrow from %s%% of the "
                + "mass within |i - j| <= %s at s = %s to %s at s = %s. The total-variation distance to attention "
                + "restricted to |i - j| <= %d falls from %s at s = %s to %s at s = %s%s: as s grows cosine attention "
                + "becomes windowed attention.",
                Charts.compact(s[0]), Charts.compact(s[last]), ns[longest], num(mc[longest][0].mean()),
                num(mc[longest][last].mean()),
                Double.isNaN(firstInvalid) ? "" : " (the mean-field form, a large-n approximation, leaves [0, ln n] "
                        + "from s = " + Charts.compact(firstInvalid) + ")",
                Math.round(100 * COVERAGE), num(maps.effectiveWidth()[0]), Charts.compact(MAP_SCALES[0]),
                num(maps.effectiveWidth()[MAP_SCALES.length - 1]), Charts.compact(MAP_SCALES[MAP_SCALES.length - 1]),
                WINDOWS[wSmall], num(tv[wSmall][0]), Charts.compact(s[0]), num(tv[wSmall][last]), Charts.compact(s[last]),
                Double.isNaN(sHalf) ? "" : " (below 0.1 from s = " + Charts.compact(sHalf) + ")");
        Table kt = new Table(4, "s", "entropy n=" + ns[0], "entropy n=" + ns[longest],
                "TV to |i-j|<=" + WINDOWS[0], "TV to |i-j|<=" + WINDOWS[WINDOWS.length - 1],
                "effective window (" + Math.round(100 * COVERAGE) + "%)");
        for (int i = 0; i < s.length; i++) {
            kt.add(s[i], mc[0][i].mean(), mc[longest][i].mean(), tv[0][i], tv[WINDOWS.length - 1][i], width[i]);
        }
        key.put("entropy_smallest_s", mc[longest][0].mean());
        key.put("entropy_largest_s", mc[longest][last].mean());
        for (int k = 0; k < MAP_SCALES.length; k++) {
            key.put("map_effective_width_s" + (int) MAP_SCALES[k], maps.effectiveWidth()[k]);
        }
        key.put("tv_smallest_s", tv[wSmall][0]);
        key.put("tv_largest_s", tv[wSmall][last]);
        return new SectionResult(number(), title(), true, images, files, reading, kt, key,
                "(a) theory Monte Carlo (" + b.samples() + " rows) and mean field, keys uniform on the sphere; (b) fused "
                        + "kernel, cosine logits with RoPE base " + Charts.compact(AttentionMaps.ROPE_BASE)
                        + " on verification's neighbourCorrelated inputs (AR(1) content, rho = " + Charts.compact(RHO)
                        + ", k = q + 0.1 g); (c) theory's local-content model (rho = " + Charts.compact(RHO)
                        + ", query-key correlation " + num(QUERY_KEY_CORRELATION) + ", query in the middle of n = " + rowN
                        + ", " + Math.max(2, b.samples() / 4) + " rows)");
    }

    /** The first s at which the curve is below {@code level}, or NaN. */
    static double firstBelow(double[] s, double[] y, double level) {
        for (int i = 0; i < s.length; i++) {
            if (y[i] < level) {
                return s[i];
            }
        }
        return Double.NaN;
    }
}
