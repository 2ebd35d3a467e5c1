package dev.hotpath

import dev.hotpath.NumericInputs.onBackend
import org.junit.jupiter.api.AfterEach
import org.junit.jupiter.api.Assertions.assertArrayEquals
import org.junit.jupiter.api.Assertions.assertEquals
import org.junit.jupiter.api.Assertions.assertNull
import org.junit.jupiter.api.Assertions.assertTrue
import org.junit.jupiter.api.BeforeAll
import org.junit.jupiter.api.Test
import org.junit.jupiter.api.assertThrows
import java.nio.ByteBuffer
import java.nio.file.Files
import kotlin.random.Random

/** What a read gave: a table, or the error's kind and position. */
sealed class Outcome {
    data class Read(val table: Table) : Outcome()

    data class Failed(val kind: CsvException.Kind, val line: Long, val column: Int, val byteOffset: Long, val expected: Long, val found: Long) :
        Outcome()
}

fun outcome(read: () -> Table): Outcome =
    try {
        Outcome.Read(read())
    } catch (e: CsvException) {
        Outcome.Failed(e.kind, e.line, e.column, e.byteOffset, e.expected, e.found)
    }

/**
 * Csv.read on [Backend.NATIVE], [Backend.JVM] and [Backend.AUTO]: every rule of docs/csv.md and
 * every error kind with its position, on both backends, which must agree on every input.
 */
class CsvTest {
    companion object {
        @JvmStatic
        @BeforeAll
        fun nativeLibraryIsAvailable() = NumericInputs.requireNative()

        private val BACKENDS = listOf(Backend.NATIVE, Backend.JVM, Backend.AUTO)

        /** The outcome on every backend (and natively in chunks of [chunk] bytes), which must be one. */
        fun agree(input: ByteArray, options: CsvOptions = CsvOptions.defaults(), chunk: Int = 0): Outcome {
            val outcomes = BACKENDS.map { b -> b to onBackend(b) { outcome { Csv.read(input, options) } } }.toMutableList()
            if (chunk > 0) {
                val small = CsvHooks.withChunkBytes(options, chunk)
                outcomes += Backend.NATIVE to onBackend(Backend.NATIVE) { outcome { Csv.read(input, small) } }
            }
            val first = outcomes.first().second
            for ((b, o) in outcomes) assertEquals(first, o) { "backend $b on ${String(input, Charsets.ISO_8859_1)}: ${describe(first)} vs ${describe(o)}" }
            return first
        }

        fun table(input: String, options: CsvOptions = CsvOptions.defaults()): Table =
            when (val o = agree(input.toByteArray(), options)) {
                is Outcome.Read -> o.table
                is Outcome.Failed -> throw AssertionError("expected a table, got $o")
            }

        fun failure(input: String, options: CsvOptions = CsvOptions.defaults()): Outcome.Failed = failure(input.toByteArray(), options)

        fun failure(input: ByteArray, options: CsvOptions = CsvOptions.defaults()): Outcome.Failed =
            when (val o = agree(input, options)) {
                is Outcome.Failed -> o
                is Outcome.Read -> throw AssertionError("expected an error, got ${o.table}")
            }

        private fun describe(o: Outcome): String =
            if (o is Outcome.Read) (0 until o.table.columnCount).joinToString(" | ") { o.table.getColumn(it).toString() + " nulls " + o.table.getColumn(it).nullCount } else o.toString()

        private val noHeader = CsvOptions.builder().header(false).build()
    }

    @AfterEach
    fun restoreAuto() {
        Hotpath.backend = Backend.AUTO
    }

    @Test
    fun typesAreInferredFromEveryRecord() {
        val t = table("l,d,b,s,mixed\n1,2,true,x,1\n-3,2.5e1,FALSE,\"y\",true\n")
        assertEquals(listOf(ColumnType.LONG, ColumnType.DOUBLE, ColumnType.BOOLEAN, ColumnType.STRING, ColumnType.STRING), (0 until 5).map { t.getType(it) })
        assertArrayEquals(longArrayOf(1, -3), t.getLongColumn("l").toArray())
        assertArrayEquals(doubleArrayOf(2.0, 25.0), t.getDoubleColumn("d").toArray())
        assertEquals(false, t.getBooleanColumn("b").get(1))
        assertEquals("true", t.getStringColumn("mixed").get(1))
    }

