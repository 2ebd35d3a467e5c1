package dev.hotpath.bench.report;

import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import org.jfree.data.category.DefaultCategoryDataset;

import static dev.hotpath.bench.report.Report.*;

/** "## Call overhead": the cost of crossing into Rust (family {@code overhead}). */
final class OverheadSection extends Section {
    OverheadSection(ReportContext c) {
        super(c);
    }

    @Override
    void write() throws IOException {
        overhead(out);
    }

    private void overhead(Path out) throws IOException {
        md.append("## Call overhead\n\n");
        Double raw = overheadScore("rawNoop", 0);
        Double noop = overheadScore("noop", 0);
        List<Row> oh = select("overhead", null);
        if (oh.isEmpty()) {
            md.append("Not measured.\n\n");
            return;
        }
        md.append("| call | time | vs raw JNI no-op | pin alone (minus the wrapper no-op) |\n|---|---|---|---|\n");
        DefaultCategoryDataset data = new DefaultCategoryDataset();
        for (Row r : oh) {
            String name = describeOverhead(r);
            md.append("| ").append(name).append(" | ").append(time(r.score(), r.unit())).append(" ± ")
                    .append(time(r.error(), r.unit())).append(" | ")
                    .append(raw == null ? "-" : x(r.score() / raw)).append(" | ")
                    .append(r.kernel().startsWith("pin") && noop != null ? time(r.score() - noop, r.unit()) : "")
                    .append(" |\n");
            data.addValue(toNs(r.score(), r.unit()), "ns per call", name);
        }
        md.append("\n");
        Charts.bars(out.resolve("overhead.png"), "Cost of crossing into Rust (JDK " + jdk + ")", "ns per call", data, true);
        addPlot("overhead.png", "Call overhead: Java call, raw JNI, hotpath's wrapper, public API, pinning");
    }

    private static String describeOverhead(Row r) {
        switch (r.kernel()) {
            case "javaCall": return "Java static call, not inlined";
            case "rawNoop": return "raw JNI no-op (no wrapper)";
            case "noop": return "hotpath wrapper, no work";
            case "emptySum": return "Numeric.sum(new long[0]), NATIVE";
            case "emptySumBridge": return "its native entry point alone, empty range";
            case "rawNoopArray": return "raw JNI no-op with sum's signature (long[], 3 ints, long)";
            case "pinAndRelease": return "pin + release " + size(r.size()) + " longs";
            default: return r.kernel() + (r.size() > 0 ? " " + size(r.size()) : "");
        }
    }
}
