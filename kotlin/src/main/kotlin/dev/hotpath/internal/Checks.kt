package dev.hotpath.internal

import java.nio.ByteBuffer

/** Argument checks shared by the public API and the JVM twins, so both fail the same way. */
internal object Checks {
    fun range(size: Int, fromIndex: Int, toIndex: Int) {
        if (fromIndex < 0) throw IndexOutOfBoundsException("fromIndex $fromIndex < 0")
        if (toIndex > size) throw IndexOutOfBoundsException("toIndex $toIndex > array length $size")
        if (fromIndex > toIndex) throw IndexOutOfBoundsException("fromIndex $fromIndex > toIndex $toIndex")
    }

    fun remainingMultipleOf8(buffer: ByteBuffer) {
        val remaining = buffer.remaining()
        if (remaining and 7 != 0) {
            throw IllegalArgumentException(
                "buffer has $remaining remaining bytes (position ${buffer.position()}, limit ${buffer.limit()}), " +
                    "not a multiple of 8",
            )
        }
    }

    fun outputLength(outputLength: Int) {
        if (outputLength < 0) throw IllegalArgumentException("outputLength $outputLength < 0")
    }

    fun key(key: ByteArray) {
        if (key.size != KEY_LENGTH) throw IllegalArgumentException("key has ${key.size} bytes, expected $KEY_LENGTH")
    }

    fun atLeast(value: Long, min: Long, name: String) {
        if (value < min) throw IllegalArgumentException("$name is $value, expected at least $min")
    }

    fun exactBytes(bytes: ByteArray, expected: Int, name: String) {
        if (bytes.size != expected) throw IllegalArgumentException("$name has ${bytes.size} bytes, expected $expected")
    }

    fun atMostBytes(bytes: ByteArray, max: Int, name: String) {
        if (bytes.size > max) throw IllegalArgumentException("$name has ${bytes.size} bytes, expected at most $max")
    }

    /**
     * Rejects a null element of a batch (a Java caller can pass one) with a message naming its
     * index, and returns the batch's work for dispatch: its bytes plus [INPUT_COST] per input
     * (every input costs at least one 64-byte block), capped at [Int.MAX_VALUE].
     */
    fun batchWork(inputs: Array<ByteArray>, name: String): Int {
        var work = 0L
        for (i in inputs.indices) {
            val input: ByteArray? = inputs[i]
            if (input == null) throw NullPointerException("$name[$i] is null")
            work += input.size.toLong() + INPUT_COST
        }
        return minOf(work, Int.MAX_VALUE.toLong()).toInt()
    }

    private const val KEY_LENGTH = 32
    private const val INPUT_COST = 64
}
