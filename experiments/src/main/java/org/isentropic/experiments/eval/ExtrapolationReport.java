package org.isentropic.experiments.eval;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.TreeSet;
import org.isentropic.base.OutputFiles;
import org.isentropic.base.OutputFormat;
import org.isentropic.base.Table;
import org.isentropic.experiments.model.GauModel;
import org.isentropic.experiments.stats.Bootstrap;
import org.isentropic.kernels.spec.NMode;
import org.isentropic.theory.rules.TemperatureRule;
import org.isentropic.theory.solvers.DerivedFactors;

/**
 * Writes the evaluation's files: {@code per-stream.csv} (every stream of every cell and checkpoint),
 * {@code extrapolation.csv} (arm-level cells with cluster-bootstrap intervals and the spread across seeds),
 * {@code paired.csv} (the claims' paired differences), {@code calibration.csv} (per checkpoint and layer:
 * entropy at N, oracle, derived and closed-form factors) and {@code extrapolation.md} (protocol, claims with
 * verdicts, tables). Every file is written to a temporary name and moved into place.
 */
public final class ExtrapolationReport {

    private ExtrapolationReport() {
    }

    /** A claim's verdict from its paired intervals. */
    public enum Verdict {
        HOLDS, DOES_NOT_HOLD, INCONCLUSIVE, NOT_MEASURED;

        /** The verdict as the report words it. */
        public String text() {
            return switch (this) {
                case HOLDS -> "holds";
                case DOES_NOT_HOLD -> "does not hold";
                case INCONCLUSIVE -> "inconclusive at this size";
                case NOT_MEASURED -> "not measured in this run";
            };
        }
    }

    /** One paired comparison a claim rests on. */
    public record Comparison(String claim, String what, Cells.Key a, String b, double aValue, double bValue,
            Bootstrap.Interval difference) {
    }

    /** One claim's evidence and verdict. */
    public record Claim(int number, String statement, String rule, List<Comparison> comparisons, Verdict verdict) {
    }

    public static void write(Evaluation.Result r, List<WindowProbe.Row> probe, ExperimentRunner.Setup s, long seed,
            String kernelName, Path out) {
        try {
            Files.createDirectories(out);
            Cells cells = Cells.of(r);
            int resamples = Bootstrap.RESAMPLES;
            List<Claim> claims = claims(r, cells, probe, resamples, seed);
            put(out.resolve("per-stream.csv"), perStream(r));
            put(out.resolve("extrapolation.csv"), cellTable(r, cells, resamples, seed));
            put(out.resolve("paired.csv"), pairedTable(claims));
            put(out.resolve("calibration.csv"), calibrationTable(r));
            put(out.resolve("window-probe.csv"), probeTable(probe));
            put(out.resolve("extrapolation.md"), markdown(r, s, cells, claims, probe, resamples, seed, kernelName));
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write the report to " + out + ": " + e.getMessage(), e);
        }
    }

    private static void put(Path file, String text) {
        OutputFiles.writeString(file, text);
    }

    /**
     * A CSV table of the given columns followed by one {@code entropy_layer<l>} column per layer. Numbers go in
     * as {@link #f6} text, so a NaN is an empty cell.
     */
    private static Table table(int layers, String... columns) {
        List<String> names = new ArrayList<>(List.of(columns));
        for (int l = 0; l < layers; l++) {
            names.add("entropy_layer" + l);
        }
        return new Table(6, names);
    }

    /** The cells of a row followed by its per-layer entropies (empty past the model's layers). */
    private static Object[] withEntropy(int layers, double[] entropy, Object... cells) {
        Object[] row = java.util.Arrays.copyOf(cells, cells.length + layers);
        for (int l = 0; l < layers; l++) {
            row[cells.length + l] = l < entropy.length ? f6(entropy[l]) : "";
        }
        return row;
    }

    static String perStream(Evaluation.Result r) {
        int layers = maxLayers(r);
        Table t = table(layers, "family", "checkpoint", "arm", "seed", "protocol", "method", "temperature", "length",
                "stream", "predictions", "correct", "loss_sum");
        for (Evaluation.StreamResult s : r.results()) {
            Plan.Row row = s.row();
            t.add(withEntropy(layers, s.entropy(), r.family().id(), row.checkpoint().name(), row.checkpoint().arm(),
                    row.checkpoint().seed(), row.protocol().label(), row.method().id(), row.temperatureId(),
                    s.length(), s.stream(), s.predictions(), s.correct(), f6(s.lossSum())));
        }
        return t.render(OutputFormat.csv);
    }

