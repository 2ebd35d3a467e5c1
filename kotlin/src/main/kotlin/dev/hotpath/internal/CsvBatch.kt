package dev.hotpath.internal

import dev.hotpath.Column
import dev.hotpath.CsvOptions
import dev.hotpath.Table

/**
 * Where one read's input sits in a larger one (`open`'s windows), as `Batch` in
 * `rust/core/src/csv.rs`: both backends take the same settings.
 */
internal class CsvBatch(
    /** Lines before the input's first byte. */
    val lineBase: Long,
    /** Bytes before the input's first byte. */
    val offsetBase: Long,
    /** Whether the input starts the stream (BOM, header). */
    val atStart: Boolean,
    /** The field count known from an earlier batch, or -1. */
    val expectedFields: Int,
    /** At most this many records, or -1 for all. */
    val maxRecords: Int,
    /** Whether the input ends the stream. */
    val finalInput: Boolean,
) {
    companion object {
        val WHOLE: CsvBatch = CsvBatch(0, 0, true, -1, -1, true)
    }
}

/** One read's result: the table and how much of the input it took. */
internal class CsvParsed(
    val table: Table,
    val fields: Int,
    val consumedBytes: Long,
    val consumedLines: Long,
    val incomplete: Boolean,
)

/** What both backends share when they turn a parse into a [Table]. */
internal object CsvTables {
    /** The names: given ones, else the header's, else `c1`, `c2`, ... */
    fun names(options: CsvOptions, header: List<String>, fields: Int): List<String> =
        when {
            options.columnNames.isNotEmpty() -> options.columnNames
            header.size == fields -> header
            else -> List(fields) { "c${it + 1}" }
        }

    fun table(options: CsvOptions, header: List<String>, rows: Int, columns: List<Column>): Table =
        Table(rows, names(options, header, columns.size), columns)

    /** Packs one byte per row (non-zero = set) into bits; null when none is set. */
    fun bits(flags: ByteArray, rows: Int): LongArray? {
        var words: LongArray? = null
        for (r in 0 until rows) {
            if (flags[r].toInt() != 0) {
                val w = words ?: LongArray(Column.words(rows)).also { words = it }
                w[r ushr 6] = w[r ushr 6] or (1L shl (r and 63))
            }
        }
        return words
    }
}
