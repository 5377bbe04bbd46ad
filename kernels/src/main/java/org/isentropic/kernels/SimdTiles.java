package org.isentropic.kernels;

import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.IntVector;
import jdk.incubator.vector.VectorOperators;
import jdk.incubator.vector.VectorSpecies;

/**
 * Vector API {@link TileOps} (performance.md): outer-product register tiles (R query rows x C key
 * vectors of accumulators, the query component broadcast, the packed key panel loaded), an exp2
 * polynomial, and a P.V outer product (rows x value vectors, shape a parameter) over chunks of value rows
 * small enough to stay in L1 while every row group passes over them. Loaded only when
 * jdk.incubator.vector is present ({@link FusedKernel}).
 */
final class SimdTiles implements TileOps {

    private static final VectorSpecies<Float> S = FloatVector.SPECIES_PREFERRED;
    private static final int L = S.length();

    // 2^f on [-0.5, 0.5]: Taylor coefficients ln2^k / k!, degree 6 (relative error about 1.2e-7 at the ends).
    private static final float C1 = 0.6931471805599453f;
    private static final float C2 = 0.2402265069591007f;
    private static final float C3 = 0.05550410866482158f;
    private static final float C4 = 0.009618129107628477f;
    private static final float C5 = 0.0013333558146428443f;
    private static final float C6 = 1.5403530393381606e-4f;
    private static final float ROUND = 12582912f; // 1.5 * 2^23: adding it rounds to an integer
    private static final float FLOOR = -126f;

    @Override
    public int lanes() {
        return L;
    }

    /** 2^x for x in [-126, 0] (callers clamp): x = n + f, 2^f by polynomial, 2^n added to the exponent. */
    private static FloatVector exp2(FloatVector x) {
        FloatVector t = x.add(ROUND);
        FloatVector n = t.sub(ROUND);
        FloatVector f = x.sub(n);
        FloatVector p = f.fma(C6, C5);
        p = p.fma(f, FloatVector.broadcast(S, C4));
        p = p.fma(f, FloatVector.broadcast(S, C3));
        p = p.fma(f, FloatVector.broadcast(S, C2));
        p = p.fma(f, FloatVector.broadcast(S, C1));
        p = p.fma(f, FloatVector.broadcast(S, 1f));
        IntVector e = t.reinterpretAsInts().sub(0x4B400000).lanewise(VectorOperators.LSHL, 23);
        return p.reinterpretAsInts().add(e).reinterpretAsFloats();
    }

    @Override
    public void scores(FusedKernel.QkTile tile, float[] q, int qOff, int d, int rows, float[] kp, int panelOff,
                       int panels, float[] s, int sOff, int ss) {
        int rt = tile.rows();
        int ct = tile.panels();
        int ps = d * L;
        int p = 0;
        for (; p + ct <= panels; p += ct) {
            int po = panelOff + p * ps;
            for (int r = 0; r < rows; r += rt) {
                int qo = qOff + r * d;
                int so = sOff + r * ss + p * L;
                switch (tile) {
                    case R4C4: scores4x4(q, qo, d, kp, po, ps, s, so, ss); break;
                    case R8C3: scores8x3(q, qo, d, kp, po, ps, s, so, ss); break;
                    case R8C2: scores8x2(q, qo, d, kp, po, ps, s, so, ss); break;
                    case R4C3: scores4x3(q, qo, d, kp, po, ps, s, so, ss); break;
                    case R6C4: scores6x4(q, qo, d, kp, po, ps, s, so, ss); break;
                    case R4C6: scores4x6(q, qo, d, kp, po, ps, s, so, ss); break;
                    case R12C2: scores12x2(q, qo, d, kp, po, ps, s, so, ss); break;
                    default: throw new AssertionError(tile);
                }
            }
        }
        for (; p < panels; p++) {
            int po = panelOff + p * ps;
            for (int r = 0; r < rows; r += 4) {
                // rows is a multiple of the tile's rows, and the workspace pads rows to a multiple of 24.
                scores4x1(q, qOff + r * d, d, kp, po, s, sOff + r * ss + p * L, ss);
            }
        }
    }

    private static void scores4x4(float[] q, int qo, int d, float[] kp, int po, int ps, float[] s, int so, int ss) {
        FloatVector a00 = FloatVector.zero(S), a01 = a00, a02 = a00, a03 = a00;
        FloatVector a10 = a00, a11 = a00, a12 = a00, a13 = a00;
        FloatVector a20 = a00, a21 = a00, a22 = a00, a23 = a00;
        FloatVector a30 = a00, a31 = a00, a32 = a00, a33 = a00;
        int k0 = po;
        for (int c = 0; c < d; c++, k0 += L) {
            FloatVector v0 = FloatVector.fromArray(S, kp, k0);
            FloatVector v1 = FloatVector.fromArray(S, kp, k0 + ps);
            FloatVector v2 = FloatVector.fromArray(S, kp, k0 + 2 * ps);
            FloatVector v3 = FloatVector.fromArray(S, kp, k0 + 3 * ps);
            FloatVector b = FloatVector.broadcast(S, q[qo + c]);
            a00 = v0.fma(b, a00); a01 = v1.fma(b, a01); a02 = v2.fma(b, a02); a03 = v3.fma(b, a03);
            b = FloatVector.broadcast(S, q[qo + d + c]);
            a10 = v0.fma(b, a10); a11 = v1.fma(b, a11); a12 = v2.fma(b, a12); a13 = v3.fma(b, a13);
            b = FloatVector.broadcast(S, q[qo + 2 * d + c]);
            a20 = v0.fma(b, a20); a21 = v1.fma(b, a21); a22 = v2.fma(b, a22); a23 = v3.fma(b, a23);
            b = FloatVector.broadcast(S, q[qo + 3 * d + c]);
            a30 = v0.fma(b, a30); a31 = v1.fma(b, a31); a32 = v2.fma(b, a32); a33 = v3.fma(b, a33);
        }
        a00.intoArray(s, so); a01.intoArray(s, so + L); a02.intoArray(s, so + 2 * L); a03.intoArray(s, so + 3 * L);
        so += ss;
        a10.intoArray(s, so); a11.intoArray(s, so + L); a12.intoArray(s, so + 2 * L); a13.intoArray(s, so + 3 * L);
        so += ss;
        a20.intoArray(s, so); a21.intoArray(s, so + L); a22.intoArray(s, so + 2 * L); a23.intoArray(s, so + 3 * L);
        so += ss;
        a30.intoArray(s, so); a31.intoArray(s, so + L); a32.intoArray(s, so + 2 * L); a33.intoArray(s, so + 3 * L);
    }

    private static void scores4x3(float[] q, int qo, int d, float[] kp, int po, int ps, float[] s, int so, int ss) {
        FloatVector a00 = FloatVector.zero(S), a01 = a00, a02 = a00;
        FloatVector a10 = a00, a11 = a00, a12 = a00;
        FloatVector a20 = a00, a21 = a00, a22 = a00;
        FloatVector a30 = a00, a31 = a00, a32 = a00;
        int k0 = po;
        for (int c = 0; c < d; c++, k0 += L) {
            FloatVector v0 = FloatVector.fromArray(S, kp, k0);
            FloatVector v1 = FloatVector.fromArray(S, kp, k0 + ps);
            FloatVector v2 = FloatVector.fromArray(S, kp, k0 + 2 * ps);
            FloatVector b = FloatVector.broadcast(S, q[qo + c]);
            a00 = v0.fma(b, a00); a01 = v1.fma(b, a01); a02 = v2.fma(b, a02);
            b = FloatVector.broadcast(S, q[qo + d + c]);
            a10 = v0.fma(b, a10); a11 = v1.fma(b, a11); a12 = v2.fma(b, a12);
            b = FloatVector.broadcast(S, q[qo + 2 * d + c]);
            a20 = v0.fma(b, a20); a21 = v1.fma(b, a21); a22 = v2.fma(b, a22);
            b = FloatVector.broadcast(S, q[qo + 3 * d + c]);
            a30 = v0.fma(b, a30); a31 = v1.fma(b, a31); a32 = v2.fma(b, a32);
        }
        a00.intoArray(s, so); a01.intoArray(s, so + L); a02.intoArray(s, so + 2 * L);
        so += ss;
        a10.intoArray(s, so); a11.intoArray(s, so + L); a12.intoArray(s, so + 2 * L);
        so += ss;
        a20.intoArray(s, so); a21.intoArray(s, so + L); a22.intoArray(s, so + 2 * L);
        so += ss;
        a30.intoArray(s, so); a31.intoArray(s, so + L); a32.intoArray(s, so + 2 * L);
    }

