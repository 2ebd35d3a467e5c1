package dev.hotpath.jvm

import dev.hotpath.BooleanColumn
import dev.hotpath.Column
import dev.hotpath.ColumnType
import dev.hotpath.CsvException
import dev.hotpath.CsvOptions
import dev.hotpath.DoubleColumn
import dev.hotpath.LongColumn
import dev.hotpath.StringColumn
import dev.hotpath.Table
import dev.hotpath.internal.CsvBatch
import dev.hotpath.internal.CsvParsed
import dev.hotpath.internal.CsvTables
import java.nio.ByteBuffer
import java.nio.charset.CharacterCodingException
import java.nio.charset.CodingErrorAction

/**
 * The JVM twin of [dev.hotpath.Csv]: the reader of `docs/csv.md` as a plain sequential
 * transcription of `rust/core/src/csv.rs` (one chunk: the first record, then split/count/infer,
 * then convert). It is the test oracle for the native backend and the backend that
 * [dev.hotpath.Backend.JVM] (and AUTO below its threshold or without native code) runs; its
 * tables and [CsvException]s equal the native ones. Stateless and thread-safe.
 *
 * Memory: the columns (8 bytes per LONG or DOUBLE value, a bit per BOOLEAN, the string bytes
 * and 4 bytes per string row), one byte per row per column while a read runs, and no object
 * per field.
 */
public object CsvReference {
    /**
     * The table of [data], all of its bytes.
     *
     * @throws CsvException if the input breaks the format.
     * @throws IllegalArgumentException if the table would not fit Java arrays.
     */
    @JvmStatic
    public fun read(data: ByteArray, options: CsvOptions): Table = readWindow(data, 0, data.size, options, CsvBatch.WHOLE).table

    /**
     * The table of [data]'s remaining bytes; its position is unchanged (byte offsets count from
     * it). A direct or read-only buffer is copied to the heap first.
     *
     * @throws CsvException if the input breaks the format.
     * @throws IllegalArgumentException if the table would not fit Java arrays.
     */
    @JvmStatic
    public fun read(data: ByteBuffer, options: CsvOptions): Table {
        if (data.hasArray()) {
            val from = data.arrayOffset() + data.position()
            return readWindow(data.array(), from, from + data.remaining(), options, CsvBatch.WHOLE).table
        }
        val copy = ByteArray(data.remaining())
        data.duplicate().get(copy)
        return read(copy, options)
    }

    private const val LF: Byte = '\n'.code.toByte()
    private const val CR: Byte = '\r'.code.toByte()
    private const val FITS_LONG = 1
    private const val FITS_DOUBLE = 2
    private const val FITS_BOOLEAN = 4
    private const val SEEN_VALUE = 8
    private const val FITS_ALL = 7
    private const val MAX_COLUMNS = 1 shl 20

    /** Outcomes of [Splitter.record]. */
    private const val RECORD = 0
    private const val END = 1
    private const val INCOMPLETE = 2
    private const val ERROR = 3

    /** Fields of a record: raw start, value start and end, quoted, doubled quotes. */
    private class Fields(capacity: Int) {
        var start = LongArray(0)
        var from = IntArray(0)
        var to = IntArray(0)
        var quoted = BooleanArray(0)
        var escapes = IntArray(0)
        var size = 0

        init {
            grow(maxOf(capacity, 4))
        }

        fun grow(n: Int) {
            start = start.copyOf(n)
            from = from.copyOf(n)
            to = to.copyOf(n)
            quoted = quoted.copyOf(n)
            escapes = escapes.copyOf(n)
        }

        fun add(s: Int, f: Int, t: Int, q: Boolean, e: Int) {
            if (size == from.size) grow(size * 2)
            start[size] = s.toLong()
            from[size] = f
            to[size] = t
            quoted[size] = q
            escapes[size] = e
            size++
        }
    }

    /** The splitter of `rust/core/src/csv.rs`, over `b[0 until end]`. */
    private class Splitter(val b: ByteArray, val end: Int, val delimiter: Byte, val quote: Byte, val max: Int, val finalInput: Boolean) {
        // Results of the last record() call.
        var next = 0
        var lines = 0L
        var blank = 0L
        var count = 0
        var errorKind = 0
        var errorColumn = 0
        var errorAt = 0

