package org.isentropic.cli;

import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;
import org.isentropic.base.OutputFiles;
import org.isentropic.base.Progress;
import org.isentropic.base.Seeds;
import org.isentropic.base.Table;
import org.isentropic.base.UserInputException;
import org.isentropic.theory.cosscale.CosScaleAnalysis;
import org.isentropic.theory.cosscale.LocalContentModel;
import org.isentropic.theory.entropy.Estimate;
import org.isentropic.theory.entropy.ExpectedEntropy;
import org.isentropic.theory.entropy.LogitSample;
import org.isentropic.theory.models.LogitModels;
import org.isentropic.theory.solvers.InvarianceSolver;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/**
 * {@code isentropic cosscale}: the CosScale analysis of the theory module as tables over the scale s:
 * entropy (Monte Carlo, mean field, Laplace), concentration (mass outside the near-maximal keys vs the
 * bound), window (RoPE + neighbour-correlated content: effective window and TV distance to windowed
 * attention), target (the s that reaches a target entropy) and maxcos (the expected largest cosine among
 * n keys, quadrature and Monte Carlo, beside the focused-cap cosines).
 */
@Command(name = "cosscale", mixinStandardHelpOptions = true,
        description = {"CosScale analysis over the scale s: --table entropy (Monte Carlo, mean field, Laplace),"
                + " concentration (mass outside near-maximal keys vs (n-1)e^(-s delta)), window (RoPE and"
                + " neighbour-correlated content: effective window, TV distance to windowed attention),"
                + " target (s for a target entropy), maxcos (expected largest cosine among n keys beside the"
                + " focused-cap cosines).",
            "Progress goes to stderr."})
public final class CosscaleCommand implements Callable<Integer> {

    @Option(names = "--table", paramLabel = "T", defaultValue = "entropy",
            description = "entropy, concentration, window, target or maxcos (default: ${DEFAULT-VALUE}).")
    String table;

    @Option(names = "--scales", paramLabel = "S", split = ",",
            defaultValue = "1,4,8,16,32,64,128,256,512,1024", description = "Scales s (default: ${DEFAULT-VALUE}).")
    double[] scales;

    @Option(names = "--lengths", paramLabel = "N1,N2,...", split = ",", converter = PositiveIntConverter.class,
            defaultValue = "64,512,4096",
            description = "Lengths n, comma-separated (default: ${DEFAULT-VALUE}).")
    int[] lengths;

    @Mixin
    HeadDimOption headDim;

    @Mixin
    MonteCarloOptions monteCarlo = new MonteCarloOptions(200);

    @Option(names = "--delta", paramLabel = "X", defaultValue = "0.05",
            description = "concentration: the cosine margin delta (default: ${DEFAULT-VALUE}).")
    double delta;

    @Option(names = "--neighbour-correlation", paramLabel = "RHO", defaultValue = "0.99",
            description = "window: correlation of the content of neighbouring positions (default: ${DEFAULT-VALUE}).")
    double rho;

    @Option(names = "--query-key-correlation", paramLabel = "R", defaultValue = "0.9",
            description = "window: correlation of a query's content with its own key's (default: ${DEFAULT-VALUE}).")
    double queryKey;

    @Mixin
    RopeBaseOption ropeBase;

    @Option(names = "--eps", paramLabel = "E", defaultValue = "0.05",
            description = "window: the effective window holds 1 - eps of the mass (default: ${DEFAULT-VALUE}).")
    double eps;

    @Option(names = "--half-width", paramLabel = "H", defaultValue = "32",
            description = "window: half-width of the windowed attention compared with, |i - j| <= H, as attend's"
                    + " --half-width (default: ${DEFAULT-VALUE}).")
    int halfWidth;

    @Option(names = "--target-entropy", paramLabel = "H", split = ",", defaultValue = "0.5,1,2,3",
            description = "target: entropies in nats (default: ${DEFAULT-VALUE}).")
    double[] targets;

    @Mixin
    OutputOptions output;

    @Mixin
    SeedOption seed;

    static final List<String> TABLES = List.of("entropy", "concentration", "window", "target", "maxcos");

