package org.isentropic.benchmarks.attention;

import java.util.Arrays;
import org.isentropic.benchmarks.Workloads;
import org.isentropic.benchmarks.baseline.OpenBlasMaterialisedAttention;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.TearDown;

/**
 * The OpenBLAS peer ({@link OpenBlasMaterialisedAttention}): attention materialised by sgemm in row
 * blocks, dot-product logits, entropy included. OpenBLAS takes its thread count from the fork's
 * environment ({@code OPENBLAS_NUM_THREADS}, which the bench runner sets to {@code threads}); setup refuses
 * to measure when the library runs another number of threads, then checks the result against the reference
 * kernel (at n = {@value #CHECK_N} when n is larger).
 */
public class OpenBlasBenchmark extends MaskedBenchmark {

    /** Query heads; with more than 1, each head attends over its group's keys and values (one sgemm pair per head). */
    @Param({"1"})
    public int heads;

    @Param({"1"})
    public int kvHeads;

    private AttentionCase problem;
    private MultiHeadInputs multi;
    private OpenBlasMaterialisedAttention peer;
    private float[] rowScale;
    private float[] o;       // [heads, n, dv]
    private float[] entropy; // [heads, n]

    @Setup(Level.Trial)
    public void setup() {
        int blas = OpenBlasMaterialisedAttention.blasThreads();
        if (blas != threads) {
            throw new IllegalStateException(OpenBlasMaterialisedAttention.version() + ": OPENBLAS_NUM_THREADS is "
                    + (blas < 0 ? "not set" : blas) + " but the case asks for " + threads + " thread(s): set"
                    + " OPENBLAS_NUM_THREADS=" + threads + " in the fork's environment (isentropic bench does)");
        }
        problem = dotProblem();
        rowScale = problem.rowScale();
        if (heads > 1 || kvHeads > 1) {
            multi = new MultiHeadInputs(heads, kvHeads, n, d, seed());
            MultiHeadInputs check = multi.forCheck(Math.min(n, CHECK_N), seed() + 1);
            try (OpenBlasMaterialisedAttention small = OpenBlasMaterialisedAttention.create(check.n, d, d, threads)) {
                float[] co = new float[check.heads * check.n * d];
                float[] ce = new float[check.heads * check.n];
                attendHeads(small, check, check.head(0, mask).rowScale(), co, ce);
                for (int h = 0; h < check.heads; h++) {
                    Agreement.check("OpenBLAS materialised head " + h, check.head(h, mask),
                            Arrays.copyOfRange(co, h * check.n * d, (h + 1) * check.n * d),
                            Arrays.copyOfRange(ce, h * check.n, (h + 1) * check.n));
                }
            }
            problem = null;
        } else {
            AttentionCase check = atCheckSize(problem);
            try (OpenBlasMaterialisedAttention small = OpenBlasMaterialisedAttention.create(check.n(), d, check.dv(),
                    threads)) {
                Agreement.check("OpenBLAS materialised", check,
                        (c, co, ce) -> small.attend(c.q(), c.k(), c.v(), c.rowScale(), c.mask(), co, ce));
            }
        }
        peer = OpenBlasMaterialisedAttention.create(n, d, d, threads);
        o = new float[heads * n * d];
        entropy = new float[heads * n];
    }

    /** Every query head of in, one after the other, over its group's keys and values. */
    private void attendHeads(OpenBlasMaterialisedAttention blas, MultiHeadInputs in, float[] scale, float[] out,
                             float[] rowEntropy) {
        int size = in.n * in.d;
        for (int h = 0; h < in.heads; h++) {
            int g = in.group(h);
            blas.attend(in.q, h * size, in.k, g * size, in.v, g * size, scale, Workloads.mask(mask), out, h * size,
                    rowEntropy, h * in.n);
        }
    }

    @TearDown(Level.Trial)
    public void close() {
        peer.close();
    }

    @Benchmark
    public float[] attend() {
        if (multi != null) {
            attendHeads(peer, multi, rowScale, o, entropy);
        } else {
            peer.attend(problem.q(), problem.k(), problem.v(), rowScale, problem.mask(), o, entropy);
        }
        return o;
    }
}