        /** Skips blank lines; false when a non-final input ends in a CR that may start a CRLF. */
        private fun skipBlank(from: Int): Boolean {
            var pos = from
            var n = 0L
            while (true) {
                if (pos < end && b[pos] == LF) {
                    pos++
                    n++
                } else if (pos < end && b[pos] == CR) {
                    if (pos + 1 < end && b[pos + 1] == LF) {
                        pos += 2
                        n++
                    } else if (pos + 1 >= end && !finalInput) {
                        return false
                    } else {
                        break
                    }
                } else {
                    break
                }
            }
            next = pos
            blank = n
            return true
        }

        private fun indexOf(c: Byte, from: Int): Int {
            var i = from
            while (i < end) {
                if (b[i] == c) return i
                i++
            }
            return -1
        }

        private fun error(kind: CsvException.Kind, column: Int, at: Int): Int {
            errorKind = kind.code
            errorColumn = column
            errorAt = at
            return ERROR
        }

        fun record(from: Int, fields: Fields, keep: Int): Int {
            fields.size = 0
            count = 0
            if (!skipBlank(from)) return INCOMPLETE
            var pos = next
            if (pos >= end) {
                lines = blank
                return END
            }
            var ls = blank
            while (true) {
                val start = pos
                count++
                val column = count
                if (pos < end && b[pos] == quote) {
                    var p = pos + 1
                    var escapes = 0
                    val close: Int
                    while (true) {
                        val q = indexOf(quote, p)
                        if (q < 0) {
                            if (end - start > max) return error(CsvException.Kind.FIELD_TOO_LONG, column, start)
                            if (!finalInput) return INCOMPLETE
                            return error(CsvException.Kind.UNCLOSED_QUOTE, column, start)
                        }
                        if (q + 1 - start > max) return error(CsvException.Kind.FIELD_TOO_LONG, column, start)
                        if (q + 1 < end && b[q + 1] == quote) {
                            escapes++
                            p = q + 2
                        } else if (q + 1 >= end && !finalInput) {
                            return INCOMPLETE
                        } else {
                            close = q
                            break
                        }
                    }
                    for (i in pos + 1 until close) if (b[i] == LF) ls++
                    if (fields.size < keep) fields.add(start, pos + 1, close, true, escapes)
                    pos = close + 1
                    if (pos >= end) {
                        if (!finalInput) return INCOMPLETE
                    } else {
                        val c = b[pos]
                        if (c == delimiter || c == LF) {
                            // ends the field
                        } else if (c == CR) {
                            if (pos + 1 < end && b[pos + 1] == LF) {
                                pos++
                            } else if (pos + 1 >= end && !finalInput) {
                                return INCOMPLETE
                            } else {
                                return error(CsvException.Kind.TEXT_AFTER_CLOSING_QUOTE, column, start)
                            }
                        } else {
                            return error(CsvException.Kind.TEXT_AFTER_CLOSING_QUOTE, column, start)
                        }
                    }
                } else {
                    var stop = -1
                    var i = pos
                    while (i < end) {
                        val c = b[i]
                        if (c == delimiter || c == LF || c == quote) {
                            stop = i
                            break
                        }
                        i++
                    }
                    val stopAt = if (stop < 0) end else stop
                    var to = stopAt
                    if (stopAt < end && b[stopAt] == LF && to > start && b[to - 1] == CR) to--
                    val crPending = stop < 0 && !finalInput && to > start && b[to - 1] == CR
                    if (to - start - (if (crPending) 1 else 0) > max) return error(CsvException.Kind.FIELD_TOO_LONG, column, start)
                    if (stop < 0 && !finalInput) return INCOMPLETE
                    if (stop >= 0 && b[stop] == quote) return error(CsvException.Kind.QUOTE_IN_UNQUOTED_FIELD, column, start)
                    if (fields.size < keep) fields.add(start, start, to, false, 0)
                    pos = stopAt
                }
                if (pos < end && b[pos] == delimiter) {
                    pos++
                    if (pos >= end && !finalInput) return INCOMPLETE
                } else if (pos < end && b[pos] == LF) {
                    next = pos + 1
                    lines = ls + 1
                    return RECORD
                } else {
                    next = pos
                    lines = ls
                    return RECORD
                }
            }
        }
    }

