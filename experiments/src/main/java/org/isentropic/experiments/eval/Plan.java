package org.isentropic.experiments.eval;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.function.Predicate;
import org.isentropic.kernels.spec.NMode;

/**
 * What the evaluation runs: a list of entries, each "these checkpoints x these methods x these temperatures
 * at these lengths, under this protocol". Every length-dependent temperature is run with n-mode
 * {@code sequence} and, under a masking method, also {@code visible} (docs/method.md, the experiment). Entries may
 * overlap; {@link #rows} merges them (a row's lengths are the union). Change the experiment by editing the
 * entries of {@link #forFamily}.
 *
 * @param streams test streams (clusters of the bootstrap)
 * @param calibrationStreams held-out streams for the oracle (disjoint from the test streams)
 * @param maxLength the longest length (stream length)
 */
public record Plan(String name, List<Entry> entries, int streams, int calibrationStreams, int maxLength) {

    /**
     * @param which the checkpoints
     * @param description for the plan's printout
     */
    public record Entry(String description, Predicate<Family.Checkpoint> which, Protocol protocol,
            List<Method> methods, List<Temperature> temperatures, List<Integer> lengths, boolean sequenceOnly) {
        public Entry {
            methods = List.copyOf(methods);
            temperatures = List.copyOf(temperatures);
            lengths = List.copyOf(lengths);
        }

        /** An entry whose masking methods also run every length-dependent temperature with n = visible keys. */
        public Entry(String description, Predicate<Family.Checkpoint> which, Protocol protocol, List<Method> methods,
                List<Temperature> temperatures, List<Integer> lengths) {
            this(description, which, protocol, methods, temperatures, lengths, false);
        }
    }

    /** One row of the tables: a checkpoint under a method, temperature and n-mode. */
    public record Row(Family.Checkpoint checkpoint, Protocol protocol, Method method, Temperature temperature,
            NMode nMode) {

        /** "InfoScale" or "InfoScale [visible]". */
        public String temperatureLabel() {
            return temperature.label() + (nMode == NMode.VISIBLE ? " [n = visible keys]" : "");
        }

        /** "infoscale" or "infoscale@visible". */
        public String temperatureId() {
            return temperature.id() + (nMode == NMode.VISIBLE ? "@visible" : "");
        }
    }

    public Plan {
        entries = List.copyOf(entries);
    }

    public static final List<Integer> ALL_LENGTHS = List.of(64, 128, 256, 512, 1024, 2048, 4096);
    /** Test streams of the v3 plan (each with 128 targets). */
    public static final int CLAIM_STREAMS = 64;
    /** Calibration streams of the v3 plan (the oracle's factors and the entropy at N). */
    public static final int CLAIM_CALIBRATION_STREAMS = 8;
    /** The claims the quick v3 plan decides (on the lowest seed, 6 streams, n = 64, 256, 1024; CI). */
    public static final List<String> QUICK_CLAIMS = List.of("c1", "c2a", "c2b", "c4a");

    /** The rows of the plan on a family, each with its sorted lengths, in entry order. */
    public Map<Row, List<Integer>> rows(Family family) {
        Map<Row, TreeSet<Integer>> m = new LinkedHashMap<>();
        for (Entry e : entries) {
            for (Family.Checkpoint c : family.checkpoints()) {
                if (!e.which().test(c)) {
                    continue;
                }
                for (Method method : e.methods()) {
                    for (Temperature t : e.temperatures()) {
                        if (t == Temperature.ISENTROPIC && c.role().equals(Family.ATTENTION_E)) {
                            continue; // its trained length factor is part of the model; a per-row lambda replaces it
                        }
                        List<NMode> modes = method.masking() && t.lengthDependent() && !e.sequenceOnly()
                                ? List.of(NMode.SEQUENCE, NMode.VISIBLE) : List.of(NMode.SEQUENCE);
                        for (NMode mode : modes) {
                            m.computeIfAbsent(new Row(c, e.protocol(), method, t, mode), k -> new TreeSet<>())
                                    .addAll(e.lengths());
                        }
                    }
                }
            }
        }
        Map<Row, List<Integer>> out = new LinkedHashMap<>();
        m.forEach((r, l) -> out.put(r, List.copyOf(l)));
        return out;
    }

