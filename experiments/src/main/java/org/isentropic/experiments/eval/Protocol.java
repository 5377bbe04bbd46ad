package org.isentropic.experiments.eval;

/** How masked tokens are predicted (digest section 6). */
public enum Protocol {
    /**
     * The paper's protocol: one token masked per forward pass, at P evenly spaced positions of each
     * window of n characters ({@link TestSet#windows}), {@code p_j = floor((j + 1/2) n / P)}, j = 0..P-1.
     */
    ONE_TOKEN("one-token"),
    /** The cheaper variant: 15 % of the positions masked at once (seeded), all predicted from one pass. */
    ONE_PASS("one-pass-15%");

    private final String label;

    Protocol(String label) {
        this.label = label;
    }

    public String label() {
        return label;
    }
}