    private class Position(val lineBase: Long, val offsetBase: Long, val from: Int) {
        fun error(kind: CsvException.Kind, line: Long, column: Int, at: Int, expected: Long, found: Long): CsvException =
            CsvException(kind, lineBase + line + 1, column, offsetBase + (at - from), expected, found)
    }

    private fun nullToken(b: ByteArray, fields: Fields, c: Int, token: ByteArray?): Boolean {
        if (token == null || fields.quoted[c]) return false
        val f = fields.from[c]
        if (fields.to[c] - f != token.size) return false
        for (i in token.indices) if (b[f + i] != token[i]) return false
        return true
    }

    /** The LONG of `b[from until to]`: [state] 0 with [value], 1 out of range, 2 not a LONG. */
    private class LongParse {
        var state = 0
        var value = 0L

        fun parse(b: ByteArray, from: Int, to: Int) {
            var i = from
            var neg = false
            if (i < to && (b[i] == '-'.code.toByte() || b[i] == '+'.code.toByte())) {
                neg = b[i] == '-'.code.toByte()
                i++
            }
            if (i >= to) {
                state = 2
                return
            }
            for (k in i until to) {
                if (b[k] < '0'.code.toByte() || b[k] > '9'.code.toByte()) {
                    state = 2
                    return
                }
            }
            // Accumulated negatively so that Long.MIN_VALUE fits, as the Rust side does.
            var acc = 0L
            var inRange = true
            for (k in i until to) {
                val d = (b[k] - '0'.code.toByte()).toLong()
                if (!inRange || acc < Long.MIN_VALUE / 10 || acc * 10 < Long.MIN_VALUE + d) {
                    inRange = false
                } else {
                    acc = acc * 10 - d
                }
            }
            if (!inRange || (!neg && acc == Long.MIN_VALUE)) {
                state = 1
                return
            }
            state = 0
            value = if (neg) acc else -acc
        }
    }

    private fun lower(c: Byte): Int = if (c >= 'A'.code.toByte() && c <= 'Z'.code.toByte()) c + 32 else c.toInt()

    private fun equalsIgnoreCase(b: ByteArray, from: Int, to: Int, word: String): Boolean {
        if (to - from != word.length) return false
        for (i in word.indices) if (lower(b[from + i]) != word[i].code) return false
        return true
    }

    private fun isDigit(c: Byte): Boolean = c >= '0'.code.toByte() && c <= '9'.code.toByte()

    /** Whether `b[from until to]` matches the DOUBLE grammar of docs/csv.md. */
    internal fun isDouble(b: ByteArray, from: Int, to: Int): Boolean {
        var s = from
        if (s < to && (b[s] == '-'.code.toByte() || b[s] == '+'.code.toByte())) s++
        if (equalsIgnoreCase(b, s, to, "nan") || equalsIgnoreCase(b, s, to, "inf") || equalsIgnoreCase(b, s, to, "infinity")) return true
        var i = s
        var digits = 0
        while (i < to && isDigit(b[i])) {
            i++
            digits++
        }
        if (i < to && b[i] == '.'.code.toByte()) {
            i++
            while (i < to && isDigit(b[i])) {
                i++
                digits++
            }
        }
        if (digits == 0) return false
        if (i < to && (b[i] == 'e'.code.toByte() || b[i] == 'E'.code.toByte())) {
            i++
            if (i < to && (b[i] == '+'.code.toByte() || b[i] == '-'.code.toByte())) i++
            val e = i
            while (i < to && isDigit(b[i])) i++
            if (i == e) return false
        }
        return i == to
    }

    /** The DOUBLE of a field that [isDouble] accepted: `Double.parseDouble` rounds the same text. */
    private fun parseDouble(b: ByteArray, from: Int, to: Int): Double {
        var s = from
        val neg = s < to && b[s] == '-'.code.toByte()
        if (s < to && (b[s] == '-'.code.toByte() || b[s] == '+'.code.toByte())) s++
        if (equalsIgnoreCase(b, s, to, "nan")) return Double.NaN
        if (equalsIgnoreCase(b, s, to, "inf") || equalsIgnoreCase(b, s, to, "infinity")) {
            return if (neg) Double.NEGATIVE_INFINITY else Double.POSITIVE_INFINITY
        }
        return java.lang.Double.parseDouble(String(b, from, to - from, Charsets.ISO_8859_1))
    }

