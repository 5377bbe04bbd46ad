package org.isentropic.kernels.fused;

import org.isentropic.kernels.spec.AttentionOutput;
import org.isentropic.kernels.spec.AttentionSpec;
import org.isentropic.kernels.spec.Checks;
import org.isentropic.kernels.spec.LogitGeometry;
import org.isentropic.kernels.spec.Mask;
import org.isentropic.kernels.spec.TemperatureSolving;

/**
 * The reusable arrays of {@link FusedKernel}: per call, the prepared queries and packed keys (grown, never
 * shrunk) and the call's state; per worker, the {@link Scratch} of one query block. A steady-state call
 * (same spec, n and d) allocates nothing here. Symbols: n tokens, head dimension d, value width dv padded
 * to dvp (a multiple of the vector lanes L), npadQ = n rounded up to a multiple of 24 (every row unit),
 * npadK = n rounded up to L, W the cap window of capped rotary schemes ("inside": |i - j| &lt; W).
 * Logits are in base-2 units: log2(e) is folded into the queries (docs/performance.md,
 * section 2).
 */
final class FusedWorkspace {

    // [npadQ x d] query rows: normalised (cosine), rotated at their own position, times the row factor,
    // the content scale and log2(e); rows n .. npadQ - 1 are zero.
    float[] queriesInside = new float[0];
    // [npadQ x d] capped schemes only: the same rows rotated at W - 1 (the pairs outside the cap window).
    float[] queriesOutside = new float[0];
    // [npadK / L panels x d x L] keys rotated at their own position, packed in transposed panels:
    // keysInside[(j / L) * d * L + c * L + j % L]; padded keys are zero.
    float[] keysInside = new float[0];
    // [npadK / L panels x d x L] capped schemes only: the keys unrotated, same packing.
    float[] keysOutside = new float[0];
    // [n x dvp] the values with rows padded to dvp (only when dv is not a multiple of L).
    float[] valuesPadded = new float[0];
    // [npadQ] each query row's ALiBi slope times its row factor and log2(e).
    float[] rowSlopes = new float[0];
    // [n] each row's final running max (base 2), kept only when the probabilities are requested.
    float[] finalRowMax = new float[0];
    // [n] each row's final sum of weights 2^(t - m), kept only when the probabilities are requested.
    float[] finalWeightSum = new float[0];
    /** One scratch per worker (shared between the heads of a {@link MultiHeadKernel}). */
    final Scratch[] scratch;
    /** Row preparation buffers per worker of this workspace's calls (one for a head of a {@link MultiHeadKernel}). */
    final RowBuffers[] rowBuffers;
    /** The workers of this workspace's calls (null when a {@link MultiHeadKernel} schedules the blocks). */
    final ParallelFor workers;
    /** The loop body that runs query block {@code index} of the current call on worker {@code worker}. */
    ParallelFor.Body blockBody;
    /** The loop body that prepares the rows of chunk {@code index} of the current call (FusedKernel.prepareRows). */
    ParallelFor.Body prepareBody;
    /** The loop body that solves the rows of query block {@code index} ({@link FusedKernel#solveTemperatures}). */
    ParallelFor.Body solveBody;
    /** The n x 1 output and the n zero values a temperature solve prepares its call with (never written). */
    AttentionOutput solveOutput;
    float[] solveValues;
    final Call call = new Call();
    /** The geometry of the last call, re-targeted when only n changes, rebuilt when spec or d change. */
    LogitGeometry geometry;

    /** A workspace with its own scratch per worker and its own workers. */
    FusedWorkspace(int threads) {
        scratch = new Scratch[threads];
        rowBuffers = new RowBuffers[threads];
        for (int t = 0; t < threads; t++) {
            scratch[t] = new Scratch();
            rowBuffers[t] = new RowBuffers();
        }
        workers = new ParallelFor(threads);
    }

    /** A workspace whose per-worker scratch is shared with others ({@link MultiHeadKernel}: one per head). */
    FusedWorkspace(Scratch[] shared) {
        scratch = shared;
        rowBuffers = new RowBuffers[] {new RowBuffers()};
        workers = null;
    }

    LogitGeometry geometry(AttentionSpec spec, int n, int d) {
        LogitGeometry g = geometry;
        if (g == null || g.spec != spec || g.d != d) {
            g = new LogitGeometry(spec, n, d);
            geometry = g;
        } else {
            g.resize(n);
        }
        return g;
    }

    static int[] grow(int[] a, int size) {
        return a.length >= size ? a : new int[size];
    }

    static float[] grow(float[] a, int size) {
        return a.length >= size ? a : new float[size];
    }

    static double[] grow(double[] a, int size) {
        return a.length >= size ? a : new double[size];
    }

