package dev.hotpath.bench.side;

import dev.hotpath.bench.report.ResultsCsv;
import dev.hotpath.bench.report.Row;
import java.io.BufferedReader;
import java.io.File;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The measurements JMH cannot make, each in fresh JVMs started from here with this JVM's
 * launcher and classpath, written as results.csv rows:
 * <ul>
 *   <li>{@code coldstart}: wall time from launching the process to reading its first kernel
 *       result, as a JVM hello world, on the JVM backend, natively with an empty library cache
 *       (a new directory each run: extraction included) and with a warm one; plus the load alone
 *       (timed inside the child). Medians of {@code runs} runs. One more child per native scenario
 *       runs with {@code hotpath.debug} (untimed) and its loader steps become the phase breakdown:
 *       rows of kernel {@code phase:<step>} whose score is the step's end, in ms since the loader
 *       started.</li>
 *   <li>{@code rss}: the peak resident set ({@code VmHWM}) of a process doing the same large job
 *       on each backend, median of three runs.</li>
 * </ul>
 * Usage: {@code SideMeasurements <out.csv> <runs> <rss-size>}; an rss-size of 0 measures cold start only
 * ({@code bench/run --coldstart}).
 */
public final class SideMeasurements {
    private static final String JAVA = Paths.get(System.getProperty("java.home"), "bin", "java").toString();
    private static final String JDK = System.getProperty("java.specification.version");

    /** A loader step in {@code hotpath.debug} output: when it ended and what it did. */
    private static final Pattern STEP = Pattern.compile("\\[hotpath\\] \\+([0-9]+\\.[0-9]+) ms (.*)");

    /** The measuring program alone in a jar (see {@link #writeAppJar}). */
    private static Path appJar;

    /** When {@link #launch} read the child's line: the end of a cold-start measurement. */
    private static long lineReadAt;

    private SideMeasurements() {
    }

    public static void main(String[] args) throws Exception {
        Path out = Paths.get(args[0]);
        int runs = Integer.parseInt(args[1]);
        int rssSize = Integer.parseInt(args[2]);
        Path work = Files.createTempDirectory("hotpath-coldstart-");
        List<Row> rows = new ArrayList<>();
        appJar = work.resolve("app.jar");
        writeAppJar(appJar);
        coldStart(rows, "hello", runs, work, false);
        coldStart(rows, "hello-jar", runs, work, false);
        coldStart(rows, "jvm", runs, work, false);
        coldStart(rows, "native-empty-cache", runs, work, true);
        coldStart(rows, "native-warm-cache", runs, work, false);
        for (String backend : new String[] {"loop", "jvm", "native"}) {
            if (rssSize > 0) {
                rss(rows, backend, rssSize);
            }
        }
        ResultsCsv.write(out, rows);
        System.out.println("side measurements: " + rows.size() + " rows in " + out);
    }

    private static void coldStart(List<Row> rows, String scenario, int runs, Path work, boolean emptyCache)
            throws IOException, InterruptedException {
        Path warmCache = work.resolve("warm-cache");
        if (scenario.equals("native-warm-cache")) {
            launch(List.of("-Dhotpath.cache.dir=" + warmCache), ColdStartChild.class, "native");
        }
        double[] wall = new double[runs];
        double[] load = new double[runs];
        for (int i = 0; i < runs; i++) {
            List<String> flags = new ArrayList<>();
            String mode = scenario.startsWith("native") ? "native" : scenario.startsWith("hello") ? "hello" : scenario;
            if (mode.equals("native")) {
                Path cache = emptyCache ? work.resolve("empty-cache-" + i) : warmCache;
                flags.add("-Dhotpath.cache.dir=" + cache);
            }
            long start = System.nanoTime();
            String[] line = scenario.equals("hello-jar")
                    ? launch(command(flags, userClassPath(appJar.toString()), ColdStartChild.class, mode))
                    : launch(flags, ColdStartChild.class, mode);
            wall[i] = (lineReadAt - start) / 1e6;
            load[i] = Long.parseLong(line[3]) / 1e6;
        }
        rows.add(new Row("coldstart", "first-result", 1024, scenario, 1, median(wall), stdev(wall), "ms", JDK));
        if (scenario.startsWith("native")) {
            rows.add(new Row("coldstart", "load", 0, scenario, 1, median(load), stdev(load), "ms", JDK));
        }
        System.out.printf("coldstart %-20s median %.1f ms (load %.2f ms)%n", scenario, median(wall), median(load));
        if (scenario.startsWith("native")) {
            phases(rows, scenario, emptyCache ? work.resolve("empty-cache-phases") : warmCache);
        }
    }

