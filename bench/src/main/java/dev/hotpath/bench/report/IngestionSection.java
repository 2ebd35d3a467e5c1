package dev.hotpath.bench.report;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.jfree.data.category.DefaultCategoryDataset;

/**
 * "Ingestion": {@code CsvBenchmark} (rows of family {@code csv}, kernel {@code read.<shape>},
 * size in input bytes): bytes to typed columns on hotpath's backends beside the JVM CSV libraries
 * a user would pick, as MB/s per implementation and shape, native's ratio over each, the heap
 * each read allocates ({@code -prof gc}) and native on one thread against the pool. Issue 13's
 * speed goals live here, beside the measurement they judge.
 */
final class IngestionSection extends Section {
    static final String TITLE = "## Ingestion";
    static final String FAMILY = "csv";

    /** Implementations in the order the tables show them: hotpath's, then the JVM libraries, fastest known first. */
    private static final List<String> ORDER = List.of("native", "nativeTyped", "nativeOneThread", "auto", "jvm", "fastcsv",
            "jackson", "univocity", "commonsCsv");
    private static final List<String> SHAPES = List.of("numeric", "mixed", "quoted");
    private static final double GOAL_NUMERIC_MB_S = 1000;
    /** Native over the FastCSV pipeline, per shape. */
    private static final Map<String, Double> GOAL_OVER_FASTCSV = Map.of("numeric", 4.0, "mixed", 4.0, "quoted", 2.0);

    /** Every JDK's csv rows. */
    private final List<Row> csv;

    IngestionSection(ReportContext c) {
        super(c);
        this.csv = rows.stream().filter(r -> r.family().equals(FAMILY)).toList();
    }

    @Override
    void write() throws IOException {
        md.append(TITLE).append("\n\n");
        md.append("`CsvBenchmark`: one whole read of a `byte[]` into typed columns, on seeded generated inputs: `numeric` "
                + "(4 LONG + 4 DOUBLE columns), `mixed` (those plus 2 STRING columns, a fifth of them quoted with "
                + "delimiters and line ends inside) and `quoted` (every field quoted). MB/s is input bytes (10^6) per "
                + "second of one read. hotpath: `native` (types inferred, chunks of 1 MiB on the pool), `nativeTyped` "
                + "(schema given), `nativeOneThread` (a fork with `hotpath.threads=1`), `jvm` (the twin). The JVM "
                + "libraries are given the schema and fill `long[]`, `double[]` and `String[]` columns "
                + "(`bench/.../CsvPipelines.java` says how each is driven): `fastcsv` is FastCSV's callback handler "
                + "with FastDoubleParser and `Long.parseLong` (no object per numeric field), `jackson` the streaming "
                + "CSV parser, `univocity` and `commonsCsv` their row APIs. The setup checks every implementation's "
                + "columns against hotpath's table.\n\n");
        List<Row> times = csv.stream().filter(r -> r.kernel().startsWith("read.") && isTime(r.unit())).toList();
        if (times.isEmpty()) {
            md.append("Not measured (`./bench/run` runs it; alone: `./bench/run --ingestion`).\n\n");
            return;
        }
        // shape -> size -> implementation -> MB/s, and the same for allocated bytes per input byte
        Map<String, TreeMap<Long, Map<String, Double>>> speed = new LinkedHashMap<>();
        Map<String, TreeMap<Long, Map<String, Double>>> alloc = new LinkedHashMap<>();
        for (Row r : csv) {
            if (!r.kernel().startsWith("read.") || r.size() <= 0) {
                continue;
            }
            String shape = r.kernel().substring("read.".length());
            if (isTime(r.unit())) {
                double seconds = Report.toNs(r.score(), r.unit()) / 1e9;
                speed.computeIfAbsent(shape, k -> new TreeMap<>()).computeIfAbsent(r.size(), k -> new LinkedHashMap<>())
                        .put(r.implementation(), r.size() / seconds / 1e6);
            } else if (r.unit().equals(JmhResults.ALLOCATION_UNIT)) {
                alloc.computeIfAbsent(shape, k -> new TreeMap<>()).computeIfAbsent(r.size(), k -> new LinkedHashMap<>())
                        .put(r.implementation(), r.score() / r.size());
            }
        }
        goals(md, speed);
        md.append("### MB/s per implementation (higher is better; the fastest in bold)\n\n");
        for (String shape : shapes(speed)) {
            List<String> impls = implementations(speed.get(shape));
            md.append("**").append(shape).append("**\n\n| input |");
            impls.forEach(i -> md.append(' ').append(i).append(" |"));
            md.append("\n|---|");
            impls.forEach(i -> md.append("---|"));
            md.append('\n');
            for (var bySize : speed.get(shape).entrySet()) {
                double best = bySize.getValue().values().stream().mapToDouble(Double::doubleValue).max().orElse(Double.NaN);
                md.append("| ").append(bytes(bySize.getKey())).append(" |");
                for (String i : impls) {
                    Double v = bySize.getValue().get(i);
                    String cell = v == null ? "-" : Report.fmt(v);
                    md.append(' ').append(v != null && v == best ? "**" + cell + "**" : cell).append(" |");
                }
                md.append('\n');
            }
            md.append('\n');
        }
        ratios(md, speed);
        allocation(md, alloc);
        threads(md, speed);
        plot(out, plots, speed);
    }