    static String cellTable(Evaluation.Result r, Cells cells, int resamples, long seed) {
        int layers = maxLayers(r);
        Table t = table(layers, "family", "arm", "seeds", "protocol", "method", "temperature", "n_mode", "length",
                "streams", "predictions", "accuracy", "accuracy_lo", "accuracy_hi", "loss", "loss_lo", "loss_hi",
                "perplexity", "seed_accuracy_min", "seed_accuracy_max");
        for (Cells.Cell c : cells.all()) {
            Bootstrap.Interval a = c.accuracyInterval(resamples, seed);
            Bootstrap.Interval lo = c.lossInterval(resamples, seed);
            double min = c.seedAccuracy().values().stream().mapToDouble(Double::doubleValue).min().orElse(Double.NaN);
            double max = c.seedAccuracy().values().stream().mapToDouble(Double::doubleValue).max().orElse(Double.NaN);
            Plan.Row row = c.row();
            t.add(withEntropy(layers, c.entropy(), r.family().id(), c.key().arm(), c.seedAccuracy().size(),
                    row.protocol().label(), row.method().id(), row.temperature().id(),
                    row.nMode().name().toLowerCase(Locale.ROOT), c.key().length(), c.predictions().length,
                    (long) Cells.sum(c.predictions()), f6(a.estimate()), f6(a.lo()), f6(a.hi()), f6(lo.estimate()),
                    f6(lo.lo()), f6(lo.hi()), f6(Math.exp(lo.estimate())), f6(min), f6(max)));
        }
        return t.render(OutputFormat.csv);
    }

    static String pairedTable(List<Claim> claims) {
        Table t = new Table(6, "claim", "comparison", "a", "b", "a_accuracy", "b_accuracy", "difference",
                "difference_lo", "difference_hi", "excludes_zero", "verdict");
        for (Claim c : claims) {
            for (Comparison p : c.comparisons()) {
                t.add(c.number(), p.what(), describe(p.a()), p.b(), f6(p.aValue()), f6(p.bValue()),
                        f6(p.difference().estimate()), f6(p.difference().lo()), f6(p.difference().hi()),
                        p.difference().excludesZero(), c.verdict().text());
            }
        }
        return t.render(OutputFormat.csv);
    }

    /** Per checkpoint, layer and length: entropy at N, the oracle (per method), derived and closed forms. */
    static String calibrationTable(Evaluation.Result r) {
        Table t = new Table(6, "checkpoint", "arm", "seed", "layer", "method", "length", "entropy_at_N", "oracle",
                "derived", "derived_se", "infoscale", "logn", "softmax_plus");
        for (Family.Checkpoint c : r.family().checkpoints()) {
            Evaluation.CheckpointCalibration cal = r.calibration().get(c.name());
            GauModel m = r.models().get(c.name());
            int trainLength = m.config().trainLength();
            int d = m.config().keyDim();
            for (var e : r.oracle().entrySet()) {
                if (!e.getKey().checkpoint().equals(c.name())) {
                    continue;
                }
                int n = e.getKey().length();
                for (int l = 0; l < e.getValue().length; l++) {
                    DerivedFactors df = cal.derived().get(l);
                    int at = indexOf(df.lengths(), n);
                    t.add(c.name(), c.arm(), c.seed(), l, e.getKey().method().id(), n, f6(cal.entropyAtN()[l]),
                            f6(e.getValue()[l]), f6(Evaluation.derivedRule(df, trainLength).applyAsDouble(n)),
                            at < 0 ? "" : f6(df.standardError()[at]), f6(TemperatureRule.infoScale(trainLength, d).factor(n)),
                            f6(TemperatureRule.logN(trainLength).factor(n)), f6(TemperatureRule.softmaxPlus().factor(n)));
                }
            }
        }
        return t.render(OutputFormat.csv);
    }

    // ---------------------------------------------------------------- claims

    /** The arm plain softmax claims rest on: the fine-tuned control when there is one, else softmax. */
    static String softmaxArm(Family f) {
        return f.has(Family.CONTROL) ? Family.CONTROL : Family.SOFTMAX;
    }

    /** The CosScale arm: cos128 when present, else the first cosscale arm. */
    static String cosArm(Family f) {
        return f.checkpoints().stream().map(Family.Checkpoint::arm).filter(a -> a.equals("cos128")).findFirst()
                .orElse(f.checkpoints().stream().filter(c -> c.role().equals(Family.COSSCALE))
                        .map(Family.Checkpoint::arm).findFirst().orElse(null));
    }

    static String probeTable(List<WindowProbe.Row> probe) {
        Table t = new Table(6, "checkpoint", "arm", "seed", "scale", "length", "layer", "window", "stream", "mass");
        for (WindowProbe.Row p : probe) {
            for (int w = 0; w < p.windows().length; w++) {
                for (int s = 0; s < p.mass()[w].length; s++) {
                    t.add(p.checkpoint().name(), p.checkpoint().arm(), p.checkpoint().seed(),
                            f6(p.checkpoint().scale()), p.length(), p.layer(), p.windows()[w], s, f6(p.mass()[w][s]));
                }
            }
        }
        StringBuilder b = new StringBuilder(t.render(OutputFormat.csv));
        b.append("# effective window (smallest w in 1, 2, 4, ... with mean mass >= 0.9; 1024 = above 512)\n");
        b.append("# checkpoint,length,layer,effective_window\n");
        for (WindowProbe.Row p : probe) {
            b.append("# ").append(p.checkpoint().name()).append(',').append(p.length()).append(',').append(p.layer())
                    .append(',').append(p.effectiveWindow()).append('\n');
        }
        return b.toString();
    }

