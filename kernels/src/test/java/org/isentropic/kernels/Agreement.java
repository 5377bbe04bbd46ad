package org.isentropic.kernels;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.fail;

import org.isentropic.kernels.spec.AttentionOutput;
import org.isentropic.kernels.spec.AttentionSpec;
import org.isentropic.kernels.spec.LogitGeometry;

/**
 * Compares a kernel's output with the reference kernel's, with tolerances derived from float rounding:
 * <ul>
 *   <li>logit error of row i: tolZ_i = 4 max_j sigma_ij, four standard deviations of the random-walk model
 *       of float rounding: a d-term dot product accumulated in order has error of standard deviation
 *       eps sqrt(sum_c S_c^2) (S_c its partial sums), the roundings of the scaled and rotated q and k add
 *       2 eps sqrt(sum_c (q_c k_c)^2), the final scaling eps |z|, ALiBi 2 eps |bias|; all computed in double
 *       from the same prepared vectors as the reference;</li>
 *   <li>sums over the m_i visible keys (l, u, P V) in a random-walk model: 4 standard deviations,
 *       SUM_i = 4 eps sqrt(m_i + 2 tiles + 8);</li>
 *   <li>o: vmax (4 tolZ_i + SUM_i); entropy: (2 tolZ_i + SUM_i) (1 + spread_i), spread_i = E_p[max z - z]
 *       (dH/dz_j = -p_j (z_j - E z) gives |dH| &lt;= max|dz| E|z - Ez|); logsumexp: tolZ_i + SUM_i + eps |lse|;
 *       p_ij: p_ij (2 tolZ_i + SUM_i) + eps_exp, eps_exp = 2^-126 the flush of the exp2 polynomial.</li>
 * </ul>
 */
public final class Agreement {

    public static final double EPS = Math.ulp(1f);
    private static final double EXP_FLUSH = Math.scalb(1.0, -120);

    private Agreement() {
    }

    public static double gamma(int m) {
        return m * EPS / (1 - m * EPS);
    }

    public static void check(String label, AttentionSpec spec, float[] q, float[] k, float[] v, int n, int d, int dv,
                      AttentionOutput expect, AttentionOutput actual, int blockKeys) {
        check(label, spec, q, k, v, n, d, dv, expect, actual, blockKeys, 0);
    }

    /** As above on a random problem's (single-head) q, k and v. */
    public static void check(String label, AttentionSpec spec, RandomProblem p, AttentionOutput expect,
                             AttentionOutput actual, int blockKeys) {
        check(label, spec, p.q(), p.k(), p.v(), p.n(), p.d(), p.dv(), expect, actual, blockKeys, 0);
    }

    /** As above for rows firstRow .. n - 1 only (a decode step checks the last row). */
    public static void check(String label, AttentionSpec spec, float[] q, float[] k, float[] v, int n, int d, int dv,
                      AttentionOutput expect, AttentionOutput actual, int blockKeys, int firstRow) {
        double[] z = AttentionKernels.referenceLogits(spec, q, k, n, d);
        LogitGeometry g = new LogitGeometry(spec, n, d);
        double vmax = 0;
        for (int t = 0; t < n * dv; t++) {
            vmax = Math.max(vmax, Math.abs(v[t]));
        }
        double[][] kIn = new double[n][d];
        double[][] kOut = new double[n][d];
        for (int j = 0; j < n; j++) {
            g.key(k, j, j, kIn[j], kOut[j]);
        }
        double[] qIn = new double[d];
        double[] qOut = new double[d];
        int tiles = (n + blockKeys - 1) / blockKeys;
        for (int i = firstRow; i < n; i++) {
            g.query(q, i, i, qIn, qOut);
            double f = Math.abs(spec.rowFactor(i, n));
            double sigma = 0;
            double max = Double.NEGATIVE_INFINITY;
            int visible = 0;
            for (int j = 0; j < n; j++) {
                if (z[i * n + j] == Double.NEGATIVE_INFINITY) {
                    continue;
                }
                visible++;
                max = Math.max(max, z[i * n + j]);
                boolean inside = g.inside(i, j);
                double[] a = inside ? qIn : qOut;
                double[] b = inside ? kIn[j] : kOut[j];
                double partial = 0;
                double partials = 0;
                double squares = 0;
                for (int c = 0; c < d; c++) {
                    double t = a[c] * b[c];
                    partial += t;
                    partials += partial * partial;
                    squares += t * t;
                }
                double scale = f * g.contentScale();
                sigma = Math.max(sigma, EPS * (scale * (Math.sqrt(partials) + 2 * Math.sqrt(squares))
                        + Math.abs(z[i * n + j]) + 2 * f * Math.abs(g.bias(i, j))));
            }
            String where = label + " row " + i + " (seed " + RandomTensors.SEED + ")";
            if (visible == 0) {
                for (int c = 0; c < dv; c++) {
                    assertEquals(0f, actual.o()[i * dv + c], where);
                }
                assertEquals(0f, actual.entropy()[i], where);
                assertEquals(Float.NEGATIVE_INFINITY, actual.logSumExp()[i], where);
                continue;
            }
            double l = 0;
            double spread = 0;
            for (int j = 0; j < n; j++) {
                if (z[i * n + j] != Double.NEGATIVE_INFINITY) {
                    double e = Math.exp(z[i * n + j] - max);
                    l += e;
                    spread += e * (max - z[i * n + j]);
                }
            }
            spread /= l;
            double tolZ = 4 * sigma;
            double sum = 4 * EPS * Math.sqrt(visible + 2 * tiles + 8);
            double tolO = vmax * (4 * tolZ + sum) + Float.MIN_NORMAL;
            for (int c = 0; c < dv; c++) {
                near(expect.o()[i * dv + c], actual.o()[i * dv + c], tolO, where + " o[" + c + "]");
            }
            if (!Float.isNaN(actual.entropy()[i])) {
                near(expect.entropy()[i], actual.entropy()[i], (2 * tolZ + sum) * (1 + spread), where + " entropy");
            }
            near(expect.logSumExp()[i], actual.logSumExp()[i],
                    tolZ + sum + EPS * Math.abs(expect.logSumExp()[i]), where + " logsumexp");
            if (expect.probs() != null) {
                for (int j = 0; j < n; j++) {
                    float p = expect.probs()[i * n + j];
                    near(p, actual.probs()[i * n + j], p * (2 * tolZ + sum) + EXP_FLUSH, where + " p[" + j + "]");
                }
            }
            if (expect.mass() != null) {
                int r = expect.keyRanges().size();
                for (int t = 0; t < r; t++) {
                    float m = expect.mass()[i * r + t];
                    near(m, actual.mass()[i * r + t], m * (2 * tolZ + sum) + sum + n * EXP_FLUSH, where + " mass[" + t + "]");
                }
            }
        }
    }

    private static void near(double expect, double actual, double tol, String what) {
        if (!(Math.abs(expect - actual) <= tol)) {
            fail(what + ": expected " + expect + " got " + actual + " (|diff| " + Math.abs(expect - actual)
                    + " > tol " + tol + ")");
        }
    }
}
