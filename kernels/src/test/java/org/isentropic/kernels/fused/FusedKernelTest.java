package org.isentropic.kernels.fused;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.quicktheories.QuickTheory.qt;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.isentropic.kernels.Agreement;
import org.isentropic.kernels.AttentionKernels;
import org.isentropic.kernels.RandomProblem;
import org.isentropic.kernels.RandomTensors;
import org.isentropic.kernels.fused.FusedKernel.Config;
import org.isentropic.kernels.fused.FusedKernel.QkTile;
import org.isentropic.kernels.spec.AttentionKernel;
import org.isentropic.kernels.spec.AttentionOutput;
import org.isentropic.kernels.spec.AttentionSpec;
import org.isentropic.kernels.spec.KeyRange;
import org.isentropic.kernels.spec.Mask;
import org.isentropic.kernels.spec.NMode;
import org.isentropic.kernels.spec.Positions;
import org.junit.jupiter.api.Test;
import org.quicktheories.core.Gen;
import org.quicktheories.generators.Generate;

class FusedKernelTest {

    private static final boolean EXHAUSTIVE = "exhaustive".equals(System.getProperty("isentropic.examples"));
    private static final AttentionKernel REF = AttentionKernels.reference();

    static List<Positions> allPositions(int train, int window) {
        return List.of(Positions.none(), Positions.rope(10000), Positions.ropeHalf(500), Positions.pi(10000, train),
                Positions.piReference(10000, train), Positions.ntk(10000, train), Positions.yarn(10000, train),
                Positions.rerope(10000, window), Positions.reropeReference(10000, window), Positions.alibi(0.3));
    }

    static List<Mask> allMasks(int window) {
        return List.of(Mask.full(), Mask.causal(), Mask.window(window), Mask.streaming(2, window + 1),
                Mask.lambda(3, window), Mask.window(window).andCausal(), Mask.lambda(2, window + 2).andCausal(),
                Mask.streaming(3, window).andCausal(), Mask.prefix(5));
    }

    static List<AttentionSpec> ruleVariants(AttentionSpec base, int n) {
        float[] t = new float[n];
        for (int i = 0; i < n; i++) {
            t[i] = 0.5f + (i % 5) * 0.4f;
        }
        List<AttentionSpec> list = new ArrayList<>();
        list.add(base);
        list.add(base.withTemperature(t));
        for (NMode mode : NMode.values()) {
            list.add(base.withRule(len -> Math.sqrt(Math.log(len + 1.0) / Math.log(8)), mode));
        }
        return list;
    }

    /** Small blocks so that n = 37 spans several query blocks and key tiles. */
    static List<FusedKernel> smallKernels() {
        return List.of(AttentionKernels.fused(new Config(1, 24, 16, QkTile.R8C3, true, true)),
                AttentionKernels.fused(new Config(1, 12, 48, QkTile.R4C3, true, true)),
                AttentionKernels.fused(new Config(2, 12, 32, QkTile.R4C4, true, false)));
    }

    /**
     * The score tile groups the scores it computes together but sums each one in the same order, so every tile gives
     * the same bits (FusedKernel.Config#registerTile picks one per machine; the evaluation's cells do not depend on
     * it).
     */
    @Test
    void everyScoreTileGivesTheSameBits() {
        int n = 100;
        RandomProblem problem = RandomProblem.of(n, 128).dv(128).draw(7);
        AttentionSpec spec = AttentionSpec.dot().withPositions(Positions.rope(10000));
        AttentionOutput first = null;
        for (QkTile tile : QkTile.values()) {
            AttentionOutput out = AttentionOutput.allocate(n, problem.dv(), false);
            problem.attend(AttentionKernels.fused(new Config(1, 24, 48, tile, true, true)), spec, out);
            if (first == null) {
                first = out;
                continue;
            }
            assertArrayEquals(first.o(), out.o(), 0f, tile + ": output");
            assertArrayEquals(first.entropy(), out.entropy(), 0f, tile + ": entropy");
            assertArrayEquals(first.logSumExp(), out.logSumExp(), 0f, tile + ": logsumexp");
        }
    }

