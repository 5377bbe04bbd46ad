package org.isentropic.kernels.fused;

import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorOperators;
import jdk.incubator.vector.VectorSpecies;

/**
 * Vector API {@link TileOps} (docs/performance.md, section 2): outer-product register tiles
 * (R query rows x C key vectors of accumulators, the query component broadcast, the packed key panel
 * loaded), an exp2 polynomial, and a P.V outer product (rows x value vectors) over chunks of value rows
 * small enough to stay in L1 while every row group passes over them. Loaded only when jdk.incubator.vector
 * is present ({@link VectorSupport}).
 *
 * <p>Each micro-kernel keeps its accumulators in local variables (named {@code acc<row><column>}) so that
 * C2 keeps them in registers; an array of vectors would not be. One score kernel per tile shape of
 * {@link FusedKernel.QkTile}, one P.V kernel of {@link FusedKernel#PV_TILE_ROWS} rows x 4 value vectors, plus
 * the 4 x 1 kernels for the panels and value vectors left over when a tile's width does not divide the block.
 */
final class SimdTiles implements TileOps {

    private static final VectorSpecies<Float> S = FloatVector.SPECIES_PREFERRED;
    private static final int L = S.length();

    private static final float FLOOR = VectorExp2.FLOOR;
    private static final double LN2 = 0.6931471805599453;

    @Override
    public int lanes() {
        return L;
    }

    @Override
    public void scores(FusedKernel.QkTile tile, float[] q, int qOff, int d, int rows, float[] kp, int panelOff,
                       int panels, float[] s, int sOff, int ss) {
        int tileRows = tile.rows();
        int tilePanels = tile.panels();
        int panelSize = d * L;
        int p = 0;
        for (; p + tilePanels <= panels; p += tilePanels) {
            int kOff = panelOff + p * panelSize;
            for (int r = 0; r < rows; r += tileRows) {
                int qRow = qOff + r * d;
                int sRow = sOff + r * ss + p * L;
                if (tile == FusedKernel.QkTile.R6C4) {
                    scores6x4(q, qRow, d, kp, kOff, panelSize, s, sRow, ss);
                } else if (tile == FusedKernel.QkTile.R8C3) {
                    scores8x3(q, qRow, d, kp, kOff, panelSize, s, sRow, ss);
                } else if (tile == FusedKernel.QkTile.R4C3) {
                    scores4x3(q, qRow, d, kp, kOff, panelSize, s, sRow, ss);
                } else {
                    scores4x4(q, qRow, d, kp, kOff, panelSize, s, sRow, ss);
                }
            }
        }
        if (tileRows == 6) {
            // R6C4's leftover panels (the edges of a band's tiles) in 6-row tiles: rows is a multiple of 6 only.
            for (; p + 2 <= panels; p += 2) {
                int kOff = panelOff + p * panelSize;
                for (int r = 0; r < rows; r += 6) {
                    scores6x2(q, qOff + r * d, d, kp, kOff, panelSize, s, sOff + r * ss + p * L, ss);
                }
            }
            if (p < panels) {
                int kOff = panelOff + p * panelSize;
                for (int r = 0; r < rows; r += 6) {
                    scores6x1(q, qOff + r * d, d, kp, kOff, s, sOff + r * ss + p * L, ss);
                }
                p++;
            }
        }
        if (tileRows == 8) {
            // The panels left over by R8C3 (the edges of a band's tiles) in 8-row tiles: 8 independent accumulator
            // chains per panel instead of scores4x1's 4.
            if (p + 2 <= panels) {
                int kOff = panelOff + p * panelSize;
                for (int r = 0; r < rows; r += 8) {
                    scores8x2(q, qOff + r * d, d, kp, kOff, panelSize, s, sOff + r * ss + p * L, ss);
                }
                p += 2;
            }
            if (p < panels) {
                int kOff = panelOff + p * panelSize;
                for (int r = 0; r < rows; r += 8) {
                    scores8x1(q, qOff + r * d, d, kp, kOff, s, sOff + r * ss + p * L, ss);
                }
                p++;
            }
        }
        for (; p < panels; p++) {
            int kOff = panelOff + p * panelSize;
            for (int r = 0; r < rows; r += 4) {
                // rows is a multiple of the tile's rows, and the workspace pads rows to a multiple of 24.
                scores4x1(q, qOff + r * d, d, kp, kOff, s, sOff + r * ss + p * L, ss);
            }
        }
    }

    /**
     * Scores of 4 query rows (q[qo + r*d + c]) against 4 key panels (panel p at kp[ko + p*ps + c*L]) into
     * s[so + r*ss + p*L ..].
     */
    private static void scores4x4(float[] q, int qo, int d, float[] kp, int ko, int ps, float[] s, int so, int ss) {
        FloatVector acc00 = FloatVector.zero(S), acc01 = acc00, acc02 = acc00, acc03 = acc00;
        FloatVector acc10 = acc00, acc11 = acc00, acc12 = acc00, acc13 = acc00;
        FloatVector acc20 = acc00, acc21 = acc00, acc22 = acc00, acc23 = acc00;
        FloatVector acc30 = acc00, acc31 = acc00, acc32 = acc00, acc33 = acc00;
        int kc = ko;
        for (int c = 0; c < d; c++, kc += L) {
            FloatVector key0 = FloatVector.fromArray(S, kp, kc);
            FloatVector key1 = FloatVector.fromArray(S, kp, kc + ps);
            FloatVector key2 = FloatVector.fromArray(S, kp, kc + 2 * ps);
            FloatVector key3 = FloatVector.fromArray(S, kp, kc + 3 * ps);
            FloatVector query = FloatVector.broadcast(S, q[qo + c]);
            acc00 = key0.fma(query, acc00); acc01 = key1.fma(query, acc01);
            acc02 = key2.fma(query, acc02); acc03 = key3.fma(query, acc03);
            query = FloatVector.broadcast(S, q[qo + d + c]);
            acc10 = key0.fma(query, acc10); acc11 = key1.fma(query, acc11);
            acc12 = key2.fma(query, acc12); acc13 = key3.fma(query, acc13);
            query = FloatVector.broadcast(S, q[qo + 2 * d + c]);
            acc20 = key0.fma(query, acc20); acc21 = key1.fma(query, acc21);
            acc22 = key2.fma(query, acc22); acc23 = key3.fma(query, acc23);
            query = FloatVector.broadcast(S, q[qo + 3 * d + c]);
            acc30 = key0.fma(query, acc30); acc31 = key1.fma(query, acc31);
            acc32 = key2.fma(query, acc32); acc33 = key3.fma(query, acc33);
        }
        int row = so;
        acc00.intoArray(s, row); acc01.intoArray(s, row + L); acc02.intoArray(s, row + 2 * L); acc03.intoArray(s, row + 3 * L);
        row += ss;
        acc10.intoArray(s, row); acc11.intoArray(s, row + L); acc12.intoArray(s, row + 2 * L); acc13.intoArray(s, row + 3 * L);
        row += ss;
        acc20.intoArray(s, row); acc21.intoArray(s, row + L); acc22.intoArray(s, row + 2 * L); acc23.intoArray(s, row + 3 * L);
        row += ss;
        acc30.intoArray(s, row); acc31.intoArray(s, row + L); acc32.intoArray(s, row + 2 * L); acc33.intoArray(s, row + 3 * L);
    }