    /** Per stream, the layer-mean mass within window index w at length n, summed over an arm's seeds / count. */
    static double[] armMass(List<WindowProbe.Row> probe, String arm, int n, int w) {
        double[] sum = null;
        int count = 0;
        for (WindowProbe.Row p : probe) {
            if (p.checkpoint().arm().equals(arm) && p.length() == n) {
                if (sum == null) {
                    sum = new double[p.mass()[w].length];
                }
                for (int s = 0; s < sum.length; s++) {
                    sum[s] += p.mass()[w][s];
                }
                count++;
            }
        }
        if (sum != null) {
            for (int s = 0; s < sum.length; s++) {
                sum[s] /= count;
            }
        }
        return sum;
    }

    static Claim claim4(Family f, List<WindowProbe.Row> probe, int max, int resamples, long seed) {
        // the fixed-s CosScale arms, by s
        java.util.TreeMap<Double, String> byScale = new java.util.TreeMap<>();
        for (Family.Checkpoint c : f.checkpoints()) {
            if (c.role().equals(Family.COSSCALE) && !Double.isNaN(c.scale())) {
                byScale.put(c.scale(), c.arm());
            }
        }
        String rule = "holds when the layer-mean attention mass within |i - j| <= 32 at the largest n is higher for the"
                + " largest fixed s than for the smallest (paired over the probe streams, interval above 0); does not"
                + " hold when that interval is below 0";
        List<Comparison> cs = new ArrayList<>();
        if (byScale.size() < 2) {
            return new Claim(4, "raising s makes attention windowed", rule + " (this family has fewer than two fixed"
                    + " values of s; window-probe.csv has the masses)", cs, Verdict.NOT_MEASURED);
        }
        String lo = byScale.firstEntry().getValue();
        String hi = byScale.lastEntry().getValue();
        double[] a = armMass(probe, hi, max, 1);
        double[] b = armMass(probe, lo, max, 1);
        if (a == null || b == null) {
            return new Claim(4, "raising s makes attention windowed", rule, cs, Verdict.NOT_MEASURED);
        }
        double[] one = new double[a.length];
        java.util.Arrays.fill(one, 1);
        Bootstrap.Interval d = Bootstrap.percentile(a.length, w -> Bootstrap.ratio(w, a, one)
                - Bootstrap.ratio(w, b, one), resamples, seed + 11);
        Cells.Key k = new Cells.Key(hi, Protocol.STREAMS, Method.ROPE, "standard", max);
        cs.add(new Comparison("4", "mass within |i-j| <= 32 at " + max + ", s = " + byScale.lastKey() + " minus s = "
                + byScale.firstKey(), k, lo + " RoPE / standard at n = " + max, Cells.sum(a) / a.length,
                Cells.sum(b) / b.length, d));
        Verdict v = d.lo() > 0 ? Verdict.HOLDS : d.hi() < 0 ? Verdict.DOES_NOT_HOLD : Verdict.INCONCLUSIVE;
        return new Claim(4, "raising s makes attention windowed (attention mass near the diagonal)", rule, cs, v);
    }

