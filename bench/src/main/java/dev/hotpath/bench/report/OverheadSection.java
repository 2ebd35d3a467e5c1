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
        bridges();
    }

    /** Issue 17's goals for the FFM bridge, judged from FfmCallOverheadBenchmark's rows. */
    private static final double FFM_NOOP_VS_JNI = 0.5;
    private static final double FFM_ARRAY_NS = 10.0;
    private static final double FFM_EMPTY_SUM_VS_NOOP = 1.3;

    /**
     * FfmCallOverheadBenchmark's rows ({@code ./bench/run --jdk25}, JDK 22 or newer): each crossing
     * through FFM beside the same through JNI, in one JVM, with issue 17's goals.
     */
    private void bridges() {
        java.util.Map<String, java.util.List<Row>> byJdk = new java.util.TreeMap<>();
        for (Row r : rows) {
            if (r.family().equals("overhead") && !r.jdk().equals(jdk)) {
                byJdk.computeIfAbsent(r.jdk(), k -> new java.util.ArrayList<>()).add(r);
            }
        }
        for (java.util.Map.Entry<String, java.util.List<Row>> e : byJdk.entrySet()) {
            java.util.Map<String, Double> ns = new java.util.HashMap<>();
            // The benchmark's size parameter forks every method once per size; a call that takes no
            // array is measured three times, and its figure is their mean.
            java.util.Map<String, double[]> flat = new java.util.HashMap<>();
            md.append("### JDK ").append(e.getKey()).append(": FFM beside JNI\n\n`FfmCallOverheadBenchmark`, both bridges in one JVM "
                    + "(`-Dhotpath.bridge=ffm`). A call that takes no array appears once per value of the benchmark's size "
                    + "parameter: the spread between those rows is the run's noise.\n\n| call | size parameter | time |\n|---|---|---|\n");
            for (Row r : e.getValue()) {
                md.append("| ").append(describeOverhead(r)).append(" | ").append(size(r.size())).append(" | ")
                        .append(time(r.score(), r.unit())).append(" ± ").append(time(r.error(), r.unit())).append(" |\n");
                ns.put(r.kernel() + "@" + r.size(), toNs(r.score(), r.unit()));
                double[] sum = flat.computeIfAbsent(r.kernel(), k -> new double[2]);
                sum[0] += toNs(r.score(), r.unit());
                sum[1]++;
            }
            Double ffm = mean(flat.get("rawNoopFfm"));
            Double jni = mean(flat.get("rawNoopJni"));
            Double empty = mean(flat.get("emptySum"));
            md.append("\n| goal | measured | verdict |\n|---|---|---|\n");
            md.append("| an FFM no-op at most ").append(x(FFM_NOOP_VS_JNI)).append(" a JNI no-op | ")
                    .append(ffm == null || jni == null ? "not measured | **unknown**"
                            : ns(ffm) + " vs " + ns(jni) + " = **" + x(ffm / jni) + "** | "
                                    + (ffm / jni <= FFM_NOOP_VS_JNI ? "met" : "**MISSED**")).append(" |\n");
            Double worst = null;
            for (java.util.Map.Entry<String, Double> n : ns.entrySet()) {
                if (n.getKey().startsWith("passArrayFfm@") && (worst == null || n.getValue() > worst)) {
                    worst = n.getValue();
                }
            }
            md.append("| passing a heap array of any size at most ").append(fmt(FFM_ARRAY_NS)).append(" ns | ")
                    .append(worst == null ? "not measured | **unknown**"
                            : "worst " + ns(worst) + " | " + (worst <= FFM_ARRAY_NS ? "met" : "**MISSED**")).append(" |\n");
            md.append("| the public empty `Numeric.sum` at most ").append(x(FFM_EMPTY_SUM_VS_NOOP)).append(" a raw FFM no-op | ")
                    .append(empty == null || ffm == null ? "not measured | **unknown**"
                            : ns(empty) + " = **" + x(empty / ffm) + "** | " + (empty / ffm <= FFM_EMPTY_SUM_VS_NOOP ? "met" : "**MISSED**"))
                    .append(" |\n\n");
        }
    }

    private static Double mean(double[] sumAndCount) {
        return sumAndCount == null || sumAndCount[1] == 0 ? null : sumAndCount[0] / sumAndCount[1];
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
            case "rawNoopFfm": return "raw FFM no-op (critical downcall)";
            case "noopFfm": return "hotpath's FFM wrapper, no work";
            case "rawNoopJni": return "raw JNI no-op";
            case "noopJni": return "hotpath's JNI wrapper, no work";
            case "passArrayFfm": return "FFM: pass a long[" + size(r.size()) + "] as a heap segment";
            case "passArrayReadFfm": return "FFM: pass a long[" + size(r.size()) + "] and read one element";
            case "passArrayReadJni": return "JNI: pass a long[" + size(r.size()) + "], pin it and read one element";
            case "pinAndReleaseJni": return "JNI: pin + release " + size(r.size()) + " longs";
            default: return r.kernel() + (r.size() > 0 ? " " + size(r.size()) : "");
        }
    }
}
