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
import org.junit.jupiter.params.provider.EnumSource
import org.junit.jupiter.params.provider.MethodSource

/**
 * Argument errors and native failures, on [Backend.NATIVE] and [Backend.JVM] (and AUTO): bad
 * ranges fail the same way everywhere, and a Rust panic becomes a [NativeKernelException] that
 * leaves the library working. Null arguments are covered from Java, in `NumericJavaTest`.
 */
class NumericErrorsTest {
    companion object {
        private val SEG = NumericInputs.SEGMENT

        @JvmStatic
        @BeforeAll
        fun nativeLibraryIsAvailable() = NumericInputs.requireNative()

        /** (array size, fromIndex, toIndex, fragments the message must contain). */
        @JvmStatic
        fun badRanges(): List<Arguments> = listOf(
            Arguments.of(10, -1, 5, listOf("fromIndex -1", "0")),
            Arguments.of(10, Int.MIN_VALUE, 0, listOf("fromIndex -2147483648", "0")),
            Arguments.of(10, -1, 11, listOf("fromIndex -1")),
            Arguments.of(10, 0, 11, listOf("toIndex 11", "10")),
            Arguments.of(10, 11, 11, listOf("toIndex 11", "10")),
            Arguments.of(10, 0, Int.MAX_VALUE, listOf("toIndex 2147483647", "10")),
            Arguments.of(10, 6, 5, listOf("fromIndex 6", "toIndex 5")),
            Arguments.of(10, 5, -1, listOf("fromIndex 5", "toIndex -1")),
            Arguments.of(0, 0, 1, listOf("toIndex 1", "0")),
            Arguments.of(SEG + 5, 3, SEG + 6, listOf("toIndex ${SEG + 6}", "${SEG + 5}")),
        )

        private val BACKENDS = listOf(Backend.NATIVE, Backend.JVM, Backend.AUTO)
    }

    @AfterEach
    fun restoreAutoBackend() {
        Hotpath.backend = Backend.AUTO
    }

    @ParameterizedTest(name = "long[{0}], [{1}, {2})")
    @MethodSource("badRanges")
    fun longRangeOutsideTheArrayThrowsIndexOutOfBoundsNamingArgumentAndBound(size: Int, from: Int, to: Int, fragments: List<String>) {
        val values = LongArray(size) { it.toLong() }
        val messages = BACKENDS.map { b ->
            Hotpath.backend = b
            val e = assertThrows(IndexOutOfBoundsException::class.java) { Numeric.sum(values, from, to) }
            for (f in fragments) assertTrue(e.message.orEmpty().contains(f)) { "on $b: message '${e.message}' lacks '$f'" }
            e.message
        }
        assertEquals(1, messages.distinct().size) { "the backends word the error differently: $messages" }
        val twin = assertThrows(IndexOutOfBoundsException::class.java) { NumericReference.sum(values, from, to) }
        assertEquals(messages[0], twin.message) { "the twin words the error differently" }
    }

    @ParameterizedTest(name = "double[{0}], [{1}, {2})")
    @MethodSource("badRanges")
    fun doubleRangeOutsideTheArrayThrowsIndexOutOfBoundsNamingArgumentAndBound(size: Int, from: Int, to: Int, fragments: List<String>) {
        val values = DoubleArray(size) { it.toDouble() }
        val messages = BACKENDS.map { b ->
            Hotpath.backend = b
            val e = assertThrows(IndexOutOfBoundsException::class.java) { Numeric.sum(values, from, to) }
            for (f in fragments) assertTrue(e.message.orEmpty().contains(f)) { "on $b: message '${e.message}' lacks '$f'" }
            e.message
        }
        assertEquals(1, messages.distinct().size) { "the backends word the error differently: $messages" }
    }

    @ParameterizedTest
    @EnumSource(Backend::class)
    fun rangesTouchingTheEndsAreValid(backend: Backend) {
        Hotpath.backend = backend
        val longs = LongArray(10) { it + 1L }
        val doubles = DoubleArray(10) { it + 1.0 }
        assertEquals(0L, Numeric.sum(longs, 0, 0))
        assertEquals(0L, Numeric.sum(longs, 10, 10))
        assertEquals(55L, Numeric.sum(longs, 0, 10))
        assertEquals(10L, Numeric.sum(longs, 9, 10))
        NumericInputs.assertBits(0.0, Numeric.sum(doubles, 10, 10)) { "empty range at the end on $backend" }
        NumericInputs.assertBits(55.0, Numeric.sum(doubles, 0, 10)) { "whole range on $backend" }
        NumericInputs.assertBits(1.0, Numeric.sum(doubles, 0, 1)) { "first element on $backend" }
        assertEquals(0L, Numeric.sum(LongArray(0), 0, 0))
    }

    @Test
    fun aBadRangeLeavesTheArrayUntouchedAndTheNextCallWorks() {
        val values = LongArray(SEG + 10) { 3L }
        for (b in BACKENDS) {
            Hotpath.backend = b
            assertThrows(IndexOutOfBoundsException::class.java) { Numeric.sum(values, 0, values.size + 1) }
            assertEquals(3L * values.size, Numeric.sum(values)) { "the call after the error on $b" }
        }
    }

