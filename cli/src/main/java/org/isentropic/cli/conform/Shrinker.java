package org.isentropic.cli.conform;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.function.Consumer;
import java.util.function.Function;
import org.isentropic.verification.bridge.AttentionInputs;

/**
 * Shrinks a failing case to a smaller one that fails the same way: fewer rows (the first n' rows of q,
 * k and v), a smaller head dimension (the first d' columns of q and k), a smaller value dimension (the
 * first dv' columns of v), then simpler values (v, k, q rounded to integers, else to quarters). Each pass
 * tries the candidates of a step from the smallest up and keeps the first that still fails; passes repeat
 * until none makes progress or {@link #MAX_RUNS} runs of the command were spent. Every try is one run of
 * the kernel under test, so the order puts the reductions that shrink the most first.
 */
public final class Shrinker {

    /** Most runs of the command one shrink may take. */
    public static final int MAX_RUNS = 150;

    private final Function<AttentionInputs, Conformance.Outcome> attempt;
    private final String failure;
    private final Consumer<String> log;
    private final Set<String> tried = new HashSet<>();
    private int runs;

    /**
     * @param attempt runs the kernel on inputs and checks the result
     * @param failure the failure to keep ({@link Conformance.Outcome#failure()} of the original case)
     * @param log     one line per accepted step
     */
    public Shrinker(Function<AttentionInputs, Conformance.Outcome> attempt, String failure, Consumer<String> log) {
        this.attempt = attempt;
        this.failure = failure;
        this.log = log;
    }

    /**
     * The result of a shrink.
     *
     * @param outcome the smallest failing case found (the original when nothing smaller failed)
     * @param runs    runs of the command spent
     * @param steps   the accepted steps, in order
     */
    public record Result(Conformance.Outcome outcome, int runs, List<String> steps) {
    }

    /** Shrinks from a failing outcome. */
    public Result shrink(Conformance.Outcome start) {
        Conformance.Outcome current = start;
        List<String> steps = new ArrayList<>();
        tried.add(key(start.inputs()));
        boolean progress = true;
        while (progress && runs < MAX_RUNS) {
            progress = false;
            for (Step step : steps(current.inputs())) {
                if (runs >= MAX_RUNS) {
                    break;
                }
                AttentionInputs candidate = step.inputs;
                if (!tried.add(key(candidate))) {
                    continue;
                }
                runs++;
                Conformance.Outcome o = attempt.apply(candidate);
                if (failure.equals(o.failure())) {
                    steps.add(step.what);
                    log.accept(step.what + ": still fails (" + o.failure() + ")");
                    current = o;
                    progress = true;
                    break;
                }
            }
        }
        return new Result(current, runs, steps);
    }

    private record Step(String what, AttentionInputs inputs) {
    }

    /** The candidates of every step for these inputs, in the order they are tried. */
    private static List<Step> steps(AttentionInputs in) {
        List<Step> out = new ArrayList<>();
        for (int m : smaller(in.n())) {
            out.add(new Step("n " + in.n() + " -> " + m, rows(in, m)));
        }
        for (int m : smaller(in.d())) {
            out.add(new Step("d " + in.d() + " -> " + m, keyColumns(in, m)));
        }
        for (int m : smaller(in.dv())) {
            out.add(new Step("dv " + in.dv() + " -> " + m, valueColumns(in, m)));
        }
        for (double quantum : new double[] {1, 0.25}) {
            for (char which : new char[] {'v', 'k', 'q'}) {
                AttentionInputs r = rounded(in, which, quantum);
                if (r != null) {
                    out.add(new Step(which + " rounded to multiples of " + (quantum == 1 ? "1" : "0.25"), r));
                }
            }
        }
        return out;
    }

    /** 1, 2, 3, 4, 6, 8, 12, ... (about 1.5x apart), then m/2, 3m/4 and m - 1: all below m, ascending. */
    static List<Integer> smaller(int m) {
        TreeSet<Integer> s = new TreeSet<>();
        for (int a = 1; a < m; a = a < 4 ? a + 1 : a + a / 2) {
            s.add(a);
        }
        for (int a : new int[] {m / 2, 3 * m / 4, m - 1}) {
            if (a >= 1 && a < m) {
                s.add(a);
            }
        }
        return new ArrayList<>(s);
    }

    private static AttentionInputs rows(AttentionInputs in, int m) {
        int d = in.d();
        int dv = in.dv();
        return new AttentionInputs(in.description() + "; first " + m + " rows", m, d, dv,
                java.util.Arrays.copyOf(in.q(), m * d), java.util.Arrays.copyOf(in.k(), m * d),
                java.util.Arrays.copyOf(in.v(), m * dv));
    }

    private static AttentionInputs keyColumns(AttentionInputs in, int m) {
        return new AttentionInputs(in.description() + "; q, k first " + m + " columns", in.n(), m, in.dv(),
                columns(in.q(), in.n(), in.d(), m), columns(in.k(), in.n(), in.d(), m), in.v());
    }

    private static AttentionInputs valueColumns(AttentionInputs in, int m) {
        return new AttentionInputs(in.description() + "; v first " + m + " columns", in.n(), in.d(), m,
                in.q(), in.k(), columns(in.v(), in.n(), in.dv(), m));
    }

    private static float[] columns(float[] x, int rows, int cols, int keep) {
        float[] y = new float[rows * keep];
        for (int r = 0; r < rows; r++) {
            System.arraycopy(x, r * cols, y, r * keep, keep);
        }
        return y;
    }

    /** The inputs with one tensor rounded to multiples of quantum, or null when that changes nothing. */
    private static AttentionInputs rounded(AttentionInputs in, char which, double quantum) {
        float[] x = which == 'q' ? in.q() : which == 'k' ? in.k() : in.v();
        float[] y = new float[x.length];
        boolean changed = false;
        for (int i = 0; i < x.length; i++) {
            y[i] = (float) (Math.rint(x[i] / quantum) * quantum);
            changed |= y[i] != x[i];
        }
        if (!changed) {
            return null;
        }
        String what = "; " + which + " rounded to " + (quantum == 1 ? "integers" : "quarters");
        return new AttentionInputs(in.description() + what, in.n(), in.d(), in.dv(), which == 'q' ? y : in.q(),
                which == 'k' ? y : in.k(), which == 'v' ? y : in.v());
    }

    /** Identifies inputs by sizes and contents, so that no candidate runs twice. */
    private static String key(AttentionInputs in) {
        return in.n() + "x" + in.d() + "x" + in.dv() + ":" + java.util.Arrays.hashCode(in.q()) + ":"
                + java.util.Arrays.hashCode(in.k()) + ":" + java.util.Arrays.hashCode(in.v());
    }
}
