package org.isentropic.figures.cli;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import org.isentropic.experiments.eval.ExperimentRunner;
import org.isentropic.experiments.eval.Extrapolation;
import org.isentropic.experiments.eval.ExtrapolationReport;
import org.isentropic.experiments.eval.Method;
import org.isentropic.experiments.eval.Metrics;
import org.isentropic.experiments.eval.Protocol;
import org.isentropic.experiments.eval.Temperature;
import org.isentropic.experiments.model.GauModel;
import org.isentropic.figures.charts.ChartFiles;
import org.isentropic.figures.charts.Charts;
import org.isentropic.kernels.AttentionKernels;
import org.knowm.xchart.XYChart;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/**
 * {@code isentropic experiment}: the length-extrapolation experiment (issue 8). {@code train} says how to
 * train the checkpoints (DJL lives only in the Maven profile {@code train}); {@code eval} evaluates the
 * committed checkpoints on the project's kernels and writes {@code extrapolation.md}, CSVs and figures.
 */
@Command(name = "experiment", mixinStandardHelpOptions = true,
        description = "Length extrapolation of a GAU masked LM trained at N = 64: train (instructions) and eval.",
        subcommands = {ExperimentCommand.Train.class, ExperimentCommand.Eval.class})
public final class ExperimentCommand implements Runnable {

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Override
    public void run() {
        spec.commandLine().usage(spec.commandLine().getOut());
    }

    /** The exact commands that train the two checkpoints (printed by {@code experiment train}). */
    static final String TRAIN_INSTRUCTIONS = String.join("\n",
            "Training runs on DJL + PyTorch (CPU, offline), which only the Maven profile 'train' brings in",
            "(the default build and this command never load it). From the repository root:",
            "  mvn -B -Ptrain -pl experiments -am install -DskipTests",
            "  mvn -B -Ptrain -pl experiments exec:java -Dexec.args=\"--attention softmax"
                    + " --out experiments/src/main/resources/checkpoints\"",
            "  mvn -B -Ptrain -pl experiments exec:java -Dexec.args=\"--attention cosscale"
                    + " --out experiments/src/main/resources/checkpoints\"",
            "Options: --steps S --batch B --lr LR --seed SEED --corpus FILE|DIR (defaults: the committed recipe).",
            "Then copy the *-golden.safetensors files to experiments/src/test/resources/golden/ and rebuild.");

    @Command(name = "train", mixinStandardHelpOptions = true,
            description = "Print how to train the checkpoints (needs Maven's -Ptrain; exits 2).")
    static final class Train implements Callable<Integer> {

        @CommandLine.Spec
        CommandLine.Model.CommandSpec spec;

        @Override
        public Integer call() {
            var err = spec.commandLine().getErr();
            err.println("isentropic experiment train: not available in this build.");
            err.println(TRAIN_INSTRUCTIONS);
            err.flush();
            return CommandLine.ExitCode.USAGE;
        }
    }

    @Command(name = "eval", mixinStandardHelpOptions = true,
            description = {"Evaluate the committed checkpoints at lengths 64..4096 with RoPE, PI, NTK, YaRN, ReRoPE,"
                    + " StreamingLLM, LM-Infinite, windowed attention and ALiBi, each with the standard, log-n and"
                    + " InfoScale temperatures. Writes extrapolation.md, extrapolation.csv, window-probe.csv and"
                    + " figures to --out (default out/); prints the RoPE rows on stdout.",
                "Full: about 20 minutes on 2 cores; --quick: under 2 minutes."})
    static final class Eval implements Callable<Integer> {

        @Option(names = "--quick", description = "Lengths 64, 256, 1024 on 2 documents, one-pass protocol only.")
        boolean quick;

        @Option(names = "--corpus", paramLabel = "FILE|DIR",
                description = "Test corpus (one document per line, or per file); default: the Europarl sample.")
        Path corpus;

        @Option(names = "--threads", paramLabel = "T",
                description = "Worker threads (default: available processors).")
        Integer threads;

        @Option(names = "--documents", paramLabel = "K",
                description = "Use the first K of the 10 test documents (default: 10 full, 2 quick).")
        Integer documents;

        @Option(names = "--positions", paramLabel = "P",
                description = "One-token protocol: masked positions per window (default: 8 full, 0 = off in quick).")
        Integer positions;

        @Mixin
        OutputOptions output;

        @Mixin
        SeedOption seed;

