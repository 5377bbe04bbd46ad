package org.isentropic.kernels.fused;

import java.lang.reflect.InvocationTargetException;

/**
 * A dense layer, {@code y[n x o] = x[n x in] W[in x o] + b}, row-major, float32, one thread: the projections
 * around attention in a model that calls these kernels (the experiments' GAU layers spend most of a forward pass
 * here at short lengths). With jdk.incubator.vector present it runs register tiles of 4 rows x 3 vectors of
 * outputs ({@code SimdProjection}), otherwise the scalar loop below; both add the inputs in the same order
 * ({@code c = 0, 1, ..., in - 1}), the SIMD path with fused multiply-adds.
 */
public final class Projection {

    private static final Kernel SIMD = VectorSupport.available() ? loadSimd() : null;

    /** One implementation of the product; see {@link Projection#apply}. */
    interface Kernel {
        void apply(float[] x, int xOff, int rows, int in, float[] w, float[] b, int o, float[] y, int yOff);
    }

    private Projection() {
    }

    /**
     * {@code y[yOff + i*o + j] = b[j] + sum_c x[xOff + i*in + c] w[c*o + j]} for {@code i < rows}, {@code j < o}.
     *
     * @throws IllegalArgumentException when a size is not positive or an array is too short
     */
    public static void apply(float[] x, int xOff, int rows, int in, float[] w, float[] b, int o, float[] y,
            int yOff) {
        check(x, xOff, rows, in, w, b, o, y, yOff);
        if (SIMD != null) {
            SIMD.apply(x, xOff, rows, in, w, b, o, y, yOff);
        } else {
            scalar(x, xOff, rows, in, w, b, o, y, yOff);
        }
    }

    /** The scalar product, whatever the JVM has (the SIMD path's twin in tests). */
    static void scalar(float[] x, int xOff, int rows, int in, float[] w, float[] b, int o, float[] y, int yOff) {
        for (int i = 0; i < rows; i++) {
            int yr = yOff + i * o;
            System.arraycopy(b, 0, y, yr, o);
            int xr = xOff + i * in;
            for (int c = 0; c < in; c++) {
                float xv = x[xr + c];
                int wr = c * o;
                for (int j = 0; j < o; j++) {
                    y[yr + j] += xv * w[wr + j];
                }
            }
        }
    }

    /** The SIMD kernel, or null when jdk.incubator.vector is absent (tests compare it with the scalar one). */
    static Kernel simd() {
        return SIMD;
    }

    private static void check(float[] x, int xOff, int rows, int in, float[] w, float[] b, int o, float[] y,
            int yOff) {
        if (rows < 0 || in <= 0 || o <= 0 || xOff < 0 || yOff < 0) {
            throw new IllegalArgumentException("projection: rows " + rows + ", in " + in + ", out " + o
                    + ", offsets " + xOff + ", " + yOff + " must be non-negative (in and out positive)");
        }
        if (x.length < xOff + (long) rows * in || w.length < (long) in * o || b.length < o
                || y.length < yOff + (long) rows * o) {
            throw new IllegalArgumentException("projection: arrays too short for " + rows + " rows of " + in
                    + " -> " + o + " (x " + x.length + ", w " + w.length + ", b " + b.length + ", y " + y.length + ")");
        }
    }

    private static Kernel loadSimd() {
        try {
            return (Kernel) Class.forName("org.isentropic.kernels.fused.SimdProjection").getDeclaredConstructor()
                    .newInstance();
        } catch (ClassNotFoundException | NoSuchMethodException | InstantiationException | IllegalAccessException
                 | InvocationTargetException | LinkageError e) {
            return null;
        }
    }
}
