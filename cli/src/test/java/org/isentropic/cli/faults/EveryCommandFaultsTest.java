package org.isentropic.cli.faults;

import org.isentropic.cli.IsentropicCommand;
import static org.junit.jupiter.api.Assertions.assertFalse;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.isentropic.verification.Theories;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.quicktheories.generators.SourceDSL;
import picocli.CommandLine;

/** What holds for every subcommand: an unknown option or a malformed value is one line, exit 2. */
class EveryCommandFaultsTest {

    @TempDir
    Path dir;

    /** Every runnable (sub)command path, e.g. [attend], [experiment, eval]. */
    private static List<List<String>> commands() {
        List<List<String>> out = new ArrayList<>();
        collect(IsentropicCommand.commandLine(), new ArrayList<>(), out);
        return out;
    }

    private static void collect(CommandLine cl, List<String> path, List<List<String>> out) {
        for (var e : cl.getSubcommands().entrySet()) {
            if (e.getKey().equals("help")) {
                continue;
            }
            List<String> p = new ArrayList<>(path);
            p.add(e.getKey());
            out.add(p);
            collect(e.getValue(), p, out);
        }
    }

    @Test
    void anUnknownOptionIsOneLineNamingItOnEveryCommand() {
        List<List<String>> commands = commands();
        assertFalse(commands.isEmpty());
        Cli cli = new Cli(dir);
        Theories.check("every command refuses an unknown option in one line naming it", 30, 300,
                SourceDSL.integers().between(0, commands.size() - 1).zip(
                        SourceDSL.strings().basicLatinAlphabet().ofLengthBetween(1, 12), (i, s) -> new Object[] {i, s}),
                c -> {
                    List<String> args = new ArrayList<>(commands.get((Integer) c[0]));
                    if (args.equals(List.of("attend"))) {
                        // attend's required inputs; they are not read when the line does not parse
                        args.addAll(List.of("--q", "q.npy", "--k", "k.npy", "--v", "v.npy"));
                    } else if (args.equals(List.of("experiment", "streams"))) {
                        args.addAll(List.of("--split", "test", "--out", "streams-out"));
                    } else if (args.equals(List.of("calibrate"))) {
                        args.addAll(List.of("--q", "q.npy", "--k", "k.npy", "--train-length", "64", "--lengths", "128"));
                    }
                    String option = "--zz-" + ((String) c[1]).replaceAll("[^A-Za-z0-9]", "x");
                    args.add(option);
                    cli.assertRefused(2, option, args.toArray(new String[0]));
                });
    }
}
