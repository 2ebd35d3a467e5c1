package dev.hotpath

import dev.hotpath.internal.BufferAccess
import dev.hotpath.internal.CsvBatch
import dev.hotpath.internal.CsvNative
import dev.hotpath.internal.Dispatch
import dev.hotpath.internal.Threshold
import dev.hotpath.jvm.CsvReference
import java.io.IOException
import java.nio.ByteBuffer
import java.nio.file.FileSystems
import java.nio.file.Files
import java.nio.file.Path

/**
 * CSV bytes to typed columns (`docs/csv.md` is the contract): a [Table] of primitive arrays per
 * column, strings as one UTF-8 byte array with offsets, no object per field. Types are inferred
 * from every record unless [CsvOptions.Builder.column] gives them; errors are [CsvException]s
 * naming the line, field and byte offset.
 *
 * Natively, inputs from 1 MiB are read in parallel on hotpath's pool (`hotpath.threads`), one
 * chunk per MiB, with chunk boundaries found from quote parity so a chunk starting inside a
 * quoted field is still read right; smaller inputs run on the calling thread. A `byte[]` is
 * pinned, not copied, for about a chunk per thread at a time. The JVM backend
 * ([dev.hotpath.jvm.CsvReference]) gives equal tables and errors. Thread-safe.
 */
public object Csv {
    private val READ = Threshold("csv.read")

    /**
     * The table of [data], all of its bytes.
     *
     * @throws CsvException if the input breaks the format.
     * @throws IllegalArgumentException if the table would not fit Java arrays.
     * @throws NullPointerException if an argument is null.
     * @throws NativeLoadException if the backend is [Backend.NATIVE] and the library cannot load.
     */
    @JvmStatic
    @JvmOverloads
    public fun read(data: ByteArray, options: CsvOptions = CsvOptions.defaults()): Table {
        if (!Dispatch.useNative(READ, data.size)) return CsvReference.read(data, options)
        return CsvNative.readBytes(data, 0, data.size, options, CsvBatch.WHOLE).table
    }

    /**
     * The table of [data]'s remaining bytes (`position` to `limit`; byte offsets in errors count
     * from the position). Position, limit and mark are unchanged. Direct buffers are read in
     * place, heap buffers through their array (pinned); a read-only heap buffer, a file mapping
     * or a closeable segment is copied first (docs/memory.md).
     *
     * @throws CsvException if the input breaks the format.
     * @throws IllegalArgumentException if the table would not fit Java arrays.
     * @throws HotpathException if the buffer maps a file that was truncated.
     * @throws NullPointerException if an argument is null.
     * @throws NativeLoadException if the backend is [Backend.NATIVE] and the library cannot load.
     */
    @JvmStatic
    @JvmOverloads
    public fun read(data: ByteBuffer, options: CsvOptions = CsvOptions.defaults()): Table {
        return BufferAccess.reading(data, "data") { source ->
            val position = source.position()
            val length = source.remaining()
            if (!Dispatch.useNative(READ, length)) return CsvReference.read(source, options)
            when {
                source.isDirect -> CsvNative.readDirect(source, position, length, options, CsvBatch.WHOLE).table
                source.hasArray() -> CsvNative.readBytes(source.array(), source.arrayOffset() + position, length, options, CsvBatch.WHOLE).table
                else -> {
                    val copy = ByteArray(length)
                    source.duplicate().get(copy)
                    CsvNative.readBytes(copy, 0, length, options, CsvBatch.WHOLE).table
                }
            }
        }
    }

    /**
     * The table of the file [file]. Natively the file is read by the library itself (no copy
     * through the Java heap; nothing is memory-mapped, so a file truncated meanwhile gives the
     * bytes that were there, never a crash); memory is the file's size plus the table.
     *
     * @throws IOException if the file cannot be read.
     * @throws CsvException if the input breaks the format.
     * @throws IllegalArgumentException if the table would not fit Java arrays.
     * @throws NullPointerException if an argument is null.
     * @throws NativeLoadException if the backend is [Backend.NATIVE] and the library cannot load.
     */
    @JvmStatic
    @JvmOverloads
    @Throws(IOException::class)
    public fun read(file: Path, options: CsvOptions = CsvOptions.defaults()): Table {
        val size = Files.size(file)
        val native = Dispatch.useNative(READ, minOf(size, Int.MAX_VALUE.toLong()).toInt())
        if (native && file.fileSystem == FileSystems.getDefault()) return CsvNative.readFile(file.toString(), options).table
        val bytes = Files.readAllBytes(file)
        return if (native) CsvNative.readBytes(bytes, 0, bytes.size, options, CsvBatch.WHOLE).table else CsvReference.read(bytes, options)
    }

    /**
     * A reader of [file] in batches of at most [CsvOptions.batchRows] rows, for inputs larger
     * than memory: the file is read a window at a time (a direct buffer natively, a heap one on
     * the JVM backend), grown only as far as one batch needs. Types are inferred from the first
     * batch (unless given) and kept; a later field that does not fit is a [CsvException] at that
     * field. Close it to close the file.
     *
     * @throws IOException if the file cannot be opened.
     * @throws NullPointerException if an argument is null.
     * @throws NativeLoadException if the backend is [Backend.NATIVE] and the library cannot load.
     */
    @JvmStatic
    @JvmOverloads
    @Throws(IOException::class)
    public fun open(file: Path, options: CsvOptions = CsvOptions.defaults()): CsvReader {
        val size = Files.size(file)
        val native = Dispatch.useNative(READ, minOf(size, Int.MAX_VALUE.toLong()).toInt())
        return CsvReader(file, options, native)
    }
}