    /**
     * As {@link #scores4x4}, 6 query rows against 4 key panels (the AVX-512 default: 24 accumulators, 10 loads per 24
     * FMAs where R8C3 needs 11; the score phase ran 7 % faster, docs/performance.md, section 5).
     */
    private static void scores6x4(float[] q, int qo, int d, float[] kp, int ko, int ps, float[] s, int so, int ss) {
        FloatVector acc00 = FloatVector.zero(S), acc01 = acc00, acc02 = acc00, acc03 = acc00;
        FloatVector acc10 = acc00, acc11 = acc00, acc12 = acc00, acc13 = acc00;
        FloatVector acc20 = acc00, acc21 = acc00, acc22 = acc00, acc23 = acc00;
        FloatVector acc30 = acc00, acc31 = acc00, acc32 = acc00, acc33 = acc00;
        FloatVector acc40 = acc00, acc41 = acc00, acc42 = acc00, acc43 = acc00;
        FloatVector acc50 = acc00, acc51 = acc00, acc52 = acc00, acc53 = acc00;
        int kc = ko;
        for (int c = 0; c < d; c++, kc += L) {
            FloatVector key0 = FloatVector.fromArray(S, kp, kc);
            FloatVector key1 = FloatVector.fromArray(S, kp, kc + ps);
            FloatVector key2 = FloatVector.fromArray(S, kp, kc + 2 * ps);
            FloatVector key3 = FloatVector.fromArray(S, kp, kc + 3 * ps);
            FloatVector query = FloatVector.broadcast(S, q[qo + c]);
            acc00 = key0.fma(query, acc00); acc01 = key1.fma(query, acc01);
            acc02 = key2.fma(query, acc02); acc03 = key3.fma(query, acc03);
            query = FloatVector.broadcast(S, q[qo + d + c]);
            acc10 = key0.fma(query, acc10); acc11 = key1.fma(query, acc11);
            acc12 = key2.fma(query, acc12); acc13 = key3.fma(query, acc13);
            query = FloatVector.broadcast(S, q[qo + 2 * d + c]);
            acc20 = key0.fma(query, acc20); acc21 = key1.fma(query, acc21);
            acc22 = key2.fma(query, acc22); acc23 = key3.fma(query, acc23);
            query = FloatVector.broadcast(S, q[qo + 3 * d + c]);
            acc30 = key0.fma(query, acc30); acc31 = key1.fma(query, acc31);
            acc32 = key2.fma(query, acc32); acc33 = key3.fma(query, acc33);
            query = FloatVector.broadcast(S, q[qo + 4 * d + c]);
            acc40 = key0.fma(query, acc40); acc41 = key1.fma(query, acc41);
            acc42 = key2.fma(query, acc42); acc43 = key3.fma(query, acc43);
            query = FloatVector.broadcast(S, q[qo + 5 * d + c]);
            acc50 = key0.fma(query, acc50); acc51 = key1.fma(query, acc51);
            acc52 = key2.fma(query, acc52); acc53 = key3.fma(query, acc53);
        }
        int row = so;
        acc00.intoArray(s, row); acc01.intoArray(s, row + L); acc02.intoArray(s, row + 2 * L); acc03.intoArray(s, row + 3 * L);
        row += ss;
        acc10.intoArray(s, row); acc11.intoArray(s, row + L); acc12.intoArray(s, row + 2 * L); acc13.intoArray(s, row + 3 * L);
        row += ss;
        acc20.intoArray(s, row); acc21.intoArray(s, row + L); acc22.intoArray(s, row + 2 * L); acc23.intoArray(s, row + 3 * L);
        row += ss;
        acc30.intoArray(s, row); acc31.intoArray(s, row + L); acc32.intoArray(s, row + 2 * L); acc33.intoArray(s, row + 3 * L);
        row += ss;
        acc40.intoArray(s, row); acc41.intoArray(s, row + L); acc42.intoArray(s, row + 2 * L); acc43.intoArray(s, row + 3 * L);
        row += ss;
        acc50.intoArray(s, row); acc51.intoArray(s, row + L); acc52.intoArray(s, row + 2 * L); acc53.intoArray(s, row + 3 * L);
    }

