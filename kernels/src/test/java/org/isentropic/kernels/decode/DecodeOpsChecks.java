package org.isentropic.kernels.decode;

import static org.isentropic.kernels.OpErrorBounds.UNDERFLOW;
import static org.isentropic.kernels.OpErrorBounds.gamma;
import static org.isentropic.kernels.OpErrorBounds.gammaDouble;
import static org.isentropic.kernels.OpInputs.failure;
import static org.isentropic.kernels.OpInputs.fill;
import static org.isentropic.kernels.OpInputs.sameBits;
import static org.isentropic.kernels.OpInputs.sentinels;
import static org.isentropic.kernels.OpInputs.unchanged;
import static org.isentropic.kernels.OpInputs.untouched;
import static org.isentropic.kernels.OpInputs.within;

import java.util.Arrays;
import java.util.Locale;
import java.util.SplittableRandom;
import org.isentropic.kernels.OpErrorBounds;
import org.isentropic.kernels.OpInputs;
import org.isentropic.kernels.OpInputs.Kind;

/**
 * Each {@link DecodeOps} operation of one provider against plain scalar twins written here: where the
 * interface fixes the order of the additions (a score's four partial sums over c mod 4 combined as
 * (a0 + a1) + (a2 + a3); P.V one fused multiply-add per key in key order) a float twin of that order, which
 * every provider must match bit for bit, and always a double twin with the bounds of {@link OpErrorBounds}.
 * Inputs as in {@code TileOpsChecks} (fused): head dimensions and panel and key counts that are not multiples of 4
 * or of the vector width, single ones and none, large, subnormal and underflowing values, -infinity (masked)
 * scores, offsets, and sentinels around every region.
 */
final class DecodeOpsChecks {

    private DecodeOpsChecks() {
    }

    static void lanes(DecodeOps ops, int expected) {
        if (ops.lanes() != expected) {
            throw failure(ops.getClass().getSimpleName() + ".lanes() = " + ops.lanes() + ", expected " + expected);
        }
    }

    // ---------------------------------------------------------------- scores

    /** The documented order bit for bit, and within gamma(d) sum |q_c k_c| (+ d underflows) of the exact dot. */
    static void scores(DecodeOps ops) {
        SplittableRandom r = OpInputs.rng("DecodeOps.scores");
        Kind[] kinds = Kind.values();
        int round = 0;
        for (int d : new int[] {1, 2, 3, 4, 5, 7, 8, 64, 129}) {
            for (int count : new int[] {0, 1, 2, 3, 5}) {
                scoresCase(ops, d, r.nextInt(3), count, kinds[round++ % kinds.length], r);
            }
        }
    }

    private static void scoresCase(DecodeOps ops, int d, int p0, int count, Kind kind, SplittableRandom r) {
        int lanes = ops.lanes();
        int panelSize = d * lanes;
        float[] kp = sentinels((p0 + count + 1) * panelSize);
        fill(kp, p0 * panelSize, count * panelSize, r, kind);
        float[] q = sentinels(d + 1);
        fill(q, 0, d, r, kind);
        int sOff = r.nextInt(4);
        float[] s = sentinels(sOff + count * lanes + lanes);
        float[] kp0 = kp.clone();
        float[] q0 = q.clone();
        float[] s0 = s.clone();
        ops.scores(q, d, kp, p0, p0 + count, s, sOff);
        String label = String.format(Locale.ROOT, "DecodeOps.scores d=%d panels=[%d, %d) %s", d, p0, p0 + count, kind);
        boolean[] written = new boolean[s.length];
        int d4 = d & ~3;
        for (int panel = p0; panel < p0 + count; panel++) {
            for (int lane = 0; lane < lanes; lane++) {
                int base = panel * panelSize + lane;
                float a0 = 0f;
                float a1 = 0f;
                float a2 = 0f;
                float a3 = 0f;
                int c = 0;
                for (; c < d4; c += 4) {
                    a0 = Math.fma(q0[c], kp0[base + c * lanes], a0);
                    a1 = Math.fma(q0[c + 1], kp0[base + (c + 1) * lanes], a1);
                    a2 = Math.fma(q0[c + 2], kp0[base + (c + 2) * lanes], a2);
                    a3 = Math.fma(q0[c + 3], kp0[base + (c + 3) * lanes], a3);
                }
                for (; c < d; c++) {
                    a0 = Math.fma(q0[c], kp0[base + c * lanes], a0);
                }
                double exact = 0;
                double magnitude = 0;
                for (c = 0; c < d; c++) {
                    double term = (double) q0[c] * kp0[base + c * lanes];
                    exact += term;
                    magnitude += Math.abs(term);
                }
                int at = sOff + (panel - p0) * lanes + lane;
                written[at] = true;
                String where = label + " panel " + panel + " lane " + lane;
                within(where, s[at], exact, (gamma(d) + gammaDouble(d)) * magnitude + d * UNDERFLOW);
                sameBits(where, s[at], (a0 + a1) + (a2 + a3));
            }
        }
        untouched(label + " scores", s0, s, written);
        unchanged(label + " query", q0, q);
        unchanged(label + " keys", kp0, kp);
    }

