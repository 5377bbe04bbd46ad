package org.isentropic.figures.report;

import java.util.Arrays;

/**
 * How much work each figure does: the lengths it sweeps and its Monte Carlo sample counts. Three named
 * budgets: {@link #full()} (the report), {@link #quick()} (under two minutes, CI) and {@link #tiny()}
 * (unit tests). Statistical figures report their standard errors, so a smaller budget gives wider error
 * bars, never different definitions.
 *
 * @param name              budget name, written into the provenance
 * @param trainLength       N, the training length (the paper's 64)
 * @param maxLength         largest length swept (the paper's 4096 = 64 N); lengths are N, 2N, ..., maxLength
 * @param headDim           d, the per-head query/key dimension (the paper's 128)
 * @param samples           Monte Carlo samples per point of the theory's estimators and solvers
 * @param kernelRepetitions independent draws of (Q, K, V) per point of the kernel-measured figures
 * @param trials            Monte Carlo trials per length for the maximum-cosine figure
 * @param sharpnessPoints   number of base sharpness values in the required-factor figure
 * @param mapSize           sequence length of the attention heat maps
 * @param scalePoints       number of CosScale s values in the entropy and distance curves
 */
public record Budget(String name, int trainLength, int maxLength, int headDim, int samples,
        int kernelRepetitions, int trials, int sharpnessPoints, int mapSize, int scalePoints) {

    public Budget {
        if (trainLength < 2 || maxLength <= trainLength) {
            throw new IllegalArgumentException("need 2 <= trainLength < maxLength, got trainLength=" + trainLength
                    + ", maxLength=" + maxLength);
        }
        if (headDim < 2 || samples < 2 || kernelRepetitions < 2 || trials < 2 || sharpnessPoints < 2
                || mapSize < 8 || scalePoints < 2) {
            throw new IllegalArgumentException("budget '" + name + "' has a size below its minimum: " + this);
        }
    }

    /** The full report: N = 64, d = 128, lengths to 4096 (64x), as in the paper. */
    public static Budget full() {
        return new Budget("full", 64, 4096, 128, 6000, 32, 1000, 12, 96, 21);
    }

    /** The same figures with fewer samples: under two minutes on 2 cores. */
    public static Budget quick() {
        return new Budget("quick", 64, 4096, 128, 500, 4, 60, 6, 64, 11);
    }

    /** For unit tests: short lengths, few samples, same code paths. */
    public static Budget tiny() {
        return new Budget("tiny", 16, 128, 16, 60, 2, 12, 3, 16, 3);
    }

    /** N, 2N, 4N, ..., up to and including maxLength when it is N times a power of two. */
    public int[] lengths() {
        int count = 0;
        for (long n = trainLength; n <= maxLength; n *= 2) {
            count++;
        }
        int[] out = new int[count];
        long n = trainLength;
        for (int i = 0; i < count; i++, n *= 2) {
            out[i] = (int) n;
        }
        return out;
    }

    @Override
    public String toString() {
        return name + " (N=" + trainLength + ", lengths " + Arrays.toString(lengths()) + ", d=" + headDim
                + ", samples=" + samples + ", kernel repetitions=" + kernelRepetitions + ", trials=" + trials
                + ", sharpness points=" + sharpnessPoints + ", map size=" + mapSize + ", s points=" + scalePoints + ")";
    }
}