    static List<Claim> claims(Evaluation.Result r, Cells cells, List<WindowProbe.Row> probe, int resamples,
            long seed) {
        Family f = r.family();
        String soft = softmaxArm(f);
        String cos = cosArm(f);
        int trainLength = r.models().values().iterator().next().config().trainLength();
        int max = r.plan().maxLength();
        Protocol p = Protocol.STREAMS;
        double[][] uni = r.unigram().get(p);
        List<Claim> out = new ArrayList<>();
        long sd = seed;

        // 1. plain softmax collapses
        {
            Cells.Cell atN = cells.get(new Cells.Key(soft, p, Method.ROPE, "standard", trainLength));
            Cells.Cell atMax = cells.get(new Cells.Key(soft, p, Method.ROPE, "standard", max));
            List<Comparison> cs = new ArrayList<>();
            Verdict v = Verdict.NOT_MEASURED;
            if (atN != null && atMax != null && max > trainLength) {
                Bootstrap.Interval d = Cells.pairedAccuracy(atMax, atN, resamples, sd + 1);
                cs.add(new Comparison("1", "accuracy at " + max + " minus at " + trainLength, atMax.key(), describe(atN.key()),
                        atMax.accuracy(), atN.accuracy(), d));
                Bootstrap.Interval du = Cells.pairedAccuracy(atMax, uni, resamples, sd + 2);
                cs.add(new Comparison("1", "accuracy at " + max + " minus the unigram baseline", atMax.key(),
                        "unigram baseline (same targets)", atMax.accuracy(), ratio(uni), du));
                v = d.hi() < 0 ? Verdict.HOLDS : d.lo() > 0 ? Verdict.DOES_NOT_HOLD : Verdict.INCONCLUSIVE;
            }
            out.add(new Claim(1, "plain softmax collapses as n grows (" + soft + ", RoPE, standard temperature)",
                    "holds when the paired drop from n = N to the largest n excludes 0", cs, v));
        }
        // 2. InfoScale keeps the model usable
        {
            Cells.Cell info = cells.get(new Cells.Key(soft, p, Method.ROPE, "infoscale", max));
            Cells.Cell std = cells.get(new Cells.Key(soft, p, Method.ROPE, "standard", max));
            Cells.Cell logn = cells.get(new Cells.Key(soft, p, Method.ROPE, "logn", max));
            List<Comparison> cs = new ArrayList<>();
            Verdict v = Verdict.NOT_MEASURED;
            if (info != null && std != null) {
                Bootstrap.Interval d = Cells.pairedAccuracy(info, std, resamples, sd + 3);
                Bootstrap.Interval du = Cells.pairedAccuracy(info, uni, resamples, sd + 4);
                cs.add(new Comparison("2", "InfoScale minus standard at " + max, info.key(), describe(std.key()),
                        info.accuracy(), std.accuracy(), d));
                cs.add(new Comparison("2", "InfoScale minus the unigram baseline at " + max, info.key(),
                        "unigram baseline (same targets)", info.accuracy(), ratio(uni), du));
                if (logn != null) {
                    cs.add(new Comparison("2", "InfoScale minus log-n at " + max, info.key(), describe(logn.key()),
                            info.accuracy(), logn.accuracy(), Cells.pairedAccuracy(info, logn, resamples, sd + 5)));
                }
                v = d.lo() > 0 && du.lo() > 0 ? Verdict.HOLDS
                        : d.hi() < 0 || du.hi() < 0 ? Verdict.DOES_NOT_HOLD : Verdict.INCONCLUSIVE;
            }
            out.add(new Claim(2, "InfoScale (training-free) keeps the model usable far past N (" + soft + ", RoPE)",
                    "holds when InfoScale beats both the standard temperature and the unigram baseline at the largest n"
                            + " (both paired intervals above 0); does not hold when either is below 0", cs, v));
        }
        // 3. InfoScale + CosScale best at 64x
        if (cos != null) {
            Cells.Cell ic = cells.get(new Cells.Key(cos, p, Method.ROPE, "infoscale", max));
            List<Comparison> cs = new ArrayList<>();
            Verdict v = Verdict.NOT_MEASURED;
            if (ic != null) {
                Cells.Cell best = null;
                for (Cells.Cell c : cells.all()) {
                    Cells.Key k = c.key();
                    if (k.protocol() == p && k.length() == max && !k.equals(ic.key())
                            && c.row().temperature() != Temperature.ORACLE
                            && c.row().temperature() != Temperature.ISENTROPIC
                            && c.predictions().length == ic.predictions().length
                            && (best == null || c.accuracy() > best.accuracy())) {
                        best = c;
                    }
                }
                Cells.Cell icSoft = cells.get(new Cells.Key(soft, p, Method.ROPE, "infoscale", max));
                if (icSoft != null) {
                    cs.add(new Comparison("3", "CosScale minus softmax (RoPE, InfoScale) at " + max, ic.key(),
                            describe(icSoft.key()), ic.accuracy(), icSoft.accuracy(),
                            Cells.pairedAccuracy(ic, icSoft, resamples, sd + 6)));
                }
                if (best != null) {
                    Bootstrap.Interval d = Cells.pairedAccuracy(ic, best, resamples, sd + 7);
                    cs.add(new Comparison("3", "InfoScale + CosScale minus the best other cell at " + max
                            + " (oracle and per-row isentropic rows excluded: not among the paper's methods)", ic.key(), describe(best.key()), ic.accuracy(), best.accuracy(),
                            d));
                    v = d.lo() > 0 ? Verdict.HOLDS : d.hi() < 0 ? Verdict.DOES_NOT_HOLD : Verdict.INCONCLUSIVE;
                } else {
                    v = Verdict.HOLDS;
                }
            }
            out.add(new Claim(3, "InfoScale + CosScale is best at the largest n (" + cos + ", RoPE, InfoScale)",
                    "holds when it beats the best other cell of the plan (paired interval above 0); does not hold when"
                            + " that interval is below 0", cs, v));
        }
        // 4. raising s makes attention windowed: from the window probe, when the run measured it
        out.add(claim4(f, probe, max, resamples, sd + 12));
        // 5. dilution, not lack of training
        {
            Cells.Cell oracle = cells.get(new Cells.Key(soft, p, Method.ROPE, "oracle", max));
            Cells.Cell std = cells.get(new Cells.Key(soft, p, Method.ROPE, "standard", max));
            Cells.Cell atN = cells.get(new Cells.Key(soft, p, Method.ROPE, "standard", trainLength));
            Cells.Cell win = cells.get(new Cells.Key(soft, p, Method.WINDOW, "standard", max));
            List<Comparison> cs = new ArrayList<>();
            Verdict v = Verdict.NOT_MEASURED;
            if (oracle != null && std != null && atN != null) {
                Bootstrap.Interval d = Cells.pairedAccuracy(oracle, std, resamples, sd + 8);
                cs.add(new Comparison("5", "entropy-matched (oracle) minus standard at " + max, oracle.key(),
                        describe(std.key()), oracle.accuracy(), std.accuracy(), d));
                Bootstrap.Interval gap = Cells.pairedAccuracy(oracle, atN, resamples, sd + 9);
                cs.add(new Comparison("5", "oracle at " + max + " minus standard at " + trainLength, oracle.key(),
                        describe(atN.key()), oracle.accuracy(), atN.accuracy(), gap));
                if (win != null) {
                    cs.add(new Comparison("5", "windowed at " + max + " minus RoPE at " + trainLength, win.key(),
                            describe(atN.key()), win.accuracy(), atN.accuracy(),
                            Cells.pairedAccuracy(win, atN, resamples, sd + 10)));
                }
                v = d.lo() > 0 && gap.lo() > -0.05 ? Verdict.HOLDS
                        : d.hi() < 0 || gap.hi() < -0.05 ? Verdict.DOES_NOT_HOLD : Verdict.INCONCLUSIVE;
            }
            out.add(new Claim(5, "dilution, not a lack of training, is the bottleneck (" + soft + ", RoPE)",
                    "holds when restoring each layer's entropy at N (oracle, no training) beats the standard temperature"
                            + " at the largest n and comes within 5 points of the accuracy at N (interval of the gap above"
                            + " -0.05); does not hold when the oracle is worse than standard or the gap's interval lies"
                            + " below -0.05", cs, v));
        }
        out.add(claim6(cells, soft, cos, trainLength, max, resamples, sd + 20));
        return out;
    }

