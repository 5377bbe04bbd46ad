package org.isentropic.cli;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import org.isentropic.base.OutputFiles;
import org.isentropic.base.Progress;
import org.isentropic.base.Table;
import org.isentropic.base.UserInputException;
import org.isentropic.experiments.eval.Cells;
import org.isentropic.experiments.eval.CellStore;
import org.isentropic.experiments.eval.Evaluation;
import org.isentropic.experiments.eval.ExperimentRunner;
import org.isentropic.experiments.eval.Family;
import org.isentropic.experiments.eval.Plan;
import org.isentropic.experiments.eval.PlanEstimate;
import org.isentropic.experiments.eval.RegisteredClaims;
import org.isentropic.experiments.eval.RetrievalAnalysis;
import org.isentropic.experiments.eval.RetrievalProbe;
import org.isentropic.experiments.eval.SourceMassByLayer;
import org.isentropic.experiments.eval.Streams;
import org.isentropic.experiments.eval.Temperature;
import org.isentropic.experiments.model.GauModel;
import org.isentropic.experiments.model.TrainingDefaults;
import org.isentropic.experiments.model.TrainingPlan;
import org.isentropic.figures.sections.RetrievalFigure;
import org.isentropic.kernels.AttentionKernels;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/**
 * {@code isentropic experiment}: the length-extrapolation experiment (docs/method.md, the experiment). {@code train} says how to
 * train the checkpoints (DJL lives only in the Maven profile {@code train}); {@code eval} evaluates the
 * committed checkpoints on the project's kernels and writes {@code extrapolation.md}, CSVs and figures.
 */
@Command(name = "experiment", mixinStandardHelpOptions = true,
        description = "Length extrapolation of a GAU masked LM trained at N = 64: train (instructions) and eval.",
        subcommands = {ExperimentCommand.Train.class, ExperimentCommand.Eval.class, ExperimentCommand.StreamsCommand.class,
                ExperimentCommand.Checkpoints.class, ExperimentCommand.Retrieval.class})
public final class ExperimentCommand implements Runnable {

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Override
    public void run() {
        spec.commandLine().usage(spec.commandLine().getOut());
    }

    /** The exact commands that train the two checkpoints (printed by {@code experiment train}). */
    /** How to train every committed checkpoint: the v1 pair and the d = 128 family ({@link TrainingPlan}). */
    static final String TRAIN_INSTRUCTIONS = trainInstructions();

    static String trainInstructions() {
        String dir = "experiments/src/main/resources/" + TrainingPlan.FOLDER;
        List<String> lines = new java.util.ArrayList<>(List.of(
                "Training runs on DJL + PyTorch (CPU, offline), which only the Maven profile 'train' brings in",
                "(the default build and this command never load it). From the repository root, once:",
                "  mvn -B -Ptrain -pl experiments -am install -DskipTests",
                "The v3 family (" + TrainingPlan.runs().size() + " runs on the State of the Union corpus, in"
                        + " priority order; a fine-tune needs the checkpoint named by its --init first; the copy runs"
                        + " are listed with the blocks each seed took (TrainingPlan.COPY_LINEAGES): a copyskill-* block"
                        + " that ends with final_copy_accuracy below " + TrainingDefaults.COPY_SKILL_ACCURACY
                        + " in its JSON is followed by copyskill-*-blockB (seed + "
                        + TrainingDefaults.COPY_SKILL_BLOCK_SEED_OFFSET + " per block, at most "
                        + TrainingDefaults.COPY_SKILL_BLOCKS + " blocks; a base still at chance is replaced by the next"
                        + " softmax-ft seed), a copybase-* block below " + TrainingDefaults.COPY_TARGET_ACCURACY
                        + " by copybase-seedK-blockB (at most " + TrainingDefaults.COPY_RECOVERY_BLOCKS + "), and the"
                        + " copy arms start from the last; one thread each:"
                        + " OMP_NUM_THREADS=1, two at a time on 2 cores):"));
        for (TrainingPlan.Run r : TrainingPlan.runs()) {
            lines.add("  " + r.command(dir));
        }
        lines.add("Then list them in " + dir + "/index.csv (name,role,seed,scale). The d128 family's commands are in its"
                + " checkpoints' JSON (Europarl). The v1 pair (d = 64):");
        lines.add("  mvn -B -Ptrain -pl experiments exec:java -Dexec.args=\"--attention softmax --steps "
                + TrainingDefaults.STEPS + " --out experiments/src/main/resources/checkpoints\"");
        lines.add("  mvn -B -Ptrain -pl experiments exec:java -Dexec.args=\"--attention cosscale --steps "
                + TrainingDefaults.STEPS + " --out experiments/src/main/resources/checkpoints\"");
        lines.add("Add --golden experiments/src/test/resources/golden to write the logits the forward-pass test compares.");
        return String.join("\n", lines);
    }

