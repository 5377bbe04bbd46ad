package org.isentropic.kernels.fused;

import java.lang.reflect.InvocationTargetException;

/**
 * Whether the incubating Vector API is usable in this JVM, and the SIMD tiles when it is. The class
 * {@code SimdTiles} is loaded reflectively, only after the module check, so that a JVM started without
 * {@code --add-modules=jdk.incubator.vector} never touches it; the fallback is announced once on stderr.
 *
 * <p>Internal: public only so that the decode kernel (the decode package) and the kernels'
 * factory ({@code AttentionKernels.simdAvailable()}) ask it; not part of the library's API, and it may change
 * without notice.
 */
public final class VectorSupport {

    private static final TileOps SIMD = load();

    private VectorSupport() {
    }

    /** Whether the Vector API loaded (else every kernel runs its scalar path). */
    public static boolean available() {
        return SIMD != null;
    }

    static TileOps simdTiles() {
        if (SIMD == null) {
            throw new IllegalStateException("jdk.incubator.vector is not available");
        }
        return SIMD;
    }

    private static TileOps load() {
        boolean present = ModuleLayer.boot().findModule("jdk.incubator.vector").isPresent();
        if (!present) {
            System.err.println("isentropic kernels: jdk.incubator.vector not present, using the scalar path"
                    + " (run java with --add-modules=jdk.incubator.vector for SIMD)");
            return null;
        }
        try {
            return (TileOps) Class.forName("org.isentropic.kernels.fused.SimdTiles").getDeclaredConstructor()
                    .newInstance();
        } catch (ClassNotFoundException | NoSuchMethodException | InstantiationException | IllegalAccessException
                 | InvocationTargetException | LinkageError e) {
            System.err.println("isentropic kernels: Vector API unusable (" + e + "), using the scalar path");
            return null;
        }
    }
}
