package org.isentropic.kernels.fused;

import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorShape;
import jdk.incubator.vector.VectorSpecies;

/**
 * The tests' only contact with the Vector API: {@link VectorExp2} as an {@link Exp2Checks.Exp2Op} at a chosen
 * species (VectorExp2 takes its species from its argument, so every width this machine has can be tested in one
 * JVM), and the preferred width. Loaded only when jdk.incubator.vector is present.
 */
public final class Exp2Vectors {

    private Exp2Vectors() {
    }

    /** Bits of the preferred (widest usable) float species of this JVM. */
    public static int preferredBits() {
        return FloatVector.SPECIES_PREFERRED.vectorBitSize();
    }

    /**
     * VectorExp2 over whole vectors of the {@code bits}-bit species; the last partial vector is padded with 0
     * (an argument of the domain) and only its first lanes are kept.
     */
    public static Exp2Checks.Exp2Op at(int bits) {
        VectorSpecies<Float> species = VectorSpecies.of(float.class, VectorShape.forBitSize(bits));
        int lanes = species.length();
        return (x, out) -> {
            int i = 0;
            for (; i + lanes <= x.length; i += lanes) {
                VectorExp2.exp2(FloatVector.fromArray(species, x, i)).intoArray(out, i);
            }
            if (i < x.length) {
                float[] padded = new float[lanes];
                System.arraycopy(x, i, padded, 0, x.length - i);
                float[] result = new float[lanes];
                VectorExp2.exp2(FloatVector.fromArray(species, padded, 0)).intoArray(result, 0);
                System.arraycopy(result, 0, out, i, x.length - i);
            }
        };
    }
}