    /**
     * The blocks share out whole row units as evenly as they go ({@link FusedKernel#blockCount},
     * {@link FusedWorkspace.Call#blockStart}): they cover the rows once, in order, none is empty or above
     * blockRows, two differ by at most one unit, and their number is a multiple of the threads unless there are
     * fewer units than that.
     */
    @Test
    void blocksCoverTheRowsInNearlyEqualShares() {
        FusedWorkspace.Call call = new FusedWorkspace.Call();
        for (int unit : new int[] {4, 12, 24}) {
            for (int blockRows = unit; blockRows <= 8 * unit; blockRows += unit) {
                for (int threads = 1; threads <= 3; threads++) {
                    for (int n = 1; n <= 700; n++) {
                        call.n = n;
                        call.unit = unit;
                        call.units = (n + unit - 1) / unit;
                        call.blocks = FusedKernel.blockCount(n, call.units, blockRows, threads);
                        String at = "unit " + unit + " blockRows " + blockRows + " threads " + threads + " n " + n;
                        assertTrue(call.blocks % threads == 0 || call.blocks == call.units, at + ": blocks");
                        assertEquals(0, call.blockStart(0), at);
                        assertEquals(n, call.blockStart(call.blocks), at);
                        int smallest = Integer.MAX_VALUE;
                        int largest = 0;
                        for (int b = 0; b < call.blocks; b++) {
                            int start = call.blockStart(b);
                            int rows = call.blockStart(b + 1) - start;
                            assertEquals(0, start % unit, at + ": block " + b + " starts inside a unit");
                            assertTrue(rows > 0 && rows <= blockRows, at + ": block " + b + " has " + rows);
                            if (b < call.blocks - 1) {
                                smallest = Math.min(smallest, rows);
                            }
                            largest = Math.max(largest, rows);
                        }
                        assertTrue(call.blocks == 1 || largest - smallest <= unit, at + ": uneven blocks");
                    }
                }
            }
        }
    }

    /**
     * The preparation's chunks start their rotators with a seek to the chunk's first row
     * ({@link FusedKernel#PREPARE_ROWS}): that gives the bits of a rotator advanced there from row 0, so chunks
     * prepared apart, on any worker, give the bits of one pass.
     */
    @Test
    void aChunkStartsItsRotationWhereOnePassWouldBe() {
        int d = 16;
        double[] theta = new double[d / 2];
        for (int m = 0; m < theta.length; m++) {
            theta[m] = Math.pow(10000, -2.0 * m / d);
        }
        Rotator onePass = new Rotator(d, theta, 1.0, true);
        Rotator chunked = new Rotator(d, theta, 1.0, true);
        double[] x = new double[d];
        double[] y = new double[d];
        for (int i = 0; i < 5 * FusedKernel.PREPARE_ROWS + 7; i++) {
            if (i % FusedKernel.PREPARE_ROWS == 0) {
                chunked.seek(i);
            }
            for (int c = 0; c < d; c++) {
                x[c] = 1.0 + c;
                y[c] = 1.0 + c;
            }
            onePass.rotate(x);
            chunked.rotate(y);
            assertArrayEquals(x, y, 0.0, "row " + i);
            onePass.advance();
            chunked.advance();
        }
    }

    /** Each row is computed alone, so how the rows are cut into blocks and shared among threads leaves its bits. */
    @Test
    void theCutIntoBlocksGivesTheSameBits() {
        int n = 300;
        RandomProblem problem = RandomProblem.of(n, 64).dv(64).draw(11);
        for (Mask mask : List.of(Mask.full(), Mask.causal(), Mask.window(40))) {
            AttentionSpec spec = AttentionSpec.dot().withPositions(Positions.rope(10000)).withMask(mask);
            AttentionOutput first = null;
            for (int[] cut : new int[][] {{1, 24}, {2, 24}, {3, 48}, {1, 192}, {2, 192}, {2, 288}}) {
                AttentionOutput out = AttentionOutput.allocate(n, problem.dv(), false);
                problem.attend(AttentionKernels.fused(new Config(cut[0], cut[1], 48, QkTile.R4C3, true, true)), spec,
                        out);
                if (first == null) {
                    first = out;
                    continue;
                }
                String at = mask + " threads " + cut[0] + " blockRows " + cut[1];
                assertArrayEquals(first.o(), out.o(), 0f, at + ": output");
                assertArrayEquals(first.entropy(), out.entropy(), 0f, at + ": entropy");
                assertArrayEquals(first.logSumExp(), out.logSumExp(), 0f, at + ": logsumexp");
            }
        }
    }