    @Test
    fun outOfRangeLongsMakeADoubleColumnAndQuotedNumbersParse() {
        val t = table("a,b\n9223372036854775808,\"12\"\n1,3\n")
        assertEquals(ColumnType.DOUBLE, t.getType(0))
        assertEquals(9.223372036854775808e18, t.getDoubleColumn(0).get(0))
        assertArrayEquals(longArrayOf(12, 3), t.getLongColumn(1).toArray())
    }

    @Test
    fun nullsAndTheNullToken() {
        val options = CsvOptions.builder().nullValue("NA").build()
        val t = table("n,s,e\n,,\n\"\",\"\",\nNA,NA,\n7,\"NA\",\n", options)
        val n = t.getLongColumn("n")
        assertEquals(3, n.nullCount)
        assertEquals(listOf(true, true, true, false), (0 until 4).map { n.isNull(it) })
        val s = t.getStringColumn("s")
        assertEquals(listOf(null, "", null, "NA"), (0 until 4).map { s.get(it) })
        assertEquals(ColumnType.STRING, t.getType(2))
        assertEquals(4, t.getColumn(2).nullCount)
    }

    @Test
    fun bomCrlfBlankLinesAndNoFinalLineEnd() {
        val t = table("\uFEFFa,b\r\n\r\n\n1,\"x\r\ny\"\r\n\n2,z")
        assertEquals(listOf("a", "b"), t.columnNames)
        assertArrayEquals(longArrayOf(1, 2), t.getLongColumn("a").toArray())
        assertEquals("x\r\ny", t.getStringColumn("b").get(0))
    }

    @Test
    fun zeroOneAndTwoRowsAndAHeaderOnly() {
        for (input in listOf("", "\uFEFF", "\n\n")) {
            val t = table(input)
            assertEquals(0 to 0, t.rowCount to t.columnCount)
        }
        val header = table("a,b\n")
        assertEquals(0, header.rowCount)
        assertEquals(listOf(ColumnType.STRING, ColumnType.STRING), listOf(header.getType(0), header.getType(1)))
        assertEquals(1, table("a\n1\n").rowCount)
        assertEquals(2, table("a\n1\n2").rowCount)
    }

    @Test
    fun withoutAHeaderColumnsAreNumberedOrGiven() {
        assertEquals(listOf("c1", "c2"), table("1,2\n", noHeader).columnNames)
        val given = CsvOptions.builder().column("x", ColumnType.STRING).column("y", ColumnType.DOUBLE).build()
        val t = table("a,b\n1,2\n", given)
        assertEquals(listOf("x", "y"), t.columnNames)
        assertEquals("1", t.getStringColumn("x").get(0))
        assertEquals(2.0, t.getDoubleColumn("y").get(0))
    }

    @Test
    fun everyErrorKindWithItsPosition() {
        fun check(f: Outcome.Failed, kind: CsvException.Kind, line: Long, column: Int, offset: Long) =
            assertEquals(listOf<Any>(kind, line, column, offset), listOf<Any>(f.kind, f.line, f.column, f.byteOffset), f.toString())
        check(failure("a,b\n1,\"x\n"), CsvException.Kind.UNCLOSED_QUOTE, 2, 2, 6)
        check(failure("a\n\"x\ny\"\n1\"2\n"), CsvException.Kind.QUOTE_IN_UNQUOTED_FIELD, 4, 1, 8)
        check(failure("a,b\n1,\"x\"y\n"), CsvException.Kind.TEXT_AFTER_CLOSING_QUOTE, 2, 2, 6)
        val short = CsvOptions.builder().maxFieldBytes(3).build()
        val tooLong = failure("a,b\n1,\"abc\"\n", short)
        check(tooLong, CsvException.Kind.FIELD_TOO_LONG, 2, 2, 6)
        assertEquals(3L, tooLong.expected)
        val many = failure("a,b\n1,2\n\n1,2,3,4\n")
        check(many, CsvException.Kind.TOO_MANY_FIELDS, 4, 3, 13)
        assertEquals(2L to 4L, many.expected to many.found)
        val few = failure("a,b,c\n1\r\n")
        check(few, CsvException.Kind.TOO_FEW_FIELDS, 2, 2, 7)
        assertEquals(3L to 1L, few.expected to few.found)
        val typed = CsvOptions.builder().column("l", ColumnType.LONG).column("d", ColumnType.DOUBLE).column("b", ColumnType.BOOLEAN).build()
        check(failure("l,d,b\n1,2,true\nx,2,true\n", typed), CsvException.Kind.NOT_A_LONG, 3, 1, 15)
        check(failure("l,d,b\n-9223372036854775809,2,true\n", typed), CsvException.Kind.LONG_OUT_OF_RANGE, 2, 1, 6)
        check(failure("l,d,b\n1,2e,true\n", typed), CsvException.Kind.NOT_A_DOUBLE, 2, 2, 8)
        check(failure("l,d,b\n1,2,yes\n", typed), CsvException.Kind.NOT_A_BOOLEAN, 2, 3, 10)
        check(failure("s\nok\nb\u00C0\n".toByteArray(Charsets.ISO_8859_1)), CsvException.Kind.MALFORMED_UTF8, 3, 1, 5)
        check(failure("a,b,a\n"), CsvException.Kind.DUPLICATE_NAME, 1, 3, 4)
        // Line numbers count line ends inside quoted fields and blank lines.
        check(failure("a\n\"1\n2\n3\"\n\n\"\n"), CsvException.Kind.UNCLOSED_QUOTE, 6, 1, 11)
    }