    private static void scores8x3(float[] q, int qo, int d, float[] kp, int po, int ps, float[] s, int so, int ss) {
        FloatVector a00 = FloatVector.zero(S), a01 = a00, a02 = a00;
        FloatVector a10 = a00, a11 = a00, a12 = a00;
        FloatVector a20 = a00, a21 = a00, a22 = a00;
        FloatVector a30 = a00, a31 = a00, a32 = a00;
        FloatVector a40 = a00, a41 = a00, a42 = a00;
        FloatVector a50 = a00, a51 = a00, a52 = a00;
        FloatVector a60 = a00, a61 = a00, a62 = a00;
        FloatVector a70 = a00, a71 = a00, a72 = a00;
        int k0 = po;
        for (int c = 0; c < d; c++, k0 += L) {
            FloatVector v0 = FloatVector.fromArray(S, kp, k0);
            FloatVector v1 = FloatVector.fromArray(S, kp, k0 + ps);
            FloatVector v2 = FloatVector.fromArray(S, kp, k0 + 2 * ps);
            FloatVector b = FloatVector.broadcast(S, q[qo + c]);
            a00 = v0.fma(b, a00); a01 = v1.fma(b, a01); a02 = v2.fma(b, a02);
            b = FloatVector.broadcast(S, q[qo + d + c]);
            a10 = v0.fma(b, a10); a11 = v1.fma(b, a11); a12 = v2.fma(b, a12);
            b = FloatVector.broadcast(S, q[qo + 2 * d + c]);
            a20 = v0.fma(b, a20); a21 = v1.fma(b, a21); a22 = v2.fma(b, a22);
            b = FloatVector.broadcast(S, q[qo + 3 * d + c]);
            a30 = v0.fma(b, a30); a31 = v1.fma(b, a31); a32 = v2.fma(b, a32);
            b = FloatVector.broadcast(S, q[qo + 4 * d + c]);
            a40 = v0.fma(b, a40); a41 = v1.fma(b, a41); a42 = v2.fma(b, a42);
            b = FloatVector.broadcast(S, q[qo + 5 * d + c]);
            a50 = v0.fma(b, a50); a51 = v1.fma(b, a51); a52 = v2.fma(b, a52);
            b = FloatVector.broadcast(S, q[qo + 6 * d + c]);
            a60 = v0.fma(b, a60); a61 = v1.fma(b, a61); a62 = v2.fma(b, a62);
            b = FloatVector.broadcast(S, q[qo + 7 * d + c]);
            a70 = v0.fma(b, a70); a71 = v1.fma(b, a71); a72 = v2.fma(b, a72);
        }
        a00.intoArray(s, so); a01.intoArray(s, so + L); a02.intoArray(s, so + 2 * L);
        so += ss;
        a10.intoArray(s, so); a11.intoArray(s, so + L); a12.intoArray(s, so + 2 * L);
        so += ss;
        a20.intoArray(s, so); a21.intoArray(s, so + L); a22.intoArray(s, so + 2 * L);
        so += ss;
        a30.intoArray(s, so); a31.intoArray(s, so + L); a32.intoArray(s, so + 2 * L);
        so += ss;
        a40.intoArray(s, so); a41.intoArray(s, so + L); a42.intoArray(s, so + 2 * L);
        so += ss;
        a50.intoArray(s, so); a51.intoArray(s, so + L); a52.intoArray(s, so + 2 * L);
        so += ss;
        a60.intoArray(s, so); a61.intoArray(s, so + L); a62.intoArray(s, so + 2 * L);
        so += ss;
        a70.intoArray(s, so); a71.intoArray(s, so + L); a72.intoArray(s, so + 2 * L);
    }

    private static void scores8x2(float[] q, int qo, int d, float[] kp, int po, int ps, float[] s, int so, int ss) {
        FloatVector a00 = FloatVector.zero(S), a01 = a00;
        FloatVector a10 = a00, a11 = a00;
        FloatVector a20 = a00, a21 = a00;
        FloatVector a30 = a00, a31 = a00;
        FloatVector a40 = a00, a41 = a00;
        FloatVector a50 = a00, a51 = a00;
        FloatVector a60 = a00, a61 = a00;
        FloatVector a70 = a00, a71 = a00;
        int k0 = po;
        for (int c = 0; c < d; c++, k0 += L) {
            FloatVector v0 = FloatVector.fromArray(S, kp, k0);
            FloatVector v1 = FloatVector.fromArray(S, kp, k0 + ps);
            FloatVector b = FloatVector.broadcast(S, q[qo + c]);
            a00 = v0.fma(b, a00); a01 = v1.fma(b, a01);
            b = FloatVector.broadcast(S, q[qo + d + c]);
            a10 = v0.fma(b, a10); a11 = v1.fma(b, a11);
            b = FloatVector.broadcast(S, q[qo + 2 * d + c]);
            a20 = v0.fma(b, a20); a21 = v1.fma(b, a21);
            b = FloatVector.broadcast(S, q[qo + 3 * d + c]);
            a30 = v0.fma(b, a30); a31 = v1.fma(b, a31);
            b = FloatVector.broadcast(S, q[qo + 4 * d + c]);
            a40 = v0.fma(b, a40); a41 = v1.fma(b, a41);
            b = FloatVector.broadcast(S, q[qo + 5 * d + c]);
            a50 = v0.fma(b, a50); a51 = v1.fma(b, a51);
            b = FloatVector.broadcast(S, q[qo + 6 * d + c]);
            a60 = v0.fma(b, a60); a61 = v1.fma(b, a61);
            b = FloatVector.broadcast(S, q[qo + 7 * d + c]);
            a70 = v0.fma(b, a70); a71 = v1.fma(b, a71);
        }
        a00.intoArray(s, so); a01.intoArray(s, so + L);
        so += ss;
        a10.intoArray(s, so); a11.intoArray(s, so + L);
        so += ss;
        a20.intoArray(s, so); a21.intoArray(s, so + L);
        so += ss;
        a30.intoArray(s, so); a31.intoArray(s, so + L);
        so += ss;
        a40.intoArray(s, so); a41.intoArray(s, so + L);
        so += ss;
        a50.intoArray(s, so); a51.intoArray(s, so + L);
        so += ss;
        a60.intoArray(s, so); a61.intoArray(s, so + L);
        so += ss;
        a70.intoArray(s, so); a71.intoArray(s, so + L);
    }

