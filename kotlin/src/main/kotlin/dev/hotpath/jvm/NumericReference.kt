package dev.hotpath.jvm

import dev.hotpath.Stats
import dev.hotpath.internal.Checks
import java.nio.ByteBuffer

/**
 * The pure-Kotlin twin of `dev.hotpath.Numeric`: the test oracle for the native kernels, the
 * baseline of the benchmarks, and the backend that [dev.hotpath.Backend.JVM] (and
 * [dev.hotpath.Backend.AUTO] without native code) runs.
 *
 * Every method follows `docs/numeric.md` step for step, so its results are bit-identical to the
 * native backend's (compare them with [Double.toRawBits]):
 * - [sum] of `double` values uses the block-pairwise tree: 128-element blocks summed in 8 lanes
 *   that start at `-0.0`, combined as `((a0+a1)+(a2+a3))+((a4+a5)+(a6+a7))`, the block's tail
 *   added after that, and blocks combined by splitting at `128 * highestOneBit((len - 1) / 128)`;
 * - [sumExact] is the correctly rounded sum (round to nearest-even, once);
 * - [stats] computes the sum, `M2`, minimum and maximum in one pass over the same tree.
 *
 * No method fuses a multiply and an add or reassociates an addition. All methods are stateless
 * and thread-safe; they never allocate per element. A `null` argument passed from Java throws
 * [NullPointerException] naming the parameter.
 */
public object NumericReference {
    /** Block size of the pairwise tree. */
    private const val BLOCK = 128

    /** Raw bits of `-0.0`. */
    private const val NEGATIVE_ZERO_BITS = Long.MIN_VALUE
    private const val EXPONENT_SPECIAL = 0x7FF
    private const val FRACTION_MASK = (1L shl 52) - 1
    private const val DIGIT_MASK = 0xFFFF_FFFFL

    /**
     * Width of the `sumExact` superaccumulator in 32-bit digits. A finite double is an integer
     * multiple of 2^-1074 below 2^2098 (53-bit significand shifted by at most 2045), and an array
     * has fewer than 2^31 elements, so the exact sum, scaled by 2^1074, needs at most 2130 bits
     * plus a sign: 68 digits (2176 bits) hold it as two's complement. Three spare digits let
     * [bitWindow] read past the top without bounds arithmetic.
     */
    private const val DIGITS = 68
    private const val SLOTS = DIGITS + 3

    // ------------------------------------------------------------------------------------------
    // long sums
    // ------------------------------------------------------------------------------------------

    /**
     * The two's-complement wrapping sum of `values[fromIndex until toIndex]`, exactly what a Java
     * loop with `+=` gives (overflow wraps silently). `0` for an empty range.
     *
     * @throws IndexOutOfBoundsException if `fromIndex < 0`, `toIndex > values.size` or
     *   `fromIndex > toIndex`; the message names the offending bound.
     */
    @JvmStatic
    public fun sum(values: LongArray, fromIndex: Int, toIndex: Int): Long {
        Checks.range(values.size, fromIndex, toIndex)
        var s0 = 0L
        var s1 = 0L
        var s2 = 0L
        var s3 = 0L
        var i = fromIndex
        val unrolledEnd = fromIndex + ((toIndex - fromIndex) and 3.inv())
        while (i < unrolledEnd) {
            s0 += values[i]
            s1 += values[i + 1]
            s2 += values[i + 2]
            s3 += values[i + 3]
            i += 4
        }
        while (i < toIndex) {
            s0 += values[i]
            i++
        }
        return (s0 + s1) + (s2 + s3)
    }

    /**
     * The two's-complement wrapping sum of the buffer's remaining bytes (`position` to `limit`)
     * read as 8-byte `long` values in the buffer's [order][ByteBuffer.order]. `0` when nothing
     * remains.
     *
     * The buffer is read in place with absolute gets, so direct, heap, read-only and sliced
     * buffers all work without a copy; its `position`, `limit` and `mark` are left unchanged.
     *
     * @throws IllegalArgumentException if the number of remaining bytes is not a multiple of 8.
     */
    @JvmStatic
    public fun sumLongs(buffer: ByteBuffer): Long {
        Checks.remainingMultipleOf8(buffer)
        val start = buffer.position()
        val end = buffer.limit()
        var s0 = 0L
        var s1 = 0L
        var s2 = 0L
        var s3 = 0L
        var p = start
        val unrolledEnd = start + ((end - start) and 31.inv())
        while (p < unrolledEnd) {
            s0 += buffer.getLong(p)
            s1 += buffer.getLong(p + 8)
            s2 += buffer.getLong(p + 16)
            s3 += buffer.getLong(p + 24)
            p += 32
        }
        while (p < end) {
            s0 += buffer.getLong(p)
            p += 8
        }
        return (s0 + s1) + (s2 + s3)
    }

