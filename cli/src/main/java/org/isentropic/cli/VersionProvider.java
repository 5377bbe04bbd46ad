package org.isentropic.cli;

import picocli.CommandLine;
import org.isentropic.base.ProjectVersion;

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