    private static void scores6x4(float[] q, int qo, int d, float[] kp, int po, int ps, float[] s, int so, int ss) {
        FloatVector a00 = FloatVector.zero(S), a01 = FloatVector.zero(S), a02 = FloatVector.zero(S), a03 = FloatVector.zero(S), a10 = FloatVector.zero(S), a11 = FloatVector.zero(S), a12 = FloatVector.zero(S), a13 = FloatVector.zero(S), a20 = FloatVector.zero(S), a21 = FloatVector.zero(S), a22 = FloatVector.zero(S), a23 = FloatVector.zero(S), a30 = FloatVector.zero(S), a31 = FloatVector.zero(S), a32 = FloatVector.zero(S), a33 = FloatVector.zero(S), a40 = FloatVector.zero(S), a41 = FloatVector.zero(S), a42 = FloatVector.zero(S), a43 = FloatVector.zero(S), a50 = FloatVector.zero(S), a51 = FloatVector.zero(S), a52 = FloatVector.zero(S), a53 = FloatVector.zero(S);
        int k0 = po;
        for (int c = 0; c < d; c++, k0 += L) {
            FloatVector v0 = FloatVector.fromArray(S, kp, k0);
            FloatVector v1 = FloatVector.fromArray(S, kp, k0 + ps);
            FloatVector v2 = FloatVector.fromArray(S, kp, k0 + 2 * ps);
            FloatVector v3 = FloatVector.fromArray(S, kp, k0 + 3 * ps);
            FloatVector b0 = FloatVector.broadcast(S, q[qo + c]);
            a00 = v0.fma(b0, a00); a01 = v1.fma(b0, a01); a02 = v2.fma(b0, a02); a03 = v3.fma(b0, a03);
            FloatVector b1 = FloatVector.broadcast(S, q[qo + d + c]);
            a10 = v0.fma(b1, a10); a11 = v1.fma(b1, a11); a12 = v2.fma(b1, a12); a13 = v3.fma(b1, a13);
            FloatVector b2 = FloatVector.broadcast(S, q[qo + 2 * d + c]);
            a20 = v0.fma(b2, a20); a21 = v1.fma(b2, a21); a22 = v2.fma(b2, a22); a23 = v3.fma(b2, a23);
            FloatVector b3 = FloatVector.broadcast(S, q[qo + 3 * d + c]);
            a30 = v0.fma(b3, a30); a31 = v1.fma(b3, a31); a32 = v2.fma(b3, a32); a33 = v3.fma(b3, a33);
            FloatVector b4 = FloatVector.broadcast(S, q[qo + 4 * d + c]);
            a40 = v0.fma(b4, a40); a41 = v1.fma(b4, a41); a42 = v2.fma(b4, a42); a43 = v3.fma(b4, a43);
            FloatVector b5 = FloatVector.broadcast(S, q[qo + 5 * d + c]);
            a50 = v0.fma(b5, a50); a51 = v1.fma(b5, a51); a52 = v2.fma(b5, a52); a53 = v3.fma(b5, a53);
        }
        a00.intoArray(s, so); a01.intoArray(s, so + L); a02.intoArray(s, so + 2 * L); a03.intoArray(s, so + 3 * L);
        so += ss;
        a10.intoArray(s, so); a11.intoArray(s, so + L); a12.intoArray(s, so + 2 * L); a13.intoArray(s, so + 3 * L);
        so += ss;
        a20.intoArray(s, so); a21.intoArray(s, so + L); a22.intoArray(s, so + 2 * L); a23.intoArray(s, so + 3 * L);
        so += ss;
        a30.intoArray(s, so); a31.intoArray(s, so + L); a32.intoArray(s, so + 2 * L); a33.intoArray(s, so + 3 * L);
        so += ss;
        a40.intoArray(s, so); a41.intoArray(s, so + L); a42.intoArray(s, so + 2 * L); a43.intoArray(s, so + 3 * L);
        so += ss;
        a50.intoArray(s, so); a51.intoArray(s, so + L); a52.intoArray(s, so + 2 * L); a53.intoArray(s, so + 3 * L);
    }

    private static void scores4x6(float[] q, int qo, int d, float[] kp, int po, int ps, float[] s, int so, int ss) {
        FloatVector a00 = FloatVector.zero(S), a01 = FloatVector.zero(S), a02 = FloatVector.zero(S), a03 = FloatVector.zero(S), a04 = FloatVector.zero(S), a05 = FloatVector.zero(S), a10 = FloatVector.zero(S), a11 = FloatVector.zero(S), a12 = FloatVector.zero(S), a13 = FloatVector.zero(S), a14 = FloatVector.zero(S), a15 = FloatVector.zero(S), a20 = FloatVector.zero(S), a21 = FloatVector.zero(S), a22 = FloatVector.zero(S), a23 = FloatVector.zero(S), a24 = FloatVector.zero(S), a25 = FloatVector.zero(S), a30 = FloatVector.zero(S), a31 = FloatVector.zero(S), a32 = FloatVector.zero(S), a33 = FloatVector.zero(S), a34 = FloatVector.zero(S), a35 = FloatVector.zero(S);
        int k0 = po;
        for (int c = 0; c < d; c++, k0 += L) {
            FloatVector v0 = FloatVector.fromArray(S, kp, k0);
            FloatVector v1 = FloatVector.fromArray(S, kp, k0 + ps);
            FloatVector v2 = FloatVector.fromArray(S, kp, k0 + 2 * ps);
            FloatVector v3 = FloatVector.fromArray(S, kp, k0 + 3 * ps);
            FloatVector v4 = FloatVector.fromArray(S, kp, k0 + 4 * ps);
            FloatVector v5 = FloatVector.fromArray(S, kp, k0 + 5 * ps);
            FloatVector b0 = FloatVector.broadcast(S, q[qo + c]);
            a00 = v0.fma(b0, a00); a01 = v1.fma(b0, a01); a02 = v2.fma(b0, a02); a03 = v3.fma(b0, a03); a04 = v4.fma(b0, a04); a05 = v5.fma(b0, a05);
            FloatVector b1 = FloatVector.broadcast(S, q[qo + d + c]);
            a10 = v0.fma(b1, a10); a11 = v1.fma(b1, a11); a12 = v2.fma(b1, a12); a13 = v3.fma(b1, a13); a14 = v4.fma(b1, a14); a15 = v5.fma(b1, a15);
            FloatVector b2 = FloatVector.broadcast(S, q[qo + 2 * d + c]);
            a20 = v0.fma(b2, a20); a21 = v1.fma(b2, a21); a22 = v2.fma(b2, a22); a23 = v3.fma(b2, a23); a24 = v4.fma(b2, a24); a25 = v5.fma(b2, a25);
            FloatVector b3 = FloatVector.broadcast(S, q[qo + 3 * d + c]);
            a30 = v0.fma(b3, a30); a31 = v1.fma(b3, a31); a32 = v2.fma(b3, a32); a33 = v3.fma(b3, a33); a34 = v4.fma(b3, a34); a35 = v5.fma(b3, a35);
        }
        a00.intoArray(s, so); a01.intoArray(s, so + L); a02.intoArray(s, so + 2 * L); a03.intoArray(s, so + 3 * L); a04.intoArray(s, so + 4 * L); a05.intoArray(s, so + 5 * L);
        so += ss;
        a10.intoArray(s, so); a11.intoArray(s, so + L); a12.intoArray(s, so + 2 * L); a13.intoArray(s, so + 3 * L); a14.intoArray(s, so + 4 * L); a15.intoArray(s, so + 5 * L);
        so += ss;
        a20.intoArray(s, so); a21.intoArray(s, so + L); a22.intoArray(s, so + 2 * L); a23.intoArray(s, so + 3 * L); a24.intoArray(s, so + 4 * L); a25.intoArray(s, so + 5 * L);
        so += ss;
        a30.intoArray(s, so); a31.intoArray(s, so + L); a32.intoArray(s, so + 2 * L); a33.intoArray(s, so + 3 * L); a34.intoArray(s, so + 4 * L); a35.intoArray(s, so + 5 * L);
    }