    /**
     * Two queries against the same panels: each query's scores the same bits as the provider's
     * {@link DecodeOps#scores} of that query alone (itself checked against the documented order by
     * {@link #scores}), written where the pair's offsets say, nothing else written.
     */
    static void scoresPair(DecodeOps ops) {
        SplittableRandom r = OpInputs.rng("DecodeOps.scoresPair");
        Kind[] kinds = Kind.values();
        int round = 0;
        for (int d : new int[] {1, 3, 4, 7, 64, 129}) {
            for (int count : new int[] {0, 1, 2, 5}) {
                scoresPairCase(ops, d, r.nextInt(3), count, kinds[round++ % kinds.length], r);
            }
        }
    }

    private static void scoresPairCase(DecodeOps ops, int d, int p0, int count, Kind kind, SplittableRandom r) {
        int lanes = ops.lanes();
        int panelSize = d * lanes;
        float[] kp = sentinels((p0 + count + 1) * panelSize);
        fill(kp, p0 * panelSize, count * panelSize, r, kind);
        float[] qa = sentinels(d + 1);
        fill(qa, 0, d, r, kind);
        float[] qb = sentinels(d + 1);
        fill(qb, 0, d, r, kind);
        int width = count * lanes;
        int sOffA = r.nextInt(4);
        int sOffB = sOffA + width + r.nextInt(4);
        float[] s = sentinels(sOffB + width + lanes);
        float[] kp0 = kp.clone();
        float[] qa0 = qa.clone();
        float[] qb0 = qb.clone();
        float[] s0 = s.clone();
        ops.scoresPair(qa, qb, d, kp, p0, p0 + count, s, sOffA, sOffB);
        float[] aloneA = new float[Math.max(1, width)];
        float[] aloneB = new float[Math.max(1, width)];
        ops.scores(qa0, d, kp0.clone(), p0, p0 + count, aloneA, 0);
        ops.scores(qb0, d, kp0.clone(), p0, p0 + count, aloneB, 0);
        String label = String.format(Locale.ROOT, "DecodeOps.scoresPair d=%d panels=[%d, %d) %s", d, p0, p0 + count,
                kind);
        boolean[] written = new boolean[s.length];
        for (int jj = 0; jj < width; jj++) {
            written[sOffA + jj] = true;
            written[sOffB + jj] = true;
            sameBits(label + " first query, key " + jj, s[sOffA + jj], aloneA[jj]);
            sameBits(label + " second query, key " + jj, s[sOffB + jj], aloneB[jj]);
        }
        untouched(label + " scores", s0, s, written);
        unchanged(label + " first query", qa0, qa);
        unchanged(label + " second query", qb0, qb);
        unchanged(label + " keys", kp0, kp);
    }

