package org.isentropic.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;
import picocli.CommandLine;

class IsentropicCommandTest extends InProcessCommandTest {

    @Test
    void unknownOptionIsAUsageErrorNamingTheOption() {
        assertEquals(2, run("--no-such-option"));
        String first = err.toString().lines().findFirst().orElse("");
        assertTrue(first.contains("--no-such-option"), first);
        assertEquals("", out.toString());
    }

    @Test
    void helpListsEverySubcommandWithADescription() {
        assertEquals(0, run("--help"));
        CommandLine cl = IsentropicCommand.commandLine();
        for (var sub : cl.getSubcommands().entrySet()) {
            String description = String.join(" ", sub.getValue().getCommandSpec().usageMessage().description());
            assertTrue(!description.isBlank(), "subcommand " + sub.getKey() + " has no description");
            assertTrue(out.toString().contains(sub.getKey()), "help does not list " + sub.getKey());
        }
    }

    @Test
    void versionNamesTheProject() {
        assertEquals(0, run("--version"));
        assertTrue(out.toString().startsWith("isentropic "), out.toString());
    }
}