    @Command(name = "train", mixinStandardHelpOptions = true,
            description = "Print how to train the checkpoints (needs Maven's -Ptrain; exits 2).")
    static final class Train implements Callable<Integer> {

        @CommandLine.Spec
        CommandLine.Model.CommandSpec spec;

        @Override
        public Integer call() {
            var err = spec.commandLine().getErr();
            err.println("isentropic experiment train: not available in this build.");
            err.println(TRAIN_INSTRUCTIONS);
            err.flush();
            return CommandLine.ExitCode.USAGE;
        }
    }

    @Command(name = "eval", mixinStandardHelpOptions = true,
            description = {"Evaluate a checkpoint family on test streams of held-out text (no repeated text; every 8th"
                    + " character masked at every n, the same targets scored at every n). For v3: every cell that"
                    + " experiments/claims.csv uses, on every seed, at every length; writes per-target.csv.gz, then"
                    + " decides the registered claims from it (claims-results.csv; extrapolation.md with the generated"
                    + " sentences; cells.csv). For d128 and v1: the earlier plan and report. --out defaults to out/;"
                    + " the RoPE cells go to stdout; plan, ETA and progress to stderr.",
                "--quick: under 2 minutes (a smoke test; its claims are not the claims).",
                "Each finished cell is kept in OUT/cell-store/; the same command run again (same --out, plan, streams and"
                        + " seed) reads them instead of scoring them again, so a run cut off resumes where it stopped."
                        + " Remove OUT/cell-store/ to start over."})
    static final class Eval implements Callable<Integer> {

        /** The attention kernel each worker runs (part of what the finished cells in OUT/cell-store were scored with). */
        private static final String KERNEL = "fused(1)";

        @Option(names = "--quick", description = "Lengths 64, 256, 1024; 6 streams; RoPE x every temperature, windowed x standard and log-n.")
        boolean quick;

        @Option(names = "--family", paramLabel = "v1|d128|v3",
                description = "Checkpoint family (default: the newest, v3 then d128, whose index lists a softmax and a"
                        + " cosscale checkpoint, else v1).")
        String family;

        @Option(names = "--corpus", paramLabel = "FILE|DIR",
                description = "Corpus to split (one document per line, or per file); default: the family's own"
                        + " (v3: the State of the Union addresses; d128 and v1: the Europarl sample).")
        Path corpus;

        @Mixin
        ThreadsOption threads = new ThreadsOption();

        @Option(names = "--streams", paramLabel = "S",
                description = "Test streams (default: the plan's: 64 for v3, 16 for d128, 24 for v1, 6 quick).")
        Integer streams;

        @Option(names = "--plan", description = "Print the plan and its estimated time on stderr, then exit.")
        boolean planOnly;

        @Mixin
        OutputOptions output;

        @Mixin
        SeedOption seed;

