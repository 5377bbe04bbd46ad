package org.isentropic.figures.report;

import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;

/**
 * Finds the project's root directory (the one holding the root {@code pom.xml} and the
 * {@code paper-figures} module): from the current directory upwards, then from the running jar upwards
 * (the launcher runs {@code paper-figures/target/isentropic.jar} from any directory).
 */
public final class RepositoryRoot {

    private RepositoryRoot() {
    }

    public static Optional<Path> locate() {
        Optional<Path> fromCwd = upwards(Path.of("").toAbsolutePath());
        if (fromCwd.isPresent()) {
            return fromCwd;
        }
        try {
            var source = RepositoryRoot.class.getProtectionDomain().getCodeSource();
            if (source == null) {
                return Optional.empty();
            }
            return upwards(Path.of(source.getLocation().toURI()).toAbsolutePath());
        } catch (URISyntaxException | SecurityException | IllegalArgumentException e) {
            return Optional.empty();
        }
    }

    /** The nearest of {@code start} and its parents that looks like the project root. */
    public static Optional<Path> upwards(Path start) {
        for (Path p = start; p != null; p = p.getParent()) {
            if (Files.isRegularFile(p.resolve("pom.xml")) && Files.isDirectory(p.resolve("paper-figures"))) {
                return Optional.of(p);
            }
        }
        return Optional.empty();
    }
}
