package dev.hotpath

import dev.hotpath.internal.BridgeInUse
import dev.hotpath.internal.BufferAccess
import dev.hotpath.internal.Checks
import dev.hotpath.internal.Dispatch
import dev.hotpath.internal.NativeBridge
import dev.hotpath.internal.Threshold
import dev.hotpath.jvm.NumericReference
import java.nio.ByteBuffer
import java.nio.ByteOrder

/**
 * Sums, statistics and element-wise maps over primitive arrays and buffers.
 *
 * Every function gives the same result on every backend, to the bit: the native kernels and the
 * pure-Kotlin twins in [NumericReference] follow one written algorithm (`docs/numeric.md`).
 * Native calls pin arrays without copying them and split inputs longer than about half a
 * million elements into segments, so the garbage collector is never held off for long. Inputs
 * of more than a few tens of thousands of elements are processed in parallel on hotpath's pool
 * (`hotpath.threads`); smaller ones stay on the calling thread, which is cheaper than waking
 * workers. All functions are thread-safe; concurrent calls on the same array see it as it is.
 */
public object Numeric {
    private val SUM_LONG = Threshold("numeric.sum.long")
    private val SUM_DOUBLE = Threshold("numeric.sum.double")
    private val SUM_EXACT = Threshold("numeric.sumExact")
    private val STATS = Threshold("numeric.stats")
    private val SCALE_LONG = Threshold("numeric.scale.long")
    private val SCALE_DOUBLE = Threshold("numeric.scale.double")
    private val SUM_LONGS = Threshold("numeric.sumLongs")
    private val SUM_DOUBLES = Threshold("numeric.sumDoubles")

    /**
     * The sum of all [values], wrapping on overflow exactly like Java's `+`.
     *
     * @throws NullPointerException if [values] is null.
     * @throws NativeLoadException if the backend is [Backend.NATIVE] and the library cannot load.
     */
    @JvmStatic
    public fun sum(values: LongArray): Long = sum(values, 0, values.size)

    /**
     * The sum of `values[fromIndex until toIndex]`, wrapping on overflow exactly like Java's `+`.
     *
     * @throws NullPointerException if [values] is null.
     * @throws IndexOutOfBoundsException if `fromIndex < 0`, `toIndex > values.size` or `fromIndex > toIndex`.
     * @throws NativeLoadException if the backend is [Backend.NATIVE] and the library cannot load.
     */
    @JvmStatic
    public fun sum(values: LongArray, fromIndex: Int, toIndex: Int): Long {
        Checks.range(values.size, fromIndex, toIndex)
        return if (Dispatch.useNative(SUM_LONG, toIndex - fromIndex)) {
            val ffm = BridgeInUse.FFM
            if (ffm != null) ffm.sumLongArray(values, fromIndex, toIndex) else NativeBridge.sumLongArray(values, fromIndex, toIndex, values.size)
        } else {
            NumericReference.sum(values, fromIndex, toIndex)
        }
    }

    /**
     * The sum of all [values] by block-pairwise summation: fast (vectorised, parallel when large),
     * the same result for any thread count and backend, and an error bound no worse than pairwise
     * summation. NaN and infinities follow IEEE addition. Use [sumExact] for the correctly rounded sum.
     *
     * @throws NullPointerException if [values] is null.
     * @throws NativeLoadException if the backend is [Backend.NATIVE] and the library cannot load.
     */
    @JvmStatic
    public fun sum(values: DoubleArray): Double = sum(values, 0, values.size)

