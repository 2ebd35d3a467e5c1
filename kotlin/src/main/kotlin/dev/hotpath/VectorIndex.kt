package dev.hotpath

import dev.hotpath.internal.BufferAccess
import dev.hotpath.internal.Dispatch
import dev.hotpath.internal.NativeAvailability
import dev.hotpath.internal.NativeBridge
import dev.hotpath.internal.VectorChecks
import dev.hotpath.internal.VectorFile
import dev.hotpath.jvm.VectorIndexReference
import java.io.IOException
import java.lang.ref.Cleaner
import java.nio.ByteBuffer
import java.nio.file.Path
import java.util.concurrent.locks.ReentrantReadWriteLock

/**
 * An index of fixed-dimension `float` embeddings and exact (brute-force) top-k similarity search
 * over them, one query or a batch at a time. `docs/vectors.md` is the contract.
 *
 * On the native backend the vectors live in native memory the index owns, scanned in
 * cache-sized tiles against blocks of queries, with SIMD chosen at run time and the work shared
 * over hotpath's pool; on the JVM backend ([VectorIndexReference]) in heap arrays. Both return the
 * same ids (ties broken by the smaller id) and scores within `1e-5` relative. The backend is
 * fixed when the index is created: [Backend.AUTO] picks native whenever the library loads.
 *
 * Thread-safe: searches run concurrently with each other; adds are serialised with each other
 * and with searches. [close] frees the native memory once the calls in flight have finished;
 * afterwards every call but [close] throws [IllegalStateException]. An index that is never
 * closed is freed by a [Cleaner] once unreachable.
 */