    private static void scores12x2(float[] q, int qo, int d, float[] kp, int po, int ps, float[] s, int so, int ss) {
        FloatVector a00 = FloatVector.zero(S), a01 = FloatVector.zero(S), a10 = FloatVector.zero(S), a11 = FloatVector.zero(S), a20 = FloatVector.zero(S), a21 = FloatVector.zero(S), a30 = FloatVector.zero(S), a31 = FloatVector.zero(S), a40 = FloatVector.zero(S), a41 = FloatVector.zero(S), a50 = FloatVector.zero(S), a51 = FloatVector.zero(S), a60 = FloatVector.zero(S), a61 = FloatVector.zero(S), a70 = FloatVector.zero(S), a71 = FloatVector.zero(S), a80 = FloatVector.zero(S), a81 = FloatVector.zero(S), a90 = FloatVector.zero(S), a91 = FloatVector.zero(S), a100 = FloatVector.zero(S), a101 = FloatVector.zero(S), a110 = FloatVector.zero(S), a111 = FloatVector.zero(S);
        int k0 = po;
        for (int c = 0; c < d; c++, k0 += L) {
            FloatVector v0 = FloatVector.fromArray(S, kp, k0);
            FloatVector v1 = FloatVector.fromArray(S, kp, k0 + ps);
            FloatVector b0 = FloatVector.broadcast(S, q[qo + c]);
            a00 = v0.fma(b0, a00); a01 = v1.fma(b0, a01);
            FloatVector b1 = FloatVector.broadcast(S, q[qo + d + c]);
            a10 = v0.fma(b1, a10); a11 = v1.fma(b1, a11);
            FloatVector b2 = FloatVector.broadcast(S, q[qo + 2 * d + c]);
            a20 = v0.fma(b2, a20); a21 = v1.fma(b2, a21);
            FloatVector b3 = FloatVector.broadcast(S, q[qo + 3 * d + c]);
            a30 = v0.fma(b3, a30); a31 = v1.fma(b3, a31);
            FloatVector b4 = FloatVector.broadcast(S, q[qo + 4 * d + c]);
            a40 = v0.fma(b4, a40); a41 = v1.fma(b4, a41);
            FloatVector b5 = FloatVector.broadcast(S, q[qo + 5 * d + c]);
            a50 = v0.fma(b5, a50); a51 = v1.fma(b5, a51);
            FloatVector b6 = FloatVector.broadcast(S, q[qo + 6 * d + c]);
            a60 = v0.fma(b6, a60); a61 = v1.fma(b6, a61);
            FloatVector b7 = FloatVector.broadcast(S, q[qo + 7 * d + c]);
            a70 = v0.fma(b7, a70); a71 = v1.fma(b7, a71);
            FloatVector b8 = FloatVector.broadcast(S, q[qo + 8 * d + c]);
            a80 = v0.fma(b8, a80); a81 = v1.fma(b8, a81);
            FloatVector b9 = FloatVector.broadcast(S, q[qo + 9 * d + c]);
            a90 = v0.fma(b9, a90); a91 = v1.fma(b9, a91);
            FloatVector b10 = FloatVector.broadcast(S, q[qo + 10 * d + c]);
            a100 = v0.fma(b10, a100); a101 = v1.fma(b10, a101);
            FloatVector b11 = FloatVector.broadcast(S, q[qo + 11 * d + c]);
            a110 = v0.fma(b11, a110); a111 = v1.fma(b11, a111);
        }
        a00.intoArray(s, so); a01.intoArray(s, so + L);
        so += ss;
        a10.intoArray(s, so); a11.intoArray(s, so + L);
        so += ss;
        a20.intoArray(s, so); a21.intoArray(s, so + L);
        so += ss;
        a30.intoArray(s, so); a31.intoArray(s, so + L);
        so += ss;
        a40.intoArray(s, so); a41.intoArray(s, so + L);
        so += ss;
        a50.intoArray(s, so); a51.intoArray(s, so + L);
        so += ss;
        a60.intoArray(s, so); a61.intoArray(s, so + L);
        so += ss;
        a70.intoArray(s, so); a71.intoArray(s, so + L);
        so += ss;
        a80.intoArray(s, so); a81.intoArray(s, so + L);
        so += ss;
        a90.intoArray(s, so); a91.intoArray(s, so + L);
        so += ss;
        a100.intoArray(s, so); a101.intoArray(s, so + L);
        so += ss;
        a110.intoArray(s, so); a111.intoArray(s, so + L);
    }

    private static void scores4x1(float[] q, int qo, int d, float[] kp, int po, float[] s, int so, int ss) {
        FloatVector a0 = FloatVector.zero(S), a1 = a0, a2 = a0, a3 = a0;
        int k0 = po;
        for (int c = 0; c < d; c++, k0 += L) {
            FloatVector v0 = FloatVector.fromArray(S, kp, k0);
            a0 = v0.fma(FloatVector.broadcast(S, q[qo + c]), a0);
            a1 = v0.fma(FloatVector.broadcast(S, q[qo + d + c]), a1);
            a2 = v0.fma(FloatVector.broadcast(S, q[qo + 2 * d + c]), a2);
            a3 = v0.fma(FloatVector.broadcast(S, q[qo + 3 * d + c]), a3);
        }
        a0.intoArray(s, so);
        a1.intoArray(s, so + ss);
        a2.intoArray(s, so + 2 * ss);
        a3.intoArray(s, so + 3 * ss);
    }

    @Override
    public void alibi(float[] s, int ss, int rows, int width, int rowStart, int keyStart, float[] slope, float cap) {
        FloatVector iota = iota();
        for (int r = 0; r < rows; r++) {
            float sl = -slope[rowStart + r];
            int o = r * ss;
            float base = keyStart - rowStart - r;
            for (int j = 0; j < width; j += L) {
                FloatVector dist = iota.add(base + j).abs().min(cap);
                FloatVector.fromArray(S, s, o + j).add(dist.mul(sl)).intoArray(s, o + j);
            }
        }
    }

    private static final float[] IOTA = new float[L];

    static {
        for (int t = 0; t < L; t++) {
            IOTA[t] = t;
        }
    }

    private static FloatVector iota() {
        return FloatVector.fromArray(S, IOTA, 0);
    }

    @Override
    public void softmax(float[] s, int ss, int rows, int width, boolean masked, boolean entropy,
                        float[] m, float[] l, float[] u, float[] alpha) {
        for (int r = 0; r < rows; r++) {
            int o = r * ss;
            FloatVector mx = FloatVector.broadcast(S, Float.NEGATIVE_INFINITY);
            for (int j = 0; j < width; j += L) {
                mx = mx.max(FloatVector.fromArray(S, s, o + j));
            }
            float rowMax = mx.reduceLanes(VectorOperators.MAX);
            if (rowMax == Float.NEGATIVE_INFINITY) {
                alpha[r] = 1f;
                java.util.Arrays.fill(s, o, o + width, 0f);
                continue;
            }
            float mOld = m[r];
            float mNew = Math.max(mOld, rowMax);
            float a = mOld == Float.NEGATIVE_INFINITY ? 0f : (float) Math.exp((mOld - mNew) * 0.6931471805599453);
            float lOld = l[r];
            float ls;
            float us = 0f;
            if (entropy) {
                FloatVector lv = FloatVector.zero(S);
                FloatVector uv = lv;
                for (int j = 0; j < width; j += L) {
                    FloatVector sv = FloatVector.fromArray(S, s, o + j);
                    FloatVector x = sv.sub(mNew).max(FLOOR);
                    FloatVector p = exp2(x);
                    if (masked) {
                        p = p.blend(0f, sv.compare(VectorOperators.EQ, Float.NEGATIVE_INFINITY));
                    }
                    p.intoArray(s, o + j);
                    lv = lv.add(p);
                    uv = p.fma(x, uv);
                }
                ls = lv.reduceLanes(VectorOperators.ADD);
                us = uv.reduceLanes(VectorOperators.ADD);
            } else {
                FloatVector lv = FloatVector.zero(S);
                for (int j = 0; j < width; j += L) {
                    FloatVector sv = FloatVector.fromArray(S, s, o + j);
                    FloatVector p = exp2(sv.sub(mNew).max(FLOOR));
                    if (masked) {
                        p = p.blend(0f, sv.compare(VectorOperators.EQ, Float.NEGATIVE_INFINITY));
                    }
                    p.intoArray(s, o + j);
                    lv = lv.add(p);
                }
                ls = lv.reduceLanes(VectorOperators.ADD);
            }
            l[r] = a * lOld + ls;
            if (entropy) {
                u[r] = (lOld == 0f ? 0f : a * (u[r] + lOld * (mOld - mNew))) + us;
            }
            m[r] = mNew;
            alpha[r] = a;
        }
    }

