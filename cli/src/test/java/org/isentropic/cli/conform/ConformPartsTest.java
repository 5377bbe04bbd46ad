package org.isentropic.cli.conform;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.EnumSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.isentropic.base.Seeds;
import org.isentropic.base.UserInputException;
import org.isentropic.kernels.AttentionKernels;
import org.isentropic.kernels.spec.AttentionOutput;
import org.isentropic.kernels.spec.AttentionSpec;
import org.isentropic.kernels.spec.NMode;
import org.isentropic.verification.bridge.AttentionInputs;
import org.junit.jupiter.api.Test;

/** The parts of conform without a command: templates, cases, the check's bound (with teeth), shrink steps. */
class ConformPartsTest {

    private static final long SEED = Seeds.seed();
    /** The families whose rows spread their mass over many keys, so that the temperature shows in O. */
    private static final Set<ConformCases.Family> SPREAD = EnumSet.of(ConformCases.Family.GAUSSIAN,
            ConformCases.Family.ZERO_VECTORS, ConformCases.Family.SHARP, ConformCases.Family.NEIGHBOURS);

    @Test
    void templatesSplitLikeAShellAndFillPlaceholdersInsideWords() {
        CommandTemplate t = CommandTemplate.parse("--cmd",
                "python3 'my kernel.py' --q={q} \"{k}\" {v} out=\"{out}\" --n {n} --d={d}x{dv} N\\ {N} \"a\\\"b\" 'x$1'");
        List<String> argv = t.argv(Map.of("q", "/t/q.npy", "k", "/t/k file.npy", "v", "/t/v.npy", "out", "/t/o.npy",
                "n", "5", "d", "3", "dv", "2", "N", "4"));
        assertEquals(List.of("python3", "my kernel.py", "--q=/t/q.npy", "/t/k file.npy", "/t/v.npy", "out=/t/o.npy",
                "--n", "5", "--d=3x2", "N 4", "a\"b", "x$1"), argv);
        assertEquals("python3 'my kernel.py' '/t/k file.npy' 'it'\\''s'",
                CommandTemplate.shellQuoted(List.of("python3", "my kernel.py", "/t/k file.npy", "it's")));
        // sh -c with its own $1 .. $4 inside double quotes stays literal for that shell
        assertEquals(List.of("sh", "-c", "cat $1 > $4", "sh", "Q", "K", "V", "O"),
                CommandTemplate.parse("--cmd", "sh -c \"cat $1 > $4\" sh {q} {k} {v} {out}")
                        .argv(Map.of("q", "Q", "k", "K", "v", "V", "out", "O")));
    }

    @Test
    void templatesThatCannotRunAsTypedAreRefusedNamingTheOption() {
        for (String bad : List.of("", "   ", "k {q} {k} {v}", "k {q} {k} {v} {out} {w}", "k {q} {k} {v} {out} | tee x",
                "k {q} {k} {v} {out} > x", "k {q} {k} {v} {out} $HOME", "k '{q} {k} {v} {out}", "k \"{q} {k} {v} {out}",
                "k {q} {k} {v} {out} *.npy", "k {q} {k} {v} {out} \\")) {
            UserInputException e = assertThrows(UserInputException.class,
                    () -> CommandTemplate.parse("--cmd", bad), bad);
            assertTrue(e.getMessage().startsWith("--cmd: "), e.getMessage());
        }
        CommandTemplate t = CommandTemplate.parse("--cmd", "no-such-program-xyz {q} {k} {v} {out}");
        assertThrows(UserInputException.class, () -> t.requireProgram("--cmd", System.getenv("PATH")));
        CommandTemplate.parse("--cmd", "sh {q} {k} {v} {out}").requireProgram("--cmd", System.getenv("PATH"));
    }

