package dev.hotpath.bench.report;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Properties;
import java.util.stream.Collectors;

/** What every section writer of one report shares: the rows, the Markdown being written, the plots. */
final class ReportContext {
    final List<Row> rows;
    final Properties machine;
    /** The JDK most rows ran on; sections show its rows unless they say otherwise. */
    final String jdk;
    final List<Sweep> sweeps;
    final StringBuilder md = new StringBuilder();
    /** Markdown image lines, in the order the sections made their plots, for "## Plots". */
    final List<String> plots = new ArrayList<>();
    final Path out;

    ReportContext(List<Row> rows, Properties machine, String jdk, Path out) {
        this.rows = rows;
        this.machine = machine;
        this.jdk = jdk;
        this.sweeps = Sweep.of(rows, jdk);
        this.out = out;
    }

    /** The main JDK's rows of {@code family} (and {@code kernel}, unless null). */
    List<Row> select(String family, String kernel) {
        return rows.stream().filter(r -> r.family().equals(family) && r.jdk().equals(jdk)
                && (kernel == null || r.kernel().equals(kernel))).collect(Collectors.toList());
    }

    /** A call-overhead figure in ns, or null where not measured. */
    Double overheadScore(String kernel, long size) {
        return select("overhead", kernel).stream().filter(r -> r.size() == size)
                .map(r -> Report.toNs(r.score(), r.unit())).findFirst().orElse(null);
    }

    void addPlot(String file, String caption) {
        plots.add("![" + caption + "](" + file + ")");
    }
}