    @ParameterizedTest(name = "inWorker={0}")
    @org.junit.jupiter.params.provider.ValueSource(booleans = [false, true])
    fun nativePanicSurfacesAsNativeKernelExceptionWithItsMessage(inWorker: Boolean) {
        Hotpath.backend = Backend.NATIVE
        val e = assertThrows(NativeKernelException::class.java) { NativeHooks.panic(inWorker) }
        assertTrue(e.message.orEmpty().contains("deliberate panic")) { "message: '${e.message}'" }
        assertInstanceOf(HotpathException::class.java, e)
        assertInstanceOf(RuntimeException::class.java, e)
        val values = DoubleArray(1000) { it.toDouble() }
        NumericInputs.assertBits(499_500.0, Numeric.sum(values)) { "native sum right after the panic" }
    }

    @Test
    fun nativePanicIsReachableWhateverTheSelectedBackend() {
        // The backend chooses who runs kernels; the probe always goes to native code.
        Hotpath.backend = Backend.JVM
        assertThrows(NativeKernelException::class.java) { NativeHooks.panic(false) }
        Hotpath.backend = Backend.AUTO
        assertThrows(NativeKernelException::class.java) { NativeHooks.panic(true) }
    }

    @Test
    fun aHundredPanicsLeaveNoPinnedArrayAndAWorkingPool() {
        Hotpath.backend = Backend.NATIVE
        val rnd = NumericInputs.random("panicLoop")
        // Over two segments, so every sum pins and releases several times, and over the
        // parallel threshold, so the pool that just saw a worker panic has to do the work.
        val doubles = NumericInputs.DoubleFamily.MIXED_MAGNITUDES.generate(2 * SEG + 333, rnd)
        val longs = NumericInputs.LongFamily.RANDOM.generate(2 * SEG + 333, rnd)
        val expectedDouble = NumericReference.sum(doubles, 0, doubles.size)
        val expectedLong = NumericReference.sum(longs, 0, longs.size)
        val expectedStats = NumericReference.stats(doubles)
        val scaled = longs.copyOf()
        for (i in 0 until 100) {
            val e = assertThrows(NativeKernelException::class.java) { NativeHooks.panic(i % 2 == 1) }
            assertTrue(e.message.orEmpty().contains("deliberate panic")) { "iteration $i: '${e.message}'" }
            NumericInputs.assertBits(expectedDouble, Numeric.sum(doubles)) { "sum(double[]) after panic #$i" }
            NumericInputs.assertLong(expectedLong, Numeric.sum(longs)) { "sum(long[]) after panic #$i" }
            if (i % 10 == 0) {
                // A leaked critical pin would block this collection (or crash under -Xcheck:jni).
                System.gc()
                NumericInputs.assertSameStats(expectedStats, Numeric.stats(doubles)) { "stats after panic #$i and a GC" }
                Numeric.scale(scaled, -1L) // written back through update pins: ten flips restore it
            }
        }
        NumericInputs.assertSameElements(longs, scaled) { "ten in-place negations between panics" }
        // Churn enough garbage to force several collections, then use the library once more.
        var keep = 0L
        repeat(64) { keep += LongArray(1 shl 20).also { a -> a[it] = it.toLong() }[it] }
        assertEquals((0 until 64).sum().toLong(), keep)
        NumericInputs.assertBits(NumericReference.sumExact(doubles), Numeric.sumExact(doubles)) { "sumExact after the loop" }
    }

    @Test
    fun theNativeRangeSumsCheckTheLengthTheyAreGivenAgainstTheArray() {
        // Numeric passes values.size along so that an empty range needs no call into the VM;
        // called directly with a wrong length, the bridge throws instead of reading past the array.
        val bridge = Class.forName("dev.hotpath.internal.NativeBridge")
        fun failure(name: String, vararg args: Any?): Throwable {
            val method = bridge.methods.single { it.name == name }
            val e = kotlin.runCatching { method.invoke(null, *args) }.exceptionOrNull()
            return assertInstanceOf(java.lang.reflect.InvocationTargetException::class.java, e) { "$name did not throw" }.targetException
        }
        for ((name, array) in listOf("sumLongArray" to LongArray(3), "sumDoubleArray" to DoubleArray(3))) {
            val longer = failure(name, array, 0, 5, 5)
            assertInstanceOf(IllegalArgumentException::class.java, longer) { name }
            assertEquals("length 5 is not the array's length 3", longer.message)
            assertInstanceOf(IndexOutOfBoundsException::class.java, failure(name, array, 0, 4, 3)) { name }
            assertInstanceOf(IndexOutOfBoundsException::class.java, failure(name, array, 2, 1, 3)) { name }
            assertInstanceOf(IllegalArgumentException::class.java, failure(name, array, 0, 0, -1)) { name }
        }
        assertEquals(6L, bridge.methods.single { it.name == "sumLongArray" }.invoke(null, longArrayOf(1, 2, 3), 0, 3, 3))
        assertEquals(0L, bridge.methods.single { it.name == "sumLongArray" }.invoke(null, LongArray(0), 0, 0, 0))
    }
}
