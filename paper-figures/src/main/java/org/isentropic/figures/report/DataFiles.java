package org.isentropic.figures.report;

import java.io.IOException;
import java.nio.file.Path;
import org.isentropic.base.OutputFiles;
import org.isentropic.base.OutputFormat;
import org.isentropic.base.Table;

/** Writes a figure's data table as CSV (header row) through the shared {@link Table}. */
public final class DataFiles {

    private DataFiles() {
    }

    /** Writes {@code dir/fileName} as CSV and returns the file name. */
    public static String csv(Path dir, String fileName, Table table) throws IOException {
        if (!fileName.matches("[A-Za-z0-9._-]+\\.csv")) {
            throw new IllegalArgumentException("fileName must be a plain .csv name, got '" + fileName + "'");
        }
        OutputFiles.writeString(dir.resolve(fileName), table.render(OutputFormat.csv));
        return fileName;
    }
}
