package dev.hotpath.bench.report;

import java.io.IOException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import java.util.TreeSet;

/**
 * "Service under load": the example service driven by {@code dev.hotpath.bench.service.ServiceLoad}
 * (rows of family {@code service}), per endpoint and collector: latency against throughput per
 * backend, the highest rate each backend sustains with P99 under {@link #P99_LIMIT_MS}, its GC
 * pauses, and per service process its cold start and peak RSS. Issue 15's goals for the block
 * endpoint live here, beside the measurement they judge.
 */
final class ServiceSection extends Section {
    static final String TITLE = "## Service under load";
    /** The latency a request-serving team would call acceptable at P99. */
    static final double P99_LIMIT_MS = 10.0;
    /** A step counts as sustained when it answered at least this share of the rate asked for, without errors. */
    static final double SUSTAINED = 0.95;

    private static final double GOAL_RATE_RATIO = 10.0;
    private static final double GOAL_P99_RATIO = 5.0;
    private static final double GOAL_RSS_SLACK = 0.20;

    /** Every JDK's service rows: a service run may be on another JDK than the kernel sweeps. */
    private final List<Row> service;

    ServiceSection(ReportContext c) {
        super(c);
        this.service = rows.stream().filter(r -> r.family().equals("service")).toList();
    }

    /** One step of the sweep: a target rate on one backend. */
    private static final class Step {
        double achieved = Double.NaN;
        double p50 = Double.NaN;
        double p99 = Double.NaN;
        double p999 = Double.NaN;
        double max = Double.NaN;
        double errors = Double.NaN;
        double gcMs = Double.NaN;

        boolean sustained(long target) {
            return errors == 0 && achieved >= SUSTAINED * target;
        }
    }

