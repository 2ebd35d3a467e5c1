package dev.hotpath.bench.report;

import java.io.IOException;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import java.util.TreeSet;

/**
 * "Vectors: exact top-k search": {@code VectorBenchmark} (rows of family {@code vectors}, kernel
 * {@code search/dimension=D/batch=B}, size = stored vectors, one op = one batch), the streaming
 * read it is bounded by ({@code bandwidth/dimension=D}) and INT8's recall ({@code recall@10/...},
 * from {@code dev.hotpath.bench.side.VectorRecall}). Issue 14's goals are judged here, beside
 * the measurements.
 */
final class VectorSection extends Section {
    static final String TITLE = "## Vectors: exact top-k search";

    /** The goals' collection: 1M x 384. */
    private static final long GOAL_SIZE = 1_000_000;
    private static final int GOAL_DIMENSION = 384;

    /** Implementations in the order the tables show them. */
    private static final List<String> ORDER = List.of("nativeF32", "nativeInt8", "jvm", "lucene", "luceneParallel",
            "vectorIncubator", "loop");

    /** Every JDK's vectors rows. */
    private final List<Row> vectors;
    /** dimension -> batch -> implementation -> size -> queries per second. */
    private final Map<Integer, Map<Integer, Map<String, TreeMap<Long, Double>>>> qps = new TreeMap<>();
    /** dimension -> size -> streaming read in GB/s. */
    private final Map<Integer, TreeMap<Long, Double>> stream = new TreeMap<>();
    /** dimension -> size -> recall@10. */
    private final Map<Integer, TreeMap<Long, Double>> recall = new TreeMap<>();

    VectorSection(ReportContext c) {
        super(c);
        this.vectors = rows.stream().filter(r -> r.family().equals("vectors")).toList();
        for (Row r : this.vectors) {
            Map<String, String> p = params(r.kernel());
            if (!p.containsKey("dimension")) {
                continue;
            }
            int d = Integer.parseInt(p.get("dimension"));
            if (r.kernel().startsWith("search/") && p.containsKey("batch")) {
                int b = Integer.parseInt(p.get("batch"));
                qps.computeIfAbsent(d, k -> new TreeMap<>()).computeIfAbsent(b, k -> new LinkedHashMap<>())
                        .computeIfAbsent(r.implementation(), k -> new TreeMap<>())
                        .put(r.size(), b * 1e9 / Report.toNs(r.score(), r.unit()));
            } else if (r.kernel().startsWith("bandwidth/")) {
                stream.computeIfAbsent(d, k -> new TreeMap<>())
                        .put(r.size(), bytes(r.size(), d, "nativeF32") / Report.toNs(r.score(), r.unit()));
            } else if (r.kernel().startsWith("recall@10/")) {
                recall.computeIfAbsent(d, k -> new TreeMap<>()).put(r.size(), r.score());
            }
        }
    }

    /** {@code search/dimension=384/batch=16} -> {dimension=384, batch=16}. */
    static Map<String, String> params(String kernel) {
        Map<String, String> p = new LinkedHashMap<>();
        for (String part : kernel.split("/")) {
            int eq = part.indexOf('=');
            if (eq > 0) {
                p.put(part.substring(0, eq), part.substring(eq + 1));
            }
        }
        return p;
    }

    /** Bytes of stored vectors one query's scan reads: F32 floats, or INT8's one-byte codes. */
    static double bytes(long size, int dimension, String implementation) {
        return (double) size * dimension * (implementation.equals("nativeInt8") ? 1 : 4);
    }

    /**
     * A baseline's queries per second at {@code batch}: measured there, else at its largest
     * measured batch below (the baselines answer a batch one query after the other).
     */
    private Double rate(int dimension, int batch, String implementation, long size) {
        Map<Integer, Map<String, TreeMap<Long, Double>>> byBatch = qps.getOrDefault(dimension, Map.of());
        for (int b : new TreeSet<>(byBatch.keySet()).descendingSet()) {
            if (b > batch) {
                continue;
            }
            Double v = byBatch.get(b).getOrDefault(implementation, new TreeMap<>()).get(size);
            if (v != null) {
                return v;
            }
            if (implementation.startsWith("native") || implementation.equals("luceneParallel")) {
                return null;
            }
        }
        return null;
    }

