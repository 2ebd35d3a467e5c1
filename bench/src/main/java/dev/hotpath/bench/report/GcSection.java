package dev.hotpath.bench.report;

import java.io.IOException;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import org.jfree.data.category.DefaultCategoryDataset;

import static dev.hotpath.bench.report.Report.*;

/** "## GC impact": an allocating thread's tail beside a large kernel (family {@code gc}). */
final class GcSection extends Section {
    GcSection(ReportContext c) {
        super(c);
    }

    @Override
    void write() throws IOException {
        gc(out);
    }

    private void gc(Path out) throws IOException {
        md.append("## GC impact\n\nLatency of a second thread that allocates (1 KiB arrays, 4 MiB kept live) while the "
                + "first sums 16 Mi longs over and over: natively (pinned 512 Ki elements at a time), on the JVM twin "
                + "(same CPU use, no pinning), or alone. hotpath's pool is one thread here so each thread has a core.\n\n");
        List<Row> g = select("gc", null);
        if (g.isEmpty()) {
            md.append("Not measured.\n\n");
            return;
        }
        Map<String, Map<String, Double>> table = new LinkedHashMap<>();
        String unit = g.get(0).unit().split(" ")[0];
        for (Row r : g) {
            String collector = r.kernel().contains("@") ? r.kernel().substring(r.kernel().indexOf('@') + 1) : r.kernel();
            table.computeIfAbsent(collector + "|" + r.implementation(), k -> new HashMap<>())
                    .put(r.unit().split(" ")[1], r.score());
        }
        md.append("| collector | partner thread | allocator P50 | allocator P99 | allocator P99.9 |\n|---|---|---|---|---|\n");
        DefaultCategoryDataset data = new DefaultCategoryDataset();
        for (Map.Entry<String, Map<String, Double>> e : table.entrySet()) {
            String[] k = e.getKey().split("\\|");
            Map<String, Double> v = e.getValue();
            md.append("| ").append(k[0]).append(" | ").append(partner(k[1])).append(" | ")
                    .append(fmtOr(v.get("p50"))).append(" ").append(unit).append(" | ")
                    .append(fmtOr(v.get("p99"))).append(" ").append(unit).append(" | ")
                    .append(fmtOr(v.get("p99.9"))).append(" ").append(unit).append(" |\n");
            for (String p : new String[] {"p99", "p99.9"}) {
                if (v.get(p) != null) {
                    data.addValue(v.get(p), p, k[0] + ", " + partner(k[1]));
                }
            }
        }
        md.append("\n");
        Set<String> collectors = new TreeSet<>();
        table.keySet().forEach(k -> collectors.add(k.split("\\|")[0]));
        for (String c : collectors) {
            Map<String, Double> n = table.get(c + "|native");
            Map<String, Double> j = table.get(c + "|jvm");
            if (n != null && j != null && n.get("p99") != null && j.get("p99") != null) {
                double ratio = n.get("p99") / j.get("p99");
                md.append("- ").append(c).append(": the allocator's P99 beside a native kernel is ").append(x(ratio))
                        .append(" its P99 beside the JVM twin").append(ratio > 1.5
                                ? " - **native pinning stalls the allocating thread here**" : " - no stall worth noting")
                        .append(".\n");
            }
        }
        md.append("\n");
        Charts.bars(out.resolve("gc.png"), "Allocating thread's tail latency beside a large kernel (JDK " + jdk + ")",
                unit + " per allocation (log scale)", data, true);
        addPlot("gc.png", "GC impact: allocating thread P99/P99.9 per collector and partner");
    }

    private static String partner(String implementation) {
        switch (implementation) {
            case "native": return "native sum(long[16 Mi])";
            case "jvm": return "JVM twin sum(long[16 Mi])";
            case "alone": return "none (sleeps)";
            default: return implementation;
        }
    }
}
