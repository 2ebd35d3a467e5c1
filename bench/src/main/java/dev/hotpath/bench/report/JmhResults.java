package dev.hotpath.bench.report;

import com.google.gson.JsonArray;
import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import dev.hotpath.bench.Family;
import dev.hotpath.bench.Kernel;
import java.io.IOException;
import java.io.Reader;
import java.lang.reflect.Method;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * Turns JMH's JSON output ({@code -rf json}) into rows. Naming rules, so a new family's
 * benchmark class needs nothing here:
 * <ul>
 *   <li>family: the class's {@link Family}, else its simple name without {@code Benchmark},
 *       lower-cased ({@code Blake3Benchmark} is {@code blake3});</li>
 *   <li>kernel: the method's {@link Kernel}, else the method name before its last underscore, then
 *       {@code /name=value} for each of {@link Kernel#params()};</li>
 *       {@code .<shape>} when the benchmark has a {@code shape} parameter (the Csv family's input
 *       shapes: {@code read.numeric});</li>
 *   <li>implementation: the method name after its last underscore ({@code hash_bouncyCastle});</li>
 *   <li>size: the {@code size} parameter (bench/run sweeps it), else the first whole-number
 *       parameter, else 0, times the method's {@link Kernel#sizeScale()} (so sizes are in the
 *       unit Backend.AUTO compares with its thresholds); threads: the {@code threads} parameter,
 *       else JMH's thread count;</li>
 *   <li>SampleTime results give three rows, units {@code <unit> p50}, {@code p99}, {@code p99.9};</li>
 *   <li>a run with {@code -prof gc} adds a row of unit {@code B/op alloc} (JMH's
 *       {@code gc.alloc.rate.norm}: heap bytes allocated per operation) beside the time;</li>
 *   <li>thread-group benchmarks (the gc family) give the percentiles of each {@code allocate...}
 *       member, kernel {@code allocation@<collector>}, implementation from the group name
 *       ({@code withNative} is {@code native}).</li>
 * </ul>
 */
public final class JmhResults {
    /** The unit of the heap bytes one operation allocated, from {@code -prof gc}. */
    static final String ALLOCATION_UNIT = "B/op alloc";
    private static final String[][] PERCENTILES = {{"50.0", "p50"}, {"99.0", "p99"}, {"99.9", "p99.9"}};

    private JmhResults() {
    }

    public static List<Row> read(Path json) throws IOException {
        try (Reader reader = Files.newBufferedReader(json, StandardCharsets.UTF_8)) {
            JsonElement root = JsonParser.parseReader(reader);
            List<Row> rows = new ArrayList<>();
            if (root.isJsonArray()) {
                for (JsonElement e : root.getAsJsonArray()) {
                    rows.addAll(rowsOf(e.getAsJsonObject()));
                }
            }
            return rows;
        }
    }

    static List<Row> rowsOf(JsonObject b) {
        String benchmark = b.get("benchmark").getAsString();
        int dot = benchmark.lastIndexOf('.');
        String className = benchmark.substring(0, dot);
        String methodName = benchmark.substring(dot + 1);
        Class<?> type = load(className);
        Method method = find(type, methodName);
        String family = familyOf(type, className);
        JsonObject params = b.has("params") ? b.getAsJsonObject("params") : new JsonObject();
        long size = sizeOf(params)
                * (method != null && method.isAnnotationPresent(Kernel.class) ? method.getAnnotation(Kernel.class).sizeScale() : 1);
        int threads = params.has("threads") ? Integer.parseInt(params.get("threads").getAsString())
                : b.has("threads") ? b.get("threads").getAsInt() : 1;
        String jdk = majorVersion(b.has("jdkVersion") ? b.get("jdkVersion").getAsString() : "?");
        String mode = b.get("mode").getAsString();
        JsonObject primary = b.getAsJsonObject("primaryMetric");
        List<Row> rows = new ArrayList<>();
        int underscore = methodName.lastIndexOf('_');
        boolean group = method == null && b.has("secondaryMetrics") && b.getAsJsonObject("secondaryMetrics").size() > 0;
        if (group) {
            String implementation = groupImplementation(methodName);
            String kernel = "allocation@" + collector(b.getAsJsonArray("jvmArgs"));
            for (var entry : b.getAsJsonObject("secondaryMetrics").entrySet()) {
                if (entry.getKey().startsWith("allocate") && !entry.getKey().contains(":")) {
                    rows.addAll(metricRows(family, kernel, size, implementation, 1, jdk, mode,
                            entry.getValue().getAsJsonObject()));
                }
            }
            return rows;
        }
        String kernel = method != null && method.isAnnotationPresent(Kernel.class)
                ? method.getAnnotation(Kernel.class).value()
                : underscore > 0 ? methodName.substring(0, underscore) : methodName;
        if (method != null && method.isAnnotationPresent(Kernel.class)) {
            for (String p : method.getAnnotation(Kernel.class).params()) {
                kernel += "/" + p + "=" + (params.has(p) ? params.get(p).getAsString() : "?");
            }
        }
        if (params.has("shape")) {
            kernel = kernel + "." + params.get("shape").getAsString();
        }
        String implementation = underscore > 0 ? methodName.substring(underscore + 1) : "native";
        rows.addAll(metricRows(family, kernel, size, implementation, threads, jdk, mode, primary));
        if (b.has("secondaryMetrics")) {
            for (var entry : b.getAsJsonObject("secondaryMetrics").entrySet()) {
                if (entry.getKey().endsWith("gc.alloc.rate.norm")) {
                    JsonObject m = entry.getValue().getAsJsonObject();
                    double error = m.has("scoreError") ? parseOrNaN(m.get("scoreError")) : Double.NaN;
                    rows.add(new Row(family, kernel, size, implementation, threads, m.get("score").getAsDouble(), error,
                            ALLOCATION_UNIT, jdk));
                }
            }
        }
        return rows;
    }

