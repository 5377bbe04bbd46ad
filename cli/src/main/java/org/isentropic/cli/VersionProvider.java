package org.isentropic.cli;

import org.isentropic.figures.output.ProjectVersion;
import picocli.CommandLine;

/** The {@code --version} lines: the project version, the JVM and the OS. */
public final class VersionProvider implements CommandLine.IVersionProvider {

    @Override
    public String[] getVersion() {
        return new String[] {
            "isentropic " + ProjectVersion.get(),
            "JVM: " + System.getProperty("java.vm.name") + " " + System.getProperty("java.version"),
            "OS: " + System.getProperty("os.name") + " " + System.getProperty("os.arch")
        };
    }
}
