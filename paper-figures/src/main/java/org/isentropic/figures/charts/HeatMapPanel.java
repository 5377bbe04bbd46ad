package org.isentropic.figures.charts;

import java.awt.BasicStroke;
import java.awt.Color;
import java.awt.Font;
import java.awt.FontMetrics;
import java.awt.Graphics2D;
import java.awt.RenderingHints;
import java.awt.geom.AffineTransform;
import java.awt.image.BufferedImage;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import org.knowm.xchart.internal.chartpart.IChart;

/**
 * A row of square heat maps (e.g. attention maps, rows = queries, columns = keys) with one shared colour
 * bar, drawn with plain Java2D so that the same painting goes to a PNG ({@link ChartFiles}) and to an
 * SVG (VectorGraphics2D, where each map becomes one embedded image).
 *
 * <p>Values are shown on a log10 scale clipped below at {@code floor} (probabilities span many orders of
 * magnitude; a linear scale would show only the diagonal). Colours run through a viridis-like ramp.
 */
public final class HeatMapPanel implements IChart {

    /** One map: an {@code size x size} matrix, row-major {@code values[r * size + c]}, and its caption. */
    public record Map(String caption, int size, double[] values) {
        public Map {
            if (size < 1 || values.length != size * size) {
                throw new IllegalArgumentException("map '" + caption + "': values has " + values.length
                        + " entries, expected size^2 = " + ((long) size * size));
            }
        }
    }

    private static final int[] RAMP = {0x440154, 0x414487, 0x2A788E, 0x22A884, 0x7AD151, 0xFDE725};
    private static final int MARGIN = 16;
    private static final int TITLE_H = 30;
    private static final int CAPTION_H = 22;
    private static final int AXIS_H = 34;
    private static final int BAR_W = 92;

    private final String title;
    private final String xTitle;
    private final String yTitle;
    private final String barTitle;
    private final double floor;
    private final List<Map> maps = new ArrayList<>();
    private final int panelSize;

    /**
     * @param panelSize side of each map in points
     * @param floor     smallest value shown, > 0 (values below are drawn at the floor colour)
     */
    public HeatMapPanel(String title, String xTitle, String yTitle, String barTitle, int panelSize, double floor) {
        if (panelSize < 40) {
            throw new IllegalArgumentException("panelSize must be >= 40 pt, got " + panelSize);
        }
        if (!(floor > 0) || floor >= 1) {
            throw new IllegalArgumentException("floor must be in (0, 1), got " + floor);
        }
        this.title = title;
        this.xTitle = xTitle;
        this.yTitle = yTitle;
        this.barTitle = barTitle;
        this.panelSize = panelSize;
        this.floor = floor;
    }

    public HeatMapPanel add(Map map) {
        maps.add(map);
        return this;
    }

    @Override
    public int getWidth() {
        int n = Math.max(1, maps.size());
        return MARGIN + AXIS_H + n * panelSize + (n - 1) * MARGIN + MARGIN + BAR_W;
    }

    @Override
    public int getHeight() {
        return TITLE_H + CAPTION_H + panelSize + AXIS_H + MARGIN;
    }

    @Override
    public String getTitle() {
        return title;
    }