    /** Per-worker arrays of one query block (blockRows query rows against one key tile of blockKeys keys). */
    static final class Scratch {
        // [blockRows x blockKeys] the tile's scores t (base-2 logits), replaced in place by the weights 2^(t - m).
        float[] scores = new float[0];
        // [blockRows x blockKeys] capped schemes only: the outside-window scores of the tile.
        float[] scoresOutside = new float[0];
        // [blockRows x dvp] each row's output accumulator sum_j 2^(t_j - m) v_j (unnormalised).
        float[] output = new float[0];
        // [blockRows] each row's running max m of the scores seen so far.
        float[] rowMax = new float[0];
        // [blockRows x L] each row's sum of weights l = sum_j 2^(t_j - m), as L lane partial sums (TileOps.softmax;
        // l is their sum, TileOps.laneSum).
        float[] weightSums = new float[0];
        // [blockRows x L] each row's weighted logit sum u = sum_j 2^(t_j - m) (t_j - m), as L lane partial sums.
        float[] weightedLogitSums = new float[0];
        // [blockRows] the factor 2^(m_old - m_new) of the last tile, by which the output row is rescaled.
        float[] rescale = new float[0];
        // [blockRows x key ranges] each row's running weight on each requested key range.
        float[] rangeMass = new float[0];
        // [blockRows x n rounded up to whole tiles] temperature solves only: the block's masked scores at factor 1.
        float[] logitCache = new float[0];
        // the key tiles of the block held in logitCache (their first keys), in order.
        int[] cachedTiles = new int[0];
        /** Temperature solves only: the curve of one row of logitCache. */
        CachedRowCurve curve;
        /** The mask of the worker's current block, tile by tile (with the visible columns of each row group). */
        final TileMask tileMask = new TileMask();
    }

    /**
     * One worker's buffers for preparing query and key rows: a row in double precision and the rotators of the
     * call's frequencies (one per worker of a {@link FusedKernel}'s own workspace; one per head of a
     * {@link MultiHeadKernel}, whose heads are each prepared by one worker).
     */
    static final class RowBuffers {
        // [d] one query or key row in double precision, rotated in place.
        double[] inside = new double[0];
        // [d] the outside-window copy of a query row.
        double[] outside = new double[0];
        // [d] the halves-layout permutation of outside (rerope-reference).
        double[] layoutTemp = new double[0];
        /** Rotator of the inside query and key rows for the current geometry's frequencies. */
        Rotator rotator;
        /** Rotator of the outside query rows (seeked to position W - 1). */
        Rotator capRotator;

        /** Sizes the rows for d and fits the rotators to g's frequencies (kept while they match). */
        void fit(LogitGeometry g, int d) {
            inside = grow(inside, d);
            outside = grow(outside, d);
            layoutTemp = grow(layoutTemp, d);
            if (g.rotary && (rotator == null || rotator.theta() != g.theta()
                    || rotator.positionScale() != g.positionScale() || rotator.dimension() != d
                    || rotator.halfSplit() != g.half)) {
                rotator = new Rotator(d, g.theta(), g.positionScale(), g.half);
                capRotator = new Rotator(d, g.theta(), g.positionScale(), g.half);
            }
        }
    }

    /** Everything a worker needs for one call (immutable during the call). */
    static final class Call {
        AttentionSpec spec;
        Mask mask;
        LogitGeometry geometry;
        int n;
        int d;
        int dv;
        /** dv padded to a multiple of the vector lanes: the output accumulators' row stride. */
        int paddedDv;
        /** The row stride of {@link #values}. */
        int valueStride;
        /** The values the tiles read: the caller's v, or {@link FusedWorkspace#valuesPadded}. */
        float[] values;
        /** The row of {@code values} holding key 0 (a head's slice of a multi-head array; 0 otherwise). */
        int valueRow0;
        /** The caller's q, k and v, and the rows holding the head's row 0 (a head's slice of a multi-head array). */
        float[] q;
        float[] k;
        float[] v;
        int qRow0;
        int kRow0;
        int vRow0;
        /** Whether the preparation scans q, k and v for NaN and infinity (not when the caller has). */
        boolean scanInputs;
        /**
         * Set by a preparation chunk whose rows of q, k or v hold a NaN or infinity (written by any worker, read by
         * the caller after the workers are done): the caller then names the first ({@link Checks#call}).
         */
        boolean nonFiniteInput;
        /** Chunks of {@link FusedKernel#PREPARE_ROWS} rows the preparation is cut into. */
        int chunks;
        AttentionOutput out;
        /** How many key ranges the output accumulates mass for. */
        int rangeCount;
        /**
         * Query blocks: block b is rows {@link #blockStart}(b) .. blockStart(b + 1) - 1, whole row units of
         * {@code unit} rows (the last unit may be short), the units shared out as evenly as they go.
         */
        int blocks;
        /** Rows per unit (FusedKernel.Config.rowUnit) and the call's units, ceil(n / unit). */
        int unit;
        int units;
        /**
         * Set by a block whose rows include one with visible keys and a non-finite result (written by any worker,
         * read by the caller after the workers are done): the caller then looks for the first such row.
         */
        boolean nonFiniteRow;
        /** The solver of a temperature solve ({@link FusedKernel#solveTemperatures}), else null. */
        TemperatureSolving.RowSolver rowSolver;

        /** The first row of block b, or n for b = blocks. */
        int blockStart(int b) {
            return Math.min(n, (int) ((long) b * units / blocks) * unit);
        }

        /** Drops the references to the caller's arrays once the call is over. */
        void clear() {
            spec = null;
            mask = null;
            geometry = null;
            values = null;
            q = null;
            k = null;
            v = null;
            out = null;
            rowSolver = null;
        }
    }
}