    /** Keys per P.V pass: a chunk of value rows (KEY_CHUNK x dv floats) stays in L1 across all row groups. */
    private static final int KEY_CHUNK = 48;

    @Override
    public void pv(FusedKernel.PvTile tile, float[] s, int ss, int r0, int rows, int keyStart, int keys, float[] v,
                   int vRow0, int vs, int dvp, float[] o, float[] alpha) {
        for (int r = r0; r < r0 + rows; r++) {
            float a = alpha[r];
            if (a != 1f) {
                for (int c = r * dvp; c < r * dvp + dvp; c += L) {
                    FloatVector.fromArray(S, o, c).mul(a).intoArray(o, c);
                }
            }
        }
        int rt = tile.rows();
        int cw = tile.vectors() * L;
        for (int k0 = 0; k0 < keys; k0 += KEY_CHUNK) {
            int kn = Math.min(KEY_CHUNK, keys - k0);
            int ks = keyStart + k0;
            int c = 0;
            for (; c + cw <= dvp; c += cw) {
                for (int r = r0; r < r0 + rows; r += rt) {
                    int so = r * ss + ks;
                    int vo = (vRow0 + ks) * vs + c;
                    int oo = r * dvp + c;
                    switch (tile) {
                        case R4C4: pv4x4(s, so, ss, kn, v, vo, vs, o, oo, dvp, alpha, r); break;
                        case R6C4: pv6x4(s, so, ss, kn, v, vo, vs, o, oo, dvp, alpha, r); break;
                        case R8C2: pv8x2(s, so, ss, kn, v, vo, vs, o, oo, dvp, alpha, r); break;
                        case R3C8: pv3x8(s, so, ss, kn, v, vo, vs, o, oo, dvp, alpha, r); break;
                        case R12C2: pv12x2(s, so, ss, kn, v, vo, vs, o, oo, dvp, alpha, r); break;
                        default: throw new AssertionError(tile);
                    }
                }
            }
            for (; c < dvp; c += L) {
                for (int r = r0; r < r0 + rows; r += 4) {
                    pv4x1(s, r * ss + ks, ss, kn, v, (vRow0 + ks) * vs + c, vs, o, r * dvp + c, dvp, alpha, r);
                }
            }
        }
    }

    private static void pv4x4(float[] s, int so, int ss, int keys, float[] v, int vo, int vs, float[] o, int oo,
                              int os, float[] alpha, int r) {
        FloatVector b;
        FloatVector a00 = FloatVector.fromArray(S, o, oo);
        FloatVector a01 = FloatVector.fromArray(S, o, oo + L);
        FloatVector a02 = FloatVector.fromArray(S, o, oo + 2 * L);
        FloatVector a03 = FloatVector.fromArray(S, o, oo + 3 * L);
        FloatVector a10 = FloatVector.fromArray(S, o, oo + os);
        FloatVector a11 = FloatVector.fromArray(S, o, oo + os + L);
        FloatVector a12 = FloatVector.fromArray(S, o, oo + os + 2 * L);
        FloatVector a13 = FloatVector.fromArray(S, o, oo + os + 3 * L);
        FloatVector a20 = FloatVector.fromArray(S, o, oo + 2 * os);
        FloatVector a21 = FloatVector.fromArray(S, o, oo + 2 * os + L);
        FloatVector a22 = FloatVector.fromArray(S, o, oo + 2 * os + 2 * L);
        FloatVector a23 = FloatVector.fromArray(S, o, oo + 2 * os + 3 * L);
        FloatVector a30 = FloatVector.fromArray(S, o, oo + 3 * os);
        FloatVector a31 = FloatVector.fromArray(S, o, oo + 3 * os + L);
        FloatVector a32 = FloatVector.fromArray(S, o, oo + 3 * os + 2 * L);
        FloatVector a33 = FloatVector.fromArray(S, o, oo + 3 * os + 3 * L);
        int vj = vo;
        for (int j = 0; j < keys; j++, vj += vs) {
            FloatVector v0 = FloatVector.fromArray(S, v, vj);
            FloatVector v1 = FloatVector.fromArray(S, v, vj + L);
            FloatVector v2 = FloatVector.fromArray(S, v, vj + 2 * L);
            FloatVector v3 = FloatVector.fromArray(S, v, vj + 3 * L);
            b = FloatVector.broadcast(S, s[so + j]);
            a00 = v0.fma(b, a00); a01 = v1.fma(b, a01); a02 = v2.fma(b, a02); a03 = v3.fma(b, a03);
            b = FloatVector.broadcast(S, s[so + ss + j]);
            a10 = v0.fma(b, a10); a11 = v1.fma(b, a11); a12 = v2.fma(b, a12); a13 = v3.fma(b, a13);
            b = FloatVector.broadcast(S, s[so + 2 * ss + j]);
            a20 = v0.fma(b, a20); a21 = v1.fma(b, a21); a22 = v2.fma(b, a22); a23 = v3.fma(b, a23);
            b = FloatVector.broadcast(S, s[so + 3 * ss + j]);
            a30 = v0.fma(b, a30); a31 = v1.fma(b, a31); a32 = v2.fma(b, a32); a33 = v3.fma(b, a33);
        }
        a00.intoArray(o, oo); a01.intoArray(o, oo + L); a02.intoArray(o, oo + 2 * L); a03.intoArray(o, oo + 3 * L);
        oo += os;
        a10.intoArray(o, oo); a11.intoArray(o, oo + L); a12.intoArray(o, oo + 2 * L); a13.intoArray(o, oo + 3 * L);
        oo += os;
        a20.intoArray(o, oo); a21.intoArray(o, oo + L); a22.intoArray(o, oo + 2 * L); a23.intoArray(o, oo + 3 * L);
        oo += os;
        a30.intoArray(o, oo); a31.intoArray(o, oo + L); a32.intoArray(o, oo + 2 * L); a33.intoArray(o, oo + 3 * L);
    }