    /** As {@link #scores6x4}, 6 query rows against 2 key panels (R6C4's leftover panels). */
    private static void scores6x2(float[] q, int qo, int d, float[] kp, int ko, int ps, float[] s, int so, int ss) {
        FloatVector acc00 = FloatVector.zero(S), acc01 = acc00;
        FloatVector acc10 = acc00, acc11 = acc00;
        FloatVector acc20 = acc00, acc21 = acc00;
        FloatVector acc30 = acc00, acc31 = acc00;
        FloatVector acc40 = acc00, acc41 = acc00;
        FloatVector acc50 = acc00, acc51 = acc00;
        int kc = ko;
        for (int c = 0; c < d; c++, kc += L) {
            FloatVector key0 = FloatVector.fromArray(S, kp, kc);
            FloatVector key1 = FloatVector.fromArray(S, kp, kc + ps);
            FloatVector query = FloatVector.broadcast(S, q[qo + c]);
            acc00 = key0.fma(query, acc00); acc01 = key1.fma(query, acc01);
            query = FloatVector.broadcast(S, q[qo + d + c]);
            acc10 = key0.fma(query, acc10); acc11 = key1.fma(query, acc11);
            query = FloatVector.broadcast(S, q[qo + 2 * d + c]);
            acc20 = key0.fma(query, acc20); acc21 = key1.fma(query, acc21);
            query = FloatVector.broadcast(S, q[qo + 3 * d + c]);
            acc30 = key0.fma(query, acc30); acc31 = key1.fma(query, acc31);
            query = FloatVector.broadcast(S, q[qo + 4 * d + c]);
            acc40 = key0.fma(query, acc40); acc41 = key1.fma(query, acc41);
            query = FloatVector.broadcast(S, q[qo + 5 * d + c]);
            acc50 = key0.fma(query, acc50); acc51 = key1.fma(query, acc51);
        }
        int row = so;
        acc00.intoArray(s, row); acc01.intoArray(s, row + L);
        row += ss;
        acc10.intoArray(s, row); acc11.intoArray(s, row + L);
        row += ss;
        acc20.intoArray(s, row); acc21.intoArray(s, row + L);
        row += ss;
        acc30.intoArray(s, row); acc31.intoArray(s, row + L);
        row += ss;
        acc40.intoArray(s, row); acc41.intoArray(s, row + L);
        row += ss;
        acc50.intoArray(s, row); acc51.intoArray(s, row + L);
    }

    /** As {@link #scores6x4}, 6 query rows against one key panel (R6C4's last leftover panel). */
    private static void scores6x1(float[] q, int qo, int d, float[] kp, int ko, float[] s, int so, int ss) {
        FloatVector acc0 = FloatVector.zero(S), acc1 = acc0, acc2 = acc0, acc3 = acc0, acc4 = acc0, acc5 = acc0;
        int kc = ko;
        for (int c = 0; c < d; c++, kc += L) {
            FloatVector key = FloatVector.fromArray(S, kp, kc);
            acc0 = key.fma(FloatVector.broadcast(S, q[qo + c]), acc0);
            acc1 = key.fma(FloatVector.broadcast(S, q[qo + d + c]), acc1);
            acc2 = key.fma(FloatVector.broadcast(S, q[qo + 2 * d + c]), acc2);
            acc3 = key.fma(FloatVector.broadcast(S, q[qo + 3 * d + c]), acc3);
            acc4 = key.fma(FloatVector.broadcast(S, q[qo + 4 * d + c]), acc4);
            acc5 = key.fma(FloatVector.broadcast(S, q[qo + 5 * d + c]), acc5);
        }
        acc0.intoArray(s, so);
        acc1.intoArray(s, so + ss);
        acc2.intoArray(s, so + 2 * ss);
        acc3.intoArray(s, so + 3 * ss);
        acc4.intoArray(s, so + 4 * ss);
        acc5.intoArray(s, so + 5 * ss);
    }

    /** As {@link #scores4x4}, 8 query rows against 3 key panels (24 accumulators). */
    private static void scores8x3(float[] q, int qo, int d, float[] kp, int ko, int ps, float[] s, int so, int ss) {
        FloatVector acc00 = FloatVector.zero(S), acc01 = acc00, acc02 = acc00;
        FloatVector acc10 = acc00, acc11 = acc00, acc12 = acc00;
        FloatVector acc20 = acc00, acc21 = acc00, acc22 = acc00;
        FloatVector acc30 = acc00, acc31 = acc00, acc32 = acc00;
        FloatVector acc40 = acc00, acc41 = acc00, acc42 = acc00;
        FloatVector acc50 = acc00, acc51 = acc00, acc52 = acc00;
        FloatVector acc60 = acc00, acc61 = acc00, acc62 = acc00;
        FloatVector acc70 = acc00, acc71 = acc00, acc72 = acc00;
        int kc = ko;
        for (int c = 0; c < d; c++, kc += L) {
            FloatVector key0 = FloatVector.fromArray(S, kp, kc);
            FloatVector key1 = FloatVector.fromArray(S, kp, kc + ps);
            FloatVector key2 = FloatVector.fromArray(S, kp, kc + 2 * ps);
            FloatVector query = FloatVector.broadcast(S, q[qo + c]);
            acc00 = key0.fma(query, acc00); acc01 = key1.fma(query, acc01); acc02 = key2.fma(query, acc02);
            query = FloatVector.broadcast(S, q[qo + d + c]);
            acc10 = key0.fma(query, acc10); acc11 = key1.fma(query, acc11); acc12 = key2.fma(query, acc12);
            query = FloatVector.broadcast(S, q[qo + 2 * d + c]);
            acc20 = key0.fma(query, acc20); acc21 = key1.fma(query, acc21); acc22 = key2.fma(query, acc22);
            query = FloatVector.broadcast(S, q[qo + 3 * d + c]);
            acc30 = key0.fma(query, acc30); acc31 = key1.fma(query, acc31); acc32 = key2.fma(query, acc32);
            query = FloatVector.broadcast(S, q[qo + 4 * d + c]);
            acc40 = key0.fma(query, acc40); acc41 = key1.fma(query, acc41); acc42 = key2.fma(query, acc42);
            query = FloatVector.broadcast(S, q[qo + 5 * d + c]);
            acc50 = key0.fma(query, acc50); acc51 = key1.fma(query, acc51); acc52 = key2.fma(query, acc52);
            query = FloatVector.broadcast(S, q[qo + 6 * d + c]);
            acc60 = key0.fma(query, acc60); acc61 = key1.fma(query, acc61); acc62 = key2.fma(query, acc62);
            query = FloatVector.broadcast(S, q[qo + 7 * d + c]);
            acc70 = key0.fma(query, acc70); acc71 = key1.fma(query, acc71); acc72 = key2.fma(query, acc72);
        }
        int row = so;
        acc00.intoArray(s, row); acc01.intoArray(s, row + L); acc02.intoArray(s, row + 2 * L);
        row += ss;
        acc10.intoArray(s, row); acc11.intoArray(s, row + L); acc12.intoArray(s, row + 2 * L);
        row += ss;
        acc20.intoArray(s, row); acc21.intoArray(s, row + L); acc22.intoArray(s, row + 2 * L);
        row += ss;
        acc30.intoArray(s, row); acc31.intoArray(s, row + L); acc32.intoArray(s, row + 2 * L);
        row += ss;
        acc40.intoArray(s, row); acc41.intoArray(s, row + L); acc42.intoArray(s, row + 2 * L);
        row += ss;
        acc50.intoArray(s, row); acc51.intoArray(s, row + L); acc52.intoArray(s, row + 2 * L);
        row += ss;
        acc60.intoArray(s, row); acc61.intoArray(s, row + L); acc62.intoArray(s, row + 2 * L);
        row += ss;
        acc70.intoArray(s, row); acc71.intoArray(s, row + L); acc72.intoArray(s, row + 2 * L);
    }

