package org.isentropic.figures.cli;

import java.util.Locale;
import java.util.concurrent.Callable;
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
import picocli.CommandLine.Spec;

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

    @Option(names = "--head-dim", paramLabel = "D", defaultValue = "128",
            description = "Dimension d (default: ${DEFAULT-VALUE}).")
    int headDim;

    @Option(names = "--samples", paramLabel = "S", defaultValue = "200",
            description = "Monte-Carlo rows per length (default: ${DEFAULT-VALUE}).")
    int samples;

    @Option(names = "--delta", paramLabel = "X", defaultValue = "0.05",
            description = "concentration: the cosine margin delta (default: ${DEFAULT-VALUE}).")
    double delta;

    @Option(names = "--neighbour-correlation", paramLabel = "RHO", defaultValue = "0.99",
            description = "window: correlation of the content of neighbouring positions (default: ${DEFAULT-VALUE}).")
    double rho;

    @Option(names = "--query-key-correlation", paramLabel = "R", defaultValue = "0.9",
            description = "window: correlation of a query's content with its own key's (default: ${DEFAULT-VALUE}).")
    double queryKey;

    @Option(names = "--rope-base", paramLabel = "B", defaultValue = "10000",
            description = "window: RoPE base (default: ${DEFAULT-VALUE}).")
    double ropeBase;

    @Option(names = "--eps", paramLabel = "E", defaultValue = "0.05",
            description = "window: the effective window holds 1 - eps of the mass (default: ${DEFAULT-VALUE}).")
    double eps;

    @Option(names = "--window", paramLabel = "W", defaultValue = "32",
            description = "window: half-width of the windowed attention compared with, |i - j| <= W"
                    + " (default: ${DEFAULT-VALUE}).")
    int window;

    @Option(names = "--target-entropy", paramLabel = "H", split = ",", defaultValue = "0.5,1,2,3",
            description = "target: entropies in nats (default: ${DEFAULT-VALUE}).")
    double[] targets;

    @Mixin
    OutputOptions output;

    @Mixin
    SeedOption seed;

    @Spec
    CommandLine.Model.CommandSpec spec;

    @Override
    public Integer call() {
        Table t;
        long start = System.nanoTime();
        switch (table) {
            case "entropy": t = entropy(); break;
            case "concentration": t = concentration(); break;
            case "window": t = window(); break;
            case "target": t = target(); break;
            case "maxcos": t = maxCosine(); break;
            default:
                throw new IllegalArgumentException("--table must be entropy, concentration, window, target or maxcos,"
                        + " got " + table);
        }
        System.err.printf(Locale.ROOT, "cosscale %s: d = %d, %d samples, seed %d: %.2f s%n", table, headDim, samples,
                seed.seed, (System.nanoTime() - start) / 1e9);
        String rendered = t.render(output.format);
        spec.commandLine().getOut().print(rendered);
        spec.commandLine().getOut().flush();
        writeCopy(rendered, "cosscale-" + table);
        return 0;
    }

    private Table entropy() {
        Table t = new Table(4, "length", "s", "entropy_mc", "standard_error", "mean_field", "laplace", "ln_n");
        try (Progress progress = new Progress("cosscale entropy", lengths.length)) {
            for (int n : lengths) {
                Estimate[] mc = CosScaleAnalysis.entropyMonteCarlo(headDim, n, scales, samples,
                        ExpectedEntropy.streamSeed(seed.seed, n));
                for (int i = 0; i < scales.length; i++) {
                    t.add(n, scales[i], mc[i].mean(), mc[i].standardError(),
                            CosScaleAnalysis.entropyMeanField(headDim, n, scales[i]),
                            CosScaleAnalysis.entropyLaplace(headDim, n, scales[i]), Math.log(n));
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
                    CosScaleAnalysis.Concentration c = CosScaleAnalysis.concentration(headDim, n, s, delta, samples,
                            ExpectedEntropy.streamSeed(seed.seed, n));
                    t.add(n, s, delta, c.massOutside().mean(), c.massOutside().standardError(),
                            c.largestMassOutside(), c.bound());
                    progress.step();
                }
            }
        }
        return t;
    }

    private Table window() {
        LocalContentModel m = new LocalContentModel(headDim, ropeBase, rho, queryKey);
        Table t = new Table(4, "length", "s", "entropy", "effective_window", "window_standard_error",
                "tv_to_windowed", "tv_standard_error");
        try (Progress progress = new Progress("cosscale window", lengths.length)) {
            for (int n : lengths) {
                CosScaleAnalysis.LocalRows rows = CosScaleAnalysis.localRows(m, n, samples,
                        ExpectedEntropy.streamSeed(seed.seed, n));
                for (double s : scales) {
                    CosScaleAnalysis.WindowStats w = rows.at(s, eps, window);
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
                Estimate mc = LogitSample.draw(LogitModels.sphere(headDim, 1.0), n, samples,
                        ExpectedEntropy.streamSeed(seed.seed, n)).maxLogit();
                t.add(n, ExpectedEntropy.expectedMaxCosine(headDim, n), mc.mean(), mc.standardError(),
                        n >= 2 ? InvarianceSolver.capCosineExact(headDim, n) : Double.NaN,
                        n >= 2 ? InvarianceSolver.capCosineApprox(headDim, n) : Double.NaN);
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
                    Estimate s = CosScaleAnalysis.scaleForEntropy(headDim, n, h, samples,
                            ExpectedEntropy.streamSeed(seed.seed, n));
                    double mf;
                    try {
                        mf = CosScaleAnalysis.scaleForEntropyMeanField(headDim, n, h);
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