public class VectorIndex private constructor(
    private val dimension: Int,
    private val metric: Metric,
    private val precision: Precision,
    private val reference: VectorIndexReference?,
    private val handle: Long,
) : AutoCloseable {
    private val lock = ReentrantReadWriteLock()

    /** Guarded by [lock]: read under either lock, written under the write lock. */
    private var closed = false
    private var count = 0
    private val cleanable: Cleaner.Cleanable? = if (reference == null) CLEANER.register(this, Free(handle)) else null

    /** Frees the native index; holds only the handle, never the [VectorIndex], so it can run once that is unreachable. */
    private class Free(private val handle: Long) : Runnable {
        override fun run() {
            NativeBridge.vectorIndexFree(handle)
        }
    }

    private inline fun <T> reading(block: () -> T): T {
        val l = lock.readLock()
        l.lock()
        try {
            check(!closed) { "VectorIndex is closed" }
            return block()
        } finally {
            l.unlock()
        }
    }

    private inline fun <T> writing(block: () -> T): T {
        val l = lock.writeLock()
        l.lock()
        try {
            check(!closed) { "VectorIndex is closed" }
            return block()
        } finally {
            l.unlock()
        }
    }

    /** Which backend holds this index: [Backend.NATIVE] or [Backend.JVM]. */
    public fun backend(): Backend = if (reference == null) Backend.NATIVE else Backend.JVM

    /** The number of vectors held. @throws IllegalStateException if the index is closed. */
    public fun size(): Int = reading { count }

    /** The dimension of every vector. */
    public fun dimension(): Int = dimension

    /** The metric searches use. */
    public fun metric(): Metric = metric

    /** The precision searches scan at. */
    public fun precision(): Precision = precision

    /**
     * Bytes held for the vectors: native memory on the native backend, heap on the JVM.
     *
     * @throws IllegalStateException if the index is closed.
     */
    public fun memoryBytes(): Long = reading {
        reference?.memoryBytes() ?: NativeBridge.vectorIndexMemoryBytes(handle)
    }

    /**
     * Adds [vector] and returns its id (ids are 0, 1, 2, ... in order of adding).
     *
     * @throws NullPointerException if [vector] is null.
     * @throws IllegalArgumentException if its length is not [dimension], a component is NaN or
     *   infinite, or it is zero under [Metric.COSINE].
     * @throws IllegalStateException if the index is closed.
     */
    public fun add(vector: FloatArray): Int {
        VectorChecks.length(vector, dimension, "vector")
        return addAll(vector, 1)
    }

    /**
     * Adds the [count] vectors laid end to end in `vectors[0 until count * dimension]` (the array
     * may be longer), all or nothing, and returns the first id.
     *
     * @throws NullPointerException if [vectors] is null.
     * @throws IllegalArgumentException if `count < 0`, the array is shorter than `count * dimension`,
     *   a component is NaN or infinite, a vector is zero under [Metric.COSINE], or the index would
     *   hold more than `Int.MAX_VALUE` vectors.
     * @throws IllegalStateException if the index is closed.
     * @throws OutOfMemoryError if the memory for the vectors cannot be had; the index is unchanged.
     */
    public fun addAll(vectors: FloatArray, count: Int): Int {
        VectorChecks.packed(vectors, count, dimension, "vectors")
        return writing {
            val first = reference?.addAll(vectors, count) ?: NativeBridge.vectorIndexAdd(handle, vectors, count)
            this.count = first + count
            first
        }
    }

    /**
     * Adds the buffer's remaining bytes as vectors of little-endian floats, whatever the buffer's
     * [ByteBuffer.order], and returns the first id; position, limit and mark are unchanged. A
     * direct buffer is read in place, a heap buffer through its array; a read-only heap buffer, a
     * file mapping or a closeable memory segment is copied first (docs/memory.md).
     *
     * @throws NullPointerException if [vectors] is null.
     * @throws IllegalArgumentException if the remaining bytes are not a whole number of vectors, or as [addAll].
     * @throws IllegalStateException if the index is closed, or the buffer's memory segment was released.
     * @throws HotpathException if the buffer maps a file that was truncated or replaced.
     */
    public fun addAll(vectors: ByteBuffer): Int {
        val n = VectorChecks.bufferBytes(vectors.remaining(), dimension, "vectors")
        return writing {
            val first = if (reference != null) {
                reference.addAll(vectors)
            } else {
                BufferAccess.reading(vectors, "vectors") { source ->
                    val position = source.position()
                    val length = source.remaining()
                    when {
                        source.isDirect -> NativeBridge.vectorIndexAddDirect(handle, source, position, length)
                        source.hasArray() -> NativeBridge.vectorIndexAddBytes(handle, source.array(), source.arrayOffset() + position, length, false)
                        else -> {
                            val copy = ByteArray(length)
                            source.duplicate().get(copy)
                            NativeBridge.vectorIndexAddBytes(handle, copy, 0, length, false)
                        }
                    }
                }
            }
            count = first + n
            first
        }
    }

    /**
     * The best `min(k, size)` vectors for [query], best first, ties broken by the smaller id.
     *
     * @throws NullPointerException if [query] is null.
     * @throws IllegalArgumentException if `k < 1`, or [query]'s length is not [dimension], a
     *   component is NaN or infinite, or it is zero under [Metric.COSINE].
     * @throws IllegalStateException if the index is closed.
     */
    public fun search(query: FloatArray, k: Int): TopK {
        VectorChecks.length(query, dimension, "query")
        return searchBatch(query, 1, k)[0]
    }

    /**
     * One [TopK] per query, as [search] answers each, in one pass over the index per block of
     * queries. The queries are gathered into one array first.
     *
     * @throws NullPointerException if [queries] or one of them is null (named by its index).
     * @throws IllegalArgumentException as [search], naming the query's index.
     * @throws IllegalStateException if the index is closed.
     */
    public fun searchBatch(queries: Array<FloatArray>, k: Int): Array<TopK> {
        VectorChecks.k(k)
        val total = queries.size.toLong() * dimension
        if (total > Int.MAX_VALUE - 8) throw IllegalArgumentException("${queries.size} queries of dimension $dimension exceed an array")
        val flat = FloatArray(total.toInt())
        for (i in queries.indices) {
            val q: FloatArray = queries[i] ?: throw NullPointerException("queries[$i] is null")
            VectorChecks.length(q, dimension, "queries[$i]")
            System.arraycopy(q, 0, flat, i * dimension, dimension)
        }
        return searchBatch(flat, queries.size, k)
    }

    /**
     * One [TopK] for each of the [count] queries laid end to end in `queries[0 until count * dimension]`.
     *
     * @throws NullPointerException if [queries] is null.
     * @throws IllegalArgumentException as [search], or if `count < 0`, the array is too short, or
     *   `count * min(k, size)` exceeds `Int.MAX_VALUE`.
     * @throws IllegalStateException if the index is closed.
     */
    public fun searchBatch(queries: FloatArray, count: Int, k: Int): Array<TopK> {
        VectorChecks.k(k)
        VectorChecks.packed(queries, count, dimension, "queries")
        return reading {
            if (reference != null) return@reading reference.searchBatch(queries, count, k)
            val perQuery = minOf(k, this.count)
            val total = VectorChecks.results(count, perQuery)
            val ids = IntArray(total)
            val scores = FloatArray(total)
            NativeBridge.vectorIndexSearch(handle, queries, count, k, ids, scores)
            TopK.split(ids, scores, count, perQuery)
        }
    }

    /**
     * Writes this index to [file] in the format of docs/vectors.md (version 1, with a CRC-32C),
     * through a temporary file in the same directory renamed over [file]. Searches may run
     * meanwhile; adds wait.
     *
     * @throws IOException if the file cannot be written.
     * @throws IllegalStateException if the index is closed.
     */
    @Throws(IOException::class)
    public fun save(file: Path) {
        reading {
            if (reference != null) {
                reference.save(file)
            } else {
                VectorFile.write(file, VectorFile.Header(dimension, metric, precision, count)) { from, n, out ->
                    NativeBridge.vectorIndexExport(handle, from, n, out)
                }
            }
        }
    }

    /**
     * Frees the index's memory, after the calls in flight on it have finished. Later calls throw
     * [IllegalStateException]; a second [close] does nothing.
     */
    override fun close() {
        val l = lock.writeLock()
        l.lock()
        try {
            if (closed) return
            closed = true
            cleanable?.clean()
        } finally {
            l.unlock()
        }
    }

    override fun toString(): String = "VectorIndex(dimension=$dimension, metric=$metric, precision=$precision, backend=${backend()})"

    public companion object {
        /** The largest dimension an index accepts. */
        public const val MAX_DIMENSION: Int = VectorChecks.MAX_DIMENSION

        private val CLEANER: Cleaner by lazy { Cleaner.create() }

        /**
         * An empty index of [dimension]-component vectors compared by [metric], scanned at
         * [precision], held by [backend] (default: [Hotpath.backend]; [Backend.AUTO] is native when
         * the library loads, else the JVM).
         *
         * @throws IllegalArgumentException if [dimension] is not 1 to [MAX_DIMENSION].
         * @throws NativeLoadException if [backend] is [Backend.NATIVE] and the library cannot load.
         */
        @JvmStatic
        @JvmOverloads
        public fun create(
            dimension: Int,
            metric: Metric,
            precision: Precision = Precision.F32,
            backend: Backend = Hotpath.backend,
        ): VectorIndex {
            VectorChecks.dimension(dimension)
            return if (native(backend)) {
                VectorIndex(dimension, metric, precision, null, NativeBridge.vectorIndexCreate(dimension, metric.code, precision.code))
            } else {
                VectorIndex(dimension, metric, precision, VectorIndexReference.create(dimension, metric, precision), 0L)
            }
        }

        /**
         * The index saved in [file] by [save] (either backend's), held by [backend].
         *
         * @throws IOException if the file cannot be read, is not a vector index of format version 1,
         *   or is damaged or truncated (the message says which).
         * @throws NativeLoadException if [backend] is [Backend.NATIVE] and the library cannot load.
         */
        @JvmStatic
        @JvmOverloads
        @Throws(IOException::class)
        public fun load(file: Path, backend: Backend = Hotpath.backend): VectorIndex =
            VectorFile.read(
                file,
                { h -> Loading(create(h.dimension, h.metric, h.precision, backend)) },
                { it.index.close() },
            ).index

        private fun native(backend: Backend): Boolean =
            when (backend) {
                Backend.JVM -> false
                Backend.NATIVE -> {
                    Dispatch.requireNative()
                    true
                }
                Backend.AUTO -> NativeAvailability.available
            }
    }

    private class Loading(val index: VectorIndex) : VectorFile.Sink {
        override fun addStored(bytes: ByteArray, offset: Int, length: Int) {
            index.writing {
                val n = length / (index.dimension * 4)
                val first = index.reference?.addStoredForLoad(bytes, offset, length)
                    ?: NativeBridge.vectorIndexAddBytes(index.handle, bytes, offset, length, true)
                index.count = first + n
            }
        }
    }
}