    /** 1 for true, 0 for false, -1 for neither. */
    private fun parseBoolean(b: ByteArray, from: Int, to: Int): Int =
        when {
            equalsIgnoreCase(b, from, to, "true") -> 1
            equalsIgnoreCase(b, from, to, "false") -> 0
            else -> -1
        }

    private fun validUtf8(b: ByteArray, from: Int, to: Int): Boolean {
        for (i in from until to) if (b[i] < 0) return strictUtf8(b, from, to)
        return true
    }

    private fun strictUtf8(b: ByteArray, from: Int, to: Int): Boolean {
        val decoder = Charsets.UTF_8.newDecoder()
            .onMalformedInput(CodingErrorAction.REPORT)
            .onUnmappableCharacter(CodingErrorAction.REPORT)
        return try {
            decoder.decode(ByteBuffer.wrap(b, from, to - from))
            true
        } catch (_: CharacterCodingException) {
            false
        }
    }

    private fun unescape(b: ByteArray, from: Int, to: Int, escapes: Int, quote: Byte, out: ByteArray, at: Int): Int {
        if (escapes == 0) {
            System.arraycopy(b, from, out, at, to - from)
            return to - from
        }
        var i = from
        var w = at
        while (i < to) {
            out[w++] = b[i]
            i += if (b[i] == quote) 2 else 1
        }
        return w - at
    }

    private fun infer(flags: Int): ColumnType =
        when {
            flags and SEEN_VALUE == 0 -> ColumnType.STRING
            flags and FITS_LONG != 0 -> ColumnType.LONG
            flags and FITS_DOUBLE != 0 -> ColumnType.DOUBLE
            flags and FITS_BOOLEAN != 0 -> ColumnType.BOOLEAN
            else -> ColumnType.STRING
        }

