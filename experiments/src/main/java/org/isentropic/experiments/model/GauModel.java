package org.isentropic.experiments.model;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.HashMap;
import java.util.Map;
import java.util.function.UnaryOperator;
import java.util.stream.IntStream;
import org.isentropic.experiments.corpus.CharVocabulary;
import org.isentropic.experiments.io.SafeTensors;
import org.isentropic.kernels.spec.AttentionKernel;
import org.isentropic.kernels.spec.AttentionOutput;
import org.isentropic.kernels.spec.AttentionSpec;
import org.isentropic.kernels.spec.Positions;
import org.isentropic.kernels.fused.Projection;
import org.isentropic.theory.rules.TemperatureRule;

/**
 * The GAU masked-LM forward pass in Java, with attention computed by the project's kernels (float32).
 * Same maths as the training engine (docs/method.md, section 8):
 * <pre>
 * x0 = rms(E[t]) * g0,                     rms(y) = y / sqrt(mean(y^2) + eps)
 * per layer l: a = swish(x W + b), swish(y) = y / (1 + e^-y);  u = a[0,e), v = a[e,2e), z = a[2e,2e+d)
 *              q = z * gq + bq,  k = z * gk + bk
 *              o = Attention(q, k, v)          (spec: dot = q.k/sqrt(d), or cosine(s_l), s_l = exp(log_scale))
 *              x = rms(x + (u * o) Wo + bo) * g
 * logits = x E^T + head.bias
 * </pre>
 * The attention spec of each layer is the model's own (dot or cosine with the layer's learned s) with
 * RoPE(base) positions, then passed through the caller's {@code method} operator, which may replace the
 * positions, set a mask or a temperature rule. Training used RoPE(base), full mask, no temperature.
 */
public final class GauModel {

    private final GauConfig config;
    private final CharVocabulary vocabulary;
    private final Map<String, float[]> params;
    private final Map<String, Object> training;
    private final String name;

    private GauModel(String name, GauConfig config, CharVocabulary vocabulary, Map<String, float[]> params,
            Map<String, Object> training) {
        this.name = name;
        this.config = config;
        this.vocabulary = vocabulary;
        this.params = params;
        this.training = training;
        for (String p : config.parameterNames()) {
            float[] a = params.get(p);
            int size = Arrays.stream(config.shape(p)).reduce(1, (x, y) -> x * y);
            if (a == null || a.length != size) {
                throw new IllegalArgumentException("checkpoint " + name + ": parameter " + p + " is "
                        + (a == null ? "missing" : "of size " + a.length + ", expected " + size));
            }
        }
    }

    /** Loads {@code name.json} and {@code name.safetensors} from a directory. */
    public static GauModel load(Path dir, String name) {
        try {
            String json = Files.readString(dir.resolve(name + ".json"), StandardCharsets.UTF_8);
            return of(name, json, SafeTensors.read(dir.resolve(name + ".safetensors")));
        } catch (IOException e) {
            throw new IllegalArgumentException("checkpoint " + name + " in " + dir + ": " + e.getMessage(), e);
        }
    }

