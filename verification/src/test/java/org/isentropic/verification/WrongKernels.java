package org.isentropic.verification;

import org.isentropic.base.LogitKind;
import org.isentropic.kernels.AttentionKernels;
import org.isentropic.kernels.spec.AttentionKernel;
import org.isentropic.kernels.spec.AttentionOutput;
import org.isentropic.kernels.spec.AttentionSpec;
import org.isentropic.kernels.spec.Mask;
import org.isentropic.kernels.spec.Positions;

/**
 * Deliberately wrong kernels for property group 6 (teeth): each wraps the correct fused kernel and
 * makes one realistic mistake.
 */
final class WrongKernels {
    private WrongKernels() {
    }

    private static AttentionKernel wrap(String name, SpecEdit edit) {
        return wrap(name, AttentionKernels.fused(1), edit);
    }

    private static AttentionKernel wrap(String name, AttentionKernel inner, SpecEdit edit) {
        return new AttentionKernel() {
            @Override
            public void attend(AttentionSpec spec, float[] q, float[] k, float[] v, int n, int d, int dv,
                    AttentionOutput out) {
                edit.attend(inner, spec, q, k, v, n, d, dv, out);
            }

            @Override
            public String name() {
                return "WRONG-" + name;
            }
        };
    }

    /** One mistake: runs the inner kernel on edited arguments. */
    interface SpecEdit {
        void attend(AttentionKernel inner, AttentionSpec spec, float[] q, float[] k, float[] v, int n, int d,
                int dv, AttentionOutput out);
    }

    /** Rebuilds a spec with another mask (everything else kept). */
    static AttentionSpec withMask(AttentionSpec s, Mask m) {
        AttentionSpec r = s.kind() == LogitKind.DOT ? AttentionSpec.dot() : AttentionSpec.cosine(s.cosScale());
        r = r.withPositions(s.positions()).withMask(m);
        if (s.rule() != null) {
            r = r.withRule(s.rule(), s.nMode());
        }
        if (s.temperatures() != null) {
            r = r.withTemperature(s.temperatures());
        }
        return r;
    }

    /** Multiplies every logit by 1 + 2^-7 (a temperature off by 0.8 %). */
    static AttentionKernel temperatureOffByOnePercent() {
        return wrap("temperature*1.0078", (inner, spec, q, k, v, n, d, dv, out) -> {
            float[] t = spec.temperatures();
            float[] t2 = new float[n];
            for (int i = 0; i < n; i++) {
                t2[i] = (t == null ? 1f : t[i]) * (1f + 0x1.0p-7f);
            }
            inner.attend(spec.withTemperature(t2), q, k, v, n, d, dv, out);
        });
    }

    /** Ignores the mask and attends every key (a causal or windowed model that sees the future). */
    static AttentionKernel ignoresMask() {
        return wrap("ignores-mask", (inner, spec, q, k, v, n, d, dv, out) ->
                inner.attend(withMask(spec, Mask.full()), q, k, v, n, d, dv, out));
    }

    /** Reads the last key as zeros (a partial tile padded with zeros but not masked). */
    static AttentionKernel zeroesLastKey() {
        return wrap("zeroes-last-key", (inner, spec, q, k, v, n, d, dv, out) -> {
            float[] k2 = k.clone();
            for (int c = 0; c < d; c++) {
                k2[(n - 1) * d + c] = 0f;
            }
            inner.attend(spec, q, k2, v, n, d, dv, out);
        });
    }

    /** Adds a position bias nobody asked for (ALiBi slope 0.1 when the spec has no positions). */
    static AttentionKernel hiddenPositionBias() {
        return wrap("hidden-position-bias", (inner, spec, q, k, v, n, d, dv, out) ->
                inner.attend(spec.positions().scheme() == Positions.Scheme.NONE
                        ? spec.withPositions(Positions.alibi(0.1)) : spec, q, k, v, n, d, dv, out));
    }

    /** Rotates only the queries by their absolute position (RoPE applied to q, forgotten on k). */
    static AttentionKernel ropeOnQueriesOnly() {
        return wrap("rope-on-queries-only", (inner, spec, q, k, v, n, d, dv, out) -> {
            if (!spec.positions().isRotary()) {
                inner.attend(spec, q, k, v, n, d, dv, out);
                return;
            }
            double[] theta = spec.positions().frequencies(d, n);
            float[] q2 = new float[n * d];
            double[] row = new double[d];
            for (int i = 0; i < n; i++) {
                for (int c = 0; c < d; c++) {
                    row[c] = q[i * d + c];
                }
                Positions.rotate(row, d, i, theta, spec.positions().isHalfSplit());
                for (int c = 0; c < d; c++) {
                    q2[i * d + c] = (float) row[c];
                }
            }
            inner.attend(spec.withPositions(Positions.none()), q2, k, v, n, d, dv, out);
        });
    }

    /** Ignores the temperature rule (applies the standard scale at every length). */
    static AttentionKernel ignoresRule() {
        return ignoresRule(AttentionKernels.fused(1));
    }

    /** As {@link #ignoresRule()} around another kernel. */
    static AttentionKernel ignoresRule(AttentionKernel around) {
        return wrap("ignores-rule", around, (inner, spec, q, k, v, n, d, dv, out) -> {
            AttentionSpec r = spec.kind() == LogitKind.DOT ? AttentionSpec.dot() : AttentionSpec.cosine(spec.cosScale());
            r = r.withPositions(spec.positions()).withMask(spec.mask());
            if (spec.temperatures() != null) {
                r = r.withTemperature(spec.temperatures());
            }
            inner.attend(r, q, k, v, n, d, dv, out);
        });
    }

    /** Attends at most the first {@code cap} keys (a kernel that silently truncates long sequences). */
    static AttentionKernel truncatesKeys(int cap) {
        return wrap("truncates-keys-at-" + cap, (inner, spec, q, k, v, n, d, dv, out) ->
                inner.attend(n > cap ? withMask(spec, Mask.lambda(cap, 1)) : spec, q, k, v, n, d, dv, out));
    }

    /** Uses 1/s where CosScale's s belongs (the scale inverted). */
    static AttentionKernel invertsCosineScale() {
        return wrap("inverts-cosine-scale", (inner, spec, q, k, v, n, d, dv, out) -> {
            if (spec.kind() != LogitKind.COSINE) {
                inner.attend(spec, q, k, v, n, d, dv, out);
                return;
            }
            AttentionSpec r = AttentionSpec.cosine(1.0 / spec.cosScale()).withPositions(spec.positions())
                    .withMask(spec.mask());
            if (spec.rule() != null) {
                r = r.withRule(spec.rule(), spec.nMode());
            }
            if (spec.temperatures() != null) {
                r = r.withTemperature(spec.temperatures());
            }
            inner.attend(r, q, k, v, n, d, dv, out);
        });
    }
}
