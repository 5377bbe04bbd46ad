package org.isentropic.cli;

import java.nio.file.Path;
import java.util.Arrays;
import org.isentropic.base.LogitKind;
import org.isentropic.base.UserInputException;
import org.isentropic.kernels.io.Npy;
import org.isentropic.kernels.spec.AttentionSpec;
import org.isentropic.kernels.spec.FloatRangeException;

/**
 * The .npy tensors of {@code isentropic attend} (q, k, v, one head or several) read and checked under the
 * option that supplied each, and a kernel call whose complaints name that option. (One attention problem as
 * a value, q, k and v with n, d and dv, is verification's {@code bridge.AttentionInputs}; this class only reads
 * the command's files.)
 */
final class NpyInputs {

    private NpyInputs() {
    }

    /**
     * Runs a kernel call; a float overflow names the options that caused it (exit 1), a kernel's complaint
     * about q, k or v the option that supplied the array (exit 2).
     */
    static void attend(AttentionSpec spec, Runnable call) {
        try {
            call.run();
        } catch (FloatRangeException e) {
            String inputs = e.source() == FloatRangeException.Source.VALUES ? "--v"
                    : spec.kind() == LogitKind.COSINE ? "--cos-scale" : "--q, --k";
            throw new ArithmeticException(inputs + ": " + e.getMessage());
        } catch (IllegalArgumentException e) {
            throw new UserInputException(argumentOf(e.getMessage()) + e.getMessage(), e);
        }
    }

    static Npy.Header header(String option, Path file) {
        return OptionChecks.named(option, () -> Npy.header(file));
    }

    /** Kernel messages name q, k or v by array; prefix the option that supplied it. */
    static String argumentOf(String message) {
        if (message.startsWith("q[") || message.startsWith("q ")) {
            return "--q: ";
        }
        if (message.startsWith("k[") || message.startsWith("k ")) {
            return "--k: ";
        }
        if (message.startsWith("v[") || message.startsWith("v ")) {
            return "--v: ";
        }
        return "";
    }

    static void matrix(String option, int[] shape) {
        if (shape.length != 2 || shape[0] < 1 || shape[1] < 1) {
            throw new UserInputException(option + ": need a non-empty 2-D array, got shape " + Arrays.toString(shape));
        }
    }

    /** The values of a checked input (2-D or 3-D) as float32, each finite. */
    static float[] floats(String option, Path file) {
        Npy.Array a = OptionChecks.named(option, () -> Npy.read(file));
        float[] f = a.toFloats();
        for (int i = 0; i < f.length; i++) {
            if (!Float.isFinite(f[i])) {
                throw new UserInputException(option + ": value at " + index(i, a.shape()) + " is "
                        + (Double.isFinite(a.data()[i]) ? a.data()[i] + " (outside float32 range)" : String.valueOf(a.data()[i]))
                        + "; values must be finite");
            }
        }
        return f;
    }

    /** The C-order index of flat position i in an array of the given shape, as {@code [a, b, c]}. */
    private static String index(int i, int[] shape) {
        int[] at = new int[shape.length];
        for (int axis = shape.length - 1; axis >= 0; axis--) {
            at[axis] = i % shape[axis];
            i /= shape[axis];
        }
        return Arrays.toString(at);
    }
}