    private static void pv6x4(float[] s, int so, int ss, int keys, float[] v, int vo, int vs, float[] o, int oo,
                              int os, float[] alpha, int r) {
        FloatVector b;
        FloatVector a0_0 = FloatVector.fromArray(S, o, oo + 0 * os + 0 * L);
        FloatVector a0_1 = FloatVector.fromArray(S, o, oo + 0 * os + 1 * L);
        FloatVector a0_2 = FloatVector.fromArray(S, o, oo + 0 * os + 2 * L);
        FloatVector a0_3 = FloatVector.fromArray(S, o, oo + 0 * os + 3 * L);
        FloatVector a1_0 = FloatVector.fromArray(S, o, oo + 1 * os + 0 * L);
        FloatVector a1_1 = FloatVector.fromArray(S, o, oo + 1 * os + 1 * L);
        FloatVector a1_2 = FloatVector.fromArray(S, o, oo + 1 * os + 2 * L);
        FloatVector a1_3 = FloatVector.fromArray(S, o, oo + 1 * os + 3 * L);
        FloatVector a2_0 = FloatVector.fromArray(S, o, oo + 2 * os + 0 * L);
        FloatVector a2_1 = FloatVector.fromArray(S, o, oo + 2 * os + 1 * L);
        FloatVector a2_2 = FloatVector.fromArray(S, o, oo + 2 * os + 2 * L);
        FloatVector a2_3 = FloatVector.fromArray(S, o, oo + 2 * os + 3 * L);
        FloatVector a3_0 = FloatVector.fromArray(S, o, oo + 3 * os + 0 * L);
        FloatVector a3_1 = FloatVector.fromArray(S, o, oo + 3 * os + 1 * L);
        FloatVector a3_2 = FloatVector.fromArray(S, o, oo + 3 * os + 2 * L);
        FloatVector a3_3 = FloatVector.fromArray(S, o, oo + 3 * os + 3 * L);
        FloatVector a4_0 = FloatVector.fromArray(S, o, oo + 4 * os + 0 * L);
        FloatVector a4_1 = FloatVector.fromArray(S, o, oo + 4 * os + 1 * L);
        FloatVector a4_2 = FloatVector.fromArray(S, o, oo + 4 * os + 2 * L);
        FloatVector a4_3 = FloatVector.fromArray(S, o, oo + 4 * os + 3 * L);
        FloatVector a5_0 = FloatVector.fromArray(S, o, oo + 5 * os + 0 * L);
        FloatVector a5_1 = FloatVector.fromArray(S, o, oo + 5 * os + 1 * L);
        FloatVector a5_2 = FloatVector.fromArray(S, o, oo + 5 * os + 2 * L);
        FloatVector a5_3 = FloatVector.fromArray(S, o, oo + 5 * os + 3 * L);
        int vj = vo;
        for (int j = 0; j < keys; j++, vj += vs) {
            FloatVector v0 = FloatVector.fromArray(S, v, vj + 0 * L);
            FloatVector v1 = FloatVector.fromArray(S, v, vj + 1 * L);
            FloatVector v2 = FloatVector.fromArray(S, v, vj + 2 * L);
            FloatVector v3 = FloatVector.fromArray(S, v, vj + 3 * L);
            b = FloatVector.broadcast(S, s[so + 0 * ss + j]);
            a0_0 = v0.fma(b, a0_0); a0_1 = v1.fma(b, a0_1); a0_2 = v2.fma(b, a0_2); a0_3 = v3.fma(b, a0_3);
            b = FloatVector.broadcast(S, s[so + 1 * ss + j]);
            a1_0 = v0.fma(b, a1_0); a1_1 = v1.fma(b, a1_1); a1_2 = v2.fma(b, a1_2); a1_3 = v3.fma(b, a1_3);
            b = FloatVector.broadcast(S, s[so + 2 * ss + j]);
            a2_0 = v0.fma(b, a2_0); a2_1 = v1.fma(b, a2_1); a2_2 = v2.fma(b, a2_2); a2_3 = v3.fma(b, a2_3);
            b = FloatVector.broadcast(S, s[so + 3 * ss + j]);
            a3_0 = v0.fma(b, a3_0); a3_1 = v1.fma(b, a3_1); a3_2 = v2.fma(b, a3_2); a3_3 = v3.fma(b, a3_3);
            b = FloatVector.broadcast(S, s[so + 4 * ss + j]);
            a4_0 = v0.fma(b, a4_0); a4_1 = v1.fma(b, a4_1); a4_2 = v2.fma(b, a4_2); a4_3 = v3.fma(b, a4_3);
            b = FloatVector.broadcast(S, s[so + 5 * ss + j]);
            a5_0 = v0.fma(b, a5_0); a5_1 = v1.fma(b, a5_1); a5_2 = v2.fma(b, a5_2); a5_3 = v3.fma(b, a5_3);
        }
        a0_0.intoArray(o, oo + 0 * os + 0 * L); a0_1.intoArray(o, oo + 0 * os + 1 * L); a0_2.intoArray(o, oo + 0 * os + 2 * L); a0_3.intoArray(o, oo + 0 * os + 3 * L);
        a1_0.intoArray(o, oo + 1 * os + 0 * L); a1_1.intoArray(o, oo + 1 * os + 1 * L); a1_2.intoArray(o, oo + 1 * os + 2 * L); a1_3.intoArray(o, oo + 1 * os + 3 * L);
        a2_0.intoArray(o, oo + 2 * os + 0 * L); a2_1.intoArray(o, oo + 2 * os + 1 * L); a2_2.intoArray(o, oo + 2 * os + 2 * L); a2_3.intoArray(o, oo + 2 * os + 3 * L);
        a3_0.intoArray(o, oo + 3 * os + 0 * L); a3_1.intoArray(o, oo + 3 * os + 1 * L); a3_2.intoArray(o, oo + 3 * os + 2 * L); a3_3.intoArray(o, oo + 3 * os + 3 * L);
        a4_0.intoArray(o, oo + 4 * os + 0 * L); a4_1.intoArray(o, oo + 4 * os + 1 * L); a4_2.intoArray(o, oo + 4 * os + 2 * L); a4_3.intoArray(o, oo + 4 * os + 3 * L);
        a5_0.intoArray(o, oo + 5 * os + 0 * L); a5_1.intoArray(o, oo + 5 * os + 1 * L); a5_2.intoArray(o, oo + 5 * os + 2 * L); a5_3.intoArray(o, oo + 5 * os + 3 * L);
    }

    private static void pv8x2(float[] s, int so, int ss, int keys, float[] v, int vo, int vs, float[] o, int oo,
                              int os, float[] alpha, int r) {
        FloatVector b;
        FloatVector a0_0 = FloatVector.fromArray(S, o, oo + 0 * os + 0 * L);
        FloatVector a0_1 = FloatVector.fromArray(S, o, oo + 0 * os + 1 * L);
        FloatVector a1_0 = FloatVector.fromArray(S, o, oo + 1 * os + 0 * L);
        FloatVector a1_1 = FloatVector.fromArray(S, o, oo + 1 * os + 1 * L);
        FloatVector a2_0 = FloatVector.fromArray(S, o, oo + 2 * os + 0 * L);
        FloatVector a2_1 = FloatVector.fromArray(S, o, oo + 2 * os + 1 * L);
        FloatVector a3_0 = FloatVector.fromArray(S, o, oo + 3 * os + 0 * L);
        FloatVector a3_1 = FloatVector.fromArray(S, o, oo + 3 * os + 1 * L);
        FloatVector a4_0 = FloatVector.fromArray(S, o, oo + 4 * os + 0 * L);
        FloatVector a4_1 = FloatVector.fromArray(S, o, oo + 4 * os + 1 * L);
        FloatVector a5_0 = FloatVector.fromArray(S, o, oo + 5 * os + 0 * L);
        FloatVector a5_1 = FloatVector.fromArray(S, o, oo + 5 * os + 1 * L);
        FloatVector a6_0 = FloatVector.fromArray(S, o, oo + 6 * os + 0 * L);
        FloatVector a6_1 = FloatVector.fromArray(S, o, oo + 6 * os + 1 * L);
        FloatVector a7_0 = FloatVector.fromArray(S, o, oo + 7 * os + 0 * L);
        FloatVector a7_1 = FloatVector.fromArray(S, o, oo + 7 * os + 1 * L);
        int vj = vo;
        for (int j = 0; j < keys; j++, vj += vs) {
            FloatVector v0 = FloatVector.fromArray(S, v, vj + 0 * L);
            FloatVector v1 = FloatVector.fromArray(S, v, vj + 1 * L);
            b = FloatVector.broadcast(S, s[so + 0 * ss + j]);
            a0_0 = v0.fma(b, a0_0); a0_1 = v1.fma(b, a0_1);
            b = FloatVector.broadcast(S, s[so + 1 * ss + j]);
            a1_0 = v0.fma(b, a1_0); a1_1 = v1.fma(b, a1_1);
            b = FloatVector.broadcast(S, s[so + 2 * ss + j]);
            a2_0 = v0.fma(b, a2_0); a2_1 = v1.fma(b, a2_1);
            b = FloatVector.broadcast(S, s[so + 3 * ss + j]);
            a3_0 = v0.fma(b, a3_0); a3_1 = v1.fma(b, a3_1);
            b = FloatVector.broadcast(S, s[so + 4 * ss + j]);
            a4_0 = v0.fma(b, a4_0); a4_1 = v1.fma(b, a4_1);
            b = FloatVector.broadcast(S, s[so + 5 * ss + j]);
            a5_0 = v0.fma(b, a5_0); a5_1 = v1.fma(b, a5_1);
            b = FloatVector.broadcast(S, s[so + 6 * ss + j]);
            a6_0 = v0.fma(b, a6_0); a6_1 = v1.fma(b, a6_1);
            b = FloatVector.broadcast(S, s[so + 7 * ss + j]);
            a7_0 = v0.fma(b, a7_0); a7_1 = v1.fma(b, a7_1);
        }
        a0_0.intoArray(o, oo + 0 * os + 0 * L); a0_1.intoArray(o, oo + 0 * os + 1 * L);
        a1_0.intoArray(o, oo + 1 * os + 0 * L); a1_1.intoArray(o, oo + 1 * os + 1 * L);
        a2_0.intoArray(o, oo + 2 * os + 0 * L); a2_1.intoArray(o, oo + 2 * os + 1 * L);
        a3_0.intoArray(o, oo + 3 * os + 0 * L); a3_1.intoArray(o, oo + 3 * os + 1 * L);
        a4_0.intoArray(o, oo + 4 * os + 0 * L); a4_1.intoArray(o, oo + 4 * os + 1 * L);
        a5_0.intoArray(o, oo + 5 * os + 0 * L); a5_1.intoArray(o, oo + 5 * os + 1 * L);
        a6_0.intoArray(o, oo + 6 * os + 0 * L); a6_1.intoArray(o, oo + 6 * os + 1 * L);
        a7_0.intoArray(o, oo + 7 * os + 0 * L); a7_1.intoArray(o, oo + 7 * os + 1 * L);
    }

