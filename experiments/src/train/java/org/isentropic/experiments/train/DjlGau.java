package org.isentropic.experiments.train;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Activation;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.SplittableRandom;
import org.isentropic.experiments.model.GauConfig;

/**
 * The GAU masked-LM on DJL NDArrays (training engine). Same maths as
 * {@code org.isentropic.experiments.model.GauModel} (the Java evaluation forward pass):
 * <pre>
 * x0 = rms(E[t]) * g0
 * per layer: a = swish(x W + b); u = a[0,e), v = a[e,2e), z = a[2e,2e+d)
 *            q = z * gq + bq, k = z * gk + bk; (cosscale: q, k divided by their norms)
 *            q, k rotated by interleaved RoPE (pair m of position p by angle p * base^(-2m/d))
 *            A = softmax(f q k^T / sqrt(d))  or  softmax(f s q^ k^T), s = exp(log_scale), f = the trained
 *            logit factor (1, or softmax_plus ln max(N, 16) / ln 512 at the training length N)
 *            x = rms(x + (u * (A v)) Wo + bo) * g
 * logits = x E^T + head.bias
 * </pre>
 * rms(y) = y / sqrt(mean(y^2) + eps).
 */
final class DjlGau {

    private final GauConfig c;
    private final Map<String, NDArray> params = new LinkedHashMap<>();
    private final NDArray cos;
    private final NDArray sin;
    private final boolean fixedScale;
    private final NDManager manager;
    /** ln(max(N, 16)) / ln 512 when the model is trained with softmax_plus in its logits, else 1. */
    private float logitFactor = 1f;

    /**
     * @param initial parameters to start from (a checkpoint to fine-tune; empty: random initialisation); a
     *     parameter absent from it (CosScale's log_scale when fine-tuning a softmax model) starts as below
     * @param fixedScale CosScale's s is a constant (set with {@link #setCosScale}), not a trained parameter
     */
    DjlGau(GauConfig c, NDManager manager, long seed, Map<String, float[]> initial, boolean fixedScale) {
        this.c = c;
        this.fixedScale = fixedScale;
        this.manager = manager;
        SplittableRandom rng = new SplittableRandom(seed);
        for (String name : c.parameterNames()) {
            int[] shape = c.shape(name);
            int size = 1;
            for (int s : shape) {
                size *= s;
            }
            float[] init = new float[size];
            String leaf = name.substring(name.lastIndexOf('.') + 1);
            if (name.equals("embedding")) {
                fillNormal(init, rng, 1.0 / Math.sqrt(c.hidden()));
            } else if (leaf.equals("weight")) {
                fillNormal(init, rng, 1.0 / Math.sqrt(shape[0]));
            } else if (leaf.equals("gain") || leaf.equals("scale")) {
                java.util.Arrays.fill(init, 1f);
            } else if (leaf.equals("log_scale")) {
                init[0] = (float) Math.log(c.cosScaleInit());
            } // biases and offsets: 0
            long[] ls = new long[shape.length];
            for (int i = 0; i < shape.length; i++) {
                ls[i] = shape[i];
            }
            float[] given = initial.get(name);
            if (given != null) {
                if (given.length != size) {
                    throw new IllegalArgumentException("initial parameter " + name + " has " + given.length
                            + " values, expected " + size);
                }
                init = given;
            }
            NDArray p = manager.create(init, new Shape(ls));
            p.setRequiresGradient(!name.endsWith("log_scale") || !fixedScale);
            params.put(name, p);
        }
        int n = c.trainLength();
        int half = c.keyDim() / 2;
        float[] cs = new float[n * half];
        float[] sn = new float[n * half];
        for (int p = 0; p < n; p++) {
            for (int m = 0; m < half; m++) {
                double theta = p * Math.pow(c.ropeBase(), -2.0 * m / c.keyDim());
                cs[p * half + m] = (float) Math.cos(theta);
                sn[p * half + m] = (float) Math.sin(theta);
            }
        }
        cos = manager.create(cs, new Shape(n, half));
        sin = manager.create(sn, new Shape(n, half));
    }

    Map<String, NDArray> parameters() {
        return params;
    }