    /**
     * As {@link #scores4x4}, 4 query rows against 3 key panels: 12 accumulators, 3 keys and a broadcast fill the 16
     * vector registers of AVX2, where {@link #scores8x3}'s 24 accumulators spill.
     */
    private static void scores4x3(float[] q, int qo, int d, float[] kp, int ko, int ps, float[] s, int so, int ss) {
        FloatVector acc00 = FloatVector.zero(S), acc01 = acc00, acc02 = acc00;
        FloatVector acc10 = acc00, acc11 = acc00, acc12 = acc00;
        FloatVector acc20 = acc00, acc21 = acc00, acc22 = acc00;
        FloatVector acc30 = acc00, acc31 = acc00, acc32 = acc00;
        int kc = ko;
        for (int c = 0; c < d; c++, kc += L) {
            FloatVector key0 = FloatVector.fromArray(S, kp, kc);
            FloatVector key1 = FloatVector.fromArray(S, kp, kc + ps);
            FloatVector key2 = FloatVector.fromArray(S, kp, kc + 2 * ps);
            FloatVector query = FloatVector.broadcast(S, q[qo + c]);
            acc00 = key0.fma(query, acc00); acc01 = key1.fma(query, acc01); acc02 = key2.fma(query, acc02);
            query = FloatVector.broadcast(S, q[qo + d + c]);
            acc10 = key0.fma(query, acc10); acc11 = key1.fma(query, acc11); acc12 = key2.fma(query, acc12);
            query = FloatVector.broadcast(S, q[qo + 2 * d + c]);
            acc20 = key0.fma(query, acc20); acc21 = key1.fma(query, acc21); acc22 = key2.fma(query, acc22);
            query = FloatVector.broadcast(S, q[qo + 3 * d + c]);
            acc30 = key0.fma(query, acc30); acc31 = key1.fma(query, acc31); acc32 = key2.fma(query, acc32);
        }
        int row = so;
        acc00.intoArray(s, row); acc01.intoArray(s, row + L); acc02.intoArray(s, row + 2 * L);
        row += ss;
        acc10.intoArray(s, row); acc11.intoArray(s, row + L); acc12.intoArray(s, row + 2 * L);
        row += ss;
        acc20.intoArray(s, row); acc21.intoArray(s, row + L); acc22.intoArray(s, row + 2 * L);
        row += ss;
        acc30.intoArray(s, row); acc31.intoArray(s, row + L); acc32.intoArray(s, row + 2 * L);
    }

    /** As {@link #scores8x3}, 8 query rows against 2 key panels (16 accumulators; R8C3's leftover panels). */
    private static void scores8x2(float[] q, int qo, int d, float[] kp, int ko, int ps, float[] s, int so, int ss) {
        FloatVector acc00 = FloatVector.zero(S), acc01 = acc00;
        FloatVector acc10 = acc00, acc11 = acc00;
        FloatVector acc20 = acc00, acc21 = acc00;
        FloatVector acc30 = acc00, acc31 = acc00;
        FloatVector acc40 = acc00, acc41 = acc00;
        FloatVector acc50 = acc00, acc51 = acc00;
        FloatVector acc60 = acc00, acc61 = acc00;
        FloatVector acc70 = acc00, acc71 = acc00;
        int kc = ko;
        for (int c = 0; c < d; c++, kc += L) {
            FloatVector key0 = FloatVector.fromArray(S, kp, kc);
            FloatVector key1 = FloatVector.fromArray(S, kp, kc + ps);
            FloatVector query = FloatVector.broadcast(S, q[qo + c]);
            acc00 = key0.fma(query, acc00); acc01 = key1.fma(query, acc01);
            query = FloatVector.broadcast(S, q[qo + d + c]);
            acc10 = key0.fma(query, acc10); acc11 = key1.fma(query, acc11);
            query = FloatVector.broadcast(S, q[qo + 2 * d + c]);
            acc20 = key0.fma(query, acc20); acc21 = key1.fma(query, acc21);
            query = FloatVector.broadcast(S, q[qo + 3 * d + c]);
            acc30 = key0.fma(query, acc30); acc31 = key1.fma(query, acc31);
            query = FloatVector.broadcast(S, q[qo + 4 * d + c]);
            acc40 = key0.fma(query, acc40); acc41 = key1.fma(query, acc41);
            query = FloatVector.broadcast(S, q[qo + 5 * d + c]);
            acc50 = key0.fma(query, acc50); acc51 = key1.fma(query, acc51);
            query = FloatVector.broadcast(S, q[qo + 6 * d + c]);
            acc60 = key0.fma(query, acc60); acc61 = key1.fma(query, acc61);
            query = FloatVector.broadcast(S, q[qo + 7 * d + c]);
            acc70 = key0.fma(query, acc70); acc71 = key1.fma(query, acc71);
        }
        int row = so;
        acc00.intoArray(s, row); acc01.intoArray(s, row + L);
        row += ss;
        acc10.intoArray(s, row); acc11.intoArray(s, row + L);
        row += ss;
        acc20.intoArray(s, row); acc21.intoArray(s, row + L);
        row += ss;
        acc30.intoArray(s, row); acc31.intoArray(s, row + L);
        row += ss;
        acc40.intoArray(s, row); acc41.intoArray(s, row + L);
        row += ss;
        acc50.intoArray(s, row); acc51.intoArray(s, row + L);
        row += ss;
        acc60.intoArray(s, row); acc61.intoArray(s, row + L);
        row += ss;
        acc70.intoArray(s, row); acc71.intoArray(s, row + L);
    }

