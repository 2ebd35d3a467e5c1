package dev.hotpath.bench.report;

import java.util.Locale;

/**
 * One measurement: one line of results.csv.
 *
 * @param family the benchmark family (numeric, overhead, latency, gc, threads, coldstart, rss, or a
 *     family a benchmark class adds)
 * @param kernel the kernel, as thresholds.properties names it after the family
 * @param size input size in elements (0 when the measurement has none)
 * @param implementation native, jvm, auto, or the JVM alternative's name
 * @param threads threads the measurement used (the pool size where a benchmark sets it)
 * @param score the value (a mean, a percentile or a median; the unit says which)
 * @param error JMH's 99.9% half-interval, or a spread for side measurements; NaN if none
 * @param unit e.g. {@code ns/op}, {@code us/op p99}, {@code ms}, {@code MiB}
 * @param jdk the JDK's feature version the measurement ran on
 */
public record Row(String family, String kernel, long size, String implementation, int threads,
                  double score, double error, String unit, String jdk) {

    /** The exact header of results.csv. */
    public static final String HEADER = "family,kernel,size,implementation,threads,score,error,unit,jdk";

    /** This row as a CSV line (no field contains a comma or a quote). */
    public String toCsv() {
        return String.join(",", family, kernel, Long.toString(size), implementation, Integer.toString(threads),
                number(score), number(error), unit, jdk);
    }

    /** Parses a line written by {@link #toCsv()}. */
    public static Row parse(String line) {
        String[] f = line.split(",", -1);
        if (f.length != 9) {
            throw new IllegalArgumentException("expected 9 fields, got " + f.length + ": " + line);
        }
        return new Row(f[0], f[1], Long.parseLong(f[2]), f[3], Integer.parseInt(f[4]), parseNumber(f[5]),
                parseNumber(f[6]), f[7], f[8]);
    }

    private static String number(double v) {
        if (Double.isNaN(v)) {
            return "";
        }
        return String.format(Locale.ROOT, "%.6g", v).replaceAll("(\\.\\d*?)0+(e|$)", "$1$2").replaceAll("\\.(e|$)", "$1");
    }

    private static double parseNumber(String s) {
        return s.isEmpty() ? Double.NaN : Double.parseDouble(s);
    }
}
