package org.isentropic.figures.charts;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import org.isentropic.base.OutputFiles;
import org.knowm.xchart.BitmapEncoder;
import org.knowm.xchart.VectorGraphicsEncoder;
import org.knowm.xchart.internal.chartpart.IChart;

/**
 * Writes a chart (any XChart chart, or a {@link HeatMapPanel}) as PNG at {@value #DPI} dpi and as SVG,
 * headless. The PNG is the chart's size in points scaled by {@code DPI / 72} (XChart's convention: a
 * 720 x 440 pt chart becomes 1500 x 916 px); the SVG keeps the size in points.
 */
public final class ChartFiles {

    /** Resolution of every PNG the project writes. */
    public static final int DPI = 150;

    private ChartFiles() {
    }

    /** The two files of one rendered chart and the PNG's pixel size. */
    public record Images(Path png, Path svg, int pngWidth, int pngHeight) {
    }

    /**
     * Renders {@code chart} to {@code dir/baseName.png} and {@code dir/baseName.svg}, creating {@code dir}.
     *
     * @param baseName file name without extension: letters, digits, '-', '_' and '.' only
     */
    public static Images save(IChart chart, Path dir, String baseName) throws IOException {
        if (!baseName.matches("[A-Za-z0-9._-]+")) {
            throw new IllegalArgumentException("baseName must be a plain file name, got '" + baseName + "'");
        }
        System.setProperty("java.awt.headless", "true");
        Path png = dir.resolve(baseName + ".png");
        Path svg = dir.resolve(baseName + ".svg");
        OutputFiles.write(png, t -> BitmapEncoder.saveBitmapWithDPI(chart, t.toString(), BitmapEncoder.BitmapFormat.PNG,
                DPI));
        OutputFiles.write(svg, t -> {
            try (OutputStream out = Files.newOutputStream(t)) {
                VectorGraphicsEncoder.saveVectorGraphic(chart, out, VectorGraphicsEncoder.VectorGraphicsFormat.SVG);
            }
        });
        return new Images(png, svg, pixels(chart.getWidth()), pixels(chart.getHeight()));
    }

    /** The PNG size in pixels of a chart dimension given in points: {@code (int) (points * DPI / 72)}. */
    public static int pixels(int points) {
        return (int) (points * (DPI / 72.0));
    }
}
