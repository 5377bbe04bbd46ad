package org.isentropic.cli;

import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.function.Supplier;
import org.isentropic.base.UserInputException;
import org.isentropic.kernels.spec.Mask;
import org.isentropic.kernels.spec.Positions;
import org.isentropic.kernels.spec.SchemeEntry;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/**
 * The position scheme and the mask of attention ({@code --position}, {@code --mask} and the parameters
 * they read), chosen by name from the kernels' registries ({@link Positions#VOCABULARY},
 * {@link Mask#VOCABULARY}); each parameter option is the registry parameter of the same name, and the
 * help lists what each scheme reads.
 */
public final class PositionMaskOptions {

    @Option(names = "--position", defaultValue = "none", paramLabel = "SCHEME", completionCandidates = PositionHelp.class,
            description = "Position scheme (default: ${DEFAULT-VALUE}), with the options it reads:${COMPLETION-CANDIDATES}")
    String position;

    @Mixin
    RopeBaseOption ropeBase;

    @Option(names = "--window", paramLabel = "W",
            description = "W >= 1, one meaning everywhere: pairs with |i - j| < W (distances 0 .. W - 1) are local."
                    + " rerope keeps their relative position and gives every farther pair W - 1; the streaming"
                    + " and lambda masks see exactly those keys (plus the sinks).")
    Integer window;

    @Option(names = "--half-width", paramLabel = "H",
            description = "H >= 1 for --mask window: keys with |i - j| <= H are visible.")
    Integer halfWidth;

    @Option(names = "--slope", defaultValue = "0.00390625", paramLabel = "M",
            description = "ALiBi slope m >= 0, bias -m|i-j| (default: 1/256).")
    double slope;

    @Option(names = "--mask", defaultValue = "full", paramLabel = "MASK", completionCandidates = MaskHelp.class,
            description = "Mask (default: ${DEFAULT-VALUE}), with the options it reads:${COMPLETION-CANDIDATES}")
    String mask;

    @Option(names = "--sinks", paramLabel = "K",
            description = "K >= 0 sink tokens (the first K keys every row sees) for the streaming (default 4) and"
                    + " lambda (default 5) masks.")
    Integer sinks;

    @Option(names = "--causal", description = "Also mask keys j > i (with window, streaming or lambda masks).")
    boolean causal;

    /**
     * The position scheme the options describe for head dimension {@code d}; {@code trainLength} is the
     * command's {@code --train-length} (read by pi, ntk and yarn).
     */
    Positions positions(int d, int trainLength) {
        Positions p = parse(() -> Positions.parse(position, name -> parameter(name, trainLength)));
        if (p.isRotary() && d % 2 != 0) {
            throw new UserInputException("--q: d = " + d + " is odd; --position " + position
                    + " rotates pairs (d must be even)");
        }
        return p;
    }

    /** The mask the options describe (intersected with causal under --causal). */
    Mask mask(int trainLength) {
        // A parameter option neither choice reads is refused first: it is the likelier mistake.
        SchemeEntry<Positions> positionEntry = Positions.VOCABULARY.find(position);
        SchemeEntry<Mask> maskEntry = parse(() -> Mask.VOCABULARY.find(mask));
        for (String name : List.of("window", "half-width", "sinks")) {
            if (parameter(name, trainLength) != null && !positionEntry.reads(name) && !maskEntry.reads(name)) {
                throw new UserInputException("--" + name + ": neither --position " + position + " nor --mask "
                        + mask + " reads it (they read: " + String.join(", ", reads(positionEntry, maskEntry)) + ")");
            }
        }
        Mask result = parse(() -> Mask.parse(mask, name -> parameter(name, trainLength)));
        return causal ? result.andCausal() : result;
    }

    /** The value of a registry parameter from the option of the same name ("--" + name), null when not given. */
    private Number parameter(String name, int trainLength) {
        switch (name) {
            case "rope-base": return ropeBase.value;
            case "train-length": return trainLength;
            case "window": return window;
            case "half-width": return halfWidth;
            case "sinks": return sinks;
            case "slope": return slope;
            default: return null;
        }
    }

    /** Runs a registry parse, naming the option: the registry's messages start with the parameter's name. */
    private static <T> T parse(Supplier<T> parse) {
        try {
            return parse.get();
        } catch (IllegalArgumentException e) {
            throw new UserInputException("--" + e.getMessage(), e);
        }
    }

    private static List<String> reads(SchemeEntry<?> a, SchemeEntry<?> b) {
        List<String> names = new ArrayList<>();
        for (SchemeEntry<?> e : List.of(a, b)) {
            for (String p : e.parameters()) {
                names.add("--" + p.split("=")[0]);
            }
        }
        return names.isEmpty() ? List.of("nothing") : names;
    }

    /** The position schemes' help lines, for --position's description. */
    static final class PositionHelp implements Iterable<String> {
        @Override
        public Iterator<String> iterator() {
            return helpLines(Positions.VOCABULARY.entries()).iterator();
        }
    }

    /** The masks' help lines, for --mask's description. */
    static final class MaskHelp implements Iterable<String> {
        @Override
        public Iterator<String> iterator() {
            return helpLines(Mask.VOCABULARY.entries()).iterator();
        }
    }

    /** One help line per entry, options spelled as typed; picocli joins them with ", ". */
    private static List<String> helpLines(List<? extends SchemeEntry<?>> registry) {
        List<String> lines = new ArrayList<>();
        for (SchemeEntry<?> e : registry) {
            StringBuilder b = new StringBuilder("%n  ").append(e.name());
            for (String p : e.parameters()) {
                String[] nameDefault = p.split("=");
                b.append(" --").append(nameDefault[0]).append(nameDefault.length > 1 ? " (default " + nameDefault[1] + ")" : "");
            }
            lines.add(b.append(": ").append(e.description()).toString());
        }
        return lines;
    }
}