    private static void pv3x8(float[] s, int so, int ss, int keys, float[] v, int vo, int vs, float[] o, int oo,
                              int os, float[] alpha, int r) {
        FloatVector b;
        FloatVector a0_0 = FloatVector.fromArray(S, o, oo + 0 * os + 0 * L);
        FloatVector a0_1 = FloatVector.fromArray(S, o, oo + 0 * os + 1 * L);
        FloatVector a0_2 = FloatVector.fromArray(S, o, oo + 0 * os + 2 * L);
        FloatVector a0_3 = FloatVector.fromArray(S, o, oo + 0 * os + 3 * L);
        FloatVector a0_4 = FloatVector.fromArray(S, o, oo + 0 * os + 4 * L);
        FloatVector a0_5 = FloatVector.fromArray(S, o, oo + 0 * os + 5 * L);
        FloatVector a0_6 = FloatVector.fromArray(S, o, oo + 0 * os + 6 * L);
        FloatVector a0_7 = FloatVector.fromArray(S, o, oo + 0 * os + 7 * L);
        FloatVector a1_0 = FloatVector.fromArray(S, o, oo + 1 * os + 0 * L);
        FloatVector a1_1 = FloatVector.fromArray(S, o, oo + 1 * os + 1 * L);
        FloatVector a1_2 = FloatVector.fromArray(S, o, oo + 1 * os + 2 * L);
        FloatVector a1_3 = FloatVector.fromArray(S, o, oo + 1 * os + 3 * L);
        FloatVector a1_4 = FloatVector.fromArray(S, o, oo + 1 * os + 4 * L);
        FloatVector a1_5 = FloatVector.fromArray(S, o, oo + 1 * os + 5 * L);
        FloatVector a1_6 = FloatVector.fromArray(S, o, oo + 1 * os + 6 * L);
        FloatVector a1_7 = FloatVector.fromArray(S, o, oo + 1 * os + 7 * L);
        FloatVector a2_0 = FloatVector.fromArray(S, o, oo + 2 * os + 0 * L);
        FloatVector a2_1 = FloatVector.fromArray(S, o, oo + 2 * os + 1 * L);
        FloatVector a2_2 = FloatVector.fromArray(S, o, oo + 2 * os + 2 * L);
        FloatVector a2_3 = FloatVector.fromArray(S, o, oo + 2 * os + 3 * L);
        FloatVector a2_4 = FloatVector.fromArray(S, o, oo + 2 * os + 4 * L);
        FloatVector a2_5 = FloatVector.fromArray(S, o, oo + 2 * os + 5 * L);
        FloatVector a2_6 = FloatVector.fromArray(S, o, oo + 2 * os + 6 * L);
        FloatVector a2_7 = FloatVector.fromArray(S, o, oo + 2 * os + 7 * L);
        int vj = vo;
        for (int j = 0; j < keys; j++, vj += vs) {
            FloatVector v0 = FloatVector.fromArray(S, v, vj + 0 * L);
            FloatVector v1 = FloatVector.fromArray(S, v, vj + 1 * L);
            FloatVector v2 = FloatVector.fromArray(S, v, vj + 2 * L);
            FloatVector v3 = FloatVector.fromArray(S, v, vj + 3 * L);
            FloatVector v4 = FloatVector.fromArray(S, v, vj + 4 * L);
            FloatVector v5 = FloatVector.fromArray(S, v, vj + 5 * L);
            FloatVector v6 = FloatVector.fromArray(S, v, vj + 6 * L);
            FloatVector v7 = FloatVector.fromArray(S, v, vj + 7 * L);
            b = FloatVector.broadcast(S, s[so + 0 * ss + j]);
            a0_0 = v0.fma(b, a0_0); a0_1 = v1.fma(b, a0_1); a0_2 = v2.fma(b, a0_2); a0_3 = v3.fma(b, a0_3); a0_4 = v4.fma(b, a0_4); a0_5 = v5.fma(b, a0_5); a0_6 = v6.fma(b, a0_6); a0_7 = v7.fma(b, a0_7);
            b = FloatVector.broadcast(S, s[so + 1 * ss + j]);
            a1_0 = v0.fma(b, a1_0); a1_1 = v1.fma(b, a1_1); a1_2 = v2.fma(b, a1_2); a1_3 = v3.fma(b, a1_3); a1_4 = v4.fma(b, a1_4); a1_5 = v5.fma(b, a1_5); a1_6 = v6.fma(b, a1_6); a1_7 = v7.fma(b, a1_7);
            b = FloatVector.broadcast(S, s[so + 2 * ss + j]);
            a2_0 = v0.fma(b, a2_0); a2_1 = v1.fma(b, a2_1); a2_2 = v2.fma(b, a2_2); a2_3 = v3.fma(b, a2_3); a2_4 = v4.fma(b, a2_4); a2_5 = v5.fma(b, a2_5); a2_6 = v6.fma(b, a2_6); a2_7 = v7.fma(b, a2_7);
        }
        a0_0.intoArray(o, oo + 0 * os + 0 * L); a0_1.intoArray(o, oo + 0 * os + 1 * L); a0_2.intoArray(o, oo + 0 * os + 2 * L); a0_3.intoArray(o, oo + 0 * os + 3 * L); a0_4.intoArray(o, oo + 0 * os + 4 * L); a0_5.intoArray(o, oo + 0 * os + 5 * L); a0_6.intoArray(o, oo + 0 * os + 6 * L); a0_7.intoArray(o, oo + 0 * os + 7 * L);
        a1_0.intoArray(o, oo + 1 * os + 0 * L); a1_1.intoArray(o, oo + 1 * os + 1 * L); a1_2.intoArray(o, oo + 1 * os + 2 * L); a1_3.intoArray(o, oo + 1 * os + 3 * L); a1_4.intoArray(o, oo + 1 * os + 4 * L); a1_5.intoArray(o, oo + 1 * os + 5 * L); a1_6.intoArray(o, oo + 1 * os + 6 * L); a1_7.intoArray(o, oo + 1 * os + 7 * L);
        a2_0.intoArray(o, oo + 2 * os + 0 * L); a2_1.intoArray(o, oo + 2 * os + 1 * L); a2_2.intoArray(o, oo + 2 * os + 2 * L); a2_3.intoArray(o, oo + 2 * os + 3 * L); a2_4.intoArray(o, oo + 2 * os + 4 * L); a2_5.intoArray(o, oo + 2 * os + 5 * L); a2_6.intoArray(o, oo + 2 * os + 6 * L); a2_7.intoArray(o, oo + 2 * os + 7 * L);
    }

