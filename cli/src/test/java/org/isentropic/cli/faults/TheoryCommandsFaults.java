package org.isentropic.cli.faults;

import java.util.List;

/** Values that are not numbers a theory option can take, for the generated cases of the fault suite. */
final class TheoryCommandsFaults {

    private TheoryCommandsFaults() {
    }

    /** Bad values of a positive integer option. */
    static final List<String> BAD_COUNTS = List.of("0", "-1", "-2147483648", "abc", "1.5");

    /** Bad values of a positive real option. */
    static final List<String> BAD_POSITIVE = List.of("0", "-1", "NaN", "Infinity", "-Infinity", "abc");
}