    /**
     * The block-pairwise sum of `values[fromIndex until toIndex]`; see [sum].
     *
     * @throws NullPointerException if [values] is null.
     * @throws IndexOutOfBoundsException if `fromIndex < 0`, `toIndex > values.size` or `fromIndex > toIndex`.
     * @throws NativeLoadException if the backend is [Backend.NATIVE] and the library cannot load.
     */
    @JvmStatic
    public fun sum(values: DoubleArray, fromIndex: Int, toIndex: Int): Double {
        Checks.range(values.size, fromIndex, toIndex)
        return if (Dispatch.useNative(SUM_DOUBLE, toIndex - fromIndex)) {
            val ffm = BridgeInUse.FFM
            if (ffm != null) ffm.sumDoubleArray(values, fromIndex, toIndex) else NativeBridge.sumDoubleArray(values, fromIndex, toIndex, values.size)
        } else {
            NumericReference.sum(values, fromIndex, toIndex)
        }
    }

    /**
     * The exact sum of [values], rounded once to the nearest double (ties to even): what Python's
     * `math.fsum` returns, whatever the order or magnitude of the inputs. `+-Infinity` when the
     * exact sum rounds beyond [Double.MAX_VALUE]; NaN when any input is NaN or both infinities occur;
     * `-0.0` only if every input is `-0.0`. Costs a few times [sum].
     *
     * @throws NullPointerException if [values] is null.
     * @throws NativeLoadException if the backend is [Backend.NATIVE] and the library cannot load.
     */
    @JvmStatic
    public fun sumExact(values: DoubleArray): Double =
        if (Dispatch.useNative(SUM_EXACT, values.size)) {
            val ffm = BridgeInUse.FFM
            if (ffm != null) ffm.sumExactDoubleArray(values) else NativeBridge.sumExactDoubleArray(values)
        } else {
            NumericReference.sumExact(values)
        }

    /**
     * Count, min, max, mean and variance of [values] in one pass over memory, in parallel when large.
     * See [Stats] for the rules on empty input, NaN and infinities.
     *
     * @throws NullPointerException if [values] is null.
     * @throws NativeLoadException if the backend is [Backend.NATIVE] and the library cannot load.
     */
    @JvmStatic
    public fun stats(values: DoubleArray): Stats {
        if (!Dispatch.useNative(STATS, values.size)) return NumericReference.stats(values)
        val out = DoubleArray(4)
        val ffm = BridgeInUse.FFM
        if (ffm != null) ffm.statsDoubleArray(values, out) else NativeBridge.statsDoubleArray(values, out)
        return Stats(values.size.toLong(), out[0], out[1], out[2], out[3])
    }

    /**
     * Multiplies every element of [values] by [factor] in place, wrapping on overflow like Java's `*`.
     *
     * @throws NullPointerException if [values] is null.
     * @throws NativeLoadException if the backend is [Backend.NATIVE] and the library cannot load.
     */
    @JvmStatic
    public fun scale(values: LongArray, factor: Long) {
        if (Dispatch.useNative(SCALE_LONG, values.size)) {
            val ffm = BridgeInUse.FFM
            if (ffm != null) ffm.scaleLongArray(values, factor) else NativeBridge.scaleLongArray(values, factor)
        } else {
            NumericReference.scale(values, factor)
        }
    }

    /**
     * Multiplies every element of [values] by [factor] in place (IEEE multiplication).
     *
     * @throws NullPointerException if [values] is null.
     * @throws NativeLoadException if the backend is [Backend.NATIVE] and the library cannot load.
     */
    @JvmStatic
    public fun scale(values: DoubleArray, factor: Double) {
        if (Dispatch.useNative(SCALE_DOUBLE, values.size)) {
            val ffm = BridgeInUse.FFM
            if (ffm != null) ffm.scaleDoubleArray(values, factor) else NativeBridge.scaleDoubleArray(values, factor)
        } else {
            NumericReference.scale(values, factor)
        }
    }