        @Override
        public Integer call() throws Exception {
            Path out = new OutputFiles().input("--corpus", corpus)
                    .directory("--out", output.out == null ? Path.of("out") : output.out);
            if (streams != null && (streams < 2 || streams > 200)) {
                throw new UserInputException("--streams must be in [2, 200], got " + streams);
            }
            int t = threads.checked();
            Family fam = family == null ? Family.defaultFamily() : Family.of(family);
            Plan plan = quick ? Plan.quick(fam) : Plan.forFamily(fam);
            if (streams != null) {
                plan = new Plan(plan.name(), plan.entries(), streams, plan.calibrationStreams(), plan.maxLength());
            }
            ExperimentRunner.Setup setup = ExperimentRunner.setup(fam, plan, corpus);
            Map<Plan.Row, List<Integer>> rows = plan.rows(fam);
            CellStore store = planOnly ? null : ExperimentRunner.cellStore(setup, seed.seed, KERNEL, out, "--out");
            printPlan(setup, t, output.err());
            if (planOnly) {
                return 0;
            }
            int finished = store.finished();
            if (finished > 0) {
                output.err().printf(java.util.Locale.ROOT, "experiment eval: resuming: %d finished cells in %s are read,"
                        + " not scored again%n", finished, out.resolve(CellStore.DIRECTORY));
            }
            Evaluation.Result r;
            long cells = rows.values().stream().mapToLong(List::size).sum();
            // On a terminal, finished cells move the progress bar; in a log (a run of hours), each finished cell is a
            // line of its own ("[k/N] cell: accuracy"), since the bar prints only every tenth of the plan there.
            boolean terminal = System.console() != null;
            try (Progress progress = new Progress("experiment eval", cells)) {
                r = ExperimentRunner.run(setup, seed.seed, t, () -> AttentionKernels.fused(1), out,
                        KERNEL + " per worker (per-row isentropic solver around it), " + t + " workers", line -> {
                            if (line.startsWith("[") && terminal) {
                                progress.step();
                            } else {
                                output.err().println(line);
                                output.err().flush();
                            }
                        }, store);
            }
            Cells.of(r).ropeTable(seed.seed).write(output.format, output.out());
            output.err().printf(java.util.Locale.ROOT, "experiment eval: %.0f s; wrote %s%n", r.seconds(),
                    out.resolve("extrapolation.md"));
            return 0;
        }
    }

    @Command(name = "retrieval", mixinStandardHelpOptions = true,
            description = {"The long-range retrieval probe: random strings of 8-16 letters planted twice in test streams,"
                    + " the second copy D characters after the first (D = 16 ... 4000) and masked; accuracy on it, the"
                    + " same with the first copy replaced (the floor), and each layer's attention mass on the"
                    + " source, per checkpoint, method and temperature. Uses the copy fine-tunes of the family"
                    + " (copy-*) when it has them; until then the control and cos128 stand in (and every registered"
                    + " claim, all on copy-* cells, is not run). Writes retrieval.csv.gz, then from it"
                    + " retrieval-claims-results.csv (the retrieval claims of experiments/claims.csv, decided as the"
                    + " evaluation decides its own), retrieval-source-mass.csv (the mass per layer),"
                    + " retrieval-above-floor.png and .svg and retrieval-above-floor-full-window.png and .svg"
                    + " (accuracy above the floor"
                    + " against D) and retrieval.md to --out (default out/retrieval); the report on stdout, progress"
                    + " on stderr.",
                "--quick: one seed, 2 streams, fewer cells (CI)."})
    static final class Retrieval implements Callable<Integer> {

        @Option(names = "--quick", description = "One seed, 2 streams, RoPE x standard and InfoScale, windowed.")
        boolean quick;

        @Option(names = "--streams", paramLabel = "S", description = "Test streams, 2 to 145 (default: 16, quick 2).")
        Integer streams;

        @Option(names = "--out", paramLabel = "DIR", description = "Output directory (default: out/retrieval).")
        Path out;

        @Mixin
        ThreadsOption threads = new ThreadsOption();

        @Mixin
        SeedOption seed;

        @CommandLine.Spec
        CommandLine.Model.CommandSpec spec;