    @Override
    public void paint(Graphics2D g, int width, int height) {
        g.setRenderingHint(RenderingHints.KEY_TEXT_ANTIALIASING, RenderingHints.VALUE_TEXT_ANTIALIAS_ON);
        g.setRenderingHint(RenderingHints.KEY_ANTIALIASING, RenderingHints.VALUE_ANTIALIAS_ON);
        g.setColor(Color.WHITE);
        g.fillRect(0, 0, width, height);
        g.setColor(Color.BLACK);
        g.setFont(new Font(Font.SANS_SERIF, Font.BOLD, 15));
        centered(g, title, width / 2.0, 20);

        double logFloor = Math.log10(floor);
        int top = TITLE_H + CAPTION_H;
        Font small = new Font(Font.SANS_SERIF, Font.PLAIN, 11);
        for (int m = 0; m < maps.size(); m++) {
            Map map = maps.get(m);
            int left = MARGIN + AXIS_H + m * (panelSize + MARGIN);
            BufferedImage img = new BufferedImage(map.size(), map.size(), BufferedImage.TYPE_INT_RGB);
            for (int r = 0; r < map.size(); r++) {
                for (int c = 0; c < map.size(); c++) {
                    double v = map.values()[r * map.size() + c];
                    double t = (Math.log10(Math.max(v, floor)) - logFloor) / -logFloor;
                    img.setRGB(c, r, ramp(Math.min(1.0, Math.max(0.0, t))));
                }
            }
            g.setRenderingHint(RenderingHints.KEY_INTERPOLATION, RenderingHints.VALUE_INTERPOLATION_NEAREST_NEIGHBOR);
            g.drawImage(img, left, top, panelSize, panelSize, null);
            g.setColor(Color.GRAY);
            g.setStroke(new BasicStroke(1f));
            g.drawRect(left, top, panelSize, panelSize);
            g.setColor(Color.BLACK);
            g.setFont(new Font(Font.SANS_SERIF, Font.BOLD, 12));
            centered(g, map.caption(), left + panelSize / 2.0, top - 7);
            g.setFont(small);
            g.drawString("0", left, top + panelSize + 13);
            String last = Integer.toString(map.size() - 1);
            g.drawString(last, left + panelSize - g.getFontMetrics().stringWidth(last), top + panelSize + 13);
            centered(g, xTitle, left + panelSize / 2.0, top + panelSize + 27);
            if (m == 0) {
                AffineTransform saved = g.getTransform();
                g.translate(MARGIN + 12, top + panelSize / 2.0);
                g.rotate(-Math.PI / 2);
                centered(g, yTitle, 0, 0);
                g.setTransform(saved);
            }
        }
        paintColourBar(g, width - BAR_W + 8, top, panelSize, logFloor, small);
    }

    private void paintColourBar(Graphics2D g, int x, int top, int h, double logFloor, Font font) {
        int w = 14;
        BufferedImage bar = new BufferedImage(1, 256, BufferedImage.TYPE_INT_RGB);
        for (int i = 0; i < 256; i++) {
            bar.setRGB(0, i, ramp(1.0 - i / 255.0));
        }
        g.drawImage(bar, x, top, w, h, null);
        g.setColor(Color.GRAY);
        g.drawRect(x, top, w, h);
        g.setColor(Color.BLACK);
        g.setFont(font);
        int decades = (int) Math.round(-logFloor);
        for (int k = 0; k <= decades; k++) {
            double t = k / (double) decades;
            int y = (int) Math.round(top + h - t * h);
            g.drawLine(x + w, y, x + w + 3, y);
            String label = k == decades ? "1" : String.format(Locale.ROOT, "1e%d", (int) Math.round(logFloor + k));
            g.drawString(label, x + w + 5, y + 4);
        }
        AffineTransform saved = g.getTransform();
        g.translate(x + w + 58, top + h / 2.0);
        g.rotate(-Math.PI / 2);
        centered(g, barTitle, 0, 0);
        g.setTransform(saved);
    }

    private static void centered(Graphics2D g, String text, double cx, double baseline) {
        FontMetrics fm = g.getFontMetrics();
        g.drawString(text, (float) (cx - fm.stringWidth(text) / 2.0), (float) baseline);
    }

    /** The ramp colour at {@code t} in [0, 1], linear between the anchors. */
    static int ramp(double t) {
        double pos = t * (RAMP.length - 1);
        int i = Math.min(RAMP.length - 2, (int) Math.floor(pos));
        double f = pos - i;
        int a = RAMP[i];
        int b = RAMP[i + 1];
        int r = (int) Math.round(((a >> 16) & 255) * (1 - f) + ((b >> 16) & 255) * f);
        int gr = (int) Math.round(((a >> 8) & 255) * (1 - f) + ((b >> 8) & 255) * f);
        int bl = (int) Math.round((a & 255) * (1 - f) + (b & 255) * f);
        return (r << 16) | (gr << 8) | bl;
    }
}