    /**
     * Not a claim of the paper but its sharpest test (per-row isentropic attention): does attention whose every
     * row keeps its length-N entropy keep the accuracy of length N, and how does it compare to the averaged rules?
     */
    static Claim claim6(Cells cells, String soft, String cos, int trainLength, int max, int resamples, long seed) {
        Protocol p = Protocol.STREAMS;
        List<Comparison> cs = new ArrayList<>();
        Verdict v = Verdict.NOT_MEASURED;
        long sd = seed;
        for (String arm : cos == null ? List.of(soft) : List.of(soft, cos)) {
            Cells.Cell iso = cells.get(new Cells.Key(arm, p, Method.ROPE, "isentropic", max));
            Cells.Cell atN = cells.get(new Cells.Key(arm, p, Method.ROPE, "standard", trainLength));
            if (iso == null || atN == null) {
                continue;
            }
            Bootstrap.Interval gap = Cells.pairedAccuracy(iso, atN, resamples, sd++);
            cs.add(new Comparison("6", "per-row isentropic at " + max + " minus standard at " + trainLength, iso.key(),
                    describe(atN.key()), iso.accuracy(), atN.accuracy(), gap));
            for (String other : List.of("infoscale", "logn", "oracle")) {
                Cells.Cell o = cells.get(new Cells.Key(arm, p, Method.ROPE, other, max));
                if (o != null) {
                    cs.add(new Comparison("6", "per-row isentropic minus " + other + " at " + max, iso.key(),
                            describe(o.key()), iso.accuracy(), o.accuracy(),
                            Cells.pairedAccuracy(iso, o, resamples, sd++)));
                }
            }
            if (arm.equals(soft)) {
                v = gap.lo() > -0.05 ? Verdict.HOLDS : gap.hi() < -0.05 ? Verdict.DOES_NOT_HOLD : Verdict.INCONCLUSIVE;
            }
        }
        return new Claim(6, "(this project's test, not a claim of the paper) exact per-row entropy invariance keeps the"
                + " accuracy of length N (" + soft + ", RoPE)", "holds when per-row isentropic attention at the largest"
                + " n comes within 5 points of the standard temperature at N (interval of the gap above -0.05); does not"
                + " hold when that interval lies below -0.05, i.e. entropy invariance is then not sufficient", cs, v);
    }

    /** Su (2021), RoFormer MLM trained at 64, accuracy % at n = 64, 128, 256, 512, 1024: standard and log-n. */
    static final double[] SU_STANDARD = {43.27, 36.53, 23.02, 15.12, 11.54};
    static final double[] SU_LOGN = {43.11, 41.17, 34.04, 20.15, 13.58};
    static final int[] SU_LENGTHS = {64, 128, 256, 512, 1024};