    /**
     * The wrapping sum of the buffer's remaining bytes read as 8-byte longs in the buffer's
     * [ByteBuffer.order]. The buffer's position, limit and mark are unchanged. Direct buffers are
     * read in place; heap buffers through their backing array, without copying. A read-only heap
     * buffer hides its array, so its remaining bytes are copied once before the native call.
     * A file mapping, and on JDK 22+ a buffer over a memory segment whose arena can be closed, is
     * copied to the heap first: its memory can vanish under a native read (docs/memory.md).
     *
     * @throws HotpathException if the buffer maps a file that was truncated or replaced.
     * @throws IllegalStateException if the buffer's memory segment was released (JDK 22+).
     * @throws NullPointerException if [buffer] is null.
     * @throws IllegalArgumentException if the remaining byte count is not a multiple of 8.
     * @throws NativeLoadException if the backend is [Backend.NATIVE] and the library cannot load.
     */
    @JvmStatic
    public fun sumLongs(buffer: ByteBuffer): Long {
        Checks.remainingMultipleOf8(buffer)
        return BufferAccess.reading(buffer, "buffer") { source ->
            val position = source.position()
            val length = source.remaining()
            if (!Dispatch.useNative(SUM_LONGS, length / 8)) return NumericReference.sumLongs(source)
            val big = source.order() == ByteOrder.BIG_ENDIAN
            val ffm = BridgeInUse.FFM
            if (ffm != null) {
                return when {
                    source.isDirect -> ffm.sumLongsDirect(source, position, length, big)
                    source.hasArray() -> ffm.sumLongsBytes(source.array(), source.arrayOffset() + position, length, big)
                    else -> ffm.sumLongsBytes(copyRemaining(source), 0, length, big)
                }
            }
            return when {
                source.isDirect -> NativeBridge.sumLongsDirect(source, position, length, big)
                source.hasArray() -> NativeBridge.sumLongsBytes(source.array(), source.arrayOffset() + position, length, big)
                else -> NativeBridge.sumLongsBytes(copyRemaining(source), 0, length, big)
            }
        }
    }

    /**
     * The block-pairwise sum (the same rules and result as [sum] of a `double[]`) of the buffer's
     * remaining bytes read as 8-byte doubles in the buffer's [ByteBuffer.order]. The buffer's
     * position, limit and mark are unchanged. Direct buffers are read in place; heap buffers
     * through their backing array, without copying. A read-only heap buffer hides its array, so
     * its remaining bytes are copied once before the native call.
     *
     * @throws HotpathException if the buffer maps a file that was truncated or replaced.
     * @throws IllegalStateException if the buffer's memory segment was released (JDK 22+).
     * @throws NullPointerException if [buffer] is null.
     * @throws IllegalArgumentException if the remaining byte count is not a multiple of 8.
     * @throws NativeLoadException if the backend is [Backend.NATIVE] and the library cannot load.
     */
    @JvmStatic
    public fun sumDoubles(buffer: ByteBuffer): Double {
        Checks.remainingMultipleOf8(buffer)
        return BufferAccess.reading(buffer, "buffer") { source ->
            val position = source.position()
            val length = source.remaining()
            if (!Dispatch.useNative(SUM_DOUBLES, length / 8)) return NumericReference.sumDoubles(source)
            val big = source.order() == ByteOrder.BIG_ENDIAN
            val ffm = BridgeInUse.FFM
            if (ffm != null) {
                return when {
                    source.isDirect -> ffm.sumDoublesDirect(source, position, length, big)
                    source.hasArray() -> ffm.sumDoublesBytes(source.array(), source.arrayOffset() + position, length, big)
                    else -> ffm.sumDoublesBytes(copyRemaining(source), 0, length, big)
                }
            }
            return when {
                source.isDirect -> NativeBridge.sumDoublesDirect(source, position, length, big)
                source.hasArray() -> NativeBridge.sumDoublesBytes(source.array(), source.arrayOffset() + position, length, big)
                else -> NativeBridge.sumDoublesBytes(copyRemaining(source), 0, length, big)
            }
        }
    }

    private fun copyRemaining(buffer: ByteBuffer): ByteArray {
        val bytes = ByteArray(buffer.remaining())
        buffer.duplicate().get(bytes)
        return bytes
    }
}
