package org.isentropic.kernels.fused;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.SplittableRandom;
import org.isentropic.kernels.RandomTensors;
import org.junit.jupiter.api.Test;

/** {@link Projection}: a hand-worked product, both paths against a double-precision sum, and bad sizes. */
class ProjectionTest {

    @Test
    void handWorkedProduct() {
        // x = [[1, 2], [3, -1]], W = [[1, 0, 2], [0, 1, 3]], b = [0.5, 0, -1]:
        // row 0 = [1 + 0.5, 2, 2 + 6 - 1] = [1.5, 2, 7]; row 1 = [3 + 0.5, -1, 6 - 3 - 1] = [3.5, -1, 2]
        float[] x = {1, 2, 3, -1};
        float[] w = {1, 0, 2, 0, 1, 3};
        float[] b = {0.5f, 0, -1};
        float[] y = new float[1 + 6];
        Projection.apply(x, 0, 2, 2, w, b, 3, y, 1);
        assertArrayEquals(new float[] {0, 1.5f, 2, 7, 3.5f, -1, 2}, y);
    }

    @Test
    void bothPathsMatchADoubleSumAtEveryShape() {
        // The SIMD path loads exactly when the kernels' Vector API support does (the surefire run without the
        // module checks the scalar path alone).
        Projection.Kernel simd = Projection.simd();
        assertEquals(VectorSupport.available(), simd != null, "SIMD projection loaded iff the Vector API is");
        SplittableRandom r = RandomTensors.rng(41);
        int[][] shapes = {{64, 128, 384}, {64, 128, 128}, {9, 128, 384}, {1, 1, 1}, {5, 3, 17}, {7, 33, 50},
            {4, 16, 48}, {13, 70, 100}, {3, 128, 49}};
        for (int[] s : shapes) {
            int rows = s[0], in = s[1], o = s[2];
            float[] x = RandomTensors.normal(r, 3 + rows * in, 1);
            float[] w = RandomTensors.normal(r, in * o, 0.1);
            float[] b = RandomTensors.normal(r, o, 1);
            float[] scalar = new float[rows * o + 2];
            float[] vector = new float[rows * o + 2];
            Projection.scalar(x, 3, rows, in, w, b, o, scalar, 2);
            if (simd != null) {
                simd.apply(x, 3, rows, in, w, b, o, vector, 2);
            } else {
                Projection.scalar(x, 3, rows, in, w, b, o, vector, 2);
            }
            for (int i = 0; i < rows; i++) {
                for (int j = 0; j < o; j++) {
                    double exact = b[j];
                    double magnitude = Math.abs(b[j]);
                    for (int c = 0; c < in; c++) {
                        exact += (double) x[3 + i * in + c] * w[c * o + j];
                        magnitude += Math.abs((double) x[3 + i * in + c] * w[c * o + j]);
                    }
                    // float32 summation of in + 1 terms: at most (in + 1) ulp-sized steps of the running magnitude
                    double bound = (in + 1) * Math.ulp((float) magnitude);
                    String where = "shape " + rows + "x" + in + "->" + o + " at (" + i + ", " + j + ")";
                    assertEquals(exact, scalar[2 + i * o + j], bound, "scalar " + where);
                    assertEquals(exact, vector[2 + i * o + j], bound, "SIMD " + where);
                }
            }
            assertEquals(0f, vector[0] + vector[1], "SIMD wrote before its offset");
        }
    }

    @Test
    void shortArraysAreRefused() {
        float[] x = new float[6];
        float[] w = new float[6];
        assertThrows(IllegalArgumentException.class,
                () -> Projection.apply(x, 0, 3, 2, w, new float[3], 3, new float[8], 0));
        assertThrows(IllegalArgumentException.class,
                () -> Projection.apply(x, 0, 3, 2, w, new float[2], 3, new float[9], 0));
        assertThrows(IllegalArgumentException.class,
                () -> Projection.apply(x, 0, 3, 0, w, new float[3], 3, new float[9], 0));
    }
}
