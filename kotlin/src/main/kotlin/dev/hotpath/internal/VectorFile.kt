package dev.hotpath.internal

import dev.hotpath.Metric
import dev.hotpath.Precision
import java.io.IOException
import java.nio.ByteBuffer
import java.nio.ByteOrder
import java.nio.channels.FileChannel
import java.nio.file.AtomicMoveNotSupportedException
import java.nio.file.Files
import java.nio.file.Path
import java.nio.file.StandardCopyOption
import java.nio.file.StandardOpenOption
import java.util.zip.CRC32C

/**
 * The vector index file format, version 1 (docs/vectors.md, "File format"), for both backends:
 * one implementation, so either backend reads the other's files.
 */
internal object VectorFile {
    private val MAGIC = "HPVECIDX".toByteArray(Charsets.US_ASCII)
    const val VERSION: Int = 1
    const val HEADER: Int = 28
    private const val TRAILER = 4

    /** Bytes of vectors per read or write: a few per call, about 1 MiB. */
    private const val PIECE_BYTES = 1 shl 20

    class Header(val dimension: Int, val metric: Metric, val precision: Precision, val count: Int)

    /** What [read] fills: the index being loaded. */
    interface Sink {
        /** Appends `length / (dimension * 4)` stored vectors from little-endian [bytes]. */
        fun addStored(bytes: ByteArray, offset: Int, length: Int)
    }

    /**
     * Writes [header] and the vectors [export] copies (`export(from, count, out)`: vectors
     * `from until from + count` as little-endian floats into `out`) to a temporary file beside
     * [path], then renames it over [path].
     */
    fun write(path: Path, header: Header, export: (Int, Int, ByteArray) -> Unit) {
        val target = path.toAbsolutePath()
        val dir = target.parent ?: throw IOException("$path has no parent directory")
        val tmp = Files.createTempFile(dir, ".${target.fileName}.", ".tmp")
        try {
            FileChannel.open(tmp, StandardOpenOption.WRITE, StandardOpenOption.TRUNCATE_EXISTING).use { ch ->
                val crc = CRC32C()
                val head = ByteBuffer.allocate(HEADER).order(ByteOrder.LITTLE_ENDIAN)
                head.put(MAGIC).putInt(VERSION).putInt(header.dimension)
                head.put(header.metric.code.toByte()).put(header.precision.code.toByte()).putShort(0)
                head.putLong(header.count.toLong())
                head.flip()
                crc.update(head.duplicate())
                writeFully(ch, head)
                val perPiece = maxOf(1, PIECE_BYTES / (header.dimension * 4))
                val piece = ByteArray(minOf(perPiece, maxOf(header.count, 1)) * header.dimension * 4)
                var from = 0
                while (from < header.count) {
                    val n = minOf(perPiece, header.count - from)
                    val bytes = n * header.dimension * 4
                    export(from, n, piece)
                    crc.update(piece, 0, bytes)
                    writeFully(ch, ByteBuffer.wrap(piece, 0, bytes))
                    from += n
                }
                val tail = ByteBuffer.allocate(TRAILER).order(ByteOrder.LITTLE_ENDIAN).putInt(crc.value.toInt())
                tail.flip()
                writeFully(ch, tail)
                ch.force(true)
            }
            try {
                Files.move(tmp, target, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE)
            } catch (_: AtomicMoveNotSupportedException) {
                Files.move(tmp, target, StandardCopyOption.REPLACE_EXISTING)
            }
        } finally {
            Files.deleteIfExists(tmp)
        }
    }