    @Override
    void write() throws IOException {
        md.append(TITLE).append("\n\n");
        md.append("The example service (`examples/`, Javalin on Jetty; `docs/service.md`) in a fresh JVM per backend and "
                + "collector (`-Xmx512m`), driven over loopback by an open-loop, constant-rate generator corrected for "
                + "coordinated omission (latency counts from when a request was due, as wrk2 does; HdrHistogram). Per "
                + "endpoint: a closed-loop warm-up and capacity estimate, then steps at fixed fractions of it (each "
                + "backend also runs the rates the backends before it ran, so they can be compared at equal load). The "
                + "generator runs on the same 2 cores as the service, as a sidecar would. `./bench/run --service` "
                + "measures only this section.\n\n");
        if (service.isEmpty()) {
            md.append("Not measured (run `./bench/run --service`).\n\n");
            return;
        }
        // kernel (endpoint@gc) -> implementation -> target rate -> step
        Map<String, Map<String, TreeMap<Long, Step>>> steps = new TreeMap<>();
        Map<String, Map<String, double[]>> process = new TreeMap<>();
        for (Row r : service) {
            if (r.kernel().startsWith("process@")) {
                double[] v = process.computeIfAbsent(r.kernel().substring("process@".length()), k -> new TreeMap<>())
                        .computeIfAbsent(r.implementation(), k -> new double[] {Double.NaN, Double.NaN});
                if (r.unit().equals("ms cold start")) {
                    v[0] = r.score();
                } else if (r.unit().equals("MiB rss peak")) {
                    v[1] = r.score();
                }
                continue;
            }
            Step s = steps.computeIfAbsent(r.kernel(), k -> new TreeMap<>())
                    .computeIfAbsent(r.implementation(), k -> new TreeMap<>())
                    .computeIfAbsent(r.size(), k -> new Step());
            switch (r.unit()) {
                case "rps" -> s.achieved = r.score();
                case "ms p50" -> s.p50 = r.score();
                case "ms p99" -> s.p99 = r.score();
                case "ms p99.9" -> s.p999 = r.score();
                case "ms max" -> s.max = r.score();
                case "errors" -> s.errors = r.score();
                case "ms gc pauses" -> s.gcMs = r.score();
                default -> {
                    // a unit a later generator adds
                }
            }
        }

        md.append("Highest sustained rate (at least ").append(pct(SUSTAINED)).append(" of the rate asked for answered, no "
                + "errors) with P99 at most ").append(Report.fmt(P99_LIMIT_MS)).append(" ms, and the first rate whose P99 "
                + "crosses it:\n\n| endpoint | collector | backend | best rate, P99 <= ").append(Report.fmt(P99_LIMIT_MS))
                .append(" ms | its P99 | crosses at | highest sustained rate |\n|---|---|---|---|---|---|---|\n");
        for (Map.Entry<String, Map<String, TreeMap<Long, Step>>> k : steps.entrySet()) {
            String[] eg = k.getKey().split("@", 2);
            for (Map.Entry<String, TreeMap<Long, Step>> b : k.getValue().entrySet()) {
                Long best = bestUnderLimit(b.getValue());
                Long crosses = firstCrossing(b.getValue());
                Long top = highestSustained(b.getValue());
                md.append("| ").append(eg[0]).append(" | ").append(eg.length > 1 ? eg[1] : "?").append(" | ").append(b.getKey())
                        .append(" | ").append(best == null ? "none" : best + "/s").append(" | ")
                        .append(best == null ? "-" : Report.fmt(b.getValue().get(best).p99) + " ms").append(" | ")
                        .append(crosses == null ? "not reached" : crosses + "/s").append(" | ")
                        .append(top == null ? "none" : top + "/s").append(" |\n");
            }
        }
        md.append("\n");
        goals(md, steps, process);

        md.append("Service processes: wall time from launching `java` to the first answered request (`POST /hash/blake3`), "
                + "and peak resident set (`VmHWM`) over the whole run:\n\n| collector | backend | cold start | peak RSS |\n|---|---|---|---|\n");
        for (Map.Entry<String, Map<String, double[]>> g : process.entrySet()) {
            for (Map.Entry<String, double[]> b : g.getValue().entrySet()) {
                md.append("| ").append(g.getKey()).append(" | ").append(b.getKey()).append(" | ")
                        .append(Report.fmt(b.getValue()[0])).append(" ms | ").append(Report.fmt(b.getValue()[1])).append(" MiB |\n");
            }
        }
        md.append("\n");

        TreeSet<String> endpoints = new TreeSet<>();
        steps.keySet().forEach(k -> endpoints.add(k.split("@", 2)[0]));
        for (String endpoint : endpoints) {
            md.append("<details><summary>").append(endpoint).append(": every step</summary>\n\n| collector | backend | rate asked | "
                    + "answered/s | P50 | P99 | P99.9 | max | errors | GC pauses |\n|---|---|---|---|---|---|---|---|---|---|\n");
            Map<String, List<double[]>> curves = new LinkedHashMap<>();
            for (Map.Entry<String, Map<String, TreeMap<Long, Step>>> k : steps.entrySet()) {
                String[] eg = k.getKey().split("@", 2);
                if (!eg[0].equals(endpoint)) {
                    continue;
                }
                for (Map.Entry<String, TreeMap<Long, Step>> b : k.getValue().entrySet()) {
                    List<double[]> curve = new ArrayList<>();
                    for (Map.Entry<Long, Step> e : b.getValue().entrySet()) {
                        Step s = e.getValue();
                        md.append("| ").append(eg.length > 1 ? eg[1] : "?").append(" | ").append(b.getKey()).append(" | ")
                                .append(e.getKey()).append(" | ").append(Report.fmt(s.achieved)).append(" | ")
                                .append(Report.fmt(s.p50)).append(" ms | ").append(Report.fmt(s.p99)).append(" ms | ")
                                .append(Report.fmt(s.p999)).append(" ms | ").append(Report.fmt(s.max)).append(" ms | ")
                                .append(Report.fmt(s.errors)).append(" | ").append(Report.fmt(s.gcMs)).append(" ms |\n");
                        curve.add(new double[] {s.achieved, s.p99});
                    }
                    curves.put(b.getKey() + " (" + (eg.length > 1 ? eg[1] : "?") + ")", curve);
                }
            }
            md.append("\n</details>\n\n");
            String file = "service-" + endpoint + ".png";
            Charts.latencyCurves(out.resolve(file), "Service under load: " + endpoint + " (P99 against throughput)",
                    "P99 latency (ms, log scale)", curves, P99_LIMIT_MS);
            addPlot(file, "Service under load, " + endpoint + ": P99 latency against throughput per backend");
        }
    }

