package org.isentropic.benchmarks.baseline;

import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.stream.Stream;
import org.isentropic.base.Seeds;
import org.isentropic.benchmarks.Workloads;
import org.isentropic.benchmarks.attention.Agreement;
import org.isentropic.benchmarks.attention.AttentionCase;
import org.isentropic.benchmarks.attention.MultiHeadInputs;
import org.isentropic.kernels.spec.Mask;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Both baselines agree with the reference kernel (within {@link Agreement}'s float-rounding tolerance)
 * on small problems: n = 1, a size that is not a multiple of the row blocks, d that is and is not a
 * multiple of the vector length, every mask the benchmarks use, 1 and 2 threads, and the InfoScale
 * temperature. And the agreement check has teeth: a baseline given the wrong mask fails it.
 */
class BaselinesAgreeWithReferenceTest {

    private static final long SEED = Seeds.seed();

    static Stream<Arguments> cases() {
        List<Arguments> a = new ArrayList<>();
        for (int n : new int[] {1, 37, 150}) {
            for (int d : new int[] {30, 64}) {
                for (String mask : new String[] {"full", "causal", "window5"}) {
                    for (int threads : new int[] {1, 2}) {
                        a.add(Arguments.of(n, d, mask, threads, "standard"));
                    }
                }
            }
        }
        a.add(Arguments.of(200, 128, "full", 1, "infoscale"));
        a.add(Arguments.of(200, 128, "causal", 2, "infoscale"));
        return a.stream();
    }

    /** A baseline run on a case: o (n x dv) and the row entropies h. */
    @FunctionalInterface
    private interface Baseline {
        void attend(AttentionCase c, float[] o, float[] h);
    }

    /** The baseline's output for the case of these parameters agrees with the reference kernel's. */
    private static void agrees(String name, int n, int d, String mask, String rule, Baseline baseline) {
        AttentionCase c = AttentionCase.of(n, d, mask, "dot", rule, SEED);
        float[] o = new float[n * c.dv()];
        float[] h = new float[n];
        baseline.attend(c, o, h);
        Agreement.check(name + " (seed " + SEED + ")", c, o, h);
    }

    @ParameterizedTest(name = "n={0} d={1} {2} threads={3} {4}")
    @MethodSource("cases")
    void rowAtATimeAgrees(int n, int d, String mask, int threads, String rule) {
        agrees("row-at-a-time", n, d, mask, rule, (c, o, h) -> {
            try (RowAtATimeAttention b = RowAtATimeAttention.create(n, threads)) {
                b.attend(c.q(), c.k(), c.v(), n, d, c.dv(), c.rowScale(), c.mask(), o, h);
            }
        });
    }

    @ParameterizedTest(name = "n={0} d={1} {2} threads={3} {4}")
    @MethodSource("cases")
    void openBlasAgrees(int n, int d, String mask, int threads, String rule) {
        agrees("OpenBLAS " + OpenBlasMaterialisedAttention.version(), n, d, mask, rule, (c, o, h) -> {
            try (OpenBlasMaterialisedAttention b = OpenBlasMaterialisedAttention.create(n, d, c.dv(), threads)) {
                b.attend(c.q(), c.k(), c.v(), c.rowScale(), c.mask(), o, h);
            }
        });
    }

    @Test
    void openBlasAgreesAcrossRowBlocksAndItsCheckHasTeeth() {
        int n = OpenBlasMaterialisedAttention.BLOCK_ROWS + 77; // a second, partial block of rows
        AttentionCase c = AttentionCase.of(n, 64, "causal", "dot", "standard", SEED);
        float[] o = new float[n * c.dv()];
        float[] h = new float[n];
        try (OpenBlasMaterialisedAttention b = OpenBlasMaterialisedAttention.create(n, 64, c.dv(), 2)) {
            b.attend(c.q(), c.k(), c.v(), c.rowScale(), c.mask(), o, h);
            Agreement.check("OpenBLAS (seed " + SEED + ")", c, o, h);
            b.attend(c.q(), c.k(), c.v(), c.rowScale(), Workloads.mask("full"), o, h);
        }
        assertThrows(IllegalStateException.class, () -> Agreement.check("OpenBLAS, wrong mask", c, o, h));
    }

    @Test
    void openBlasAgreesHeadByHeadOnGroupedQueryInputs() {
        MultiHeadInputs in = new MultiHeadInputs(4, 2, 70, 32, SEED);
        int size = in.n * in.d;
        float[] o = new float[in.heads * size];
        float[] h = new float[in.heads * in.n];
        float[] scale = in.head(0, "causal").rowScale();
        try (OpenBlasMaterialisedAttention b = OpenBlasMaterialisedAttention.create(in.n, in.d, in.d, 2)) {
            for (int head = 0; head < in.heads; head++) {
                int g = in.group(head);
                b.attend(in.q, head * size, in.k, g * size, in.v, g * size, scale, Workloads.mask("causal"), o,
                        head * size, h, head * in.n);
            }
        }
        for (int head = 0; head < in.heads; head++) {
            Agreement.check("OpenBLAS head " + head + " (seed " + SEED + ")", in.head(head, "causal"),
                    Arrays.copyOfRange(o, head * size, (head + 1) * size),
                    Arrays.copyOfRange(h, head * in.n, (head + 1) * in.n));
        }
    }

    @ParameterizedTest(name = "n={0} d={1} {2} threads={3} {4}")
    @MethodSource("cases")
    void ejmlAgrees(int n, int d, String mask, int threads, String rule) {
        agrees("EJML", n, d, mask, rule, (c, o, h) -> EjmlMaterialisedAttention.create(n, d, c.dv(), threads)
                .attend(c.q(), c.k(), c.v(), c.rowScale(), c.mask(), o, h));
    }

    @Test
    void theCheckRejectsAWrongMask() {
        AttentionCase causal = AttentionCase.dot(64, 32, "causal", SEED);
        float[] o = new float[64 * 32];
        float[] h = new float[64];
        try (RowAtATimeAttention b = RowAtATimeAttention.create(64, 1)) {
            b.attend(causal.q(), causal.k(), causal.v(), 64, 32, 32, causal.rowScale(), Mask.full(), o, h);
        }
        IllegalStateException e = assertThrows(IllegalStateException.class,
                () -> Agreement.check("row-at-a-time, wrong mask", causal, o, h));
        assertTrue(e.getMessage().contains("disagrees"), e.getMessage());
    }

    @Test
    void theCheckRejectsAWrongScale() {
        AttentionCase c = AttentionCase.dot(64, 32, "full", SEED);
        float[] scale = c.rowScale();
        for (int i = 0; i < scale.length; i++) {
            scale[i] *= 1.01f;
        }
        float[] o = new float[64 * 32];
        float[] h = new float[64];
        EjmlMaterialisedAttention.create(64, 32, 32, 1).attend(c.q(), c.k(), c.v(), scale, c.mask(), o, h);
        assertThrows(IllegalStateException.class, () -> Agreement.check("EJML, 1 % off scale", c, o, h));
    }

    @Test
    void baselinesRefuseSinkMasks() {
        AttentionCase c = AttentionCase.dot(16, 16, "full", SEED);
        float[] o = new float[16 * 16];
        try (RowAtATimeAttention b = RowAtATimeAttention.create(16, 1)) {
            assertThrows(IllegalArgumentException.class, () -> b.attend(c.q(), c.k(), c.v(), 16, 16, 16,
                    c.rowScale(), Mask.streaming(4, 8), o, null));
        }
    }
}