    private static List<Row> metricRows(String family, String kernel, long size, String implementation, int threads,
                                        String jdk, String mode, JsonObject metric) {
        List<Row> rows = new ArrayList<>();
        String unit = metric.get("scoreUnit").getAsString();
        if (mode.equals("sample") && metric.has("scorePercentiles")) {
            JsonObject p = metric.getAsJsonObject("scorePercentiles");
            for (String[] percentile : PERCENTILES) {
                if (p.has(percentile[0])) {
                    rows.add(new Row(family, kernel, size, implementation, threads, p.get(percentile[0]).getAsDouble(),
                            Double.NaN, unit + " " + percentile[1], jdk));
                }
            }
            return rows;
        }
        double error = metric.has("scoreError") ? parseOrNaN(metric.get("scoreError")) : Double.NaN;
        rows.add(new Row(family, kernel, size, implementation, threads, metric.get("score").getAsDouble(), error,
                unit, jdk));
        return rows;
    }

    private static double parseOrNaN(JsonElement e) {
        try {
            return e.getAsDouble();
        } catch (NumberFormatException | UnsupportedOperationException ex) {
            return Double.NaN;
        }
    }

    /**
     * The {@code size} parameter, which bench/run sweeps; else the first whole-number parameter
     * other than {@code threads} (a family whose inputs cannot take the common sweep, say
     * signatures per batch, names its parameter otherwise and keeps its own values); else 0.
     */
    static long sizeOf(JsonObject params) {
        if (params.has("size")) {
            return Long.parseLong(params.get("size").getAsString());
        }
        for (var e : params.entrySet()) {
            if (!e.getKey().equals("threads") && e.getValue().getAsString().matches("\\d{1,18}")) {
                return Long.parseLong(e.getValue().getAsString());
            }
        }
        return 0;
    }

    static String familyOf(Class<?> type, String className) {
        if (type != null && type.isAnnotationPresent(Family.class)) {
            return type.getAnnotation(Family.class).value();
        }
        String simple = className.substring(className.lastIndexOf('.') + 1);
        if (simple.endsWith("Benchmark") && simple.length() > "Benchmark".length()) {
            simple = simple.substring(0, simple.length() - "Benchmark".length());
        } else if (simple.startsWith("Benchmark") && simple.length() > "Benchmark".length()) {
            simple = simple.substring("Benchmark".length());
        }
        return simple.toLowerCase(Locale.ROOT);
    }

    static String groupImplementation(String group) {
        String g = group.startsWith("with") && group.length() > 4 ? group.substring(4) : group;
        return g.toLowerCase(Locale.ROOT);
    }

    static String collector(JsonArray jvmArgs) {
        if (jvmArgs != null) {
            for (JsonElement e : jvmArgs) {
                String a = e.getAsString();
                if (a.equals("-XX:+UseParallelGC")) {
                    return "Parallel";
                } else if (a.equals("-XX:+UseZGC")) {
                    return "ZGC";
                } else if (a.equals("-XX:+UseSerialGC")) {
                    return "Serial";
                } else if (a.equals("-XX:+UseShenandoahGC")) {
                    return "Shenandoah";
                }
            }
        }
        return "G1";
    }

    static String majorVersion(String version) {
        String v = version.startsWith("1.") ? version.substring(2) : version;
        int end = 0;
        while (end < v.length() && Character.isDigit(v.charAt(end))) {
            end++;
        }
        return end == 0 ? v : v.substring(0, end);
    }

    private static Class<?> load(String className) {
        try {
            return Class.forName(className, false, JmhResults.class.getClassLoader());
        } catch (ClassNotFoundException | LinkageError e) {
            return null;
        }
    }

    private static Method find(Class<?> type, String name) {
        if (type == null) {
            return null;
        }
        for (Method m : type.getMethods()) {
            if (m.getName().equals(name)) {
                return m;
            }
        }
        return null;
    }
}
