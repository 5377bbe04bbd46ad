package org.isentropic.figures.charts;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.awt.Color;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashSet;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import javax.imageio.ImageIO;

/** Checks on written figures that do not compare pixels: existence, size, non-blankness, series count. */
public final class ImageChecks {

    /** A figure counts as non-blank when at least this share of its pixels is not the background. */
    static final double MIN_INK = 0.01;

    private ImageChecks() {
    }

    /** The PNG exists, has the given pixel size, and has ink (pixels other than the corner colour). */
    public static void assertPng(Path png, int width, int height) throws IOException {
        assertTrue(Files.isRegularFile(png), png + " missing");
        BufferedImage img = ImageIO.read(png.toFile());
        assertEquals(width, img.getWidth(), png + " width");
        assertEquals(height, img.getHeight(), png + " height");
        int background = img.getRGB(0, 0);
        long ink = 0;
        Set<Integer> colours = new HashSet<>();
        for (int y = 0; y < img.getHeight(); y += 2) {
            for (int x = 0; x < img.getWidth(); x += 2) {
                int c = img.getRGB(x, y);
                colours.add(c);
                if (c != background) {
                    ink++;
                }
            }
        }
        double share = ink / ((img.getWidth() / 2.0) * (img.getHeight() / 2.0));
        assertTrue(share >= MIN_INK, png + " looks blank: " + share + " of pixels differ from the background");
        assertTrue(colours.size() >= 8, png + " has only " + colours.size() + " colours");
    }

    /** The PNG of a chart of the given size in points (scaled to {@link ChartFiles#DPI}). */
    public static void assertChartPng(Path png, int widthPt, int heightPt) throws IOException {
        assertPng(png, ChartFiles.pixels(widthPt), ChartFiles.pixels(heightPt));
    }

    /**
     * The number of series drawn in an SVG written by {@link ChartFiles}: the distinct {@link Palette}
     * colours used as strokes (each series' line and legend sample carries its colour; the axes and grid
     * are grey).
     */
    public static int svgSeriesCount(Path svg) throws IOException {
        String text = Files.readString(svg, StandardCharsets.UTF_8);
        Set<Integer> palette = new HashSet<>();
        for (Color c : Palette.colors()) {
            palette.add(c.getRGB() & 0xFFFFFF);
        }
        Set<Integer> used = new HashSet<>();
        Matcher m = Pattern.compile("stroke:rgb\\((\\d+),(\\d+),(\\d+)\\)").matcher(text);
        while (m.find()) {
            int rgb = (Integer.parseInt(m.group(1)) << 16) | (Integer.parseInt(m.group(2)) << 8)
                    | Integer.parseInt(m.group(3));
            if (palette.contains(rgb)) {
                used.add(rgb);
            }
        }
        return used.size();
    }

    /** The number of embedded raster images in an SVG (heat maps and colour bars). */
    public static int svgImageCount(Path svg) throws IOException {
        String text = Files.readString(svg, StandardCharsets.UTF_8);
        int count = 0;
        for (int i = text.indexOf("<image"); i >= 0; i = text.indexOf("<image", i + 1)) {
            count++;
        }
        return count;
    }
}