    /**
     * The loader's steps as {@code hotpath.debug} logs them ({@code [hotpath] +1.8 ms extracted ...}),
     * from one more untimed child: each step becomes a row, scored by when it ended.
     */
    private static void phases(List<Row> rows, String scenario, Path cache) throws IOException, InterruptedException {
        List<String> command = command(List.of("-Dhotpath.cache.dir=" + cache, "-Dhotpath.debug=true"),
                ColdStartChild.class, "native");
        Process process = new ProcessBuilder(command).redirectOutput(ProcessBuilder.Redirect.DISCARD).start();
        List<String> steps = new ArrayList<>();
        try (BufferedReader reader = new BufferedReader(
                new InputStreamReader(process.getErrorStream(), StandardCharsets.UTF_8))) {
            for (String line = reader.readLine(); line != null; line = reader.readLine()) {
                Matcher m = STEP.matcher(line);
                if (m.matches()) {
                    // "<step>: <details>": the step names the row, the details (paths) stay in the log.
                    String step = m.group(2).split(": ", 2)[0].replaceAll("[^A-Za-z0-9 ._-]", " ").trim();
                    rows.add(new Row("coldstart", "phase:" + steps.size() + ":" + step, 0, scenario, 1,
                            Double.parseDouble(m.group(1)), Double.NaN, "ms", JDK));
                    steps.add(String.format("  +%6s ms  %s", m.group(1), m.group(2)));
                }
            }
        }
        if (process.waitFor() != 0) {
            throw new IOException(String.join(" ", command) + " exited with " + process.exitValue());
        }
        System.out.println("loader steps, " + scenario + ":");
        steps.forEach(System.out::println);
    }

    private static void rss(List<Row> rows, String backend, int size) throws IOException, InterruptedException {
        double[] mib = new double[3];
        for (int i = 0; i < mib.length; i++) {
            String[] line = launch(List.of("-Xmx2g"), RssChild.class, backend, Integer.toString(size));
            mib[i] = Long.parseLong(line[1]) / 1024.0;
        }
        rows.add(new Row("rss", "sum+stats+scale", size, backend, 1, median(mib), stdev(mib), "MiB", JDK));
        System.out.printf("rss %-8s peak %.1f MiB%n", backend, median(mib));
    }

    /** Starts {@code main} in a fresh JVM and returns the words of its last line of output. */
    private static String[] launch(List<String> flags, Class<?> main, String... args)
            throws IOException, InterruptedException {
        return launch(command(flags, main, args));
    }

    private static String[] launch(List<String> command) throws IOException, InterruptedException {
        Process process = new ProcessBuilder(command).redirectError(ProcessBuilder.Redirect.INHERIT).start();
        String last = null;
        try (BufferedReader reader = new BufferedReader(
                new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8))) {
            last = reader.readLine();
            lineReadAt = System.nanoTime();
            while (reader.readLine() != null) {
                // Drain whatever else the child prints.
            }
        }
        int code = process.waitFor();
        if (code != 0 || last == null) {
            throw new IOException(String.join(" ", command) + " exited with " + code);
        }
        return last.trim().split("\\s+");
    }

    private static List<String> command(List<String> flags, Class<?> main, String... args) {
        return command(flags, main == ColdStartChild.class ? userClassPath() : System.getProperty("java.class.path"), main, args);
    }

    private static List<String> command(List<String> flags, String classPath, Class<?> main, String... args) {
        List<String> command = new ArrayList<>();
        command.add(JAVA);
        command.add("-cp");
        command.add(classPath);
        command.addAll(flags);
        command.add(main.getName());
        command.addAll(Arrays.asList(args));
        return command;
    }

    /**
     * The child's class, the hotpath jar and kotlin-stdlib, as a user's class path would hold: the
     * benchmark's own class path puts JMH, JFreeChart and a signed BouncyCastle jar before hotpath,
     * and opening those to find hotpath's classes cost more than hotpath's whole load.
     */
    private static String userClassPath() {
        return userClassPath(codeSource(ColdStartChild.class));
    }

    /** The measuring program at {@code program} (its class directory or its jar), hotpath's jar and kotlin-stdlib. */
    private static String userClassPath(String program) {
        return String.join(File.pathSeparator, program, codeSource(dev.hotpath.Hotpath.class), codeSource(kotlin.Unit.class));
    }

    /**
     * The measuring program alone in a jar, for the second hello world: an application usually
     * starts from a jar. (The class-directory hello world opens hotpath's jar too, since the
     * verifier loads the exception class the program names, so both baselines hold the JVM's jar
     * machinery.)
     */
    private static void writeAppJar(Path jar) throws IOException {
        String entry = ColdStartChild.class.getName().replace('.', '/') + ".class";
        try (java.io.InputStream in = ColdStartChild.class.getResourceAsStream("/" + entry);
                java.util.jar.JarOutputStream out = new java.util.jar.JarOutputStream(Files.newOutputStream(jar))) {
            if (in == null) {
                throw new IOException("no class file for " + ColdStartChild.class.getName());
            }
            out.putNextEntry(new java.util.jar.JarEntry(entry));
            in.transferTo(out);
            out.closeEntry();
        }
    }

    private static String codeSource(Class<?> c) {
        try {
            return Paths.get(c.getProtectionDomain().getCodeSource().getLocation().toURI()).toString();
        } catch (java.net.URISyntaxException e) {
            throw new IllegalStateException("no file location for " + c, e);
        }
    }

    static double median(double[] values) {
        double[] sorted = values.clone();
        Arrays.sort(sorted);
        int n = sorted.length;
        return n % 2 == 1 ? sorted[n / 2] : (sorted[n / 2 - 1] + sorted[n / 2]) / 2;
    }

    static double stdev(double[] values) {
        if (values.length < 2) {
            return Double.NaN;
        }
        double mean = Arrays.stream(values).average().orElse(0);
        double ss = 0;
        for (double v : values) {
            ss += (v - mean) * (v - mean);
        }
        return Math.sqrt(ss / (values.length - 1));
    }
}