    /**
     * The experiment's check 3 (docs/method.md): acc(n) / acc(64) of the softmax model and of the model trained with ln n / ln 512 in its
     * logits (Attention-E), with cluster-bootstrap intervals, beside Su's ratios (a comparison of shape).
     */
    static String suComparison(Cells cells, int resamples, long seed) {
        StringBuilder b = new StringBuilder();
        String[] arms = {Family.SOFTMAX, Family.ATTENTION_E};
        if (cells.get(new Cells.Key(Family.ATTENTION_E, Protocol.STREAMS, Method.ROPE, "standard", 64)) == null) {
            return "";
        }
        b.append("## Su's Attention-E at this scale: accuracy at n over accuracy at 64 (RoPE, standard temperature)\n\n");
        b.append("A comparison of shape, not a target: Su (2021) trained a small RoFormer MLM at 64 and reports accuracy"
                + " for the standard scale and for a model trained with ln n / ln 512 in its logits. Ours: `softmax`"
                + " (trained from scratch, seed 1) and `attention-e` (the same recipe with ln max(n, 16) / ln 512 in"
                + " its logits, kept at every n), on the streams protocol, with 95 % cluster-bootstrap intervals.\n\n");
        b.append("| n | Su, standard | ours, softmax | Su, ln n / ln 512 | ours, Attention-E |\n|---|---|---|---|---|\n");
        for (int i = 0; i < SU_LENGTHS.length; i++) {
            int n = SU_LENGTHS[i];
            b.append(String.format(Locale.ROOT, "| %d | %.2f | %s | %.2f | %s |%n", n, SU_STANDARD[i] / SU_STANDARD[0],
                    ratioToShort(cells, arms[0], n, resamples, seed + i), SU_LOGN[i] / SU_LOGN[0],
                    ratioToShort(cells, arms[1], n, resamples, seed + 100 + i)));
        }
        b.append('\n');
        return b.toString();
    }

    private static String ratioToShort(Cells cells, String arm, int n, int resamples, long seed) {
        Cells.Cell a = cells.get(new Cells.Key(arm, Protocol.STREAMS, Method.ROPE, "standard", n));
        Cells.Cell at64 = cells.get(new Cells.Key(arm, Protocol.STREAMS, Method.ROPE, "standard", 64));
        if (a == null || at64 == null) {
            return "not measured";
        }
        Bootstrap.Interval ratio = Bootstrap.percentile(a.predictions().length,
                w -> Bootstrap.ratio(w, a.correct(), a.predictions()) / Bootstrap.ratio(w, at64.correct(),
                        at64.predictions()), resamples, seed);
        return String.format(Locale.ROOT, "%.2f [%.2f, %.2f]", ratio.estimate(), ratio.lo(), ratio.hi());
    }

    /**
     * The experiment's check 7 (docs/method.md): a softmax model trained at N = 256 against the N = 64 one. If dilution is the
     * bottleneck, InfoScale at N = 64 recovers a large part of the gap: the fraction (info64 - std64) /
     * (std256 - std64) at each n, with a cluster-bootstrap interval (same streams and targets in all three).
     */
    static String trainedLonger(Cells cells, String soft, int resamples, long seed) {
        StringBuilder b = new StringBuilder();
        for (int n : new int[] {1024, 4096}) {
            Cells.Cell longer = cells.get(new Cells.Key(Family.N256, Protocol.STREAMS, Method.ROPE, "standard", n));
            Cells.Cell std = cells.get(new Cells.Key(soft, Protocol.STREAMS, Method.ROPE, "standard", n));
            Cells.Cell info = cells.get(new Cells.Key(soft, Protocol.STREAMS, Method.ROPE, "infoscale", n));
            if (longer == null || std == null || info == null
                    || longer.predictions().length != std.predictions().length) {
                continue;
            }
            if (b.length() == 0) {
                b.append("## Claim 5 against a model trained at N = 256 (RoPE)\n\n");
                b.append("Fraction of the gap between the N = 64 model (" + soft + ", standard) and a softmax model"
                        + " trained at N = 256 (from scratch, one seed) that InfoScale recovers without training:"
                        + " (InfoScale - standard) / (N = 256 - standard), 95 % cluster-bootstrap interval.\n\n");
            }
            Bootstrap.Interval f = Bootstrap.percentile(std.predictions().length, w -> {
                double s = Bootstrap.ratio(w, std.correct(), std.predictions());
                return (Bootstrap.ratio(w, info.correct(), info.predictions()) - s)
                        / (Bootstrap.ratio(w, longer.correct(), longer.predictions()) - s);
            }, resamples, seed + n);
            b.append(String.format(Locale.ROOT, "- n = %d: N = 256 model %s, N = 64 model standard %s, InfoScale %s;"
                    + " fraction recovered %.2f [%.2f, %.2f]%n", n, pct(longer.accuracy()), pct(std.accuracy()),
                    pct(info.accuracy()), f.estimate(), f.lo(), f.hi()));
        }
        return b.length() == 0 ? "" : b.append('\n').toString();
    }

