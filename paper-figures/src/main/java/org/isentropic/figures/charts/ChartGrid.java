package org.isentropic.figures.charts;

import de.erichseifert.vectorgraphics2d.Processors;
import de.erichseifert.vectorgraphics2d.VectorGraphics2D;
import de.erichseifert.vectorgraphics2d.util.PageSize;
import java.awt.Color;
import java.awt.Graphics2D;
import java.awt.RenderingHints;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import javax.imageio.ImageIO;
import org.isentropic.base.OutputFiles;
import org.knowm.xchart.internal.chartpart.Chart;

/**
 * Small multiples: charts of the same size laid out in a grid and written as one PNG (at
 * {@link ChartFiles#DPI} dpi) and one SVG, as {@link ChartFiles#save} writes a single chart. Panels fill the grid
 * row by row; each panel keeps its own title, axes and legend inside its cell.
 */
public final class ChartGrid {

    private ChartGrid() {
    }

    /**
     * Renders {@code panels} (all of the first panel's size) in {@code columns} columns to
     * {@code dir/baseName.png} and {@code .svg}.
     */
    public static ChartFiles.Images save(List<? extends Chart<?, ?>> panels, int columns, Path dir, String baseName)
            throws IOException {
        if (panels.isEmpty() || columns < 1) {
            throw new IllegalArgumentException("a grid needs >= 1 panel and >= 1 column, got " + panels.size() + ", "
                    + columns);
        }
        if (!baseName.matches("[A-Za-z0-9._-]+")) {
            throw new IllegalArgumentException("baseName must be a plain file name, got '" + baseName + "'");
        }
        System.setProperty("java.awt.headless", "true");
        int w = panels.get(0).getWidth();
        int h = panels.get(0).getHeight();
        int cols = Math.min(columns, panels.size());
        int rows = (panels.size() + cols - 1) / cols;
        Path png = dir.resolve(baseName + ".png");
        Path svg = dir.resolve(baseName + ".svg");
        double scale = ChartFiles.DPI / 72.0;
        BufferedImage image = new BufferedImage(ChartFiles.pixels(cols * w), ChartFiles.pixels(rows * h),
                BufferedImage.TYPE_INT_RGB);
        Graphics2D g = image.createGraphics();
        g.setRenderingHint(RenderingHints.KEY_ANTIALIASING, RenderingHints.VALUE_ANTIALIAS_ON);
        g.setColor(Color.WHITE);
        g.fillRect(0, 0, image.getWidth(), image.getHeight());
        g.scale(scale, scale);
        paint(panels, cols, w, h, g);
        g.dispose();
        OutputFiles.write(png, t -> ImageIO.write(image, "png", t.toFile()));
        VectorGraphics2D vg = new VectorGraphics2D();
        paint(panels, cols, w, h, vg);
        OutputFiles.write(svg, t -> {
            try (OutputStream out = Files.newOutputStream(t)) {
                Processors.get("svg").getDocument(vg.getCommands(), new PageSize(0, 0, cols * w, rows * h)).writeTo(out);
            }
        });
        return new ChartFiles.Images(png, svg, image.getWidth(), image.getHeight());
    }

    private static void paint(List<? extends Chart<?, ?>> panels, int cols, int w, int h, Graphics2D g) {
        for (int i = 0; i < panels.size(); i++) {
            Graphics2D cell = (Graphics2D) g.create();
            cell.translate((i % cols) * w, (i / cols) * h);
            cell.setClip(0, 0, w, h);
            panels.get(i).paint(cell, w, h);
            cell.dispose();
        }
    }
}