    /**
     * The default (full) plan of a family, sized for about 45-60 minutes on 2 cores (the cost is dominated by
     * rows x streams at the largest length; {@code isentropic experiment eval --plan} prints the estimate).
     */
    public static Plan forFamily(Family family) {
        if (family.longDocuments()) {
            return forClaims(RegisteredClaims.cells(RegisteredClaims.packaged()), CLAIM_STREAMS, CLAIM_CALIBRATION_STREAMS,
                    ALL_LENGTHS, c -> true, "full");
        }
        List<Temperature> all = List.of(Temperature.values());
        List<Temperature> closed = List.of(Temperature.STANDARD, Temperature.LOGN, Temperature.INFOSCALE);
        List<Method> main = List.of(Method.ROPE, Method.REROPE_HALF, Method.WINDOW);
        // every temperature, ISENTROPIC included, on the main methods; the others get the closed forms
        List<Method> others = new ArrayList<>(List.of(Method.values()));
        others.removeAll(main);
        List<Entry> e = new ArrayList<>();
        if (family.id().equals("v1")) {
            e.add(new Entry("main methods x every temperature, every length", c -> true, Protocol.STREAMS, main, all,
                    ALL_LENGTHS));
            e.add(new Entry("other methods and the reference variants x standard, log-n, InfoScale", c -> true,
                    Protocol.STREAMS, others, closed, List.of(64, 1024, 4096)));
            e.add(new Entry("repeated (tiled) protocol, RoPE", c -> true, Protocol.REPEATED, List.of(Method.ROPE),
                    closed, ALL_LENGTHS));
            return new Plan("full", e, 24, 2, 4096);
        }
        // d128 (docs/method.md, the experiment), sized for the 60-minute budget: every method x the paper's temperatures on seed
        // 1 of the control and of s = 128 (every temperature on the main methods); RoPE, ReRoPE and windowed x
        // the temperatures on every control and cosine checkpoint; the other checkpoints at the lengths their
        // comparison needs (Su's Attention-E: 64 ... 1024 as Su reports; N = 256: from 256 on).
        List<Integer> few = List.of(64, 256, 1024, 4096);
        List<Temperature> paper = List.of(Temperature.STANDARD, Temperature.LOGN, Temperature.INFOSCALE);
        List<Temperature> rows = List.of(Temperature.STANDARD, Temperature.LOGN, Temperature.INFOSCALE,
                Temperature.ORACLE, Temperature.ISENTROPIC);
        Predicate<Family.Checkpoint> oneSeed = c -> c.seed() == 1
                && (c.role().equals(Family.CONTROL) || c.arm().equals("cos128"));
        Predicate<Family.Checkpoint> tuned = c -> c.role().equals(Family.CONTROL) || c.role().equals(Family.COSSCALE);
        e.add(new Entry("control and cos128, seed 1: RoPE, ReRoPE and windowed x every temperature", oneSeed,
                Protocol.STREAMS, main, all, few));
        e.add(new Entry("control and cos128, seed 1: the other methods and the reference variants x standard, log-n,"
                + " InfoScale", oneSeed, Protocol.STREAMS, others, paper, List.of(64, 4096)));
        e.add(new Entry("control and cos128, seed 1: RoPE at every length", oneSeed, Protocol.STREAMS,
                List.of(Method.ROPE), paper, ALL_LENGTHS));
        e.add(new Entry("every control and cosine checkpoint: RoPE x standard, log-n, InfoScale, oracle, isentropic",
                tuned, Protocol.STREAMS, List.of(Method.ROPE), rows, few));
        e.add(new Entry("every control and cosine checkpoint: ReRoPE w=N/2 and windowed x standard, InfoScale",
                tuned, Protocol.STREAMS, List.of(Method.REROPE_HALF, Method.WINDOW),
                List.of(Temperature.STANDARD, Temperature.INFOSCALE), few));
        e.add(new Entry("softmax (no fine-tune), seed 1, and Attention-E: RoPE x standard, InfoScale at Su's lengths",
                c -> c.role().equals(Family.ATTENTION_E) || c.role().equals(Family.SOFTMAX) && c.seed() == 1,
                Protocol.STREAMS, List.of(Method.ROPE), List.of(Temperature.STANDARD, Temperature.INFOSCALE),
                List.of(64, 128, 256, 512, 1024, 4096)));
        e.add(new Entry("trained at N = 256: RoPE x standard", c -> c.role().equals(Family.N256), Protocol.STREAMS,
                List.of(Method.ROPE), List.of(Temperature.STANDARD), List.of(256, 1024, 4096)));
        return new Plan("full", e, 16, 2, 4096);
    }

