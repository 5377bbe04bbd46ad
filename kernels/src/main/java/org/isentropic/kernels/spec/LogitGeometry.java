package org.isentropic.kernels.spec;

import org.isentropic.base.LogitKind;

/**
 * The per-call constants of an {@link AttentionSpec} for a sequence of n tokens and head dimension d, and
 * the preparation of query and key vectors (normalisation, rotation) in double precision. Every kernel
 * builds its logits from this one class, so the position and mask semantics live in one place.
 *
 * <p>For rotary schemes with a cap window W (ReRoPE, LM-Infinite's distance cap) a pair with |i - j| &lt; W
 * uses the "inside" vectors (q rotated at i, k rotated at j) and any other pair the "outside" vectors
 * (q rotated at W - 1, permuted to the reference's halves layout for rerope-reference; k unrotated).
 *
 * <p>Internal: public only so that the reference, fused and decode kernels (other sub-packages
 * of the kernels) share it; not part of the library's API, and it may change without notice.
 */
public final class LogitGeometry {

    public final AttentionSpec spec;
    private int n;
    public final int d;
    public final boolean cosine;
    public final boolean rotary;
    public final boolean half;
    private boolean capped;
    public final boolean referenceLayout;
    public final boolean alibi;
    public final int capWindow;
    public final double slope;
    /** c * g: the content scale times the scheme's logit factor. */
    private double contentScale;
    private double positionScale;
    private double[] theta;
    private final double[] tmp;
    /** s = extension(n), on which theta depends besides d (NaN before the first computation). */
    private double extension = Double.NaN;

    public LogitGeometry(AttentionSpec spec, int n, int d) {
        this.spec = spec;
        this.n = n;
        this.d = d;
        Positions p = spec.positions();
        this.cosine = spec.kind() == LogitKind.COSINE;
        this.rotary = p.isRotary();
        this.half = p.isHalfSplit();
        this.capWindow = spec.capWindow();
        this.referenceLayout = p.isReferenceLayoutOutside();
        this.alibi = p.scheme() == Positions.Scheme.ALIBI;
        this.slope = p.slope();
        this.tmp = new double[d];
        lengthDependent(n);
    }

    /**
     * Re-targets this geometry to a sequence of n tokens (same spec and d), as if it had been built for n.
     * The rotary frequencies are recomputed only when the extension s = max(1, n / N) changes (they depend
     * on n only through s, {@link Positions#frequencies}), so calls at a fixed n, or at lengths within the
     * training length, allocate nothing.
     */
    public void resize(int newN) {
        if (newN != n) {
            lengthDependent(newN);
        }
    }

    /** Whether some pair of the n tokens lies outside the cap window (W &lt; n), so outside vectors are needed. */
    public boolean capped() {
        return capped;
    }

    /** c * g: the content scale times the scheme's logit factor, for the current n. */
    public double contentScale() {
        return contentScale;
    }

    /** The factor on positions before the rotary angles are formed, for the current n. */
    public double positionScale() {
        return positionScale;
    }

    /** The rotary frequencies for the current n (this geometry's array, not a copy), or null when not rotary. */
    public double[] theta() {
        return theta;
    }

    private void lengthDependent(int len) {
        Positions p = spec.positions();
        this.n = len;
        this.capped = capWindow < len; // with |i - j| <= n - 1 < W every pair is inside
        this.contentScale = spec.contentScale(d) * p.logitFactor(len);
        this.positionScale = p.positionScale(len);
        double s = p.extension(len);
        if (rotary && (theta == null || s != extension)) {
            this.theta = p.frequencies(d, len);
        }
        this.extension = s;
    }

    /** Whether the pair (i, j) uses the inside vectors (always true unless capped). */
    public boolean inside(int i, int j) {
        return !capped || Math.abs(i - j) < capWindow;
    }

    /** The ALiBi distance of (i, j), capped at W - 1 when a cap window applies. */
    public int alibiDistance(int i, int j) {
        int dist = Math.abs(i - j);
        return capped ? Math.min(dist, capWindow - 1) : dist;
    }

    /** The additive bias of (i, j) before the row temperature. */
    public double bias(int i, int j) {
        return alibi ? -slope * alibiDistance(i, j) : 0.0;
    }

    /** Copies row {@code row} of x (stride d) into out, normalised to unit length for cosine logits. */
    public void load(float[] x, int row, double[] out) {
        int off = row * d;
        double ss = 0;
        for (int c = 0; c < d; c++) {
            double a = x[off + c];
            out[c] = a;
            ss += a * a;
        }
        if (cosine) {
            double inv = ss > 0 ? 1.0 / Math.sqrt(ss) : 0.0;
            for (int c = 0; c < d; c++) {
                out[c] *= inv;
            }
        }
    }

    /** The query at position i: inside vector (rotated at i), and the outside vector when capped. */
    public void query(float[] q, int row, int position, double[] in, double[] out) {
        load(q, row, in);
        if (capped && out != null) {
            System.arraycopy(in, 0, out, 0, d);
            if (rotary) {
                Positions.rotate(out, d, (capWindow - 1) * positionScale, theta, half);
                if (referenceLayout) {
                    Positions.toHalvesLayout(out, d, tmp);
                    System.arraycopy(tmp, 0, out, 0, d);
                }
            }
        }
        if (rotary) {
            Positions.rotate(in, d, position * positionScale, theta, half);
        }
    }

    /** The key at position j: inside vector (rotated at j), and the outside vector (unrotated) when capped. */
    public void key(float[] k, int row, int position, double[] in, double[] out) {
        load(k, row, in);
        if (capped && out != null) {
            System.arraycopy(in, 0, out, 0, d);
        }
        if (rotary) {
            Positions.rotate(in, d, position * positionScale, theta, half);
        }
    }

    public static double dot(double[] a, double[] b, int d) {
        double s = 0;
        for (int c = 0; c < d; c++) {
            s += a[c] * b[c];
        }
        return s;
    }
}