    @Test
    void everyPositionMaskLogitAndRuleCombinationAgreesWithTheReference() {
        int n = 37;
        // dv = 24 is not a multiple of the vector length: the padded value path
        RandomProblem problem = RandomProblem.of(n, 32).dv(24).draw(10);
        List<KeyRange> ranges = List.of(new KeyRange(0, 3), new KeyRange(20, 40));
        AttentionOutput expect = AttentionOutput.allocate(n, problem.dv(), true, ranges);
        AttentionOutput actual = AttentionOutput.allocate(n, problem.dv(), true, ranges);
        int combos = 0;
        for (Positions p : allPositions(8, 5)) {
            for (Mask m : allMasks(5)) {
                for (AttentionSpec kind : List.of(AttentionSpec.dot(), AttentionSpec.cosine(16))) {
                    for (AttentionSpec spec : ruleVariants(kind.withPositions(p).withMask(m), n)) {
                        problem.attend(REF, spec, expect);
                        for (FusedKernel kernel : smallKernels()) {
                            problem.attend(kernel, spec, actual);
                            Agreement.check(kernel.name() + " " + spec, spec, problem, expect, actual,
                                    kernel.config().blockKeys());
                            combos++;
                        }
                    }
                }
            }
        }
        assertEquals(10 * 9 * 2 * 5 * smallKernels().size(), combos);
    }

    @Test
    void dimensionsSizesThreadsAndPathsAgree() {
        int[] dims = {32, 64, 96, 128};
        int[] sizes = {1, 16, 129, 300};
        for (int d : dims) {
            for (int n : sizes) {
                RandomProblem problem = RandomProblem.of(n, d).draw(100 + d * 1000L + n);
                AttentionSpec[] specs = {
                    AttentionSpec.dot(),
                    AttentionSpec.cosine(64).withPositions(Positions.rope(10000)).withMask(Mask.causal()),
                    AttentionSpec.dot().withPositions(Positions.rerope(10000, 40)).withMask(Mask.window(70)),
                };
                for (AttentionSpec spec : specs) {
                    AttentionOutput expect = problem.run(REF, spec);
                    for (boolean simd : new boolean[] {true, false}) {
                        for (int threads : new int[] {1, 2}) {
                            FusedKernel kernel = AttentionKernels.fused(Config.defaults(threads).withSimd(simd));
                            Agreement.check(kernel.name() + " d=" + d + " n=" + n + " " + spec, spec, problem, expect,
                                    problem.run(kernel, spec), kernel.config().blockKeys());
                        }
                    }
                }
            }
        }
    }

    @Test
    void oneAndTwoThreadsGiveIdenticalResults() {
        RandomProblem problem = RandomProblem.of(333, 64).draw(11);
        AttentionSpec spec = AttentionSpec.dot().withMask(Mask.causal()).withPositions(Positions.rope(10000));
        AttentionOutput one = problem.run(AttentionKernels.fused(new Config(1, 48, 64, QkTile.R8C3, true, true)), spec);
        AttentionOutput two = problem.run(AttentionKernels.fused(new Config(2, 48, 64, QkTile.R8C3, true, true)), spec);
        // Each row is computed by one worker in the same order whatever the thread count.
        assertArrayEquals(one.o(), two.o());
        assertArrayEquals(one.entropy(), two.entropy());
    }