    /**
     * Four queries against the same panels: each query's scores the same bits as the provider's
     * {@link DecodeOps#scores} of that query alone, at sOff + i sStride, nothing else written.
     */
    static void scoresQuad(DecodeOps ops) {
        SplittableRandom r = OpInputs.rng("DecodeOps.scoresQuad");
        Kind[] kinds = Kind.values();
        int round = 0;
        for (int d : new int[] {1, 3, 4, 7, 64, 129}) {
            for (int count : new int[] {0, 1, 2, 5}) {
                scoresQuadCase(ops, d, r.nextInt(3), count, kinds[round++ % kinds.length], r);
            }
        }
    }

    private static void scoresQuadCase(DecodeOps ops, int d, int p0, int count, Kind kind, SplittableRandom r) {
        int lanes = ops.lanes();
        int panelSize = d * lanes;
        float[] kp = sentinels((p0 + count + 1) * panelSize);
        fill(kp, p0 * panelSize, count * panelSize, r, kind);
        float[][] q = new float[4][];
        for (int i = 0; i < 4; i++) {
            q[i] = sentinels(d + 1);
            fill(q[i], 0, d, r, kind);
        }
        int width = count * lanes;
        int sOff = r.nextInt(4);
        int sStride = width + r.nextInt(4);
        float[] s = sentinels(sOff + 3 * sStride + width + lanes);
        float[] kp0 = kp.clone();
        float[][] q0 = new float[4][];
        for (int i = 0; i < 4; i++) {
            q0[i] = q[i].clone();
        }
        float[] s0 = s.clone();
        ops.scoresQuad(q[0], q[1], q[2], q[3], d, kp, p0, p0 + count, s, sOff, sStride);
        String label = String.format(Locale.ROOT, "DecodeOps.scoresQuad d=%d panels=[%d, %d) stride=%d %s", d, p0,
                p0 + count, sStride, kind);
        boolean[] written = new boolean[s.length];
        for (int i = 0; i < 4; i++) {
            float[] alone = new float[Math.max(1, width)];
            ops.scores(q0[i], d, kp0.clone(), p0, p0 + count, alone, 0);
            for (int jj = 0; jj < width; jj++) {
                int at = sOff + i * sStride + jj;
                written[at] = true;
                sameBits(label + " query " + i + ", key " + jj, s[at], alone[jj]);
            }
            unchanged(label + " query " + i, q0[i], q[i]);
        }
        untouched(label + " scores", s0, s, written);
        unchanged(label + " keys", kp0, kp);
    }

    // ---------------------------------------------------------------- max

    /** The largest score exactly (-infinity for none or all masked). */
    static void max(DecodeOps ops) {
        SplittableRandom r = OpInputs.rng("DecodeOps.max");
        int lanes = ops.lanes();
        for (int vectors : new int[] {0, 1, 2, 3, 7}) {
            for (int style = 0; style < 7; style++) {
                int from = r.nextInt(4);
                int length = vectors * lanes;
                float[] s = sentinels(from + length + lanes);
                for (int j = from; j < from + length; j++) {
                    switch (style) {
                        case 0: s[j] = OpInputs.value(r, Kind.NORMAL); break;
                        case 1: s[j] = r.nextInt(10) < 3 ? Float.NEGATIVE_INFINITY : OpInputs.value(r, Kind.NORMAL);
                            break;
                        case 2: s[j] = Float.NEGATIVE_INFINITY; break;
                        case 3: s[j] = r.nextBoolean() ? -Float.MAX_VALUE : OpInputs.value(r, Kind.LARGE); break;
                        case 4: s[j] = OpInputs.value(r, Kind.SUBNORMAL); break;
                        case 5: s[j] = r.nextBoolean() ? 0f : -0f; break;
                        default: s[j] = OpInputs.value(r, Kind.MIXED);
                    }
                }
                if (style == 3 && length > 0) {
                    s[from + r.nextInt(length)] = Float.MAX_VALUE;
                }
                float[] s0 = s.clone();
                float m = ops.max(s, from, from + length);
                float expected = Float.NEGATIVE_INFINITY;
                for (int j = from; j < from + length; j++) {
                    if (s0[j] > expected) {
                        expected = s0[j];
                    }
                }
                String label = String.format(Locale.ROOT, "DecodeOps.max [%d, %d) style %d", from, from + length,
                        style);
                if (m != expected) {
                    throw failure(label + ": got " + m + ", expected " + expected);
                }
                unchanged(label + " scores", s0, s);
            }
        }
    }

