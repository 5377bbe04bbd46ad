package org.isentropic.cli.conform;

import org.isentropic.verification.bridge.AttentionInputs;

/**
 * One check of the kernel under test: run it on inputs ({@link ExternalKernel}) and compare its output
 * with the reference under the declared attention ({@link ConformCheck}).
 */
public final class Conformance {

    /** The failure name of an output outside its bound. */
    public static final String WRONG_VALUES = "wrong values";

    private final ConformSpec declared;
    private final ExternalKernel kernel;

    public Conformance(ConformSpec declared, ExternalKernel kernel) {
        this.declared = declared;
        this.kernel = kernel;
    }

    /**
     * The result of one check.
     *
     * @param inputs     the inputs
     * @param run        the command's run
     * @param expected   the reference output and bounds
     * @param comparison the comparison, when the command wrote a readable output of the right shape
     *                   (finite or not: null when it was not finite)
     */
    public record Outcome(AttentionInputs inputs, ExternalKernel.Run run, ConformCheck.Expected expected,
            ConformCheck.Comparison comparison) {

        public boolean pass() {
            return run.ok() && comparison.pass();
        }

        /** "pass", {@link #WRONG_VALUES}, or what went wrong with the run. */
        public String failure() {
            if (!run.ok()) {
                return run.trouble().words();
            }
            return comparison.pass() ? "pass" : WRONG_VALUES;
        }

        /** One sentence: what failed and where, or the worst element of a pass. */
        public String message() {
            if (!run.ok()) {
                return "the command " + run.message();
            }
            return (comparison.pass() ? "worst element " : "output outside the bound at ") + comparison.describe();
        }
    }

    /** Runs and checks the kernel on inputs. */
    public Outcome check(AttentionInputs in) {
        ConformCheck.Expected e = ConformCheck.expected(declared, in);
        ExternalKernel.Run run = kernel.run(in);
        ConformCheck.Comparison c = run.ok() ? ConformCheck.compare(e, run.output(), in.dv()) : null;
        return new Outcome(in, run, e, c);
    }

    public ConformSpec declared() {
        return declared;
    }

    public ExternalKernel kernel() {
        return kernel;
    }
}
