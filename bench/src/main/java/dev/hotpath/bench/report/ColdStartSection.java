package dev.hotpath.bench.report;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.jfree.data.category.DefaultCategoryDataset;

import static dev.hotpath.bench.report.Report.*;

/** "## Cold start": fresh JVMs to the first result (family {@code coldstart}), with issue 11's goals and the loader's phases. */
final class ColdStartSection extends Section {
    ColdStartSection(ReportContext c) {
        super(c);
    }

    @Override
    void write() throws IOException {
        coldStart(out);
    }

    /** Issue 11's cold-start goals: scenario, the most it may add to the hello-world JVM (ms), and what. */
    private static final Object[][] COLD_START_GOALS = {
        {"native-warm-cache", 15.0, "first native result, warm cache"},
        {"native-empty-cache", 40.0, "first native result, empty cache"},
        {"jvm", 10.0, "first result on the JVM backend"},
    };

    private static final double LOAD_GOAL_MS = 5.0;

    private void coldStart(Path out) throws IOException {
        md.append("## Cold start\n\nFresh JVMs whose class path is what a user's would hold (the measuring "
                + "program, the hotpath jar, kotlin-stdlib); median wall time from launching `java` to reading "
                + "the first result of `Numeric.sum` on 1 Ki longs; `load` is `Hotpath.isNativeAvailable()` alone, "
                + "timed inside the process. `./bench/run --coldstart` measures only this section.\n\n");
        Map<String, Double[]> now = coldStartFigures("coldstart");
        if (now.isEmpty()) {
            md.append("Not measured.\n\n");
            return;
        }
        Map<String, Double[]> before = coldStartFigures("coldstart-before");
        boolean hasBefore = !before.isEmpty();
        md.append("| scenario | JVM start to first result | over hello world | load alone |")
                .append(hasBefore ? " before: first result | before: over hello world | before: load alone |" : "")
                .append("\n|---|---|---|---|").append(hasBefore ? "---|---|---|" : "").append("\n");
        DefaultCategoryDataset data = new DefaultCategoryDataset();
        for (Map.Entry<String, Double[]> e : now.entrySet()) {
            Double[] v = e.getValue();
            md.append("| ").append(scenario(e.getKey())).append(" | ").append(msWithSd(v[0], v[1])).append(" | ")
                    .append(overHello(now, e.getKey())).append(" | ").append(v[2] == null ? "-" : fmt(v[2]) + " ms").append(" |");
            if (hasBefore) {
                Double[] b = before.get(e.getKey());
                md.append(" ").append(b == null ? "-" : msWithSd(b[0], b[1])).append(" | ").append(overHello(before, e.getKey()))
                        .append(" | ").append(b == null || b[2] == null ? "-" : fmt(b[2]) + " ms").append(" |");
            }
            md.append("\n");
            if (v[0] != null) {
                data.addValue(v[0], "first result", scenario(e.getKey()));
            }
            if (v[2] != null) {
                data.addValue(v[2], "library load alone", scenario(e.getKey()));
            }
        }
        md.append("\n");
        if (hasBefore) {
            md.append("Before: the loader of commit c0adcd7 (before the cold-start work), measured by the same program on "
                    + "the same machine; its rows are `bench/coldstart-before.csv`.\n\n");
        }
        Double[] helloJar = now.get("hello-jar");
        Double[] helloDir = now.get("hello");
        if (helloJar != null && helloDir != null && helloJar[0] != null && helloDir[0] != null) {
            md.append("The goals are judged against the class-directory hello world, as the before figures were. ")
                    .append("The same program started from a jar takes ").append(fmt(helloJar[0])).append(" ms (")
                    .append(String.format(Locale.ROOT, "%+.1f ms", helloJar[0] - helloDir[0]))
                    .append("). Both hello worlds already open hotpath's jar (the verifier loads `NativeLoadException`, "
                            + "which the measuring program names), so the JVM's jar machinery is in both baselines; the jar "
                            + "variant adds one small jar, and the difference is mostly run-to-run noise. The last column "
                            + "measures against it.\n\n");
        }
        md.append("| goal | measured | verdict | over the hello world from a jar |\n|---|---|---|---|\n");
        for (Object[] g : COLD_START_GOALS) {
            String sc = (String) g[0];
            double limit = (Double) g[1];
            Double over = overHelloValue(now, sc);
            Double[] v = now.get(sc);
            String overJar = helloJar == null || helloJar[0] == null || v == null || v[0] == null
                    ? "-" : String.format(Locale.ROOT, "%+.1f ms", v[0] - helloJar[0]);
            md.append("| ").append(g[2]).append(" at most ").append(fmt(limit)).append(" ms over the hello-world JVM | ")
                    .append(over == null ? "-" : String.format(Locale.ROOT, "%+.1f ms", over)).append(" | ")
                    .append(over == null ? "not measured" : over <= limit ? "met" : "missed").append(" | ")
                    .append(overJar).append(" |\n");
        }
        Double[] warm = now.get("native-warm-cache");
        Double load = warm == null ? null : warm[2];
        md.append("| loading the library alone (warm cache) at most ").append(fmt(LOAD_GOAL_MS)).append(" ms | ")
                .append(load == null ? "-" : fmt(load) + " ms").append(" | ")
                .append(load == null ? "not measured" : load <= LOAD_GOAL_MS ? "met" : "missed").append(" | - |\n\n");
        Double[] helloKotlin = now.get("hello-kotlin");
        if (helloKotlin != null && helloJar != null && helloKotlin[0] != null && helloJar[0] != null && warm != null && warm[0] != null) {
            md.append("Part of every figure above is not hotpath's: the first use of any Kotlin code opens kotlin-stdlib's jar "
                    + "and loads its first class, which a Kotlin hello world pays before its first line: ")
                    .append(String.format(Locale.ROOT, "%+.1f ms", helloKotlin[0] - helloJar[0]))
                    .append(" over the Java hello world from a jar. Measured from that Kotlin hello world, hotpath's own share of "
                            + "the warm-cache start is ")
                    .append(String.format(Locale.ROOT, "%+.1f ms", warm[0] - helloKotlin[0])).append(".\n\n");
        }
        Double[] cds = now.get("native-warm-cache-appcds");
        if (cds != null && cds[0] != null && helloJar != null && helloJar[0] != null) {
            md.append("With an application class-data archive (the README's start-up recipe: one training run with "
                    + "`-XX:ArchiveClassesAtExit`, then `-XX:SharedArchiveFile`; on JDK 19+ `-XX:+AutoCreateSharedArchive` does both), "
                    + "the warm-cache start takes ").append(fmt(cds[0])).append(" ms, ")
                    .append(String.format(Locale.ROOT, "%+.1f ms", cds[0] - helloJar[0]))
                    .append(" over the hello world from a jar (which runs without the archive), and the load alone ")
                    .append(cds[2] == null ? "-" : fmt(cds[2]) + " ms");
            if (cds[2] != null && warm != null && warm[2] != null) {
                md.append(" against ").append(fmt(warm[2])).append(" ms without it: the archive saves ")
                        .append(fmt(warm[2] - cds[2])).append(" ms of parsing, verifying and linking hotpath's and kotlin-stdlib's classes");
            }
            md.append(".\n\n");
        }
        phaseTable("coldstart", "Loader phases now");
        phaseTable("coldstart-before", "Before");
        Charts.bars(out.resolve("coldstart.png"), "Cold start (JDK " + jdk + ")", "milliseconds (median)", data, false);
        addPlot("coldstart.png", "Cold start: first result and library load, empty and warm cache");
    }

