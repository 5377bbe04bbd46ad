package org.isentropic.experiments.train;

import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.NDScope;
import ai.djl.ndarray.types.Shape;
import ai.djl.training.GradientCollector;
import ai.djl.training.optimizer.Optimizer;
import ai.djl.training.tracker.Tracker;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.SplittableRandom;
import org.isentropic.experiments.corpus.CharVocabulary;
import org.isentropic.experiments.corpus.Corpus;
import org.isentropic.experiments.corpus.CorpusSplit;
import org.isentropic.experiments.io.SafeTensors;
import org.isentropic.experiments.model.GauConfig;
import org.isentropic.experiments.model.MlmMasking;
import org.isentropic.experiments.model.TrainingDefaults;

/**
 * Masked-LM training of the GAU model on DJL + PyTorch (CPU). Run through Maven's profile {@code train}:
 * <pre>
 * mvn -B -Ptrain -pl experiments -am install -DskipTests
 * mvn -B -Ptrain -pl experiments exec:java -Dexec.args="--attention softmax --out DIR"
 * </pre>
 * Options: {@code --attention softmax|cosscale}, {@code --steps}, {@code --batch}, {@code --lr},
 * {@code --seed}, {@code --out DIR}, {@code --corpus FILE|DIR}, {@code --threads}. Writes
 * {@code gau-ATTENTION.safetensors}, {@code .json} (config + vocabulary + training facts),
 * {@code -loss.csv} (the loss curve) and {@code -golden.safetensors} (tokens and this engine's logits on
 * two validation sequences, for the Java forward pass's equality test). Progress on stderr.
 */
public final class TrainMain {

    private TrainMain() {
    }

