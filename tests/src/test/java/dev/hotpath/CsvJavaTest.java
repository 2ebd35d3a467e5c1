package dev.hotpath;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import org.junit.jupiter.api.Test;

/** The Csv family as Java sees it: static calls, builders, plain arrays, checked IOException. */
class CsvJavaTest {
    private static final byte[] DATA =
            "id,price,ok,name\n1,2.5,true,a\n2,,false,\"b,c\"\n".getBytes(StandardCharsets.UTF_8);

    @Test
    void readsTypedColumnsFromJava() {
        Table t = Csv.read(DATA, CsvOptions.defaults());
        assertEquals(2, t.getRowCount());
        assertEquals(Arrays.asList("id", "price", "ok", "name"), t.getColumnNames());
        assertArrayEquals(new long[] {1, 2}, t.getLongColumn("id").toArray());
        DoubleColumn price = t.getDoubleColumn(1);
        assertTrue(price.isNull(1));
        assertEquals(1, price.getNullCount());
        assertTrue(t.getBooleanColumn("ok").get(0));
        StringColumn name = t.getStringColumn("name");
        assertEquals("b,c", name.get(1));
        assertArrayEquals(new int[] {0, 1, 4}, name.getOffsets());
        assertThrows(IllegalArgumentException.class, () -> t.getLongColumn("name"));
        assertEquals(ColumnType.STRING, t.getType(3));
    }

    @Test
    void builderBuffersAndFiles() throws Exception {
        CsvOptions options = CsvOptions.builder()
                .delimiter(';')
                .header(false)
                .column("x", ColumnType.LONG)
                .column("y", ColumnType.STRING)
                .nullValue("NA")
                .build();
        byte[] data = "1;NA\n2;z\n".getBytes(StandardCharsets.UTF_8);
        ByteBuffer direct = ByteBuffer.allocateDirect(data.length);
        direct.put(data).flip();
        Table t = Csv.read(direct, options);
        assertEquals(0, direct.position());
        assertNull(t.getStringColumn("y").get(0));
        Path file = Files.createTempFile("hotpath-csv", ".csv");
        try {
            Files.write(file, data);
            assertEquals(t, Csv.read(file, options));
            int rows = 0;
            try (CsvReader reader = Csv.open(file, options.toBuilder().batchRows(1).build())) {
                for (Table batch : reader) {
                    rows += batch.getRowCount();
                    assertEquals(1, batch.getRowCount());
                }
            }
            assertEquals(2, rows);
        } finally {
            Files.delete(file);
        }
    }

    @Test
    void errorsCarryTheirPosition() {
        CsvException e = assertThrows(CsvException.class,
                () -> Csv.read("a,b\n1\n".getBytes(StandardCharsets.UTF_8), CsvOptions.defaults()));
        assertEquals(2L, e.getLine());
        assertEquals(2, e.getColumn());
        assertEquals(5L, e.getByteOffset());
        assertEquals(CsvException.Kind.TOO_FEW_FIELDS, e.getKind());
    }

    @Test
    void aFreedHandleIsAnExceptionNotACrash() {
        if (!Hotpath.isNativeAvailable()) {
            throw Hotpath.getNativeLoadError();
        }
        long handle = CsvHooks.read(DATA);
        assertEquals(0L, CsvHooks.info(handle)[0]);
        CsvHooks.free(handle);
        assertThrows(IllegalStateException.class, () -> CsvHooks.free(handle));
        assertThrows(IllegalStateException.class, () -> CsvHooks.info(handle));
        assertThrows(IllegalStateException.class, () -> CsvHooks.info(-7L));
    }
}