    @Test
    fun malformedUtf8IsAnErrorAtItsField() {
        for (bad in listOf(byteArrayOf(0xC0.toByte(), 0x80.toByte()), byteArrayOf(0xED.toByte(), 0xA0.toByte(), 0x80.toByte()), byteArrayOf(0xF4.toByte(), 0x90.toByte(), 0x80.toByte(), 0x80.toByte()), byteArrayOf(0xE2.toByte(), 0x82.toByte()))) {
            val input = "s\nok\n".toByteArray() + bad + "\n".toByteArray()
            val f = failure(input)
            assertEquals(CsvException.Kind.MALFORMED_UTF8 to 3L, f.kind to f.line)
        }
        assertEquals("h\u00e9\u20ac\uD83D\uDE00", table("s\nh\u00e9\u20ac\uD83D\uDE00\n").getStringColumn(0).get(0))
    }

    @Test
    fun askingForTheWrongTypeNamesTheColumn() {
        val t = table("a,b\n1,x\n")
        val e = assertThrows<IllegalArgumentException> { t.getDoubleColumn("a") }
        assertTrue(e.message!!.contains("\"a\"") && e.message!!.contains("LONG"), e.message)
        assertThrows<IllegalArgumentException> { t.getLongColumn("nope") }
        assertThrows<IndexOutOfBoundsException> { t.getLongColumn(2) }
        assertThrows<IndexOutOfBoundsException> { t.getLongColumn(0).get(1) }
    }

    @Test
    fun optionsAreChecked() {
        assertThrows<IllegalArgumentException> { CsvOptions.builder().delimiter('\n').build() }
        assertThrows<IllegalArgumentException> { CsvOptions.builder().quote(',').build() }
        assertThrows<IllegalArgumentException> { CsvOptions.builder().delimiter('\u00e9').build() }
        assertThrows<IllegalArgumentException> { CsvOptions.builder().nullValue("").build() }
        assertThrows<IllegalArgumentException> { CsvOptions.builder().maxFieldBytes(0).build() }
        assertThrows<IllegalArgumentException> { CsvOptions.builder().column("a", ColumnType.LONG).column("a", ColumnType.LONG).build() }
    }

