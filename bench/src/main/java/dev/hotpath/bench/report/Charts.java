package dev.hotpath.bench.report;

import java.awt.BasicStroke;
import java.awt.Color;
import java.awt.Font;
import java.awt.Graphics2D;
import java.awt.Paint;
import java.awt.geom.Ellipse2D;
import java.awt.geom.Rectangle2D;
import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.jfree.chart.ChartUtils;
import org.jfree.chart.JFreeChart;
import org.jfree.chart.annotations.AbstractXYAnnotation;
import org.jfree.chart.annotations.XYTextAnnotation;
import org.jfree.chart.axis.CategoryAxis;
import org.jfree.chart.axis.CategoryLabelPositions;
import org.jfree.chart.axis.LogAxis;
import org.jfree.chart.axis.LogarithmicAxis;
import org.jfree.chart.axis.NumberAxis;
import org.jfree.chart.axis.ValueAxis;
import org.jfree.chart.plot.CategoryPlot;
import org.jfree.chart.plot.PlotRenderingInfo;
import org.jfree.chart.plot.ValueMarker;
import org.jfree.chart.plot.XYPlot;
import org.jfree.chart.renderer.category.BarRenderer;
import org.jfree.chart.renderer.category.StandardBarPainter;
import org.jfree.chart.renderer.xy.XYLineAndShapeRenderer;
import org.jfree.chart.title.TextTitle;
import org.jfree.chart.ui.TextAnchor;
import org.jfree.data.category.DefaultCategoryDataset;
import org.jfree.data.xy.XYSeries;
import org.jfree.data.xy.XYSeriesCollection;

/** The report's PNG plots, drawn headless with JFreeChart. */
final class Charts {
    private static final int WIDTH = 1000;
    private static final int HEIGHT = 620;
    private static final Paint[] PALETTE = {
        new Color(0x1f77b4), new Color(0xd62728), new Color(0x2ca02c), new Color(0xff7f0e),
        new Color(0x9467bd), new Color(0x8c564b), new Color(0xe377c2), new Color(0x17becf),
        new Color(0x7f7f7f), new Color(0xbcbd22),
    };

    private Charts() {
    }

    /** Speedup of native over the JVM twin against size, one line per kernel, crossovers circled. */
    static void speedup(Path file, String family, List<Sweep> sweeps, String jdk) throws IOException {
        XYSeriesCollection data = new XYSeriesCollection();
        for (Sweep s : sweeps) {
            XYSeries series = new XYSeries(s.kernel);
            for (long size : s.sizes()) {
                if (size > 0) {
                    series.add(size, s.speedup(size));
                }
            }
            data.addSeries(series);
        }
        LogAxis x = sizeAxis();
        ValueAxis y = logAxis("speedup: JVM twin time / native time (above 1: native faster, log scale)");
        XYLineAndShapeRenderer renderer = new XYLineAndShapeRenderer(true, true);
        XYPlot plot = new XYPlot(data, x, y, renderer);
        style(plot, renderer, sweeps.size());
        ValueMarker even = new ValueMarker(1.0, Color.BLACK, new BasicStroke(1.5f, BasicStroke.CAP_BUTT,
                BasicStroke.JOIN_MITER, 10f, new float[] {6f, 4f}, 0f));
        even.setLabel("break-even");
        even.setLabelAnchor(org.jfree.chart.ui.RectangleAnchor.TOP_LEFT);
        even.setLabelTextAnchor(TextAnchor.BOTTOM_LEFT);
        plot.addRangeMarker(even);
        for (int i = 0; i < sweeps.size(); i++) {
            Sweep s = sweeps.get(i);
            Long c = s.crossover();
            if (c == null || c <= 0) {
                continue;
            }
            Paint paint = PALETTE[i % PALETTE.length];
            plot.addAnnotation(new CrossoverMarker(c, s.speedup(c), paint));
            XYTextAnnotation label = new XYTextAnnotation("  " + s.kernel + " crossover " + Report.size(c), c,
                    s.speedup(c));
            label.setTextAnchor(TextAnchor.CENTER_LEFT);
            label.setPaint(paint);
            label.setFont(new Font(Font.SANS_SERIF, Font.PLAIN, 11));
            plot.addAnnotation(label);
        }
        JFreeChart chart = new JFreeChart("Family " + family + ": native speedup over the JVM twin (JDK " + jdk + ")",
                JFreeChart.DEFAULT_TITLE_FONT, plot, true);
        chart.addSubtitle(new TextTitle("circle = crossover: the smallest size from which native stays faster"));
        save(chart, file);
    }

