package org.isentropic.verification;

import static org.junit.jupiter.api.Assertions.fail;

import java.util.function.Consumer;

/**
 * Property group 6 helper: runs a property against a deliberately wrong subject and requires that it
 * fails, so a property that cannot fail is itself a failure. The property receives the name
 * {@code "teeth: " + what} to run under, so {@link SuiteLedger} counts its examples there.
 */
final class Teeth {
    private Teeth() {
    }

    /**
     * @param what which property against which wrong subject
     * @param property the property run against the wrong subject, given the name to run under
     * @return the failure message the property produced (for printing or further checks)
     */
    static String mustDetect(String what, Consumer<String> property) {
        String name = "teeth: " + what;
        SuiteLedger.register(name);
        try {
            property.accept(name);
        } catch (AssertionError expected) {
            return expected.getMessage();
        }
        fail("the property did not detect the deliberately wrong subject: " + what);
        return null;
    }
}
