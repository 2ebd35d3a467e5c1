package dev.hotpath.internal

import dev.hotpath.BooleanColumn
import dev.hotpath.Column
import dev.hotpath.ColumnType
import dev.hotpath.CsvException
import dev.hotpath.CsvOptions
import dev.hotpath.DoubleColumn
import dev.hotpath.LongColumn
import dev.hotpath.StringColumn
import java.io.IOException
import java.nio.ByteBuffer

/**
 * The native side of [dev.hotpath.Csv]: the settings going in and the table coming out, in the
 * layouts of `rust/jni/src/csv.rs` (`settings`, `info`; same indexes here).
 */
internal object CsvNative {
    object Settings {
        const val DELIMITER = 0
        const val QUOTE = 1
        const val HEADER = 2
        const val MAX_FIELD_BYTES = 3
        const val CHUNK_BYTES = 4
        const val LINE_BASE = 5
        const val OFFSET_BASE = 6
        const val AT_START = 7
        const val EXPECTED_FIELDS = 8
        const val MAX_RECORDS = 9
        const val FINAL = 10
        const val LEN = 11
    }

    object Info {
        const val STATUS = 0
        const val ROWS = 1
        const val FIELDS = 2
        const val CONSUMED_BYTES = 3
        const val CONSUMED_LINES = 4
        const val INCOMPLETE = 5
        const val KIND = 6
        const val LINE = 7
        const val COLUMN = 8
        const val BYTE_OFFSET = 9
        const val EXPECTED = 10
        const val FOUND = 11
        const val NAMES = 12
        const val COLUMNS_AT = 13
    }

    fun settings(options: CsvOptions, batch: CsvBatch): LongArray {
        val s = LongArray(Settings.LEN)
        s[Settings.DELIMITER] = options.delimiter.code.toLong()
        s[Settings.QUOTE] = options.quote.code.toLong()
        s[Settings.HEADER] = if (options.header) 1 else 0
        s[Settings.MAX_FIELD_BYTES] = options.maxFieldBytes.toLong()
        s[Settings.CHUNK_BYTES] = options.chunkBytes.toLong()
        s[Settings.LINE_BASE] = batch.lineBase
        s[Settings.OFFSET_BASE] = batch.offsetBase
        s[Settings.AT_START] = if (batch.atStart) 1 else 0
        s[Settings.EXPECTED_FIELDS] = batch.expectedFields.toLong()
        s[Settings.MAX_RECORDS] = batch.maxRecords.toLong()
        s[Settings.FINAL] = if (batch.finalInput) 1 else 0
        return s
    }

    fun types(options: CsvOptions): ByteArray? {
        if (options.columnTypes.isEmpty()) return null
        return ByteArray(options.columnTypes.size) { options.columnTypes[it].code.toByte() }
    }

    fun readBytes(data: ByteArray, offset: Int, length: Int, options: CsvOptions, batch: CsvBatch): CsvParsed =
        fetch(NativeBridge.csvReadBytes(data, offset, length, settings(options, batch), types(options), options.nullValueBytes), options)

    fun readDirect(data: ByteBuffer, position: Int, length: Int, options: CsvOptions, batch: CsvBatch): CsvParsed =
        fetch(NativeBridge.csvReadDirect(data, position, length, settings(options, batch), types(options), options.nullValueBytes), options)

    fun readFile(file: String, options: CsvOptions): CsvParsed =
        fetch(NativeBridge.csvReadFile(file, settings(options, CsvBatch.WHOLE), types(options), options.nullValueBytes), options)

    /** The table behind [handle], one crossing per array; the handle is freed whatever happens. */
    private fun fetch(handle: Long, options: CsvOptions): CsvParsed {
        try {
            val info = NativeBridge.csvInfo(handle)
            when (info[Info.STATUS].toInt()) {
                0 -> Unit
                1 -> throw CsvException(
                    CsvException.Kind.of(info[Info.KIND].toInt()),
                    info[Info.LINE],
                    info[Info.COLUMN].toInt(),
                    info[Info.BYTE_OFFSET],
                    info[Info.EXPECTED],
                    info[Info.FOUND],
                )
                2 -> throw IOException(NativeBridge.csvMessage(handle))
                else -> throw IllegalArgumentException(NativeBridge.csvMessage(handle))
            }
            val rows = info[Info.ROWS].toInt()
            val fields = info[Info.FIELDS].toInt()
            val names = List(info[Info.NAMES].toInt()) { NativeBridge.csvName(handle, it) }
            val columns = List<Column>(fields) { c ->
                val at = Info.COLUMNS_AT + 3 * c
                val nullCount = info[at + 1].toInt()
                val nulls = if (nullCount == 0) null else LongArray(Column.words(rows)).also { NativeBridge.csvBits(handle, c, 0, it) }
                when (ColumnType.of(info[at].toInt())) {
                    ColumnType.LONG -> LongColumn(LongArray(rows).also { NativeBridge.csvLongs(handle, c, it) }, nulls, nullCount)
                    ColumnType.DOUBLE -> DoubleColumn(DoubleArray(rows).also { NativeBridge.csvDoubles(handle, c, it) }, nulls, nullCount)
                    ColumnType.BOOLEAN -> BooleanColumn(rows, LongArray(Column.words(rows)).also { NativeBridge.csvBits(handle, c, 1, it) }, nulls, nullCount)
                    ColumnType.STRING -> StringColumn(
                        ByteArray(info[at + 2].toInt()).also { NativeBridge.csvStringBytes(handle, c, it) },
                        IntArray(rows + 1).also { NativeBridge.csvStringOffsets(handle, c, it) },
                        nulls,
                        nullCount,
                    )
                }
            }
            return CsvParsed(
                CsvTables.table(options, names, rows, columns),
                fields,
                info[Info.CONSUMED_BYTES],
                info[Info.CONSUMED_LINES],
                info[Info.INCOMPLETE] != 0L,
            )
        } finally {
            NativeBridge.csvFree(handle)
        }
    }
}

/** Test hooks that are not public API (Java tests reach them; Kotlin's `internal` is a compile-time rule). */
internal object CsvTuning {
    /** [options] with native chunks of [chunkBytes] bytes (0 for the default), to put chunk boundaries anywhere. */
    @JvmStatic
    fun withChunkBytes(options: CsvOptions, chunkBytes: Int): CsvOptions {
        require(chunkBytes >= 0) { "chunkBytes is $chunkBytes, expected at least 0" }
        return options.toBuilder().also { it.chunkBytes = chunkBytes }.build()
    }
}