    @Test
    fun doublesRoundExactlyAsParseDouble() {
        val texts = listOf(
            "1.00000000000000011102230246251565404236316680908203125", // halfway: ties to even
            "1.00000000000000011102230246251565404236316680908203126",
            "9007199254740993", "9007199254740992.5", "12345678901234567890", "-12345678901234567891",
            "2.2250738585072011e-308", "2.2250738585072012e-308", "4.9e-324", "2.4703282292062327e-324",
            "2.4703282292062328e-324", "1.7976931348623157e308", "1.7976931348623158e308", "1.8e308",
            "1e-400", "1e400", "0.1", "-0", "-0.0", "1.", ".5", "+.5e-3", "000001e0010",
            "0." + "0".repeat(400) + "1", "1" + "0".repeat(400),
        )
        val t = table("d\n" + texts.joinToString("\n") + "\n")
        val column = t.getDoubleColumn(0)
        for ((i, text) in texts.withIndex()) {
            assertEquals(java.lang.Double.parseDouble(text).toRawBits(), column.get(i).toRawBits(), text)
        }
        val special = table("d\nnan\n-NaN\ninf\n-Infinity\n+INF\n").getDoubleColumn(0)
        assertTrue(special.get(0).isNaN() && special.get(1).isNaN())
        assertEquals(listOf(Double.POSITIVE_INFINITY, Double.NEGATIVE_INFINITY, Double.POSITIVE_INFINITY), (2..4).map { special.get(it) })
        for (notADouble in listOf(".", "e5", "1e", "1_000", " 1", "0x10", "1d", "1f", "infinit", "Infinityy", "١")) {
            assertEquals(ColumnType.STRING, table("d\n$notADouble\n").getType(0), notADouble)
        }
    }

    @Test
    fun buffersAndFilesGiveTheSameTable() {
        val bytes = "x,y\n1,\"a\"\n2,b\n".toByteArray()
        val expected = table(String(bytes))
        for (backend in BACKENDS) {
            onBackend(backend) {
                val direct = ByteBuffer.allocateDirect(bytes.size + 3)
                direct.position(3)
                direct.put(bytes)
                direct.position(3)
                assertEquals(expected, Csv.read(direct))
                assertEquals(3, direct.position())
                val heap = ByteBuffer.wrap(ByteArray(2) + bytes, 2, bytes.size)
                assertEquals(expected, Csv.read(heap))
                assertEquals(expected, Csv.read(heap.asReadOnlyBuffer()))
                val file = Files.createTempFile("hotpath-csv", ".csv")
                try {
                    Files.write(file, bytes)
                    assertEquals(expected, Csv.read(file))
                } finally {
                    Files.delete(file)
                }
            }
        }
        // Offsets in errors count from the buffer's position.
        val bad = ByteBuffer.wrap("zzzza\n\"".toByteArray())
        bad.position(4)
        val e = assertThrows<CsvException> { Csv.read(bad) }
        assertEquals(2L to 2L, e.line to e.byteOffset)
    }

    @Test
    fun aMissingFileIsAnIOException() {
        val missing = Files.createTempDirectory("hotpath-csv").resolve("missing.csv")
        for (backend in BACKENDS) onBackend(backend) { assertThrows<java.io.IOException> { Csv.read(missing) } }
    }
}

/** Both backends on random and mutated CSV, and native chunk boundaries at every offset. */
class CsvAgreementTest {
    companion object {
        @JvmStatic
        @BeforeAll
        fun nativeLibraryIsAvailable() = NumericInputs.requireNative()

        private val FIELDS = listOf("1", "-42", "3.5", "1e3", "nan", "true", "FALSE", "", "\"\"", "x", "\"a,b\"", "\"q\"\"q\"", "\"l\nm\"", "\"r\r\ns\"", "NA", "\"NA\"", "9223372036854775808", "h\u00e9")

        fun randomCsv(random: Random, rows: Int, columns: Int): ByteArray {
            val sb = StringBuilder()
            if (random.nextInt(4) == 0) sb.append('\uFEFF')
            sb.append((1..columns).joinToString(",") { "h$it" }).append('\n')
            repeat(rows) {
                sb.append((1..columns).joinToString(",") { FIELDS[random.nextInt(FIELDS.size)] })
                sb.append(if (random.nextBoolean()) "\n" else "\r\n")
                if (random.nextInt(8) == 0) sb.append('\n')
            }
            return sb.toString().toByteArray()
        }

        private val NA = CsvOptions.builder().nullValue("NA").build()
    }

    @AfterEach
    fun restoreAuto() {
        Hotpath.backend = Backend.AUTO
    }

    @Test
    fun randomAndMutatedCsvGiveEqualOutcomes() {
        val random = Random(20261202)
        repeat(400) { i ->
            val input = randomCsv(random, random.nextInt(0, 12), random.nextInt(1, 5))
            val mutations = random.nextInt(0, 3)
            repeat(mutations) {
                if (input.isNotEmpty()) input[random.nextInt(input.size)] = "\",\n\r\"x1".toByteArray().let { it[random.nextInt(it.size)] }
            }
            CsvTest.agree(input, if (i % 2 == 0) NA else CsvOptions.defaults(), chunk = 1 + random.nextInt(16))
        }
    }