    // ------------------------------------------------------------------------------------------
    // block-pairwise double sums
    // ------------------------------------------------------------------------------------------

    /**
     * The block-pairwise sum of `values[fromIndex until toIndex]`, the range being the whole input
     * of the tree in `docs/numeric.md` (its first element is the tree's element 0). `+0.0` for an
     * empty range. Bit-identical to the native backend for every input.
     *
     * @throws IndexOutOfBoundsException if `fromIndex < 0`, `toIndex > values.size` or
     *   `fromIndex > toIndex`; the message names the offending bound.
     */
    @JvmStatic
    public fun sum(values: DoubleArray, fromIndex: Int, toIndex: Int): Double {
        Checks.range(values.size, fromIndex, toIndex)
        val n = toIndex - fromIndex
        return if (n == 0) 0.0 else tree(values, fromIndex, n)
    }

    /**
     * The block-pairwise sum (the same tree as [sum] of a `DoubleArray`) of the buffer's remaining
     * bytes (`position` to `limit`) read as 8-byte `double` values in the buffer's
     * [order][ByteBuffer.order]. `+0.0` when nothing remains.
     *
     * The buffer is read in place with absolute gets, so direct, heap, read-only and sliced
     * buffers all work without a copy; its `position`, `limit` and `mark` are left unchanged.
     *
     * @throws IllegalArgumentException if the number of remaining bytes is not a multiple of 8.
     */
    @JvmStatic
    public fun sumDoubles(buffer: ByteBuffer): Double {
        Checks.remainingMultipleOf8(buffer)
        val n = buffer.remaining() ushr 3
        return if (n == 0) 0.0 else bufferTree(buffer, buffer.position(), n)
    }

    /** The split point of a tree node of `len > 128` elements: the largest `128 * 2^k < len`. */
    private fun split(len: Int): Int = BLOCK * Integer.highestOneBit((len - 1) / BLOCK)

    /** `S(a, len)` of the docs, `len >= 1`. Recursion depth is at most 24. */
    private fun tree(x: DoubleArray, a: Int, len: Int): Double {
        if (len <= BLOCK) return block(x, a, len)
        val m = split(len)
        val left = tree(x, a, m)
        return left + tree(x, a + m, len - m)
    }

    /** The 8-lane block sum of `x[a until a + len]`, `1 <= len <= 128`. */
    private fun block(x: DoubleArray, a: Int, len: Int): Double {
        var a0 = -0.0
        var a1 = -0.0
        var a2 = -0.0
        var a3 = -0.0
        var a4 = -0.0
        var a5 = -0.0
        var a6 = -0.0
        var a7 = -0.0
        var i = a
        val fullEnd = a + (len and 7.inv())
        while (i < fullEnd) {
            a0 += x[i]
            a1 += x[i + 1]
            a2 += x[i + 2]
            a3 += x[i + 3]
            a4 += x[i + 4]
            a5 += x[i + 5]
            a6 += x[i + 6]
            a7 += x[i + 7]
            i += 8
        }
        var r = ((a0 + a1) + (a2 + a3)) + ((a4 + a5) + (a6 + a7))
        val end = a + len
        while (i < end) {
            r += x[i]
            i++
        }
        return r
    }

    /** [tree] over a buffer: element `i` is the double at byte index `base + 8 * i`. */
    private fun bufferTree(b: ByteBuffer, base: Int, len: Int): Double {
        if (len <= BLOCK) return bufferBlock(b, base, len)
        val m = split(len)
        val left = bufferTree(b, base, m)
        return left + bufferTree(b, base + (m shl 3), len - m)
    }

    /** [block] over a buffer. */
    private fun bufferBlock(b: ByteBuffer, base: Int, len: Int): Double {
        var a0 = -0.0
        var a1 = -0.0
        var a2 = -0.0
        var a3 = -0.0
        var a4 = -0.0
        var a5 = -0.0
        var a6 = -0.0
        var a7 = -0.0
        var p = base
        val fullEnd = base + ((len and 7.inv()) shl 3)
        while (p < fullEnd) {
            a0 += b.getDouble(p)
            a1 += b.getDouble(p + 8)
            a2 += b.getDouble(p + 16)
            a3 += b.getDouble(p + 24)
            a4 += b.getDouble(p + 32)
            a5 += b.getDouble(p + 40)
            a6 += b.getDouble(p + 48)
            a7 += b.getDouble(p + 56)
            p += 64
        }
        var r = ((a0 + a1) + (a2 + a3)) + ((a4 + a5) + (a6 + a7))
        val end = base + (len shl 3)
        while (p < end) {
            r += b.getDouble(p)
            p += 8
        }
        return r
    }