    // ---------------------------------------------------------------- weights

    /**
     * p = 2^(t - m) within {@link OpErrorBounds#weight} (exactly 0 where t = -infinity), l = sum p within the
     * weights' errors plus gamma(count) of its magnitude, u = sum p (t - m) within theirs plus gamma(count + 1);
     * m is the largest score or above it (the exponent stays in [FLOOR, 0]). t - m is rounded to float by every
     * provider and the twin alike; the scratch array is exactly 2 L floats long.
     */
    static void weights(DecodeOps ops) {
        SplittableRandom r = OpInputs.rng("DecodeOps.weights");
        int lanes = ops.lanes();
        double[] scale = {1, 40, 1e30, 1e-39, 1, 1e17};
        int round = 0;
        for (int vectors : new int[] {0, 1, 2, 5, 11}) {
            for (int style = 0; style < scale.length; style++) {
                for (boolean masked : new boolean[] {false, true}) {
                    weightsCase(ops, vectors * lanes, style, scale[style], masked, round++ % 3 == 0, r);
                }
            }
        }
    }

    private static void weightsCase(DecodeOps ops, int length, int style, double scale, boolean masked,
                                    boolean aboveMax, SplittableRandom r) {
        int from = r.nextInt(4);
        float[] s = sentinels(from + length + ops.lanes());
        float constant = (float) OpInputs.gaussian(r);
        for (int j = from; j < from + length; j++) {
            s[j] = style == 4 ? constant : style == 5 ? OpInputs.value(r, Kind.MIXED)
                    : (float) (OpInputs.gaussian(r) * scale);
            if (masked && r.nextInt(10) < 3) {
                s[j] = Float.NEGATIVE_INFINITY;
            }
        }
        if (length > 0 && masked) {
            s[from + r.nextInt(length)] = constant; // at least one visible key: a split with none is skipped
        }
        float m = Float.NEGATIVE_INFINITY;
        for (int j = from; j < from + length; j++) {
            m = Math.max(m, s[j]);
        }
        if (length == 0) {
            m = 0f;
        } else if (aboveMax) {
            m = (float) (m + Math.abs(OpInputs.gaussian(r)) * (style == 5 ? 1 : scale));
        }
        float[] scratch = sentinels(2 * ops.lanes());
        double[] sums = {Double.NaN, Double.NaN};
        float[] s0 = s.clone();
        ops.weights(s, from, from + length, m, scratch, sums);
        String label = String.format(Locale.ROOT, "DecodeOps.weights [%d, %d) style %d masked=%s m=%s", from,
                from + length, style, masked, m);
        boolean[] written = new boolean[s.length];
        double weights = 0;
        double weightError = 0;
        double logits = 0;
        double logitMagnitude = 0;
        double logitError = 0;
        for (int j = from; j < from + length; j++) {
            written[j] = true;
            float t = s0[j];
            if (t == Float.NEGATIVE_INFINITY) {
                if (s[j] != 0f) {
                    throw failure(label + ": masked score " + j + " has weight " + s[j] + ", expected 0");
                }
                continue;
            }
            float x = t - m;
            double p = Math.pow(2, x);
            double bound = OpErrorBounds.weight(x);
            within(label + " weight " + j + " (t - m = " + x + ")", s[j], p, bound);
            weights += p;
            weightError += bound;
            logits += p * x;
            logitMagnitude += p * Math.abs(x);
            logitError += OpErrorBounds.weightedLogit(x);
        }
        within(label + " l", sums[0], weights,
                weightError + (gamma(length) + gammaDouble(length)) * (weights + weightError));
        within(label + " u", sums[1], logits,
                logitError + (gamma(length + 1) + gammaDouble(length + 1)) * (logitMagnitude + logitError));
        untouched(label + " scores", s0, s, written);
    }

    // ---------------------------------------------------------------- accumulate