    /** Per scenario: first-result median and spread, load median ({@code null} where not measured). */
    private Map<String, Double[]> coldStartFigures(String family) {
        Map<String, Double[]> byScenario = new LinkedHashMap<>();
        for (Row r : select(family, null)) {
            if (r.kernel().startsWith("phase:")) {
                continue;
            }
            Double[] v = byScenario.computeIfAbsent(r.implementation(), k -> new Double[4]);
            int i = r.kernel().equals("load") ? 2 : 0;
            v[i] = r.score();
            v[i + 1] = r.error();
        }
        return byScenario;
    }

    private static String msWithSd(Double median, Double sd) {
        return median == null ? "-" : fmt(median) + " ms (sd " + fmt(sd == null ? Double.NaN : sd) + ")";
    }

    private static Double overHelloValue(Map<String, Double[]> figures, String scenario) {
        Double[] hello = figures.get("hello");
        Double[] v = figures.get(scenario);
        if (hello == null || v == null || hello[0] == null || v[0] == null) {
            return null;
        }
        return v[0] - hello[0];
    }

    private static String overHello(Map<String, Double[]> figures, String scenario) {
        if (scenario.startsWith("hello")) {
            return "-";
        }
        Double over = overHelloValue(figures, scenario);
        return over == null ? "-" : String.format(Locale.ROOT, "%+.1f ms", over);
    }

    /**
     * The loader's steps from {@code hotpath.debug} (rows {@code phase:<n>:<step>}, scored by when the step
     * ended, in ms since hotpath started loading), with each step's own duration.
     */
    private void phaseTable(String family, String title) {
        Map<String, List<Row>> byScenario = new LinkedHashMap<>();
        for (Row r : select(family, null)) {
            if (r.kernel().startsWith("phase:")) {
                byScenario.computeIfAbsent(r.implementation(), k -> new ArrayList<>()).add(r);
            }
        }
        for (Map.Entry<String, List<Row>> e : byScenario.entrySet()) {
            md.append(title).append(", ").append(scenario(e.getKey())).append(":\n\n| step | ends at | takes |\n|---|---|---|\n");
            double previous = 0;
            for (Row r : e.getValue()) {
                String step = r.kernel().substring(r.kernel().indexOf(':', "phase:".length()) + 1);
                md.append("| ").append(step).append(" | +").append(fmt(r.score())).append(" ms | ")
                        .append(fmt(r.score() - previous)).append(" ms |\n");
                previous = r.score();
            }
            md.append("\n");
        }
    }

    private static String scenario(String s) {
        switch (s) {
            case "hello": return "JVM hello world (no hotpath)";
            case "hello-jar": return "JVM hello world from a jar (no hotpath)";
            case "jvm": return "hotpath, JVM backend";
            case "native-empty-cache": return "hotpath native, empty cache (extracts)";
            case "native-warm-cache": return "hotpath native, warm cache";
            case "hello-kotlin": return "Kotlin hello world from a jar (kotlin-stdlib's first class, no hotpath)";
            case "native-warm-cache-appcds": return "hotpath native, warm cache, application CDS archive";
            default: return s;
        }
    }
}