    // ------------------------------------------------------------------------------------------
    // correctly rounded sum
    // ------------------------------------------------------------------------------------------

    /**
     * The exact real sum of `values`, rounded once to nearest-even (what Python's `math.fsum`
     * returns), independent of the order of the elements:
     * - any NaN, or both `+Infinity` and `-Infinity` present: NaN ([Double.NaN]);
     * - otherwise any infinity: that infinity;
     * - otherwise the exact sum rounded to nearest-even, `+-Infinity` when its magnitude rounds
     *   beyond [Double.MAX_VALUE] (an exact magnitude of at least `2^1024 - 2^970`);
     * - a zero result is `-0.0` only when `values` is non-empty and every element is `-0.0`,
     *   otherwise `+0.0` (empty input included).
     *
     * Runs in linear time with a fixed-size fixed-point accumulator (no allocation per element).
     */
    @JvmStatic
    public fun sumExact(values: DoubleArray): Double {
        val n = values.size
        if (n == 0) return 0.0
        // Four accumulators, one per element index mod 4, so that runs of elements with the same
        // exponent do not serialise on read-modify-writes of the same slot. Each element adds to
        // exactly three slots of one accumulator, parts below 2^32 in magnitude, so fewer than
        // 2^31 elements can never overflow a slot and carries wait until the end.
        val a0 = LongArray(SLOTS)
        val a1 = LongArray(SLOTS)
        val a2 = LongArray(SLOTS)
        val a3 = LongArray(SLOTS)
        var special = 0
        var i = 0
        val unrolledEnd = n and 3.inv()
        while (i < unrolledEnd) {
            special = special or
                accumulate(a0, values[i].toRawBits()) or
                accumulate(a1, values[i + 1].toRawBits()) or
                accumulate(a2, values[i + 2].toRawBits()) or
                accumulate(a3, values[i + 3].toRawBits())
            i += 4
        }
        while (i < n) {
            special = special or accumulate(a0, values[i].toRawBits())
            i++
        }
        if (special != 0) {
            // Rare path: a NaN or an infinity decides the result; the accumulators are moot.
            var nan = false
            var positiveInfinity = false
            var negativeInfinity = false
            for (v in values) {
                if (v != v) nan = true
                else if (v == Double.POSITIVE_INFINITY) positiveInfinity = true
                else if (v == Double.NEGATIVE_INFINITY) negativeInfinity = true
            }
            if (nan || (positiveInfinity && negativeInfinity)) return Double.NaN
            return if (positiveInfinity) Double.POSITIVE_INFINITY else Double.NEGATIVE_INFINITY
        }
        for (k in 0 until SLOTS) a0[k] = (a0[k] + a1[k]) + (a2[k] + a3[k]) // below 2^31 * 2^32
        val rounded = round(a0)
        if (rounded == 0.0) {
            // Rare path: an exact zero is -0.0 only when every element is -0.0.
            for (v in values) if (v.toRawBits() != NEGATIVE_ZERO_BITS) return 0.0
            return -0.0
        }
        return rounded
    }

    /**
     * Adds the finite double with raw bits `bits` to `acc` as an integer multiple of 2^-1074:
     * digit `k` of `acc` weighs 2^(32k). Branch-free; returns 1 if the value is a NaN or an
     * infinity (whose bits it adds harmlessly into the top digits) and 0 otherwise.
     */
    @Suppress("NOTHING_TO_INLINE")
    private inline fun accumulate(acc: LongArray, bits: Long): Int {
        val e = (bits ushr 52).toInt() and EXPONENT_SPECIAL
        val normal = if (e != 0) 1 else 0
        // value = m * 2^(shift - 1074), with the hidden bit only for normal numbers
        val m = (bits and FRACTION_MASK) or (normal.toLong() shl 52)
        val shift = e - normal
        val r = shift and 31
        val k = shift ushr 5
        val sign = bits shr 63 // 0 or -1: (v xor sign) - sign negates v when negative
        val lo = (m shl r) and DIGIT_MASK
        val mid = (m ushr (32 - r)) and DIGIT_MASK
        val hi = (m ushr 32) ushr (32 - r) // one ushr (64 - r) would not shift at all for r == 0
        acc[k] += (lo xor sign) - sign
        acc[k + 1] += (mid xor sign) - sign
        acc[k + 2] += (hi xor sign) - sign
        return (e + 1) ushr 11
    }

