package dev.hotpath

import dev.hotpath.jvm.NumericReference
import org.junit.jupiter.api.AfterEach
import org.junit.jupiter.api.Assertions.assertEquals
import org.junit.jupiter.api.Assertions.assertInstanceOf
import org.junit.jupiter.api.Assertions.assertThrows
import org.junit.jupiter.api.Assertions.assertTrue
import org.junit.jupiter.api.BeforeAll
import org.junit.jupiter.api.Test
import org.junit.jupiter.params.ParameterizedTest
import org.junit.jupiter.params.provider.Arguments
import org.junit.jupiter.params.provider.MethodSource
import java.lang.reflect.InvocationTargetException
import java.nio.ByteBuffer
import java.nio.ByteOrder
import java.util.SplittableRandom

/**
 * `sumLongs` / `sumDoubles` over every shape of ByteBuffer a caller can hand in, in both byte
 * orders, on every backend: compared with the twin and with an expectation read through the
 * buffer's own LongBuffer/DoubleBuffer view, and checked to leave the buffer as it was.
 */
class NumericBufferTest {
    /** How the buffer under test is made from its content bytes. */
    enum class Shape(val description: String) {
        HEAP("ByteBuffer.wrap(bytes)"),
        DIRECT("allocateDirect, flipped"),
        HEAP_READ_ONLY("heap asReadOnlyBuffer(): the copied path"),
        DIRECT_READ_ONLY("direct asReadOnlyBuffer(): still read by address"),
        HEAP_WINDOW("heap, position 19 and limit 13 bytes before capacity"),
        HEAP_SLICE("slice() of a heap window: arrayOffset 19, position 0"),
        HEAP_SLICE_WINDOW("slice() at 5 (arrayOffset 5), then position 14 and limit < capacity"),
        HEAP_WRAP_RANGE("ByteBuffer.wrap(bytes, 21, length): position 21, arrayOffset 0"),
        HEAP_READ_ONLY_WINDOW("read-only heap window: copied from position 19"),
        HEAP_DUPLICATE("duplicate() of a heap window"),
        DIRECT_WINDOW("direct, position 16 and limit 16 bytes before capacity"),
        DIRECT_SLICE_UNALIGNED("slice() of a direct buffer at byte 3: an address not 8-aligned"),
        DIRECT_DUPLICATE("duplicate() of a direct window");

        /** A buffer of this shape whose remaining bytes are exactly [content], in [order]. */
        fun make(content: ByteArray, order: ByteOrder): ByteBuffer {
            val len = content.size
            return when (this) {
                HEAP -> ByteBuffer.wrap(content.copyOf())
                DIRECT -> ByteBuffer.allocateDirect(len).put(content).flip()
                HEAP_READ_ONLY -> ByteBuffer.wrap(content.copyOf()).asReadOnlyBuffer()
                DIRECT_READ_ONLY -> ByteBuffer.allocateDirect(len).put(content).flip().asReadOnlyBuffer()
                HEAP_WINDOW -> heapWindow(content)
                HEAP_SLICE -> heapWindow(content).slice().also { check(it.arrayOffset() == 19) }
                HEAP_SLICE_WINDOW -> {
                    val backing = ByteArray(5 + 14 + len + 7)
                    System.arraycopy(content, 0, backing, 19, len)
                    val slice = ByteBuffer.wrap(backing).position(5).slice()
                    check(slice.arrayOffset() == 5)
                    slice.position(14).limit(14 + len)
                }
                HEAP_WRAP_RANGE -> {
                    val backing = ByteArray(21 + len + 3)
                    System.arraycopy(content, 0, backing, 21, len)
                    ByteBuffer.wrap(backing, 21, len)
                }
                HEAP_READ_ONLY_WINDOW -> heapWindow(content).asReadOnlyBuffer()
                HEAP_DUPLICATE -> heapWindow(content).duplicate()
                DIRECT_WINDOW -> directWindow(content)
                DIRECT_SLICE_UNALIGNED -> {
                    val b = ByteBuffer.allocateDirect(3 + len + 5)
                    b.position(3)
                    b.put(content)
                    b.position(3).limit(3 + len)
                    b.slice()
                }
                DIRECT_DUPLICATE -> directWindow(content).duplicate()
            }.order(order)
        }

        private fun heapWindow(content: ByteArray): ByteBuffer {
            val backing = ByteArray(19 + content.size + 13)
            System.arraycopy(content, 0, backing, 19, content.size)
            return ByteBuffer.wrap(backing).position(19).limit(19 + content.size)
        }

        private fun directWindow(content: ByteArray): ByteBuffer {
            val b = ByteBuffer.allocateDirect(16 + content.size + 16)
            b.position(16)
            b.put(content)
            return b.position(16).limit(16 + content.size)
        }
    }