        @Override
        public Integer call() throws Exception {
            Path out = output.out == null ? Path.of("out") : output.out;
            int t = FiguresCommand.threads(threads);
            Extrapolation.Settings s = quick ? ExperimentRunner.quick(seed.seed, t) : ExperimentRunner.full(seed.seed, t);
            if (documents != null) {
                if (documents < 1 || documents > 10) {
                    throw new IllegalArgumentException("--documents must be in [1, 10], got " + documents);
                }
                s = new Extrapolation.Settings(s.lengths(), documents, s.positions(), s.oneTokenMethods(), s.onePass(),
                        s.methods(), s.temperatures(), s.seed(), s.threads());
            }
            if (positions != null) {
                if (positions < 0 || positions > 64) {
                    throw new IllegalArgumentException("--positions must be in [0, 64], got " + positions);
                }
                s = new Extrapolation.Settings(s.lengths(), s.documents(), positions,
                        positions > 0 && s.oneTokenMethods().isEmpty() ? List.of(Method.ROPE) : s.oneTokenMethods(),
                        s.onePass(), s.methods(), s.temperatures(), s.seed(), s.threads());
            }
            long cells = 2L * s.lengths().size() * s.temperatures().size()
                    * ((s.onePass() ? s.methods().size() : 0) + (s.positions() > 0 ? s.oneTokenMethods().size() : 0));
            ExtrapolationReport.Results r;
            try (Progress progress = new Progress("experiment eval", cells)) {
                r = ExperimentRunner.run(s, corpus, out, () -> AttentionKernels.fused(1), "fused(1) per worker",
                        true, line -> {
                            if (line.startsWith("[")) {
                                progress.step();
                            } else {
                                System.err.println(line);
                            }
                        });
            }
            figures(r, out);
            table(r).write(output.format, System.out);
            System.err.println("experiment eval: wrote " + out.resolve("extrapolation.md"));
            return 0;
        }
    }

    /** The RoPE rows of the main protocol: one row per model, temperature and length. */
    static Table table(ExtrapolationReport.Results r) {
        Protocol p = r.settings().onePass() ? Protocol.ONE_PASS : Protocol.ONE_TOKEN;
        Table t = new Table(4, "model", "protocol", "method", "temperature", "n", "predictions", "accuracy",
                "accuracy_lo", "accuracy_hi", "loss", "perplexity", "mean_entropy");
        for (Extrapolation.Cell c : r.cells()) {
            if (c.protocol() == p && c.method() == Method.ROPE) {
                Metrics m = c.metrics();
                double[] ci = m.accuracyInterval();
                t.add(c.model(), p.label(), c.method().id(), c.temperature().id(), c.length(), m.count(), m.accuracy(),
                        ci[0], ci[1], m.loss(), m.perplexity(), Extrapolation.layerMean(c.meanEntropy()));
            }
        }
        return t;
    }

    /** accuracy-vs-length and entropy-vs-length (RoPE, each model and temperature), PNG and SVG. */
    static void figures(ExtrapolationReport.Results r, Path out) throws java.io.IOException {
        Protocol p = r.settings().onePass() ? Protocol.ONE_PASS : Protocol.ONE_TOKEN;
        List<Integer> lengths = r.settings().lengths();
        int lo = lengths.get(0);
        int hi = lengths.get(lengths.size() - 1);
        XYChart acc = Charts.lengthChart("Masked-character accuracy vs length (RoPE, " + p.label() + ")",
                "n (characters)", "accuracy (%)", lo, hi);
        XYChart ent = Charts.lengthChart("Mean attention entropy vs length (RoPE, layer mean)",
                "n (characters)", "entropy (nats)", lo, hi);
        for (GauModel model : r.models()) {
            for (Temperature temp : Temperature.values()) {
                Map<Integer, Extrapolation.Cell> series = ExtrapolationReport.series(r.cells(), model.name(), p,
                        Method.ROPE, temp);
                if (series.isEmpty()) {
                    continue;
                }
                double[] x = new double[series.size()];
                double[] y = new double[series.size()];
                double[] err = new double[series.size()];
                double[] e = new double[series.size()];
                int i = 0;
                for (Extrapolation.Cell c : series.values()) {
                    x[i] = c.length();
                    double[] ci = c.metrics().accuracyInterval();
                    y[i] = 100 * c.metrics().accuracy();
                    err[i] = 100 * (ci[1] - ci[0]) / 2;
                    e[i] = Extrapolation.layerMean(c.meanEntropy());
                    i++;
                }
                String name = model.name() + " " + temp.label();
                Charts.addLengthSeries(acc, name, x, y, err);
                Charts.addLengthSeries(ent, name, x, e, null);
            }
        }
        Metrics uni = r.unigram().get(p);
        if (uni != null) {
            Charts.addHorizontalReference(acc, "unigram baseline", 100 * uni.accuracy(), Charts.log2(lo), Charts.log2(hi));
        }
        List<Double> lnN = new ArrayList<>();
        for (int n : lengths) {
            lnN.add(Math.log(n));
        }
        Charts.dashed(Charts.addLengthSeries(ent, "ln n (uniform)", lengths.stream().mapToDouble(n -> n).toArray(),
                lnN.stream().mapToDouble(v -> v).toArray(), null), false);
        ChartFiles.save(acc, out, "accuracy-vs-length");
        ChartFiles.save(ent, out, "entropy-vs-length");
    }

}
