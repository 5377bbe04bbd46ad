package org.isentropic.experiments.model;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * Every checkpoint of the v3 family (State of the Union corpus, d = 128) and the trainer arguments that made
 * it, in priority order (trained two at a time, one thread each; a fine-tune waits for its softmax checkpoint).
 * {@code isentropic experiment train} prints these commands; the family's {@code index.csv} lists the same
 * names, roles, seeds and scales as their checkpoints land.
 *
 * <ul>
 * <li>{@code softmax-seedK} (K = 1..5): softmax logits, trained from scratch at N = 64 until the validation loss
 *     plateaus (rule in {@link TrainingDefaults});</li>
 * <li>{@code cos128-seedK} (K = 1..5), {@code cos16-seedK} and {@code cos32-seedK} (K = 1..3): fine-tuned from
 *     {@code softmax-seedK} for {@link TrainingDefaults#FINE_TUNE_STEPS} steps with cosine logits and s fixed at
 *     S (after a rise of s from sqrt(d));</li>
 * <li>{@code softmax-ft-seedK} (K = 1..5): the control, fine-tuned from the same checkpoint for the same steps
 *     with the same schedule and softmax logits, so that "CosScale beats softmax" is not "more training beats
 *     less";</li>
 * <li>{@code softplus-seedK} (K = 1..3): Su's Attention-E, trained from scratch with ln max(n, 16) / ln 512 in
 *     its logits;</li>
 * <li>{@code softmax-n256-seedK} (K = 1..3): trained from scratch at N = 256 (a quarter of the batch: the same
 *     tokens per step);</li>
 * <li>for the long-range retrieval probe, a copy ancestor {@code copybase-seedK} per softmax-ft base, every
 *     training window holding a planted copy ({@link CopyTask}): {@code copyskill-softmax-ft-seedK} trains
 *     {@code softmax-ft-seedK} on the copies' letters alone for {@link TrainingDefaults#COPY_SKILL_STEPS} steps
 *     (repeated in blocks while its copy accuracy stays below {@link TrainingDefaults#COPY_SKILL_ACCURACY}), then
 *     {@code copybase-seedK} adds the MLM loss back for {@link TrainingDefaults#COPY_RECOVERY_STEPS} (repeated in
 *     blocks while its copy accuracy stays below {@link TrainingDefaults#COPY_TARGET_ACCURACY}); from the last block,
 *     as the family's arms come from {@code softmax-seedK}, {@code copy-softmax-ft-seedK} (softmax logits) and
 *     {@code copy-cosS-seedK} (S = 16, 32, 128; cosine logits, s warmed up) are fine-tuned for
 *     {@link TrainingDefaults#FINE_TUNE_STEPS} steps on the same windows. The blocks each seed took are recorded
 *     in {@link #COPY_LINEAGES}. The intermediates are not indexed (their JSON and loss curves are committed
 *     beside the checkpoints, and the weights of each seed's last copybase block).</li>
 * </ul>
 */
public final class TrainingPlan {

    /** Seeds of the runs (seed index k is {@code SEEDS[k - 1]}). */
    public static final long[] SEEDS = {TrainingDefaults.SEED, TrainingDefaults.SEED + 1, TrainingDefaults.SEED + 2,
        TrainingDefaults.SEED + 3, TrainingDefaults.SEED + 4};
    /** Seeds of the softmax control and of cos128. */
    public static final int MAIN_SEEDS = 5;
    /** Seeds of every other checkpoint a claim uses. */
    public static final int OTHER_SEEDS = 3;
    /** Where the family's checkpoints are committed (classpath resource folder). */
    public static final String FOLDER = "checkpoints/v3";

    /**
     * One run: its checkpoint's name, role (softmax, control, cosscale, attention-e, n256, copy-control,
     * copy-cosscale; copy-skill and copy-base for the intermediates), seed index, s (or 0).
     */
    public record Run(String name, String role, int seed, double scale, String initFrom, String arguments) {

        /** The Maven command that trains this checkpoint into {@code dir}. */
        public String command(String dir) {
            return String.format(Locale.ROOT, "mvn -B -Ptrain -pl experiments exec:java -Dexec.args=\"--name %s "
                    + "--out %s %s\"", name, dir, arguments.replace("{dir}", dir));
        }
    }

    private TrainingPlan() {
    }

    /**
     * Every run of the family, in priority order: the five softmax models each followed by their cos128 and
     * control fine-tunes, then cos16 and cos32, then Attention-E and the N = 256 model.
     */
    public static List<Run> runs() {
        List<Run> runs = new ArrayList<>();
        for (int k = 1; k <= MAIN_SEEDS; k++) {
            runs.add(new Run("softmax-seed" + k, "softmax", k, 0, null, base(k)));
            runs.add(cosine(128, k));
            runs.add(control(k));
        }
        for (int k = 1; k <= OTHER_SEEDS; k++) {
            runs.add(cosine(16, k));
            runs.add(cosine(32, k));
        }
        for (int k = 1; k <= OTHER_SEEDS; k++) {
            runs.add(new Run("softplus-seed" + k, "attention-e", k, 0, null, base(k) + " --logit-rule softmax_plus"));
            runs.add(new Run("softmax-n256-seed" + k, "n256", k, 0, null, base(k).replace("--batch "
                    + TrainingDefaults.FAMILY_BATCH, "--batch " + TrainingDefaults.FAMILY_BATCH / 4)
                    + " --train-length 256"));
        }
        for (CopyLineage l : COPY_LINEAGES) {
            runs.addAll(copy(l));
        }
        return runs;
    }

    /**
     * A copy lineage as it ran (the block rules of {@link TrainingDefaults#COPY_SKILL_ACCURACY} and {@link
     * TrainingDefaults#COPY_TARGET_ACCURACY} decide the blocks from each block's copy accuracy, so the plan records
     * how many each seed took): stage-1 blocks, stage-2 blocks (0: stage 1 stayed at chance, the seed was replaced).
     */
    public record CopyLineage(int seed, int skillBlocks, int baseBlocks) {
    }

    /**
     * The copy lineages: seeds 2 and 3 stayed at chance for both stage-1 blocks (3.6 % and 5.9 % copy accuracy) and
     * were replaced by seeds 4 and 5; seed 1 took three stage-2 blocks and ended at 30.9 %, seed 4 one (90.2 %),
     * seed 5 two (93.3 %) (their JSON, checkpoints/v3).
     */
    public static final List<CopyLineage> COPY_LINEAGES = List.of(new CopyLineage(1, 1, 3), new CopyLineage(2, 2, 0),
            new CopyLineage(3, 2, 0), new CopyLineage(4, 2, 1), new CopyLineage(5, 1, 2));

    /** The name of block b (from 1) of a repeated stage. */
    private static String block(String name, int b) {
        return b == 1 ? name : name + "-block" + b;
    }

    /** The copy runs of one lineage (see the class comment). */
    private static List<Run> copy(CopyLineage l) {
        int k = l.seed();
        long seed = SEEDS[k - 1];
        String common = String.format(Locale.ROOT, "--attention softmax --key-dim %d --batch %d --copy-share 1",
                TrainingDefaults.FAMILY_KEY_DIM, TrainingDefaults.FAMILY_BATCH);
        List<Run> runs = new ArrayList<>();
        String from = "softmax-ft-seed" + k;
        for (int b = 1; b <= l.skillBlocks(); b++) {
            String name = block("copyskill-softmax-ft-seed" + k, b);
            runs.add(new Run(name, "copy-skill", k, 0, from, String.format(Locale.ROOT,
                    "%s --seed %d --copy-loss-only true --steps %d --init {dir}/%s.safetensors", common,
                    seed + (b - 1) * TrainingDefaults.COPY_SKILL_BLOCK_SEED_OFFSET, TrainingDefaults.COPY_SKILL_STEPS,
                    from)));
            from = name;
        }
        for (int b = 1; b <= l.baseBlocks(); b++) {
            String name = block("copybase-seed" + k, b);
            runs.add(new Run(name, "copy-base", k, 0, from, String.format(Locale.ROOT,
                    "%s --seed %d --steps %d --init {dir}/%s.safetensors", common, seed
                            + TrainingDefaults.COPY_RECOVERY_SEED_OFFSET + (b - 1)
                            * TrainingDefaults.COPY_SKILL_BLOCK_SEED_OFFSET, TrainingDefaults.COPY_RECOVERY_STEPS,
                    from)));
            from = name;
        }
        if (l.baseBlocks() == 0) {
            return runs;
        }
        String arm = String.format(Locale.ROOT, "--copy-share 1 --key-dim %d --batch %d --seed %d --steps %d"
                + " --init {dir}/%s.safetensors", TrainingDefaults.FAMILY_KEY_DIM, TrainingDefaults.FAMILY_BATCH,
                seed + TrainingDefaults.COPY_ARM_SEED_OFFSET, TrainingDefaults.FINE_TUNE_STEPS, from);
        runs.add(new Run("copy-softmax-ft-seed" + k, "copy-control", k, 0, from, "--attention softmax " + arm));
        for (int s : new int[] {16, 32, 128}) {
            runs.add(new Run("copy-cos" + s + "-seed" + k, "copy-cosscale", k, s, from,
                    "--attention cosscale --cos-scale " + s + " " + arm));
        }
        return runs;
    }

    private static Run control(int k) {
        return new Run("softmax-ft-seed" + k, "control", k, 0, "softmax-seed" + k,
                base(k) + " --init {dir}/softmax-seed" + k + ".safetensors");
    }

    private static String base(int k) {
        return "--attention softmax --key-dim " + TrainingDefaults.FAMILY_KEY_DIM + " --batch "
                + TrainingDefaults.FAMILY_BATCH + " --seed " + SEEDS[k - 1];
    }

    private static Run cosine(int s, int k) {
        return new Run("cos" + s + "-seed" + k, "cosscale", k, s, "softmax-seed" + k, String.format(Locale.ROOT,
                "--attention cosscale --key-dim %d --batch %d --cos-scale %d --seed %d --init {dir}/softmax-seed%d"
                + ".safetensors", TrainingDefaults.FAMILY_KEY_DIM, TrainingDefaults.FAMILY_BATCH, s, SEEDS[k - 1], k));
    }
}
