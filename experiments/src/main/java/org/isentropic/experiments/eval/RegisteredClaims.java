package org.isentropic.experiments.eval;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import org.isentropic.base.UserInputException;
import org.isentropic.experiments.stats.Direction;

/**
 * The pre-registered comparisons of {@code experiments/claims.csv} (committed before the full evaluation; packaged as
 * the classpath resource {@value #RESOURCE}). Columns {@code id,statement,metric,n,cell_a,cell_b,margin,direction};
 * the direction and margin as {@link Direction} defines them ({@code greater}: A - B > margin; {@code less}:
 * A - B < -margin; {@code equivalent}: |A - B| < margin). The statement is quoted CSV where it holds commas.
 *
 * <p>Two families share the file, told apart by the metric ({@link Kind}):
 * <ul>
 *   <li>the evaluation's ({@link Kind#EVALUATION}): metric {@code accuracy} (percentage points) or {@code loss}
 *       (nats per target); the estimate is A - B at length n;</li>
 *   <li>the retrieval probe's ({@link Kind#RETRIEVAL}, issue 24; {@link RetrievalAnalysis}): metric
 *       {@code copy-accuracy} (percentage points <em>above the floor</em>: the copy run's accuracy minus the control
 *       run's on the same characters) or {@code copy-loss} (nats: the copy run's loss minus the control run's;
 *       negative when the source helps). Column {@code n} holds the distance D between the copies, not a length:
 *       D &lt;= {@value RetrievalProbe#MAX_SHORT} is read from the copies planted alone in a window of N, larger D from
 *       the full window of {@value RetrievalProbe#WINDOW} characters ({@link RetrievalProbe#windowFor}). The estimate
 *       is A's above-floor value minus B's; {@code cell_b} may be the literal {@value #FLOOR_TOKEN}, and the estimate
 *       is then A's own above-floor value (compared with 0).</li>
 * </ul>
 * The two are separate Holm families. {@link #packaged()} is the evaluation's family only, so that the evaluation's
 * plan ({@link Plan#forFamily}, {@link Plan#quick}) and its analysis never see the probe's rows; {@link #retrieval()}
 * is the probe's.
 */
public final class RegisteredClaims {

    /** The classpath resource (a copy of experiments/claims.csv). */
    public static final String RESOURCE = "claims.csv";
    public static final String HEADER = "id,statement,metric,n,cell_a,cell_b,margin,direction";
    /** The {@code cell_b} of a retrieval claim about A's own above-floor value. */
    public static final String FLOOR_TOKEN = "floor";
    /** The cell that stands for the floor ({@value #FLOOR_TOKEN}): its above-floor value is 0 by definition. */
    public static final CellRef FLOOR = new CellRef(FLOOR_TOKEN, FLOOR_TOKEN, FLOOR_TOKEN);

    /** Which experiment decides a claim, from its metric's token. */
    public enum Kind {
        /** The length-extrapolation evaluation (metrics {@code accuracy}, {@code loss}; n a length). */
        EVALUATION(""),
        /** The retrieval probe (metrics {@code copy-accuracy}, {@code copy-loss}; n the distance D). */
        RETRIEVAL("copy-");

        private final String prefix;

        Kind(String prefix) {
            this.prefix = prefix;
        }

        /** The metric's token in claims.csv and the results' {@code metric} column. */
        public String metricId(Metric m) {
            return prefix + m.id();
        }
    }

    /** A metric token of claims.csv: its family and metric. */
    private record MetricToken(Kind kind, Metric metric) {

        /** Parses {@code token}; {@code where} names the source in the error. */
        static MetricToken parse(String token, String where) {
            for (Kind k : Kind.values()) {
                for (Metric m : Metric.values()) {
                    if (k.metricId(m).equals(token)) {
                        return new MetricToken(k, m);
                    }
                }
            }
            throw new IllegalArgumentException(where + ": metric must be accuracy, loss, copy-accuracy or copy-loss,"
                    + " got '" + token + "'");
        }
    }

