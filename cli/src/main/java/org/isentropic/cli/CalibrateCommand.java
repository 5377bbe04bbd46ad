package org.isentropic.cli;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;
import org.isentropic.base.OutputFiles;
import org.isentropic.base.Progress;
import org.isentropic.base.Table;
import org.isentropic.base.UserInputException;
import org.isentropic.experiments.calibrate.Calibration;
import org.isentropic.kernels.AttentionKernels;
import org.isentropic.kernels.io.Npy;
import org.isentropic.kernels.spec.AttentionKernel;
import org.isentropic.kernels.spec.AttentionSpec;
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

    @Mixin
    QueryKeyInputs inputs;

    @Mixin
    LogitOptions logits;

    @Mixin
    PositionMaskOptions placement;

    @Mixin
    TrainLengthOption train;

    @Option(names = "--lengths", paramLabel = "N1,N2,...", split = ",", converter = PositiveIntConverter.class,
            required = true, description = "Lengths n, comma-separated, each >= 2 and <= the rows of --q.")
    int[] lengths;

    @Option(names = "--resamples", defaultValue = "2000", paramLabel = "B",
            description = "Bootstrap resamples over query rows (default: ${DEFAULT-VALUE}).")
    int resamples;

    @Mixin
    MonteCarloOptions monteCarlo = new MonteCarloOptions(2000);

    @Mixin
    OutputOptions output;

    @Mixin
    SeedOption seed;

    @Override
    public Integer call() {
        // every check before any work
        Path outFile = output.tableFile(new OutputFiles().input("--q", inputs.q).input("--k", inputs.k), "calibrate");
        Npy.Array q = read("--q", inputs.q);
        Npy.Array k = read("--k", inputs.k);
        if (!Arrays.equals(q.shape(), k.shape())) {
            throw new UserInputException("--k: shape " + Arrays.toString(k.shape()) + " differs from --q's "
                    + Arrays.toString(q.shape()));
        }
        int heads = q.rank() == 3 ? q.shape()[0] : 1;
        int rows = q.shape()[q.rank() - 2];
        int d = q.shape()[q.rank() - 1];
        if (rows < 2 || d < 1 || heads < 1) {
            throw new UserInputException("--q: needs at least 2 rows and 1 column per head, shape "
                    + Arrays.toString(q.shape()));
        }
        if (train.value < 2 || train.value > rows) {
            throw new UserInputException("--train-length: must be in [2, " + rows + "] (the rows of --q), got "
                    + train.value);
        }
        for (int n : lengths) {
            if (n < 2 || n > rows) {
                throw new UserInputException("--lengths: each must be in [2, " + rows + "] (the rows of --q), got "
                        + n);
            }
        }
        if (resamples < 100 || resamples > 1_000_000) {
            throw new UserInputException("--resamples: must be in [100, 1000000], got " + resamples);
        }
        int samples = monteCarlo.checked();
        AttentionSpec base = spec(d);
        for (int i = 0; i < q.data().length; i++) {
            if (!Double.isFinite(q.data()[i]) || !Double.isFinite(k.data()[i])) {
                throw new UserInputException((Double.isFinite(q.data()[i]) ? "--k" : "--q")
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
                List<Calibration.Capture> atN = Calibration.windows(base, qh, kh, rows, d, train.value);
                double hN = Calibration.meanEntropy(atN, 1.0, kernel);
                DerivedFactors df = Calibration.derived(d, train.value, hN, sorted, samples, seed.seed + h);
                for (int i = 0; i < sorted.length; i++) {
                    int n = sorted[i];
                    List<Calibration.Capture> atn = Calibration.windows(base, qh, kh, rows, d, n);
                    double hn = Calibration.meanEntropy(atn, 1.0, kernel);
                    Calibration.Interval o = interval(atN, atn, kernel, seed.seed + 1000L * h + i);
                    table.add(h, n, atn.size(), hN, hn, o.value(), o.lo(), o.hi(), df.factor()[i], df.standardError()[i],
                            TemperatureRule.infoScale(train.value, d).factor(n), TemperatureRule.logN(train.value).factor(n),
                            TemperatureRule.softmaxPlus().factor(n));
                    progress.step();
                }
            }
        }
        output.err().printf(Locale.ROOT, "calibrate: %d head(s) x %d length(s), %d rows, d = %d, N = %d, %d resamples,"
                + " seed %d: %.2f s%n", heads, sorted.length, rows, d, train.value, resamples, seed.seed,
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
            throw new UserInputException(option + ": no such file: " + file);
        }
        Npy.Array a = OptionChecks.named(option, () -> Npy.read(file));
        if (a.rank() != 2 && a.rank() != 3) {
            throw new UserInputException(option + ": expected a 2-D [n, d] or 3-D [heads, n, d] array, got shape "
                    + Arrays.toString(a.shape()));
        }
        return a;
    }

    /** The logits, positions and mask the options describe, for head dimension {@code d}. */
    private AttentionSpec spec(int d) {
        return logits.spec().withPositions(placement.positions(d, train.value)).withMask(placement.mask(train.value));
    }
}
