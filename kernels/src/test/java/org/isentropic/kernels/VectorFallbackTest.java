package org.isentropic.kernels;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

import java.util.List;
import org.isentropic.kernels.decode.DecodeStep;
import org.isentropic.kernels.fused.FusedKernel;
import org.isentropic.kernels.spec.AttentionOutput;
import org.isentropic.kernels.spec.AttentionSpec;
import org.isentropic.kernels.spec.Mask;
import org.isentropic.kernels.spec.NMode;
import org.isentropic.kernels.spec.Positions;
import org.junit.jupiter.api.Test;

/**
 * Runs twice: in the normal test run (JVM with jdk.incubator.vector: the SIMD path) and in the
 * {@code without-vector-module} surefire execution (JVM without it, system property
 * {@code isentropic.expectSimd=false}: the scalar fallback, chosen at run time without loading the SIMD
 * classes).
 */
class VectorFallbackTest {

    @Test
    void pathFollowsTheModulesPresence() {
        boolean present = ModuleLayer.boot().findModule("jdk.incubator.vector").isPresent();
        String expect = System.getProperty("isentropic.expectSimd");
        if (expect != null) {
            assertEquals(Boolean.parseBoolean(expect), present, "the JVM's module set is not the one this run expects");
        }
        assertEquals(present, AttentionKernels.simdAvailable());
        assertEquals(present, AttentionKernels.fused(2).usesSimd());
        assertFalse(AttentionKernels.fusedScalar(1).usesSimd());
        assertEquals(present, DecodeStep.create(AttentionSpec.dot(), 4, 4, 4, 2).usesSimd());
    }

    @Test
    void defaultFusedKernelAgreesWithTheReference() {
        int n = 150;
        for (int d : new int[] {32, 96}) {
            RandomProblem problem = RandomProblem.of(n, d).dv(20).draw(40 + d);
            for (AttentionSpec spec : List.of(AttentionSpec.dot().withMask(Mask.causal()).withPositions(Positions.rope(10000)),
                    AttentionSpec.cosine(50).withPositions(Positions.reropeReference(10000, 30)).withMask(Mask.streaming(4, 40)),
                    AttentionSpec.dot().withPositions(Positions.alibi(0.1)).withRule(len -> Math.log(len + 2), NMode.VISIBLE)
                            .withMask(Mask.lambda(5, 33)))) {
                AttentionOutput expect = problem.output(true);
                problem.attend(AttentionKernels.reference(), spec, expect);
                for (int threads : new int[] {1, 2}) {
                    FusedKernel kernel = AttentionKernels.fused(threads);
                    AttentionOutput actual = problem.output(true);
                    problem.attend(kernel, spec, actual);
                    Agreement.check(kernel.name() + " " + spec, spec, problem, expect, actual,
                            kernel.config().blockKeys());
                }
            }
        }
    }
}
