package org.isentropic.experiments.eval;

import java.util.Locale;

/** Where the scored windows come from (docs/method.md, the experiment). */
public enum Protocol {
    /**
     * The main protocol: held-out documents concatenated into streams, no text repeated ({@link Streams});
     * the same 8 target characters per stream at every n.
     */
    STREAMS,
    /**
     * The secondary protocol kept for comparison with Su's tables and the earlier runs: each of the 10 long
     * test documents tiled (document, space, document, ...) to the largest length, then the same centred
     * windows and targets; at n near or above a document's length (~1700-1900) the window repeats text, so a
     * model can copy a masked character from the repeat. Not used for any verdict.
     */
    REPEATED;

    /** The protocol as the output files name it: {@code streams} or {@code repeated}. */
    public String label() {
        return name().toLowerCase(Locale.ROOT);
    }
}
