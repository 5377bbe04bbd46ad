package org.isentropic.cli;

import org.isentropic.figures.output.Progress;
import org.isentropic.figures.output.OutputFiles;
import org.isentropic.figures.output.Table;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;
import org.isentropic.experiments.calibrate.Calibration;
import org.isentropic.kernels.AttentionKernel;
import org.isentropic.kernels.AttentionKernels;
import org.isentropic.kernels.AttentionSpec;
import org.isentropic.kernels.Positions;
import org.isentropic.kernels.io.Npy;
import org.isentropic.theory.rules.TemperatureRule;
import org.isentropic.theory.solvers.DerivedFactors;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/**
 * {@code isentropic calibrate}: the per-head oracle and derived temperature factors from captured attention
 * (docs/method.md, the experiment), with the same code the experiment uses for its oracle and derived rows
 * ({@link Calibration}). q and k of L rows are cut into consecutive windows of N rows (the "training
 * length") and of n rows for every requested length; the mean row entropy at N under the given logits is
 * the target, and at each n the command prints the mean entropy under standard scaling, the oracle factor
 * that restores the target (with a bootstrap interval over query rows), the derived factor (theory's exact
 * solver on sphere keys of dimension d, given the entropy at N) and the closed-form rules.
 */
@Command(name = "calibrate", mixinStandardHelpOptions = true,
        description = {"Per head and length: the mean attention entropy at N and at n under standard scaling, the"
                + " factor that restores the entropy at N (oracle, with a bootstrap interval over query rows), the"
                + " factor theory derives from the entropy at N, InfoScale, log-n and softmax_plus.",
            "q and k: .npy float32/float64 arrays [n, d] or [heads, n, d], any length >= the largest n."})
public final class CalibrateCommand implements Callable<Integer> {

    @Option(names = "--q", required = true, paramLabel = "FILE", description = "Queries (.npy).")
    Path qFile;

    @Option(names = "--k", required = true, paramLabel = "FILE", description = "Keys (.npy), same shape as --q.")
    Path kFile;

    @Option(names = "--logits", defaultValue = "dot", paramLabel = "KIND",
            description = "dot (q.k/sqrt(d)) or cosine (s cos(q, k)) (default: ${DEFAULT-VALUE}).")
    String logits;

    @Option(names = "--cos-scale", paramLabel = "S", description = "CosScale's s for --logits cosine.")
    Double cosScale;

    @Option(names = "--position", defaultValue = "none", paramLabel = "SCHEME",
            description = "none, rope (interleaved pairs) or rope-half (default: ${DEFAULT-VALUE}).")
    String position;

    @Option(names = "--rope-base", defaultValue = "10000", paramLabel = "B",
            description = "Rotary base (default: ${DEFAULT-VALUE}).")
    double ropeBase;

    @Option(names = "--train-length", required = true, paramLabel = "N", description = "Training length N.")
    int trainLength;

    @Option(names = "--lengths", paramLabel = "N1,N2,...", split = ",", converter = PositiveIntConverter.class,
            required = true, description = "Lengths n, comma-separated, each >= 2 and <= the rows of --q.")
    int[] lengths;

    @Option(names = "--resamples", defaultValue = "2000", paramLabel = "B",
            description = "Bootstrap resamples over query rows (default: ${DEFAULT-VALUE}).")
    int resamples;

    @Option(names = "--samples", defaultValue = "2000", paramLabel = "S",
            description = "Monte-Carlo rows per length of the derived factor (default: ${DEFAULT-VALUE}).")
    int samples;

    @Mixin
    OutputOptions output;

    @Mixin
    SeedOption seed;