    /**
     * Rounds the superaccumulator (slot `k` weighs 2^(32k - 1074)) to the nearest double, ties to
     * even; an exact zero gives `+0.0`.
     */
    private fun round(acc: LongArray): Double {
        // Propagate carries into 32-bit digits; the final carry is the sign of the
        // two's-complement result.
        val d = LongArray(SLOTS)
        var carry = 0L
        for (k in 0 until DIGITS) {
            val v = acc[k] + carry
            d[k] = v and DIGIT_MASK
            carry = v shr 32
        }
        val negative = carry < 0L
        if (negative) {
            var c = 1L
            for (k in 0 until DIGITS) {
                val v = (d[k] xor DIGIT_MASK) + c
                d[k] = v and DIGIT_MASK
                c = v ushr 32
            }
        }
        var top = DIGITS - 1
        while (top >= 0 && d[top] == 0L) top--
        if (top < 0) return 0.0
        val signBit = if (negative) NEGATIVE_ZERO_BITS else 0L
        // The magnitude is M * 2^-1074 with M's highest set bit at p.
        val p = 32 * top + (63 - java.lang.Long.numberOfLeadingZeros(d[top]))
        if (p <= 52) {
            // M < 2^53: a subnormal, or a normal with biased exponent 1, whose raw bits are M.
            return Double.fromBits(signBit or (d[0] or (d[1] shl 32)))
        }
        val q = p - 52 // drop q bits: M = mant * 2^q + rest, 2^52 <= mant < 2^53
        if (q >= 2046) return if (negative) Double.NEGATIVE_INFINITY else Double.POSITIVE_INFINITY
        val window = bitWindow(d, q - 1)
        var mant = (window ushr 1) and ((1L shl 53) - 1)
        val roundBit = window and 1L
        if (roundBit != 0L && ((mant and 1L) != 0L || sticky(d, q - 1))) mant++
        // Biased exponent q + 1 and fraction mant - 2^52; a carry out of the fraction bumps the
        // exponent, and the result is +-Infinity's bits exactly when it rounds past MAX_VALUE.
        val magnitude = (q.toLong() shl 52) + mant
        if (magnitude >= 0x7FF0_0000_0000_0000L) {
            return if (negative) Double.NEGATIVE_INFINITY else Double.POSITIVE_INFINITY
        }
        return Double.fromBits(signBit or magnitude)
    }

    /** Bits `pos until pos + 64` of the digit array, bit `pos` in bit 0. */
    private fun bitWindow(d: LongArray, pos: Int): Long {
        val k = pos ushr 5
        val o = pos and 31
        // (d[k+2] shl 32) shl (32 - o) is 0 for o == 0, where a single shift by 64 would not be.
        return ((d[k] or (d[k + 1] shl 32)) ushr o) or ((d[k + 2] shl 32) shl (32 - o))
    }

    /** Whether any bit below `pos` is set. */
    private fun sticky(d: LongArray, pos: Int): Boolean {
        val k = pos ushr 5
        if (d[k] and ((1L shl (pos and 31)) - 1) != 0L) return true
        for (j in 0 until k) if (d[j] != 0L) return true
        return false
    }

    // ------------------------------------------------------------------------------------------
    // statistics
    // ------------------------------------------------------------------------------------------

    /**
     * Count, block-pairwise sum, sum of squared deviations (`M2`), minimum and maximum of
     * `values`, computed in one pass over memory: each 128-element block is read once and its
     * sum, mean and `M2` are computed while it is in cache, then merged up the same tree as [sum]
     * with `M2 = (M2A + M2B) + (delta * delta) * ((nA * nB) / (nA + nB))`.
     *
     * [Stats.min] and [Stats.max] follow [java.util.DoubleSummaryStatistics]: `-0.0` orders below
     * `+0.0`, and when any element is NaN both are that first NaN in index order (the value a
     * `Math.min`/`Math.max` fold returns). Empty input: count `0`, sum `+0.0`, `M2` `+0.0`, min
     * `+Infinity`, max `-Infinity`.
     */
    @JvmStatic
    public fun stats(values: DoubleArray): Stats {
        val n = values.size
        if (n == 0) return Stats(0L, 0.0, 0.0, Double.POSITIVE_INFINITY, Double.NEGATIVE_INFINITY)
        val state = StatsState(values)
        val sum = state.node(0, n)
        val min = if (state.hasNaN) state.firstNaN else state.min
        val max = if (state.hasNaN) state.firstNaN else state.max
        return Stats(n.toLong(), sum, state.m2, min, max)
    }

