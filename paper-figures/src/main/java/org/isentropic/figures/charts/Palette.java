package org.isentropic.figures.charts;

import java.awt.BasicStroke;
import java.awt.Color;

/**
 * The series colours and strokes of every chart. The colours are distinct from each other and from the
 * greys XChart uses for axes and grid, so a series can be found in an SVG by its stroke colour.
 */
public final class Palette {

    private static final int[] RGB = {
        0x1F77B4, 0xD62728, 0x2CA02C, 0x9467BD, 0xFF7F0E, 0x8C564B,
        0xE377C2, 0x17BECF, 0xBCBD22, 0x393B79, 0xAD494A, 0x637939,
    };

    private Palette() {
    }

    /** Number of distinct series colours; a chart with more series repeats them. */
    public static int size() {
        return RGB.length;
    }

    /** The colour of series {@code i} (0-based), cycling after {@link #size()}. */
    public static Color color(int i) {
        if (i < 0) {
            throw new IllegalArgumentException("series index must be >= 0, got " + i);
        }
        return new Color(RGB[i % RGB.length]);
    }

    public static Color[] colors() {
        Color[] out = new Color[RGB.length];
        for (int i = 0; i < out.length; i++) {
            out[i] = color(i);
        }
        return out;
    }

    /** A solid line for data series. */
    public static BasicStroke solid() {
        return new BasicStroke(2.0f, BasicStroke.CAP_ROUND, BasicStroke.JOIN_ROUND);
    }

    /** A dashed line for reference lines (a closed form, a value at the training length). */
    public static BasicStroke dashed() {
        return new BasicStroke(1.6f, BasicStroke.CAP_BUTT, BasicStroke.JOIN_MITER, 10f, new float[] {7f, 4f}, 0f);
    }
}