    @Override
    public Integer call() {
        String which = OptionChecks.oneOf("--table", table, TABLES);
        checkOptions(which);
        java.nio.file.Path file = output.tableFile(new OutputFiles(), "cosscale-" + which);
        Table t;
        long start = System.nanoTime();
        switch (which) {
            case "entropy": t = entropy(); break;
            case "concentration": t = concentration(); break;
            case "window": t = window(); break;
            case "target": t = target(); break;
            case "maxcos": t = maxCosine(); break;
            default: throw new AssertionError(which);
        }
        output.err().printf(Locale.ROOT, "cosscale %s: d = %d, %d samples, seed %d: %.2f s%n", which, headDim.value(), monteCarlo.samples,
                seed.seed, (System.nanoTime() - start) / 1e9);
        output.emit(t, file);
        return 0;
    }

    /** Every option the table uses, named as typed, and the memory of its largest arrays. */
    private void checkOptions(String which) {
        OptionChecks.positive("--scales", scales);
        monteCarlo.checked();
        int maxN = java.util.Arrays.stream(lengths).max().orElse(1);
        long rows = 0;
        switch (which) {
            case "entropy":
                OptionChecks.atLeast("--head-dim", headDim.value(), 2);
                rows = 1;
                break;
            case "concentration":
                OptionChecks.atLeast("--head-dim", headDim.value(), 2);
                OptionChecks.positive("--delta", delta);
                rows = 1;
                break;
            case "window":
                if (headDim.value() < 2 || headDim.value() % 2 != 0) {
                    throw new UserInputException("--head-dim: must be even and >= 2 for --table window (RoPE"
                            + " rotates pairs), got " + headDim.value());
                }
                OptionChecks.inInterval("--neighbour-correlation", rho, "[0, 1)");
                OptionChecks.inInterval("--query-key-correlation", queryKey, "[0, 1]");
                OptionChecks.above("--rope-base", ropeBase.value, 1);
                OptionChecks.inInterval("--eps", eps, "(0, 1)");
                OptionChecks.atLeast("--half-width", halfWidth, 0);
                rows = monteCarlo.samples + headDim.value() + 2L;
                break;
            case "target":
                OptionChecks.atLeast("--head-dim", headDim.value(), 2);
                for (int n : lengths) {
                    if (n < 2) {
                        throw new UserInputException("--lengths: each must be >= 2 for --table target, got " + n);
                    }
                    for (double h : targets) {
                        if (!(h > 0 && h < Math.log(n))) {
                            throw new UserInputException("--target-entropy: must be in (0, ln n) = (0, "
                                    + Math.log(n) + ") for n = " + n + " (n keys hold at most ln n nats), got "
                                    + OptionChecks.text(h));
                        }
                    }
                }
                rows = monteCarlo.samples + 2L;
                break;
            case "maxcos":
                OptionChecks.atLeast("--head-dim", headDim.value(), 2);
                rows = monteCarlo.samples + 2L;
                break;
            default:
                throw new AssertionError(which);
        }
        String request = "cosscale --table " + which + " at --lengths " + maxN + " with --samples " + monteCarlo.samples;
        if (rows > 2) {
            MemoryLimit.requireArray(request, MemoryLimit.times(monteCarlo.samples, maxN), "lower --samples or --lengths");
        }
        MemoryLimit.require(request, MemoryLimit.times(8 * rows, maxN));
    }

    /**
     * Where the large-n approximations of the entropy are not entropies: below 0 or above ln n (the range
     * of the entropy of n keys, with a relative 1e-9 for rounding). The cell is printed as NaN (null in
     * JSON) and named in the flags column.
     */
    static double inRange(double h, int n, String name, List<String> flags) {
        if (!(h >= 0) || h > Math.log(n) * (1 + 1e-9)) {
            flags.add(name + (h < 0 ? "<0" : h > 0 ? ">ln_n" : "=NaN"));
            return Double.NaN;
        }
        return h;
    }

    private Table entropy() {
        Table t = new Table(4, "length", "s", "entropy_mc", "standard_error", "mean_field", "laplace", "ln_n",
                "flags");
        try (Progress progress = new Progress("cosscale entropy", lengths.length)) {
            for (int n : lengths) {
                Estimate[] mc = CosScaleAnalysis.entropyMonteCarlo(headDim.value(), n, scales, monteCarlo.samples,
                        Seeds.derive(seed.seed, n));
                for (int i = 0; i < scales.length; i++) {
                    List<String> flags = new java.util.ArrayList<>();
                    double meanField = inRange(CosScaleAnalysis.entropyMeanField(headDim.value(), n, scales[i]), n,
                            "mean_field", flags);
                    double laplace = inRange(CosScaleAnalysis.entropyLaplace(headDim.value(), n, scales[i]), n, "laplace", flags);
                    t.add(n, scales[i], mc[i].mean(), mc[i].standardError(), meanField, laplace, Math.log(n),
                            String.join(" ", flags));
                }
                progress.step();
            }
        }
        return t;
    }

