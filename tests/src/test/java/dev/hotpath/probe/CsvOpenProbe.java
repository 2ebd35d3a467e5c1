package dev.hotpath.probe;

import dev.hotpath.Csv;
import dev.hotpath.CsvReader;
import dev.hotpath.LongColumn;
import dev.hotpath.Table;
import java.nio.file.Paths;

/**
 * Streams the CSV file {@code args[0]} through {@code Csv.open} with the backend
 * {@code hotpath.backend} selects, and prints {@code rows}, the sum of the first (LONG) column,
 * the types of the first batch and the batch count as key=value lines. Run by
 * {@code CsvLargeFileTest} in a JVM with a small heap.
 */
public final class CsvOpenProbe {
    private CsvOpenProbe() {}

    public static void main(String[] args) throws Exception {
        long rows = 0;
        long sum = 0;
        long batches = 0;
        String types = "";
        try (CsvReader reader = Csv.open(Paths.get(args[0]))) {
            for (Table batch : reader) {
                if (batches == 0) {
                    StringBuilder sb = new StringBuilder();
                    for (int c = 0; c < batch.getColumnCount(); c++) {
                        sb.append(c == 0 ? "" : ",").append(batch.getType(c));
                    }
                    types = sb.toString();
                }
                batches++;
                LongColumn ids = batch.getLongColumn(0);
                for (int r = 0; r < ids.size(); r++) {
                    sum += ids.get(r);
                }
                rows += batch.getRowCount();
            }
        }
        System.out.println("rows=" + rows);
        System.out.println("sum=" + sum);
        System.out.println("types=" + types);
        System.out.println("batches=" + batches);
    }
}