    @Test
    void everyTileShapeAgrees() {
        RandomProblem problem = RandomProblem.of(150, 96).dv(40).draw(12);
        AttentionSpec spec = AttentionSpec.cosine(30).withMask(Mask.streaming(4, 33));
        AttentionOutput expect = problem.run(REF, spec);
        for (QkTile tile : QkTile.values()) {
            int unit = Config.rowUnit(tile);
            for (int[] blocks : new int[][] {{unit, 16}, {2 * unit, 48}, {unit * Math.max(1, 64 / unit), 128}}) {
                FusedKernel kernel = AttentionKernels.fused(new Config(1, blocks[0], blocks[1], tile, true, true));
                Agreement.check(tile + " " + blocks[0] + "x" + blocks[1], spec, problem, expect,
                        problem.run(kernel, spec), blocks[1]);
            }
        }
    }

    @Test
    void randomSpecsAgree() {
        List<Positions> positions = allPositions(16, 9);
        List<Mask> masks = allMasks(11);
        Gen<Integer> pick = Generate.range(0, Integer.MAX_VALUE);
        qt().withFixedSeed(RandomTensors.SEED).withExamples(EXHAUSTIVE ? 2000 : 60)
                .forAll(Generate.range(1, 200), Generate.pick(List.of(32, 64, 96, 128)), pick, pick)
                .checkAssert((n, d, a, b) -> {
                    Positions p = positions.get(a % positions.size());
                    Mask m = masks.get((a / 16) % masks.size());
                    AttentionSpec kind = (b & 1) == 0 ? AttentionSpec.dot() : AttentionSpec.cosine(1 + (b % 300));
                    AttentionSpec spec = ruleVariants(kind.withPositions(p).withMask(m), n).get((b >> 1) % 5);
                    QkTile qk = QkTile.values()[(b >> 11) % QkTile.values().length];
                    int unit = Config.rowUnit(qk);
                    Config config = new Config(1 + (b >> 4) % 2, unit * (1 + (b >> 5) % 4), 16 * (1 + (b >> 8) % 6),
                            qk, true, ((b >> 13) & 1) == 0);
                    RandomProblem problem = RandomProblem.of(n, d).dv(8 + (a >> 10) % 40)
                            .sigma(1 + (a >> 4) % 3, 1).draw(a ^ b);
                    AttentionOutput expect = problem.output(n <= 64);
                    AttentionOutput actual = problem.output(n <= 64);
                    problem.attend(REF, spec, expect);
                    problem.attend(AttentionKernels.fused(config), spec, actual);
                    Agreement.check(config + " " + spec + " n=" + n + " d=" + d, spec, problem, expect, actual,
                            config.blockKeys());
                });
    }

    @Test
    void causalRowDoesNotDependOnLaterKeys() {
        int n = 100;
        int d = 32;
        RandomProblem problem = RandomProblem.of(n, d).draw(13);
        AttentionSpec spec = AttentionSpec.dot().withMask(Mask.causal()).withPositions(Positions.rope(10000));
        for (FusedKernel kernel : List.of(AttentionKernels.fused(new Config(1, 24, 32, QkTile.R8C3, true, true)),
                AttentionKernels.fusedScalar(1))) {
            AttentionOutput base = problem.run(kernel, spec);
            int cut = 41;
            float[] k2 = problem.k().clone();
            float[] v2 = problem.v().clone();
            for (int t = (cut + 1) * d; t < n * d; t++) {
                k2[t] += 3f;
                v2[t] -= 5f;
            }
            AttentionOutput changed = AttentionOutput.allocate(n, d, false);
            kernel.attend(spec, problem.q(), k2, v2, n, d, d, changed);
            for (int i = 0; i <= cut; i++) {
                for (int c = 0; c < d; c++) {
                    assertEquals(base.o()[i * d + c], changed.o()[i * d + c], kernel.name() + " row " + i);
                }
                assertEquals(base.entropy()[i], changed.entropy()[i]);
            }
            assertFalse(base.o()[(n - 1) * d] == changed.o()[(n - 1) * d], "later rows do change");
        }
    }