    /** Working state of one [stats] call; [node] returns a node's sum and leaves its M2 in [m2]. */
    private class StatsState(private val x: DoubleArray) {
        var m2 = 0.0
        var min = Double.POSITIVE_INFINITY
        var max = Double.NEGATIVE_INFINITY
        var hasNaN = false
        var firstNaN = Double.NaN

        fun node(a: Int, len: Int): Double {
            if (len <= BLOCK) return leaf(a, len)
            val m = split(len)
            val sA = node(a, m)
            val m2A = m2
            val sB = node(a + m, len - m)
            val m2B = m2
            val nA = m.toDouble()
            val nB = (len - m).toDouble()
            val delta = sB / nB - sA / nA
            m2 = (m2A + m2B) + (delta * delta) * ((nA * nB) / (nA + nB))
            return sA + sB
        }

        private fun leaf(a: Int, len: Int): Double {
            val x = x
            val s = block(x, a, len)
            val mu = s / len.toDouble()
            var a0 = -0.0
            var a1 = -0.0
            var a2 = -0.0
            var a3 = -0.0
            var a4 = -0.0
            var a5 = -0.0
            var a6 = -0.0
            var a7 = -0.0
            var lo0 = Double.POSITIVE_INFINITY
            var lo1 = Double.POSITIVE_INFINITY
            var hi0 = Double.NEGATIVE_INFINITY
            var hi1 = Double.NEGATIVE_INFINITY
            var i = a
            val fullEnd = a + (len and 7.inv())
            while (i < fullEnd) {
                val x0 = x[i]
                val x1 = x[i + 1]
                val x2 = x[i + 2]
                val x3 = x[i + 3]
                val x4 = x[i + 4]
                val x5 = x[i + 5]
                val x6 = x[i + 6]
                val x7 = x[i + 7]
                a0 += (x0 - mu) * (x0 - mu)
                a1 += (x1 - mu) * (x1 - mu)
                a2 += (x2 - mu) * (x2 - mu)
                a3 += (x3 - mu) * (x3 - mu)
                a4 += (x4 - mu) * (x4 - mu)
                a5 += (x5 - mu) * (x5 - mu)
                a6 += (x6 - mu) * (x6 - mu)
                a7 += (x7 - mu) * (x7 - mu)
                lo0 = Math.min(Math.min(lo0, x0), Math.min(x1, x2))
                lo1 = Math.min(Math.min(lo1, x3), Math.min(x4, Math.min(x5, Math.min(x6, x7))))
                hi0 = Math.max(Math.max(hi0, x0), Math.max(x1, x2))
                hi1 = Math.max(Math.max(hi1, x3), Math.max(x4, Math.max(x5, Math.max(x6, x7))))
                i += 8
            }
            var r = ((a0 + a1) + (a2 + a3)) + ((a4 + a5) + (a6 + a7))
            val end = a + len
            while (i < end) {
                val xi = x[i]
                r += (xi - mu) * (xi - mu)
                lo0 = Math.min(lo0, xi)
                hi0 = Math.max(hi0, xi)
                i++
            }
            m2 = r
            // Math.min/Math.max agree on every value whatever the order, except for which NaN
            // they return; the first NaN in index order is found by rescanning this block, which
            // is still in L1, once per call at most.
            val blockMin = Math.min(lo0, lo1)
            if (blockMin != blockMin) {
                if (!hasNaN) {
                    var j = a
                    while (x[j] == x[j]) j++
                    hasNaN = true
                    firstNaN = x[j]
                }
            } else if (!hasNaN) {
                min = Math.min(min, blockMin)
                max = Math.max(max, Math.max(hi0, hi1))
            }
            return s
        }
    }

    // ------------------------------------------------------------------------------------------
    // scaling
    // ------------------------------------------------------------------------------------------

    /** Multiplies every element of `values` in place by `factor`, wrapping on overflow (Java's `*`). */
    @JvmStatic
    public fun scale(values: LongArray, factor: Long) {
        for (i in values.indices) values[i] = values[i] * factor
    }

    /** Multiplies every element of `values` in place by `factor` (IEEE `*`, round to nearest-even). */
    @JvmStatic
    public fun scale(values: DoubleArray, factor: Double) {
        for (i in values.indices) values[i] = values[i] * factor
    }
}
