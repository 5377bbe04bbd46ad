package org.isentropic.kernels.fused;

import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorSpecies;

/**
 * The Vector API {@link Projection}: the same outer-product register tile as the score kernels of
 * {@link SimdTiles} (the input component broadcast, a row of W loaded), 4 rows x 3 vectors of accumulators in
 * local variables; 4 x 1 and 1 x 1 kernels for the rest, a scalar loop for the columns past the last vector.
 * Loaded only when jdk.incubator.vector is present.
 */
final class SimdProjection implements Projection.Kernel {

    private static final VectorSpecies<Float> S = FloatVector.SPECIES_PREFERRED;
    private static final int L = S.length();

    @Override
    public void apply(float[] x, int xOff, int rows, int in, float[] w, float[] b, int o, float[] y, int yOff) {
        int vectorCols = o - o % L;
        int i = 0;
        for (; i + 4 <= rows; i += 4) {
            int xr = xOff + i * in;
            int yr = yOff + i * o;
            int j = 0;
            for (; j + 3 * L <= vectorCols; j += 3 * L) {
                rows4x3(x, xr, in, w, b, o, j, y, yr);
            }
            for (; j < vectorCols; j += L) {
                rows4x1(x, xr, in, w, b, o, j, y, yr);
            }
            for (int r = 0; r < 4; r++) {
                tail(x, xr + r * in, in, w, b, o, vectorCols, y, yr + r * o);
            }
        }
        for (; i < rows; i++) {
            int xr = xOff + i * in;
            int yr = yOff + i * o;
            for (int j = 0; j < vectorCols; j += L) {
                FloatVector acc = FloatVector.fromArray(S, b, j);
                for (int c = 0; c < in; c++) {
                    acc = FloatVector.fromArray(S, w, c * o + j).fma(FloatVector.broadcast(S, x[xr + c]), acc);
                }
                acc.intoArray(y, yr + j);
            }
            tail(x, xr, in, w, b, o, vectorCols, y, yr);
        }
    }

    private static void rows4x3(float[] x, int xr, int in, float[] w, float[] b, int o, int j, float[] y, int yr) {
        FloatVector b0 = FloatVector.fromArray(S, b, j);
        FloatVector b1 = FloatVector.fromArray(S, b, j + L);
        FloatVector b2 = FloatVector.fromArray(S, b, j + 2 * L);
        FloatVector acc00 = b0, acc01 = b1, acc02 = b2;
        FloatVector acc10 = b0, acc11 = b1, acc12 = b2;
        FloatVector acc20 = b0, acc21 = b1, acc22 = b2;
        FloatVector acc30 = b0, acc31 = b1, acc32 = b2;
        for (int c = 0; c < in; c++) {
            int wr = c * o + j;
            FloatVector w0 = FloatVector.fromArray(S, w, wr);
            FloatVector w1 = FloatVector.fromArray(S, w, wr + L);
            FloatVector w2 = FloatVector.fromArray(S, w, wr + 2 * L);
            FloatVector x0 = FloatVector.broadcast(S, x[xr + c]);
            acc00 = w0.fma(x0, acc00);
            acc01 = w1.fma(x0, acc01);
            acc02 = w2.fma(x0, acc02);
            FloatVector x1 = FloatVector.broadcast(S, x[xr + in + c]);
            acc10 = w0.fma(x1, acc10);
            acc11 = w1.fma(x1, acc11);
            acc12 = w2.fma(x1, acc12);
            FloatVector x2 = FloatVector.broadcast(S, x[xr + 2 * in + c]);
            acc20 = w0.fma(x2, acc20);
            acc21 = w1.fma(x2, acc21);
            acc22 = w2.fma(x2, acc22);
            FloatVector x3 = FloatVector.broadcast(S, x[xr + 3 * in + c]);
            acc30 = w0.fma(x3, acc30);
            acc31 = w1.fma(x3, acc31);
            acc32 = w2.fma(x3, acc32);
        }
        acc00.intoArray(y, yr + j);
        acc01.intoArray(y, yr + j + L);
        acc02.intoArray(y, yr + j + 2 * L);
        acc10.intoArray(y, yr + o + j);
        acc11.intoArray(y, yr + o + j + L);
        acc12.intoArray(y, yr + o + j + 2 * L);
        acc20.intoArray(y, yr + 2 * o + j);
        acc21.intoArray(y, yr + 2 * o + j + L);
        acc22.intoArray(y, yr + 2 * o + j + 2 * L);
        acc30.intoArray(y, yr + 3 * o + j);
        acc31.intoArray(y, yr + 3 * o + j + L);
        acc32.intoArray(y, yr + 3 * o + j + 2 * L);
    }

    private static void rows4x1(float[] x, int xr, int in, float[] w, float[] b, int o, int j, float[] y, int yr) {
        FloatVector b0 = FloatVector.fromArray(S, b, j);
        FloatVector acc0 = b0, acc1 = b0, acc2 = b0, acc3 = b0;
        for (int c = 0; c < in; c++) {
            FloatVector w0 = FloatVector.fromArray(S, w, c * o + j);
            acc0 = w0.fma(FloatVector.broadcast(S, x[xr + c]), acc0);
            acc1 = w0.fma(FloatVector.broadcast(S, x[xr + in + c]), acc1);
            acc2 = w0.fma(FloatVector.broadcast(S, x[xr + 2 * in + c]), acc2);
            acc3 = w0.fma(FloatVector.broadcast(S, x[xr + 3 * in + c]), acc3);
        }
        acc0.intoArray(y, yr + j);
        acc1.intoArray(y, yr + o + j);
        acc2.intoArray(y, yr + 2 * o + j);
        acc3.intoArray(y, yr + 3 * o + j);
    }

    /** Columns from..o of one row, scalar (fewer than L of them). */
    private static void tail(float[] x, int xr, int in, float[] w, float[] b, int o, int from, float[] y, int yr) {
        for (int j = from; j < o; j++) {
            float acc = b[j];
            for (int c = 0; c < in; c++) {
                acc = Math.fma(x[xr + c], w[c * o + j], acc);
            }
            y[yr + j] = acc;
        }
    }
}
