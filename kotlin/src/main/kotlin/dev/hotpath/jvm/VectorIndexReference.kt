package dev.hotpath.jvm

import dev.hotpath.Metric
import dev.hotpath.Precision
import dev.hotpath.TopK
import dev.hotpath.internal.BufferAccess
import dev.hotpath.internal.VectorChecks
import dev.hotpath.internal.VectorFile
import java.io.IOException
import java.nio.ByteBuffer
import java.nio.ByteOrder
import java.nio.file.Path
import java.util.concurrent.locks.ReentrantReadWriteLock
import kotlin.concurrent.read
import kotlin.concurrent.write

/**
 * The pure-Kotlin twin of `dev.hotpath.VectorIndex` (docs/vectors.md): the same API and results
 * on heap arrays, the backend [dev.hotpath.Backend.JVM] runs and the test oracle's peer.
 *
 * COSINE normalisation and INT8 quantization follow the contract step for step, as the native
 * index does, so both store the same bits and pick the same INT8 candidates; only the order of
 * summation in the F32 scores differs (scores agree within 1e-5 relative). A plain loop scores
 * one stored vector after another against each query, keeping a bounded heap per query.
 * Thread-safe: searches run concurrently, adds are serialised with them (a read-write lock).
 * All the vectors live in one `float[]`, so this index holds at most `Int.MAX_VALUE - 8` floats.
 */
