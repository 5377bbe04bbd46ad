package org.isentropic.experiments.calibrate;

import java.util.Arrays;
import org.isentropic.kernels.spec.AttentionKernel;
import org.isentropic.kernels.spec.AttentionOutput;
import org.isentropic.kernels.spec.AttentionSpec;

/**
 * A kernel that delegates every call and keeps a copy of the spec, q and k of call number {@code call}
 * (0-based): in a GAU forward pass, call l is layer l. One instance per forward pass.
 */
public final class CapturingKernel implements AttentionKernel {

    /** Captures every call. */
    public static final int ALL = -1;

    private final AttentionKernel delegate;
    private final int call;
    private int calls;
    private Calibration.Capture captured;
    private final java.util.List<Calibration.Capture> all = new java.util.ArrayList<>();

    /** @param call the call to keep, or {@link #ALL} */
    public CapturingKernel(AttentionKernel delegate, int call) {
        this.delegate = delegate;
        this.call = call;
    }

    @Override
    public void attend(AttentionSpec spec, float[] q, float[] k, float[] v, int n, int d, int dv, AttentionOutput out) {
        int c = calls++;
        if (c == call || call == ALL) {
            captured = new Calibration.Capture(spec, Arrays.copyOf(q, n * d), Arrays.copyOf(k, n * d), n, d);
            all.add(captured);
        }
        delegate.attend(spec, q, k, v, n, d, dv, out);
    }

    /** Every captured call, in call order. */
    public java.util.List<Calibration.Capture> capturedAll() {
        return java.util.List.copyOf(all);
    }

    /** The captured call, or null when fewer calls were made. */
    public Calibration.Capture captured() {
        return captured;
    }

    @Override
    public String name() {
        return "capture(" + delegate.name() + ")";
    }
}
