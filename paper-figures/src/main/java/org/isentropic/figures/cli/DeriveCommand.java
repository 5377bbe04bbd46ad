package org.isentropic.figures.cli;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;
import org.isentropic.theory.models.LogitModel;
import org.isentropic.theory.models.LogitModels;
import org.isentropic.theory.rules.RuleParameters;
import org.isentropic.theory.rules.TemperatureRule;
import org.isentropic.theory.rules.TemperatureRules;
import org.isentropic.theory.solvers.Base;
import org.isentropic.theory.solvers.Condition;
import org.isentropic.theory.solvers.DerivedFactors;
import org.isentropic.theory.solvers.InvarianceSolver;
import picocli.CommandLine;
import picocli.CommandLine.ArgGroup;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * {@code isentropic derive}: solves an entropy-invariance condition for the temperature factor
 * {@code lambda_n / lambda_N} at each length, for one or several base scales (or base entropies), and prints
 * it with its standard error beside every closed-form rule. The models' logits are at temperature 1 per
 * unit cosine (sphere, planted) or per unit of {@code q.k/sqrt(d)} (gaussian, anisotropic); the base scale
 * lambda_N multiplies them.
 */
@Command(name = "derive", mixinStandardHelpOptions = true,
        description = {"Derive the temperature factor that keeps an entropy-invariance condition at each length"
                + " (Monte Carlo with standard errors, mean field, Laplace, focused cap, planted focus) and print"
                + " it beside every closed-form rule.",
            "Progress goes to stderr."})
public final class DeriveCommand implements Callable<Integer> {

    @Option(names = "--condition", paramLabel = "C", defaultValue = "exact",
            description = "exact, mean-field, laplace, focused-cap-exact, focused-cap-approx, planted-focus,"
                    + " planted-focus-mean-field (default: ${DEFAULT-VALUE}).")
    String condition;

    @Option(names = "--model", paramLabel = "M", defaultValue = "sphere",
            description = "sphere (keys uniform on the sphere, cosine logits), gaussian (q.k/sqrt(d)),"
                    + " anisotropic (Gaussian keys with a decaying diagonal covariance), planted (sphere plus"
                    + " focus keys) (default: ${DEFAULT-VALUE}).")
    String model;

    static final class BaseChoice {
        @Option(names = "--base-scale", paramLabel = "S", split = ",",
                description = "lambda_N, the temperature at the training length (for the sphere: CosScale's s).")
        double[] scales;

        @Option(names = "--base-entropy", paramLabel = "H", split = ",",
                description = "The entropy (nats) to hold instead; lambda_N is solved for.")
        double[] entropies;
    }

    @ArgGroup(exclusive = true, multiplicity = "0..1")
    BaseChoice base;

    @Option(names = "--train-length", paramLabel = "N", defaultValue = "64",
            description = "Training length N (default: ${DEFAULT-VALUE}).")
    int trainLength;

    @Option(names = "--head-dim", paramLabel = "D", defaultValue = "128",
            description = "Dimension d of queries and keys (default: ${DEFAULT-VALUE}).")
    int headDim;

    @Option(names = "--lengths", paramLabel = "N1,N2,...", split = ",", converter = PositiveIntConverter.class,
            defaultValue = "64,128,256,512,1024,2048,4096",
            description = "Lengths n, comma-separated (default: ${DEFAULT-VALUE}).")
    int[] lengths;

    @Option(names = "--samples", paramLabel = "S", defaultValue = "2000",
            description = "Monte-Carlo rows per length (default: ${DEFAULT-VALUE}).")
    int samples;

    @Option(names = "--focus-count", paramLabel = "K", defaultValue = "1",
            description = "planted: number of focus keys (default: ${DEFAULT-VALUE}).")
    int focusCount;

    @Option(names = "--focus-cosine", paramLabel = "C", defaultValue = "0.5",
            description = "planted: cosine of the focus keys with the query (default: ${DEFAULT-VALUE}).")
    double focusCosine;

    @Option(names = "--q-norm", paramLabel = "X", description = "gaussian: sqrt(E|q|^2) (default: sqrt(d)).")
    Double qNorm;

    @Option(names = "--k-norm", paramLabel = "X", description = "gaussian: sqrt(E|k|^2) (default: sqrt(d)).")
    Double kNorm;

    @Option(names = "--decay", paramLabel = "R", defaultValue = "0.97",
            description = "anisotropic: key variances proportional to R^c, c = 0..d-1, scaled to trace d"
                    + " (default: ${DEFAULT-VALUE}).")
    double decay;

    @Mixin
    OutputOptions output;

    @Mixin
    SeedOption seed;

