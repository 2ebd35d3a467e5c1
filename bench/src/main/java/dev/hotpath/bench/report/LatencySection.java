package dev.hotpath.bench.report;

import java.io.IOException;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.jfree.data.category.DefaultCategoryDataset;

import static dev.hotpath.bench.report.Report.*;

/** "## Latency": percentiles of one call per kernel (family {@code latency}). */
final class LatencySection extends Section {
    LatencySection(ReportContext c) {
        super(c);
    }

    @Override
    void write() throws IOException {
        latency(out);
    }

    private void latency(Path out) throws IOException {
        md.append("## Latency\n\nJMH SampleTime of one call at a mid-size input of each kernel; percentiles of the "
                + "call's time. A tail that is long on one side only (the native pool waking workers, a safepoint "
                + "waiting on a pinned array, the JVM's allocation) is what this shows.\n\n");
        List<Row> lat = select("latency", null);
        if (lat.isEmpty()) {
            md.append("Not measured.\n\n");
            return;
        }
        Map<String, Map<String, Double>> byKernel = new LinkedHashMap<>();
        Map<String, Long> sizes = new HashMap<>();
        String unit = lat.get(0).unit().split(" ")[0];
        for (Row r : lat) {
            byKernel.computeIfAbsent(r.kernel(), k -> new HashMap<>())
                    .put(r.implementation() + " " + r.unit().split(" ")[1], r.score());
            sizes.put(r.kernel(), r.size());
        }
        md.append("Times in ").append(unit).append("; sizes in Backend.AUTO's unit (").append(SIZE_UNITS).append(").\n\n");
        md.append("| kernel | size | native P50 | native P99 | native P99.9 | jvm P50 | jvm P99 | jvm P99.9 | P99 jvm/native |\n");
        md.append("|---|---|---|---|---|---|---|---|---|\n");
        DefaultCategoryDataset data = new DefaultCategoryDataset();
        for (Map.Entry<String, Map<String, Double>> e : byKernel.entrySet()) {
            Map<String, Double> v = e.getValue();
            md.append("| ").append(e.getKey()).append(" | ").append(size(sizes.get(e.getKey()))).append(" |");
            for (String impl : new String[] {"native", "jvm"}) {
                for (String p : new String[] {"p50", "p99", "p99.9"}) {
                    Double d = v.get(impl + " " + p);
                    md.append(" ").append(d == null ? "-" : fmt(d)).append(" |");
                    if (d != null) {
                        data.addValue(d, impl + " " + p, e.getKey());
                    }
                }
            }
            Double n = v.get("native p99");
            Double j = v.get("jvm p99");
            md.append(" ").append(n == null || j == null ? "-" : x(j / n)).append(" |\n");
        }
        md.append("\n");
        Charts.bars(out.resolve("latency.png"), "Latency percentiles at a mid-size input per kernel (JDK " + jdk + ")",
                unit + " per call (log scale)", data, true, Charts.NATIVE_JVM);
        addPlot("latency.png", "Latency percentiles per kernel, native and JVM");
    }
}
