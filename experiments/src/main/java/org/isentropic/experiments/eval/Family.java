package org.isentropic.experiments.eval;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.OptionalDouble;
import org.isentropic.base.UserInputException;

/**
 * A family of committed checkpoints to evaluate together.
 *
 * <ul>
 *   <li>{@code v1}: {@code gau-softmax} and {@code gau-cosscale} at the root of {@code checkpoints/}
 *       (d = 64, one seed each; the CosScale s is learned per layer).</li>
 *   <li>{@code d128}: the checkpoints listed in {@code checkpoints/d128/index.csv}, header
 *       {@code name,role,seed,scale}; role is one of softmax, control, cosscale, attention-e, n256; scale is
 *       CosScale's fixed s or empty. Trained on the Europarl sample.</li>
 *   <li>{@code v3}: the same roles, listed in {@code checkpoints/v3/index.csv}, trained on the State of the Union
 *       corpus ({@code Corpus#stateOfTheUnion}), whose test streams each lie inside one address.</li>
 * </ul>
 * The default is the newest family (v3, then d128) whose index lists at least one softmax and one cosscale
 * checkpoint, else v1.
 *
 * @param corpus the corpus its checkpoints were trained on ({@code Corpus#named})
 */
public record Family(String id, List<Checkpoint> checkpoints, String corpus) {

    /** The families {@code --family} takes. */
    public static final List<String> IDS = List.of("v1", "d128", "v3");

    /** Role names of the index. */
    public static final String SOFTMAX = "softmax";
    public static final String CONTROL = "control";
    public static final String COSSCALE = "cosscale";
    public static final String ATTENTION_E = "attention-e";
    public static final String N256 = "n256";
    /** Copy fine-tunes of the retrieval probe (issue 24): of the control, and of a CosScale checkpoint. */
    public static final String COPY_CONTROL = "copy-control";
    public static final String COPY_COSSCALE = "copy-cosscale";

    /**
     * One checkpoint of a family.
     *
     * @param resource classpath name under {@code checkpoints/} (without extension)
     * @param name the short name in tables
     * @param role softmax, control, cosscale, attention-e or n256
     * @param seed training seed index (1, 2, 3), 1 for v1
     * @param scale CosScale's fixed s, NaN when not fixed
     */
    public record Checkpoint(String resource, String name, String role, int seed, double scale) {

        /** "cos128" for a cosscale checkpoint with s = 128, else the role. */
        public String arm() {
            if (role.equals(COSSCALE) && !Double.isNaN(scale)) {
                return "cos" + (int) scale;
            }
            return role;
        }
    }

    /** The checkpoint name without its seed suffix ({@code cos128-seed2} -> {@code cos128}). */
    public static String withoutSeed(String name) {
        return name.replaceFirst("-seed\\d+$", "");
    }

    /** True when streams lie inside one document (v3) rather than joining short documents (v1, d128). */
    public boolean longDocuments() {
        return id.equals("v3");
    }

    public Family {
        checkpoints = List.copyOf(checkpoints);
        if (checkpoints.isEmpty()) {
            throw new IllegalArgumentException("family " + id + " has no checkpoint");
        }
    }

    /** The v1 pair. */
    public static Family v1() {
        return new Family("v1", List.of(new Checkpoint("gau-softmax", "gau-softmax", SOFTMAX, 1, Double.NaN),
                new Checkpoint("gau-cosscale", "gau-cosscale", COSSCALE, 1, Double.NaN)), "europarl");
    }

    /** The family {@code id} (d128 or v3) from its index, or null when the index does not exist. */
    public static Family indexedOrNull(String id) {
        String text = resource("checkpoints/" + id + "/index.csv");
        return text == null ? null : parseIndex(id, id + "/", text);
    }

    /** The default: v3, else d128, if its index lists a softmax and a cosscale checkpoint; else v1. */
    public static Family defaultFamily() {
        for (String id : List.of("v3", "d128")) {
            Family d = indexedOrNull(id);
            if (d != null && d.has(SOFTMAX) && d.has(COSSCALE)) {
                return d;
            }
        }
        return v1();
    }

    /** Parses {@code --family v1|d128|v3}. */
    public static Family of(String id) {
        if (id.equals("v1")) {
            return v1();
        }
        if (!IDS.contains(id)) {
            throw new UserInputException("--family must be one of " + String.join("|", IDS) + ", got '" + id + "'");
        }
        Family d = indexedOrNull(id);
        if (d == null) {
            throw new UserInputException("--family " + id + ": no checkpoints/" + id + "/index.csv in this build");
        }
        return d;
    }

    public boolean has(String role) {
        return checkpoints.stream().anyMatch(c -> c.role().equals(role));
    }

    /** Parses an index (header name,role,seed,scale; blank lines and lines starting with # skipped). */
    public static Family parseIndex(String id, String prefix, String text) {
        List<Checkpoint> out = new ArrayList<>();
        String[] lines = text.split("\r?\n");
        if (lines.length == 0 || !lines[0].trim().equals("name,role,seed,scale")) {
            throw new IllegalArgumentException("checkpoint index of " + id + ": header must be name,role,seed,scale");
        }
        for (int i = 1; i < lines.length; i++) {
            String l = lines[i].trim();
            if (l.isEmpty() || l.startsWith("#")) {
                continue;
            }
            String[] f = l.split(",", -1);
            if (f.length != 4) {
                throw new IllegalArgumentException("checkpoint index of " + id + " line " + (i + 1)
                        + ": 4 fields expected, got '" + l + "'");
            }
            String role = f[1].trim().toLowerCase(Locale.ROOT);
            if (!List.of(SOFTMAX, CONTROL, COSSCALE, ATTENTION_E, N256, COPY_CONTROL, COPY_COSSCALE).contains(role)) {
                throw new IllegalArgumentException("checkpoint index of " + id + " line " + (i + 1) + ": unknown role "
                        + f[1]);
            }
            try {
                int seed = Integer.parseInt(f[2].trim());
                OptionalDouble s = f[3].isBlank() ? OptionalDouble.empty()
                        : OptionalDouble.of(Double.parseDouble(f[3].trim()));
                out.add(new Checkpoint(prefix + f[0].trim(), f[0].trim(), role, seed, s.orElse(Double.NaN)));
            } catch (NumberFormatException e) {
                throw new IllegalArgumentException("checkpoint index of " + id + " line " + (i + 1) + ": " + e.getMessage());
            }
        }
        return new Family(id, out, id.equals("v3") ? "sotu" : "europarl");
    }

    private static String resource(String name) {
        try (InputStream in = Family.class.getClassLoader().getResourceAsStream(name)) {
            return in == null ? null : new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