    @Spec
    CommandLine.Model.CommandSpec spec;

    @Override
    public Integer call() {
        Condition c = Condition.parse(condition);
        LogitModel m = buildModel();
        List<Base> bases = new ArrayList<>();
        boolean cap = c == Condition.FOCUSED_CAP_EXACT || c == Condition.FOCUSED_CAP_APPROX;
        if (cap || base == null || (base.scales == null && base.entropies == null)) {
            // the focused-cap conditions do not depend on the base: one run, labelled "none"
            bases.add(Base.scale(defaultScale(m)));
        } else if (base.scales != null) {
            for (double s : base.scales) {
                bases.add(Base.scale(s));
            }
        } else {
            for (double h : base.entropies) {
                bases.add(Base.entropy(h));
            }
        }
        RuleParameters p = RuleParameters.of(trainLength, headDim);
        List<TemperatureRule> rules = new ArrayList<>();
        for (String id : TemperatureRules.ids()) {
            if (!id.equals("derived")) {
                rules.add(TemperatureRules.create(id, p));
            }
        }
        List<String> columns = new ArrayList<>(List.of("condition", "model", "base", "length", "factor",
                "standard_error", "lambda", "target_entropy"));
        for (TemperatureRule r : rules) {
            columns.add(r.id());
        }
        Table table = new Table(4, columns);
        long start = System.nanoTime();
        try (Progress progress = new Progress("derive " + c.id(), (long) bases.size() * lengths.length)) {
            for (Base b : bases) {
                DerivedFactors f = InvarianceSolver.solve(c, m, trainLength, lengths, b, samples, seed.seed,
                        i -> progress.step());
                for (int i = 0; i < lengths.length; i++) {
                    List<Object> row = new ArrayList<>(List.of(c.id(), m.id(), cap ? "none" : b.toString(), lengths[i],
                            f.factor()[i], f.standardError()[i], f.lambda()[i], f.targetEntropy()));
                    for (TemperatureRule r : rules) {
                        row.add(r.factor(lengths[i]));
                    }
                    table.add(row.toArray());
                }
            }
        }
        System.err.printf(Locale.ROOT, "derive: %s, model %s, d = %d, N = %d, %d lengths, %d base(s), %s samples,"
                + " seed %d: %.2f s%n", c.id(), m, headDim, trainLength, lengths.length, bases.size(),
                c.monteCarlo() ? String.valueOf(samples) : "no", seed.seed, (System.nanoTime() - start) / 1e9);
        String rendered = table.render(output.format);
        spec.commandLine().getOut().print(rendered);
        spec.commandLine().getOut().flush();
        writeCopy(rendered, "derive");
        return 0;
    }

    /** Without a base: CosScale's s = 32 per unit cosine, or lambda = 1 on q.k/sqrt(d). */
    private double defaultScale(LogitModel m) {
        return m.kind() == org.isentropic.theory.models.LogitKind.COSINE ? 32.0 : 1.0;
    }

    private LogitModel buildModel() {
        int d = headDim;
        switch (model.toLowerCase(Locale.ROOT)) {
            case "sphere":
                return LogitModels.sphere(d, 1.0);
            case "gaussian":
                return LogitModels.gaussian(d, qNorm == null ? Math.sqrt(d) : qNorm, kNorm == null ? Math.sqrt(d) : kNorm);
            case "anisotropic": {
                if (!(decay > 0 && decay <= 1)) {
                    throw new IllegalArgumentException("--decay must be in (0, 1], got " + decay);
                }
                double[] diag = new double[d];
                double sum = 0;
                for (int i = 0; i < d; i++) {
                    diag[i] = Math.pow(decay, i);
                    sum += diag[i];
                }
                for (int i = 0; i < d; i++) {
                    diag[i] *= d / sum;
                }
                return LogitModels.anisotropic(d, diag);
            }
            case "planted":
                return LogitModels.plantedFocus(d, 1.0, focusCount, focusCosine);
            default:
                throw new IllegalArgumentException("--model must be sphere, gaussian, anisotropic or planted, got "
                        + model);
        }
    }

    /** With {@code --out DIR}: the same table also goes to DIR/NAME.EXT. */
    private void writeCopy(String rendered, String name) {
        if (output.out == null) {
            return;
        }
        try {
            java.nio.file.Files.createDirectories(output.out);
            java.nio.file.Path file = output.out.resolve(name + "." + output.format.name());
            java.nio.file.Files.writeString(file, rendered, java.nio.charset.StandardCharsets.UTF_8);
            System.err.println("wrote " + file);
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException("cannot write to " + output.out, e);
        }
    }
}
