package org.isentropic.experiments.model;

/**
 * The training recipe of the committed checkpoints, in one place (used by the trainer and printed by
 * {@code isentropic experiment train}). Sized so both trainings together take about 25-30 minutes on two
 * cores.
 */
public final class TrainingDefaults {

    /** Training length N of the paper. */
    public static final int TRAIN_LENGTH = 64;
    public static final int HIDDEN = 128;
    /** Gate/value width e. GAU-alpha uses e = 2 h; here e = h halves the O(n^2 e) cost of evaluating at 4096. */
    public static final int EXPANSION = 128;
    /** Shared query/key width d (GAU-alpha: 128). */
    public static final int KEY_DIM = 64;
    public static final int LAYERS = 4;
    public static final double ROPE_BASE = 10000;
    public static final double RMS_EPS = 1e-6;
    /**
     * Initial CosScale s, learned per layer (as log s) with the model. Not the paper's s = d: q and k come
     * from the same z, so a token's cosine with itself is 1 and at s = d = 64 the untrained model attends
     * only to itself with a saturated softmax (in a 200-step trial validation accuracy stayed at the
     * unigram level). s starts at sqrt(d) = 8, where the untrained logit spread matches the dot product's.
     */
    public static final double COS_SCALE_INIT = Math.sqrt(KEY_DIM);
    public static final int STEPS = 1600;
    public static final int BATCH = 64;
    public static final double PEAK_LR = 2e-3;
    public static final long SEED = 20250115L;
    public static final int TEST_DOCUMENTS = 10;
    public static final int MIN_CHAR_COUNT = 200;
    public static final int VALIDATE_EVERY = 100;
    public static final int VALIDATION_BATCHES = 8;

    private TrainingDefaults() {
    }

    /** The model shape for {@code attention} (softmax or cosscale) and a vocabulary of {@code vocabSize}. */
    public static GauConfig config(String attention, int vocabSize) {
        return new GauConfig(attention, vocabSize, HIDDEN, EXPANSION, KEY_DIM, LAYERS, TRAIN_LENGTH, ROPE_BASE,
                RMS_EPS, COS_SCALE_INIT, GauConfig.NO_RULE);
    }
}
