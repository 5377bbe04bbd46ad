package org.isentropic.cli;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;
import org.isentropic.base.OutputFiles;
import org.isentropic.base.Progress;
import org.isentropic.base.Table;
import org.isentropic.base.UserInputException;
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

    @Mixin
    LengthSweepOptions sweep;

    @Mixin
    HeadDimOption headDim;

    @Mixin
    MonteCarloOptions monteCarlo = new MonteCarloOptions(2000);

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

    static final List<String> MODELS = List.of("sphere", "gaussian", "anisotropic", "planted");

    @Override
    public Integer call() {
        Condition c = OptionChecks.named("--condition", () -> Condition.parse(condition));
        String modelId = OptionChecks.oneOf("--model", model, MODELS);
        int focus = modelId.equals("planted") ? OptionChecks.atLeast("--focus-count", focusCount, 1) : 0;
        checkOptions(c, modelId, focus);
        LogitModel m = OptionChecks.named("--model " + modelId, () -> buildModel(modelId));
        List<Base> bases = new ArrayList<>();
        boolean cap = c == Condition.FOCUSED_CAP_EXACT || c == Condition.FOCUSED_CAP_APPROX;
        String baseOption;
        if (cap || base == null || (base.scales == null && base.entropies == null)) {
            // the focused-cap conditions do not depend on the base: one run, labelled "none"
            bases.add(Base.scale(defaultScale(m)));
            baseOption = null;
        } else if (base.scales != null) {
            for (double s : OptionChecks.positive("--base-scale", base.scales)) {
                bases.add(Base.scale(s));
            }
            baseOption = "--base-scale";
        } else {
            double lnN = Math.log(sweep.train.value);
            for (double h : base.entropies) {
                if (!(h > 0 && h < lnN)) {
                    throw new UserInputException("--base-entropy: must be in (0, ln N) = (0, " + lnN + ") for"
                            + " --train-length " + sweep.train.value + " (N keys hold at most ln N nats; at ln N the factor is"
                            + " unbounded), got " + OptionChecks.text(h));
                }
                bases.add(Base.entropy(h));
            }
            baseOption = "--base-entropy";
        }
        if (c.monteCarlo()) {
            checkMemory();
        }
        java.nio.file.Path file = output.tableFile(new OutputFiles(), "derive");
        RuleParameters p = RuleParameters.of(sweep.train.value, headDim.value());
        List<TemperatureRule> rules = new ArrayList<>();
        for (String id : ScalesCommand.RULES) {
            rules.add(TemperatureRules.create(id, p));
        }
        List<String> columns = new ArrayList<>(List.of("condition", "model", "base", "length", "factor",
                "standard_error", "lambda", "target_entropy"));
        for (TemperatureRule r : rules) {
            columns.add(r.id());
        }
        columns.add("flags");
        Table table = new Table(4, columns);
        long start = System.nanoTime();
        try (Progress progress = new Progress("derive " + c.id(), (long) bases.size() * sweep.lengths.length)) {
            for (Base b : bases) {
                DerivedFactors f;
                try {
                    f = InvarianceSolver.solve(c, m, sweep.train.value, sweep.lengths, b, monteCarlo.samples, seed.seed, i -> progress.step());
                } catch (IllegalArgumentException e) {
                    String where = baseOption == null ? "--condition " + c.id() : baseOption + " "
                            + OptionChecks.text(b.isScale() ? b.scale() : b.entropy());
                    throw new UserInputException(where + ": " + e.getMessage(), e);
                }
                for (int i = 0; i < sweep.lengths.length; i++) {
                    List<Object> row = new ArrayList<>(List.of(c.id(), m.id(), cap ? "none" : b.toString(), sweep.lengths[i],
                            f.factor()[i], f.standardError()[i], f.lambda()[i], f.targetEntropy()));
                    for (TemperatureRule r : rules) {
                        row.add(r.factor(sweep.lengths[i]));
                    }
                    row.add(flags(f.factor()[i], f.standardError()[i]));
                    table.add(row.toArray());
                }
            }
        }
        output.err().printf(Locale.ROOT, "derive: %s, model %s, d = %d, N = %d, %d lengths, %d base(s), %s samples,"
                + " seed %d: %.2f s%n", c.id(), m, headDim.value(), sweep.train.value, sweep.lengths.length, bases.size(),
                c.monteCarlo() ? String.valueOf(monteCarlo.samples) : "no", seed.seed, (System.nanoTime() - start) / 1e9);
        output.emit(table, file);
        return 0;
    }

    /**
     * The relative standard error above which a derived factor is flagged as imprecise: beyond 10 % the
     * factor does not separate the closed-form rules (InfoScale and log-n differ by 10-40 % at 4N-64N).
     */
    static final double IMPRECISE = 0.1;

    /**
     * Where the derived factor is not a usable number: "se>factor" when its Monte-Carlo standard error
     * exceeds it, "se>10%" when it exceeds {@link #IMPRECISE} of it (attention so sharp at N that its
     * entropy is near 0, or an entropy so close to ln N, that the condition barely constrains lambda),
     * "not-finite" when the solver gave no finite value; empty otherwise.
     */
    static String flags(double factor, double se) {
        if (!Double.isFinite(factor) || !Double.isFinite(se)) {
            return "not-finite";
        }
        if (se > Math.abs(factor)) {
            return "se>factor";
        }
        return se > IMPRECISE * Math.abs(factor) ? "se>10%" : "";
    }

    /** Every option checked against the condition and the model, naming the option. */
    private void checkOptions(Condition c, String modelId, int focus) {
        boolean cosine = modelId.equals("sphere") || modelId.equals("planted");
        OptionChecks.atLeast("--head-dim", headDim.value(), cosine ? 2 : 1);
        if (sweep.train.value < Math.max(2, focus)) {
            throw new UserInputException("--train-length: must be >= 2" + (focus > 1 ? " and >= --focus-count ("
                    + focus + ") with --model planted" : "") + ", got " + sweep.train.value);
        }
        boolean cap = c == Condition.FOCUSED_CAP_EXACT || c == Condition.FOCUSED_CAP_APPROX;
        boolean plantedCondition = c == Condition.PLANTED_FOCUS || c == Condition.PLANTED_FOCUS_MEAN_FIELD;
        if (plantedCondition && !modelId.equals("planted")) {
            throw new UserInputException("--model: --condition " + c.id() + " needs --model planted (focus keys),"
                    + " got " + modelId);
        }
        if (plantedCondition && base != null && base.entropies != null) {
            throw new UserInputException("--base-entropy: --condition " + c.id() + " holds the focus mass, not the"
                    + " entropy; give --base-scale");
        }
        if (cap && modelId.equals("anisotropic")) {
            throw new UserInputException("--model: --condition " + c.id() + " assumes uniform key directions,"
                    + " which --model anisotropic does not have");
        }
        int minLength = Math.max(cap ? 2 : 1, focus);
        for (int n : sweep.lengths) {
            if (n < minLength) {
                throw new UserInputException("--lengths: each must be >= " + minLength + (focus > 1
                        ? " (--focus-count " + focus + ")" : cap ? " for --condition " + c.id() : "") + ", got " + n);
            }
        }
        if (c.monteCarlo()) {
            monteCarlo.checked();
        }
        if (modelId.equals("planted")) {
            OptionChecks.inInterval("--focus-cosine", focusCosine, "[-1, 1]");
        }
        if (qNorm != null) {
            OptionChecks.positive("--q-norm", qNorm);
        }
        if (kNorm != null) {
            OptionChecks.positive("--k-norm", kNorm);
        }
        if (modelId.equals("anisotropic")) {
            OptionChecks.inInterval("--decay", decay, "(0, 1]");
        }
        if (!cosine) {
            // the Gaussian models keep a d x d Cholesky factor
            MemoryLimit.requireArray("--head-dim " + headDim.value() + " with --model " + modelId,
                    MemoryLimit.times(headDim.value(), headDim.value()), "lower --head-dim");
            MemoryLimit.require("--head-dim " + headDim.value() + " with --model " + modelId, 8L * headDim.value() * headDim.value());
        } else {
            MemoryLimit.require("--focus-count " + focus, 16L * focus);
        }
    }

    /**
     * The Monte-Carlo conditions keep samples x n logits (double) per length and solve up to one length
     * per processor at a time, besides the rows at N.
     */
    private void checkMemory() {
        long[] bytes = new long[sweep.lengths.length];
        for (int i = 0; i < sweep.lengths.length; i++) {
            MemoryLimit.requireArray("--lengths " + sweep.lengths[i] + " with --samples " + monteCarlo.samples,
                    MemoryLimit.times(monteCarlo.samples, sweep.lengths[i]), "lower --samples or the length");
            bytes[i] = 8 * ((long) monteCarlo.samples * sweep.lengths[i] + sweep.lengths[i] + monteCarlo.samples);
        }
        java.util.Arrays.sort(bytes);
        long total = 8 * ((long) monteCarlo.samples * sweep.train.value + sweep.train.value + monteCarlo.samples);
        for (int i = 0; i < Math.min(bytes.length, Runtime.getRuntime().availableProcessors()); i++) {
            total += bytes[bytes.length - 1 - i];
        }
        MemoryLimit.require("derive --condition " + condition + " with --samples " + monteCarlo.samples + " at --lengths up to "
                + java.util.Arrays.stream(sweep.lengths).max().orElse(0), total);
    }

    /** Without a base: CosScale's s = 32 per unit cosine, or lambda = 1 on q.k/sqrt(d). */
    private double defaultScale(LogitModel m) {
        return m.kind() == org.isentropic.base.LogitKind.COSINE ? 32.0 : 1.0;
    }

    private LogitModel buildModel(String modelId) {
        int d = headDim.value();
        switch (modelId) {
            case "sphere":
                return LogitModels.sphere(d, 1.0);
            case "gaussian":
                return LogitModels.gaussian(d, qNorm == null ? Math.sqrt(d) : qNorm, kNorm == null ? Math.sqrt(d) : kNorm);
            case "anisotropic": {
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
                throw new AssertionError(modelId);
        }
    }
}
