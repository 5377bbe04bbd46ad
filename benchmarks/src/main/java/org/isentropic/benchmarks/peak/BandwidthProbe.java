package org.isentropic.benchmarks.peak;

import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorOperators;
import jdk.incubator.vector.VectorSpecies;

/**
 * The machine's memory read bandwidth, measured STREAM-style so that a memory-bound kernel (the decode step)
 * can be stated as a fraction of what the machine streams: a vectorised sum over an array of
 * {@value #FLOATS_PER_THREAD} floats (128 MiB, far larger than any cache level) per thread, with four
 * independent accumulators so that the adds never limit the loads. One call reads {@link #BYTES_PER_CALL}
 * bytes; GB/s = calls per second x bytes per call / 1e9 (summed over threads).
 */
public final class BandwidthProbe {

    /** Floats each thread reads per call: 2^25 (128 MiB). */
    public static final int FLOATS_PER_THREAD = 1 << 25;

    /** Bytes one call reads. */
    public static final double BYTES_PER_CALL = 4.0 * FLOATS_PER_THREAD;

    private static final VectorSpecies<Float> S = FloatVector.SPECIES_PREFERRED;

    private BandwidthProbe() {
    }

    /** An array of the probe's size with small non-zero values (touched, so its pages exist). */
    public static float[] array(int seed) {
        float[] a = new float[FLOATS_PER_THREAD];
        for (int i = 0; i < a.length; i++) {
            a[i] = ((i * 31 + seed) & 1023) * 1e-3f;
        }
        return a;
    }

    /** The sum of a (read once, in order). */
    public static float sum(float[] a) {
        int l = S.length();
        FloatVector s0 = FloatVector.zero(S);
        FloatVector s1 = s0;
        FloatVector s2 = s0;
        FloatVector s3 = s0;
        int i = 0;
        for (; i + 4 * l <= a.length; i += 4 * l) {
            s0 = s0.add(FloatVector.fromArray(S, a, i));
            s1 = s1.add(FloatVector.fromArray(S, a, i + l));
            s2 = s2.add(FloatVector.fromArray(S, a, i + 2 * l));
            s3 = s3.add(FloatVector.fromArray(S, a, i + 3 * l));
        }
        float total = s0.add(s1).add(s2.add(s3)).reduceLanes(VectorOperators.ADD);
        for (; i < a.length; i++) {
            total += a[i];
        }
        return total;
    }
}
