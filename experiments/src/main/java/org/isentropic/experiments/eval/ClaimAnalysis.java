package org.isentropic.experiments.eval;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeSet;
import org.isentropic.experiments.stats.Holm;
import org.isentropic.experiments.stats.TwoLevelBootstrap;
import org.isentropic.experiments.stats.Verdict;

/**
 * The registered claims ({@link RegisteredClaims}) decided on the per-target results ({@link PerTarget}): for each
 * claim, the paired difference A - B at its n on the seeds both cells have (seed k of a fine-tune pairs with seed
 * k of the control: both start from softmax-seedK) and the same streams, its 95 % interval from the two-level
 * bootstrap ({@link TwoLevelBootstrap}, design {@link #DESIGN}: seeds, then one draw of streams shared by the drawn
 * seeds, as every seed is scored on the same streams), the Holm-adjusted interval across the whole registered
 * family (both metrics), and the verdict and sentence of {@link Verdict} on the adjusted interval. A claim whose cells were not run (e.g. under {@code --quick}) is reported as not run, never guessed.
 *
 * <p>The family is the list of claims passed in: the evaluation passes {@link RegisteredClaims#packaged()}, the
 * retrieval probe its own claims with its above-floor values in the same shape ({@link RetrievalAnalysis}). A claim
 * against {@link RegisteredClaims#FLOOR} compares A with 0 on A's own seeds and streams.
 */
public final class ClaimAnalysis {

    /** Family-wise error rate of the Holm adjustment. */
    public static final double ALPHA = 0.05;
    /**
     * Every seed is scored on the same test streams (a crossed design): the bootstrap must resample streams once per
     * draw for all seeds, or it loses the text-to-text variance the seeds share (TwoLevelBootstrapTest measures the
     * nested scheme at 87-89 % coverage on crossed data).
     */
    public static final TwoLevelBootstrap.Design DESIGN = TwoLevelBootstrap.Design.CROSSED;

    /**
     * One claim's result.
     *
     * @param seeds the seed indices used (common to both cells)
     * @param streams streams per seed
     * @param verdict null when the claim's cells were not run
     */
    public record Result(RegisteredClaims.Claim claim, List<Integer> seeds, int streams, double estimate, double lo,
            double hi, double loAdjusted, double hiAdjusted, double pValue, Verdict verdict, String sentence) {

        /** The verdict's token ({@code holds}, ...), or {@code not run}. */
        public String verdictToken() {
            return verdict == null ? "not run" : verdict.outcome().token();
        }

        public boolean run() {
            return verdict != null;
        }
    }

    private ClaimAnalysis() {
    }

    /** Decides every claim; {@code resamples} and {@code seed} drive the bootstrap (the same draws per claim). */
    public static List<Result> run(List<RegisteredClaims.Claim> claims, Map<PerTarget.Key, PerTarget.Sums> data,
            int resamples, long seed) {
        List<TwoLevelBootstrap> boots = new ArrayList<>();
        List<List<Integer>> seedsUsed = new ArrayList<>();
        List<Integer> streamsUsed = new ArrayList<>();
        for (RegisteredClaims.Claim c : claims) {
            PerTarget.Sums a = data.get(new PerTarget.Key(c.a(), c.n()));
            PerTarget.Sums b = c.againstFloor() ? a : data.get(new PerTarget.Key(c.b(), c.n()));
            if (a == null || b == null) {
                boots.add(null);
                seedsUsed.add(List.of());
                streamsUsed.add(0);
                continue;
            }
            TreeSet<Integer> common = new TreeSet<>(a.seeds().keySet());
            common.retainAll(b.seeds().keySet());
            List<Integer> order = List.copyOf(common);
            double[][] ma = a.means(c.metric(), order);
            double[][] mb = c.againstFloor() ? zeros(ma) : b.means(c.metric(), order);
            if (order.isEmpty() || ma[0].length != mb[0].length) {
                throw new IllegalStateException("claim " + c.id() + ": cells " + c.a() + " and " + c.b()
                        + " share no seed or differ in streams");
            }
            boots.add(TwoLevelBootstrap.paired(ma, mb, DESIGN, resamples, seed));
            seedsUsed.add(order);
            streamsUsed.add(ma[0].length);
        }
        double[] p = new double[claims.size()];
        int m = 0;
        for (int i = 0; i < claims.size(); i++) {
            if (boots.get(i) != null) {
                p[m++] = boots.get(i).pValue(claims.get(i).direction(), claims.get(i).margin());
            }
        }
        double[] levels = Holm.levels(java.util.Arrays.copyOf(p, m), ALPHA);
        List<Result> out = new ArrayList<>();
        int j = 0;
        for (int i = 0; i < claims.size(); i++) {
            RegisteredClaims.Claim c = claims.get(i);
            TwoLevelBootstrap b = boots.get(i);
            if (b == null) {
                out.add(new Result(c, List.of(), 0, Double.NaN, Double.NaN, Double.NaN, Double.NaN, Double.NaN,
                        Double.NaN, null, String.format(Locale.ROOT, "%s (%s): not run (%s not in the results).",
                                c.id(), c.metricId(), c.cellsNamed())));
                continue;
            }
            TwoLevelBootstrap.Interval ci = b.interval(1 - ALPHA);
            TwoLevelBootstrap.Interval adj = b.interval(levels[j]);
            double pv = p[j];
            j++;
            Verdict v = Verdict.holm(c.direction(), c.margin(), b.estimate(), ci.lo(), ci.hi(), adj.lo(), adj.hi());
            String sentence = c.id() + " (" + c.metricId() + "): " + c.statement() + ". "
                    + v.sentence(c.comparison(), Verdict.Unit.forMetric(c.metric().id()));
            out.add(new Result(c, seedsUsed.get(i), streamsUsed.get(i), b.estimate(), ci.lo(), ci.hi(), adj.lo(),
                    adj.hi(), pv, v, sentence));
        }
        return out;
    }

    /**
     * {@code claims-results.csv} (and the probe's {@code retrieval-claims-results.csv}):
     * id,metric,estimate,lo,hi,lo_adj,hi_adj,verdict (points or nats).
     */
    public static String csv(List<Result> results) {
        StringBuilder b = new StringBuilder("id,metric,estimate,lo,hi,lo_adj,hi_adj,verdict\n");
        for (Result r : results) {
            b.append(r.claim().id()).append(',').append(r.claim().metricId()).append(',')
                    .append(num(r.estimate())).append(',').append(num(r.lo())).append(',').append(num(r.hi()))
                    .append(',').append(num(r.loAdjusted())).append(',').append(num(r.hiAdjusted())).append(',')
                    .append(r.verdictToken()).append('\n');
        }
        return b.toString();
    }

    /** The floor's values: 0 in the shape of {@code like}. */
    private static double[][] zeros(double[][] like) {
        double[][] z = new double[like.length][];
        for (int i = 0; i < like.length; i++) {
            z[i] = new double[like[i].length];
        }
        return z;
    }

    private static String num(double v) {
        return Double.isNaN(v) ? "" : String.format(Locale.ROOT, "%.4f", v);
    }
}
