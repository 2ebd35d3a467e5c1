package dev.hotpath.bench;

import ch.randelshofer.fastdoubleparser.JavaDoubleParser;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.core.StreamReadFeature;
import com.fasterxml.jackson.dataformat.csv.CsvFactory;
import com.fasterxml.jackson.dataformat.csv.CsvSchema;
import com.univocity.parsers.csv.CsvParser;
import com.univocity.parsers.csv.CsvParserSettings;
import de.siegmar.fastcsv.reader.AbstractBaseCsvCallbackHandler;
import de.siegmar.fastcsv.reader.CsvReader;
import dev.hotpath.Table;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.Reader;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.Iterator;
import org.apache.commons.csv.CSVFormat;
import org.apache.commons.csv.CSVParser;
import org.apache.commons.csv.CSVRecord;

/**
 * The pure-JVM pipelines {@link CsvBenchmark} measures against hotpath: each reads the bytes of
 * one of the benchmark's inputs (a header, then 4 LONG, 4 DOUBLE and, except in {@code numeric},
 * 2 STRING columns) into the same columns: {@code long[]} and {@code double[]} per numeric column
 * and a {@code String[]} per text column (the form each library hands out; hotpath keeps text as
 * UTF-8 bytes and offsets instead). Each is given the schema, where hotpath's default read infers
 * it; each uses the library the way its documentation shows for speed:
 * <ul>
 *   <li>FastCSV: a callback handler that gets every field as a {@code char[]} range, so no object
 *       per field; numbers through {@code Long.parseLong(CharSequence, int, int, int)} on a reused
 *       view and FastDoubleParser, the best pure-JVM pipeline we know;</li>
 *   <li>Jackson CSV: the streaming {@code CsvParser} with a typed schema and Jackson's fast double
 *       parser, numbers from {@code getValueAsLong}/{@code getValueAsDouble};</li>
 *   <li>univocity-parsers: {@code parseNext()} rows of {@code String}s, whitespace trimming off;</li>
 *   <li>commons-csv: {@code CSVRecord}s, {@code Long.parseLong} and {@code Double.parseDouble}.</li>
 * </ul>
 * Every input arrives as a {@code byte[]}; decoding UTF-8 is part of each pipeline's work, as it is
 * of hotpath's.
 */
final class CsvPipelines {
    static final int LONGS = 4;
    static final int DOUBLES = 4;

    private CsvPipelines() {
    }

    /** The columns every pipeline fills; grown by doubling, as a reader of unknown row count must. */
    static final class Columns {
        final long[][] longs = new long[LONGS][];
        final double[][] doubles = new double[DOUBLES][];
        final String[][] strings;
        int rows;
        private int capacity;

        Columns(int stringColumns, int expectedRows) {
            strings = new String[stringColumns][];
            capacity = Math.max(16, expectedRows);
            for (int c = 0; c < LONGS; c++) {
                longs[c] = new long[capacity];
            }
            for (int c = 0; c < DOUBLES; c++) {
                doubles[c] = new double[capacity];
            }
            for (int c = 0; c < stringColumns; c++) {
                strings[c] = new String[capacity];
            }
        }

        int fields() {
            return LONGS + DOUBLES + strings.length;
        }

        /** Makes room for row {@link #rows}. */
        void ensureRow() {
            if (rows < capacity) {
                return;
            }
            capacity *= 2;
            for (int c = 0; c < LONGS; c++) {
                longs[c] = Arrays.copyOf(longs[c], capacity);
            }
            for (int c = 0; c < DOUBLES; c++) {
                doubles[c] = Arrays.copyOf(doubles[c], capacity);
            }
            for (int c = 0; c < strings.length; c++) {
                strings[c] = Arrays.copyOf(strings[c], capacity);
            }
        }