    @Override
    void write() throws IOException {
        md.append(TITLE).append("\n\n");
        md.append("`VectorBenchmark`: exact top-10 by DOT over seeded, clustered collections (256 centres plus uniform "
                + "noise, `VectorInputs`), a batch of queries per call. `nativeF32`/`nativeInt8`: hotpath's native index, one "
                + "`searchBatch` per batch (tiles of stored vectors against 8 queries at a time, shared over hotpath's pool: "
                + "both cores). `jvm`: the pure-Kotlin twin. The JVM alternatives scan a `float[][]` one query after the "
                + "other with the same bounded heap: `loop` (plain Java), `lucene` (lucene-core 9.12.3 "
                + "`VectorUtil.dotProduct`; on JDK 17 Lucene has no Panama code, so this is its scalar, unrolled loop), "
                + "`vectorIncubator`* (`jdk.incubator.vector`, an incubator module) and `luceneParallel` (Lucene's loop with "
                + "the batch's queries on the common fork-join pool, both cores). The single-threaded baselines' rate does not "
                + "depend on the batch, so bench/run measures them at batches of 1 and 16 and the tables use that rate for 256. "
                + "GB/s counts the stored bytes one query's scan reads (INT8: its one-byte codes) times queries per second; "
                + "for a batch it exceeds the memory's rate because a tile is read once per 8 queries. The streaming read is "
                + "a Vector API sum of longs over as many bytes as the F32 collection, in 1 Mi-long pieces on both cores. "
                + "`./bench/run --vectors` measures only this section.\n\n");
        if (qps.isEmpty()) {
            md.append("Not measured (run `./bench/run --vectors`).\n\n");
            return;
        }
        goals(md);
        for (int d : qps.keySet()) {
            table(md, d);
            single(md, d);
        }
        if (!recall.isEmpty()) {
            md.append("INT8 recall@10 against exact F32 (`VectorRecall`, the benchmark's first queries):\n\n"
                    + "| dimension | stored vectors | recall@10 |\n|---|---|---|\n");
            recall.forEach((d, bySize) -> bySize.forEach((n, r) -> md.append("| ").append(d).append(" | ").append(count(n))
                    .append(" | ").append(String.format(Locale.ROOT, "%.3f", r)).append(" |\n")));
            md.append("\n");
        }
        for (int d : qps.keySet()) {
            Map<String, TreeMap<Long, Double>> series = new LinkedHashMap<>();
            for (var byBatch : qps.get(d).entrySet()) {
                for (String impl : ORDER) {
                    TreeMap<Long, Double> line = byBatch.getValue().get(impl);
                    boolean baseline = !impl.startsWith("native");
                    // A single-threaded baseline's line is the same at every batch: draw it once.
                    if (line != null && (!baseline || impl.equals("luceneParallel") || byBatch.getKey() == 1)) {
                        series.put(impl + (baseline && !impl.equals("luceneParallel") ? "" : " x" + byBatch.getKey()), line);
                    }
                }
            }
            String file = "vectors-" + d + ".png";
            Charts.logLines(out.resolve(file), "Vectors: exact top-10, dimension " + d + " (DOT)",
                    "stored vectors (log scale)", "queries per second (log scale)", series);
            plots.add("![vectors " + d + "](" + file + ")\n\n*Queries per second against collection size, dimension " + d
                    + ", per implementation and batch (xN: N queries per call).*");
            md.append("![queries per second, dimension ").append(d).append("](").append(file).append(")\n\n");
        }
    }

    private void goals(StringBuilder md) {
        md.append("| goal (issue 14, 2 cores) | at | measured | verdict |\n|---|---|---|---|\n");
        goal(md, "batch of 256 >= 8x Lucene's loop (F32)", 256, "nativeF32", 256, "lucene", 8.0);
        goal(md, "single query >= 1.5x Lucene's loop (F32)", 1, "nativeF32", 1, "lucene", 1.5);
        goal(md, "INT8 >= 2x native F32, single query", 1, "nativeInt8", 1, "nativeF32", 2.0);
        md.append("\n");
    }