    private void goals(StringBuilder md, Map<String, TreeMap<Long, Map<String, Double>>> speed) {
        md.append("### Goals (issue 13, on 2 cores), at the largest input measured\n\n| goal | measured | verdict |\n|---|---|---|\n");
        TreeMap<Long, Map<String, Double>> numeric = speed.get("numeric");
        if (numeric != null && numeric.lastEntry().getValue().containsKey("native")) {
            double v = numeric.lastEntry().getValue().get("native");
            md.append("| native at least ").append(Report.fmt(GOAL_NUMERIC_MB_S)).append(" MB/s on numeric | ")
                    .append(Report.fmt(v)).append(" MB/s at ").append(bytes(numeric.lastKey())).append(" | ")
                    .append(v >= GOAL_NUMERIC_MB_S ? "met" : "missed").append(" |\n");
        } else {
            md.append("| native at least ").append(Report.fmt(GOAL_NUMERIC_MB_S)).append(" MB/s on numeric | not measured | - |\n");
        }
        for (String shape : SHAPES) {
            double goal = GOAL_OVER_FASTCSV.get(shape);
            TreeMap<Long, Map<String, Double>> s = speed.get(shape);
            String what = "native at least " + Report.x(goal) + " the FastCSV pipeline on " + shape;
            if (s == null || !s.lastEntry().getValue().containsKey("native") || !s.lastEntry().getValue().containsKey("fastcsv")) {
                md.append("| ").append(what).append(" | not measured | - |\n");
                continue;
            }
            Map<String, Double> at = s.lastEntry().getValue();
            double ratio = at.get("native") / at.get("fastcsv");
            md.append("| ").append(what).append(" | ").append(Report.fmt(at.get("native"))).append(" vs ")
                    .append(Report.fmt(at.get("fastcsv"))).append(" MB/s = **").append(Report.x(ratio)).append("** at ")
                    .append(bytes(s.lastKey())).append(" | ").append(ratio >= goal ? "met" : "missed").append(" |\n");
        }
        md.append('\n');
    }

    /** Native's speed over each other implementation, at each shape's largest input. */
    private void ratios(StringBuilder md, Map<String, TreeMap<Long, Map<String, Double>>> speed) {
        md.append("### native over each implementation (its MB/s / theirs), at the largest input\n\n| shape | input |");
        List<String> others = new ArrayList<>();
        for (String i : ORDER) {
            if (!i.equals("native") && speed.values().stream().anyMatch(s -> s.lastEntry().getValue().containsKey(i))) {
                others.add(i);
            }
        }
        others.forEach(i -> md.append(' ').append(i).append(" |"));
        md.append("\n|---|---|");
        others.forEach(i -> md.append("---|"));
        md.append('\n');
        for (String shape : shapes(speed)) {
            var last = speed.get(shape).lastEntry();
            Double nat = last.getValue().get("native");
            md.append("| ").append(shape).append(" | ").append(bytes(last.getKey())).append(" |");
            for (String i : others) {
                Double v = last.getValue().get(i);
                md.append(' ').append(nat == null || v == null ? "-" : Report.x(nat / v)).append(" |");
            }
            md.append('\n');
        }
        md.append('\n');
    }