    companion object {
        private val SIZES = intArrayOf(0, 1, 1000, 2_000_000)
        private val ORDERS = listOf(ByteOrder.BIG_ENDIAN, ByteOrder.LITTLE_ENDIAN)

        @JvmStatic
        @BeforeAll
        fun nativeLibraryIsAvailable() = NumericInputs.requireNative()

        @JvmStatic
        fun cases(): List<Arguments> =
            Shape.entries.flatMap { shape -> ORDERS.flatMap { order -> SIZES.map { n -> Arguments.of(shape, order, n) } } }

        /** Longs: random, with runs of MIN_VALUE / MAX_VALUE, written in [order]. */
        private fun longContent(n: Int, order: ByteOrder, rnd: SplittableRandom): ByteArray {
            val values = NumericInputs.LongFamily.EXTREME_RUNS.generate(n, rnd)
            val b = ByteBuffer.allocate(8 * n).order(order)
            for (v in values) b.putLong(v)
            return b.array()
        }

        /** Doubles over mixed magnitudes with a sprinkling of specials, written in [order]. */
        private fun doubleContent(n: Int, order: ByteOrder, rnd: SplittableRandom): ByteArray {
            val values = NumericInputs.DoubleFamily.MIXED_MAGNITUDES.generate(n, rnd)
            for (i in values.indices) {
                if (rnd.nextInt(50_000) == 0) values[i] = NumericInputs.SPECIAL_VALUES[rnd.nextInt(NumericInputs.SPECIAL_VALUES.size)]
            }
            val b = ByteBuffer.allocate(8 * n).order(order)
            for (v in values) b.putDouble(v)
            return b.array()
        }

        /** Remaining byte counts that are not multiples of 8, some above the AUTO thresholds. */
        @JvmStatic
        fun ragged(): List<Int> = listOf(1, 7, 9, 15, 8 * 1000 + 3, 8 * 300_000 + 4)
    }

    @AfterEach
    fun restoreAutoBackend() {
        Hotpath.backend = Backend.AUTO
    }

    private class Snapshot(b: ByteBuffer) {
        val position = b.position()
        val limit = b.limit()
        val capacity = b.capacity()
        val order: ByteOrder = b.order()

        fun assertUnchanged(b: ByteBuffer, context: String) {
            assertEquals(position, b.position()) { "position changed, $context" }
            assertEquals(limit, b.limit()) { "limit changed, $context" }
            assertEquals(capacity, b.capacity()) { "capacity changed, $context" }
            assertEquals(order, b.order()) { "order changed, $context" }
            b.reset() // the mark set at `position` before the call must still be there
            assertEquals(position, b.position()) { "mark lost, $context" }
        }
    }

    @ParameterizedTest(name = "{0}, {1}, {2} longs")
    @MethodSource("cases")
    fun sumLongsMatchesTheLongBufferViewAndTheTwin(shape: Shape, order: ByteOrder, n: Int) {
        val buffer = shape.make(longContent(n, order, NumericInputs.random("sumLongs", shape, order, n)), order)
        assertEquals(8 * n, buffer.remaining())
        val view = buffer.asLongBuffer()
        val values = LongArray(view.remaining())
        view.get(values)
        var expected = 0L
        for (v in values) expected += v
        val context = "$shape (${shape.description}), $order, n=$n"
        val before = Snapshot(buffer)
        buffer.mark()
        NumericInputs.assertLong(expected, NumericReference.sumLongs(buffer)) { "twin sumLongs, $context" }
        before.assertUnchanged(buffer, "twin, $context")
        NumericInputs.onEveryBackend { b ->
            NumericInputs.assertLong(expected, Numeric.sumLongs(buffer)) { "sumLongs on $b, $context" }
            before.assertUnchanged(buffer, "sumLongs on $b, $context")
            NumericInputs.assertLong(expected, Numeric.sum(values)) { "sum(long[]) of the view on $b, $context" }
        }
    }

    @ParameterizedTest(name = "{0}, {1}, {2} doubles")
    @MethodSource("cases")
    fun sumDoublesMatchesTheDoubleBufferViewAndTheTwinBitForBit(shape: Shape, order: ByteOrder, n: Int) {
        val buffer = shape.make(doubleContent(n, order, NumericInputs.random("sumDoubles", shape, order, n)), order)
        val view = buffer.asDoubleBuffer()
        val values = DoubleArray(view.remaining())
        view.get(values)
        val expected = NumericReference.sum(values, 0, values.size)
        val context = "$shape (${shape.description}), $order, n=$n"
        val before = Snapshot(buffer)
        buffer.mark()
        NumericInputs.assertBits(expected, NumericReference.sumDoubles(buffer)) { "twin sumDoubles, $context" }
        before.assertUnchanged(buffer, "twin, $context")
        NumericInputs.onEveryBackend { b ->
            NumericInputs.assertBits(expected, Numeric.sumDoubles(buffer)) { "sumDoubles on $b, $context" }
            before.assertUnchanged(buffer, "sumDoubles on $b, $context")
            NumericInputs.assertBits(expected, Numeric.sum(values)) { "sum(double[]) of the view on $b, $context" }
        }
    }