    /** As {@link #scores8x3}, 8 query rows against one key panel (R8C3's last leftover panel). */
    private static void scores8x1(float[] q, int qo, int d, float[] kp, int ko, float[] s, int so, int ss) {
        FloatVector acc0 = FloatVector.zero(S), acc1 = acc0, acc2 = acc0, acc3 = acc0;
        FloatVector acc4 = acc0, acc5 = acc0, acc6 = acc0, acc7 = acc0;
        int kc = ko;
        for (int c = 0; c < d; c++, kc += L) {
            FloatVector key = FloatVector.fromArray(S, kp, kc);
            acc0 = key.fma(FloatVector.broadcast(S, q[qo + c]), acc0);
            acc1 = key.fma(FloatVector.broadcast(S, q[qo + d + c]), acc1);
            acc2 = key.fma(FloatVector.broadcast(S, q[qo + 2 * d + c]), acc2);
            acc3 = key.fma(FloatVector.broadcast(S, q[qo + 3 * d + c]), acc3);
            acc4 = key.fma(FloatVector.broadcast(S, q[qo + 4 * d + c]), acc4);
            acc5 = key.fma(FloatVector.broadcast(S, q[qo + 5 * d + c]), acc5);
            acc6 = key.fma(FloatVector.broadcast(S, q[qo + 6 * d + c]), acc6);
            acc7 = key.fma(FloatVector.broadcast(S, q[qo + 7 * d + c]), acc7);
        }
        acc0.intoArray(s, so);
        acc1.intoArray(s, so + ss);
        acc2.intoArray(s, so + 2 * ss);
        acc3.intoArray(s, so + 3 * ss);
        acc4.intoArray(s, so + 4 * ss);
        acc5.intoArray(s, so + 5 * ss);
        acc6.intoArray(s, so + 6 * ss);
        acc7.intoArray(s, so + 7 * ss);
    }

    /** As {@link #scores4x4}, 4 query rows against one key panel (the panels left over by the tile). */
    private static void scores4x1(float[] q, int qo, int d, float[] kp, int ko, float[] s, int so, int ss) {
        FloatVector acc0 = FloatVector.zero(S), acc1 = acc0, acc2 = acc0, acc3 = acc0;
        int kc = ko;
        for (int c = 0; c < d; c++, kc += L) {
            FloatVector key = FloatVector.fromArray(S, kp, kc);
            acc0 = key.fma(FloatVector.broadcast(S, q[qo + c]), acc0);
            acc1 = key.fma(FloatVector.broadcast(S, q[qo + d + c]), acc1);
            acc2 = key.fma(FloatVector.broadcast(S, q[qo + 2 * d + c]), acc2);
            acc3 = key.fma(FloatVector.broadcast(S, q[qo + 3 * d + c]), acc3);
        }
        acc0.intoArray(s, so);
        acc1.intoArray(s, so + ss);
        acc2.intoArray(s, so + 2 * ss);
        acc3.intoArray(s, so + 3 * ss);
    }

    @Override
    public void alibi(float[] s, int ss, int rows, int width, int rowStart, int keyStart, float[] slope, float cap) {
        FloatVector iota = FloatVector.fromArray(S, IOTA, 0);
        for (int r = 0; r < rows; r++) {
            float negativeSlope = -slope[rowStart + r];
            int rowOff = r * ss;
            float firstOffset = keyStart - rowStart - r; // j - i at the tile's first column
            for (int j = 0; j < width; j += L) {
                FloatVector distance = iota.add(firstOffset + j).abs().min(cap);
                FloatVector.fromArray(S, s, rowOff + j).add(distance.mul(negativeSlope)).intoArray(s, rowOff + j);
            }
        }
    }

    /** 0, 1, .., L - 1: the lane offsets of a vector of columns. */
    private static final float[] IOTA = new float[L];

    static {
        for (int t = 0; t < L; t++) {
            IOTA[t] = t;
        }
    }

    /**
     * Two loops, one per setting of {@code entropy}, each in a method of its own: the JIT compiles and profiles
     * each separately, so a kernel with entropy off never runs (or compiles around) the entropy's accumulator, and
     * the loop with it is not shaped by the other's profile (docs/performance.md, section 5: separate forks with
     * entropy on and off differed by far more than the one extra FMA per score).
     */
    @Override
    public void softmax(float[] s, int ss, int r0, int rows, int col0, int width, boolean masked, boolean entropy,
                        float[] rowMax, float[] weightSums, float[] weightedLogitSums, float[] rescale) {
        if (entropy) {
            softmaxWithEntropy(s, ss, r0, rows, col0, width, masked, rowMax, weightSums, weightedLogitSums, rescale);
        } else {
            softmaxWeightsOnly(s, ss, r0, rows, col0, width, masked, rowMax, weightSums, rescale);
        }
    }

    /**
     * {@link #softmax} with entropy on: l and u in the row's lane partials, which the loop carries from the last
     * tile (rescaled first when the max moved, {@link #startRows}) and stores back, so that l and u cost one add and
     * one FMA per score vector and no horizontal reduction per row and tile (C2 sums a vector's lanes one after
     * another: the reduction of l took 1.2 of the softmax's 5.9 ms at n = 4096, docs/performance.md, section 5).
     */
    private static void softmaxWithEntropy(float[] s, int ss, int r0, int rows, int col0, int width, boolean masked,
                                           float[] rowMax, float[] weightSums, float[] weightedLogitSums,
                                           float[] rescale) {
        startRows(s, ss, r0, rows, col0, width, true, rowMax, weightSums, weightedLogitSums, rescale);
        for (int r = r0; r < r0 + rows; r++) {
            int rowOff = r * ss + col0;
            if (Float.isNaN(rescale[r])) {
                emptyRow(s, rowOff, width, r, rescale);
                continue;
            }
            float newMax = rowMax[r];
            int lanesOff = r * L;
            FloatVector weightLanes = FloatVector.fromArray(S, weightSums, lanesOff);
            FloatVector weightedLogitLanes = FloatVector.fromArray(S, weightedLogitSums, lanesOff);
            for (int j = 0; j < width; j += L) {
                FloatVector score = FloatVector.fromArray(S, s, rowOff + j);
                FloatVector shifted = score.sub(newMax).max(FLOOR); // t - m, clamped for exp2
                FloatVector weight = VectorExp2.exp2(shifted);
                if (masked) {
                    weight = weight.blend(0f, score.compare(VectorOperators.EQ, Float.NEGATIVE_INFINITY));
                }
                weight.intoArray(s, rowOff + j);
                weightLanes = weightLanes.add(weight);
                weightedLogitLanes = weight.fma(shifted, weightedLogitLanes);
            }
            weightLanes.intoArray(weightSums, lanesOff);
            weightedLogitLanes.intoArray(weightedLogitSums, lanesOff);
        }
    }

