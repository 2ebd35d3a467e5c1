package dev.hotpath.bench.report;

import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import java.util.Properties;

/**
 * One "## ..." section of REPORT.md, in a class of its own so that a family's section and its
 * goals change without touching the others. It appends to the shared Markdown and says "Not
 * measured." when its rows are missing, so a partial run still gives a readable report.
 */
abstract class Section {
    protected final ReportContext context;
    protected final List<Row> rows;
    protected final Properties machine;
    protected final String jdk;
    protected final List<Sweep> sweeps;
    protected final StringBuilder md;
    /** The "## Plots" section's lines, for a plot whose line is more than {@link #addPlot}'s. */
    protected final List<String> plots;
    protected final Path out;

    Section(ReportContext context) {
        this.context = context;
        this.rows = context.rows;
        this.machine = context.machine;
        this.jdk = context.jdk;
        this.sweeps = context.sweeps;
        this.md = context.md;
        this.plots = context.plots;
        this.out = context.out;
    }

    /** Appends the section, plots written into {@link #out}. */
    abstract void write() throws IOException;

    protected final List<Row> select(String family, String kernel) {
        return context.select(family, kernel);
    }

    protected final Double overheadScore(String kernel, long size) {
        return context.overheadScore(kernel, size);
    }

    protected final void addPlot(String file, String caption) {
        context.addPlot(file, caption);
    }
}