    @Override
    public Integer call() {
        // every check before any work
        Path outFile = output.tableFile(new OutputFiles().input("--q", qFile).input("--k", kFile), "calibrate");
        Npy.Array q = read("--q", qFile);
        Npy.Array k = read("--k", kFile);
        if (!Arrays.equals(q.shape(), k.shape())) {
            throw new IllegalArgumentException("--k: shape " + Arrays.toString(k.shape()) + " differs from --q's "
                    + Arrays.toString(q.shape()));
        }
        int heads = q.rank() == 3 ? q.shape()[0] : 1;
        int rows = q.shape()[q.rank() - 2];
        int d = q.shape()[q.rank() - 1];
        if (rows < 2 || d < 1 || heads < 1) {
            throw new IllegalArgumentException("--q: needs at least 2 rows and 1 column per head, shape "
                    + Arrays.toString(q.shape()));
        }
        if (trainLength < 2 || trainLength > rows) {
            throw new IllegalArgumentException("--train-length: must be in [2, " + rows + "] (the rows of --q), got "
                    + trainLength);
        }
        for (int n : lengths) {
            if (n < 2 || n > rows) {
                throw new IllegalArgumentException("--lengths: each must be in [2, " + rows + "] (the rows of --q), got "
                        + n);
            }
        }
        if (resamples < 100 || resamples > 1_000_000) {
            throw new IllegalArgumentException("--resamples: must be in [100, 1000000], got " + resamples);
        }
        if (samples < 2) {
            throw new IllegalArgumentException("--samples: must be >= 2, got " + samples);
        }
        AttentionSpec base = spec(d);
        for (int i = 0; i < q.data().length; i++) {
            if (!Double.isFinite(q.data()[i]) || !Double.isFinite(k.data()[i])) {
                throw new IllegalArgumentException((Double.isFinite(q.data()[i]) ? "--k" : "--q")
                        + ": non-finite value at flat index " + i);
            }
        }
        AttentionKernel kernel = AttentionKernels.fused(1);
        float[] qf = q.toFloats();
        float[] kf = k.toFloats();
        Table table = new Table(4, "head", "length", "windows", "entropy_at_N", "entropy_standard", "oracle",
                "oracle_lo", "oracle_hi", "derived", "derived_se", "infoscale", "logn", "softmax_plus");
        int[] sorted = Arrays.stream(lengths).distinct().sorted().toArray();
        long start = System.nanoTime();
        try (Progress progress = new Progress("calibrate", (long) heads * sorted.length)) {
            for (int h = 0; h < heads; h++) {
                float[] qh = Arrays.copyOfRange(qf, h * rows * d, (h + 1) * rows * d);
                float[] kh = Arrays.copyOfRange(kf, h * rows * d, (h + 1) * rows * d);
                List<Calibration.Capture> atN = Calibration.windows(base, qh, kh, rows, d, trainLength);
                double hN = Calibration.meanEntropy(atN, 1.0, kernel);
                DerivedFactors df = Calibration.derived(d, trainLength, hN, sorted, samples, seed.seed + h);
                for (int i = 0; i < sorted.length; i++) {
                    int n = sorted[i];
                    List<Calibration.Capture> atn = Calibration.windows(base, qh, kh, rows, d, n);
                    double hn = Calibration.meanEntropy(atn, 1.0, kernel);
                    Calibration.Interval o = interval(atN, atn, kernel, seed.seed + 1000L * h + i);
                    table.add(h, n, atn.size(), hN, hn, o.value(), o.lo(), o.hi(), df.factor()[i], df.standardError()[i],
                            TemperatureRule.infoScale(trainLength, d).factor(n), TemperatureRule.logN(trainLength).factor(n),
                            TemperatureRule.softmaxPlus().factor(n));
                    progress.step();
                }
            }
        }
        System.err.printf(Locale.ROOT, "calibrate: %d head(s) x %d length(s), %d rows, d = %d, N = %d, %d resamples,"
                + " seed %d: %.2f s%n", heads, sorted.length, rows, d, trainLength, resamples, seed.seed,
                (System.nanoTime() - start) / 1e9);
        output.emit(table, outFile);
        return 0;
    }

    /** The oracle with its interval; the grid widens until the interval is inside it. */
    private Calibration.Interval interval(List<Calibration.Capture> atN, List<Calibration.Capture> atn,
            AttentionKernel kernel, long s) {
        double spread = 1.25;
        Calibration.Interval o = null;
        for (int tries = 0; tries < 4; tries++) {
            o = Calibration.oracleWithInterval(atN, atn, kernel, resamples, s, 25, spread);
            double edgeLo = o.value() / spread * 1.0001;
            double edgeHi = o.value() * spread / 1.0001;
            if (o.lo() > edgeLo && o.hi() < edgeHi) {
                return o;
            }
            spread *= 2;
        }
        return o;
    }

    private static Npy.Array read(String option, Path file) {
        if (!Files.isRegularFile(file)) {
            throw new IllegalArgumentException(option + ": no such file: " + file);
        }
        Npy.Array a = OptionChecks.named(option, () -> Npy.read(file));
        if (a.rank() != 2 && a.rank() != 3) {
            throw new IllegalArgumentException(option + ": expected a 2-D [n, d] or 3-D [heads, n, d] array, got shape "
                    + Arrays.toString(a.shape()));
        }
        return a;
    }

    private AttentionSpec spec(int d) {
        AttentionSpec s;
        switch (logits.toLowerCase(Locale.ROOT)) {
            case "dot":
                if (cosScale != null) {
                    throw new IllegalArgumentException("--cos-scale: only with --logits cosine");
                }
                s = AttentionSpec.dot();
                break;
            case "cosine":
                if (cosScale == null || !(cosScale > 0) || Double.isInfinite(cosScale)) {
                    throw new IllegalArgumentException("--cos-scale: must be given, finite and > 0 with --logits cosine,"
                            + " got " + cosScale);
                }
                s = AttentionSpec.cosine(cosScale);
                break;
            default:
                throw new IllegalArgumentException("--logits: unknown value '" + logits + "' (known: dot, cosine)");
        }
        String p = position.toLowerCase(Locale.ROOT);
        if (!p.equals("none")) {
            if (!p.equals("rope") && !p.equals("rope-half")) {
                throw new IllegalArgumentException("--position: unknown value '" + position
                        + "' (known: none, rope, rope-half)");
            }
            OptionChecks.above("--rope-base", ropeBase, 1);
            if (d % 2 != 0) {
                throw new IllegalArgumentException("--q: d = " + d + " is odd; --position " + p
                        + " rotates pairs (d must be even)");
            }
            s = s.withPositions(p.equals("rope") ? Positions.rope(ropeBase) : Positions.ropeHalf(ropeBase));
        }
        return s;
    }
}
