package dev.hotpath.bench.report;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.awt.image.BufferedImage;
import java.io.IOException;
import java.io.InputStream;
import java.net.URISyntaxException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.List;
import java.util.Properties;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The report generator on tiny hand-written inputs: no benchmark runs here. */
class ReportSmokeTest {
    @TempDir
    Path out;

    private static Path resource(String name) throws URISyntaxException {
        return Paths.get(ReportSmokeTest.class.getResource(name).toURI());
    }

    private List<Row> generateFromTinyResults() throws Exception {
        List<Row> rows = ReportMain.collect(resource("tiny-results.csv"));
        Properties machine = new Properties();
        machine.setProperty("cores", "2");
        ReportMain.generate(rows, machine, out);
        return rows;
    }

    @Test
    void resultsCsvStartsWithTheExactHeaderAndKeepsEveryRow() throws Exception {
        List<Row> rows = generateFromTinyResults();
        List<String> lines = Files.readAllLines(out.resolve("results.csv"), StandardCharsets.UTF_8);
        assertEquals("family,kernel,size,implementation,threads,score,error,unit,jdk", lines.get(0));
        assertEquals(rows.size() + 1, lines.size());
        assertEquals(rows, ResultsCsv.read(out.resolve("results.csv")));
    }

    @Test
    void reportHasEverySectionAndTheVerdicts() throws Exception {
        generateFromTinyResults();
        String report = Files.readString(out.resolve("REPORT.md"), StandardCharsets.UTF_8);
        int last = -1;
        for (String section : Report.SECTIONS) {
            int at = report.indexOf(section);
            assertTrue(at > last, "missing or out of order: " + section);
            last = at;
        }
        assertTrue(report.contains("| numeric.sum.long | native wins from 4 Ki | 4 Ki |"), report);
        assertTrue(report.contains("| numeric.sumExact | native never wins | none |"), report);
        assertTrue(report.contains("| blake3.hash | native always wins (from 1 Ki)"), report);
        assertTrue(report.contains("wrapper no-op 8.00 ns vs raw no-op 5.00 ns = **1.60x**"), report);
        assertTrue(report.contains("= **3.00x** | met |"), "sum(long[]) goal: loop 300 us / native 100 us");
        assertTrue(report.contains("### JDK 25 beside JDK 17"), report);
        assertTrue(Files.readString(out.resolve("HEADLINE.md")).contains("numeric.sum.long"));
    }

    @Test
    void everyPlotIsANonEmptyPngAndTheReportLinksIt() throws Exception {
        generateFromTinyResults();
        String report = Files.readString(out.resolve("REPORT.md"), StandardCharsets.UTF_8);
        List<Path> pngs;
        try (Stream<Path> files = Files.list(out)) {
            pngs = files.filter(p -> p.toString().endsWith(".png")).collect(Collectors.toList());
        }
        assertTrue(pngs.size() >= 4, "at least four plots: " + pngs);
        for (Path png : pngs) {
            BufferedImage image = ImageIO.read(png.toFile());
            assertNotNull(image, png + " is not an image");
            assertTrue(image.getWidth() > 100 && image.getHeight() > 100, png.toString());
            assertTrue(report.contains("(" + png.getFileName() + ")"), "REPORT.md does not link " + png.getFileName());
        }
        for (String expected : List.of("speedup-numeric.png", "speedup-blake3.png", "latency.png", "threads.png",
                "coldstart.png", "gc.png", "overhead.png")) {
            assertTrue(Files.size(out.resolve(expected)) > 1000, expected);
        }
    }

    @Test
    void jmhJsonBecomesRowsByNamingConvention() throws Exception {
        List<Row> rows = JmhResults.read(resource("tiny-jmh.json"));
        assertEquals(new Row("blake3", "hash", 1024, "bouncyCastle", 1, 812.5, 3.25, "ns/op", "17"), rows.get(0));
        assertEquals(new Row("numeric", "sum.long", 16, "native", 1, 40.0, Double.NaN, "ns/op", "25"), rows.get(1));
        assertEquals(List.of("us/op p50", "us/op p99", "us/op p99.9"),
                rows.subList(2, 5).stream().map(Row::unit).collect(Collectors.toList()));
        assertEquals("latency", rows.get(2).family());
        assertEquals(70.0, rows.get(3).score());
        assertEquals(new Row("ed25519", "verifyBatch", 64, "native", 2, 1300.0, 20.0, "ops/s", "17"), rows.get(5),
                "a BenchmarkX class, a size parameter of another name, a threads parameter");
    }

    @Test
    void calibrateWritesEachCrossoverAndNeverForLosers() throws Exception {
        Path file = out.resolve("thresholds.properties");
        Files.writeString(file, "default=777\nnumeric.sum.long=1\n");
        Thresholds.write(ResultsCsv.read(resource("tiny-results.csv")), file);
        Properties p = new Properties();
        try (InputStream in = Files.newInputStream(file)) {
            p.load(in);
        }
        assertEquals("777", p.getProperty("default"));
        assertEquals("4096", p.getProperty("numeric.sum.long"));
        assertEquals(Long.toString(Thresholds.NEVER), p.getProperty("numeric.sumExact"));
        assertEquals("1024", p.getProperty("blake3.hash"));
        assertFalse(p.containsKey("overhead.noop"));
    }
}
