package org.isentropic.verification.generators;

import org.isentropic.verification.bridge.AttentionInputs;
import java.util.List;
import org.isentropic.theory.models.LogitModel;
import org.quicktheories.core.Gen;
import org.quicktheories.generators.Generate;
import org.quicktheories.generators.SourceDSL;

/**
 * QuickTheories generators of {@link AttentionInputs}. Every generator draws its shape (n, d, dv) and
 * a seed from QuickTheories, so shrinking moves towards small n and d, and builds the tensors
 * deterministically from the seed with the factories of {@link AttentionInputs}.
 */
public final class AttentionInputGenerators {
    /**
     * Lengths that are not a multiple of any power-of-two tile (primes, and primes plus one times an
     * odd number), around the sizes where tiled kernels switch between full and partial tiles.
     */
    public static final List<Integer> AWKWARD_LENGTHS = List.of(1, 2, 3, 5, 7, 13, 17, 31, 33, 63, 65, 67, 97,
            127, 129, 131, 191, 193, 255, 257);

    private AttentionInputGenerators() {
    }

    /**
     * Lengths in {@code [min, max]}.
     *
     * @param min smallest, &gt;= 1
     * @param max largest, &gt;= min
     * @return the generator (shrinks towards min)
     */
    public static Gen<Integer> lengths(int min, int max) {
        if (min < 1 || max < min) {
            throw new IllegalArgumentException("need 1 <= min <= max, got min=" + min + ", max=" + max);
        }
        return SourceDSL.integers().between(min, max);
    }

    /**
     * Even head dimensions (RoPE needs pairs) from {@code {2, 4, 6, 8, 16, 24, 32, 64}} up to {@code max}.
     *
     * @param max largest dimension, &gt;= 2
     * @return the generator
     */
    public static Gen<Integer> evenDimensions(int max) {
        if (max < 2) {
            throw new IllegalArgumentException("max must be >= 2, got " + max);
        }
        return Generate.pick(List.of(2, 4, 6, 8, 16, 24, 32, 64).stream().filter(x -> x <= max).toList());
    }

    /** @return seeds for the tensor factories */
    public static Gen<Long> seeds() {
        return SourceDSL.longs().all();
    }

    /**
     * Standard normal q, k, v of random shape.
     *
     * @param maxN largest n
     * @param maxD largest d (even values only)
     * @return the generator
     */
    public static Gen<AttentionInputs> gaussian(int maxN, int maxD) {
        return lengths(1, maxN).zip(evenDimensions(maxD), lengths(1, 8), seeds(),
                (n, d, dv, seed) -> AttentionInputs.gaussian(n, d, dv, 1.0, seed));
    }

    /**
     * Random cases for comparing a kernel with the EJML reference: Gaussian inputs of random shape with
     * a random spec ({@link AttentionCase#random}: dot or cosine, RoPE or ALiBi, every mask family, a
     * temperature rule under a random n-mode, per-row temperatures).
     *
     * @param maxN largest n
     * @param maxD largest d (even values only)
     * @return the generator
     */
    public static Gen<AttentionCase> cases(int maxN, int maxD) {
        return gaussian(maxN, maxD).zip(seeds(),
                (in, s) -> AttentionCase.random(in, AttentionInputs.rng(s)));
    }

    /**
     * Inputs from a theory logit model ({@link AttentionInputs#fromModel}).
     *
     * @param model the model
     * @param minN smallest n (at least the model's focus count)
     * @param maxN largest n
     * @param dv value dimension
     * @return the generator
     */
    public static Gen<AttentionInputs> fromModel(LogitModel model, int minN, int maxN, int dv) {
        return lengths(Math.max(minN, Math.max(1, model.focusCount())), maxN).zip(seeds(),
                (n, seed) -> AttentionInputs.fromModel(model, n, dv, seed));
    }

    /**
     * The adversarial families, mixed: near-ties, huge norms (entries 1e3, dot logits near 1e6 sqrt(d)),
     * one dominant key, n = 1, and lengths from {@link #AWKWARD_LENGTHS}.
     *
     * @param maxD largest d
     * @return the generator
     */
    public static Gen<AttentionInputs> adversarial(int maxD) {
        Gen<Integer> awkward = Generate.pick(AWKWARD_LENGTHS);
        Gen<Integer> dims = evenDimensions(maxD);
        Gen<AttentionInputs> ties = awkward.zip(dims, seeds(), (n, d, s) -> AttentionInputs.nearTies(n, d, 3, s));
        Gen<AttentionInputs> huge = awkward.zip(dims, seeds(),
                (n, d, s) -> AttentionInputs.hugeNorms(n, d, 3, 1e3, s));
        Gen<AttentionInputs> dominant = awkward.zip(dims, seeds(),
                (n, d, s) -> AttentionInputs.oneDominantKey(n, d, 3, (int) Math.floorMod(s, n), 10.0, s));
        Gen<AttentionInputs> single = dims.zip(seeds(), (d, s) -> AttentionInputs.gaussian(1, d, 3, 1.0, s));
        Gen<AttentionInputs> odd = awkward.zip(dims, seeds(), (n, d, s) -> AttentionInputs.gaussian(n, d, 5, 1.0, s));
        return Generate.oneOf(ties, huge, dominant, single, odd);
    }
}
