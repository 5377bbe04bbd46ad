package org.isentropic.kernels.spec;

/**
 * A kernel that computes each query row's logits once and lets a per-row solver evaluate the row's entropy at
 * as many temperatures as it needs from them (exactly isentropic attention: {@code IsentropicKernel}), instead
 * of a pass over the keys per evaluation. Internal: public only for the isentropic kernel and the kernels that
 * offer it; not part of the library's API.
 */
public interface TemperatureSolving {

    /**
     * For every row i of the call ({@code spec} at factor 1, without an isentropic target; q and k as for
     * {@link AttentionKernel#attend}), computes the row's logits z_ij and calls {@code solver.solve(i, curve)}
     * with the row's {@link EntropyCurve}, valid during that call only. Rows may be solved concurrently, each
     * row exactly once.
     */
    void solveTemperatures(AttentionSpec spec, float[] q, float[] k, int n, int d, RowSolver solver);

    /** Solves one row from its entropy curve. */
    interface RowSolver {
        void solve(int row, EntropyCurve curve);
    }

    /**
     * One row's entropy as a function of its temperature lambda &gt; 0, over the row's visible keys with logits
     * lambda z_ij: H(lambda) = logsumexp(lambda z) - E_p[lambda z], and Var_p(lambda z) = -dH/d ln lambda.
     */
    interface EntropyCurve {

        /** Visible keys of the row (0: the curve is 0 everywhere). */
        int visible();

        /** H(lambda) in nats; also makes {@link #variance()} the variance at this lambda. */
        double entropy(double lambda);

        /** Var_p(lambda z) in nats^2 at the lambda of the last {@link #entropy} call. */
        double variance();
    }
}
