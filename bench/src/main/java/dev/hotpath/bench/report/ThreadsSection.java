package dev.hotpath.bench.report;

import java.io.IOException;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.TreeSet;

import static dev.hotpath.bench.report.Report.*;

/** "## Thread scaling" (family {@code threads}). */
final class ThreadsSection extends Section {
    ThreadsSection(ReportContext c) {
        super(c);
    }

    @Override
    void write() throws IOException {
        threads(out);
    }

    private void threads(Path out) throws IOException {
        md.append("## Thread scaling\n\n");
        List<Row> t = select("threads", null);
        if (t.isEmpty()) {
            md.append("Not measured.\n\n");
            return;
        }
        Map<String, TreeMap<Integer, Double>> times = new LinkedHashMap<>();
        String unit = t.get(0).unit();
        long size = t.get(0).size();
        for (Row r : t) {
            times.computeIfAbsent(r.kernel() + " " + r.implementation(), k -> new TreeMap<>()).put(r.threads(), r.score());
        }
        TreeSet<Integer> counts = new TreeSet<>();
        times.values().forEach(m -> counts.addAll(m.keySet()));
        md.append("Size ").append(size(size)).append("; time per call, and speedup over one thread.\n\n| kernel |");
        counts.forEach(c -> md.append(" ").append(c).append(c == 1 ? " thread |" : " threads |"));
        md.append("\n|---|").append("---|".repeat(counts.size())).append("\n");
        Map<String, TreeMap<Integer, Double>> speedups = new LinkedHashMap<>();
        for (Map.Entry<String, TreeMap<Integer, Double>> e : times.entrySet()) {
            md.append("| ").append(e.getKey()).append(" |");
            Double one = e.getValue().get(counts.first());
            TreeMap<Integer, Double> sp = new TreeMap<>();
            for (int c : counts) {
                Double v = e.getValue().get(c);
                md.append(" ").append(v == null ? "-" : time(v, unit) + (one == null ? "" : " (" + x(one / v) + ")"))
                        .append(" |");
                if (v != null && one != null) {
                    sp.put(c, one / v);
                }
            }
            speedups.put(e.getKey(), sp);
            md.append("\n");
        }
        md.append("\nOn a 2-core machine shared with other work the second core is not always free; "
                + "a memory-bound kernel stops scaling once memory bandwidth is the limit.\n\n");
        Charts.threads(out.resolve("threads.png"), "Thread scaling at " + size(size) + " elements (JDK " + jdk + ")", speedups);
        addPlot("threads.png", "Thread scaling of the parallel kernels");
    }
}