    /** {@link #softmax} with entropy off: l only (u is left as it is). */
    private static void softmaxWeightsOnly(float[] s, int ss, int r0, int rows, int col0, int width, boolean masked,
                                           float[] rowMax, float[] weightSums, float[] rescale) {
        startRows(s, ss, r0, rows, col0, width, false, rowMax, weightSums, null, rescale);
        for (int r = r0; r < r0 + rows; r++) {
            int rowOff = r * ss + col0;
            if (Float.isNaN(rescale[r])) {
                emptyRow(s, rowOff, width, r, rescale);
                continue;
            }
            float newMax = rowMax[r];
            int lanesOff = r * L;
            FloatVector weightLanes = FloatVector.fromArray(S, weightSums, lanesOff);
            for (int j = 0; j < width; j += L) {
                FloatVector score = FloatVector.fromArray(S, s, rowOff + j);
                FloatVector weight = VectorExp2.exp2(score.sub(newMax).max(FLOOR));
                if (masked) {
                    weight = weight.blend(0f, score.compare(VectorOperators.EQ, Float.NEGATIVE_INFINITY));
                }
                weight.intoArray(s, rowOff + j);
                weightLanes = weightLanes.add(weight);
            }
            weightLanes.intoArray(weightSums, lanesOff);
        }
    }

    /**
     * The first of the softmax's two passes over a tile's rows: every row's largest score, its new running max
     * and factor 2^(m_old - m_new) (into rowMax[r] and rescale[r]), and its lanes rescaled by the factor: each u
     * lane first gains its l lane times m_old - m_new (when {@code entropy}); a row's first visible tile starts
     * every lane from 0. The second pass then only adds the tile's terms. A row whose scores are all -inf is
     * marked by rescale[r] = NaN for the second pass to clear, its state untouched.
     *
     * <p>Every row's scalar work comes before any row's exponentials: the rows are independent, so the processor
     * overlaps their maxima, reductions and factors, where a row whose exponentials followed its own max waited on
     * the reduction's latency (the softmax took 5.9 instead of 8.0 ms of a 46 ms call at n = 4096,
     * docs/performance.md, section 5).
     */
    private static void startRows(float[] s, int ss, int r0, int rows, int col0, int width, boolean entropy,
                                  float[] rowMax, float[] weightSums, float[] weightedLogitSums, float[] rescale) {
        for (int r = r0; r < r0 + rows; r++) {
            float tileMax = rowMaximum(s, r * ss + col0, width);
            if (tileMax == Float.NEGATIVE_INFINITY) {
                rescale[r] = Float.NaN;
                continue;
            }
            float oldMax = rowMax[r];
            float newMax = Math.max(oldMax, tileMax);
            rowMax[r] = newMax;
            int lanesOff = r * L;
            if (oldMax == Float.NEGATIVE_INFINITY) { // the row's first visible tile
                rescale[r] = 0f;
                FloatVector.zero(S).intoArray(weightSums, lanesOff);
                if (entropy) {
                    FloatVector.zero(S).intoArray(weightedLogitSums, lanesOff);
                }
            } else if (oldMax == newMax) {
                rescale[r] = 1f;
            } else {
                float factor = (float) Math.exp((oldMax - newMax) * LN2);
                rescale[r] = factor;
                FloatVector weightLanes = FloatVector.fromArray(S, weightSums, lanesOff);
                if (entropy) {
                    weightLanes.fma(FloatVector.broadcast(S, oldMax - newMax),
                                    FloatVector.fromArray(S, weightedLogitSums, lanesOff))
                            .mul(factor).intoArray(weightedLogitSums, lanesOff); // factor (u + l (m_old - m))
                }
                weightLanes.mul(factor).intoArray(weightSums, lanesOff);
            }
        }
    }

    /** The largest of width scores at s[rowOff ..] (width a multiple of L). */
    private static float rowMaximum(float[] s, int rowOff, int width) {
        FloatVector maxVector = FloatVector.broadcast(S, Float.NEGATIVE_INFINITY);
        for (int j = 0; j < width; j += L) {
            maxVector = maxVector.max(FloatVector.fromArray(S, s, rowOff + j));
        }
        return maxVector.reduceLanes(VectorOperators.MAX);
    }

    /** A row whose scores in this tile are all -inf: weights 0, its sums unchanged (rescale 1). */
    private static void emptyRow(float[] s, int rowOff, int width, int r, float[] rescale) {
        rescale[r] = 1f;
        java.util.Arrays.fill(s, rowOff, rowOff + width, 0f);
    }

    /**
     * x * 0 is (+-)0 for finite x and NaN for NaN and infinity, so sums of such products stay 0 exactly when every
     * value is finite (as {@link org.isentropic.kernels.spec.Checks#allFinite}), here one FMA per vector into two
     * vector sums: the scalar scan of q, k, v and the output rows took about 7 % of a window-256 call at n = 4096
     * (docs/performance.md, section 2).
     */
    @Override
    public boolean allFinite(float[] a, int from, int to) {
        FloatVector zero = FloatVector.zero(S);
        FloatVector even = zero;
        FloatVector odd = zero;
        int i = from;
        for (; i + 2 * L <= to; i += 2 * L) {
            even = FloatVector.fromArray(S, a, i).fma(zero, even);
            odd = FloatVector.fromArray(S, a, i + L).fma(zero, odd);
        }
        if (i + L <= to) {
            even = FloatVector.fromArray(S, a, i).fma(zero, even);
            i += L;
        }
        float tail = 0f;
        for (; i < to; i++) {
            tail += a[i] * 0f;
        }
        return even.add(odd).reduceLanes(VectorOperators.ADD) + tail == 0f;
    }

