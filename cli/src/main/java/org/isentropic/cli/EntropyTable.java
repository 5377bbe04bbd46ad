package org.isentropic.cli;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import org.isentropic.base.Table;
import org.isentropic.kernels.spec.AttentionOutput;
import org.isentropic.kernels.spec.AttentionSpec;
import org.isentropic.kernels.spec.IsentropicRows;

/**
 * The table {@code isentropic attend} prints: per query row its entropy (nats) and logsumexp, with the
 * isentropic solver's target, lambda and iterations when it ran.
 */
final class EntropyTable {

    private EntropyTable() {
    }

    /** The per-row table: {@code leading} columns (e.g. head), then row, entropy, logsumexp and the solver's. */
    static Table table(boolean isentropic, String... leading) {
        List<String> columns = new ArrayList<>(List.of(leading));
        columns.addAll(isentropic ? List.of("row", "target_entropy", "entropy", "lambda", "iterations", "logsumexp")
                : List.of("row", "entropy", "logsumexp"));
        return new Table(6, columns);
    }

    /**
     * One table row per query row of {@code out}: {@code prefix} (e.g. the head), the row, then entropy and
     * logsumexp, with the isentropic solver's target, lambda and iterations when it ran.
     */
    static void addRows(Table table, Object[] prefix, AttentionOutput out) {
        IsentropicRows iso = out.isentropic();
        for (int i = 0; i < out.entropy().length; i++) {
            Object[] cells = iso == null
                    ? new Object[] {i, (double) out.entropy()[i], (double) out.logSumExp()[i]}
                    : new Object[] {i, (double) iso.target()[i], (double) out.entropy()[i], (double) iso.lambda()[i],
                        iso.iterations()[i], (double) out.logSumExp()[i]};
            Object[] row = Arrays.copyOf(prefix, prefix.length + cells.length);
            System.arraycopy(cells, 0, row, prefix.length, cells.length);
            table.add(row);
        }
    }

    /** The isentropic solver's summary on stderr. */
    static void logIsentropic(AttentionSpec spec, IsentropicRows iso, int rows, java.io.PrintWriter err) {
        err.printf(Locale.ROOT, "attend: isentropic, %s: %d solver passes; %d of %d rows clamped (target out"
                + " of reach in [lambda_min, lambda_max]), %d unconverged%n", spec.isentropic(), iso.passes(),
                iso.clamped(), rows, iso.unconverged());
    }
}