    @Test
    void ropeEntropyIsShiftInvariantInsideAWindow() {
        int n = 200;
        int d = 64;
        int w = 10;
        RandomProblem problem = RandomProblem.of(n, d).sigma(2).repeatedRows().draw(14);
        AttentionSpec spec = AttentionSpec.dot().withMask(Mask.window(w)).withPositions(Positions.rope(10000));
        AttentionOutput out = problem.run(AttentionKernels.fused(1), spec);
        // Rows away from the edges see offsets -w..w: same logits, same entropy and logsumexp.
        double tol = 2 * Agreement.gamma(d + 3) * 4 * 4 / Math.sqrt(d) * (1 + 2 * w);
        for (int i = w; i < n - w; i++) {
            assertEquals(out.entropy()[w], out.entropy()[i], tol, "row " + i);
            assertEquals(out.logSumExp()[w], out.logSumExp()[i], tol, "row " + i);
        }
        // Without a position scheme the windowed entropies are equal as well; with ALiBi too. With PI at
        // the train length they change, so this is not vacuous: compare a row of rope against none.
        AttentionOutput none = problem.run(AttentionKernels.fused(1), spec.withPositions(Positions.none()));
        assertTrue(Math.abs(none.entropy()[50] - out.entropy()[50]) > 1e-3);
    }

    @Test
    void fullyMaskedRowsAreZeroInBothKernels() {
        int n = 20;
        int d = 16;
        RandomProblem problem = RandomProblem.of(n, d).draw(15);
        for (AttentionKernel kernel : List.of(REF, AttentionKernels.fused(1), AttentionKernels.fusedScalar(2))) {
            AttentionOutput out = AttentionOutput.allocate(n, d, true, List.of(new KeyRange(0, 5)));
            problem.attend(kernel, AttentionSpec.dot().withMask(Mask.prefix(0)), out);
            for (int i = 0; i < n; i++) {
                assertEquals(0f, out.entropy()[i]);
                assertEquals(Float.NEGATIVE_INFINITY, out.logSumExp()[i]);
                assertEquals(0f, out.mass()[i]);
                for (int c = 0; c < d; c++) {
                    assertEquals(0f, out.o()[i * d + c]);
                }
                for (int j = 0; j < n; j++) {
                    assertEquals(0f, out.probs()[i * n + j]);
                }
            }
        }
    }

    @Test
    void extremeScalesStayFinite() {
        int n = 300;
        int d = 64;
        RandomProblem problem = RandomProblem.of(n, d).draw(16);
        for (AttentionSpec spec : List.of(AttentionSpec.cosine(1e4), AttentionSpec.cosine(1e4).withMask(Mask.causal()),
                AttentionSpec.cosine(1e4).withPositions(Positions.rope(10000)),
                AttentionSpec.dot().withTemperature(filled(n, 1e4f)))) {
            AttentionOutput expect = problem.run(REF, spec);
            for (FusedKernel kernel : List.of(AttentionKernels.fused(1), AttentionKernels.fusedScalar(1))) {
                AttentionOutput out = problem.run(kernel, spec);
                for (int i = 0; i < n; i++) {
                    assertTrue(Float.isFinite(out.entropy()[i]) && out.entropy()[i] >= 0, "entropy row " + i);
                    assertTrue(Float.isFinite(out.logSumExp()[i]), "lse row " + i);
                    for (int c = 0; c < d; c++) {
                        assertTrue(Float.isFinite(out.o()[i * d + c]));
                    }
                }
                Agreement.check(kernel.name() + " " + spec, spec, problem, expect, out, kernel.config().blockKeys());
            }
        }
    }