    /**
     * Reads [path]: checks the header and the file's length before [open] allocates anything,
     * feeds the vectors to the sink [open] returns, then checks the checksum. Any failure after
     * [open] calls [discard] on the sink.
     *
     * @throws IOException if the file is not a version-1 vector index, or is damaged or truncated.
     */
    fun <S : Sink> read(path: Path, open: (Header) -> S, discard: (S) -> Unit): S {
        FileChannel.open(path, StandardOpenOption.READ).use { ch ->
            val size = ch.size()
            if (size < HEADER + TRAILER) {
                throw IOException("$path has $size bytes, too short for a vector index (at least ${HEADER + TRAILER})")
            }
            val head = ByteBuffer.allocate(HEADER).order(ByteOrder.LITTLE_ENDIAN)
            readFully(ch, head, path)
            head.flip()
            val crc = CRC32C()
            crc.update(head.duplicate())
            val header = parse(head, size, path)
            val sink = open(header)
            var ok = false
            try {
                val perVector = header.dimension * 4
                val perPiece = maxOf(1, PIECE_BYTES / perVector)
                val piece = ByteArray(minOf(perPiece, maxOf(header.count, 1)) * perVector)
                var left = header.count
                while (left > 0) {
                    val n = minOf(perPiece, left)
                    val buf = ByteBuffer.wrap(piece, 0, n * perVector)
                    readFully(ch, buf, path)
                    crc.update(piece, 0, n * perVector)
                    try {
                        sink.addStored(piece, 0, n * perVector)
                    } catch (e: IllegalArgumentException) {
                        throw IOException("$path is damaged: ${e.message}", e)
                    }
                    left -= n
                }
                val tail = ByteBuffer.allocate(TRAILER).order(ByteOrder.LITTLE_ENDIAN)
                readFully(ch, tail, path)
                tail.flip()
                val stored = tail.int
                if (stored != crc.value.toInt()) {
                    throw IOException(
                        "$path is damaged: its checksum is ${hex(stored)}, its contents' ${hex(crc.value.toInt())}",
                    )
                }
                ok = true
                return sink
            } finally {
                if (!ok) discard(sink)
            }
        }
    }

    private fun parse(head: ByteBuffer, size: Long, path: Path): Header {
        val magic = ByteArray(MAGIC.size)
        head.get(magic)
        if (!magic.contentEquals(MAGIC)) throw IOException("$path is not a hotpath vector index (no HPVECIDX magic)")
        val version = head.int
        if (version != VERSION) throw IOException("$path has format version $version; this library reads version $VERSION")
        val dimension = head.int
        if (dimension < 1 || dimension > VectorChecks.MAX_DIMENSION) {
            throw IOException("$path is damaged: dimension $dimension, expected 1 to ${VectorChecks.MAX_DIMENSION}")
        }
        val metricCode = head.get().toInt()
        val metric = Metric.ofCode(metricCode) ?: throw IOException("$path is damaged: unknown metric code $metricCode")
        val precisionCode = head.get().toInt()
        val precision = Precision.ofCode(precisionCode)
            ?: throw IOException("$path is damaged: unknown precision code $precisionCode")
        val reserved = head.short
        if (reserved.toInt() != 0) throw IOException("$path is damaged: reserved bytes are $reserved, expected 0")
        val count = head.long
        if (count < 0 || count > Int.MAX_VALUE) throw IOException("$path is damaged: count $count, expected 0 to ${Int.MAX_VALUE}")
        val expected = HEADER + TRAILER + count * dimension * 4
        if (size != expected) {
            throw IOException(
                "$path has $size bytes, but its header's $count vectors of dimension $dimension need $expected " +
                    "(truncated or damaged)",
            )
        }
        return Header(dimension, metric, precision, count.toInt())
    }

    private fun hex(v: Int): String = "0x" + Integer.toHexString(v)

    private fun writeFully(ch: FileChannel, buf: ByteBuffer) {
        while (buf.hasRemaining()) ch.write(buf)
    }

    private fun readFully(ch: FileChannel, buf: ByteBuffer, path: Path) {
        while (buf.hasRemaining()) {
            if (ch.read(buf) < 0) throw IOException("$path ended early (truncated while being read)")
        }
    }
}