    @Test
    fun chunkBoundariesInsideQuotedFieldsAtEveryOffset() {
        val input = ("a,b,c\n" + (1..12).joinToString("") { "$it,\"x,\"\"y\"\"\n\r\nz\",\"\"\n" }).toByteArray()
        val whole = CsvTest.agree(input)
        assertTrue(whole is Outcome.Read)
        for (chunk in 1..input.size) {
            val small = CsvHooks.withChunkBytes(CsvOptions.defaults(), chunk)
            val o = onBackend(Backend.NATIVE) { outcome { Csv.read(input, small) } }
            assertEquals(whole, o, "chunk $chunk")
        }
        // A stray quote: the parity after it is wrong, the first error must still be the same.
        val bad = input.copyOf().also { it[input.size / 2] = '"'.code.toByte() }
        val expected = CsvTest.agree(bad)
        for (chunk in 1..bad.size) {
            val small = CsvHooks.withChunkBytes(CsvOptions.defaults(), chunk)
            assertEquals(expected, onBackend(Backend.NATIVE) { outcome { Csv.read(bad, small) } }, "chunk $chunk")
        }
    }

    @Test
    fun aLargeInputReadInParallelEqualsTheJvmTwin() {
        val random = Random(7)
        val input = randomCsv(random, 150_000, 6)
        assertTrue(input.size > 2 shl 20)
        val native = onBackend(Backend.NATIVE) { Csv.read(input, NA) }
        val jvm = onBackend(Backend.JVM) { Csv.read(input, NA) }
        assertEquals(jvm, native)
        assertEquals(150_000, native.rowCount)
    }

    @Test
    fun batchesOfOpenEqualTheWholeRead() {
        val random = Random(11)
        val input = randomCsv(random, 300, 3)
        val file = Files.createTempFile("hotpath-csv", ".csv")
        try {
            Files.write(file, input)
            val whole = onBackend(Backend.JVM) { Csv.read(input) }
            for (backend in listOf(Backend.NATIVE, Backend.JVM)) {
                onBackend(backend) {
                    Csv.open(file, CsvOptions.builder().batchRows(7).build()).use { reader ->
                        val batches = reader.toList()
                        assertEquals((300 + 6) / 7, batches.size)
                        assertTrue(batches.dropLast(1).all { it.rowCount == 7 })
                        assertEquals(whole.columnNames, batches[0].columnNames)
                        assertEquals(300, batches.sumOf { it.rowCount })
                        for (b in batches) for (c in 0 until b.columnCount) assertEquals(batches[0].getType(c), b.getType(c))
                    }
                }
            }
        } finally {
            Files.delete(file)
        }
    }

    @Test
    fun aLaterBatchThatDoesNotFitTheKeptTypesIsAnErrorAtItsField() {
        val file = Files.createTempFile("hotpath-csv", ".csv")
        try {
            Files.write(file, "n\n1\n2\nx\n".toByteArray())
            for (backend in listOf(Backend.NATIVE, Backend.JVM)) {
                onBackend(backend) {
                    Csv.open(file, CsvOptions.builder().batchRows(2).build()).use { reader ->
                        val it = reader.iterator()
                        assertEquals(ColumnType.LONG, it.next().getType(0))
                        val e = assertThrows<CsvException> { it.next() }
                        assertEquals(listOf<Any>(CsvException.Kind.NOT_A_LONG, 4L, 1, 6L), listOf<Any>(e.kind, e.line, e.column, e.byteOffset))
                    }
                }
            }
        } finally {
            Files.delete(file)
        }
    }

    @Test
    fun openOfAnEmptyFileGivesOneEmptyTable() {
        val file = Files.createTempFile("hotpath-csv", ".csv")
        try {
            for (backend in listOf(Backend.NATIVE, Backend.JVM)) {
                onBackend(backend) {
                    val batches = Csv.open(file).use { it.toList() }
                    assertEquals(1, batches.size)
                    assertEquals(0, batches[0].rowCount)
                    assertNull(batches[0].columnNames.firstOrNull())
                }
            }
        } finally {
            Files.delete(file)
        }
    }
}
