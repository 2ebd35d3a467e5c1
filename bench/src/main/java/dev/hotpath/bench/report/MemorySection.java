package dev.hotpath.bench.report;

import java.io.IOException;
import java.util.List;
import java.util.Locale;

import static dev.hotpath.bench.report.Report.*;

/** "## Memory": peak RSS per backend (family {@code rss}). */
final class MemorySection extends Section {
    MemorySection(ReportContext c) {
        super(c);
    }

    @Override
    void write() throws IOException {
        memory();
    }

    private void memory() {
        md.append("## Memory\n\nPeak resident set (`VmHWM`) of a fresh process doing the same job: sum, stats and "
                + "scale over 16 Mi-element arrays (256 MiB of input), ten rounds; median of three processes.\n\n");
        List<Row> m = select("rss", null);
        if (m.isEmpty()) {
            md.append("Not measured.\n\n");
            return;
        }
        Double loop = m.stream().filter(r -> r.implementation().equals("loop")).map(Row::score).findFirst().orElse(null);
        md.append("| backend | peak RSS | vs plain loops |\n|---|---|---|\n");
        for (Row r : m) {
            md.append("| ").append(r.implementation()).append(" | ").append(fmt(r.score())).append(" ").append(r.unit())
                    .append(" | ").append(loop == null ? "-" : String.format(Locale.ROOT, "%+.1f %s", r.score() - loop, r.unit()))
                    .append(" |\n");
        }
        md.append("\n");
    }
}