    /** A copy of every parameter's values (a rollback point). */
    Map<String, float[]> snapshot() {
        Map<String, float[]> m = new LinkedHashMap<>();
        params.forEach((k, v) -> m.put(k, v.toFloatArray()));
        return m;
    }

    /** Replaces every parameter by the values of a {@link #snapshot} (new arrays, gradients cleared). */
    void restore(Map<String, float[]> values) {
        for (Map.Entry<String, float[]> e : values.entrySet()) {
            NDArray old = params.get(e.getKey());
            NDArray p = manager.create(e.getValue(), old.getShape());
            p.setRequiresGradient(trained(e.getKey()));
            params.put(e.getKey(), p);
            old.close();
        }
    }

    /** The parameters the optimiser updates (all but a fixed CosScale s). */
    boolean trained(String name) {
        return !(fixedScale && name.endsWith("log_scale"));
    }

    /** Sets every layer's CosScale s (a fixed scale, or a step of its warm-up). */
    void setCosScale(double s) {
        for (int l = 0; l < c.layers(); l++) {
            params.get("layers." + l + ".log_scale").set(new float[] {(float) Math.log(s)});
        }
    }

    void setLogitFactor(double f) {
        logitFactor = (float) f;
    }

    private static void fillNormal(float[] a, SplittableRandom rng, double std) {
        for (int i = 0; i < a.length; i++) {
            a[i] = (float) (rng.nextGaussian() * std);
        }
    }

    private NDArray p(String name) {
        return params.get(name);
    }

    private NDArray rms(NDArray y, NDArray gain) {
        NDArray ms = y.square().mean(new int[] {-1}, true);
        return y.div(ms.add(c.rmsEps()).sqrt()).mul(gain);
    }

    private NDArray rope(NDArray x) { // x: [B, n, d]
        long b = x.getShape().get(0);
        long n = x.getShape().get(1);
        int half = c.keyDim() / 2;
        NDArray pairs = x.reshape(b, n, half, 2);
        NDArray x0 = pairs.get("..., 0");
        NDArray x1 = pairs.get("..., 1");
        NDArray cs = cos.get("0:" + n);
        NDArray sn = sin.get("0:" + n);
        NDArray r0 = x0.mul(cs).sub(x1.mul(sn));
        NDArray r1 = x0.mul(sn).add(x1.mul(cs));
        return r0.stack(r1, -1).reshape(b, n, c.keyDim());
    }

    /** MLM logits [B, n, V] for tokens [B, n] (int32). */
    NDArray forward(NDArray tokens) {
        int e = c.expansion();
        int d = c.keyDim();
        NDArray emb = p("embedding");
        NDArray x = rms(tokens.oneHot(c.vocabSize()).matMul(emb), p("embedding_norm.gain"));
        for (int l = 0; l < c.layers(); l++) {
            String pre = "layers." + l + ".";
            NDArray a = x.matMul(p(pre + "in.weight")).add(p(pre + "in.bias"));
            a = a.mul(Activation.sigmoid(a));
            NDArray u = a.get(":, :, 0:" + e);
            NDArray v = a.get(":, :, " + e + ":" + (2 * e));
            NDArray z = a.get(":, :, " + (2 * e) + ":" + (2 * e + d));
            NDArray q = z.mul(p(pre + "q.scale")).add(p(pre + "q.offset"));
            NDArray k = z.mul(p(pre + "k.scale")).add(p(pre + "k.offset"));
            NDArray logits;
            if (c.cosine()) {
                q = q.div(q.square().sum(new int[] {-1}, true).sqrt());
                k = k.div(k.square().sum(new int[] {-1}, true).sqrt());
                logits = rope(q).matMul(rope(k).transpose(0, 2, 1)).mul(p(pre + "log_scale").exp());
            } else {
                logits = rope(q).matMul(rope(k).transpose(0, 2, 1)).div((float) Math.sqrt(d));
            }
            if (logitFactor != 1f) {
                logits = logits.mul(logitFactor);
            }
            NDArray att = logits.softmax(-1);
            NDArray o = u.mul(att.matMul(v)).matMul(p(pre + "out.weight")).add(p(pre + "out.bias"));
            x = rms(x.add(o), p(pre + "norm.gain"));
        }
        return x.matMul(emb.transpose()).add(p("head.bias"));
    }
}