        @Override
        public Integer call() throws java.io.IOException {
            int s = streams == null ? (quick ? 2 : 16) : streams;
            if (s < 2 || s > 145) {
                // two streams at least: with one seed the two-level bootstrap has nothing else to resample
                throw new UserInputException("--streams must be in [2, 145], got " + s);
            }
            int t = threads.checked();
            Path dir = new OutputFiles().directory("--out", out == null ? Path.of("out", "retrieval") : out);
            Family fam = Family.of("v3");
            Plan plan = RetrievalProbe.plan(fam, quick, s);
            ExperimentRunner.Setup setup = ExperimentRunner.setup(fam, plan, null);
            long t0 = System.nanoTime();
            var err = spec.commandLine().getErr();
            var hits = RetrievalProbe.runPlan(setup, s, seed.seed, t, dir, err::println);
            double probeSeconds = (System.nanoTime() - t0) / 1e9;
            RetrievalAnalysis.Analysis a = RetrievalAnalysis.write(dir, RegisteredClaims.retrieval(), seed.seed);
            var figure = RetrievalFigure.save(a.cells(), dir);
            var fullWindow = RetrievalFigure.saveFullWindow(a.cells(), dir);
            String md = RetrievalAnalysis.markdown(a, OutputOptions.typedCommand(spec),
                    RetrievalProbe.checkpointsLine(fam, quick), seed.seed,
                    figure == null ? null : figure.png().getFileName().toString())
                    + (fullWindow == null ? "" : "\n## Every D in the window of " + RetrievalProbe.WINDOW + "\n\nThe"
                            + " same above-floor accuracy with D <= " + RetrievalProbe.MAX_SHORT + " read from the full"
                            + " window too (among thousands of keys), as in the table's n = " + RetrievalProbe.WINDOW
                            + " rows.\n\n![accuracy above the floor against D, window of " + RetrievalProbe.WINDOW
                            + "](" + fullWindow.png().getFileName() + ")\n")
                    + "\n## Attention mass on the source per layer\n\nFrom `" + SourceMassByLayer.FILE + "`: the mean"
                    + " over the scored characters of the weight their rows put on the source span, copy run / control"
                    + " run (in the control the source is the random string planted in its place).\n\n"
                    + SourceMassByLayer.markdown(dir.resolve(SourceMassByLayer.FILE));
            OutputFiles.writeString(dir.resolve(RetrievalAnalysis.REPORT), md);
            var o = spec.commandLine().getOut();
            o.print(md);
            o.flush();
            err.printf(java.util.Locale.ROOT, "experiment retrieval: %d characters scored in %.0f s, analysed in %.0f s"
                    + " -> %s%n", hits.size(), probeSeconds, (System.nanoTime() - t0) / 1e9 - probeSeconds, dir);
            return 0;
        }
    }

    @Command(name = "checkpoints", mixinStandardHelpOptions = true,
            description = {"Print a family's training table in Markdown, generated from its checkpoints' JSON (steps, stop"
                    + " reason, schedule, final validation loss and accuracy, seconds): the table of"
                    + " experiments/README.md."})
    static final class Checkpoints implements Callable<Integer> {

        @Option(names = "--family", paramLabel = "d128|v3",
                description = "Checkpoint family (default: the newest with a softmax and a cosscale checkpoint).")
        String family;

        @CommandLine.Spec
        CommandLine.Model.CommandSpec spec;

        @Override
        public Integer call() {
            Family fam = family == null ? Family.defaultFamily() : Family.of(family);
            var out = spec.commandLine().getOut();
            out.print(org.isentropic.experiments.eval.CheckpointTable.markdown(fam));
            out.flush();
            return 0;
        }
    }

