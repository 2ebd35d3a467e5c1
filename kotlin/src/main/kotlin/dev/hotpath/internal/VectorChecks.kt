package dev.hotpath.internal

import dev.hotpath.Metric

/**
 * Argument checks of the Vectors family, shared by `VectorIndex` and its JVM twin so both fail
 * the same way; the content checks use the native side's wording (`rust/core/src/vectors.rs`).
 */
internal object VectorChecks {
    const val MAX_DIMENSION: Int = 65_536

    fun dimension(dimension: Int) {
        if (dimension < 1 || dimension > MAX_DIMENSION) {
            throw IllegalArgumentException("dimension is $dimension, expected 1 to $MAX_DIMENSION")
        }
    }

    fun k(k: Int) {
        if (k < 1) throw IllegalArgumentException("k is $k, expected at least 1")
    }

    fun length(vector: FloatArray, dimension: Int, name: String) {
        if (vector.size != dimension) {
            throw IllegalArgumentException("$name has ${vector.size} components, expected dimension $dimension")
        }
    }

    /** Checks `count` vectors laid end to end in [vectors] and returns the float count. */
    fun packed(vectors: FloatArray, count: Int, dimension: Int, name: String): Int {
        if (count < 0) throw IllegalArgumentException("count is $count, expected at least 0")
        val floats = count.toLong() * dimension
        if (floats > vectors.size) {
            throw IllegalArgumentException("$name has ${vectors.size} floats, fewer than count $count x dimension $dimension")
        }
        return floats.toInt()
    }

    fun bufferBytes(remaining: Int, dimension: Int, name: String): Int {
        val perVector = dimension.toLong() * 4
        if (remaining % perVector != 0L) {
            throw IllegalArgumentException(
                "$name has $remaining remaining bytes, not a multiple of dimension $dimension x 4",
            )
        }
        return (remaining / perVector).toInt()
    }

    /** Checks vector [index] at [from] of [values]: finite components, not zero under COSINE. */
    fun content(values: FloatArray, from: Int, dimension: Int, metric: Metric, name: String, index: Int) {
        var zero = true
        for (i in 0 until dimension) {
            val x = values[from + i]
            if (x.isNaN()) throw IllegalArgumentException("$name: vector $index has a NaN component at $i")
            if (x.isInfinite()) throw IllegalArgumentException("$name: vector $index has an infinite component at $i")
            if (x != 0f) zero = false
        }
        if (zero && metric == Metric.COSINE) {
            throw IllegalArgumentException("$name: vector $index is zero, which COSINE cannot normalise")
        }
    }

    /** `count * min(k, size)`, the entries a search returns, or an exception when it exceeds an array. */
    fun results(count: Int, perQuery: Int): Int {
        val total = count.toLong() * perQuery
        if (total > Int.MAX_VALUE) {
            throw IllegalArgumentException("$count queries x $perQuery results exceed ${Int.MAX_VALUE} entries")
        }
        return total.toInt()
    }
}
