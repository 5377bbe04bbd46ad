package org.isentropic.figures.charts;

import java.awt.Color;
import java.awt.Font;
import java.util.Locale;
import org.knowm.xchart.AnnotationText;
import org.knowm.xchart.XYChart;
import org.knowm.xchart.XYChartBuilder;
import org.knowm.xchart.XYSeries;
import org.knowm.xchart.style.Styler;
import org.knowm.xchart.style.markers.SeriesMarkers;

/**
 * Factories for the project's XY charts: white background, legend outside the plot area (east), the
 * {@link Palette} colours, and a log2 length axis for sequence lengths.
 *
 * <p>Length axes: XChart's logarithmic axis labels decades (10, 100, 1000), not powers of two, so a
 * length chart plots {@code x = log2 n} on a linear axis and labels the integer ticks {@code 2^x}
 * (64, 128, ..., 4096). Add series with {@link #addLengthSeries}, which does the mapping.
 */
public final class Charts {

    /** Default chart size in points (the PNG is {@link ChartFiles#pixels} of it). */
    public static final int WIDTH = 760;
    public static final int HEIGHT = 440;

    private Charts() {
    }

    /** An XY chart with the house style; axis titles must carry units, e.g. "n (keys)". */
    public static XYChart xy(String title, String xTitle, String yTitle) {
        return xy(title, xTitle, yTitle, WIDTH, HEIGHT);
    }

    public static XYChart xy(String title, String xTitle, String yTitle, int width, int height) {
        XYChart chart = new XYChartBuilder().width(width).height(height).title(title)
                .xAxisTitle(xTitle).yAxisTitle(yTitle).build();
        var s = chart.getStyler();
        s.setChartBackgroundColor(Color.WHITE);
        s.setPlotBackgroundColor(Color.WHITE);
        s.setLegendPosition(Styler.LegendPosition.OutsideE);
        s.setLegendBorderColor(new Color(0xBBBBBB));
        s.setSeriesColors(Palette.colors());
        s.setChartTitleFont(new Font(Font.SANS_SERIF, Font.BOLD, 15));
        s.setAxisTitleFont(new Font(Font.SANS_SERIF, Font.PLAIN, 13));
        s.setAxisTickLabelsFont(new Font(Font.SANS_SERIF, Font.PLAIN, 11));
        s.setLegendFont(new Font(Font.SANS_SERIF, Font.PLAIN, 11));
        s.setMarkerSize(5);
        s.setErrorBarsColorSeriesColor(true);
        s.setPlotGridLinesColor(new Color(0xDDDDDD));
        return chart;
    }

    /**
     * A chart whose x axis is a sequence length on a log2 scale, labelled at powers of two.
     *
     * @param xTitle e.g. "n (keys per attention row)"
     * @param minLength smallest length shown (>= 1)
     * @param maxLength largest length shown (> minLength)
     */
    public static XYChart lengthChart(String title, String xTitle, String yTitle, int minLength, int maxLength) {
        if (minLength < 1 || maxLength <= minLength) {
            throw new IllegalArgumentException("length range must satisfy 1 <= min < max, got [" + minLength
                    + ", " + maxLength + "]");
        }
        XYChart chart = xy(title, xTitle, yTitle);
        chart.setCustomXAxisTickLabelsFormatter(Charts::powerOfTwoLabel);
        chart.getStyler().setXAxisMin(log2(minLength)).setXAxisMax(log2(maxLength));
        // XChart spaces ticks by this many points at least; small enough that every power of two gets its label
        // on a 9-octave axis beside a wide legend
        chart.getStyler().setXAxisTickMarkSpacingHint(34);
        return chart;
    }

    /** The tick label of {@code x = log2 n}: {@code 2^x} at integers, blank between them. */
    static String powerOfTwoLabel(double x) {
        double r = Math.rint(x);
        if (Math.abs(x - r) > 1e-9 || r < 0 || r > 62) {
            return "";
        }
        return Long.toString(1L << (long) r);
    }

    public static double log2(double n) {
        return Math.log(n) / Math.log(2.0);
    }

    /** Adds a series over lengths (mapped to log2), with markers at the data points and optional error bars. */
    public static XYSeries addLengthSeries(XYChart chart, String name, double[] lengths, double[] y, double[] err) {
        double[] x = new double[lengths.length];
        for (int i = 0; i < x.length; i++) {
            x[i] = log2(lengths[i]);
        }
        return addSeries(chart, name, x, y, err);
    }

    /** Adds a data series (solid line) to any XY chart; {@code err} may be null. */
    public static XYSeries addSeries(XYChart chart, String name, double[] x, double[] y, double[] err) {
        XYSeries s = err == null ? chart.addSeries(name, x, y) : chart.addSeries(name, x, y, err);
        s.setLineStyle(Palette.solid());
        if (x.length > 24) {
            s.setMarker(SeriesMarkers.NONE);
        }
        return s;
    }

    /** A horizontal reference line from {@code x0} to {@code x1} drawn dashed, listed in the legend. */
    public static XYSeries addHorizontalReference(XYChart chart, String name, double y, double x0, double x1) {
        XYSeries s = chart.addSeries(name, new double[] {x0, x1}, new double[] {y, y});
        s.setMarker(SeriesMarkers.NONE);
        s.setLineStyle(Palette.dashed());
        return s;
    }

    /** A vertical reference line at {@code x} from {@code y0} to {@code y1}, dashed, listed in the legend. */
    public static XYSeries addVerticalReference(XYChart chart, String name, double x, double y0, double y1) {
        XYSeries s = chart.addSeries(name, new double[] {x, x}, new double[] {y0, y1});
        s.setMarker(SeriesMarkers.NONE);
        s.setLineStyle(Palette.dashed());
        return s;
    }

    /** Makes a series a dashed reference line, with or without markers at its points; returns it. */
    public static XYSeries dashed(XYSeries s, boolean markers) {
        s.setLineStyle(Palette.dashed());
        s.setMarker(markers ? SeriesMarkers.DIAMOND : SeriesMarkers.NONE);
        return s;
    }

    /** A small text label at data coordinates (e.g. "N = 64" beside the training-length line). */
    public static void label(XYChart chart, String text, double x, double y) {
        chart.addAnnotation(new AnnotationText(text, x, y, false));
    }

    /** A number as short as it can be written exactly to 4 significant digits: 8, 32, 0.35, 1.392. */
    public static String compact(double v) {
        if (v == Math.rint(v) && Math.abs(v) < 1e15) {
            return Long.toString((long) v);
        }
        return new java.math.BigDecimal(v).round(new java.math.MathContext(4)).stripTrailingZeros().toPlainString();
    }

    /** Formats a number for labels and readings: 4 significant digits, no exponent for usual ranges. */
    public static String num(double v) {
        if (!Double.isFinite(v)) {
            return String.valueOf(v);
        }
        double a = Math.abs(v);
        if (a != 0 && (a < 1e-3 || a >= 1e6)) {
            return String.format(Locale.ROOT, "%.3e", v);
        }
        return String.format(Locale.ROOT, a >= 100 ? "%.1f" : a >= 10 ? "%.2f" : "%.3f", v);
    }
}