    private void goal(StringBuilder md, String text, int batch, String impl, int otherBatch, String other, double target) {
        Map<String, TreeMap<Long, Double>> byImpl = qps.getOrDefault(GOAL_DIMENSION, Map.of()).getOrDefault(batch, Map.of());
        TreeMap<Long, Double> mine = byImpl.get(impl);
        Long size = mine == null ? null : mine.containsKey(GOAL_SIZE) ? Long.valueOf(GOAL_SIZE) : mine.lastKey();
        Double a = size == null ? null : mine.get(size);
        Double b = size == null ? null : rate(GOAL_DIMENSION, otherBatch, other, size);
        md.append("| ").append(text).append(" | ").append(size == null ? "-" : count(size) + " x " + GOAL_DIMENSION)
                .append(size != null && size != GOAL_SIZE ? " (1M not measured)" : "").append(" | ");
        if (a == null || b == null) {
            md.append("not measured | - |\n");
            return;
        }
        double ratio = a / b;
        md.append(Report.x(ratio)).append(" (").append(Report.fmt(a)).append(" vs ").append(Report.fmt(b)).append(" queries/s) | ")
                .append(ratio >= target ? "**met**" : "**missed**").append(" |\n");
    }

    private void table(StringBuilder md, int d) {
        Map<Integer, Map<String, TreeMap<Long, Double>>> byBatch = qps.get(d);
        TreeSet<Long> sizes = new TreeSet<>();
        byBatch.values().forEach(m -> m.values().forEach(t -> sizes.addAll(t.keySet())));
        List<String> impls = ORDER.stream().filter(i -> byBatch.values().stream().anyMatch(m -> m.containsKey(i))).toList();
        md.append("Dimension ").append(d).append(": queries per second (and the ratio to Lucene's loop at the same size)\n\n");
        md.append("| stored vectors | batch |");
        impls.forEach(i -> md.append(' ').append(i.equals("vectorIncubator") ? "vectorIncubator*" : i).append(" |"));
        md.append("\n|---|---|").append("---|".repeat(impls.size())).append("\n");
        for (long n : sizes) {
            for (int b : byBatch.keySet()) {
                Double lucene = rate(d, b, "lucene", n);
                md.append("| ").append(count(n)).append(" | ").append(b).append(" |");
                for (String impl : impls) {
                    Double v = rate(d, b, impl, n);
                    md.append(' ').append(v == null ? "-" : Report.fmt(v)
                            + (lucene == null || impl.equals("lucene") ? "" : " (" + Report.x(v / lucene) + ")")).append(" |");
                }
                md.append("\n");
            }
        }
        md.append("\n");
    }

    private void single(StringBuilder md, int d) {
        Map<String, TreeMap<Long, Double>> one = qps.get(d).get(1);
        if (one == null) {
            return;
        }
        List<String> impls = ORDER.stream().filter(one::containsKey).toList();
        md.append("Dimension ").append(d).append(", one query per call: GB/s of stored vectors read (share of the streaming read)\n\n");
        md.append("| stored vectors | MB scanned (F32) | streaming read |");
        impls.forEach(i -> md.append(' ').append(i).append(" |"));
        md.append("\n|---|---|---|").append("---|".repeat(impls.size())).append("\n");
        TreeSet<Long> sizes = new TreeSet<>();
        one.values().forEach(t -> sizes.addAll(t.keySet()));
        for (long n : sizes) {
            Double bw = stream.getOrDefault(d, new TreeMap<>()).get(n);
            md.append("| ").append(count(n)).append(" | ").append(Report.fmt(bytes(n, d, "nativeF32") / 1e6)).append(" | ")
                    .append(bw == null ? "-" : Report.fmt(bw) + " GB/s").append(" |");
            for (String impl : impls) {
                Double q = one.get(impl).get(n);
                if (q == null) {
                    md.append(" - |");
                    continue;
                }
                double gbs = q * bytes(n, d, impl) / 1e9;
                md.append(' ').append(Report.fmt(gbs)).append(bw == null ? "" : String.format(Locale.ROOT, " (%.0f%%)", 100 * gbs / bw))
                        .append(" |");
            }
            md.append("\n");
        }
        md.append("\n");
    }

    /** 10000 -> 10k, 1000000 -> 1M. */
    static String count(long n) {
        if (n >= 1_000_000 && n % 1_000_000 == 0) {
            return (n / 1_000_000) + "M";
        } else if (n >= 1000 && n % 1000 == 0) {
            return (n / 1000) + "k";
        }
        return Long.toString(n);
    }
}