    /**
     * The plan of a family with registered claims (v3): every cell a claim uses ({@link CellRef}), on every seed of
     * its checkpoint, at every length 64 ... {@code maxLength}, and nothing else; n-mode visible only where a claim
     * names it ({@code temperature@visible}).
     */
    public static Plan forClaims(Set<CellRef> cells, int streams, int calibrationStreams, List<Integer> lengths,
            Predicate<Family.Checkpoint> seeds, String name) {
        List<Entry> e = new ArrayList<>();
        for (CellRef c : cells) {
            String[] t = c.temperature().split("@", 2);
            boolean visible = t.length == 2;
            if (visible && !t[1].equals("visible")) {
                throw new IllegalArgumentException("claims: unknown n-mode in " + c);
            }
            Method m = Method.parse(c.method());
            Temperature temp = Temperature.parse(t[0]);
            if (visible && !(m.masking() && temp.lengthDependent())) {
                throw new IllegalArgumentException("claims: " + c + " has no visible mode (a masking method and a"
                        + " length-dependent temperature are needed)");
            }
            e.add(new Entry(c.toString(), k -> Family.withoutSeed(k.name()).equals(c.checkpoint()) && seeds.test(k),
                    Protocol.STREAMS, List.of(m), List.of(temp), lengths, !visible));
        }
        return new Plan(name, e, streams, calibrationStreams, lengths.get(lengths.size() - 1));
    }

    /** The quick plan (CI, under 2 minutes): one softmax-like and one cosscale checkpoint, 3 lengths. */
    public static Plan quick(Family family) {
        if (family.longDocuments()) {
            List<RegisteredClaims.Claim> claims = RegisteredClaims.packaged().stream()
                    .filter(c -> QUICK_CLAIMS.contains(c.id())).toList();
            int first = family.checkpoints().stream().mapToInt(Family.Checkpoint::seed).min().orElse(1);
            return forClaims(RegisteredClaims.cells(claims), 6, 2, List.of(64, 256, 1024), c -> c.seed() == first,
                    "quick");
        }
        Family.Checkpoint soft = family.checkpoints().stream()
                .filter(c -> c.role().equals(Family.CONTROL) || c.role().equals(Family.SOFTMAX)).findFirst()
                .orElse(family.checkpoints().get(0));
        Family.Checkpoint cos = family.checkpoints().stream().filter(c -> c.role().equals(Family.COSSCALE))
                .findFirst().orElse(soft);
        Predicate<Family.Checkpoint> two = c -> c.equals(soft) || c.equals(cos);
        List<Entry> e = List.of(new Entry("quick: RoPE x every temperature", two, Protocol.STREAMS,
                List.of(Method.ROPE), List.of(Temperature.values()), List.of(64, 256, 1024)),
                new Entry("quick: windowed x standard and log-n", two, Protocol.STREAMS, List.of(Method.WINDOW),
                        List.of(Temperature.STANDARD, Temperature.LOGN), List.of(64, 1024)));
        return new Plan("quick", e, 6, 2, 1024);
    }
}
