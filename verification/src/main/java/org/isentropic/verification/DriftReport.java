package org.isentropic.verification;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import org.isentropic.base.Seeds;

/**
 * The result of an entropy-invariance measurement: per length, the factor applied, the measured mean
 * row entropy with its standard error, the drift from the training length and the tolerance it was
 * held to. {@link #table()} renders it for a failure message.
 *
 * @param title what was measured (rule, model, kernel)
 * @param trainLength N
 * @param reference the row at N
 * @param rows one row per checked length, in the order checked (the reference excluded)
 * @param seed the seed the measurement used
 * @param smallestFailingLength the smallest length found to fail after shrinking (0 when none failed)
 */
public record DriftReport(String title, int trainLength, Row reference, List<Row> rows, long seed,
        int smallestFailingLength) {

    /**
     * One length.
     *
     * @param n the length
     * @param factor the temperature factor at n
     * @param entropy measured mean row entropy (nats)
     * @param standardError its Monte-Carlo standard error
     * @param drift {@code entropy - H(N)}
     * @param lower the smallest drift the check allows before tolerance ({@code -Infinity}: no lower
     *     bound; 0 for invariance)
     * @param upper the largest drift the check allows before tolerance ({@code +Infinity}: none)
     * @param tolerance the statistical and numerical slack added on both sides
     */
    public record Row(int n, double factor, double entropy, double standardError, double drift,
            double lower, double upper, double tolerance) {
        /** @return whether {@code lower - tolerance <= drift <= upper + tolerance} */
        public boolean passed() {
            return drift >= lower - tolerance && drift <= upper + tolerance;
        }

        /** @return the allowed band as text: {@code 0}, {@code 1.23}, {@code <= 1.5}, {@code [0.1, 0.3]} */
        public String expected() {
            if (lower == upper) {
                return String.format("%+.5f", lower);
            }
            if (lower == Double.NEGATIVE_INFINITY) {
                return String.format("<= %+.4f", upper);
            }
            if (upper == Double.POSITIVE_INFINITY) {
                return String.format(">= %+.4f", lower);
            }
            return String.format("[%+.3f,%+.3f]", lower, upper);
        }
    }

    /** Copies the rows. */
    public DriftReport {
        rows = Collections.unmodifiableList(new ArrayList<>(rows));
    }

    /** @return whether every length passed */
    public boolean passed() {
        return rows.stream().allMatch(Row::passed);
    }

    /** @return the rows that failed, in order */
    public List<Row> failures() {
        return rows.stream().filter(r -> !r.passed()).toList();
    }


    /**
     * A fixed-width table of every length, the reference first.
     *
     * @return the table, several lines
     */
    public String table() {
        StringBuilder sb = new StringBuilder();
        sb.append(String.format("%8s %8s %9s %9s %9s %10s %17s %9s%n",
                "n", "n/N", "factor", "H(n)", "+-se", "drift", "expected drift", "+-tol"));
        Row ref = reference;
        sb.append(String.format("%8d %8.2f %9.5f %9.5f %9.5f %10s %17s %9s%n",
                ref.n(), 1.0, ref.factor(), ref.entropy(), ref.standardError(), "(ref)", "", ""));
        for (Row r : rows) {
            sb.append(String.format("%8d %8.2f %9.5f %9.5f %9.5f %+10.5f %17s %9.5f %s%n",
                    r.n(), r.n() / (double) trainLength, r.factor(), r.entropy(), r.standardError(),
                    r.drift(), r.expected(), r.tolerance(), r.passed() ? "ok" : "FAIL"));
        }
        return sb.toString();
    }

    /**
     * The full failure message: title, table, smallest failing length, seed and rerun command.
     *
     * @return the message
     */
    public String message() {
        StringBuilder sb = new StringBuilder();
        sb.append(passed() ? "Entropy drift within tolerance: " : "Entropy drift out of tolerance: ")
                .append(title).append('\n');
        sb.append("  measured per length (H: mean row entropy in nats, or the focus mass), N = ")
                .append(trainLength).append(":\n");
        for (String line : table().split("\n")) {
            sb.append("    ").append(line).append('\n');
        }
        if (smallestFailingLength > 0) {
            sb.append("  smallest failing length after shrinking: n = ").append(smallestFailingLength)
                    .append(" (").append(String.format("%.3f", smallestFailingLength / (double) trainLength))
                    .append(" N)\n");
        }
        sb.append("  ").append(Seeds.rerunHint(Seeds.seed()));
        if (seed != Seeds.seed()) {
            sb.append(" (measurement seed ").append(seed).append(')');
        }
        return sb.toString();
    }
}
