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
import org.isentropic.experiments.model.CopyTask;
import org.isentropic.experiments.model.GauConfig;
import org.isentropic.experiments.model.MlmMasking;
import org.isentropic.experiments.model.TrainingDefaults;

/**
 * Masked-LM training of the GAU model on DJL + PyTorch (CPU). Run through Maven's profile {@code train}:
 * <pre>
 * mvn -B -Ptrain -pl experiments -am install -DskipTests
 * mvn -B -Ptrain -pl experiments exec:java -Dexec.args="--attention softmax --out DIR"
 * </pre>
 * Options: {@code --attention softmax|cosscale}, {@code --key-dim D}, {@code --train-length N},
 * {@code --logit-rule none|softmax_plus}, {@code --batch}, {@code --lr}, {@code --seed}, {@code --name},
 * {@code --out DIR}, {@code --corpus sotu|europarl|europarl:LANG|FILE|DIR} (default sotu), {@code --golden DIR}. From scratch, a run stops on its
 * validation-loss plateau ({@code --max-steps} caps it; {@code --steps} fixes the count instead). With
 * {@code --init FILE.safetensors} it fine-tunes that checkpoint for {@code --steps} steps ({@code --copy-share S}: that
 * share of the training windows holds a planted copy, model.CopyTask; {@code --copy-loss-only true} with share 1:
 * the loss counts the copies' masked letters only, not the other masked characters; {@code --copy-weight W}: each
 * copy letter weighs W in the loss, the other masked characters 1); {@code --cos-scale S}
 * fixes CosScale's s (reached after {@code --scale-warmup} steps). Writes {@code NAME.safetensors},
 * {@code NAME.json} (config + vocabulary + training facts), {@code NAME-loss.csv} (the loss curve) and, with
 * {@code --golden}, {@code NAME-golden.safetensors} (tokens and this engine's logits on
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
        int keyDim = Integer.parseInt(o.getOrDefault("key-dim", String.valueOf(TrainingDefaults.KEY_DIM)));
        int trainLength = Integer.parseInt(o.getOrDefault("train-length", String.valueOf(TrainingDefaults.TRAIN_LENGTH)));
        String logitRule = o.getOrDefault("logit-rule", GauConfig.NO_RULE);
        int batch = Integer.parseInt(o.getOrDefault("batch", String.valueOf(TrainingDefaults.BATCH)));
        long seed = Long.parseLong(o.getOrDefault("seed", String.valueOf(TrainingDefaults.SEED)));
        Path out = Path.of(o.getOrDefault("out", "experiments/src/main/resources/checkpoints"));
        Path init = o.containsKey("init") ? Path.of(o.get("init")) : null;
        double fixedScale = Double.parseDouble(o.getOrDefault("cos-scale", "0"));
        boolean fixedCount = o.containsKey("steps") || init != null;
        double peakLr = Double.parseDouble(o.getOrDefault("lr", String.valueOf(
                init != null ? TrainingDefaults.FINE_TUNE_LR : fixedCount ? TrainingDefaults.PEAK_LR
                        : TrainingDefaults.PLATEAU_LR)));
        int steps = Integer.parseInt(o.getOrDefault("steps", String.valueOf(
                init == null ? TrainingDefaults.STEPS : TrainingDefaults.FINE_TUNE_STEPS)));
        Schedule schedule = init != null ? Schedule.fineTune(peakLr, steps)
                : fixedCount ? Schedule.fixed(peakLr, steps)
                : Schedule.plateau(peakLr, Integer.parseInt(o.getOrDefault("max-steps",
                        String.valueOf(TrainingDefaults.MAX_STEPS))));
        int scaleWarmup = Integer.parseInt(o.getOrDefault("scale-warmup", String.valueOf(TrainingDefaults.SCALE_WARMUP)));
        double copyShare = Double.parseDouble(o.getOrDefault("copy-share", "0"));
        if (!(copyShare >= 0 && copyShare <= 1)) {
            throw new IllegalArgumentException("--copy-share must be in [0, 1], got " + copyShare);
        }
        String copyOnly = o.getOrDefault("copy-loss-only", "false");
        if (!copyOnly.equals("true") && !copyOnly.equals("false")) {
            throw new IllegalArgumentException("--copy-loss-only must be true or false, got " + copyOnly);
        }
        boolean copyLossOnly = copyOnly.equals("true");
        float copyWeight = Float.parseFloat(o.getOrDefault("copy-weight", "1"));
        if (!(copyWeight > 0 && copyWeight <= 1000)) {
            throw new IllegalArgumentException("--copy-weight must be in (0, 1000], got " + o.get("copy-weight"));
        }
        if (copyLossOnly && copyShare != 1) {
            throw new IllegalArgumentException("--copy-loss-only true needs --copy-share 1 (every window a copy)");
        }
        Files.createDirectories(out);
        Corpus corpus = Corpus.named(o.getOrDefault("corpus", TrainingDefaults.CORPUS));
        CorpusSplit split = CorpusSplit.of(corpus, TrainingDefaults.TEST_DOCUMENTS);
        CharVocabulary vocab = CharVocabulary.build(split.train(), TrainingDefaults.MIN_CHAR_COUNT);
        double cosInit = fixedScale > 0 ? fixedScale : Math.sqrt(keyDim);
        GauConfig config = TrainingDefaults.config(attention, vocab.size(), keyDim, trainLength, cosInit, logitRule);
        String name = o.getOrDefault("name", "gau-" + attention);
        int n = config.trainLength();
        int[] trainStream = stream(split.train(), vocab);
        int[] valStream = stream(split.validation(), vocab);
        int[] letters = CopyTask.letters(vocab);
        System.err.printf(Locale.ROOT, "train %s: %s, %d train docs (%d chars), %d validation (%d chars), %d"
                + " calibration, %d test; vocab %d; batch %d x N %d; d %d; %s%n", name, corpus.name(),
                split.train().size(), trainStream.length, split.validation().size(), valStream.length,
                split.calibration().size(), split.test().size(), vocab.size(), batch, n, keyDim, schedule.describe());

        Engine engine = Engine.getInstance();
        System.err.println("train: engine " + engine.getEngineName() + " " + engine.getVersion());
        Map<String, float[]> initial = new HashMap<>();
        if (init != null) {
            SafeTensors.read(init).tensors().forEach((k, t) -> initial.put(k, t.floats()));
            initial.remove("layers.0.log_scale"); // a fine-tune sets s itself (below)
            for (int l = 1; l < config.layers(); l++) {
                initial.remove("layers." + l + ".log_scale");
            }
        }
        boolean scaleFixed = config.cosine() && fixedScale > 0;
        Path csv = out.resolve(name + "-loss.csv");
        try (NDManager manager = NDManager.newBaseManager();
                PrintWriter log = new PrintWriter(Files.newBufferedWriter(csv, StandardCharsets.UTF_8))) {
            DjlGau model = new DjlGau(config, manager, seed, initial, scaleFixed);
            model.setLogitFactor(config.hasLogitRule()
                    ? org.isentropic.theory.rules.TemperatureRule.softmaxPlus().factor(n) : 1.0);
            double[] lrNow = {schedule.peakLr};
            double[] peakScale = {1.0};
            Tracker lr = t -> (float) schedule.rate(t, lrNow[0]);
            var builder = Optimizer.adam().optLearningRateTracker(lr);
            if (schedule.clip() > 0) {
                builder.optClipGrad(schedule.clip());
            }
            Optimizer adam = builder.build();
            Map<String, float[]> lastGood = model.snapshot();
            int lastGoodStep = 0;
            List<String> rollbacks = new ArrayList<>();
            boolean freshOptimizer = true;
            SplittableRandom rng = new SplittableRandom(seed ^ 0x5DEECE66DL);
            List<Batch> valBatches = new ArrayList<>();
            SplittableRandom vr = new SplittableRandom(TrainingDefaults.SEED + 1); // the same validation set for every run
            int valRows = TrainingDefaults.VALIDATION_TOKENS / n;
            for (int b = 0; b < TrainingDefaults.VALIDATION_BATCHES; b++) {
                valBatches.add(Batch.sample(valStream, valRows, n, vocab.size(), vr, false, 0, letters, false, 1f));
            }
            // with planted copies: every validation window holds one, and only its masked letters are scored
            List<Batch> copyBatches = new ArrayList<>();
            if (copyShare > 0) {
                SplittableRandom cr = new SplittableRandom(TrainingDefaults.SEED + 2);
                for (int b = 0; b < TrainingDefaults.VALIDATION_BATCHES; b++) {
                    copyBatches.add(Batch.sample(valStream, valRows, n, vocab.size(), cr, false, 1, letters, true, 1f));
                }
            }
            log.println("step,lr,cos_scale,train_loss,train_accuracy,validation_loss,validation_accuracy,elapsed_s");
            long t0 = System.nanoTime();
            double emaLoss = Double.NaN;
            double emaAcc = Double.NaN;
            Plateau plateau = new Plateau(schedule);
            int step = 0;
            double scaleNow = Double.NaN;
            for (; step < schedule.maxSteps && !plateau.stopped(); step++) {
                if (scaleFixed) {
                    double from = Math.sqrt(keyDim);
                    double frac = scaleWarmup <= 0 ? 1 : Math.min(1.0, (step + 1.0) / scaleWarmup);
                    double target = Math.exp(Math.log(from) + frac * (Math.log(fixedScale) - Math.log(from)));
                    if (target != scaleNow) {
                        model.setCosScale(target);
                        scaleNow = target;
                    }
                }
                Batch bt = Batch.sample(trainStream, batch, n, vocab.size(), rng, true, copyShare, letters,
                        copyLossOnly, copyWeight);
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
                    if (!freshOptimizer) {
                        update(model, adam);
                    }
                }
                if (freshOptimizer && Float.isFinite(la[0])) {
                    update(model, adam); // outside the scope: the optimizer's state arrays are created here
                    freshOptimizer = false;
                }
                if (!Float.isFinite(la[0])) {
                    // Divergence: back to the last validated parameters with a fresh Adam state and half the rate
                    // (the plateau rule's divisions stay), at most MAX_ROLLBACKS times.
                    if (rollbacks.size() >= TrainingDefaults.MAX_ROLLBACKS) {
                        throw new IllegalStateException("train " + name + ": the loss is " + la[0] + " at step "
                                + (step + 1) + " after " + rollbacks.size() + " rollbacks (diverged); lower --lr");
                    }
                    model.restore(lastGood);
                    adam = Optimizer.adam().optLearningRateTracker(lr).optClipGrad(TrainingDefaults.CLIP_GRADIENT).build();
                    freshOptimizer = true;
                    peakScale[0] *= 0.5;
                    lrNow[0] = schedule.peakLr * plateau.lrMultiplier() * peakScale[0];
                    String what = String.format(Locale.ROOT, "loss %s at step %d: parameters of step %d restored, Adam"
                            + " state reset, peak rate x %.3g", la[0], step + 1, lastGoodStep, peakScale[0]);
                    rollbacks.add(what);
                    System.err.println("train " + name + ": " + what);
                    log.printf(Locale.ROOT, "# rollback: %s%n", what);
                    continue;
                }
                emaLoss = Double.isNaN(emaLoss) ? la[0] : 0.98 * emaLoss + 0.02 * la[0];
                emaAcc = Double.isNaN(emaAcc) ? la[1] : 0.98 * emaAcc + 0.02 * la[1];
                boolean validate = (step + 1) % TrainingDefaults.VALIDATE_EVERY == 0 || step == schedule.maxSteps - 1;
                String val = ",";
                if (validate) {
                    double[] v = validate(model, manager, valBatches, vocab.size());
                    val = String.format(Locale.ROOT, "%.5f,%.5f", v[0], v[1]);
                    String event = plateau.observe(step + 1, v[0]);
                    lrNow[0] = schedule.peakLr * plateau.lrMultiplier() * peakScale[0];
                    if (Double.isFinite(v[0])) {
                        lastGood = model.snapshot();
                        lastGoodStep = step + 1;
                    }
                    String copyLine = "";
                    if (!copyBatches.isEmpty()) {
                        double[] c = validate(model, manager, copyBatches, vocab.size());
                        copyLine = String.format(Locale.ROOT, " | copy loss %.4f acc %.4f", c[0], c[1]);
                    }
                    System.err.printf(Locale.ROOT, "train %s: step %d loss %.4f acc %.4f | validation loss "
                            + "%.4f acc %.4f%s | %.0f s%s%n", name, step + 1, emaLoss, emaAcc, v[0], v[1], copyLine,
                            (System.nanoTime() - t0) / 1e9, event.isEmpty() ? "" : " | " + event);
                }
                log.printf(Locale.ROOT, "%d,%.6g,%s,%.5f,%.5f,%s,%.1f%n", step + 1, lr.getNewValue(step),
                        Double.isNaN(scaleNow) ? "" : String.format(Locale.ROOT, "%.4g", scaleNow), la[0], la[1],
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
            training.put("steps", step);
            training.put("batch", batch);
            training.put("peak_lr", schedule.peakLr);
            training.put("schedule", schedule.describe());
            training.put("stop", plateau.describe(step));
            training.put("rollbacks", rollbacks);
            if (init != null) {
                training.put("initialised_from", init.getFileName().toString());
            }
            training.put("mask_rate", MlmMasking.RATE);
            if (copyShare > 0) {
                training.put("copy_share", copyShare);
                training.put("copy_loss_only", copyLossOnly);
                training.put("copy_weight", copyWeight);
                training.put("copy_task", "a share of the training windows holds a random string of "
                        + CopyTask.MIN_LENGTH + "-" + CopyTask.MAX_LENGTH + " letters twice inside the window, the second"
                        + " copy's every other letter masked and predicted (model.CopyTask);"
                        + " validation on unchanged text; copy validation on validation windows each holding one copy,"
                        + " scored on its masked letters only");
                double[] c = validate(model, manager, copyBatches, vocab.size());
                training.put("final_copy_loss", c[0]);
                training.put("final_copy_accuracy", c[1]);
            }
            training.put("seed", seed);
            training.put("seconds", Math.round(seconds));
            training.put("final_validation_loss", v[0]);
            training.put("final_validation_accuracy", v[1]);
            if (config.cosine()) {
                List<Object> s = new ArrayList<>();
                for (int l = 0; l < config.layers(); l++) {
                    s.add(Math.exp(model.parameters().get("layers." + l + ".log_scale").getFloat(0)));
                }
                training.put(scaleFixed ? "fixed_scales" : "learned_scales", s);
                if (scaleFixed) {
                    training.put("scale_warmup", "s from sqrt(d) to " + fixedScale + " log-linearly over the first "
                            + scaleWarmup + " steps, then fixed");
                }
            }
            Files.writeString(out.resolve(name + ".json"), GauConfig.toJson(config, vocab, training) + "\n");
            if (o.containsKey("golden")) {
                Path golden = Path.of(o.get("golden"));
                Files.createDirectories(golden);
                writeGolden(model, manager, valStream, vocab.size(), n, seed, golden.resolve(name + "-golden.safetensors"));
            }
            System.err.printf(Locale.ROOT, "train %s: done in %.0f s after %d steps (%s); validation loss %.4f acc "
                    + "%.4f -> %s%n", name, seconds, step, plateau.describe(step), v[0], v[1], out);
        }
    }

    /**
     * Learning-rate plan. A fixed step count from scratch is v1's recipe: linear warm-up over steps / 20, then
     * cosine decay to 0.1 x peak, no gradient clipping. A plateau run and a fine-tune: linear warm-up, then
     * constant (a plateau run divides it on plateaus and stops), element-wise gradient clipping.
     */
    private record Schedule(double peakLr, int warmup, int maxSteps, boolean stopOnPlateau, boolean cosine,
            float clip) {

        static Schedule plateau(double lr, int maxSteps) {
            return new Schedule(lr, TrainingDefaults.WARMUP, maxSteps, true, false, TrainingDefaults.CLIP_GRADIENT);
        }

        static Schedule fixed(double lr, int steps) {
            return new Schedule(lr, Math.max(1, steps / 20), steps, false, true, 0f);
        }

        static Schedule fineTune(double lr, int steps) {
            return new Schedule(lr, TrainingDefaults.FINE_TUNE_WARMUP, steps, false, false,
                    TrainingDefaults.CLIP_GRADIENT);
        }

        /** The rate at step t (0-based) when the current peak is {@code peak}. */
        double rate(int t, double peak) {
            if (t < warmup) {
                return peak * (t + 1) / warmup;
            }
            return cosine ? peak * (0.1 + 0.9 * 0.5 * (1 + Math.cos(Math.PI * (t - warmup) / Math.max(1, maxSteps - warmup))))
                    : peak;
        }

        String describe() {
            return String.format(Locale.ROOT, "Adam%s, linear warm-up %d steps to %.3g then %s; %s",
                    clip > 0 ? " (element gradients clipped at " + clip + ")" : "", warmup, peakLr,
                    cosine ? "cosine decay to 0.1 x peak" : "constant", stopOnPlateau ? Plateau.RULE + ", at most "
                            + maxSteps + " steps" : maxSteps + " steps (fixed)");
        }
    }

    /**
     * The stopping rule of a run trained from scratch: a validation (every VALIDATE_EVERY steps, fixed
     * validation batches) that does not lower the best validation loss by at least MIN_IMPROVEMENT
     * (relative) is a miss; PATIENCE misses in a row are a plateau. The first plateaus divide the learning
     * rate by LR_DIVISOR (the miss count restarts); the plateau after LR_DECAYS divisions stops the run.
     */
    private static final class Plateau {
        static final String RULE = String.format(Locale.ROOT, "validation every %d steps; from step %d on, %d "
                + "validations in a row without a %.1f %% improvement of the best loss = plateau; lr / %d on each of "
                + "the first %d plateaus, stop at the next", TrainingDefaults.VALIDATE_EVERY,
                TrainingDefaults.PLATEAU_BURN_IN, TrainingDefaults.PATIENCE, 100 * TrainingDefaults.MIN_IMPROVEMENT,
                (int) TrainingDefaults.LR_DIVISOR, TrainingDefaults.LR_DECAYS);
        private final boolean active;
        private double best = Double.POSITIVE_INFINITY;
        private int misses;
        private int decays;
        private boolean stopped;

        Plateau(Schedule s) {
            active = s.stopOnPlateau();
        }

        String observe(int step, double loss) {
            if (loss < best * (1 - TrainingDefaults.MIN_IMPROVEMENT)) {
                best = loss;
                misses = 0;
                return "";
            }
            best = Math.min(best, loss);
            if (!active || step < TrainingDefaults.PLATEAU_BURN_IN || ++misses < TrainingDefaults.PATIENCE) {
                return "";
            }
            misses = 0;
            if (decays < TrainingDefaults.LR_DECAYS) {
                decays++;
                return "plateau: lr / " + (int) Math.pow(TrainingDefaults.LR_DIVISOR, decays);
            }
            stopped = true;
            return "plateau: stop";
        }

        double lrMultiplier() {
            return Math.pow(TrainingDefaults.LR_DIVISOR, -decays);
        }

        boolean stopped() {
            return stopped;
        }

        String describe(int steps) {
            return !active ? "fixed step count" : stopped ? "stopped on plateau at step " + steps
                    : "reached the step cap " + steps + " before the stopping rule fired";
        }
    }

    private static void update(DjlGau model, Optimizer adam) {
        for (Map.Entry<String, NDArray> e : model.parameters().entrySet()) {
            if (!model.trained(e.getKey())) {
                continue;
            }
            NDArray g = e.getValue().getGradient();
            adam.update(e.getKey(), e.getValue(), g);
            g.subi(g); // an infinity here turns into NaN, caught by the loss check, whose rollback makes new arrays
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
        Batch b = Batch.sample(valStream, rows, n, vocabSize, new SplittableRandom(seed + 2), false, 0, new int[0], false,
                1f);
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

        static Batch sample(int[] stream, int rows, int n, int vocabSize, SplittableRandom rng, boolean training,
                double copyShare, int[] letters, boolean copyTargetsOnly, float copyWeight) {
            int[] input = new int[rows * n];
            int[] target = new int[rows * n];
            float[] weight = new float[rows * n];
            for (int r = 0; r < rows; r++) {
                int start = rng.nextInt(stream.length - n);
                int[] seq = java.util.Arrays.copyOfRange(stream, start, start + n);
                CopyTask copy = copyShare > 0 && rng.nextDouble() < copyShare ? CopyTask.plantWithin(seq, letters, rng)
                        : null;
                if (copy != null) {
                    seq = copy.tokens();
                }
                MlmMasking m = training ? MlmMasking.training(seq, MlmMasking.RATE, vocabSize, rng)
                        : MlmMasking.evaluation(seq, MlmMasking.RATE, rng);
                System.arraycopy(m.input(), 0, input, r * n, n);
                System.arraycopy(seq, 0, target, r * n, n);
                if (!copyTargetsOnly) {
                    for (int p : m.chosen()) {
                        weight[r * n + p] = 1f;
                    }
                }
                if (copy != null) {
                    // both copies stay as planted (as in the probe, eval.RetrievalProbe): MLM corruption of a
                    // source letter or of a target's visible neighbours would leave the target no source
                    for (int p = copy.source(); p < copy.source() + copy.length(); p++) {
                        input[r * n + p] = seq[p];
                        weight[r * n + p] = 0f;
                    }
                    for (int p = copy.target(); p < copy.target() + copy.length(); p++) {
                        input[r * n + p] = seq[p];
                        weight[r * n + p] = 0f;
                    }
                    for (int p : copy.targetPositions()) {
                        input[r * n + p] = CharVocabulary.MASK;
                        weight[r * n + p] = copyWeight;
                    }
                }
            }
            return new Batch(rows, input, target, weight);
        }
    }
}
