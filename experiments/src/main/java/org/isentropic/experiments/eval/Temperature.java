package org.isentropic.experiments.eval;

import java.util.Locale;
import org.isentropic.theory.rules.TemperatureRule;

/**
 * The temperatures of the comparison, from theory's rules, applied to every row with n = the sequence
 * length (the paper's reference implementation, also under window masks): standard (1), log-n
 * (ln n / ln N) and InfoScale (sqrt((1 - n^(-2/d)) / (1 - N^(-2/d)))).
 */
public enum Temperature {
    STANDARD("standard"), LOGN("log-n"), INFOSCALE("InfoScale");

    private final String label;

    Temperature(String label) {
        this.label = label;
    }

    public String label() {
        return label;
    }

    public String id() {
        return name().toLowerCase(Locale.ROOT);
    }

    public static Temperature of(String id) {
        for (Temperature t : values()) {
            if (t.id().equals(id)) {
                return t;
            }
        }
        throw new IllegalArgumentException("temperature must be one of standard, logn, infoscale; got " + id);
    }

    public TemperatureRule rule(int trainLength, int d) {
        return switch (this) {
            case STANDARD -> TemperatureRule.standard();
            case LOGN -> TemperatureRule.logN(trainLength);
            case INFOSCALE -> TemperatureRule.infoScale(trainLength, d);
        };
    }
}