    @Test
    void entropyCanBeSwitchedOffAndInputsAreNotModified() {
        RandomProblem problem = RandomProblem.of(50, 32).draw(17);
        float[] q0 = problem.q().clone();
        float[] k0 = problem.k().clone();
        float[] v0 = problem.v().clone();
        AttentionSpec spec = AttentionSpec.cosine(20).withPositions(Positions.yarn(10000, 8));
        AttentionOutput with = problem.run(AttentionKernels.fused(1), spec);
        AttentionOutput without = problem.run(AttentionKernels.fused(Config.defaults(1).withEntropy(false)), spec);
        assertArrayEquals(with.o(), without.o());
        assertTrue(Float.isNaN(without.entropy()[3]));
        assertArrayEquals(q0, problem.q());
        assertArrayEquals(k0, problem.k());
        assertArrayEquals(v0, problem.v());
    }

    @Test
    void badInputIsRejectedByTheFusedKernel() {
        float[] q = new float[8];
        q[5] = Float.NaN;
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> AttentionKernels.fused(1)
                .attend(AttentionSpec.dot(), q, new float[8], new float[8], 2, 4, 4, AttentionOutput.allocate(2, 4, false)));
        assertTrue(e.getMessage().contains("q[5]"), e.getMessage());
        assertThrows(IllegalArgumentException.class, () -> new Config(1, 8, 16, QkTile.R4C4, true, true));
        assertThrows(IllegalArgumentException.class, () -> new Config(1, 12, 16, QkTile.R8C3, true, true));
        assertThrows(IllegalArgumentException.class, () -> new Config(0, 12, 16, QkTile.R4C4, true, true));
    }

    /**
     * q, k and v are scanned by the fused kernel's preparation (not by Checks.call): the first bad value of q, else
     * of k, else of v, is named, in the plain path and the general (rotary) one, and the output is not touched.
     */
    @Test
    void aNonFiniteInputIsNamedBeforeAnyOutputIsWritten() {
        // n spans four preparation chunks (FusedKernel.PREPARE_ROWS), which two threads prepare in any order: the
        // first bad value of q, then k, then v is named even when an array named later has one in an earlier chunk.
        int n = 200;
        int d = 8;
        RandomProblem problem = RandomProblem.of(n, d).draw(81);
        List<AttentionSpec> specs = List.of(AttentionSpec.dot(),
                AttentionSpec.dot().withPositions(Positions.rope(10000)).withMask(Mask.causal()));
        List<String> names = List.of("q", "k", "v");
        for (FusedKernel kernel : List.of(AttentionKernels.fused(1), AttentionKernels.fused(2),
                AttentionKernels.fusedScalar(2))) {
            for (AttentionSpec spec : specs) {
                for (String name : names) {
                    float[] q = problem.q().clone();
                    float[] k = problem.k().clone();
                    float[] v = problem.v().clone();
                    float[][] arrays = {q, k, v};
                    float[] bad = arrays[names.indexOf(name)];
                    bad[190 * d + 3] = Float.POSITIVE_INFINITY;
                    bad[150 * d + 5] = Float.NaN;
                    for (int later = names.indexOf(name) + 1; later < names.size(); later++) {
                        arrays[later][2] = Float.NaN; // named only when the arrays before it are clean
                    }
                    AttentionOutput out = AttentionOutput.allocate(n, d, false);
                    Arrays.fill(out.o(), 7f);
                    IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                            () -> kernel.attend(spec, q, k, v, n, d, d, out));
                    assertEquals(name + "[" + (150 * d + 5) + "] is NaN (must be finite)", e.getMessage(),
                            kernel.name() + " " + spec);
                    for (float o : out.o()) {
                        assertEquals(7f, o, kernel.name() + " " + spec + ": output written before the error");
                    }
                }
            }
        }
    }

    @Test
    void simdPathIsUsedWhenTheModuleIsPresent() {
        boolean present = ModuleLayer.boot().findModule("jdk.incubator.vector").isPresent();
        assertEquals(present, AttentionKernels.simdAvailable());
        assertEquals(present, AttentionKernels.fused(1).usesSimd());
        assertFalse(AttentionKernels.fusedScalar(1).usesSimd());
    }

    private static float[] filled(int n, float x) {
        float[] a = new float[n];
        java.util.Arrays.fill(a, x);
        return a;
    }
}
