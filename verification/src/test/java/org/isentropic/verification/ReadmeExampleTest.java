package org.isentropic.verification;

import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Collectors;
import org.isentropic.kernels.AttentionKernels;
import org.isentropic.kernels.spec.AttentionKernel;
import org.isentropic.theory.models.LogitModels;
import org.isentropic.theory.rules.TemperatureRule;
import org.isentropic.verification.generators.AttentionInputGenerators;
import org.junit.jupiter.api.Test;

/** The README's example, compiled and run by the build: its body is exactly the README snippet. */
class ReadmeExampleTest {

    @Test
    void myKernelAndMyRule() {
        AttentionKernel mine = AttentionKernels.fused(2);            // or your own AttentionKernel
        Theories.check("my kernel = EJML double-precision reference", 50, 1000,
                AttentionInputGenerators.cases(64, 32),              // random q, k, v, masks, RoPE, rules
                c -> KernelAgreement.assertAgrees(mine, c, true));
        EntropyInvariance.of("infoscale", TemperatureRule.infoScale(16, 16), // N = 16, d = 16
                        LogitModels.sphere(16, 12.0), 16, EntropyInvariance.doublings(16, 64))
                .withKernel(mine)
                .assertMatchesTheory(2000);  // drift per length = theory's Monte Carlo, else a drift table
    }

    /** Keeps the README honest: the snippet it shows is the body of {@link #myKernelAndMyRule}. */
    @Test
    void theReadmeShowsThisExample() throws IOException {
        List<String> source = Files.readAllLines(
                Path.of("src/test/java/org/isentropic/verification/ReadmeExampleTest.java"), StandardCharsets.UTF_8);
        int start = source.indexOf("    void myKernelAndMyRule() {") + 1;
        int end = source.subList(start, source.size()).indexOf("    }") + start;
        String body = source.subList(start, end).stream().map(line -> line.substring(Math.min(8, line.length())))
                .collect(Collectors.joining("\n"));
        String readme = Files.readString(Path.of("..", "README.md"), StandardCharsets.UTF_8);
        assertTrue(body.lines().count() >= 5 && readme.contains("```java\n" + body + "\n```"),
                "README.md must show the body of ReadmeExampleTest.myKernelAndMyRule as its ```java example:\n" + body);
    }
}
