package org.isentropic.kernels;

import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.IntVector;
import jdk.incubator.vector.VectorOperators;
import jdk.incubator.vector.VectorSpecies;

/**
 * Vector API {@link TileOps} (performance.md): outer-product register tiles (R query rows x C key
 * vectors of accumulators, the query component broadcast, the packed key panel loaded), an exp2
 * polynomial, and a P.V outer product (4 rows x 4 value vectors). Loaded only when jdk.incubator.vector
 * is present ({@link FusedKernel}).
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
                       int panels, float[] s, int ss) {
        int rt = tile.rows();
        int ct = tile.panels();
        int ps = d * L;
        int p = 0;
        for (; p + ct <= panels; p += ct) {
            int po = panelOff + p * ps;
            for (int r = 0; r < rows; r += rt) {
                int qo = qOff + r * d;
                int so = r * ss + p * L;
                switch (tile) {
                    case R4C4: scores4x4(q, qo, d, kp, po, ps, s, so, ss); break;
                    case R8C3: scores8x3(q, qo, d, kp, po, ps, s, so, ss); break;
                    case R8C2: scores8x2(q, qo, d, kp, po, ps, s, so, ss); break;
                    case R4C3: scores4x3(q, qo, d, kp, po, ps, s, so, ss); break;
                    default: throw new AssertionError(tile);
                }
            }
        }
        for (; p < panels; p++) {
            int po = panelOff + p * ps;
            for (int r = 0; r < rows; r += 4) {
                scores4x1(q, qOff + r * d, d, kp, po, s, r * ss + p * L, ss);
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

    @Override
    public void pv(float[] s, int ss, int rows, int keys, float[] v, int vRow0, int vs, int dvp, float[] o,
                   float[] alpha) {
        int c = 0;
        for (; c + 4 * L <= dvp; c += 4 * L) {
            for (int r = 0; r < rows; r += 4) {
                pv4x4(s, r * ss, ss, keys, v, vRow0 * vs + c, vs, o, r * dvp + c, dvp, alpha, r);
            }
        }
        for (; c < dvp; c += L) {
            for (int r = 0; r < rows; r += 4) {
                pv4x1(s, r * ss, ss, keys, v, vRow0 * vs + c, vs, o, r * dvp + c, dvp, alpha, r);
            }
        }
    }

    private static void pv4x4(float[] s, int so, int ss, int keys, float[] v, int vo, int vs, float[] o, int oo,
                              int os, float[] alpha, int r) {
        FloatVector b = FloatVector.broadcast(S, alpha[r]);
        FloatVector a00 = FloatVector.fromArray(S, o, oo).mul(b);
        FloatVector a01 = FloatVector.fromArray(S, o, oo + L).mul(b);
        FloatVector a02 = FloatVector.fromArray(S, o, oo + 2 * L).mul(b);
        FloatVector a03 = FloatVector.fromArray(S, o, oo + 3 * L).mul(b);
        b = FloatVector.broadcast(S, alpha[r + 1]);
        FloatVector a10 = FloatVector.fromArray(S, o, oo + os).mul(b);
        FloatVector a11 = FloatVector.fromArray(S, o, oo + os + L).mul(b);
        FloatVector a12 = FloatVector.fromArray(S, o, oo + os + 2 * L).mul(b);
        FloatVector a13 = FloatVector.fromArray(S, o, oo + os + 3 * L).mul(b);
        b = FloatVector.broadcast(S, alpha[r + 2]);
        FloatVector a20 = FloatVector.fromArray(S, o, oo + 2 * os).mul(b);
        FloatVector a21 = FloatVector.fromArray(S, o, oo + 2 * os + L).mul(b);
        FloatVector a22 = FloatVector.fromArray(S, o, oo + 2 * os + 2 * L).mul(b);
        FloatVector a23 = FloatVector.fromArray(S, o, oo + 2 * os + 3 * L).mul(b);
        b = FloatVector.broadcast(S, alpha[r + 3]);
        FloatVector a30 = FloatVector.fromArray(S, o, oo + 3 * os).mul(b);
        FloatVector a31 = FloatVector.fromArray(S, o, oo + 3 * os + L).mul(b);
        FloatVector a32 = FloatVector.fromArray(S, o, oo + 3 * os + 2 * L).mul(b);
        FloatVector a33 = FloatVector.fromArray(S, o, oo + 3 * os + 3 * L).mul(b);
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

    private static void pv4x1(float[] s, int so, int ss, int keys, float[] v, int vo, int vs, float[] o, int oo,
                              int os, float[] alpha, int r) {
        FloatVector a0 = FloatVector.fromArray(S, o, oo).mul(alpha[r]);
        FloatVector a1 = FloatVector.fromArray(S, o, oo + os).mul(alpha[r + 1]);
        FloatVector a2 = FloatVector.fromArray(S, o, oo + 2 * os).mul(alpha[r + 2]);
        FloatVector a3 = FloatVector.fromArray(S, o, oo + 3 * os).mul(alpha[r + 3]);
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