    private void allocation(StringBuilder md, Map<String, TreeMap<Long, Map<String, Double>>> alloc) {
        md.append("### Java heap allocated per input byte (`-prof gc`, largest input)\n\n");
        if (alloc.isEmpty()) {
            md.append("Not measured (the run had no `-prof gc`).\n\n");
            return;
        }
        md.append("hotpath's columns are allocated on the Java heap once, at their exact size (8 bytes a value, "
                + "a bit per row for nulls, string bytes and 4 bytes a row of offsets); native's parse buffers are "
                + "outside the heap and not counted here. The JVM libraries grow their arrays by doubling and "
                + "allocate per field what their API hands out.\n\n| shape | input |");
        List<String> impls = new ArrayList<>();
        for (String i : ORDER) {
            if (alloc.values().stream().anyMatch(s -> s.lastEntry().getValue().containsKey(i))) {
                impls.add(i);
            }
        }
        impls.forEach(i -> md.append(' ').append(i).append(" |"));
        md.append("\n|---|---|");
        impls.forEach(i -> md.append("---|"));
        md.append('\n');
        for (String shape : shapes(alloc)) {
            var last = alloc.get(shape).lastEntry();
            md.append("| ").append(shape).append(" | ").append(bytes(last.getKey())).append(" |");
            for (String i : impls) {
                Double v = last.getValue().get(i);
                md.append(' ').append(v == null ? "-" : Report.fmt(v) + " B").append(" |");
            }
            md.append('\n');
        }
        md.append('\n');
    }

    private void threads(StringBuilder md, Map<String, TreeMap<Long, Map<String, Double>>> speed) {
        md.append("### Thread scaling: native on the pool over native with `hotpath.threads=1`\n\n| shape | input | 1 thread | pool | ratio |\n|---|---|---|---|---|\n");
        boolean any = false;
        for (String shape : shapes(speed)) {
            for (var bySize : speed.get(shape).entrySet()) {
                Double one = bySize.getValue().get("nativeOneThread");
                Double pool = bySize.getValue().get("native");
                if (one != null && pool != null) {
                    any = true;
                    md.append("| ").append(shape).append(" | ").append(bytes(bySize.getKey())).append(" | ").append(Report.fmt(one))
                            .append(" MB/s | ").append(Report.fmt(pool)).append(" MB/s | ").append(Report.x(pool / one)).append(" |\n");
                }
            }
        }
        if (!any) {
            md.append("| - | - | not measured | | |\n");
        }
        md.append('\n');
    }

    private void plot(Path out, List<String> plots, Map<String, TreeMap<Long, Map<String, Double>>> speed) throws IOException {
        DefaultCategoryDataset data = new DefaultCategoryDataset();
        for (String shape : shapes(speed)) {
            var last = speed.get(shape).lastEntry();
            for (String i : implementations(speed.get(shape))) {
                Double v = last.getValue().get(i);
                if (v != null) {
                    data.addValue(v, i, shape + " (" + bytes(last.getKey()) + ")");
                }
            }
        }
        String file = "ingestion.png";
        Charts.bars(out.resolve(file), "Ingestion: CSV bytes to typed columns, MB/s", "MB/s (log)", data, true);
        plots.add("![Ingestion: MB/s per implementation and input shape, at the largest input](" + file + ")");
    }

    private static List<String> shapes(Map<String, ?> byShape) {
        List<String> shapes = new ArrayList<>();
        SHAPES.stream().filter(byShape::containsKey).forEach(shapes::add);
        byShape.keySet().stream().filter(s -> !SHAPES.contains(s)).sorted().forEach(shapes::add);
        return shapes;
    }

    private static List<String> implementations(TreeMap<Long, Map<String, Double>> bySize) {
        List<String> found = new ArrayList<>();
        bySize.values().forEach(m -> m.keySet().forEach(i -> {
            if (!found.contains(i)) {
                found.add(i);
            }
        }));
        List<String> ordered = new ArrayList<>();
        ORDER.stream().filter(found::contains).forEach(ordered::add);
        found.stream().filter(i -> !ORDER.contains(i)).sorted().forEach(ordered::add);
        return ordered;
    }

    private static boolean isTime(String unit) {
        return unit.endsWith("/op") && !unit.startsWith("B/");
    }

    private static String bytes(long n) {
        return Report.size(n) + "B";
    }
}