        /** Checks these columns against hotpath's table of the same input (the benchmark's setup). */
        void requireEqual(Table table, String who) {
            if (table.getRowCount() != rows || table.getColumnCount() != fields()) {
                throw new IllegalStateException(who + ": " + rows + " rows of " + fields() + " columns, hotpath read "
                        + table.getRowCount() + " of " + table.getColumnCount());
            }
            for (int c = 0; c < LONGS; c++) {
                if (!Arrays.equals(Arrays.copyOf(longs[c], rows), table.getLongColumn(c).toArray())) {
                    throw new IllegalStateException(who + ": LONG column " + (c + 1) + " differs from hotpath's");
                }
            }
            for (int c = 0; c < DOUBLES; c++) {
                if (!Arrays.equals(Arrays.copyOf(doubles[c], rows), table.getDoubleColumn(LONGS + c).toArray())) {
                    throw new IllegalStateException(who + ": DOUBLE column " + (c + 1) + " differs from hotpath's");
                }
            }
            for (int c = 0; c < strings.length; c++) {
                var column = table.getStringColumn(LONGS + DOUBLES + c);
                for (int r = 0; r < rows; r++) {
                    if (!strings[c][r].equals(column.get(r))) {
                        throw new IllegalStateException(who + ": STRING column " + (c + 1) + " row " + r
                                + " differs from hotpath's");
                    }
                }
            }
        }
    }

    private static Reader utf8(byte[] data) {
        return new InputStreamReader(new ByteArrayInputStream(data), StandardCharsets.UTF_8);
    }

    // ---- FastCSV ------------------------------------------------------------------------------