    /** Loads a committed checkpoint from the classpath ({@code checkpoints/NAME.json|.safetensors}). */
    public static GauModel loadResource(String name) {
        String base = "checkpoints/" + name;
        try (InputStream in = GauModel.class.getClassLoader().getResourceAsStream(base + ".json")) {
            if (in == null) {
                throw new IllegalArgumentException("no committed checkpoint " + name + " (resource " + base
                        + ".json)");
            }
            String json = new String(in.readAllBytes(), StandardCharsets.UTF_8);
            return of(name, json, SafeTensors.readResource(base + ".safetensors"));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static GauModel of(String name, String json, SafeTensors.Contents c) {
        GauConfig.Loaded l = GauConfig.fromJson(json);
        Map<String, float[]> p = new HashMap<>();
        c.tensors().forEach((k, t) -> p.put(k, t.floats()));
        return new GauModel(name, l.config(), l.vocabulary(), p, l.training());
    }

    public String name() {
        return name;
    }

    public GauConfig config() {
        return config;
    }

    public CharVocabulary vocabulary() {
        return vocabulary;
    }

    /** Training facts stored with the checkpoint (steps, seconds, final validation loss...). */
    public Map<String, Object> training() {
        return training;
    }

    /** CosScale's learned s of layer l (NaN for softmax models). */
    public double cosScale(int layer) {
        return config.cosine() ? Math.exp(params.get("layers." + layer + ".log_scale")[0]) : Double.NaN;
    }

    /**
     * The spec the model was trained with at layer l for a sequence of n tokens: dot or cosine(s_l),
     * RoPE(base), full mask and, for a model trained with a length-dependent factor in its logits
     * ({@link GauConfig#logitRule()}), that factor at n as a per-row temperature on every row. A temperature
     * rule set on top with {@link AttentionSpec#withRule} multiplies it.
     */
    public AttentionSpec trainedSpec(int layer, int n) {
        AttentionSpec s = config.cosine() ? AttentionSpec.cosine(cosScale(layer)) : AttentionSpec.dot();
        s = s.withPositions(Positions.rope(config.ropeBase()));
        if (config.hasLogitRule()) {
            float[] f = new float[n];
            Arrays.fill(f, (float) trainedLogitFactor(n));
            s = s.withTemperature(f);
        }
        return s;
    }

    /** The factor the model was trained with in its logits at sequence length n (1 without a logit rule). */
    public double trainedLogitFactor(int n) {
        return config.hasLogitRule() ? TemperatureRule.softmaxPlus().factor(n) : 1.0;
    }

    /**
     * Result of one forward pass.
     *
     * @param logits {@code rows.length x V} MLM logits for the requested rows (row r of the array is
     *     position rows[r])
     * @param meanEntropy per layer, the mean attention row entropy (nats) over all n rows
     * @param probs per layer the n x n attention probabilities, or null when not requested
     */
    public record Forward(int[] rows, float[] logits, double[] meanEntropy, float[][] probs) {
    }

    /**
     * Runs the model on {@code tokens} (length n, any n >= 1).
     *
     * @param method maps the trained spec of a layer to the spec to evaluate with (positions, mask, rule)
     * @param rows positions whose logits are wanted (null: all)
     */
    public Forward forward(int[] tokens, UnaryOperator<AttentionSpec> method, AttentionKernel kernel, int[] rows) {
        return forward(tokens, method, kernel, rows, true);
    }

    /**
     * As {@link #forward(int[], UnaryOperator, AttentionKernel, int[])}; {@code parallel} spreads the dense
     * layers over the common pool (false when the caller runs several forward passes at once).
     */
    public Forward forward(int[] tokens, UnaryOperator<AttentionSpec> method, AttentionKernel kernel, int[] rows,
            boolean parallel) {
        return forward(tokens, method, kernel, rows, parallel, false);
    }

    /** As above; {@code withProbs} also returns every layer's n x n attention probabilities (small n only). */
    public Forward forward(int[] tokens, UnaryOperator<AttentionSpec> method, AttentionKernel kernel, int[] rows,
            boolean parallel, boolean withProbs) {
        int n = tokens.length;
        if (n < 1) {
            throw new IllegalArgumentException("tokens must be non-empty");
        }
        int h = config.hidden();
        int e = config.expansion();
        int d = config.keyDim();
        int w = config.inWidth();
        int vsz = config.vocabSize();
        float[] emb = params.get("embedding");
        float[] x = new float[n * h];
        for (int i = 0; i < n; i++) {
            int t = tokens[i];
            if (t < 0 || t >= vsz) {
                throw new IllegalArgumentException("tokens[" + i + "] must be in [0, " + vsz + "), got " + t);
            }
            System.arraycopy(emb, t * h, x, i * h, h);
        }
        rmsNorm(x, n, h, params.get("embedding_norm.gain"));
        double[] meanEntropy = new double[config.layers()];
        float[] a = new float[n * w];
        float[] q = new float[n * d];
        float[] k = new float[n * d];
        float[] u = new float[n * e];
        float[] v = new float[n * e];
        float[] y = new float[n * h];
        AttentionOutput out = AttentionOutput.allocate(n, e, withProbs);
        float[][] probs = withProbs ? new float[config.layers()][] : null;
        for (int l = 0; l < config.layers(); l++) {
            String pre = "layers." + l + ".";
            dense(x, n, h, params.get(pre + "in.weight"), params.get(pre + "in.bias"), w, a, parallel);
            float[] gq = params.get(pre + "q.scale");
            float[] bq = params.get(pre + "q.offset");
            float[] gk = params.get(pre + "k.scale");
            float[] bk = params.get(pre + "k.offset");
            for (int i = 0; i < n; i++) {
                int r = i * w;
                for (int c = 0; c < w; c++) {
                    float s = a[r + c];
                    a[r + c] = (float) (s / (1.0 + Math.exp(-s)));
                }
                System.arraycopy(a, r, u, i * e, e);
                System.arraycopy(a, r + e, v, i * e, e);
                for (int c = 0; c < d; c++) {
                    float z = a[r + 2 * e + c];
                    q[i * d + c] = z * gq[c] + bq[c];
                    k[i * d + c] = z * gk[c] + bk[c];
                }
            }
            AttentionSpec spec = method.apply(trainedSpec(l, n));
            kernel.attend(spec, q, k, v, n, d, e, out);
            float[] o = out.o();
            for (int i = 0; i < n * e; i++) {
                u[i] *= o[i];
            }
            dense(u, n, e, params.get(pre + "out.weight"), params.get(pre + "out.bias"), h, y, parallel);
            for (int i = 0; i < n * h; i++) {
                x[i] += y[i];
            }
            rmsNorm(x, n, h, params.get(pre + "norm.gain"));
            double sum = 0;
            for (float hh : out.entropy()) {
                sum += hh;
            }
            meanEntropy[l] = sum / n;
            if (withProbs) {
                probs[l] = out.probs().clone();
            }
        }
        int[] rs = rows == null ? IntStream.range(0, n).toArray() : rows.clone();
        float[] logits = new float[rs.length * vsz];
        float[] hb = params.get("head.bias");
        IntStream head = IntStream.range(0, rs.length);
        (parallel ? head.parallel() : head).forEach(r -> {
            int i = rs[r];
            if (i < 0 || i >= n) {
                throw new IllegalArgumentException("rows[" + r + "] must be in [0, " + n + "), got " + i);
            }
            for (int t = 0; t < vsz; t++) {
                double s = hb[t];
                for (int c = 0; c < h; c++) {
                    s += x[i * h + c] * emb[t * h + c];
                }
                logits[r * vsz + t] = (float) s;
            }
        });
        return new Forward(rs, logits, meanEntropy, probs);
    }

    /** Rows per task when a dense layer runs in parallel. */
    private static final int DENSE_ROWS_PER_TASK = 64;

    /** out[n x o] = x[n x in] W[in x o] + b (the kernels' {@link Projection}), blocks of rows in parallel. */
    private static void dense(float[] x, int n, int in, float[] wt, float[] b, int o, float[] out,
            boolean parallel) {
        if (!parallel || n <= DENSE_ROWS_PER_TASK) {
            Projection.apply(x, 0, n, in, wt, b, o, out, 0);
            return;
        }
        IntStream.range(0, (n + DENSE_ROWS_PER_TASK - 1) / DENSE_ROWS_PER_TASK).parallel().forEach(t -> {
            int i0 = t * DENSE_ROWS_PER_TASK;
            Projection.apply(x, i0 * in, Math.min(DENSE_ROWS_PER_TASK, n - i0), in, wt, b, o, out, i0 * o);
        });
    }

    private void rmsNorm(float[] x, int n, int h, float[] gain) {
        double eps = config.rmsEps();
        for (int i = 0; i < n; i++) {
            double ms = 0;
            for (int c = 0; c < h; c++) {
                ms += (double) x[i * h + c] * x[i * h + c];
            }
            double inv = 1.0 / Math.sqrt(ms / h + eps);
            for (int c = 0; c < h; c++) {
                x[i * h + c] = (float) (x[i * h + c] * inv * gain[c]);
            }
        }
    }
}
