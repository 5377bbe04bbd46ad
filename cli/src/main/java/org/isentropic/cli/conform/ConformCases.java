package org.isentropic.cli.conform;

import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import org.apache.commons.rng.UniformRandomProvider;
import org.isentropic.base.Seeds;
import org.isentropic.verification.bridge.AttentionInputs;

/**
 * The cases conform runs, deterministic in the seed. Lengths: N, the longest L, N + 1, 2N - 1, an odd
 * length between N and L, and three short ones (3, N/2 + 1 and 17: rules differ most from each other, and
 * from a kernel's off-by-one in n, at small n), then lengths drawn from [N, L]; most are not powers of two.
 * Head dimensions cycle through {@value #DIMS_TEXT} (odd ones included: nothing here needs an even d),
 * and the value dimension dv is d or a different size, so a kernel that confuses them fails. The inputs
 * cycle through the {@link Family} values, the hostile ones among them.
 */
public final class ConformCases {

    /** Head dimensions, in the order cases take them. */
    static final int[] DIMS = {64, 7, 16, 128, 4, 33, 2, 96, 32, 5};
    static final String DIMS_TEXT = "64, 7, 16, 128, 4, 33, 2, 96, 32, 5";
    /** Value dimensions other than d. */
    private static final int[] OTHER_DV = {3, 16, 1, 5};

    private ConformCases() {
    }

    /**
     * One case.
     *
     * @param index  1-based
     * @param family how its inputs were made
     * @param inputs q, k, v
     */
    public record Case(int index, Family family, AttentionInputs inputs) {
        @Override
        public String toString() {
            return "case " + index + ": n = " + inputs.n() + ", d = " + inputs.d() + ", dv = " + inputs.dv() + ", "
                    + inputs.description();
        }
    }

    /** How a case's inputs are made (the hostile ones: large logits, equal keys, zero vectors, near ties). */
    public enum Family {
        /** Standard normal q, k, v: logits of order 1. */
        GAUSSIAN((n, d, dv, seed) -> AttentionInputs.gaussian(n, d, dv, 1.0, seed)),
        /** Zero rows: q rows i = 0 mod 3, k rows j = 1 mod 4, v rows j = 2 mod 5 (a zero vector has cosine 0). */
        ZERO_VECTORS(Family::zeroVectors),
        /** Entries of size 30: dot logits of about 900 (times the rule), nearly one-hot rows. */
        LARGE_LOGITS((n, d, dv, seed) -> AttentionInputs.hugeNorms(n, d, dv, 30.0, seed)),
        /** Every key the same vector: every row uniform, O = the mean of v, whatever the temperature. */
        EQUAL_KEYS(Family::equalKeys),
        /** Logits of order 2.5 squared: sharp but not one-hot rows, where a wrong temperature shows most. */
        SHARP((n, d, dv, seed) -> AttentionInputs.gaussian(n, d, dv, 2.5, seed)),
        /** Keys equal to six digits: logits that differ by about their rounding. */
        NEAR_TIES(AttentionInputs::nearTies),
        /** One key far stronger than the rest, in the middle of the sequence. */
        DOMINANT_KEY((n, d, dv, seed) -> AttentionInputs.oneDominantKey(n, d, dv, n / 2, 10.0, seed)),
        /** Neighbouring positions alike (a random walk with correlation 0.9): windowed-looking rows. */
        NEIGHBOURS((n, d, dv, seed) -> AttentionInputs.neighbourCorrelated(n, d, dv, 0.9, seed));

        /** Makes the inputs of one case: n rows, d columns of q and k, dv of v, from the seed. */
        @FunctionalInterface
        private interface Maker {
            AttentionInputs make(int n, int d, int dv, long seed);
        }

        private final Maker maker;

        Family(Maker maker) {
            this.maker = maker;
        }

        /** The family's name in the table of cases and in a reproducer: its constant's, in lower case with hyphens. */
        public String label() {
            return name().toLowerCase(Locale.ROOT).replace('_', '-');
        }

        AttentionInputs make(int n, int d, int dv, long seed) {
            return maker.make(n, d, dv, seed);
        }

        private static AttentionInputs zeroVectors(int n, int d, int dv, long seed) {
            AttentionInputs a = AttentionInputs.gaussian(n, d, dv, 1.5, seed);
            float[] q = a.q().clone();
            float[] k = a.k().clone();
            float[] v = a.v().clone();
            for (int i = 0; i < n; i++) {
                if (i % 3 == 0) {
                    java.util.Arrays.fill(q, i * d, i * d + d, 0f);
                }
                if (i % 4 == 1) {
                    java.util.Arrays.fill(k, i * d, i * d + d, 0f);
                }
                if (i % 5 == 2) {
                    java.util.Arrays.fill(v, i * dv, i * dv + dv, 0f);
                }
            }
            return new AttentionInputs("zero-vectors(gaussian scale 1.5, seed=" + seed + ")", n, d, dv, q, k, v);
        }

        private static AttentionInputs equalKeys(int n, int d, int dv, long seed) {
            AttentionInputs a = AttentionInputs.gaussian(n, d, dv, 1.0, seed);
            float[] k = new float[n * d];
            for (int j = 0; j < n; j++) {
                System.arraycopy(a.k(), 0, k, j * d, d);
            }
            return new AttentionInputs("equal-keys(seed=" + seed + ")", n, d, dv, a.q(), k, a.v());
        }
    }

    /**
     * The cases.
     *
     * @param trainLength N, at least 2
     * @param maxLength   L, at least N
     * @param count       how many, at least 1
     * @param seed        the seed of every draw
     * @return count cases
     */
    public static List<Case> generate(int trainLength, int maxLength, int count, long seed) {
        List<Integer> lengths = lengths(trainLength, maxLength, count, seed);
        UniformRandomProvider rng = AttentionInputs.rng(Seeds.derive(seed, "conform-shapes"));
        Family[] families = Family.values();
        List<Case> cases = new ArrayList<>(count);
        for (int i = 0; i < count; i++) {
            int n = lengths.get(i);
            int d = DIMS[i % DIMS.length];
            int dv = rng.nextBoolean() ? d : OTHER_DV[rng.nextInt(OTHER_DV.length)];
            Family f = families[i % families.length];
            cases.add(new Case(i + 1, f, f.make(n, d, dv, Seeds.derive(seed, i))));
        }
        return cases;
    }

    /** The lengths of {@link #generate}: the fixed ones first (deduplicated, within [1, L]), then drawn. */
    static List<Integer> lengths(int trainLength, int maxLength, int count, long seed) {
        int n0 = trainLength;
        int l = maxLength;
        Set<Integer> fixed = new LinkedHashSet<>(List.of(n0, l, n0 + 1, 2 * n0 - 1, (n0 + l) / 2 | 1, 3,
                n0 / 2 + 1, 17));
        List<Integer> out = new ArrayList<>();
        for (int n : fixed) {
            if (n >= 1 && n <= l && out.size() < count) {
                out.add(n);
            }
        }
        UniformRandomProvider rng = AttentionInputs.rng(Seeds.derive(seed, "conform-lengths"));
        while (out.size() < count) {
            int n = n0 + rng.nextInt(l - n0 + 1);
            out.add(rng.nextBoolean() && n < l ? n | 1 : n);
        }
        return out;
    }
}