    /**
     * One registered comparison.
     *
     * @param n the length (evaluation) or the distance D (retrieval)
     * @param b the second cell, or {@link #FLOOR} (retrieval only)
     */
    public record Claim(String id, String statement, Metric metric, int n, CellRef a, CellRef b, double margin,
            Direction direction, Kind kind) {

        /** An evaluation claim. */
        public Claim(String id, String statement, Metric metric, int n, CellRef a, CellRef b, double margin,
                Direction direction) {
            this(id, statement, metric, n, a, b, margin, direction, Kind.EVALUATION);
        }

        /** {@code accuracy}, {@code loss}, {@code copy-accuracy} or {@code copy-loss}. */
        public String metricId() {
            return kind.metricId(metric);
        }

        /** True when B is the floor (A's own above-floor value against 0). */
        public boolean againstFloor() {
            return FLOOR.equals(b);
        }

        /** Where it is measured: "n = 4096", or "D = 32 (window of 64)". */
        public String where() {
            return kind == Kind.EVALUATION ? "n = " + n
                    : "D = " + n + " (window of " + RetrievalProbe.windowFor(n) + ")";
        }

        /** The comparison as the verdict's sentence names it, A before B. */
        public String comparison() {
            if (kind == Kind.EVALUATION) {
                return a + " - " + b + " at n = " + n;
            }
            return (againstFloor() ? a + " above its floor" : a + " - " + b + ", each above its floor,") + " at "
                    + where();
        }

        /** The cells the claim needs, as the "not run" sentence names them. */
        public String cellsNamed() {
            return againstFloor() ? "cell " + a + " at " + where() + " is" : "cells " + a + " and " + b + " at "
                    + where() + " are";
        }
    }

    private RegisteredClaims() {
    }

    /** The evaluation's registered claims packaged with this build (the retrieval probe's left out). */
    public static List<Claim> packaged() {
        return of(packagedAll(), Kind.EVALUATION);
    }

    /** The retrieval probe's registered claims packaged with this build. */
    public static List<Claim> retrieval() {
        return of(packagedAll(), Kind.RETRIEVAL);
    }

    /** Every row of the packaged claims.csv, both families, in file order. */
    public static List<Claim> packagedAll() {
        try (InputStream in = RegisteredClaims.class.getClassLoader().getResourceAsStream(RESOURCE)) {
            if (in == null) {
                throw new IllegalStateException("no " + RESOURCE + " on the classpath (experiments/claims.csv)");
            }
            return parse(new String(in.readAllBytes(), StandardCharsets.UTF_8), "experiments/claims.csv");
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** The claims of one kind, in their order. */
    private static List<Claim> of(List<Claim> claims, Kind kind) {
        return claims.stream().filter(c -> c.kind() == kind).toList();
    }

    /** Claims from a file, both families (option {@code option} names it in errors). */
    public static List<Claim> read(Path file, String option) {
        try {
            return parse(Files.readString(file, StandardCharsets.UTF_8), option + " " + file);
        } catch (IOException e) {
            throw new UserInputException(option + ": cannot read " + file + ": " + e.getMessage(), e);
        }
    }

    /** Parses the CSV text, both families ({@code source} names it in errors). */
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
                MetricToken token = MetricToken.parse(f.get(2), where);
                Kind kind = token.kind();
                boolean floor = kind == Kind.RETRIEVAL && f.get(5).trim().equals(FLOOR_TOKEN);
                Claim c = new Claim(f.get(0), f.get(1), token.metric(), Integer.parseInt(f.get(3)),
                        CellRef.parse(f.get(4), where + " cell_a"), floor ? FLOOR : CellRef.parse(f.get(5), where
                                + " cell_b"), Double.parseDouble(f.get(6)), Direction.parse(f.get(7)), kind);
                if (!keys.add(c.id() + "/" + c.metricId())) {
                    throw new IllegalArgumentException(where + ": claim " + c.id() + " " + c.metricId() + " twice");
                }
                if (kind == Kind.RETRIEVAL && Arrays.stream(RetrievalProbe.DISTANCES).noneMatch(d -> d == c.n())) {
                    throw new IllegalArgumentException(where + ": a copy metric's n is a distance of the probe, one of "
                            + Arrays.toString(RetrievalProbe.DISTANCES) + ", got " + c.n());
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

    /** Every cell a claim uses (not the floor, which is no cell). */
    public static Set<CellRef> cells(List<Claim> claims) {
        Set<CellRef> s = new LinkedHashSet<>();
        for (Claim c : claims) {
            s.add(c.a());
            if (!c.againstFloor()) {
                s.add(c.b());
            }
        }
        return s;
    }
}