    private Table concentration() {
        Table t = new Table(6, "length", "s", "delta", "mass_outside_mean", "standard_error", "mass_outside_max",
                "bound");
        try (Progress progress = new Progress("cosscale concentration", (long) lengths.length * scales.length)) {
            for (int n : lengths) {
                for (double s : scales) {
                    CosScaleAnalysis.Concentration c = CosScaleAnalysis.concentration(headDim.value(), n, s, delta, monteCarlo.samples,
                            Seeds.derive(seed.seed, n));
                    t.add(n, s, delta, c.massOutside().mean(), c.massOutside().standardError(),
                            c.largestMassOutside(), c.bound());
                    progress.step();
                }
            }
        }
        return t;
    }

    private Table window() {
        LocalContentModel m = new LocalContentModel(headDim.value(), ropeBase.value, rho, queryKey);
        Table t = new Table(4, "length", "s", "entropy", "effective_window", "window_standard_error",
                "tv_to_windowed", "tv_standard_error");
        try (Progress progress = new Progress("cosscale window", lengths.length)) {
            for (int n : lengths) {
                CosScaleAnalysis.LocalRows rows = CosScaleAnalysis.localRows(m, n, monteCarlo.samples,
                        Seeds.derive(seed.seed, n));
                for (double s : scales) {
                    CosScaleAnalysis.WindowStats w = rows.at(s, eps, halfWidth);
                    t.add(n, s, w.entropy().mean(), w.effectiveWindow().mean(), w.effectiveWindow().standardError(),
                            w.tvToWindowed().mean(), w.tvToWindowed().standardError());
                }
                progress.step();
            }
        }
        return t;
    }

    private Table maxCosine() {
        Table t = new Table(4, "length", "max_cos_quadrature", "max_cos_mc", "standard_error", "cap_cos_exact",
                "cap_cos_approx");
        try (Progress progress = new Progress("cosscale maxcos", lengths.length)) {
            for (int n : lengths) {
                Estimate mc = LogitSample.draw(LogitModels.sphere(headDim.value(), 1.0), n, monteCarlo.samples,
                        Seeds.derive(seed.seed, n)).maxLogit();
                t.add(n, ExpectedEntropy.expectedMaxCosine(headDim.value(), n), mc.mean(), mc.standardError(),
                        n >= 2 ? InvarianceSolver.capCosineExact(headDim.value(), n) : Double.NaN,
                        n >= 2 ? InvarianceSolver.capCosineApprox(headDim.value(), n) : Double.NaN);
                progress.step();
            }
        }
        return t;
    }

    private Table target() {
        Table t = new Table(4, "length", "target_entropy", "s_mc", "standard_error", "s_mean_field");
        try (Progress progress = new Progress("cosscale target", (long) lengths.length * targets.length)) {
            for (int n : lengths) {
                for (double h : targets) {
                    Estimate s;
                    try {
                        s = CosScaleAnalysis.scaleForEntropy(headDim.value(), n, h, monteCarlo.samples,
                                Seeds.derive(seed.seed, n));
                    } catch (IllegalArgumentException e) {
                        throw new UserInputException("--target-entropy: " + OptionChecks.text(h) + " at n = " + n
                                + " cannot be solved from --samples " + monteCarlo.samples + " Monte-Carlo rows (the entropy is"
                                + " flat there: s is unbounded or its standard error undefined); use a larger target"
                                + " or more samples", e);
                    }
                    double mf;
                    try {
                        mf = CosScaleAnalysis.scaleForEntropyMeanField(headDim.value(), n, h);
                    } catch (IllegalArgumentException e) {
                        mf = Double.NaN;
                    }
                    t.add(n, h, s.mean(), s.standardError(), mf);
                    progress.step();
                }
            }
        }
        return t;
    }
}