    /**
     * acc_c += sum_j s_j v_jc in key order, one fused multiply-add per key, for value rows of 1 to 16 vectors:
     * bit for bit the float twin of that order, and within gamma(keys) (|acc| + sum |s v|) (+ an underflow per key) of the exact sum.
     */
    static void accumulate(DecodeOps ops) {
        SplittableRandom r = OpInputs.rng("DecodeOps.accumulate");
        Kind[] kinds = {Kind.NORMAL, Kind.LARGE, Kind.SUBNORMAL, Kind.MIXED};
        int round = 0;
        for (int keys : new int[] {0, 1, 3, 4, 5, 9, 17}) {
            // Column widths of 1 to 15 vectors: every combination of the SIMD provider's column blocks of
            // 8, 4, 2 and 1 vectors (15 = 8 + 4 + 2 + 1), and more than one block of 8.
            for (int vectors : new int[] {1, 2, 3, 4, 6, 8, 11, 15, 16}) {
                accumulateCase(ops, keys, r.nextBoolean() ? 0 : 5, vectors * ops.lanes(),
                        kinds[round++ % kinds.length], r);
            }
        }
    }

    private static void accumulateCase(DecodeOps ops, int keys, int j0, int dvp, Kind kind, SplittableRandom r) {
        int sOff = r.nextInt(4);
        float[] s = sentinels(sOff + keys + 2);
        for (int j = 0; j < keys; j++) {
            s[sOff + j] = OpInputs.weight(r);
        }
        int vOff = r.nextInt(3) * 7; // a column panel of the cache starts anywhere in its array
        float[] v = sentinels(vOff + (j0 + keys + 1) * dvp);
        fill(v, vOff + j0 * dvp, keys * dvp, r, kind);
        int aOff = r.nextInt(5);
        float[] acc = sentinels(aOff + dvp + ops.lanes());
        fill(acc, aOff, dvp, r, kind == Kind.SUBNORMAL ? Kind.SUBNORMAL : Kind.NORMAL);
        float[] s0 = s.clone();
        float[] v0 = v.clone();
        float[] acc0 = acc.clone();
        ops.accumulate(s, sOff, j0, j0 + keys, v, vOff, dvp, acc, aOff);
        String label = String.format(Locale.ROOT, "DecodeOps.accumulate keys=[%d, %d) vOff=%d dvp=%d %s", j0,
                j0 + keys, vOff, dvp, kind);
        boolean[] written = new boolean[acc.length];
        for (int c = 0; c < dvp; c++) {
            float inOrder = acc0[aOff + c];
            double exact = inOrder;
            double magnitude = Math.abs(inOrder);
            for (int j = j0; j < j0 + keys; j++) {
                float p = s0[sOff + j - j0];
                float value = v0[vOff + j * dvp + c];
                inOrder = Math.fma(p, value, inOrder);
                exact += (double) p * value;
                magnitude += Math.abs((double) p * value);
            }
            written[aOff + c] = true;
            String where = label + " component " + c;
            within(where, acc[aOff + c], exact, (gamma(keys) + gammaDouble(keys + 1)) * magnitude + keys * UNDERFLOW);
            sameBits(where, acc[aOff + c], inOrder);
        }
        untouched(label + " accumulators", acc0, acc, written);
        unchanged(label + " weights", s0, s);
        unchanged(label + " values", v0, v);
    }

    /**
     * Four queries' weights ({@link DecodeOps#QUAD_WEIGHTS} apart) over the same value rows, their accumulators
     * side by side: each query's the same bits as the provider's {@link DecodeOps#accumulate} of that query alone
     * (itself checked against the documented order by {@link #accumulate}), for value rows of 1 to 16 vectors
     * (every column block of each provider), nothing else written.
     */
    static void accumulateQuad(DecodeOps ops) {
        SplittableRandom r = OpInputs.rng("DecodeOps.accumulateQuad");
        Kind[] kinds = {Kind.NORMAL, Kind.LARGE, Kind.SUBNORMAL, Kind.MIXED};
        int round = 0;
        for (int keys : new int[] {0, 1, 3, 5, 17}) {
            for (int vectors : new int[] {1, 2, 3, 4, 5, 7, 8, 16}) {
                accumulateQuadCase(ops, keys, r.nextBoolean() ? 0 : 5, vectors * ops.lanes(),
                        kinds[round++ % kinds.length], r);
            }
        }
    }

