package org.isentropic.experiments.eval;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import org.isentropic.base.UserInputException;
import org.isentropic.experiments.stats.Direction;

/**
 * The pre-registered comparisons of {@code experiments/claims.csv} (committed before the full evaluation; packaged as
 * the classpath resource {@value #RESOURCE}). Columns {@code id,statement,metric,n,cell_a,cell_b,margin,direction}:
 * metric {@code accuracy} (percentage points) or {@code loss} (nats per target); the estimate is A - B at length n;
 * the direction and margin as {@link Direction} defines them ({@code greater}: A - B > margin; {@code less}:
 * A - B < -margin; {@code equivalent}: |A - B| < margin).
 * The statement is quoted CSV where it holds commas.
 */
public final class RegisteredClaims {

    /** The classpath resource (a copy of experiments/claims.csv). */
    public static final String RESOURCE = "claims.csv";
    public static final String HEADER = "id,statement,metric,n,cell_a,cell_b,margin,direction";

    /** One registered comparison. */
    public record Claim(String id, String statement, Metric metric, int n, CellRef a, CellRef b, double margin,
            Direction direction) {
    }

    private RegisteredClaims() {
    }

    /** The registered claims packaged with this build. */
    public static List<Claim> packaged() {
        try (InputStream in = RegisteredClaims.class.getClassLoader().getResourceAsStream(RESOURCE)) {
            if (in == null) {
                throw new IllegalStateException("no " + RESOURCE + " on the classpath (experiments/claims.csv)");
            }
            return parse(new String(in.readAllBytes(), StandardCharsets.UTF_8), "experiments/claims.csv");
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Claims from a file (option {@code option} names it in errors). */
    public static List<Claim> read(Path file, String option) {
        try {
            return parse(Files.readString(file, StandardCharsets.UTF_8), option + " " + file);
        } catch (IOException e) {
            throw new UserInputException(option + ": cannot read " + file + ": " + e.getMessage(), e);
        }
    }

    /** Parses the CSV text ({@code source} names it in errors). */
    public static List<Claim> parse(String text, String source) {
        List<List<String>> rows = Csv.parse(text);
        if (rows.isEmpty() || !String.join(",", rows.get(0)).equals(HEADER)) {
            throw new IllegalArgumentException(source + ": header must be " + HEADER);
        }
        List<Claim> out = new ArrayList<>();
        Set<String> keys = new LinkedHashSet<>();
        for (int i = 1; i < rows.size(); i++) {
            List<String> f = rows.get(i);
            String where = source + " line " + (i + 1);
            if (f.size() == 1 && f.get(0).isBlank()) {
                continue;
            }
            if (f.size() != 8) {
                throw new IllegalArgumentException(where + ": 8 fields expected, got " + f.size());
            }
            try {
                Claim c = new Claim(f.get(0), f.get(1), Metric.parse(f.get(2), where), Integer.parseInt(f.get(3)),
                        CellRef.parse(f.get(4), where + " cell_a"), CellRef.parse(f.get(5), where + " cell_b"),
                        Double.parseDouble(f.get(6)), Direction.parse(f.get(7)));
                if (!keys.add(c.id() + "/" + c.metric().id())) {
                    throw new IllegalArgumentException(where + ": claim " + c.id() + " " + c.metric().id() + " twice");
                }
                c.direction().requireMargin(c.margin());
                out.add(c);
            } catch (IllegalArgumentException e) {
                throw e.getMessage() != null && e.getMessage().startsWith(where) ? e
                        : new IllegalArgumentException(where + ": " + e.getMessage(), e);
            }
        }
        return out;
    }

    /** Every cell a claim uses. */
    public static Set<CellRef> cells(List<Claim> claims) {
        Set<CellRef> s = new LinkedHashSet<>();
        for (Claim c : claims) {
            s.add(c.a());
            s.add(c.b());
        }
        return s;
    }
}