    /** Issue 15's goals for the block endpoint, judged per collector. */
    private static void goals(StringBuilder md, Map<String, Map<String, TreeMap<Long, Step>>> steps,
                              Map<String, Map<String, double[]>> process) {
        md.append("| goal (block endpoint, blocks of 1,000 transactions) | collector | measured | verdict |\n|---|---|---|---|\n");
        for (Map.Entry<String, Map<String, TreeMap<Long, Step>>> k : steps.entrySet()) {
            if (!k.getKey().startsWith("block@")) {
                continue;
            }
            String gc = k.getKey().substring("block@".length());
            TreeMap<Long, Step> jvm = k.getValue().get("jvm");
            TreeMap<Long, Step> nat = k.getValue().get("native");
            if (jvm == null || nat == null) {
                md.append("| native and JVM backends both measured | ").append(gc).append(" | - | not measured |\n");
                continue;
            }
            Long jvmBest = bestUnderLimit(jvm);
            Long natBest = bestUnderLimit(nat);
            String rateVerdict;
            String rateMeasured;
            if (natBest == null) {
                rateMeasured = "native: no rate with P99 <= " + Report.fmt(P99_LIMIT_MS) + " ms";
                rateVerdict = "missed";
            } else if (jvmBest == null) {
                rateMeasured = "native " + natBest + "/s; JVM: no rate with P99 <= " + Report.fmt(P99_LIMIT_MS) + " ms";
                rateVerdict = "met (the JVM backend never got under the limit)";
            } else {
                double ratio = (double) natBest / jvmBest;
                rateMeasured = "native " + natBest + "/s vs JVM " + jvmBest + "/s = **" + Report.x(ratio) + "**";
                rateVerdict = ratio >= GOAL_RATE_RATIO ? "met" : "missed";
            }
            md.append("| native sustains at least ").append(Report.x(GOAL_RATE_RATIO)).append(" the JVM backend's rate at P99 <= ")
                    .append(Report.fmt(P99_LIMIT_MS)).append(" ms | ").append(gc).append(" | ").append(rateMeasured).append(" | ")
                    .append(rateVerdict).append(" |\n");
            if (jvmBest != null) {
                Step j = jvm.get(jvmBest);
                Step n = nat.get(jvmBest);
                md.append("| at the JVM backend's best rate (").append(jvmBest).append("/s), native's P99 at least ")
                        .append(Report.x(GOAL_P99_RATIO)).append(" lower | ").append(gc).append(" | ");
                if (n == null) {
                    md.append("native not measured at that rate | not measured |\n");
                } else {
                    double ratio = j.p99 / n.p99;
                    md.append("JVM ").append(Report.fmt(j.p99)).append(" ms vs native ").append(Report.fmt(n.p99))
                            .append(" ms = **").append(Report.x(ratio)).append("** | ").append(ratio >= GOAL_P99_RATIO ? "met" : "missed")
                            .append(" |\n");
                }
            }
            Map<String, double[]> p = process.get(gc);
            if (p != null && p.containsKey("jvm") && p.containsKey("native")) {
                double rj = p.get("jvm")[1];
                double rn = p.get("native")[1];
                double change = rn / rj - 1;
                md.append("| native's peak RSS within ").append(pct(GOAL_RSS_SLACK)).append(" of the JVM backend's | ").append(gc)
                        .append(" | native ").append(Report.fmt(rn)).append(" MiB vs JVM ").append(Report.fmt(rj))
                        .append(String.format(Locale.ROOT, " MiB (%+.0f%%)", 100 * change)).append(" | ")
                        .append(Math.abs(change) <= GOAL_RSS_SLACK ? "met" : "missed").append(" |\n");
            }
        }
        md.append("\n");
    }

    private static Long bestUnderLimit(TreeMap<Long, Step> byRate) {
        Long best = null;
        for (Map.Entry<Long, Step> e : byRate.entrySet()) {
            if (e.getValue().sustained(e.getKey()) && e.getValue().p99 <= P99_LIMIT_MS) {
                best = e.getKey();
            }
        }
        return best;
    }

    private static Long firstCrossing(TreeMap<Long, Step> byRate) {
        for (Map.Entry<Long, Step> e : byRate.entrySet()) {
            if (!(e.getValue().p99 <= P99_LIMIT_MS)) {
                return e.getKey();
            }
        }
        return null;
    }

    private static Long highestSustained(TreeMap<Long, Step> byRate) {
        Long best = null;
        for (Map.Entry<Long, Step> e : byRate.entrySet()) {
            if (e.getValue().sustained(e.getKey())) {
                best = e.getKey();
            }
        }
        return best;
    }

    private static String pct(double f) {
        return Math.round(f * 100) + "%";
    }
}
