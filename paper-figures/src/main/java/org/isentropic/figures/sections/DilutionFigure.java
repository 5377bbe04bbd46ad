package org.isentropic.figures.sections;

import static org.isentropic.figures.charts.Charts.num;

import java.io.IOException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.isentropic.base.Progress;
import org.isentropic.base.Table;
import org.isentropic.figures.analysis.Dilution;
import org.isentropic.figures.analysis.ReferenceSetup;
import org.isentropic.figures.charts.ChartFiles;
import org.isentropic.figures.charts.Charts;
import org.isentropic.figures.charts.SeriesGroups;
import org.isentropic.figures.report.Budget;
import org.isentropic.figures.report.DataFiles;
import org.isentropic.figures.report.FigureContext;
import org.isentropic.figures.report.NumberedSection;
import org.isentropic.figures.report.SectionResult;
import org.isentropic.theory.models.LogitModel;
import org.isentropic.theory.rules.RuleParameters;
import org.isentropic.theory.rules.TemperatureRule;
import org.isentropic.theory.rules.TemperatureRules;
import org.isentropic.theory.solvers.DerivedFactors;
import org.knowm.xchart.XYChart;

/**
 * Figure 5: attention dilution. The expected softmax mass on a planted key (the "focus") as n grows, for
 * every registered rule; the derived rule is the one that holds this mass (condition PLANTED_FOCUS).
 */
public final class DilutionFigure extends NumberedSection {

    public static final String BASE = "figure-5-dilution";

    /**
     * Every registered rule, the derived one holding the focus mass (left out, with the reason in
     * {@code note[0]}, when no factor can hold it at some length).
     */
    public static List<TemperatureRule> rules(FigureContext ctx, String[] note) {
        Budget b = ctx.budget();
        RuleParameters p = RuleParameters.of(b.trainLength(), b.headDim());
        try {
            DerivedFactors f = ReferenceSetup.derivedFocus(ctx);
            p = p.withDerived(f.lengths(), f.factor());
        } catch (IllegalArgumentException noSolution) {
            note[0] = "no derived rule: " + noSolution.getMessage();
        }
        List<TemperatureRule> rules = new ArrayList<>();
        for (String id : TemperatureRules.ids()) {
            if (!id.equals("derived") || p.hasDerived()) {
                rules.add(TemperatureRules.create(id, p));
            }
        }
        return rules;
    }

    public DilutionFigure() {
        super(5, "Attention dilution: mass kept on the planted focus");
    }

    @Override
    protected SectionResult render(FigureContext ctx, Budget b) throws IOException {
        LogitModel model = ReferenceSetup.focusModel(b);
        String[] note = {""};
        List<TemperatureRule> rules = rules(ctx, note);
        int[] ns = b.lengths();
        Dilution dil;
        try (Progress p = new Progress("figure 5 lengths", ns.length)) {
            dil = Dilution.compute(model, ns, rules, b.samples(), ctx.seedFor(number()), p::step);
        }
        Table data = new Table(6, "rule", "n", "factor", "focus_mass", "se", "samples");
        for (int r = 0; r < rules.size(); r++) {
            for (int i = 0; i < ns.length; i++) {
                data.add(rules.get(r).id(), ns[i], rules.get(r).factor(ns[i]), dil.mass()[r][i],
                        dil.standardError()[r][i], dil.samples());
            }
        }
        String csv = DataFiles.csv(ctx.outDir(), BASE + ".csv", data);

        double[] x = Arrays.stream(ns).asDoubleStream().toArray();
        XYChart chart = Charts.lengthChart("Mass on one planted key (cos " + Charts.compact(ReferenceSetup.FOCUS_COSINE)
                + ", s = " + Charts.compact(ReferenceSetup.FOCUS_MODEL_SCALE) + ", d = " + b.headDim() + ")", "n (keys per attention row; per-position rules: position n)",
                "expected mass on the focus key (fraction)", ns[0], ns[ns.length - 1]);
        List<String> names = new ArrayList<>();
        rules.forEach(rule -> names.add(rule.id().equals("derived") ? "derived (equal focus mass)" : rule.id()));
        for (int[] group : SeriesGroups.identical(dil.mass())) {
            Charts.addLengthSeries(chart, SeriesGroups.label(group, names), x, dil.mass()[group[0]],
                    dil.standardError()[group[0]]);
        }
        chart.getStyler().setYAxisMin(0.0).setYAxisMax(1.0);
        ChartFiles.Images img = ChartFiles.save(chart, ctx.outDir(), BASE);

        int last = ns.length - 1;
        int std = index(rules, "standard");
        int info = index(rules, "infoscale");
        int logn = index(rules, "logn");
        int best = -1;
        int worst = -1;
        for (int r = 0; r < rules.size(); r++) {
            if (rules.get(r).id().equals("derived")) {
                continue;
            }
            if (best < 0 || dil.mass()[r][last] > dil.mass()[best][last]) {
                best = r;
            }
            if (worst < 0 || dil.mass()[r][last] < dil.mass()[worst][last]) {
                worst = r;
            }
        }
        String reading = String.format(Locale.ROOT,
                "The planted key holds %s of the attention at n = N = %d but only %s at n = %d under the standard "
                + "factor, while InfoScale keeps %s and log-n %s of it. Among the published rules %s keeps the most "
                + "at n = %d (%s) and %s the least (%s); the derived factor, solved to hold the mass, keeps %s.",
                num(dil.mass()[std][0]), ns[0], num(dil.mass()[std][last]), ns[last], num(dil.mass()[info][last]),
                num(dil.mass()[logn][last]), rules.get(best).id(), ns[last], num(dil.mass()[best][last]),
                rules.get(worst).id(), num(dil.mass()[worst][last]),
                note[0].isEmpty() ? num(dil.mass()[index(rules, "derived")][last]) : "nothing (" + note[0] + ")");
        Table key = new Table(4, "rule", "factor at max n", "mass at N", "mass at 8N", "mass at max n", "+- se");
        int i8 = MaxCosineFigure.indexOf(ns, 8 * b.trainLength());
        for (int r = 0; r < rules.size(); r++) {
            key.add(rules.get(r).id(), rules.get(r).factor(ns[last]), dil.mass()[r][0],
                    i8 >= 0 ? dil.mass()[r][i8] : Double.NaN, dil.mass()[r][last], dil.standardError()[r][last]);
        }
        Map<String, Double> k = new LinkedHashMap<>();
        k.put("mass_at_N", dil.mass()[std][0]);
        for (int r = 0; r < rules.size(); r++) {
            k.put(rules.get(r).id() + "_mass_at_max", dil.mass()[r][last]);
        }
        return new SectionResult(number(), title(), true, List.of(img.png().getFileName().toString()), List.of(csv),
                reading, key, k, "theory planted-focus model: query and " + "keys on the sphere of R^" + b.headDim()
                        + ", one key at cosine " + Charts.compact(ReferenceSetup.FOCUS_COSINE) + " to the query, logits s cos with s = "
                        + Charts.compact(ReferenceSetup.FOCUS_MODEL_SCALE) + ", " + b.samples()
                        + " Monte Carlo rows per length shared by all rules; per-position rules (qwen_logn, llama4) "
                        + "evaluated at position n" + (note[0].isEmpty() ? "" : "; " + note[0]));
    }

    static int index(List<TemperatureRule> rules, String id) {
        for (int r = 0; r < rules.size(); r++) {
            if (rules.get(r).id().equals(id)) {
                return r;
            }
        }
        throw new IllegalStateException("rule " + id + " missing");
    }
}
