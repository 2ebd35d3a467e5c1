package dev.hotpath

import dev.hotpath.internal.CsvBatch
import dev.hotpath.internal.CsvNative
import dev.hotpath.internal.CsvParsed
import dev.hotpath.jvm.CsvReference
import java.io.IOException
import java.io.UncheckedIOException
import java.nio.ByteBuffer
import java.nio.channels.FileChannel
import java.nio.file.Path
import java.nio.file.StandardOpenOption

/**
 * Batches of a CSV file from [Csv.open]: each [Table] holds [CsvOptions.batchRows] rows but the
 * last, with the same columns and types. Iterable once; not thread-safe. Memory is one window
 * of the file (grown to hold one batch's records) plus the batch's table.
 *
 * Errors surface from the iterator: [CsvException] for the format, [UncheckedIOException] for
 * reading.
 */
public class CsvReader internal constructor(file: Path, options: CsvOptions, private val native: Boolean) :
    AutoCloseable, Iterable<Table> {
    private val channel: FileChannel = FileChannel.open(file, StandardOpenOption.READ)
    private var options: CsvOptions = options
    private var window: ByteBuffer = allocate(INITIAL_WINDOW)
    private var eof = false
    private var lineBase = 0L
    private var offsetBase = 0L
    private var atStart = true
    private var fields = -1
    private var batches = 0
    private var finished = false
    private var iterated = false

    /**
     * The batches, once.
     *
     * @throws IllegalStateException if called a second time.
     */
    override fun iterator(): Iterator<Table> {
        check(!iterated) { "a CsvReader is iterable once" }
        iterated = true
        return object : Iterator<Table> {
            private var next: Table? = null

            override fun hasNext(): Boolean {
                if (next == null && !finished) next = nextBatch()
                return next != null
            }

            override fun next(): Table {
                if (!hasNext()) throw NoSuchElementException("no more batches")
                val t = next!!
                next = null
                return t
            }
        }
    }

    /** Closes the file. */
    @Throws(IOException::class)
    override fun close() {
        finished = true
        channel.close()
    }

    private fun allocate(size: Int): ByteBuffer = if (native) ByteBuffer.allocateDirect(size) else ByteBuffer.allocate(size)

    /** Fills the window from the file until it is full or the file ends. */
    private fun fill() {
        try {
            while (!eof && window.hasRemaining()) {
                if (channel.read(window) < 0) eof = true
            }
        } catch (e: IOException) {
            throw UncheckedIOException(e)
        }
    }

    private fun parse(length: Int, batch: CsvBatch): CsvParsed =
        if (native) {
            CsvNative.readDirect(window, 0, length, options, batch)
        } else {
            CsvReference.readWindow(window.array(), 0, length, options, batch)
        }

    private fun nextBatch(): Table? {
        check(channel.isOpen) { "the CsvReader is closed" }
        while (true) {
            fill()
            val length = window.position()
            val batch = CsvBatch(lineBase, offsetBase, atStart, fields, options.batchRows, eof)
            val parsed = parse(length, batch)
            if (!eof && (parsed.incomplete || parsed.table.rowCount < options.batchRows)) {
                // The window holds less than a batch: grow it and read on from the same start.
                require(window.capacity() <= MAX_WINDOW / 2) {
                    "one batch of ${options.batchRows} rows needs more than a $MAX_WINDOW-byte window"
                }
                val bigger = allocate(window.capacity() * 2)
                window.flip()
                bigger.put(window)
                window = bigger
                continue
            }
            val consumed = parsed.consumedBytes.toInt()
            lineBase += parsed.consumedLines
            offsetBase += consumed
            window.flip()
            window.position(consumed)
            window.compact()
            if (atStart) {
                atStart = false
                fields = parsed.fields
                if (options.columnTypes.isEmpty() && fields > 0) {
                    // Later batches keep the first batch's types and names.
                    val b = options.toBuilder()
                    val table = parsed.table
                    for (c in 0 until table.columnCount) b.column(table.columnNames[c], table.getType(c))
                    options = b.build()
                }
            }
            val table = parsed.table
            val drained = eof && window.position() == 0
            if (drained) finished = true
            batches++
            if (table.rowCount == 0 && batches > 1) return null
            return table
        }
    }

    private companion object {
        const val INITIAL_WINDOW = 1 shl 20
        const val MAX_WINDOW = 1 shl 30
    }
}