    @Command(name = "streams", mixinStandardHelpOptions = true,
            description = {"Write every stream of one part of the corpus split as a UTF-8 text file (stream-000.txt,"
                    + " ...): exactly the characters the v3 models see (a character outside the vocabulary, which the"
                    + " models see as [UNK], is written as U+FFFD). Also writes streams.csv (file, document, start,"
                    + " characters, language found by the project's stop-word identifier). The table goes to stdout,"
                    + " a summary to stderr."})
    static final class StreamsCommand implements Callable<Integer> {

        @Option(names = "--split", required = true, paramLabel = "train|validation|calibration|test",
                description = "Part of the split: train, validation (the trainer's stopping rule), calibration (the"
                        + " oracle's streams) or test.")
        String split;

        @Option(names = "--out", required = true, paramLabel = "DIR",
                description = "Directory for the stream files (created if missing, after every check passed).")
        Path out;

        @Option(names = "--length", paramLabel = "L", defaultValue = "4096",
                description = "Characters per stream (default: ${DEFAULT-VALUE}, the evaluation's longest length).")
        int length;

        @Option(names = "--corpus", paramLabel = "sotu|europarl:LANG|FILE|DIR", defaultValue = "sotu",
                description = "Corpus to split (default: ${DEFAULT-VALUE}, the v3 family's State of the Union"
                        + " addresses).")
        String corpus;

        @CommandLine.Spec
        CommandLine.Model.CommandSpec spec;

        @Override
        public Integer call() {
            if (!org.isentropic.experiments.corpus.CorpusSplit.PARTS.contains(split)) {
                throw new UserInputException("--split must be one of "
                        + String.join("|", org.isentropic.experiments.corpus.CorpusSplit.PARTS) + ", got '" + split + "'");
            }
            if (length < Streams.REGION || length % (2 * Streams.MASK_EVERY) != 0 || length > 1 << 20) {
                throw new UserInputException("--length must be a multiple of " + 2 * Streams.MASK_EVERY
                        + " in [" + Streams.REGION + ", " + (1 << 20) + "], got " + length);
            }
            OutputFiles files = new OutputFiles();
            Path dir = files.directory("--out", out);
            org.isentropic.experiments.corpus.Corpus c = org.isentropic.experiments.corpus.Corpus.named(corpus);
            List<org.isentropic.experiments.eval.StreamExport.StreamText> texts =
                    org.isentropic.experiments.eval.StreamExport.of(c, split, length);
            Table index = new Table(0, "file", "document", "start", "characters", "language");
            for (var t : texts) {
                Path f = files.fileIn("--out", dir, t.fileName());
                OutputFiles.writeString(f, t.text());
                index.add(t.fileName(), t.document(), t.start(), t.text().codePointCount(0, t.text().length()),
                        t.language());
            }
            String csv = index.render(org.isentropic.base.OutputFormat.csv);
            OutputFiles.writeString(files.fileIn("--out", dir, "streams.csv"), csv);
            var outWriter = spec.commandLine().getOut();
            outWriter.print(csv);
            outWriter.flush();
            long languages = texts.stream().map(org.isentropic.experiments.eval.StreamExport.StreamText::language)
                    .distinct().count();
            List<String> docs = org.isentropic.experiments.corpus.CorpusSplit.of(c, TrainingDefaults.TEST_DOCUMENTS)
                    .part(split);
            long chars = docs.stream().mapToLong(d -> d.codePointCount(0, d.length())).sum();
            spec.commandLine().getErr().printf(java.util.Locale.ROOT, "experiment streams: %s, part %s: %d documents, %d characters;"
                    + " %d streams of %d characters in %d language(s) -> %s%n", c.name(), split, docs.size(), chars,
                    texts.size(), length, languages, dir);
            return 0;
        }
    }

    /** The plan, its size and an estimate of its time ({@link PlanEstimate}) on stderr. */
    static void printPlan(ExperimentRunner.Setup s, int threads, java.io.PrintWriter err) {
        PlanEstimate e = PlanEstimate.of(s, threads);
        e.description().forEach(l -> err.println("experiment eval: " + l));
        err.println("experiment eval: " + e.summary(threads));
    }
}
