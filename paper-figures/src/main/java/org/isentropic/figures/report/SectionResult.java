package org.isentropic.figures.report;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.isentropic.base.Table;

/**
 * What one figure produced, as the report shows it.
 *
 * @param number     figure number
 * @param title      figure title
 * @param available  false when the figure could not be made (then {@code reading} says why)
 * @param images     PNG file names relative to the output directory (each has an SVG beside it)
 * @param dataFiles  CSV/JSON file names relative to the output directory
 * @param reading    two sentences on what the figure shows, written from the computed numbers
 * @param keyTable   the table the report prints (Markdown), or null
 * @param keyNumbers the few numbers the reading quotes, for the JSON summary (insertion order kept)
 * @param parameters how the figure was computed (model, sizes), one line
 */
public record SectionResult(int number, String title, boolean available, List<String> images,
        List<String> dataFiles, String reading, Table keyTable, Map<String, Double> keyNumbers,
        String parameters) {

    public SectionResult {
        images = List.copyOf(images);
        dataFiles = List.copyOf(dataFiles);
        keyNumbers = java.util.Collections.unmodifiableMap(new LinkedHashMap<>(keyNumbers));
    }

    /** A figure that could not be made, with the reason shown in the report. */
    public static SectionResult absent(int number, String title, String reason) {
        return new SectionResult(number, title, false, List.of(), List.of(), reason, null, Map.of(), "");
    }
}
