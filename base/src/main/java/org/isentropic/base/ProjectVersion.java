package org.isentropic.base;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.Properties;

/** The project version, from the properties Maven filters into the jar at build time. */
public final class ProjectVersion {

    private ProjectVersion() {
    }

    /** The project version, e.g. {@code 0.1.0-SNAPSHOT}; {@code unknown} outside a built jar. */
    public static String get() {
        try (InputStream in = ProjectVersion.class.getResourceAsStream("/isentropic-version.properties")) {
            Properties p = new Properties();
            if (in != null) {
                p.load(in);
            }
            return p.getProperty("version", "unknown");
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
