package dev.hotpath.bench.report;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/** Reads and writes results.csv (and the side measurements' files, which use the same format). */
public final class ResultsCsv {
    private ResultsCsv() {
    }

    public static List<Row> read(Path file) throws IOException {
        List<Row> rows = new ArrayList<>();
        List<String> lines = Files.readAllLines(file, StandardCharsets.UTF_8);
        if (lines.isEmpty() || !lines.get(0).trim().equals(Row.HEADER)) {
            throw new IOException(file + ": the first line must be exactly " + Row.HEADER);
        }
        for (String line : lines.subList(1, lines.size())) {
            if (!line.isBlank()) {
                rows.add(Row.parse(line.trim()));
            }
        }
        return rows;
    }

    public static void write(Path file, List<Row> rows) throws IOException {
        List<String> lines = new ArrayList<>();
        lines.add(Row.HEADER);
        for (Row r : rows) {
            lines.add(r.toCsv());
        }
        Files.createDirectories(file.toAbsolutePath().getParent());
        Files.write(file, lines, StandardCharsets.UTF_8);
    }
}
