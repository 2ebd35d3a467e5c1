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
}