    /** Time per element of every implementation of one kernel against size. */
    static void implementations(Path file, Sweep s, String jdk) throws IOException {
        XYSeriesCollection data = new XYSeriesCollection();
        for (Map.Entry<String, TreeMap<Long, Double>> e : s.times.entrySet()) {
            XYSeries series = new XYSeries(e.getKey() + (e.getKey().contains("Incubator") ? " (incubator module)" : ""));
            for (Map.Entry<Long, Double> p : e.getValue().entrySet()) {
                if (p.getKey() > 0) {
                    series.add((double) p.getKey(), p.getValue() / p.getKey());
                }
            }
            data.addSeries(series);
        }
        ValueAxis y = logAxis("time per element (" + s.unit.replace("/op", "") + ", lower is better, log scale)");
        XYLineAndShapeRenderer renderer = new XYLineAndShapeRenderer(true, true);
        XYPlot plot = new XYPlot(data, sizeAxis(), y, renderer);
        style(plot, renderer, s.times.size());
        JFreeChart chart = new JFreeChart(s.key() + ": every implementation (JDK " + jdk + ")",
                JFreeChart.DEFAULT_TITLE_FONT, plot, true);
        save(chart, file);
    }

    /** Grouped bars on a log axis: categories along x, one bar per series. */
    static void bars(Path file, String title, String valueLabel, DefaultCategoryDataset data, boolean log)
            throws IOException {
        bars(file, title, valueLabel, data, log, PALETTE);
    }

    /** Blues for native's series, oranges for the JVM's, lightest for the lowest percentile. */
    static final Paint[] NATIVE_JVM = {
        new Color(0x9ecae1), new Color(0x4292c6), new Color(0x08519c),
        new Color(0xfdae6b), new Color(0xf16913), new Color(0xa63603),
    };

    static void bars(Path file, String title, String valueLabel, DefaultCategoryDataset data, boolean log,
                     Paint[] palette) throws IOException {
        CategoryAxis x = new CategoryAxis();
        x.setCategoryLabelPositions(CategoryLabelPositions.UP_45);
        BarRenderer renderer = new BarRenderer();
        renderer.setBarPainter(new StandardBarPainter());
        renderer.setShadowVisible(false);
        renderer.setItemMargin(0.02);
        ValueAxis y;
        if (log) {
            y = logAxis(valueLabel);
        } else {
            y = new NumberAxis(valueLabel);
        }
        CategoryPlot plot = new CategoryPlot(data, x, y, renderer);
        plot.setBackgroundPaint(Color.WHITE);
        plot.setRangeGridlinePaint(Color.LIGHT_GRAY);
        for (int i = 0; i < data.getRowCount(); i++) {
            renderer.setSeriesPaint(i, palette[i % palette.length]);
        }
        JFreeChart chart = new JFreeChart(title, JFreeChart.DEFAULT_TITLE_FONT, plot, true);
        chart.setBackgroundPaint(Color.WHITE);
        save(chart, file);
    }

    /** Lines of y against thread count. */
    static void threads(Path file, String title, Map<String, TreeMap<Integer, Double>> series) throws IOException {
        XYSeriesCollection data = new XYSeriesCollection();
        for (Map.Entry<String, TreeMap<Integer, Double>> e : series.entrySet()) {
            XYSeries s = new XYSeries(e.getKey());
            for (Map.Entry<Integer, Double> p : e.getValue().entrySet()) {
                s.add(p.getKey(), p.getValue());
            }
            data.addSeries(s);
        }
        XYSeries ideal = new XYSeries("linear (ideal)");
        series.values().stream().flatMap(m -> m.keySet().stream()).distinct().sorted()
                .forEach(t -> ideal.add(t.doubleValue(), t.doubleValue()));
        data.addSeries(ideal);
        NumberAxis x = new NumberAxis("threads (hotpath.threads / ForkJoinPool size)");
        x.setStandardTickUnits(NumberAxis.createIntegerTickUnits());
        x.setAutoRangeIncludesZero(false);
        x.setLowerMargin(0.05);
        x.setUpperMargin(0.05);
        NumberAxis y = new NumberAxis("speedup over 1 thread");
        y.setAutoRangeIncludesZero(true);
        XYLineAndShapeRenderer renderer = new XYLineAndShapeRenderer(true, true);
        XYPlot plot = new XYPlot(data, x, y, renderer);
        style(plot, renderer, series.size());
        renderer.setSeriesPaint(series.size(), Color.GRAY);
        renderer.setSeriesStroke(series.size(), new BasicStroke(1.5f, BasicStroke.CAP_BUTT, BasicStroke.JOIN_MITER,
                10f, new float[] {6f, 4f}, 0f));
        renderer.setSeriesShapesVisible(series.size(), false);
        JFreeChart chart = new JFreeChart(title, JFreeChart.DEFAULT_TITLE_FONT, plot, true);
        save(chart, file);
    }