    @Override
    public void rowMoments(float[] t, int off, int width, float lambda, float shift, double[] moments) {
        FloatVector weightSums = FloatVector.zero(S);
        FloatVector weightedSums = weightSums;
        FloatVector squareSums = weightSums;
        for (int j = off; j < off + width; j += L) {
            FloatVector score = FloatVector.fromArray(S, t, j);
            FloatVector shifted = score.mul(lambda).sub(shift).max(FLOOR); // lambda t - lambda M, clamped for exp2
            FloatVector weight = VectorExp2.exp2(shifted)
                    .blend(0f, score.compare(VectorOperators.EQ, Float.NEGATIVE_INFINITY));
            FloatVector weighted = weight.mul(shifted);
            weightSums = weightSums.add(weight);
            weightedSums = weightedSums.add(weighted);
            squareSums = weighted.fma(shifted, squareSums);
        }
        moments[0] += weightSums.reduceLanes(VectorOperators.ADD);
        moments[1] += weightedSums.reduceLanes(VectorOperators.ADD);
        moments[2] += squareSums.reduceLanes(VectorOperators.ADD);
    }

    /**
     * Value vectors of the P.V register tile: 4 (24 accumulators, {@link #pv6x4}) with 32 vector registers
     * (AVX-512, 16 lanes), 2 (12 accumulators, {@link #pv6x2}) with the 16 of AVX2 (8 lanes), where 24 spill.
     */
    static final int PV_VECTORS = L >= 16 ? 4 : 2;

    /** Keys per P.V pass: a chunk of value rows (KEY_CHUNK x dv floats) stays in L1 across all row groups. */
    private static final int KEY_CHUNK = 48;

    @Override
    public void pv(float[] s, int ss, int r0, int rows, int keyStart, int keys, float[] v, int vRow0, int vs,
                   int dvp, float[] o, float[] rescale) {
        for (int r = r0; r < r0 + rows; r++) {
            float factor = rescale[r];
            if (factor != 1f) {
                for (int c = r * dvp; c < r * dvp + dvp; c += L) {
                    FloatVector.fromArray(S, o, c).mul(factor).intoArray(o, c);
                }
            }
        }
        int tileColumns = PV_VECTORS * L;
        for (int chunk = 0; chunk < keys; chunk += KEY_CHUNK) {
            int chunkKeys = Math.min(KEY_CHUNK, keys - chunk);
            int firstKey = keyStart + chunk;
            int c = 0;
            for (; c + tileColumns <= dvp; c += tileColumns) {
                for (int r = r0; r < r0 + rows; r += FusedKernel.PV_TILE_ROWS) {
                    if (PV_VECTORS == 4) {
                        pv6x4(s, r * ss + firstKey, ss, chunkKeys, v, (vRow0 + firstKey) * vs + c, vs, o, r * dvp + c,
                                dvp);
                    } else {
                        pv6x2(s, r * ss + firstKey, ss, chunkKeys, v, (vRow0 + firstKey) * vs + c, vs, o, r * dvp + c,
                                dvp);
                    }
                }
            }
            for (; c < dvp; c += L) {
                for (int r = r0; r < r0 + rows; r += 4) {
                    pv4x1(s, r * ss + firstKey, ss, chunkKeys, v, (vRow0 + firstKey) * vs + c, vs, o, r * dvp + c, dvp);
                }
            }
        }
    }

    /**
     * o[oo + r*os + c*L ..] += sum over keys of the weight s[so + r*ss + j] times the value vector
     * v[vo + j*vs + c*L ..], for 6 rows r and 4 value vectors c (24 accumulators).
     */
    private static void pv6x4(float[] s, int so, int ss, int keys, float[] v, int vo, int vs, float[] o, int oo,
                              int os) {
        FloatVector acc00 = FloatVector.fromArray(S, o, oo), acc01 = FloatVector.fromArray(S, o, oo + L);
        FloatVector acc02 = FloatVector.fromArray(S, o, oo + 2 * L), acc03 = FloatVector.fromArray(S, o, oo + 3 * L);
        int row = oo + os;
        FloatVector acc10 = FloatVector.fromArray(S, o, row), acc11 = FloatVector.fromArray(S, o, row + L);
        FloatVector acc12 = FloatVector.fromArray(S, o, row + 2 * L), acc13 = FloatVector.fromArray(S, o, row + 3 * L);
        row += os;
        FloatVector acc20 = FloatVector.fromArray(S, o, row), acc21 = FloatVector.fromArray(S, o, row + L);
        FloatVector acc22 = FloatVector.fromArray(S, o, row + 2 * L), acc23 = FloatVector.fromArray(S, o, row + 3 * L);
        row += os;
        FloatVector acc30 = FloatVector.fromArray(S, o, row), acc31 = FloatVector.fromArray(S, o, row + L);
        FloatVector acc32 = FloatVector.fromArray(S, o, row + 2 * L), acc33 = FloatVector.fromArray(S, o, row + 3 * L);
        row += os;
        FloatVector acc40 = FloatVector.fromArray(S, o, row), acc41 = FloatVector.fromArray(S, o, row + L);
        FloatVector acc42 = FloatVector.fromArray(S, o, row + 2 * L), acc43 = FloatVector.fromArray(S, o, row + 3 * L);
        row += os;
        FloatVector acc50 = FloatVector.fromArray(S, o, row), acc51 = FloatVector.fromArray(S, o, row + L);
        FloatVector acc52 = FloatVector.fromArray(S, o, row + 2 * L), acc53 = FloatVector.fromArray(S, o, row + 3 * L);
        int vj = vo;
        for (int j = 0; j < keys; j++, vj += vs) {
            FloatVector value0 = FloatVector.fromArray(S, v, vj);
            FloatVector value1 = FloatVector.fromArray(S, v, vj + L);
            FloatVector value2 = FloatVector.fromArray(S, v, vj + 2 * L);
            FloatVector value3 = FloatVector.fromArray(S, v, vj + 3 * L);
            FloatVector weight = FloatVector.broadcast(S, s[so + j]);
            acc00 = value0.fma(weight, acc00); acc01 = value1.fma(weight, acc01);
            acc02 = value2.fma(weight, acc02); acc03 = value3.fma(weight, acc03);
            weight = FloatVector.broadcast(S, s[so + ss + j]);
            acc10 = value0.fma(weight, acc10); acc11 = value1.fma(weight, acc11);
            acc12 = value2.fma(weight, acc12); acc13 = value3.fma(weight, acc13);
            weight = FloatVector.broadcast(S, s[so + 2 * ss + j]);
            acc20 = value0.fma(weight, acc20); acc21 = value1.fma(weight, acc21);
            acc22 = value2.fma(weight, acc22); acc23 = value3.fma(weight, acc23);
            weight = FloatVector.broadcast(S, s[so + 3 * ss + j]);
            acc30 = value0.fma(weight, acc30); acc31 = value1.fma(weight, acc31);
            acc32 = value2.fma(weight, acc32); acc33 = value3.fma(weight, acc33);
            weight = FloatVector.broadcast(S, s[so + 4 * ss + j]);
            acc40 = value0.fma(weight, acc40); acc41 = value1.fma(weight, acc41);
            acc42 = value2.fma(weight, acc42); acc43 = value3.fma(weight, acc43);
            weight = FloatVector.broadcast(S, s[so + 5 * ss + j]);
            acc50 = value0.fma(weight, acc50); acc51 = value1.fma(weight, acc51);
            acc52 = value2.fma(weight, acc52); acc53 = value3.fma(weight, acc53);
        }
        row = oo;
        acc00.intoArray(o, row); acc01.intoArray(o, row + L); acc02.intoArray(o, row + 2 * L); acc03.intoArray(o, row + 3 * L);
        row += os;
        acc10.intoArray(o, row); acc11.intoArray(o, row + L); acc12.intoArray(o, row + 2 * L); acc13.intoArray(o, row + 3 * L);
        row += os;
        acc20.intoArray(o, row); acc21.intoArray(o, row + L); acc22.intoArray(o, row + 2 * L); acc23.intoArray(o, row + 3 * L);
        row += os;
        acc30.intoArray(o, row); acc31.intoArray(o, row + L); acc32.intoArray(o, row + 2 * L); acc33.intoArray(o, row + 3 * L);
        row += os;
        acc40.intoArray(o, row); acc41.intoArray(o, row + L); acc42.intoArray(o, row + 2 * L); acc43.intoArray(o, row + 3 * L);
        row += os;
        acc50.intoArray(o, row); acc51.intoArray(o, row + L); acc52.intoArray(o, row + 2 * L); acc53.intoArray(o, row + 3 * L);
    }