    // ---------------------------------------------------------------- markdown

    static String markdown(Evaluation.Result r, ExperimentRunner.Setup s, Cells cells, List<Claim> claims,
            List<WindowProbe.Row> probe, int resamples, long seed, String kernelName) {
        StringBuilder b = new StringBuilder();
        Plan plan = r.plan();
        int trainLength = r.models().values().iterator().next().config().trainLength();
        Streams st = s.test().get(Protocol.STREAMS);
        b.append("# Length extrapolation: ").append(r.family().id()).append(" checkpoints, plan ").append(plan.name())
                .append("\n\n");
        b.append(String.format(Locale.ROOT, "Protocol. %d test streams of %d characters, each held-out documents of %s"
                + " concatenated in source order (one space between documents, no document used twice, no text"
                + " repeated); 8 target characters per stream at fixed offsets around the stream's centre (every 8th"
                + " character of the central 64), all masked at once; at length n the window is the n characters centred"
                + " on the same centre, so the same targets are scored at every n with the same surroundings. One forward"
                + " pass per stream and cell; accuracy and loss over the targets. Intervals: stream-level cluster"
                + " bootstrap, %d resamples, seed %d, percentile 95 %%; differences are paired (both cells on the same"
                + " resample of streams); with several seeds a drawn stream brings its targets under every seed, and the"
                + " spread across seeds is given beside. Temperatures: standard, log-n (ln n / ln N), InfoScale,"
                + " softmax_plus as the reference code applies it (ln n / ln 512, not normalised at N, so it changes the"
                + " model at N too), derived (theory's exact solver on sphere keys of the model's d, per layer, from the"
                + " layer's mean entropy at N), oracle (per layer, the constant factor restoring the layer's mean"
                + " entropy at N on %d held-out calibration streams, disjoint from the test streams; Brent's method on"
                + " kernel entropies; a layer whose entropy at N no factor can reach under the method, such as a window"
                + " showing fewer keys than N, keeps factor 1) and per-row isentropic (the kernels solve, for every row, the temperature that"
                + " gives it the entropy it has at factor 1 over the N keys around it, within 1e-3 nats). Under masking methods each length-dependent temperature is also run with n ="
                + " the keys a row can see (`@visible`). Kernel: %s. Run time %.0f s.%n%n",
                st.size(), st.length(), s.corpusName(), resamples, seed, s.calibration().size(), kernelName,
                r.seconds()));
        b.append("The repeated protocol (rows marked `repeated`) tiles each of the 10 long test documents as the earlier"
                + " runs did; its windows repeat text at n near or above the document length, so it serves only for"
                + " comparison and no verdict uses it. The reference implementation's LM-Infinite runs plain RoPE (a"
                + " misspelled name selects it), so its numbers are the RoPE rows.\n\n");
        for (Family.Checkpoint c : r.family().checkpoints()) {
            GauModel m = r.models().get(c.name());
            if (m.config().hasLogitRule()) {
                b.append("Checkpoint ").append(c.name()).append(" was trained with `").append(m.config().logitRule())
                        .append("` in its logits; every row keeps applying it at every n, with the row's temperature on"
                                + " top.\n\n");
            }
        }
        b.append("## Claims (docs/method.md, section 8)\n\n");
        for (Claim c : claims) {
            b.append(String.format(Locale.ROOT, "%d. **%s: %s.** Rule: %s.%n", c.number(), c.statement(),
                    c.verdict().text(), c.rule()));
            for (Comparison p : c.comparisons()) {
                b.append(String.format(Locale.ROOT, "   - %s: %s %s vs %s %s; paired difference %+.1f points [%+.1f,"
                        + " %+.1f]%n", p.what(), describe(p.a()), pct(p.aValue()), p.b(), pct(p.bValue()),
                        100 * p.difference().estimate(), 100 * p.difference().lo(), 100 * p.difference().hi()));
            }
        }
        b.append('\n');
        b.append(trainedLonger(cells, softmaxArm(r.family()), resamples, seed));
        b.append(suComparison(cells, resamples, seed));
        double[][] uni = r.unigram().get(Protocol.STREAMS);
        b.append(String.format(Locale.ROOT, "Unigram baseline on the same targets: %s.%n%n", pct(ratio(uni))));
        b.append("## Accuracy (%) with 95 % cluster-bootstrap intervals\n\n");
        TreeSet<Integer> lengths = new TreeSet<>();
        cells.all().forEach(c -> lengths.add(c.key().length()));
        b.append("| arm | protocol | method | temperature |");
        lengths.forEach(n -> b.append(' ').append(n).append(" |"));
        b.append("\n|---|---|---|---|");
        lengths.forEach(n -> b.append("---|"));
        b.append('\n');
        Map<String, Map<Integer, Cells.Cell>> byRow = new LinkedHashMap<>();
        for (Cells.Cell c : cells.all()) {
            Cells.Key k = c.key();
            byRow.computeIfAbsent(k.arm() + "|" + k.protocol().label() + "|" + c.row().method().label() + "|"
                    + c.row().temperatureLabel(), x -> new LinkedHashMap<>()).put(k.length(), c);
        }
        for (var e : byRow.entrySet()) {
            b.append("| ").append(e.getKey().replace("|", " | ")).append(" |");
            for (int n : lengths) {
                Cells.Cell c = e.getValue().get(n);
                if (c == null) {
                    b.append(" |");
                    continue;
                }
                Bootstrap.Interval a = c.accuracyInterval(resamples, seed);
                b.append(String.format(Locale.ROOT, " %.1f [%.1f, %.1f]", 100 * a.estimate(), 100 * a.lo(), 100 * a.hi()));
                if (c.seedAccuracy().size() > 1) {
                    double min = c.seedAccuracy().values().stream().mapToDouble(Double::doubleValue).min().getAsDouble();
                    double max = c.seedAccuracy().values().stream().mapToDouble(Double::doubleValue).max().getAsDouble();
                    b.append(String.format(Locale.ROOT, " (seeds %.1f-%.1f)", 100 * min, 100 * max));
                }
                b.append(" |");
            }
            b.append('\n');
        }
        b.append("\n## Calibration: per layer entropy at N and factors at the largest n (RoPE)\n\n");
        b.append("| checkpoint | layer | entropy at N (nats) | oracle | derived (theory) | InfoScale | log-n | softmax_plus |\n");
        b.append("|---|---|---|---|---|---|---|---|\n");
        int max = plan.maxLength();
        for (Family.Checkpoint c : r.family().checkpoints()) {
            Evaluation.CheckpointCalibration cal = r.calibration().get(c.name());
            if (cal == null) {
                continue; // not in the plan, not calibrated
            }
            double[] o = r.oracle().get(new Evaluation.OracleKey(c.name(), Method.ROPE, max));
            GauModel m = r.models().get(c.name());
            for (int l = 0; l < cal.entropyAtN().length; l++) {
                b.append(String.format(Locale.ROOT, "| %s | %d | %.3f | %s | %.3f | %.3f | %.3f | %.3f |%n", c.name(), l,
                        cal.entropyAtN()[l], o == null ? "" : String.format(Locale.ROOT, "%.3f", o[l]),
                        Evaluation.derivedRule(cal.derived().get(l), m.config().trainLength()).applyAsDouble(max),
                        TemperatureRule.infoScale(m.config().trainLength(), m.config().keyDim()).factor(max),
                        TemperatureRule.logN(m.config().trainLength()).factor(max),
                        TemperatureRule.softmaxPlus().factor(max)));
            }
        }
        b.append("\n## Window probe (claim 4): attention mass within |i - j| <= w, RoPE, standard, layer by layer\n\n");
        b.append("| checkpoint | n | layer | w = 8 | w = 32 | w = N | effective window (mass >= 0.9) |\n");
        b.append("|---|---|---|---|---|---|---|\n");
        for (WindowProbe.Row p : probe) {
            b.append(String.format(Locale.ROOT, "| %s | %d | %d | %.3f | %.3f | %.3f | %s |%n", p.checkpoint().name(),
                    p.length(), p.layer(), p.meanMass(0), p.meanMass(1), p.meanMass(2),
                    p.effectiveWindow() > WindowProbe.MAX_LADDER ? "> " + WindowProbe.MAX_LADDER
                            : String.valueOf(p.effectiveWindow())));
        }
        b.append("\nFiles: `extrapolation.csv` (cells), `per-stream.csv`, `paired.csv`, `calibration.csv`,"
                + " `window-probe.csv`.\n");
        Objects.requireNonNull(NMode.SEQUENCE);
        return b.toString();
    }

    static String describe(Cells.Key k) {
        return k.arm() + " " + k.method().label() + " / " + k.temperature() + " at n = " + k.length();
    }

    static double ratio(double[][] perStream) {
        double p = 0;
        double c = 0;
        for (double[] s : perStream) {
            p += s[0];
            c += s[1];
        }
        return c / p;
    }

    private static String pct(double v) {
        return String.format(Locale.ROOT, "%.1f %%", 100 * v);
    }

    private static int indexOf(int[] a, int v) {
        for (int i = 0; i < a.length; i++) {
            if (a[i] == v) {
                return i;
            }
        }
        return -1;
    }

    private static int maxLayers(Evaluation.Result r) {
        return r.models().values().stream().mapToInt(m -> m.config().layers()).max().orElse(0);
    }

    static String f6(double v) {
        return Double.isNaN(v) ? "" : String.format(Locale.ROOT, "%.6f", v);
    }
}