    private static void pv12x2(float[] s, int so, int ss, int keys, float[] v, int vo, int vs, float[] o, int oo,
                              int os, float[] alpha, int r) {
        FloatVector b;
        FloatVector a0_0 = FloatVector.fromArray(S, o, oo + 0 * os + 0 * L);
        FloatVector a0_1 = FloatVector.fromArray(S, o, oo + 0 * os + 1 * L);
        FloatVector a1_0 = FloatVector.fromArray(S, o, oo + 1 * os + 0 * L);
        FloatVector a1_1 = FloatVector.fromArray(S, o, oo + 1 * os + 1 * L);
        FloatVector a2_0 = FloatVector.fromArray(S, o, oo + 2 * os + 0 * L);
        FloatVector a2_1 = FloatVector.fromArray(S, o, oo + 2 * os + 1 * L);
        FloatVector a3_0 = FloatVector.fromArray(S, o, oo + 3 * os + 0 * L);
        FloatVector a3_1 = FloatVector.fromArray(S, o, oo + 3 * os + 1 * L);
        FloatVector a4_0 = FloatVector.fromArray(S, o, oo + 4 * os + 0 * L);
        FloatVector a4_1 = FloatVector.fromArray(S, o, oo + 4 * os + 1 * L);
        FloatVector a5_0 = FloatVector.fromArray(S, o, oo + 5 * os + 0 * L);
        FloatVector a5_1 = FloatVector.fromArray(S, o, oo + 5 * os + 1 * L);
        FloatVector a6_0 = FloatVector.fromArray(S, o, oo + 6 * os + 0 * L);
        FloatVector a6_1 = FloatVector.fromArray(S, o, oo + 6 * os + 1 * L);
        FloatVector a7_0 = FloatVector.fromArray(S, o, oo + 7 * os + 0 * L);
        FloatVector a7_1 = FloatVector.fromArray(S, o, oo + 7 * os + 1 * L);
        FloatVector a8_0 = FloatVector.fromArray(S, o, oo + 8 * os + 0 * L);
        FloatVector a8_1 = FloatVector.fromArray(S, o, oo + 8 * os + 1 * L);
        FloatVector a9_0 = FloatVector.fromArray(S, o, oo + 9 * os + 0 * L);
        FloatVector a9_1 = FloatVector.fromArray(S, o, oo + 9 * os + 1 * L);
        FloatVector a10_0 = FloatVector.fromArray(S, o, oo + 10 * os + 0 * L);
        FloatVector a10_1 = FloatVector.fromArray(S, o, oo + 10 * os + 1 * L);
        FloatVector a11_0 = FloatVector.fromArray(S, o, oo + 11 * os + 0 * L);
        FloatVector a11_1 = FloatVector.fromArray(S, o, oo + 11 * os + 1 * L);
        int vj = vo;
        for (int j = 0; j < keys; j++, vj += vs) {
            FloatVector v0 = FloatVector.fromArray(S, v, vj + 0 * L);
            FloatVector v1 = FloatVector.fromArray(S, v, vj + 1 * L);
            b = FloatVector.broadcast(S, s[so + 0 * ss + j]);
            a0_0 = v0.fma(b, a0_0); a0_1 = v1.fma(b, a0_1);
            b = FloatVector.broadcast(S, s[so + 1 * ss + j]);
            a1_0 = v0.fma(b, a1_0); a1_1 = v1.fma(b, a1_1);
            b = FloatVector.broadcast(S, s[so + 2 * ss + j]);
            a2_0 = v0.fma(b, a2_0); a2_1 = v1.fma(b, a2_1);
            b = FloatVector.broadcast(S, s[so + 3 * ss + j]);
            a3_0 = v0.fma(b, a3_0); a3_1 = v1.fma(b, a3_1);
            b = FloatVector.broadcast(S, s[so + 4 * ss + j]);
            a4_0 = v0.fma(b, a4_0); a4_1 = v1.fma(b, a4_1);
            b = FloatVector.broadcast(S, s[so + 5 * ss + j]);
            a5_0 = v0.fma(b, a5_0); a5_1 = v1.fma(b, a5_1);
            b = FloatVector.broadcast(S, s[so + 6 * ss + j]);
            a6_0 = v0.fma(b, a6_0); a6_1 = v1.fma(b, a6_1);
            b = FloatVector.broadcast(S, s[so + 7 * ss + j]);
            a7_0 = v0.fma(b, a7_0); a7_1 = v1.fma(b, a7_1);
            b = FloatVector.broadcast(S, s[so + 8 * ss + j]);
            a8_0 = v0.fma(b, a8_0); a8_1 = v1.fma(b, a8_1);
            b = FloatVector.broadcast(S, s[so + 9 * ss + j]);
            a9_0 = v0.fma(b, a9_0); a9_1 = v1.fma(b, a9_1);
            b = FloatVector.broadcast(S, s[so + 10 * ss + j]);
            a10_0 = v0.fma(b, a10_0); a10_1 = v1.fma(b, a10_1);
            b = FloatVector.broadcast(S, s[so + 11 * ss + j]);
            a11_0 = v0.fma(b, a11_0); a11_1 = v1.fma(b, a11_1);
        }
        a0_0.intoArray(o, oo + 0 * os + 0 * L); a0_1.intoArray(o, oo + 0 * os + 1 * L);
        a1_0.intoArray(o, oo + 1 * os + 0 * L); a1_1.intoArray(o, oo + 1 * os + 1 * L);
        a2_0.intoArray(o, oo + 2 * os + 0 * L); a2_1.intoArray(o, oo + 2 * os + 1 * L);
        a3_0.intoArray(o, oo + 3 * os + 0 * L); a3_1.intoArray(o, oo + 3 * os + 1 * L);
        a4_0.intoArray(o, oo + 4 * os + 0 * L); a4_1.intoArray(o, oo + 4 * os + 1 * L);
        a5_0.intoArray(o, oo + 5 * os + 0 * L); a5_1.intoArray(o, oo + 5 * os + 1 * L);
        a6_0.intoArray(o, oo + 6 * os + 0 * L); a6_1.intoArray(o, oo + 6 * os + 1 * L);
        a7_0.intoArray(o, oo + 7 * os + 0 * L); a7_1.intoArray(o, oo + 7 * os + 1 * L);
        a8_0.intoArray(o, oo + 8 * os + 0 * L); a8_1.intoArray(o, oo + 8 * os + 1 * L);
        a9_0.intoArray(o, oo + 9 * os + 0 * L); a9_1.intoArray(o, oo + 9 * os + 1 * L);
        a10_0.intoArray(o, oo + 10 * os + 0 * L); a10_1.intoArray(o, oo + 10 * os + 1 * L);
        a11_0.intoArray(o, oo + 11 * os + 0 * L); a11_1.intoArray(o, oo + 11 * os + 1 * L);
    }

    private static void pv4x1(float[] s, int so, int ss, int keys, float[] v, int vo, int vs, float[] o, int oo,
                              int os, float[] alpha, int r) {
        FloatVector a0 = FloatVector.fromArray(S, o, oo);
        FloatVector a1 = FloatVector.fromArray(S, o, oo + os);
        FloatVector a2 = FloatVector.fromArray(S, o, oo + 2 * os);
        FloatVector a3 = FloatVector.fromArray(S, o, oo + 3 * os);
        int vj = vo;
        for (int j = 0; j < keys; j++, vj += vs) {
            FloatVector v0 = FloatVector.fromArray(S, v, vj);
            a0 = v0.fma(FloatVector.broadcast(S, s[so + j]), a0);
            a1 = v0.fma(FloatVector.broadcast(S, s[so + ss + j]), a1);
            a2 = v0.fma(FloatVector.broadcast(S, s[so + 2 * ss + j]), a2);
            a3 = v0.fma(FloatVector.broadcast(S, s[so + 3 * ss + j]), a3);
        }
        a0.intoArray(o, oo);
        a1.intoArray(o, oo + os);
        a2.intoArray(o, oo + 2 * os);
        a3.intoArray(o, oo + 3 * os);
    }

}
