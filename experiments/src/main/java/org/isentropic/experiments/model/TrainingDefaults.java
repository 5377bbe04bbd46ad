package org.isentropic.experiments.model;

import org.isentropic.base.Seeds;

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
    /** Steps of the v1 checkpoints (d = 64, fixed count with cosine decay). */
    public static final int STEPS = 1600;
    /** Key size of the d = 128 family (the paper's GAU-alpha). */
    public static final int FAMILY_KEY_DIM = 128;
    /**
     * Batch of the d = 128 family (rows of N = 64 characters; the N = 256 run takes a quarter of it, the same
     * tokens per step). Half of v1's, to fit the family's 16 runs on the shared 2 cores.
     */
    public static final int FAMILY_BATCH = 32;
    /** Linear learning-rate warm-up of a run trained from scratch. */
    public static final int WARMUP = 100;
    /**
     * Peak learning rate of a run trained from scratch until its validation loss plateaus (constant after the
     * warm-up). The first attempt at v1's 2e-3 without decay diverged (NaN loss) at about step 850 in both
     * seeds at d = 128.
     */
    public static final double PLATEAU_LR = 1e-3;
    /**
     * A non-finite loss rolls a run back to its last validated parameters (fresh Adam state, half the peak
     * rate) at most this many times (softmax-seed2 diverged at step 1438 at lr 2.5e-4, after its plateau division).
     */
    public static final int MAX_ROLLBACKS = 3;
    /** Adam's element-wise gradient clip of the d = 128 runs. */
    public static final float CLIP_GRADIENT = 1f;
    /**
     * Step cap of a run trained from scratch until its validation loss plateaus: a guard against a run that never
     * plateaus, set so that it does not bind (the v3 runs stop by the plateau rule well before it; at about 0.5 s
     * a step two runs at a time, the cap is about 80 minutes). The d128 family's cap was 1500 and bound two of
     * its three softmax runs.
     */
    public static final int MAX_STEPS = 12000;
    /** Stopping rule (TrainMain.Plateau): misses in a row that make a plateau. */
    public static final int PATIENCE = 3;
    /** A validation loss below best x (1 - MIN_IMPROVEMENT) is an improvement. */
    public static final double MIN_IMPROVEMENT = 0.005;
    /**
     * Validations before this step count no misses: a model trained from scratch sits at the unigram level for
     * its first few hundred steps before its loss falls (the first v3 attempt with no burn-in, patience 2 and a
     * 1 % threshold "plateaued" there at step 300 and stopped at step 500 with 16.8 % accuracy).
     */
    public static final int PLATEAU_BURN_IN = 2000;
    public static final double LR_DIVISOR = 4;
    /** Plateaus that divide the learning rate before the next one stops the run. */
    public static final int LR_DECAYS = 1;
    /** Fine-tuning (CosScale with fixed s, and its softmax control): constant lr after a short warm-up. */
    public static final int FINE_TUNE_STEPS = 1200;
    /**
     * Copy fine-tune, stage 1 (issue 24; CopyTask): steps with a planted copy in every training window and the loss
     * on the copies' masked letters only. In the trials (experiments/README.md) no mix with the MLM loss (a quarter,
     * half or every window planted, or every window with the copy letters weighted 8 or 30 times) left chance
     * within 800-1,600 steps, while the copy loss alone rose from chance at step 600 to 25 % at 3,000.
     */
    public static final int COPY_SKILL_STEPS = 3000;
    /**
     * A stage-1 block of {@link #COPY_SKILL_STEPS} that ends with its copy validation accuracy below this has not
     * left chance (a plateau at 1/26 that one model in three trials kept for its whole first block; the others
     * left it at step 600-1,000): the next block continues from it ({@code -blockB} in its name, seed
     * + {@link #COPY_SKILL_BLOCK_SEED_OFFSET} per block), at most {@link #COPY_SKILL_BLOCKS} blocks. A base still
     * at chance after the last block gets no copy fine-tune: the next softmax-ft seed (there are five) takes its
     * place, and the README names it. (Stage 1 runs on softmax-ft only: from cos128-seed1 it stayed at chance for
     * two blocks, and from cos16-seed1 for the 1,400 steps it ran; the CosScale arms are fine-tuned from the copy
     * ancestor instead, TrainingPlan.)
     */
    public static final double COPY_SKILL_ACCURACY = 0.15;
    public static final int COPY_SKILL_BLOCKS = 2;
    public static final long COPY_SKILL_BLOCK_SEED_OFFSET = 200;
    /**
     * Copy fine-tune, stage 2: steps with the MLM loss back (every window still planted, its copy letters scored
     * with the other masked characters), from stage 1, to give back the MLM skill stage 1 takes away (validation
     * accuracy 5 % after stage 1; 55 % after 3,000 steps of stage 2 in the trial, still rising).
     */
    public static final int COPY_RECOVERY_STEPS = 4000;
    /**
     * Stage 2 continues in blocks of {@link #COPY_RECOVERY_STEPS} ({@code -blockB}, seed + {@link
     * #COPY_SKILL_BLOCK_SEED_OFFSET} per block) while its copy accuracy is below issue 24's aim of 90 %, at most
     * {@link #COPY_RECOVERY_BLOCKS} blocks: copybase-seed4 crossed from 28 % to 90 % between steps 1,200 and 4,000
     * of its first block (the sudden rise of an induction-style copy), copybase-seed1 stayed at 22 %.
     */
    public static final double COPY_TARGET_ACCURACY = 0.9;
    public static final int COPY_RECOVERY_BLOCKS = 3;
    /** Added to a run's seed for its copy stage 2 (a different stream of windows from stage 1's). */
    public static final long COPY_RECOVERY_SEED_OFFSET = 100;
    /**
     * Added to a run's seed for the copy arms fine-tuned from its copy ancestor (all arms of a seed see the same
     * windows, as the family's arms do; the same windows as a second stage-2 block, seed + 100 + 200, when the
     * lineage had one).
     */
    public static final long COPY_ARM_SEED_OFFSET = 300;
    public static final double FINE_TUNE_LR = 1e-3;
    public static final int FINE_TUNE_WARMUP = 50;
    /**
     * Steps over which a fixed CosScale s rises log-linearly from sqrt(d) to its value. With 50 steps (then 150
     * at s = 128) the fine-tune of softmax-seed1 fell to the unigram level (validation accuracy 0.152, loss
     * 3.35): q and k share z, so a row's cosine with its own key is near 1 and at s = 128 the row attends to
     * itself; a slow rise lets the model move q and k apart first.
     */
    public static final int SCALE_WARMUP = 600;
    /** Tokens per validation batch (rows = VALIDATION_TOKENS / N). */
    public static final int VALIDATION_TOKENS = 4096;
    public static final int BATCH = 64;
    public static final double PEAK_LR = 2e-3;
    public static final long SEED = Seeds.DEFAULT_SEED;
    public static final int TEST_DOCUMENTS = 10;
    /** The corpus the trainer reads unless told otherwise ({@code Corpus.named}). */
    public static final String CORPUS = "sotu";
    public static final int MIN_CHAR_COUNT = 200;
    public static final int VALIDATE_EVERY = 200;
    public static final int VALIDATION_BATCHES = 8;

    private TrainingDefaults() {
    }

    /** The model shape of a run with the given key size, training length, initial s and logit rule. */
    public static GauConfig config(String attention, int vocabSize, int keyDim, int trainLength, double cosScaleInit,
            String logitRule) {
        return new GauConfig(attention, vocabSize, HIDDEN, EXPANSION, keyDim, LAYERS, trainLength, ROPE_BASE, RMS_EPS,
                cosScaleInit, logitRule);
    }

    /** The v1 model shape for {@code attention} (softmax or cosscale) and a vocabulary of {@code vocabSize}. */
    public static GauConfig config(String attention, int vocabSize) {
        return new GauConfig(attention, vocabSize, HIDDEN, EXPANSION, KEY_DIM, LAYERS, TRAIN_LENGTH, ROPE_BASE,
                RMS_EPS, COS_SCALE_INIT, GauConfig.NO_RULE);
    }
}