    public static void main(String[] args) throws IOException {
        Map<String, String> o = new HashMap<>();
        for (int i = 0; i < args.length; i++) {
            if (!args[i].startsWith("--") || i + 1 >= args.length) {
                throw new IllegalArgumentException("train: expected --key value pairs, got " + args[i]);
            }
            o.put(args[i].substring(2), args[++i]);
        }
        String attention = o.getOrDefault("attention", GauConfig.SOFTMAX);
        int steps = Integer.parseInt(o.getOrDefault("steps", String.valueOf(TrainingDefaults.STEPS)));
        int batch = Integer.parseInt(o.getOrDefault("batch", String.valueOf(TrainingDefaults.BATCH)));
        double peakLr = Double.parseDouble(o.getOrDefault("lr", String.valueOf(TrainingDefaults.PEAK_LR)));
        long seed = Long.parseLong(o.getOrDefault("seed", String.valueOf(TrainingDefaults.SEED)));
        Path out = Path.of(o.getOrDefault("out", "experiments/src/main/resources/checkpoints"));
        Files.createDirectories(out);
        Corpus corpus = o.containsKey("corpus") ? Corpus.fromPath(Path.of(o.get("corpus"))) : Corpus.europarl();
        CorpusSplit split = CorpusSplit.of(corpus, TrainingDefaults.TEST_DOCUMENTS);
        CharVocabulary vocab = CharVocabulary.build(split.train(), TrainingDefaults.MIN_CHAR_COUNT);
        GauConfig config = TrainingDefaults.config(attention, vocab.size());
        int n = config.trainLength();
        int[] trainStream = stream(split.train(), vocab);
        int[] valStream = stream(split.validation(), vocab);
        System.err.printf(Locale.ROOT, "train: %s, %d train docs (%d chars), %d validation, %d test; vocab %d;"
                + " %d steps x batch %d x N %d%n", corpus.name(), split.train().size(), trainStream.length,
                split.validation().size(), split.test().size(), vocab.size(), steps, batch, n);

        Engine engine = Engine.getInstance();
        System.err.println("train: engine " + engine.getEngineName() + " " + engine.getVersion());
        String name = "gau-" + attention;
        Path csv = out.resolve(name + "-loss.csv");
        try (NDManager manager = NDManager.newBaseManager();
                PrintWriter log = new PrintWriter(Files.newBufferedWriter(csv, StandardCharsets.UTF_8))) {
            DjlGau model = new DjlGau(config, manager, seed);
            int warmup = Math.max(1, steps / 20);
            Tracker lr = t -> (float) (t < warmup ? peakLr * (t + 1) / warmup
                    : peakLr * (0.1 + 0.9 * 0.5 * (1 + Math.cos(Math.PI * (t - warmup) / Math.max(1, steps - warmup)))));
            Optimizer adam = Optimizer.adam().optLearningRateTracker(lr).build();
            SplittableRandom rng = new SplittableRandom(seed ^ 0x5DEECE66DL);
            List<Batch> valBatches = new ArrayList<>();
            SplittableRandom vr = new SplittableRandom(seed + 1);
            for (int b = 0; b < TrainingDefaults.VALIDATION_BATCHES; b++) {
                valBatches.add(Batch.sample(valStream, batch, n, vocab.size(), vr, false));
            }
            log.println("step,lr,train_loss,train_accuracy,validation_loss,validation_accuracy,elapsed_s");
            long t0 = System.nanoTime();
            double emaLoss = Double.NaN;
            double emaAcc = Double.NaN;
            for (int step = 0; step < steps; step++) {
                Batch bt = Batch.sample(trainStream, batch, n, vocab.size(), rng, true);
                float[] la;
                try (NDScope scope = new NDScope()) {
                    scope.suppressNotUsedWarning();
                    NDArray tokens = manager.create(bt.input, new Shape(batch, n));
                    NDArray target = manager.create(bt.target, new Shape(batch, n));
                    NDArray weight = manager.create(bt.weight, new Shape(batch, n));
                    NDArray loss;
                    NDArray correct;
                    try (GradientCollector gc = engine.newGradientCollector()) {
                        NDArray logits = model.forward(tokens);
                        NDArray picked = logits.logSoftmax(-1).mul(target.oneHot(vocab.size())).sum(new int[] {-1});
                        loss = picked.mul(weight).sum().neg().div(weight.sum());
                        gc.backward(loss);
                        correct = logits.argMax(-1).toType(ai.djl.ndarray.types.DataType.INT32, false)
                                .eq(target).toType(ai.djl.ndarray.types.DataType.FLOAT32, false)
                                .mul(weight).sum().div(weight.sum());
                    }
                    la = new float[] {loss.getFloat(), correct.getFloat()};
                    if (step > 0) {
                        update(model, adam);
                    }
                }
                if (step == 0) {
                    update(model, adam); // outside the scope: the optimizer's state arrays are created here
                }
                emaLoss = Double.isNaN(emaLoss) ? la[0] : 0.98 * emaLoss + 0.02 * la[0];
                emaAcc = Double.isNaN(emaAcc) ? la[1] : 0.98 * emaAcc + 0.02 * la[1];
                boolean validate = (step + 1) % TrainingDefaults.VALIDATE_EVERY == 0 || step == steps - 1;
                String val = ",";
                if (validate) {
                    double[] v = validate(model, manager, valBatches, vocab.size());
                    val = String.format(Locale.ROOT, "%.5f,%.5f", v[0], v[1]);
                    System.err.printf(Locale.ROOT, "train %s: step %d/%d loss %.4f acc %.4f | validation loss "
                            + "%.4f acc %.4f | %.0f s%n", attention, step + 1, steps, emaLoss, emaAcc, v[0], v[1],
                            (System.nanoTime() - t0) / 1e9);
                }
                log.printf(Locale.ROOT, "%d,%.6g,%.5f,%.5f,%s,%.1f%n", step + 1, lr.getNewValue(step), la[0], la[1],
                        val, (System.nanoTime() - t0) / 1e9);
                log.flush();
            }
            double seconds = (System.nanoTime() - t0) / 1e9;
            Map<String, SafeTensors.Tensor> tensors = new LinkedHashMap<>();
            for (Map.Entry<String, NDArray> e : model.parameters().entrySet()) {
                tensors.put(e.getKey(), SafeTensors.Tensor.of(e.getValue().toFloatArray(), config.shape(e.getKey())));
            }
            Map<String, String> meta = Map.of("format", "pt", "config", name + ".json");
            SafeTensors.write(out.resolve(name + ".safetensors"), tensors, meta);
            double[] v = validate(model, manager, valBatches, vocab.size());
            Map<String, Object> training = new LinkedHashMap<>();
            training.put("engine", engine.getEngineName() + " " + engine.getVersion() + " (DJL)");
            training.put("corpus", corpus.name());
            training.put("steps", steps);
            training.put("batch", batch);
            training.put("peak_lr", peakLr);
            training.put("schedule", "linear warm-up " + warmup + " steps, cosine decay to 0.1 x peak; Adam");
            training.put("mask_rate", MlmMasking.RATE);
            training.put("seed", seed);
            training.put("seconds", Math.round(seconds));
            training.put("final_validation_loss", v[0]);
            training.put("final_validation_accuracy", v[1]);
            if (config.cosine()) {
                List<Object> s = new ArrayList<>();
                for (int l = 0; l < config.layers(); l++) {
                    s.add(Math.exp(model.parameters().get("layers." + l + ".log_scale").getFloat(0)));
                }
                training.put("learned_scales", s);
            }
            Files.writeString(out.resolve(name + ".json"), GauConfig.toJson(config, vocab, training) + "\n");
            writeGolden(model, manager, valStream, vocab.size(), n, seed, out.resolve(name + "-golden.safetensors"));
            System.err.printf(Locale.ROOT, "train %s: done in %.0f s; validation loss %.4f acc %.4f -> %s%n",
                    attention, seconds, v[0], v[1], out);
        }
    }

