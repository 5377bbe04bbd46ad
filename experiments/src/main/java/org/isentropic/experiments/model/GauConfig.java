package org.isentropic.experiments.model;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.isentropic.base.Json;
import org.isentropic.experiments.corpus.CharVocabulary;

/**
 * Shape of a GAU masked-LM (docs/method.md, section 8): {@code layers} Gated Attention Units of width
 * {@code hidden}, gate/value width {@code expansion} (e), shared query/key width {@code keyDim} (d), one
 * attention head, interleaved RoPE with {@code ropeBase}, post RMS-norm with {@code rmsEps}, and an MLM
 * head tied to the character embedding.
 *
 * @param attention {@code softmax} (logits q.k/sqrt(d)) or {@code cosscale} (logits s cos(q, k), s learned
 *     per layer from {@code cosScaleInit})
 * @param trainLength the training length N
 * @param logitRule a length-dependent factor the model was trained with in its logits: {@link #NO_RULE}, or
 *     {@link #SOFTMAX_PLUS} (ln max(n, 16) / ln 512, GAU-alpha's pre-training scale and Su's Attention-E,
 *     theory's rule {@code softmax_plus}); evaluation keeps applying it at every n
 */
public record GauConfig(String attention, int vocabSize, int hidden, int expansion, int keyDim, int layers,
        int trainLength, double ropeBase, double rmsEps, double cosScaleInit, String logitRule) {

    public static final String SOFTMAX = "softmax";
    public static final String COSSCALE = "cosscale";
    public static final String NO_RULE = "none";
    public static final String SOFTMAX_PLUS = "softmax_plus";

    public GauConfig {
        if (!attention.equals(SOFTMAX) && !attention.equals(COSSCALE)) {
            throw new IllegalArgumentException("attention must be softmax or cosscale, got " + attention);
        }
        if (!logitRule.equals(NO_RULE) && !logitRule.equals(SOFTMAX_PLUS)) {
            throw new IllegalArgumentException("logit rule must be none or softmax_plus, got " + logitRule);
        }
        positive("vocabSize", vocabSize);
        positive("hidden", hidden);
        positive("expansion", expansion);
        positive("keyDim", keyDim);
        positive("layers", layers);
        positive("trainLength", trainLength);
        if (keyDim % 2 != 0) {
            throw new IllegalArgumentException("keyDim must be even (RoPE pairs), got " + keyDim);
        }
        if (!(ropeBase > 1) || !(rmsEps > 0) || !(cosScaleInit > 0)) {
            throw new IllegalArgumentException("ropeBase > 1, rmsEps > 0, cosScaleInit > 0 required, got "
                    + ropeBase + ", " + rmsEps + ", " + cosScaleInit);
        }
    }

    /** True when the model was trained with a length-dependent factor in its logits. */
    public boolean hasLogitRule() {
        return !logitRule.equals(NO_RULE);
    }

    public boolean cosine() {
        return attention.equals(COSSCALE);
    }

    /** Width of the first dense layer's output: u, v (e each) and z (d). */
    public int inWidth() {
        return 2 * expansion + keyDim;
    }

    private static void positive(String name, int v) {
        if (v <= 0) {
            throw new IllegalArgumentException(name + " must be positive, got " + v);
        }
    }

    /** The config JSON of a checkpoint: this record, the vocabulary and free-form training facts. */
    public static String toJson(GauConfig c, CharVocabulary vocab, Map<String, Object> training) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("model", "gau-mlm");
        m.put("attention", c.attention());
        m.put("vocab_size", c.vocabSize());
        m.put("hidden", c.hidden());
        m.put("expansion", c.expansion());
        m.put("key_dim", c.keyDim());
        m.put("layers", c.layers());
        m.put("train_length", c.trainLength());
        m.put("rope_base", c.ropeBase());
        m.put("rms_eps", c.rmsEps());
        m.put("cos_scale_init", c.cosScaleInit());
        m.put("logit_rule", c.logitRule());
        m.put("vocabulary_code_points", vocab.codePoints());
        m.put("training", training);
        return Json.write(m);
    }

    /** Parsed config JSON. */
    public record Loaded(GauConfig config, CharVocabulary vocabulary, Map<String, Object> training) {
    }

    @SuppressWarnings("unchecked")
    public static Loaded fromJson(String json) {
        Object o = Json.parse(json);
        if (!(o instanceof Map<?, ?>)) {
            throw new IllegalArgumentException("config: not a JSON object");
        }
        Map<String, Object> m = (Map<String, Object>) o;
        GauConfig c = new GauConfig((String) req(m, "attention"), num(m, "vocab_size").intValue(),
                num(m, "hidden").intValue(), num(m, "expansion").intValue(), num(m, "key_dim").intValue(),
                num(m, "layers").intValue(), num(m, "train_length").intValue(), num(m, "rope_base").doubleValue(),
                num(m, "rms_eps").doubleValue(), num(m, "cos_scale_init").doubleValue(),
                m.get("logit_rule") instanceof String r ? r : NO_RULE);
        List<Object> cps = (List<Object>) req(m, "vocabulary_code_points");
        int[] cp = cps.stream().mapToInt(x -> ((Number) x).intValue()).toArray();
        CharVocabulary v = CharVocabulary.ofCodePoints(cp);
        if (v.size() != c.vocabSize()) {
            throw new IllegalArgumentException("config: vocab_size " + c.vocabSize() + " but " + v.size()
                    + " ids in vocabulary_code_points + 2 specials");
        }
        Object t = m.get("training");
        return new Loaded(c, v, t instanceof Map<?, ?> tm ? (Map<String, Object>) tm : new LinkedHashMap<>());
    }

    private static Object req(Map<String, Object> m, String k) {
        Object v = m.get(k);
        if (v == null) {
            throw new IllegalArgumentException("config: missing key " + k);
        }
        return v;
    }

    private static Number num(Map<String, Object> m, String k) {
        Object v = req(m, k);
        if (!(v instanceof Number n)) {
            throw new IllegalArgumentException("config: key " + k + " is not a number: " + v);
        }
        return n;
    }

    /** Names of the parameter tensors, as stored in the safetensors checkpoint. */
    public List<String> parameterNames() {
        List<String> names = new ArrayList<>();
        names.add("embedding");
        names.add("embedding_norm.gain");
        for (int l = 0; l < layers; l++) {
            String p = "layers." + l + ".";
            names.add(p + "in.weight");
            names.add(p + "in.bias");
            names.add(p + "q.scale");
            names.add(p + "q.offset");
            names.add(p + "k.scale");
            names.add(p + "k.offset");
            names.add(p + "out.weight");
            names.add(p + "out.bias");
            names.add(p + "norm.gain");
            if (cosine()) {
                names.add(p + "log_scale");
            }
        }
        names.add("head.bias");
        return names;
    }

    /** Shape of parameter {@code name}. */
    public int[] shape(String name) {
        String leaf = name.startsWith("layers.") ? name.substring(name.indexOf('.', 7) + 1) : name;
        return switch (leaf) {
            case "embedding" -> new int[] {vocabSize, hidden};
            case "embedding_norm.gain", "out.bias", "norm.gain" -> new int[] {hidden};
            case "in.weight" -> new int[] {hidden, inWidth()};
            case "in.bias" -> new int[] {inWidth()};
            case "q.scale", "q.offset", "k.scale", "k.offset" -> new int[] {keyDim};
            case "out.weight" -> new int[] {expansion, hidden};
            case "log_scale" -> new int[] {1};
            case "head.bias" -> new int[] {vocabSize};
            default -> throw new IllegalArgumentException("unknown parameter " + name);
        };
    }
}
