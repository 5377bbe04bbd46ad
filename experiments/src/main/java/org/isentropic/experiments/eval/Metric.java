package org.isentropic.experiments.eval;

import java.util.Locale;

/** The two metrics of every cell and claim: accuracy (percentage points) and loss (nats per target). */
public enum Metric {
    ACCURACY, LOSS;

    /** {@code accuracy} or {@code loss}, as the CSV files write it. */
    public String id() {
        return name().toLowerCase(Locale.ROOT);
    }

    /** "points" or "nats". */
    public String unit() {
        return this == ACCURACY ? "points" : "nats";
    }

    /** Parses {@code accuracy} or {@code loss}; {@code where} names the source in the error. */
    public static Metric parse(String s, String where) {
        return switch (s) {
            case "accuracy" -> ACCURACY;
            case "loss" -> LOSS;
            default -> throw new IllegalArgumentException(where + ": metric must be accuracy or loss, got '" + s + "'");
        };
    }
}