    @Test
    fun byteOrderDecidesHowTheSameBytesAreRead() {
        val bytes = ByteArray(8 * 300) { (it * 31 + 7).toByte() }
        val big = ByteBuffer.wrap(bytes).order(ByteOrder.BIG_ENDIAN)
        val little = ByteBuffer.wrap(bytes).order(ByteOrder.LITTLE_ENDIAN)
        NumericInputs.onEveryBackend { b ->
            var bigSum = 0L
            var littleSum = 0L
            for (i in 0 until 300) {
                bigSum += big.getLong(8 * i)
                littleSum += little.getLong(8 * i)
            }
            assertTrue(bigSum != littleSum)
            assertEquals(bigSum, Numeric.sumLongs(big)) { "big-endian on $b" }
            assertEquals(littleSum, Numeric.sumLongs(little)) { "little-endian on $b" }
            assertEquals(java.lang.Long.reverseBytes(1L) + 2L, Numeric.sumLongs(
                ByteBuffer.allocateDirect(16).order(ByteOrder.LITTLE_ENDIAN).putLong(java.lang.Long.reverseBytes(1L)).putLong(2L).flip(),
            )) { "direct little-endian on $b" }
        }
    }

    @Test
    fun sumDoublesOfAHeapBufferSeesWritesMadeThroughItsArray() {
        // Heap buffers are read through their backing array without a copy taken up front.
        val array = ByteArray(8 * 1000)
        val buffer = ByteBuffer.wrap(array).order(ByteOrder.LITTLE_ENDIAN)
        NumericInputs.onEveryBackend { b ->
            array.fill(0)
            assertEquals(0.0, Numeric.sumDoubles(buffer)) { "zeros on $b" }
            buffer.putDouble(8 * 999, 2.5)
            assertEquals(2.5, Numeric.sumDoubles(buffer)) { "after a write on $b" }
        }
    }

    @ParameterizedTest(name = "{0} remaining bytes")
    @MethodSource("ragged")
    fun remainingNotAMultipleOfEightIsRejectedWithTheCount(remaining: Int) {
        val buffers = listOf(
            ByteBuffer.allocate(remaining + 11).position(11),
            ByteBuffer.allocateDirect(remaining + 5).position(5),
            ByteBuffer.allocate(remaining + 11).position(11).asReadOnlyBuffer(),
        )
        for (buffer in buffers) {
            val position = buffer.position()
            NumericInputs.onEveryBackend { b ->
                for ((name, call) in listOf<Pair<String, (ByteBuffer) -> Any>>("sumLongs" to Numeric::sumLongs, "sumDoubles" to Numeric::sumDoubles)) {
                    val e = assertThrows(IllegalArgumentException::class.java) { call(buffer) }
                    assertTrue(e.message!!.contains(remaining.toString())) { "$name on $b, $buffer: message '${e.message}' lacks $remaining" }
                    assertEquals(position, buffer.position()) { "$name on $b moved the position" }
                    assertEquals(buffer.capacity(), buffer.limit())
                }
            }
        }
    }

    @Test
    fun nullBufferThrowsNullPointerExceptionNamingTheParameter() {
        for (name in listOf("sumLongs", "sumDoubles")) {
            val method = Numeric::class.java.getMethod(name, ByteBuffer::class.java)
            NumericInputs.onEveryBackend { b ->
                val e = assertThrows(InvocationTargetException::class.java) { method.invoke(null, *arrayOf<Any?>(null)) }
                assertInstanceOf(NullPointerException::class.java, e.cause) { "$name(null) on $b" }
                assertTrue(e.cause!!.message.orEmpty().contains("buffer")) { "$name(null) on $b: '${e.cause!!.message}'" }
            }
        }
    }

    @Test
    fun emptyRemainderSumsToZeroWhateverTheCapacity() {
        val buffer = ByteBuffer.allocateDirect(64).position(64)
        val heap = ByteBuffer.wrap(ByteArray(64) { 1 }).position(24).limit(24)
        NumericInputs.onEveryBackend { b ->
            assertEquals(0L, Numeric.sumLongs(buffer)) { "direct at its limit on $b" }
            NumericInputs.assertBits(0.0, Numeric.sumDoubles(buffer)) { "direct at its limit on $b" }
            assertEquals(0L, Numeric.sumLongs(heap)) { "heap position == limit on $b" }
            NumericInputs.assertBits(0.0, Numeric.sumDoubles(heap)) { "heap position == limit on $b" }
        }
    }
}