    /**
     * Latency against throughput, one line per series (points: x = answers per second, y = a
     * latency percentile in ms, log scale), with a dashed line at {@code limitMs}.
     */
    static void latencyCurves(Path file, String title, String yLabel, Map<String, List<double[]>> series, double limitMs)
            throws IOException {
        XYSeriesCollection data = new XYSeriesCollection();
        for (Map.Entry<String, List<double[]>> e : series.entrySet()) {
            XYSeries s = new XYSeries(e.getKey(), false, true);
            for (double[] p : e.getValue()) {
                if (p[1] > 0) {
                    s.add(p[0], p[1]);
                }
            }
            data.addSeries(s);
        }
        NumberAxis x = new NumberAxis("throughput (successful answers per second)");
        x.setAutoRangeIncludesZero(true);
        XYLineAndShapeRenderer renderer = new XYLineAndShapeRenderer(true, true);
        XYPlot plot = new XYPlot(data, x, logAxis(yLabel), renderer);
        style(plot, renderer, series.size());
        ValueMarker limit = new ValueMarker(limitMs, Color.GRAY, new BasicStroke(1.5f, BasicStroke.CAP_BUTT,
                BasicStroke.JOIN_MITER, 10f, new float[] {6f, 4f}, 0f));
        plot.addRangeMarker(limit);
        JFreeChart chart = new JFreeChart(title, JFreeChart.DEFAULT_TITLE_FONT, plot, true);
        save(chart, file);
    }

    /**
     * Lines of a rate against a count, both on log scales: one line per series, points
     * x -> y (the Vectors family's queries per second against collection size).
     */
    static void logLines(Path file, String title, String xLabel, String yLabel, Map<String, TreeMap<Long, Double>> series)
            throws IOException {
        XYSeriesCollection data = new XYSeriesCollection();
        for (Map.Entry<String, TreeMap<Long, Double>> e : series.entrySet()) {
            XYSeries s = new XYSeries(e.getKey());
            e.getValue().forEach((x, y) -> {
                if (y > 0) {
                    s.add(x.doubleValue(), y.doubleValue());
                }
            });
            data.addSeries(s);
        }
        XYLineAndShapeRenderer renderer = new XYLineAndShapeRenderer(true, true);
        XYPlot plot = new XYPlot(data, logAxis(xLabel), logAxis(yLabel), renderer);
        style(plot, renderer, series.size());
        JFreeChart chart = new JFreeChart(title, JFreeChart.DEFAULT_TITLE_FONT, plot, true);
        save(chart, file);
    }

    /** A base-10 log axis labelled with plain numbers (0.5, 1, 10, 100) rather than powers. */
    private static ValueAxis logAxis(String label) {
        LogarithmicAxis axis = new LogarithmicAxis(label);
        axis.setAllowNegativesFlag(false);
        axis.setStrictValuesFlag(false);
        axis.setAutoRangeNextLogFlag(false);
        return axis;
    }

    private static LogAxis sizeAxis() {
        LogAxis x = new LogAxis("input size (Backend.AUTO's unit: elements, bytes or signatures; log scale)");
        x.setBase(2);
        x.setSmallestValue(1);
        x.setNumberFormatOverride(new java.text.NumberFormat() {
            @Override
            public StringBuffer format(double number, StringBuffer to, java.text.FieldPosition pos) {
                return to.append(Report.size(Math.round(number)));
            }

            @Override
            public StringBuffer format(long number, StringBuffer to, java.text.FieldPosition pos) {
                return to.append(Report.size(number));
            }

            @Override
            public Number parse(String source, java.text.ParsePosition pos) {
                return null;
            }
        });
        return x;
    }

    private static void style(XYPlot plot, XYLineAndShapeRenderer renderer, int seriesCount) {
        plot.setBackgroundPaint(Color.WHITE);
        plot.setDomainGridlinePaint(Color.LIGHT_GRAY);
        plot.setRangeGridlinePaint(Color.LIGHT_GRAY);
        for (int i = 0; i < seriesCount; i++) {
            renderer.setSeriesPaint(i, PALETTE[i % PALETTE.length]);
            renderer.setSeriesStroke(i, new BasicStroke(2f));
        }
    }

    private static void save(JFreeChart chart, Path file) throws IOException {
        chart.setBackgroundPaint(Color.WHITE);
        ChartUtils.saveChartAsPNG(file.toFile(), chart, WIDTH, HEIGHT);
    }

    /** A ring around the crossover point, placed in data coordinates when drawn. */
    private static final class CrossoverMarker extends AbstractXYAnnotation {
        private static final long serialVersionUID = 1L;
        private final double x;
        private final double y;
        private final transient Paint paint;

        CrossoverMarker(double x, double y, Paint paint) {
            this.x = x;
            this.y = y;
            this.paint = paint;
        }

        @Override
        public void draw(Graphics2D g2, XYPlot plot, Rectangle2D dataArea, ValueAxis domainAxis, ValueAxis rangeAxis,
                         int rendererIndex, PlotRenderingInfo info) {
            double px = domainAxis.valueToJava2D(x, dataArea, plot.getDomainAxisEdge());
            double py = rangeAxis.valueToJava2D(y, dataArea, plot.getRangeAxisEdge());
            g2.setStroke(new BasicStroke(3f));
            g2.setPaint(paint);
            g2.draw(new Ellipse2D.Double(px - 9, py - 9, 18, 18));
        }
    }
}
