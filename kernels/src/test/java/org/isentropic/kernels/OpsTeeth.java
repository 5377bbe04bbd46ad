package org.isentropic.kernels;

import static org.junit.jupiter.api.Assertions.assertDoesNotThrow;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.function.Consumer;

/**
 * The assertion of the per-operation suite's teeth tests ({@code TileOpsTeethTest} in the fused package,
 * {@code DecodeOpsTeethTest} in the decode package): a check passes the correct operation and fails a
 * deliberately wrong one for the expected reason.
 */
public final class OpsTeeth {

    private OpsTeeth() {
    }

    /** The check passes the correct operation and fails the wrong one for the expected reason. */
    public static <T> void caught(String what, Consumer<T> check, T correct, T wrong, String reason) {
        assertDoesNotThrow(() -> check.accept(correct), what + ": the correct operation must pass");
        AssertionError e = assertThrows(AssertionError.class, () -> check.accept(wrong),
                what + ": the wrong operation must fail");
        assertTrue(e.getMessage().contains(reason), what + ": failed for another reason: " + e.getMessage());
    }
}