    private static void accumulateQuadCase(DecodeOps ops, int keys, int j0, int dvp, Kind kind, SplittableRandom r) {
        int sOff = r.nextInt(4);
        int q = DecodeOps.QUAD_WEIGHTS;
        float[] s = sentinels(sOff + 3 * q + keys + 2);
        for (int i = 0; i < 4; i++) {
            for (int j = 0; j < keys; j++) {
                s[sOff + i * q + j] = OpInputs.weight(r);
            }
        }
        int vOff = r.nextInt(3) * 5;
        float[] v = sentinels(vOff + (j0 + keys + 1) * dvp);
        fill(v, vOff + j0 * dvp, keys * dvp, r, kind);
        int aOff = r.nextInt(5);
        float[] acc = sentinels(aOff + 4 * dvp + ops.lanes());
        for (int i = 0; i < 4; i++) {
            fill(acc, aOff + i * dvp, dvp, r, kind == Kind.SUBNORMAL ? Kind.SUBNORMAL : Kind.NORMAL);
        }
        float[] s0 = s.clone();
        float[] v0 = v.clone();
        float[] alone = acc.clone();
        ops.accumulateQuad(s, sOff, j0, j0 + keys, v, vOff, dvp, acc, aOff);
        String label = String.format(Locale.ROOT, "DecodeOps.accumulateQuad keys=[%d, %d) vOff=%d dvp=%d %s",
                j0, j0 + keys, vOff, dvp, kind);
        for (int i = 0; i < 4; i++) {
            ops.accumulate(s0.clone(), sOff + i * q, j0, j0 + keys, v0.clone(), vOff, dvp, alone, aOff + i * dvp);
        }
        for (int c = 0; c < acc.length; c++) {
            int i = Math.floorDiv(c - aOff, dvp);
            String where = i >= 0 && i < 4 ? " query " + i + " accumulator " + (c - aOff - i * dvp)
                    : " outside the accumulators, index " + c;
            sameBits(label + where, acc[c], alone[c]);
        }
        unchanged(label + " weights", s0, s);
        unchanged(label + " values", v0, v);
    }

    /** The value cache's column panel: a positive multiple of the lanes. */
    static void valuePanel(DecodeOps ops) {
        int p = ops.valuePanel();
        if (p < ops.lanes() || p % ops.lanes() != 0) {
            throw failure(ops.getClass().getSimpleName() + ".valuePanel() = " + p + ", not a positive multiple of "
                    + ops.lanes() + " lanes");
        }
    }

    // ---------------------------------------------------------------- sumLanes

    /** The shared lane sums: in lane order, in double, bit for bit. */
    static void sumLanes() {
        SplittableRandom r = OpInputs.rng("DecodeOps.sumLanes");
        for (int lanes : new int[] {1, 4, 8, 16}) {
            float[] scratch = new float[2 * lanes];
            fill(scratch, 0, 2 * lanes, r, Kind.MIXED);
            double[] sums = {Double.NaN, Double.NaN};
            float[] before = scratch.clone();
            DecodeOps.sumLanes(scratch, lanes, sums);
            double l = 0;
            double u = 0;
            for (int lane = 0; lane < lanes; lane++) {
                l += before[lane];
                u += before[lanes + lane];
            }
            if (Double.doubleToRawLongBits(sums[0]) != Double.doubleToRawLongBits(l)
                    || Double.doubleToRawLongBits(sums[1]) != Double.doubleToRawLongBits(u)) {
                throw failure("DecodeOps.sumLanes lanes=" + lanes + ": got " + Arrays.toString(sums) + ", expected ["
                        + l + ", " + u + "]");
            }
            unchanged("DecodeOps.sumLanes lanes=" + lanes, before, scratch);
        }
    }
}