    private static void update(DjlGau model, Optimizer adam) {
        for (Map.Entry<String, NDArray> e : model.parameters().entrySet()) {
            NDArray g = e.getValue().getGradient();
            adam.update(e.getKey(), e.getValue(), g);
            g.subi(g);
        }
    }

    private static double[] validate(DjlGau model, NDManager manager, List<Batch> batches, int vocabSize) {
        double lossSum = 0;
        double correct = 0;
        double count = 0;
        for (Batch b : batches) {
            try (NDScope scope = new NDScope()) {
                scope.suppressNotUsedWarning();
                long[] shape = {b.rows, b.input.length / b.rows};
                NDArray logits = model.forward(manager.create(b.input, new Shape(shape)));
                NDArray target = manager.create(b.target, new Shape(shape));
                NDArray weight = manager.create(b.weight, new Shape(shape));
                NDArray picked = logits.logSoftmax(-1).mul(target.oneHot(vocabSize)).sum(new int[] {-1});
                lossSum -= picked.mul(weight).sum().getFloat();
                correct += logits.argMax(-1).toType(ai.djl.ndarray.types.DataType.INT32, false).eq(target)
                        .toType(ai.djl.ndarray.types.DataType.FLOAT32, false).mul(weight).sum().getFloat();
                count += weight.sum().getFloat();
            }
        }
        return new double[] {lossSum / count, correct / count};
    }

    private static void writeGolden(DjlGau model, NDManager manager, int[] valStream, int vocabSize, int n, long seed,
            Path file) {
        int rows = 2;
        Batch b = Batch.sample(valStream, rows, n, vocabSize, new SplittableRandom(seed + 2), false);
        try (NDScope scope = new NDScope()) {
            scope.suppressNotUsedWarning();
            NDArray logits = model.forward(manager.create(b.input, new Shape(rows, n)));
            Map<String, SafeTensors.Tensor> t = new LinkedHashMap<>();
            t.put("tokens", SafeTensors.Tensor.ofInts(b.input, rows, n));
            t.put("logits", SafeTensors.Tensor.of(logits.toFloatArray(), rows, n, vocabSize));
            SafeTensors.write(file, t, Map.of("what", "MLM logits of the training engine (DJL PyTorch) on two "
                    + "masked validation sequences"));
        }
    }

    private static int[] stream(List<String> docs, CharVocabulary vocab) {
        int total = docs.stream().mapToInt(d -> d.codePointCount(0, d.length()) + 1).sum();
        int[] s = new int[total];
        int i = 0;
        int space = vocab.id(' ');
        for (String d : docs) {
            for (int t : vocab.encode(d)) {
                s[i++] = t;
            }
            s[i++] = space;
        }
        return s;
    }

    /** A batch of random windows of the token stream with their MLM corruption. */
    private record Batch(int rows, int[] input, int[] target, float[] weight) {

        static Batch sample(int[] stream, int rows, int n, int vocabSize, SplittableRandom rng, boolean training) {
            int[] input = new int[rows * n];
            int[] target = new int[rows * n];
            float[] weight = new float[rows * n];
            for (int r = 0; r < rows; r++) {
                int start = rng.nextInt(stream.length - n);
                int[] seq = java.util.Arrays.copyOfRange(stream, start, start + n);
                MlmMasking m = training ? MlmMasking.training(seq, MlmMasking.RATE, vocabSize, rng)
                        : MlmMasking.evaluation(seq, MlmMasking.RATE, rng);
                System.arraycopy(m.input(), 0, input, r * n, n);
                System.arraycopy(seq, 0, target, r * n, n);
                for (int p : m.chosen()) {
                    weight[r * n + p] = 1f;
                }
            }
            return new Batch(rows, input, target, weight);
        }
    }
}