    /** As {@link #pv6x4}, 6 rows and 2 value vectors (12 accumulators: AVX2's 16 registers hold the tile). */
    private static void pv6x2(float[] s, int so, int ss, int keys, float[] v, int vo, int vs, float[] o, int oo,
                              int os) {
        int row1 = oo + os;
        int row2 = row1 + os;
        int row3 = row2 + os;
        int row4 = row3 + os;
        int row5 = row4 + os;
        FloatVector acc00 = FloatVector.fromArray(S, o, oo), acc01 = FloatVector.fromArray(S, o, oo + L);
        FloatVector acc10 = FloatVector.fromArray(S, o, row1), acc11 = FloatVector.fromArray(S, o, row1 + L);
        FloatVector acc20 = FloatVector.fromArray(S, o, row2), acc21 = FloatVector.fromArray(S, o, row2 + L);
        FloatVector acc30 = FloatVector.fromArray(S, o, row3), acc31 = FloatVector.fromArray(S, o, row3 + L);
        FloatVector acc40 = FloatVector.fromArray(S, o, row4), acc41 = FloatVector.fromArray(S, o, row4 + L);
        FloatVector acc50 = FloatVector.fromArray(S, o, row5), acc51 = FloatVector.fromArray(S, o, row5 + L);
        int vj = vo;
        for (int j = 0; j < keys; j++, vj += vs) {
            FloatVector value0 = FloatVector.fromArray(S, v, vj);
            FloatVector value1 = FloatVector.fromArray(S, v, vj + L);
            FloatVector weight = FloatVector.broadcast(S, s[so + j]);
            acc00 = value0.fma(weight, acc00); acc01 = value1.fma(weight, acc01);
            weight = FloatVector.broadcast(S, s[so + ss + j]);
            acc10 = value0.fma(weight, acc10); acc11 = value1.fma(weight, acc11);
            weight = FloatVector.broadcast(S, s[so + 2 * ss + j]);
            acc20 = value0.fma(weight, acc20); acc21 = value1.fma(weight, acc21);
            weight = FloatVector.broadcast(S, s[so + 3 * ss + j]);
            acc30 = value0.fma(weight, acc30); acc31 = value1.fma(weight, acc31);
            weight = FloatVector.broadcast(S, s[so + 4 * ss + j]);
            acc40 = value0.fma(weight, acc40); acc41 = value1.fma(weight, acc41);
            weight = FloatVector.broadcast(S, s[so + 5 * ss + j]);
            acc50 = value0.fma(weight, acc50); acc51 = value1.fma(weight, acc51);
        }
        acc00.intoArray(o, oo); acc01.intoArray(o, oo + L);
        acc10.intoArray(o, row1); acc11.intoArray(o, row1 + L);
        acc20.intoArray(o, row2); acc21.intoArray(o, row2 + L);
        acc30.intoArray(o, row3); acc31.intoArray(o, row3 + L);
        acc40.intoArray(o, row4); acc41.intoArray(o, row4 + L);
        acc50.intoArray(o, row5); acc51.intoArray(o, row5 + L);
    }

    /** As {@link #pv6x4}, 4 rows and one value vector (the value columns left over by the tile). */
    private static void pv4x1(float[] s, int so, int ss, int keys, float[] v, int vo, int vs, float[] o, int oo,
                              int os) {
        FloatVector acc0 = FloatVector.fromArray(S, o, oo);
        FloatVector acc1 = FloatVector.fromArray(S, o, oo + os);
        FloatVector acc2 = FloatVector.fromArray(S, o, oo + 2 * os);
        FloatVector acc3 = FloatVector.fromArray(S, o, oo + 3 * os);
        int vj = vo;
        for (int j = 0; j < keys; j++, vj += vs) {
            FloatVector value = FloatVector.fromArray(S, v, vj);
            acc0 = value.fma(FloatVector.broadcast(S, s[so + j]), acc0);
            acc1 = value.fma(FloatVector.broadcast(S, s[so + ss + j]), acc1);
            acc2 = value.fma(FloatVector.broadcast(S, s[so + 2 * ss + j]), acc2);
            acc3 = value.fma(FloatVector.broadcast(S, s[so + 3 * ss + j]), acc3);
        }
        acc0.intoArray(o, oo);
        acc1.intoArray(o, oo + os);
        acc2.intoArray(o, oo + 2 * os);
        acc3.intoArray(o, oo + 3 * os);
    }
}
