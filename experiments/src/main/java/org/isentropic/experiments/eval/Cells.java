package org.isentropic.experiments.eval;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.isentropic.base.Table;
import org.isentropic.experiments.stats.Bootstrap;

/**
 * The evaluation's cells at the level of an <em>arm</em> (all seeds of one training recipe): per stream,
 * the predictions, hits and loss summed over the arm's checkpoints (seeds), which evaluate the same
 * streams. Intervals are the stream-level cluster bootstrap (the stream is the resampling unit; with
 * several seeds a drawn stream brings its predictions under every seed), and the spread across seeds is
 * kept beside them.
 */
public final class Cells {

    /** A cell: arm x protocol x method x temperature (with n-mode) x length. */
    public record Key(String arm, Protocol protocol, Method method, String temperature, int length) {
    }

    /**
     * Per-stream sums and per-seed accuracies of a cell.
     *
     * @param predictions per stream
     * @param correct per stream
     * @param loss per stream (sum of -ln p)
     * @param entropy per layer, mean over streams and seeds
     * @param seedAccuracy seed -> accuracy over all streams
     */
    public record Cell(Key key, Plan.Row row, double[] predictions, double[] correct, double[] loss, double[] entropy,
            Map<Integer, Double> seedAccuracy) {

        public double accuracy() {
            return sum(correct) / sum(predictions);
        }

        public double meanLoss() {
            return sum(loss) / sum(predictions);
        }

        public Bootstrap.Interval accuracyInterval(int resamples, long seed) {
            return Bootstrap.percentile(predictions.length, w -> Bootstrap.ratio(w, correct, predictions), resamples,
                    seed);
        }

        public Bootstrap.Interval lossInterval(int resamples, long seed) {
            return Bootstrap.percentile(predictions.length, w -> Bootstrap.ratio(w, loss, predictions), resamples, seed);
        }
    }

    private final Map<Key, Cell> cells;

    private Cells(Map<Key, Cell> cells) {
        this.cells = cells;
    }

    public static Cells of(Evaluation.Result r) {
        Map<Key, List<Evaluation.StreamResult>> by = new LinkedHashMap<>();
        for (Evaluation.StreamResult s : r.results()) {
            Plan.Row row = s.row();
            Key k = new Key(row.checkpoint().arm(), row.protocol(), row.method(), row.temperatureId(), s.length());
            by.computeIfAbsent(k, x -> new ArrayList<>()).add(s);
        }
        Map<Key, Cell> out = new LinkedHashMap<>();
        for (var e : by.entrySet()) {
            int streams = e.getValue().stream().mapToInt(Evaluation.StreamResult::stream).max().getAsInt() + 1;
            double[] p = new double[streams];
            double[] c = new double[streams];
            double[] l = new double[streams];
            double[] ent = null;
            Map<Integer, double[]> seeds = new TreeMap<>();
            for (Evaluation.StreamResult s : e.getValue()) {
                p[s.stream()] += s.predictions();
                c[s.stream()] += s.correct();
                l[s.stream()] += s.lossSum();
                if (ent == null) {
                    ent = new double[s.entropy().length];
                }
                for (int i = 0; i < ent.length; i++) {
                    ent[i] += s.entropy()[i] / e.getValue().size();
                }
                double[] sa = seeds.computeIfAbsent(s.row().checkpoint().seed(), x -> new double[2]);
                sa[0] += s.correct();
                sa[1] += s.predictions();
            }
            Map<Integer, Double> seedAcc = new TreeMap<>();
            seeds.forEach((seed, v) -> seedAcc.put(seed, v[0] / v[1]));
            out.put(e.getKey(), new Cell(e.getKey(), e.getValue().get(0).row(), p, c, l, ent, seedAcc));
        }
        return new Cells(out);
    }

    public Cell get(Key k) {
        return cells.get(k);
    }

    public List<Cell> all() {
        return List.copyOf(cells.values());
    }

    /**
     * The RoPE cells of the main protocol, one row each ({@code isentropic experiment eval} prints it on stdout):
     * accuracy with its 95 % stream-bootstrap interval ({@code seed} drives the resampling), mean loss (nats per
     * target) and mean attention entropy over the layers.
     */
    public Table ropeTable(long seed) {
        Table t = new Table(4, "arm", "method", "temperature", "n", "predictions", "accuracy", "accuracy_lo",
                "accuracy_hi", "loss", "mean_entropy");
        for (Cell c : all()) {
            if (c.key().protocol() == Protocol.STREAMS && c.key().method() == Method.ROPE) {
                Bootstrap.Interval a = c.accuracyInterval(Bootstrap.RESAMPLES, seed);
                double h = Arrays.stream(c.entropy()).average().orElse(Double.NaN);
                t.add(c.key().arm(), c.key().method().id(), c.key().temperature(), c.key().length(),
                        (long) Arrays.stream(c.predictions()).sum(), a.estimate(), a.lo(), a.hi(), c.meanLoss(), h);
            }
        }
        return t;
    }

    /**
     * Paired difference of accuracies a - b on the same streams and targets: both ratios are computed on
     * the same cluster resample.
     */
    public static Bootstrap.Interval pairedAccuracy(Cell a, Cell b, int resamples, long seed) {
        if (a.predictions.length != b.predictions.length) {
            throw new IllegalArgumentException("paired cells must have the same streams: " + a.key() + ", " + b.key());
        }
        return Bootstrap.percentile(a.predictions.length, w -> Bootstrap.ratio(w, a.correct, a.predictions)
                - Bootstrap.ratio(w, b.correct, b.predictions), resamples, seed);
    }

    /** Paired difference of a cell's accuracy and a per-stream baseline's ({predictions, correct, ...}). */
    public static Bootstrap.Interval pairedAccuracy(Cell a, double[][] baseline, int resamples, long seed) {
        double[] bp = new double[baseline.length];
        double[] bc = new double[baseline.length];
        for (int s = 0; s < baseline.length; s++) {
            bp[s] = baseline[s][0];
            bc[s] = baseline[s][1];
        }
        return Bootstrap.percentile(bp.length, w -> Bootstrap.ratio(w, a.correct, a.predictions)
                - Bootstrap.ratio(w, bc, bp), resamples, seed);
    }

    static double sum(double[] x) {
        double s = 0;
        for (double v : x) {
            s += v;
        }
        return s;
    }
}