    @Test
    void casesCoverTheLengthsDimensionsAndHostileInputs() {
        List<ConformCases.Case> cases = ConformCases.generate(64, 256, 24, SEED);
        assertEquals(24, cases.size());
        Set<ConformCases.Family> families = EnumSet.noneOf(ConformCases.Family.class);
        boolean dvDiffers = false;
        int notPowerOfTwo = 0;
        for (ConformCases.Case c : cases) {
            AttentionInputs in = c.inputs();
            assertTrue(in.n() >= 1 && in.n() <= 256, c.toString());
            families.add(c.family());
            dvDiffers |= in.dv() != in.d();
            notPowerOfTwo += Integer.bitCount(in.n()) == 1 ? 0 : 1;
        }
        assertEquals(EnumSet.allOf(ConformCases.Family.class), families);
        assertTrue(dvDiffers);
        assertTrue(notPowerOfTwo >= 18, "lengths: " + notPowerOfTwo + " not powers of two");
        List<Integer> lengths = ConformCases.lengths(64, 256, 24, SEED);
        assertTrue(lengths.containsAll(List.of(64, 256, 65, 127, 3)), lengths.toString());
        assertEquals(lengths, ConformCases.lengths(64, 256, 24, SEED));
        // zero vectors are zero, equal keys are equal
        AttentionInputs z = ConformCases.Family.ZERO_VECTORS.make(12, 4, 3, SEED);
        for (int c = 0; c < 4; c++) {
            assertEquals(0f, z.q()[c]);
            assertEquals(0f, z.k()[4 + c]);
        }
        AttentionInputs e = ConformCases.Family.EQUAL_KEYS.make(5, 3, 2, SEED);
        for (int j = 0; j < 5; j++) {
            for (int c = 0; c < 3; c++) {
                assertEquals(e.k()[c], e.k()[j * 3 + c]);
            }
        }
    }

    /**
     * The bound holds a float32 kernel that is right (the project's own fused kernel, SIMD or scalar) and
     * catches one whose temperature is off by 1 % on every case whose rows spread their mass (equal keys,
     * near ties, one-hot rows from large logits or a dominant key hardly depend on the temperature: they
     * are there for other faults): the check has teeth.
     */
    @Test
    void theBoundPassesTheFusedFloatKernelAndCatchesAOnePercentTemperatureError() {
        for (boolean cosine : new boolean[] {false, true}) {
            for (boolean causal : new boolean[] {false, true}) {
                ConformSpec declared = new ConformSpec(cosine ? AttentionSpec.cosine(32) : AttentionSpec.dot(), causal,
                        "infoscale", 16, 0, null);
                int caught = 0;
                for (ConformCases.Case c : ConformCases.generate(16, 64, 16, SEED)) {
                    AttentionInputs in = c.inputs();
                    ConformCheck.Expected expected = ConformCheck.expected(declared, in);
                    float[] fused = attend(declared.spec(in.d()), in, 1.0);
                    ConformCheck.Comparison ok = ConformCheck.compare(expected, fused, in.dv());
                    assertTrue(ok.pass(), c + " " + declared.describe(in.d()) + ": " + ok.describe());
                    float[] wrong = attend(declared.spec(in.d()), in, 1.01);
                    ConformCheck.Comparison bad = ConformCheck.compare(expected, wrong, in.dv());
                    if (SPREAD.contains(c.family())) {
                        assertFalse(bad.pass(), "a 1 % temperature error passed: " + c + " " + bad.describe());
                        caught++;
                    }
                }
                assertEquals(8, caught);
            }
        }
    }

    private static float[] attend(AttentionSpec spec, AttentionInputs in, double extraFactor) {
        AttentionSpec s = extraFactor == 1.0 ? spec : spec.withRule(n -> extraFactor * spec.rule().applyAsDouble(n),
                spec.nMode());
        AttentionOutput out = AttentionOutput.allocate(in.n(), in.dv(), false);
        AttentionKernels.fused(1).attend(s, in.q(), in.k(), in.v(), in.n(), in.d(), in.dv(), out);
        return out.o();
    }

    @Test
    void theReferenceRoundingIsInsideTheBoundAndAnErrorOfTwiceTheBoundIsNot() {
        ConformSpec declared = new ConformSpec(AttentionSpec.dot(), false, "logn", 8, 0, NMode.SEQUENCE);
        AttentionInputs in = AttentionInputs.gaussian(20, 6, 3, 1.0, SEED);
        ConformCheck.Expected e = ConformCheck.expected(declared, in);
        float[] same = e.expected().clone();
        assertTrue(ConformCheck.compare(e, same, 3).pass());
        float[] off = e.expected().clone();
        off[7] += (float) (2 * e.bounds()[7 / 3]);
        ConformCheck.Comparison c = ConformCheck.compare(e, off, 3);
        assertFalse(c.pass());
        assertEquals(2, c.row());
        assertEquals(1, c.column());
    }

    @Test
    void shrinkCandidatesAreSmallerAscendingAndFew() {
        assertEquals(List.of(), Shrinker.smaller(1));
        assertEquals(List.of(1), Shrinker.smaller(2));
        List<Integer> s = Shrinker.smaller(256);
        assertEquals(1, s.get(0));
        assertEquals(255, s.get(s.size() - 1));
        assertTrue(s.size() <= 20, s.toString());
        for (int i = 1; i < s.size(); i++) {
            assertTrue(s.get(i) > s.get(i - 1));
        }
    }
}
