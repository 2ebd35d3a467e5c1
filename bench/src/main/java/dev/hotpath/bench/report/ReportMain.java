package dev.hotpath.bench.report;

import java.io.IOException;
import java.io.Reader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Properties;
import java.util.stream.Collectors;
import java.util.stream.Stream;

/**
 * The report generator's command line, run by bench/run:
 * <pre>
 * report &lt;raw-dir | results.csv&gt; &lt;out-dir&gt; [machine.properties]
 *     JMH JSON files (*.json) and side-measurement files (*.csv) of a raw directory, or an existing
 *     results.csv, become out-dir/results.csv, REPORT.md, HEADLINE.md and the PNG plots (older
 *     PNGs in out-dir are removed first, so the directory holds one run's plots).
 * calibrate &lt;results.csv&gt; &lt;thresholds.properties&gt;
 *     rewrites Backend.AUTO's thresholds from the sweep's crossovers.
 * </pre>
 */
public final class ReportMain {
    private ReportMain() {
    }

    public static void main(String[] args) throws IOException {
        System.setProperty("java.awt.headless", "true");
        if (args.length >= 3 && args[0].equals("report")) {
            Properties machine = new Properties();
            if (args.length >= 4 && Files.isRegularFile(Paths.get(args[3]))) {
                try (Reader r = Files.newBufferedReader(Paths.get(args[3]), StandardCharsets.UTF_8)) {
                    machine.load(r);
                }
            }
            Path out = Paths.get(args[2]);
            List<Row> rows = collect(Paths.get(args[1]));
            generate(rows, machine, out);
            System.out.println("report: " + rows.size() + " rows; wrote " + out.resolve("REPORT.md"));
        } else if (args.length == 3 && args[0].equals("calibrate")) {
            List<Row> rows = ResultsCsv.read(Paths.get(args[1]));
            String text = Thresholds.write(rows, Paths.get(args[2]));
            System.out.print(text);
        } else {
            System.err.println("usage: report <raw-dir|results.csv> <out-dir> [machine.properties]\n"
                    + "       calibrate <results.csv> <thresholds.properties>");
            System.exit(2);
        }
    }

    /** Writes results.csv and the report for {@code rows} into {@code out}. */
    public static void generate(List<Row> rows, Properties machine, Path out) throws IOException {
        Files.createDirectories(out);
        try (Stream<Path> old = Files.list(out)) {
            for (Path png : old.filter(p -> p.toString().endsWith(".png")).collect(Collectors.toList())) {
                Files.delete(png);
            }
        }
        ResultsCsv.write(out.resolve("results.csv"), rows);
        new Report(rows, machine).write(out);
    }

    /** The rows of a results.csv, or of every JMH JSON and side CSV file in a directory. */
    public static List<Row> collect(Path input) throws IOException {
        if (Files.isRegularFile(input)) {
            return ResultsCsv.read(input);
        }
        List<Row> rows = new ArrayList<>();
        List<Path> files;
        try (Stream<Path> s = Files.list(input)) {
            files = s.sorted(Comparator.comparing(Path::toString)).collect(Collectors.toList());
        }
        for (Path f : files) {
            String name = f.getFileName().toString();
            if (name.endsWith(".json")) {
                rows.addAll(JmhResults.read(f));
            } else if (name.endsWith(".csv")) {
                rows.addAll(ResultsCsv.read(f));
            }
        }
        return rows;
    }
}