    /** The read of `b[from until to]` as [batch] says: the twin of `read_source`. */
    internal fun readWindow(b: ByteArray, from: Int, to: Int, options: CsvOptions, batch: CsvBatch): CsvParsed {
        val delimiter = options.delimiter.code.toByte()
        val quote = options.quote.code.toByte()
        val token = options.nullValueBytes
        val given = options.columnTypes
        val max = options.maxFieldBytes
        val maxRecords = if (batch.maxRecords < 0) Int.MAX_VALUE else batch.maxRecords
        var start = from
        var headLines = 0L
        val names = ArrayList<String>()
        var fields = if (batch.expectedFields >= 0) batch.expectedFields else if (given.isNotEmpty()) given.size else -1
        val head = Position(batch.lineBase, batch.offsetBase, from)
        val splitter = Splitter(b, to, delimiter, quote, max, batch.finalInput)

        fun empty(n: Int, consumed: Long, lines: Long, incomplete: Boolean): CsvParsed {
            val columns = List(n) { c -> emptyColumn(given.getOrNull(c) ?: ColumnType.STRING) }
            return CsvParsed(CsvTables.table(options, names, 0, columns), n, consumed, lines, incomplete)
        }

        if (batch.atStart) {
            if (to - from >= 3 && b[from] == 0xEF.toByte() && b[from + 1] == 0xBB.toByte() && b[from + 2] == 0xBF.toByte()) start += 3
            val all = Fields(16)
            when (splitter.record(start, all, MAX_COLUMNS)) {
                END -> {
                    start = splitter.next
                    headLines = splitter.lines
                }
                INCOMPLETE -> return empty(0, 0, 0, true)
                ERROR -> throw splitError(head, splitter, 0, max)
                else -> {
                    val count = splitter.count
                    require(count <= MAX_COLUMNS) { "the first record has $count fields, more than $MAX_COLUMNS" }
                    if (fields < 0) fields = count
                    val expected = fields
                    if (options.header) {
                        val line = splitter.blank
                        if (count != expected) throw countError(head, line, all, expected, count, b, splitter.next)
                        if (given.isEmpty()) {
                            for (c in 0 until all.size) {
                                val bytes = ByteArray(all.to[c] - all.from[c] - all.escapes[c])
                                unescape(b, all.from[c], all.to[c], all.escapes[c], quote, bytes, 0)
                                val at = all.start[c].toInt()
                                if (!validUtf8(bytes, 0, bytes.size)) {
                                    throw head.error(CsvException.Kind.MALFORMED_UTF8, line, c + 1, at, 0, 0)
                                }
                                val name = String(bytes, Charsets.UTF_8)
                                if (names.contains(name)) throw head.error(CsvException.Kind.DUPLICATE_NAME, line, c + 1, at, 0, 0)
                                names.add(name)
                            }
                        }
                        start = splitter.next
                        headLines = splitter.lines
                    } else {
                        var p = start
                        var n = 0L
                        while (true) {
                            if (p < to && b[p] == LF) {
                                p++
                                n++
                            } else if (p + 1 < to && b[p] == CR && b[p + 1] == LF) {
                                p += 2
                                n++
                            } else {
                                break
                            }
                        }
                        headLines = n
                        start = p
                    }
                }
            }
        }
        if (fields < 0) return empty(0, (to - from).toLong(), headLines, false)
        val n = fields
        val pos = Position(batch.lineBase + headLines, batch.offsetBase, from)

        // Pass 2: split, count, infer.
        val infer = given.isEmpty()
        val flags = IntArray(n) { FITS_ALL }
        val stringBytes = LongArray(n)
        val record = Fields(n + 1)
        val parse = LongParse()
        var records = 0
        var lines = 0L
        var p = start
        var splitErr: CsvException? = null
        var incomplete = false
        while (records < maxRecords) {
            val r = splitter.record(p, record, n + 1)
            if (r == END) {
                lines += splitter.lines
                p = splitter.next
                break
            }
            if (r == INCOMPLETE) {
                incomplete = true
                break
            }
            if (r == ERROR) {
                splitErr = splitError(pos, splitter, lines, max)
                break
            }
            val line = lines + splitter.blank
            if (splitter.count != n) {
                splitErr = countError(pos, line, record, n, splitter.count, b, splitter.next)
                break
            }
            for (c in 0 until n) {
                val f = record.from[c]
                val t = record.to[c]
                // A null token is null in every column, so it takes no string bytes.
                if (nullToken(b, record, c, token)) continue
                stringBytes[c] += (t - f - record.escapes[c]).toLong()
                if (infer && t > f) {
                    var fits = SEEN_VALUE
                    if (record.escapes[c] == 0) {
                        parse.parse(b, f, t)
                        if (parse.state == 0) {
                            fits = fits or FITS_LONG or FITS_DOUBLE
                        } else if (isDouble(b, f, t)) {
                            fits = fits or FITS_DOUBLE
                        } else if (parseBoolean(b, f, t) >= 0) {
                            fits = fits or FITS_BOOLEAN
                        }
                    }
                    flags[c] = (flags[c] and (fits or SEEN_VALUE)) or SEEN_VALUE
                }
            }
            records++
            lines += splitter.lines
            p = splitter.next
        }
        val end = p
        val types = if (infer) List(n) { infer(flags[it]) } else given
        for (c in 0 until n) {
            require(types[c] != ColumnType.STRING || stringBytes[c] <= Int.MAX_VALUE) {
                "column ${c + 1} has ${stringBytes[c]} bytes of text, more than a Java array holds"
            }
        }

        // Pass 3: convert.
        val rows = records
        val longs = arrayOfNulls<LongArray>(n)
        val doubles = arrayOfNulls<DoubleArray>(n)
        val bools = arrayOfNulls<ByteArray>(n)
        val bytes = arrayOfNulls<ByteArray>(n)
        val offsets = arrayOfNulls<IntArray>(n)
        val nulls = Array(n) { ByteArray(rows) }
        for (c in 0 until n) {
            when (types[c]) {
                ColumnType.LONG -> longs[c] = LongArray(rows)
                ColumnType.DOUBLE -> doubles[c] = DoubleArray(rows)
                ColumnType.BOOLEAN -> bools[c] = ByteArray(rows)
                ColumnType.STRING -> {
                    bytes[c] = ByteArray(stringBytes[c].toInt())
                    offsets[c] = IntArray(rows + 1)
                }
            }
        }
        val written = IntArray(n)
        p = start
        lines = 0
        for (row in 0 until rows) {
            splitter.record(p, record, n)
            val line = lines + splitter.blank
            for (c in 0 until n) {
                val f = record.from[c]
                val t = record.to[c]
                val isToken = nullToken(b, record, c, token)
                val at = record.start[c].toInt()
                fun fail(kind: CsvException.Kind) = pos.error(kind, line, c + 1, at, 0, 0)
                if (types[c] == ColumnType.STRING) {
                    if ((t == f && !record.quoted[c]) || isToken) {
                        nulls[c][row] = 1
                    } else {
                        if (!validUtf8(b, f, t)) throw fail(CsvException.Kind.MALFORMED_UTF8)
                        written[c] += unescape(b, f, t, record.escapes[c], quote, bytes[c]!!, written[c])
                    }
                    offsets[c]!![row + 1] = written[c]
                } else if (t == f || isToken) {
                    nulls[c][row] = 1
                } else {
                    when (types[c]) {
                        ColumnType.LONG -> {
                            parse.parse(b, f, t)
                            if (record.escapes[c] != 0 || parse.state == 2) throw fail(CsvException.Kind.NOT_A_LONG)
                            if (parse.state == 1) throw fail(CsvException.Kind.LONG_OUT_OF_RANGE)
                            longs[c]!![row] = parse.value
                        }
                        ColumnType.DOUBLE -> {
                            if (record.escapes[c] != 0 || !isDouble(b, f, t)) throw fail(CsvException.Kind.NOT_A_DOUBLE)
                            doubles[c]!![row] = parseDouble(b, f, t)
                        }
                        else -> {
                            val v = if (record.escapes[c] != 0) -1 else parseBoolean(b, f, t)
                            if (v < 0) throw fail(CsvException.Kind.NOT_A_BOOLEAN)
                            bools[c]!![row] = v.toByte()
                        }
                    }
                }
            }
            lines += splitter.lines
            p = splitter.next
        }
        if (splitErr != null) throw splitErr
        val columns = List<Column>(n) { c ->
            val bits = CsvTables.bits(nulls[c], rows)
            var nullCount = 0
            for (r in 0 until rows) if (nulls[c][r].toInt() != 0) nullCount++
            when (types[c]) {
                ColumnType.LONG -> LongColumn(longs[c]!!, bits, nullCount)
                ColumnType.DOUBLE -> DoubleColumn(doubles[c]!!, bits, nullCount)
                ColumnType.BOOLEAN -> BooleanColumn(rows, CsvTables.bits(bools[c]!!, rows) ?: LongArray(Column.words(rows)), bits, nullCount)
                ColumnType.STRING -> StringColumn(bytes[c]!!, offsets[c]!!, bits, nullCount)
            }
        }
        return CsvParsed(CsvTables.table(options, names, rows, columns), n, (end - from).toLong(), headLines + lines, incomplete)
    }

