package org.isentropic.cli;

import java.nio.file.Path;
import picocli.CommandLine.Option;

/**
 * The captured queries and keys a command reads ({@code --q}, {@code --k}): NumPy arrays, one head
 * ({@code n x d}) or several ({@code heads x n x d}), shared by {@code isentropic attend} and
 * {@code isentropic calibrate}.
 */
public final class QueryKeyInputs {

    @Option(names = "--q", required = true, paramLabel = "FILE",
            description = "Queries (.npy, float32 or float64): n x d, or heads x n x d.")
    Path q;

    @Option(names = "--k", required = true, paramLabel = "FILE",
            description = "Keys (.npy) with --q's n and d: n x d, or kvHeads x n x d (kvHeads = --q's heads, or a"
                    + " divisor of them where the command runs grouped-query attention).")
    Path k;
}
