package org.isentropic.kernels;

import java.util.Arrays;
import java.util.SplittableRandom;
import org.isentropic.kernels.spec.AttentionKernel;
import org.isentropic.kernels.spec.AttentionOutput;
import org.isentropic.kernels.spec.AttentionSpec;

/**
 * The seeded random attention problem the kernel tests start from: {@code q} of {@code heads * n} rows,
 * {@code k} of {@code kvHeads * n} rows (d columns each) and {@code v} of {@code kvHeads * n} rows of dv
 * columns, row-major ({@code q[i * d + c]}; a multi-head test reads the rows as {@code [heads, n, d]}, a
 * multi-head decode test as {@code [n, heads, d]}). Every entry is drawn by {@link RandomTensors#normal}, in
 * the order q, k, v from one generator: q and k with standard deviation {@code sigma} (1 unless set), v with
 * 1 ({@link Builder#repeatedRows} draws one row of q and one of k and repeats them). With one head, {@code RandomProblem.of(n, d).dv(dv).draw(salt)} draws exactly what
 * <pre>
 *   SplittableRandom r = RandomTensors.rng(salt);
 *   q = RandomTensors.normal(r, n * d, 1); k = RandomTensors.normal(r, n * d, 1); v = RandomTensors.normal(r, n * dv, 1);
 * </pre>
 * does, so the seed of the suite (property isentropic.seed, {@link RandomTensors#SEED}) fixes it.
 *
 * @param heads   query heads (1 for single-head attention)
 * @param kvHeads key/value heads (1 for single-head attention)
 * @param n       rows per head
 * @param d       columns of q and k
 * @param dv      columns of v
 */
public record RandomProblem(int heads, int kvHeads, int n, int d, int dv, float[] q, float[] k, float[] v) {

    /** A problem of n rows with d columns of q and k (and, unless {@link Builder#dv} says otherwise, of v). */
    public static Builder of(int n, int d) {
        return new Builder(n, d);
    }

    /** A fresh output of n rows of dv, with the probabilities when {@code probs} (small n only). */
    public AttentionOutput output(boolean probs) {
        return AttentionOutput.allocate(n, dv, probs);
    }

    /** Runs {@code kernel} on the single-head problem into {@code out}. */
    public void attend(AttentionKernel kernel, AttentionSpec spec, AttentionOutput out) {
        kernel.attend(spec, q, k, v, n, d, dv, out);
    }

    /** Runs {@code kernel} on the single-head problem into a fresh output without probabilities. */
    public AttentionOutput run(AttentionKernel kernel, AttentionSpec spec) {
        AttentionOutput out = output(false);
        attend(kernel, spec, out);
        return out;
    }

    /** Row i of q (a query of d values: what a decode step attends with). */
    public float[] qRow(int i) {
        return Arrays.copyOfRange(q, i * d, (i + 1) * d);
    }

    /** Row j of k. */
    public float[] kRow(int j) {
        return Arrays.copyOfRange(k, j * d, (j + 1) * d);
    }

    /** Head h's rows of q read as {@code [heads, n, d]}. */
    public float[] qHead(int h) {
        return Arrays.copyOfRange(q, h * n * d, (h + 1) * n * d);
    }

    /** KV head g's rows of k read as {@code [kvHeads, n, d]}. */
    public float[] kHead(int g) {
        return Arrays.copyOfRange(k, g * n * d, (g + 1) * n * d);
    }

    /** KV head g's rows of v read as {@code [kvHeads, n, dv]}. */
    public float[] vHead(int g) {
        return Arrays.copyOfRange(v, g * n * dv, (g + 1) * n * dv);
    }

    /** The shape and the spread of a problem; {@link #draw} makes one. */
    public static final class Builder {

        private final int n;
        private final int d;
        private int dv;
        private int heads = 1;
        private int kvHeads = 1;
        private double qSigma = 1;
        private double kSigma = 1;
        private boolean repeatedRows;

        private Builder(int n, int d) {
            this.n = n;
            this.d = d;
            this.dv = d;
        }

        /** Columns of v (default d). */
        public Builder dv(int dv) {
            this.dv = dv;
            return this;
        }

        /** Query heads and key/value heads (default 1 and 1). */
        public Builder heads(int heads, int kvHeads) {
            this.heads = heads;
            this.kvHeads = kvHeads;
            return this;
        }

        /** The standard deviation of q's and k's entries (default 1): larger logits, sharper rows. */
        public Builder sigma(double qAndK) {
            return sigma(qAndK, qAndK);
        }

        /** The standard deviations of q's and of k's entries (default 1 and 1). */
        public Builder sigma(double q, double k) {
            this.qSigma = q;
            this.kSigma = k;
            return this;
        }

        /**
         * One random query row and one random key row, each repeated on every row (v stays random): every logit
         * is the same but for the positions, so what a position scheme adds is all that varies.
         */
        public Builder repeatedRows() {
            this.repeatedRows = true;
            return this;
        }

        /** Draws the problem from {@code RandomTensors.rng(salt)}. */
        public RandomProblem draw(long salt) {
            return draw(RandomTensors.rng(salt));
        }

        /** Draws the problem from {@code r} (a test that draws several problems in turn from one generator). */
        public RandomProblem draw(SplittableRandom r) {
            float[] q = repeatedRows ? RandomTensors.repeat(RandomTensors.normal(r, d, qSigma), heads * n)
                    : RandomTensors.normal(r, heads * n * d, qSigma);
            float[] k = repeatedRows ? RandomTensors.repeat(RandomTensors.normal(r, d, kSigma), kvHeads * n)
                    : RandomTensors.normal(r, kvHeads * n * d, kSigma);
            float[] v = RandomTensors.normal(r, kvHeads * n * dv, 1);
            return new RandomProblem(heads, kvHeads, n, d, dv, q, k, v);
        }
    }
}
