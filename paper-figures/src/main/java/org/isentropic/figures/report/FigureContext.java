package org.isentropic.figures.report;

import java.nio.file.Path;
import java.util.Optional;
import org.isentropic.base.Seeds;

/**
 * What a {@link ReportSection} gets to run: where to write, the seed, the budget and, when known, the
 * repository root (for files other modules leave there, e.g. {@code benchmarks/results.json}).
 *
 * @param outDir         directory for the section's images and data (exists)
 * @param seed           the run's seed; sections derive their own streams from it with {@link #seedFor}
 * @param budget         sizes of the computation
 * @param repositoryRoot the project's root directory, if it could be located
 * @param threads        threads the kernels may use
 */
public record FigureContext(Path outDir, long seed, Budget budget, Optional<Path> repositoryRoot, int threads) {

    public FigureContext {
        if (threads < 1) {
            throw new IllegalArgumentException("threads must be >= 1, got " + threads);
        }
    }

    /**
     * A seed for one figure's random stream, so that figures do not share draws and a figure's numbers do
     * not change when another figure is skipped with {@code --only}: the project's sub-seed
     * ({@link Seeds#derive(long, long)}, SplitMix64 finaliser of {@code seed + figure * golden gamma}).
     */
    public long seedFor(int figure) {
        return Seeds.derive(seed, figure - 1L);
    }
}