    static Columns fastCsv(byte[] data, int stringColumns, int expectedRows) {
        FastCsvColumns handler = new FastCsvColumns(new Columns(stringColumns, expectedRows));
        try (CsvReader<Object> reader = CsvReader.builder().build(handler, new ByteArrayInputStream(data),
                StandardCharsets.UTF_8)) {
            // buildRecord answers null for every record, so the first hasNext() reads the whole input.
            Iterator<Object> records = reader.iterator();
            if (records.hasNext()) {
                throw new IllegalStateException("FastCSV handed out a record");
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return handler.columns;
    }

    /** Fields straight from FastCSV's buffer into the columns; the header record is skipped. */
    private static final class FastCsvColumns extends AbstractBaseCsvCallbackHandler<Object> {
        final Columns columns;
        private final CharView view = new CharView();
        private boolean header = true;

        FastCsvColumns(Columns columns) {
            this.columns = columns;
        }

        @Override
        protected void handleBegin(long startingLineNumber) {
            if (!header) {
                columns.ensureRow();
            }
        }

        @Override
        protected void handleField(int index, char[] buf, int offset, int len, boolean quoted) {
            if (header) {
                return;
            }
            int row = columns.rows;
            if (index < LONGS) {
                view.set(buf, offset, len);
                columns.longs[index][row] = Long.parseLong(view, 0, len, 10);
            } else if (index < LONGS + DOUBLES) {
                columns.doubles[index - LONGS][row] = JavaDoubleParser.parseDouble(buf, offset, len);
            } else {
                columns.strings[index - LONGS - DOUBLES][row] = new String(buf, offset, len);
            }
        }

        @Override
        protected Object buildRecord() {
            if (getRecordType() == de.siegmar.fastcsv.reader.RecordType.DATA) {
                if (header) {
                    header = false;
                } else {
                    columns.rows++;
                }
            }
            return null;
        }
    }

    /** A reused {@code CharSequence} over part of a {@code char[]}: no object per field. */
    private static final class CharView implements CharSequence {
        private char[] buf;
        private int offset;
        private int length;

        void set(char[] buf, int offset, int length) {
            this.buf = buf;
            this.offset = offset;
            this.length = length;
        }

        @Override
        public int length() {
            return length;
        }

        @Override
        public char charAt(int index) {
            return buf[offset + index];
        }

        @Override
        public CharSequence subSequence(int start, int end) {
            return new String(buf, offset + start, end - start);
        }

        @Override
        public String toString() {
            return new String(buf, offset, length);
        }
    }

    // ---- Jackson CSV --------------------------------------------------------------------------

    private static final CsvFactory JACKSON = CsvFactory.builder().enable(StreamReadFeature.USE_FAST_DOUBLE_PARSER).build();

    static CsvSchema jacksonSchema(int stringColumns) {
        CsvSchema.Builder schema = CsvSchema.builder().setUseHeader(true);
        for (int c = 0; c < LONGS; c++) {
            schema.addColumn("l" + (c + 1), CsvSchema.ColumnType.NUMBER);
        }
        for (int c = 0; c < DOUBLES; c++) {
            schema.addColumn("d" + (c + 1), CsvSchema.ColumnType.NUMBER);
        }
        for (int c = 0; c < stringColumns; c++) {
            schema.addColumn("s" + (c + 1), CsvSchema.ColumnType.STRING);
        }
        return schema.build();
    }

    static Columns jackson(byte[] data, CsvSchema schema, int stringColumns, int expectedRows) {
        Columns columns = new Columns(stringColumns, expectedRows);
        try (JsonParser p = JACKSON.createParser(data)) {
            p.setSchema(schema);
            int field = 0;
            JsonToken t;
            while ((t = p.nextToken()) != null) {
                if (t == JsonToken.START_OBJECT) {
                    columns.ensureRow();
                    field = 0;
                } else if (t == JsonToken.END_OBJECT) {
                    columns.rows++;
                } else if (t != JsonToken.FIELD_NAME) {
                    int row = columns.rows;
                    if (field < LONGS) {
                        columns.longs[field][row] = p.getValueAsLong();
                    } else if (field < LONGS + DOUBLES) {
                        columns.doubles[field - LONGS][row] = p.getValueAsDouble();
                    } else {
                        columns.strings[field - LONGS - DOUBLES][row] = p.getText();
                    }
                    field++;
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return columns;
    }

    // ---- univocity-parsers --------------------------------------------------------------------

    static Columns univocity(byte[] data, int stringColumns, int expectedRows) {
        CsvParserSettings settings = new CsvParserSettings();
        settings.getFormat().setLineSeparator("\n");
        settings.setHeaderExtractionEnabled(true);
        settings.setIgnoreLeadingWhitespaces(false);
        settings.setIgnoreTrailingWhitespaces(false);
        settings.setMaxCharsPerColumn(-1);
        CsvParser parser = new CsvParser(settings);
        Columns columns = new Columns(stringColumns, expectedRows);
        parser.beginParsing(utf8(data));
        String[] row;
        while ((row = parser.parseNext()) != null) {
            columns.ensureRow();
            fill(columns, row);
        }
        return columns;
    }

    private static void fill(Columns columns, String[] row) {
        int r = columns.rows;
        for (int c = 0; c < LONGS; c++) {
            columns.longs[c][r] = Long.parseLong(row[c]);
        }
        for (int c = 0; c < DOUBLES; c++) {
            columns.doubles[c][r] = Double.parseDouble(row[LONGS + c]);
        }
        for (int c = 0; c < columns.strings.length; c++) {
            columns.strings[c][r] = row[LONGS + DOUBLES + c];
        }
        columns.rows++;
    }

    // ---- commons-csv --------------------------------------------------------------------------

    private static final CSVFormat COMMONS = CSVFormat.RFC4180.builder().setHeader().setSkipHeaderRecord(true).get();

    static Columns commonsCsv(byte[] data, int stringColumns, int expectedRows) {
        Columns columns = new Columns(stringColumns, expectedRows);
        try (CSVParser parser = CSVParser.builder().setReader(utf8(data)).setFormat(COMMONS).get()) {
            for (CSVRecord record : parser) {
                columns.ensureRow();
                int r = columns.rows;
                for (int c = 0; c < LONGS; c++) {
                    columns.longs[c][r] = Long.parseLong(record.get(c));
                }
                for (int c = 0; c < DOUBLES; c++) {
                    columns.doubles[c][r] = Double.parseDouble(record.get(LONGS + c));
                }
                for (int c = 0; c < columns.strings.length; c++) {
                    columns.strings[c][r] = record.get(LONGS + DOUBLES + c);
                }
                columns.rows++;
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return columns;
    }
}