public class VectorIndexReference private constructor(
    private val dimension: Int,
    private val metric: Metric,
    private val precision: Precision,
) {
    private val lock = ReentrantReadWriteLock()
    private var count = 0
    private var vectors = FloatArray(0)

    // INT8 only.
    private var codes = ByteArray(0)
    private var lows = FloatArray(0)
    private var scales = FloatArray(0)
    private var codeSums = IntArray(0)
    private var norms2 = DoubleArray(0)

    /** The number of vectors held. */
    public fun size(): Int = lock.read { count }

    /** The dimension of every vector. */
    public fun dimension(): Int = dimension

    /** The metric searches use. */
    public fun metric(): Metric = metric

    /** The precision searches scan at. */
    public fun precision(): Precision = precision

    /** Bytes of heap held for the vectors (array capacities). */
    public fun memoryBytes(): Long = lock.read {
        vectors.size * 4L + codes.size + lows.size * 4L + scales.size * 4L + codeSums.size * 4L + norms2.size * 8L
    }

    /**
     * Adds [vector] and returns its id.
     *
     * @throws IllegalArgumentException if its length is not the dimension, a component is NaN or
     *   infinite, or it is zero under COSINE.
     */
    public fun add(vector: FloatArray): Int {
        VectorChecks.length(vector, dimension, "vector")
        return addAll(vector, 1)
    }

    /**
     * Adds the [count] vectors laid end to end in `vectors[0 until count * dimension]`, all or
     * nothing, and returns the first id.
     *
     * @throws IllegalArgumentException if `count < 0`, the array is too short, a component is NaN
     *   or infinite, a vector is zero under COSINE, or the index would exceed its capacity.
     */
    public fun addAll(vectors: FloatArray, count: Int): Int {
        val floats = VectorChecks.packed(vectors, count, dimension, "vectors")
        for (j in 0 until count) VectorChecks.content(vectors, j * dimension, dimension, metric, "vectors", j)
        return lock.write { append(vectors, floats / dimension, stored = false) }
    }

    /**
     * Adds the buffer's remaining bytes as little-endian floats, whatever its order; position,
     * limit and mark unchanged. Returns the first id.
     *
     * @throws IllegalArgumentException if the remaining bytes are not a whole number of vectors,
     *   or as [addAll].
     */
    public fun addAll(vectors: ByteBuffer): Int {
        val n = VectorChecks.bufferBytes(vectors.remaining(), dimension, "vectors")
        val floats = BufferAccess.reading(vectors, "vectors") { source ->
            val out = FloatArray(n * dimension)
            source.duplicate().order(ByteOrder.LITTLE_ENDIAN).asFloatBuffer().get(out)
            out
        }
        return addAll(floats, n)
    }

    /** Appends stored vectors read from a file (already normalised); for `load`. */
    internal fun addStoredForLoad(bytes: ByteArray, offset: Int, length: Int): Int {
        val n = length / (dimension * 4)
        val floats = FloatArray(n * dimension)
        ByteBuffer.wrap(bytes, offset, length).order(ByteOrder.LITTLE_ENDIAN).asFloatBuffer().get(floats)
        for (j in 0 until n) VectorChecks.content(floats, j * dimension, dimension, metric, "vectors", j)
        return lock.write { append(floats, n, stored = true) }
    }

    /** Vectors `from until from + n` in stored form, little-endian, into [out]; for `save`. */
    internal fun exportStored(from: Int, n: Int, out: ByteArray) {
        lock.read {
            ByteBuffer.wrap(out).order(ByteOrder.LITTLE_ENDIAN).asFloatBuffer()
                .put(vectors, from * dimension, n * dimension)
        }
    }

    private fun append(source: FloatArray, n: Int, stored: Boolean): Int {
        val first = count
        if (n.toLong() + first > Int.MAX_VALUE) {
            throw IllegalArgumentException("adding $n vectors to $first would exceed ${Int.MAX_VALUE}")
        }
        val need = (first.toLong() + n) * dimension
        if (need > MAX_FLOATS) {
            throw IllegalArgumentException("the JVM index holds at most $MAX_FLOATS floats; $need needed")
        }
        vectors = grow(vectors, need.toInt())
        for (j in 0 until n) {
            val at = (first + j) * dimension
            if (stored || metric != Metric.COSINE) {
                System.arraycopy(source, j * dimension, vectors, at, dimension)
            } else {
                normalise(source, j * dimension, vectors, at)
            }
        }
        if (precision == Precision.INT8) {
            if (codes.size < need) codes = codes.copyOf(capacity(codes.size, need.toInt()))
            val perVector = capacity(lows.size, first + n)
            if (lows.size < first + n) {
                lows = lows.copyOf(perVector)
                scales = scales.copyOf(perVector)
                codeSums = codeSums.copyOf(perVector)
                norms2 = norms2.copyOf(perVector)
            }
            for (j in first until first + n) {
                quantize(vectors, j * dimension, codes, j * dimension).let {
                    lows[j] = it.lo
                    scales[j] = it.scale
                    codeSums[j] = it.codeSum
                    norms2[j] = it.norm2
                }
            }
        }
        count = first + n
        return first
    }

    /**
     * The best `min(k, size)` vectors for [query], best first, ties by the smaller id.
     *
     * @throws IllegalArgumentException if `k < 1`, or [query] has the wrong length, a NaN or
     *   infinite component, or is zero under COSINE.
     */
    public fun search(query: FloatArray, k: Int): TopK {
        VectorChecks.length(query, dimension, "query")
        return searchBatch(query, 1, k)[0]
    }

    /**
     * One [TopK] per query, each as [search] gives it.
     *
     * @throws NullPointerException if a query is null.
     * @throws IllegalArgumentException as [search], naming the query's index.
     */
    public fun searchBatch(queries: Array<FloatArray>, k: Int): Array<TopK> {
        val flat = FloatArray(queries.size.toLong().times(dimension).let {
            if (it > Int.MAX_VALUE - 8) throw IllegalArgumentException("${queries.size} queries exceed an array") else it.toInt()
        })
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
     * @throws IllegalArgumentException as [search], or if `count < 0` or the array is too short.
     */
    public fun searchBatch(queries: FloatArray, count: Int, k: Int): Array<TopK> {
        VectorChecks.k(k)
        VectorChecks.packed(queries, count, dimension, "queries")
        for (j in 0 until count) VectorChecks.content(queries, j * dimension, dimension, metric, "queries", j)
        return lock.read {
            val perQuery = minOf(k, this.count)
            val total = VectorChecks.results(count, perQuery)
            val ids = IntArray(total)
            val scores = FloatArray(total)
            val q = FloatArray(dimension)
            for (j in 0 until count) {
                if (metric == Metric.COSINE) normalise(queries, j * dimension, q, 0) else System.arraycopy(queries, j * dimension, q, 0, dimension)
                if (perQuery > 0) {
                    val best = if (precision == Precision.F32) top(q, perQuery) else topInt8(q, perQuery)
                    best.sortedInto(ids, scores, j * perQuery) { if (metric == Metric.L2) (-it).toFloat() else it.toFloat() }
                }
            }
            TopK.split(ids, scores, count, perQuery)
        }
    }

    /** The exact F32 key (larger is better) of stored vector [id] against a prepared query. */
    private fun key(q: FloatArray, id: Int): Float {
        val at = id * dimension
        var s0 = 0f
        var s1 = 0f
        var s2 = 0f
        var s3 = 0f
        var i = 0
        val end = dimension and 3.inv()
        if (metric == Metric.L2) {
            while (i < end) {
                val d0 = vectors[at + i] - q[i]
                val d1 = vectors[at + i + 1] - q[i + 1]
                val d2 = vectors[at + i + 2] - q[i + 2]
                val d3 = vectors[at + i + 3] - q[i + 3]
                s0 += d0 * d0
                s1 += d1 * d1
                s2 += d2 * d2
                s3 += d3 * d3
                i += 4
            }
            while (i < dimension) {
                val d = vectors[at + i] - q[i]
                s0 += d * d
                i++
            }
            return -((s0 + s1) + (s2 + s3))
        }
        while (i < end) {
            s0 += vectors[at + i] * q[i]
            s1 += vectors[at + i + 1] * q[i + 1]
            s2 += vectors[at + i + 2] * q[i + 2]
            s3 += vectors[at + i + 3] * q[i + 3]
            i += 4
        }
        while (i < dimension) {
            s0 += vectors[at + i] * q[i]
            i++
        }
        return (s0 + s1) + (s2 + s3)
    }

    private fun top(q: FloatArray, k: Int): Best {
        val best = Best(k)
        for (id in 0 until count) best.offer(key(q, id).toDouble(), id)
        return best
    }

    private fun topInt8(q: FloatArray, k: Int): Best {
        val qc = ByteArray(dimension)
        val qp = quantize(q, 0, qc, 0)
        val candidates = minOf(maxOf(k.toLong() * 4, 64L), count.toLong()).toInt()
        val coarse = Best(candidates)
        val d = dimension.toDouble()
        for (id in 0 until count) {
            val at = id * dimension
            var dotCodes = 0L
            for (i in 0 until dimension) {
                dotCodes += (codes[at + i].toInt() and 0xFF) * (qc[i].toInt() and 0xFF)
            }
            val lo = lows[id].toDouble()
            val scale = scales[id].toDouble()
            val loQ = qp.lo.toDouble()
            val scaleQ = qp.scale.toDouble()
            val dot = (((d * lo) * loQ + (lo * scaleQ) * qp.codeSum.toDouble()) + (loQ * scale) * codeSums[id].toDouble()) +
                (scale * scaleQ) * dotCodes.toDouble()
            val key = if (metric == Metric.L2) -((norms2[id] + qp.norm2) - 2.0 * dot) else dot
            coarse.offer(key, id)
        }
        val best = Best(k)
        for (i in 0 until coarse.size) {
            val id = coarse.idAt(i)
            best.offer(key(q, id).toDouble(), id)
        }
        return best
    }

    private fun normalise(source: FloatArray, from: Int, out: FloatArray, at: Int) {
        var sum = 0.0
        for (i in 0 until dimension) {
            val x = source[from + i].toDouble()
            sum += x * x
        }
        val norm = Math.sqrt(sum)
        for (i in 0 until dimension) out[at + i] = (source[from + i].toDouble() / norm).toFloat()
    }

    private class Quantized(val lo: Float, val scale: Float, val codeSum: Int, val norm2: Double)

    private fun quantize(v: FloatArray, from: Int, out: ByteArray, at: Int): Quantized {
        var lo = Float.POSITIVE_INFINITY
        var hi = Float.NEGATIVE_INFINITY
        var norm2 = 0.0
        for (i in 0 until dimension) {
            val x = v[from + i]
            if (x < lo) lo = x
            if (x > hi) hi = x
            norm2 += x.toDouble() * x.toDouble()
        }
        val scale = if (hi > lo) (hi - lo) / 255f else 0f
        var sum = 0
        for (i in 0 until dimension) {
            val c = if (scale > 0f) Math.rint(((v[from + i] - lo) / scale).toDouble()).coerceIn(0.0, 255.0).toInt() else 0
            sum += c
            out[at + i] = c.toByte()
        }
        return Quantized(lo, scale, sum, norm2)
    }

    /** The best [k] (key, id) pairs offered: a heap with the worst on top; NaN is worst, ties to the smaller id. */
    private class Best(private val k: Int) {
        private val keys = DoubleArray(k)
        private val ids = IntArray(k)
        var size = 0
            private set

        fun idAt(i: Int): Int = ids[i]

        fun offer(key: Double, id: Int) {
            if (size < k) {
                keys[size] = key
                ids[size] = id
                size++
                siftUp(size - 1)
            } else if (better(key, id, keys[0], ids[0])) {
                keys[0] = key
                ids[0] = id
                siftDown(0)
            }
        }

        private fun siftUp(start: Int) {
            var i = start
            while (i > 0) {
                val p = (i - 1) / 2
                if (!better(keys[p], ids[p], keys[i], ids[i])) return
                swap(i, p)
                i = p
            }
        }

        private fun siftDown(start: Int) {
            var i = start
            while (true) {
                val l = 2 * i + 1
                if (l >= size) return
                var worst = l
                val r = l + 1
                if (r < size && better(keys[l], ids[l], keys[r], ids[r])) worst = r
                if (!better(keys[i], ids[i], keys[worst], ids[worst])) return
                swap(i, worst)
                i = worst
            }
        }

        private fun swap(a: Int, b: Int) {
            val k0 = keys[a]
            keys[a] = keys[b]
            keys[b] = k0
            val i0 = ids[a]
            ids[a] = ids[b]
            ids[b] = i0
        }

        /** Best first into [outIds] and [outScores] from [at]. */
        fun sortedInto(outIds: IntArray, outScores: FloatArray, at: Int, score: (Double) -> Float) {
            val order = (0 until size).sortedWith { a, b ->
                when {
                    better(keys[a], ids[a], keys[b], ids[b]) -> -1
                    better(keys[b], ids[b], keys[a], ids[a]) -> 1
                    else -> 0
                }
            }
            for ((r, i) in order.withIndex()) {
                outIds[at + r] = ids[i]
                outScores[at + r] = score(keys[i])
            }
        }
    }

    /**
     * Writes this index to [file] in the format of docs/vectors.md (version 1), through a
     * temporary file renamed over it.
     *
     * @throws IOException if the file cannot be written.
     */
    @Throws(IOException::class)
    public fun save(file: Path) {
        lock.read {
            VectorFile.write(file, VectorFile.Header(dimension, metric, precision, count)) { from, n, out -> exportStored(from, n, out) }
        }
    }

    public companion object {
        private const val MAX_FLOATS = Int.MAX_VALUE - 8L

        /**
         * An empty index of [dimension]-component vectors compared by [metric].
         *
         * @throws IllegalArgumentException if [dimension] is not 1 to 65,536.
         */
        @JvmStatic
        @JvmOverloads
        public fun create(dimension: Int, metric: Metric, precision: Precision = Precision.F32): VectorIndexReference {
            VectorChecks.dimension(dimension)
            return VectorIndexReference(dimension, metric, precision)
        }

        /**
         * The index saved in [file].
         *
         * @throws IOException if the file cannot be read, is not a vector index of version 1, or is damaged.
         */
        @JvmStatic
        @Throws(IOException::class)
        public fun load(file: Path): VectorIndexReference =
            VectorFile.read(
                file,
                { h -> Sink(create(h.dimension, h.metric, h.precision)) },
                { },
            ).index

        private class Sink(val index: VectorIndexReference) : VectorFile.Sink {
            override fun addStored(bytes: ByteArray, offset: Int, length: Int) {
                index.addStoredForLoad(bytes, offset, length)
            }
        }

        private fun better(ka: Double, ia: Int, kb: Double, ib: Int): Boolean {
            val na = ka.isNaN()
            val nb = kb.isNaN()
            return when {
                na && nb -> ia < ib
                na -> false
                nb -> true
                ka > kb -> true
                ka < kb -> false
                else -> ia < ib
            }
        }

        private fun grow(a: FloatArray, need: Int): FloatArray = if (a.size >= need) a else a.copyOf(capacity(a.size, need))

        private fun capacity(have: Int, need: Int): Int =
            minOf(maxOf(need.toLong(), have * 3L / 2, 16L), MAX_FLOATS).toInt()
    }
}