    private fun splitError(pos: Position, s: Splitter, lines: Long, max: Int): CsvException {
        val kind = CsvException.Kind.of(s.errorKind)
        val expected = if (kind == CsvException.Kind.FIELD_TOO_LONG) max.toLong() else 0L
        return pos.error(kind, lines + s.blank, s.errorColumn, s.errorAt, expected, 0)
    }

    private fun countError(pos: Position, line: Long, f: Fields, expected: Int, count: Int, b: ByteArray, next: Int): CsvException {
        if (count > expected) {
            val at = if (f.size > expected) f.start[expected].toInt() else next
            return pos.error(CsvException.Kind.TOO_MANY_FIELDS, line, expected + 1, at, expected.toLong(), count.toLong())
        }
        var end = next
        if (next > 0 && b[next - 1] == LF) end = if (next > 1 && b[next - 2] == CR) next - 2 else next - 1
        return pos.error(CsvException.Kind.TOO_FEW_FIELDS, line, count + 1, end, expected.toLong(), count.toLong())
    }

    private fun emptyColumn(t: ColumnType): Column =
        when (t) {
            ColumnType.LONG -> LongColumn(LongArray(0), null, 0)
            ColumnType.DOUBLE -> DoubleColumn(DoubleArray(0), null, 0)
            ColumnType.BOOLEAN -> BooleanColumn(0, LongArray(0), null, 0)
            ColumnType.STRING -> StringColumn(ByteArray(0), IntArray(1), null, 0)
        }
}
