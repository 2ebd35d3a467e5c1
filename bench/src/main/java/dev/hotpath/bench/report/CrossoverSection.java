package dev.hotpath.bench.report;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;

import static dev.hotpath.bench.report.Report.*;

/** "## Crossover": native's speedup over the twin per family and size, with a plot per family. */
final class CrossoverSection extends Section {
    CrossoverSection(ReportContext c) {
        super(c);
    }

    @Override
    void write() throws IOException {
        crossovers(sweeps, out);
    }

    private void crossovers(List<Sweep> sweeps, Path out) throws IOException {
        md.append("## Crossover\n\nSpeedup of native over the JVM twin at each size; **bold** from the crossover on. "
                + "Sizes are in the unit Backend.AUTO compares with the kernel's threshold: ").append(SIZE_UNITS)
                .append(".\n\n");
        if (sweeps.isEmpty()) {
            md.append("Not measured.\n\n");
            return;
        }
        Map<String, List<Sweep>> byFamily = new LinkedHashMap<>();
        sweeps.forEach(s -> byFamily.computeIfAbsent(s.family, k -> new ArrayList<>()).add(s));
        for (Map.Entry<String, List<Sweep>> e : byFamily.entrySet()) {
            md.append("### ").append(e.getKey()).append("\n\n");
            crossoverTable(e.getValue());
            String name = "speedup-" + e.getKey().replace('.', '-') + ".png";
            Charts.speedup(out.resolve(name), e.getKey(), e.getValue(), jdk);
            addPlot(name, "Family " + e.getKey() + ": speedup against size, crossovers circled");
        }
    }

    /** One family's crossover table: its own sizes as columns. */
    private void crossoverTable(List<Sweep> sweeps) {
        TreeSet<Long> all = new TreeSet<>();
        sweeps.forEach(s -> all.addAll(s.sizes()));
        md.append("| kernel | crossover |");
        all.forEach(size -> md.append(" ").append(size(size)).append(" |"));
        md.append("\n|---|---|").append("---|".repeat(all.size())).append("\n");
        for (Sweep s : sweeps) {
            Long c = s.crossover();
            md.append("| ").append(s.key()).append(" | ").append(c == null ? "never" : size(c)).append(" |");
            for (long size : all) {
                Double n = s.time("native", size);
                Double j = s.time("jvm", size);
                if (n == null || j == null) {
                    md.append(" - |");
                } else {
                    boolean won = c != null && size >= c;
                    md.append(" ").append(won ? "**" : "").append(x(j / n)).append(won ? "**" : "").append(" |");
                }
            }
            md.append("\n");
        }
        md.append("\n");
    }
}
