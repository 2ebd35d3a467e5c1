package dev.hotpath

import dev.hotpath.jvm.NumericReference
import org.junit.jupiter.api.AfterEach
import org.junit.jupiter.api.Assertions.assertEquals
import org.junit.jupiter.api.Assertions.assertTrue
import org.junit.jupiter.api.Assertions.fail
import org.junit.jupiter.api.BeforeAll
import org.junit.jupiter.api.Test
import org.junit.jupiter.params.ParameterizedTest
import org.junit.jupiter.params.provider.Arguments
import org.junit.jupiter.params.provider.MethodSource
import java.math.BigDecimal
import java.util.DoubleSummaryStatistics
import java.util.SplittableRandom

/**
 * Seeded inputs and bit-level assertions shared by the Numeric suites.
 *
 * The base seed is random per run unless `-Dhotpath.test.seed=<long>` is given; every failure
 * message carries it, and each case derives its own seed from it, so one failing case can be
 * replayed alone.
 */
object NumericInputs {
    /** Elements per native pin (`rust/core/src/numeric/mod.rs`, `SEGMENT`). */
    const val SEGMENT: Int = 1 shl 19

    val SIZES: IntArray = intArrayOf(
        0, 1, 2, 7, 8, 9, 127, 128, 129, 255, 256, 257, 1000, 4099, 65537,
        524287, 524288, 524289, 1_048_583,
    )

    val baseSeed: Long = System.getProperty("hotpath.test.seed")?.trim()?.takeIf { it.isNotEmpty() }
        ?.let { java.lang.Long.decode(it) }
        ?: SplittableRandom().nextLong()

    val seedNote: String get() = "seed=$baseSeed (replay with -Dhotpath.test.seed=$baseSeed)"

    /** A per-case seed: the same case gets the same input for the same base seed. */
    fun seedFor(vararg parts: Any): Long {
        var h = baseSeed
        for (p in parts) h = h * 1_000_003L + p.toString().hashCode()
        return SplittableRandom(h).nextLong()
    }

    fun random(vararg parts: Any): SplittableRandom = SplittableRandom(seedFor(*parts))

    enum class LongFamily {
        /** Uniform 64-bit values: the sum wraps many times. */
        RANDOM,

        /** Runs of Long.MIN_VALUE, Long.MAX_VALUE, -1 and random values, so partial sums wrap in both directions. */
        EXTREME_RUNS,

        /** Small non-negative values whose sum never wraps (checked against a plain loop too). */
        SMALL;

        fun generate(n: Int, rnd: SplittableRandom): LongArray {
            val a = LongArray(n)
            when (this) {
                RANDOM -> for (i in 0 until n) a[i] = rnd.nextLong()
                EXTREME_RUNS -> {
                    var i = 0
                    while (i < n) {
                        val run = 1 + rnd.nextInt(300)
                        val v = when (rnd.nextInt(4)) {
                            0 -> Long.MIN_VALUE
                            1 -> Long.MAX_VALUE
                            2 -> -1L
                            else -> rnd.nextLong()
                        }
                        val end = minOf(n, i + run)
                        while (i < end) a[i++] = v
                    }
                }
                SMALL -> for (i in 0 until n) a[i] = rnd.nextLong(1_000_000L)
            }
            return a
        }
    }

    private const val FRACTION_MASK = (1L shl 52) - 1

    enum class DoubleFamily(val finite: Boolean) {
        /** Uniform in [-1, 1). */
        UNIFORM(true),

        /** Random sign, biased exponent uniform over 0..2046 (subnormals to MAX_VALUE): partial sums overflow. */
        WIDE_EXPONENTS(true),

        /** Random sign and binary exponent in [-60, 60]: every addition rounds. */
        MIXED_MAGNITUDES(true),

        /** Large values and their exact negations, shuffled among small ones: heavy cancellation. */
        CANCELLING(true),

        /** Random subnormals of both signs, plus +-Double.MIN_VALUE. */
        SUBNORMALS(true),

        /** +0.0 and -0.0 at random. */
        SIGNED_ZEROS(true),

        /** Only -0.0: the one input whose sums are -0.0. */
        NEGATIVE_ZEROS(true),

        /** Positive values in [MAX_VALUE / 2, MAX_VALUE): the sum overflows to +Infinity. */
        OVERFLOWING(true),

        /** +-[MAX_VALUE / 2, MAX_VALUE): partial sums overflow although the exact sum may not. */
        HUGE_MIXED_SIGNS(true),

        /** Mostly uniform, 5% specials: NaN, +-Infinity, +-0.0, subnormals, MIN_NORMAL, +-MAX_VALUE. */
        SPECIALS(false),

        /** Uniform with one NaN at a random index. */
        ONE_NAN(false),

        /** Uniform with one +Infinity at a random index. */
        ONE_INFINITY(false),

        /** Uniform with +Infinity and -Infinity at random indices. */
        BOTH_INFINITIES(false);

        fun generate(n: Int, rnd: SplittableRandom): DoubleArray {
            val a = DoubleArray(n)
            when (this) {
                UNIFORM -> for (i in 0 until n) a[i] = rnd.nextDouble(-1.0, 1.0)
                WIDE_EXPONENTS -> for (i in 0 until n) {
                    val sign = if (rnd.nextBoolean()) Long.MIN_VALUE else 0L
                    val exponent = rnd.nextInt(2047).toLong()
                    a[i] = Double.fromBits(sign or (exponent shl 52) or (rnd.nextLong() and FRACTION_MASK))
                }
                MIXED_MAGNITUDES -> for (i in 0 until n) {
                    a[i] = Math.scalb(rnd.nextDouble(-1.0, 1.0), rnd.nextInt(-60, 61))
                }
                CANCELLING -> {
                    val k = n / 3
                    for (i in 0 until k) {
                        val v = Math.scalb(rnd.nextDouble(-1.0, 1.0), rnd.nextInt(20, 80))
                        a[i] = v
                        a[k + i] = -v
                    }
                    for (i in 2 * k until n) a[i] = rnd.nextDouble(-1.0, 1.0)
                    shuffle(a, rnd)
                }
                SUBNORMALS -> for (i in 0 until n) {
                    val v = when (rnd.nextInt(8)) {
                        0 -> Double.MIN_VALUE
                        else -> Double.fromBits(rnd.nextLong(1L, 1L shl 52))
                    }
                    a[i] = if (rnd.nextBoolean()) -v else v
                }
                SIGNED_ZEROS -> for (i in 0 until n) a[i] = if (rnd.nextBoolean()) -0.0 else 0.0
                NEGATIVE_ZEROS -> a.fill(-0.0)
                OVERFLOWING -> for (i in 0 until n) a[i] = Double.MAX_VALUE / 2 + rnd.nextDouble() * (Double.MAX_VALUE / 2)
                HUGE_MIXED_SIGNS -> for (i in 0 until n) {
                    val v = Double.MAX_VALUE / 2 + rnd.nextDouble() * (Double.MAX_VALUE / 2)
                    a[i] = if (rnd.nextBoolean()) -v else v
                }
                SPECIALS -> for (i in 0 until n) {
                    a[i] = if (rnd.nextInt(20) == 0) SPECIAL_VALUES[rnd.nextInt(SPECIAL_VALUES.size)] else rnd.nextDouble(-1.0, 1.0)
                }
                ONE_NAN -> {
                    for (i in 0 until n) a[i] = rnd.nextDouble(-1.0, 1.0)
                    if (n > 0) a[rnd.nextInt(n)] = Double.NaN
                }
                ONE_INFINITY -> {
                    for (i in 0 until n) a[i] = rnd.nextDouble(-1.0, 1.0)
                    if (n > 0) a[rnd.nextInt(n)] = Double.POSITIVE_INFINITY
                }
                BOTH_INFINITIES -> {
                    for (i in 0 until n) a[i] = rnd.nextDouble(-1.0, 1.0)
                    if (n > 0) a[rnd.nextInt(n)] = Double.POSITIVE_INFINITY
                    if (n > 0) a[rnd.nextInt(n)] = Double.NEGATIVE_INFINITY
                }
            }
            return a
        }
    }

    val SPECIAL_VALUES: DoubleArray = doubleArrayOf(
        Double.NaN, Double.POSITIVE_INFINITY, Double.NEGATIVE_INFINITY, 0.0, -0.0,
        Double.MIN_VALUE, -Double.MIN_VALUE, java.lang.Double.MIN_NORMAL, -java.lang.Double.MIN_NORMAL,
        Double.fromBits(0x000F_FFFF_FFFF_FFFFL), Double.MAX_VALUE, -Double.MAX_VALUE, 1.0, -1.0,
    )

    fun shuffle(a: DoubleArray, rnd: SplittableRandom) {
        for (i in a.size - 1 downTo 1) {
            val j = rnd.nextInt(i + 1)
            val t = a[i]
            a[i] = a[j]
            a[j] = t
        }
    }

    /** A double with its raw bits, so NaN payloads and signed zeros show in messages. */
    fun show(d: Double): String = "%s (0x%016x)".format(d, d.toRawBits())

    /** The input itself when it is short enough to paste into a bug report. */
    fun showInput(a: DoubleArray): String =
        if (a.size <= 16) a.joinToString(prefix = "[", postfix = "]") { show(it) } else "${a.size} elements"

    fun showInput(a: LongArray): String =
        if (a.size <= 16) a.contentToString() else "${a.size} elements"

    /**
     * Raw bits equal, except that any NaN matches any NaN. Which NaN an IEEE operation returns
     * is not specified (JLS 15.18.2, IEEE 754 6.2.3) and HotSpot does not keep it stable: the
     * twin's own `sum([Infinity, -Infinity, NaN])` is 0x7ff8000000000000 in the interpreter and
     * C1 but 0xfff8000000000000 under C2, which commutes the additions. So NaN payloads and
     * signs cannot be part of the bit-identity contract; everything else, signed zeros
     * included, is compared bit for bit.
     */
    fun sameBits(a: Double, b: Double): Boolean = a.toRawBits() == b.toRawBits() || (a.isNaN() && b.isNaN())

    fun assertBits(expected: Double, actual: Double, context: () -> String) {
        if (!sameBits(expected, actual)) {
            fail<Unit>("${context()}: expected ${show(expected)} but was ${show(actual)}; $seedNote")
        }
    }

    fun assertLong(expected: Long, actual: Long, context: () -> String) {
        if (expected != actual) fail<Unit>("${context()}: expected $expected but was $actual; $seedNote")
    }

    fun assertSameBits(expected: DoubleArray, actual: DoubleArray, context: () -> String) {
        assertEquals(expected.size, actual.size) { "${context()}: sizes differ" }
        for (i in expected.indices) {
            if (!sameBits(expected[i], actual[i])) {
                fail<Unit>("${context()}: first difference at index $i: expected ${show(expected[i])} but was ${show(actual[i])}; $seedNote")
            }
        }
    }

    fun assertSameElements(expected: LongArray, actual: LongArray, context: () -> String) {
        assertEquals(expected.size, actual.size) { "${context()}: sizes differ" }
        for (i in expected.indices) {
            if (expected[i] != actual[i]) {
                fail<Unit>("${context()}: first difference at index $i: expected ${expected[i]} but was ${actual[i]}; $seedNote")
            }
        }
    }

    /**
     * Stats compared through every getter, so a mismatch names the field, and with equals and
     * hashCode, which compare bits with all NaNs equal (the same rule as [sameBits]).
     */
    fun assertSameStats(expected: Stats, actual: Stats, context: () -> String) {
        assertEquals(expected.count, actual.count) { "${context()}: count; $seedNote" }
        assertBits(expected.sum, actual.sum) { "${context()}: sum" }
        assertBits(expected.sumOfSquaredDeviations, actual.sumOfSquaredDeviations) { "${context()}: sumOfSquaredDeviations" }
        assertBits(expected.min, actual.min) { "${context()}: min" }
        assertBits(expected.max, actual.max) { "${context()}: max" }
        assertBits(expected.mean, actual.mean) { "${context()}: mean" }
        assertBits(expected.variance, actual.variance) { "${context()}: variance" }
        assertBits(expected.sampleVariance, actual.sampleVariance) { "${context()}: sampleVariance" }
        assertBits(expected.stdDev, actual.stdDev) { "${context()}: stdDev" }
        assertEquals(expected, actual) { "${context()}: Stats.equals; $seedNote" }
        assertEquals(expected.hashCode(), actual.hashCode()) { "${context()}: Stats.hashCode; $seedNote" }
    }

    /** The result of [block] run on [backend]; the backend is AUTO again afterwards, also when [block] throws. */
    fun <T> onBackend(backend: Backend, block: () -> T): T {
        Hotpath.backend = backend
        try {
            return block()
        } finally {
            Hotpath.backend = Backend.AUTO
        }
    }

    /** Runs [block] once per backend, AUTO last (the caller restores AUTO after the test anyway). */
    inline fun onEveryBackend(block: (Backend) -> Unit) {
        for (b in listOf(Backend.NATIVE, Backend.JVM, Backend.AUTO)) {
            Hotpath.backend = b
            block(b)
        }
    }

    /** The correctly rounded sum of finite values by BigDecimal, with the contract's zero sign. */
    fun bigDecimalSum(values: DoubleArray): Double {
        var exact = BigDecimal.ZERO
        var allNegativeZero = values.isNotEmpty()
        for (v in values) {
            exact = exact.add(BigDecimal(v))
            if (v.toRawBits() != Long.MIN_VALUE) allNegativeZero = false
        }
        return if (exact.signum() == 0) (if (allNegativeZero) -0.0 else 0.0) else exact.toDouble()
    }

    fun requireNative() {
        assertTrue(Hotpath.isNativeAvailable()) {
            "the native library must be available for this suite: ${Hotpath.nativeLoadError?.message}"
        }
    }
}

/**
 * Every Numeric kernel through the public API on [Backend.NATIVE], [Backend.JVM] and
 * [Backend.AUTO], compared bit for bit with the twin [NumericReference] over sizes around the
 * 8-lane, 128-element block and 2^19-element native segment boundaries.
 */
class NumericTest {
    companion object {
        /**
         * BigDecimal sums of wide-exponent doubles carry over a thousand digits and cost about
         * 13 us per element; that family is checked against BigDecimal up to this size only.
         */
        private const val WIDE_BIG_DECIMAL_LIMIT = 65_537
        private val SEG = NumericInputs.SEGMENT

        @JvmStatic
        @BeforeAll
        fun nativeLibraryIsAvailable() = NumericInputs.requireNative()

        @JvmStatic
        fun longCases(): List<Arguments> =
            NumericInputs.LongFamily.entries.flatMap { f -> NumericInputs.SIZES.map { n -> Arguments.of(f, n) } }

        /** Every family at sizes up to 65537; the larger sizes with the families that stress them most. */
        @JvmStatic
        fun doubleCases(): List<Arguments> {
            val largeFamilies = setOf(
                NumericInputs.DoubleFamily.UNIFORM, NumericInputs.DoubleFamily.WIDE_EXPONENTS,
                NumericInputs.DoubleFamily.CANCELLING, NumericInputs.DoubleFamily.NEGATIVE_ZEROS,
                NumericInputs.DoubleFamily.HUGE_MIXED_SIGNS, NumericInputs.DoubleFamily.ONE_NAN,
            )
            return NumericInputs.DoubleFamily.entries.flatMap { f ->
                NumericInputs.SIZES.filter { it <= 65_537 || f in largeFamilies }.map { n -> Arguments.of(f, n) }
            }
        }

        /** Four and a half segments: enough for the segment-combining rule to nest two levels deep. */
        private const val RANGE_ARRAY_SIZE = 4 * (1 shl 19) + (1 shl 18) + 1000

        /** (fromIndex, toIndex) pairs on an array of [RANGE_ARRAY_SIZE] that start and end inside segments. */
        @JvmStatic
        fun ranges(): List<Arguments> = listOf(
            0 to RANGE_ARRAY_SIZE,
            1 to RANGE_ARRAY_SIZE - 1,
            SEG / 2 + 3 to SEG + SEG / 2 + 11,
            SEG - 1 to SEG + 1,
            SEG - 129 to 2 * SEG + 129,
            7 to SEG + 7,
            SEG / 3 to SEG / 3 + 2 * SEG,
            SEG / 2 + 3 to 4 * SEG + 11,
            5 to 5 + SEG + 3 * 128 + 1,
            SEG + 1 to RANGE_ARRAY_SIZE,
            3 to 131,
            127 to 129,
            100_000 to 100_000,
            RANGE_ARRAY_SIZE to RANGE_ARRAY_SIZE,
        ).map { (from, to) -> Arguments.of(from, to) }

        private val rangeLongs: LongArray by lazy {
            NumericInputs.LongFamily.EXTREME_RUNS.generate(RANGE_ARRAY_SIZE, NumericInputs.random("rangeLongs"))
        }
        private val rangeDoubles: Map<NumericInputs.DoubleFamily, DoubleArray> by lazy {
            listOf(NumericInputs.DoubleFamily.MIXED_MAGNITUDES, NumericInputs.DoubleFamily.WIDE_EXPONENTS, NumericInputs.DoubleFamily.SPECIALS)
                .associateWith { it.generate(RANGE_ARRAY_SIZE, NumericInputs.random("rangeDoubles", it)) }
        }

        private val LONG_FACTORS = longArrayOf(0L, 1L, -1L, 3L, Long.MIN_VALUE, Long.MAX_VALUE, -0x61C8_8646_80B5_83EBL)
        private val DOUBLE_FACTORS = doubleArrayOf(
            1.0, -1.0, 0.0, -0.0, 3.0, 0.1, 1e300, 1e-300, Double.MIN_VALUE,
            Double.POSITIVE_INFINITY, Double.NEGATIVE_INFINITY, Double.NaN,
        )
    }

    @AfterEach
    fun restoreAutoBackend() {
        Hotpath.backend = Backend.AUTO
    }

    // ------------------------------------------------------------------------------------------
    // long sums
    // ------------------------------------------------------------------------------------------

    @ParameterizedTest(name = "{0}, n={1}")
    @MethodSource("longCases")
    fun longSumMatchesTwinOnEveryBackend(family: NumericInputs.LongFamily, n: Int) {
        val values = family.generate(n, NumericInputs.random("longSum", family, n))
        val twin = NumericReference.sum(values, 0, n)
        var loop = 0L
        for (v in values) loop += v
        NumericInputs.assertLong(loop, twin) { "twin sum(long[]) vs a += loop, $family n=$n" }
        NumericInputs.onEveryBackend { b ->
            NumericInputs.assertLong(twin, Numeric.sum(values)) { "sum(long[]) on $b, $family n=$n, input ${NumericInputs.showInput(values)}" }
            if (n >= 2) {
                val from = n / 3
                val to = n - n / 5
                NumericInputs.assertLong(NumericReference.sum(values, from, to), Numeric.sum(values, from, to)) {
                    "sum(long[], $from, $to) on $b, $family n=$n"
                }
            }
        }
    }

    @ParameterizedTest(name = "[{0}, {1})")
    @MethodSource("ranges")
    fun longRangeSumMatchesTwinWhenRangeStartsAndEndsMidSegment(from: Int, to: Int) {
        val values = rangeLongs
        var loop = 0L
        for (i in from until to) loop += values[i]
        NumericInputs.onEveryBackend { b ->
            NumericInputs.assertLong(loop, Numeric.sum(values, from, to)) { "sum(long[], $from, $to) on $b vs a += loop" }
        }
        NumericInputs.assertLong(loop, NumericReference.sum(values, from, to)) { "twin sum(long[], $from, $to)" }
    }

    @Test
    fun longSumWrapsLikeJavaAddition() {
        NumericInputs.onEveryBackend { b ->
            assertEquals(Long.MIN_VALUE, Numeric.sum(longArrayOf(Long.MAX_VALUE, 1L))) { "MAX + 1 on $b" }
            assertEquals(Long.MAX_VALUE, Numeric.sum(longArrayOf(Long.MIN_VALUE, -1L))) { "MIN - 1 on $b" }
            assertEquals(-1024L, Numeric.sum(LongArray(1024) { Long.MAX_VALUE })) {
                "1024 * MAX on $b"
            }
            assertEquals(0L, Numeric.sum(LongArray(0))) { "empty on $b" }
        }
    }

    // ------------------------------------------------------------------------------------------
    // block-pairwise double sums
    // ------------------------------------------------------------------------------------------

    @ParameterizedTest(name = "{0}, n={1}")
    @MethodSource("doubleCases")
    fun doubleSumMatchesTwinBitForBitOnEveryBackend(family: NumericInputs.DoubleFamily, n: Int) {
        val values = family.generate(n, NumericInputs.random("doubleSum", family, n))
        val twin = NumericReference.sum(values, 0, n)
        NumericInputs.onEveryBackend { b ->
            NumericInputs.assertBits(twin, Numeric.sum(values)) {
                "sum(double[]) on $b, $family n=$n, input ${NumericInputs.showInput(values)}"
            }
            if (n >= 2) {
                val from = 1
                val to = n - 1
                NumericInputs.assertBits(NumericReference.sum(values, from, to), Numeric.sum(values, from, to)) {
                    "sum(double[], $from, $to) on $b, $family n=$n"
                }
            }
        }
    }

    @ParameterizedTest(name = "[{0}, {1})")
    @MethodSource("ranges")
    fun doubleRangeSumTreatsFromIndexAsElementZeroOfTheTree(from: Int, to: Int) {
        for ((family, values) in rangeDoubles) {
            val copy = values.copyOfRange(from, to)
            val twin = NumericReference.sum(values, from, to)
            NumericInputs.assertBits(NumericReference.sum(copy, 0, copy.size), twin) {
                "twin sum(double[], $from, $to) vs twin sum of the copied range, $family"
            }
            NumericInputs.onEveryBackend { b ->
                NumericInputs.assertBits(twin, Numeric.sum(values, from, to)) { "sum(double[], $from, $to) on $b, $family" }
                NumericInputs.assertBits(twin, Numeric.sum(copy)) { "sum(copyOfRange($from, $to)) on $b, $family" }
            }
        }
    }

    @Test
    fun sumOfEmptyInputIsPositiveZeroOnEveryBackend() {
        NumericInputs.onEveryBackend { b ->
            NumericInputs.assertBits(0.0, Numeric.sum(DoubleArray(0))) { "sum(empty) on $b" }
            NumericInputs.assertBits(0.0, Numeric.sum(DoubleArray(10) { -0.0 }, 4, 4)) { "sum of an empty range of -0.0 on $b" }
            NumericInputs.assertBits(0.0, Numeric.sumExact(DoubleArray(0))) { "sumExact(empty) on $b" }
        }
    }

    @Test
    fun sumOfOnlyNegativeZerosIsNegativeZeroAndOnePositiveZeroMakesItPositive() {
        for (n in intArrayOf(1, 9, 129, 100_000, SEG + 3)) {
            val zeros = DoubleArray(n) { -0.0 }
            NumericInputs.onEveryBackend { b ->
                NumericInputs.assertBits(-0.0, Numeric.sum(zeros)) { "sum of $n x -0.0 on $b" }
                NumericInputs.assertBits(-0.0, Numeric.sumExact(zeros)) { "sumExact of $n x -0.0 on $b" }
            }
            zeros[n - 1] = 0.0
            NumericInputs.onEveryBackend { b ->
                NumericInputs.assertBits(0.0, Numeric.sum(zeros)) { "sum of ${n - 1} x -0.0 and one +0.0 on $b" }
                NumericInputs.assertBits(0.0, Numeric.sumExact(zeros)) { "sumExact of ${n - 1} x -0.0 and one +0.0 on $b" }
            }
        }
    }

    @Test
    fun doubleSumFollowsTheDocumentedLaneOrderNotALeftToRightLoop() {
        // Lanes a0..a3 = 1e16, 1, -1e16, 1; (1e16 + 1) and (-1e16 + 1) are ties that round to
        // +-1e16, so the block is 0.0 and the tail adds 3.0. A left-to-right loop gives 4.0 and
        // the exact sum is 5.0.
        val x = doubleArrayOf(1e16, 1.0, -1e16, 1.0, 0.0, 0.0, 0.0, 0.0, 3.0)
        NumericInputs.assertBits(3.0, NumericReference.sum(x, 0, x.size)) { "twin sum" }
        NumericInputs.onEveryBackend { b ->
            NumericInputs.assertBits(3.0, Numeric.sum(x)) { "sum on $b" }
            NumericInputs.assertBits(5.0, Numeric.sumExact(x)) { "sumExact on $b" }
            NumericInputs.assertBits(3.0, Numeric.stats(x).sum) { "stats.sum on $b" }
        }
    }

    @Test
    fun nanInputsOfAnySignAndPayloadGiveNaNResultsOnEveryBackend() {
        val negativeQuietNaN = Double.fromBits(-0x8_0000_0000_0000L) // 0xfff8000000000000, what x86 makes of inf - inf
        val payloadNaN = Double.fromBits(0x7ff8_0000_0000_1234L)
        val inputs = listOf(
            doubleArrayOf(1.0, negativeQuietNaN, 2.0),
            doubleArrayOf(payloadNaN, 1.0),
            doubleArrayOf(Double.POSITIVE_INFINITY, Double.NEGATIVE_INFINITY, Double.NaN),
            DoubleArray(300) { it.toDouble() }.also { it[17] = payloadNaN; it[250] = negativeQuietNaN },
            DoubleArray(SEG + 300) { it.toDouble() }.also { it[SEG + 17] = negativeQuietNaN },
        )
        for ((k, x) in inputs.withIndex()) {
            NumericInputs.onEveryBackend { b ->
                val what = "input #$k ${NumericInputs.showInput(x)} on $b"
                assertTrue(Numeric.sum(x).isNaN()) { "sum, $what" }
                assertTrue(Numeric.sumExact(x).isNaN()) { "sumExact, $what" }
                val s = Numeric.stats(x)
                assertTrue(s.min.isNaN() && s.max.isNaN() && s.mean.isNaN() && s.variance.isNaN()) { "stats $s, $what" }
                assertEquals(x.size.toLong(), s.count) { "count, $what" }
            }
        }
    }

    @Test
    fun statsOfTheSameNaNInputAreEqualAcrossBackends() {
        // A NaN computed at run time (inf - inf on x86) is 0xfff8000000000000. Backend.AUTO is
        // meant to be invisible, so the Stats of one input should be equal whichever backend made it.
        val x = doubleArrayOf(1.0, Double.fromBits(-0x8_0000_0000_0000L), 2.0)
        Hotpath.backend = Backend.JVM
        val jvm = Numeric.stats(x)
        Hotpath.backend = Backend.NATIVE
        val native = Numeric.stats(x)
        assertEquals(jvm, native) {
            "Stats.equals of ${NumericInputs.showInput(x)}: JVM min ${NumericInputs.show(jvm.min)} max ${NumericInputs.show(jvm.max)}, " +
                "NATIVE min ${NumericInputs.show(native.min)} max ${NumericInputs.show(native.max)}"
        }
    }

    // ------------------------------------------------------------------------------------------
    // correctly rounded sum
    // ------------------------------------------------------------------------------------------

    @ParameterizedTest(name = "{0}, n={1}")
    @MethodSource("doubleCases")
    fun sumExactMatchesTwinAndBigDecimalOnEveryBackend(family: NumericInputs.DoubleFamily, n: Int) {
        val values = family.generate(n, NumericInputs.random("sumExact", family, n))
        val twin = NumericReference.sumExact(values)
        if (family.finite && (n <= WIDE_BIG_DECIMAL_LIMIT || family != NumericInputs.DoubleFamily.WIDE_EXPONENTS)) {
            NumericInputs.assertBits(NumericInputs.bigDecimalSum(values), twin) {
                "twin sumExact vs BigDecimal, $family n=$n, input ${NumericInputs.showInput(values)}"
            }
        }
        NumericInputs.onEveryBackend { b ->
            NumericInputs.assertBits(twin, Numeric.sumExact(values)) {
                "sumExact on $b, $family n=$n, input ${NumericInputs.showInput(values)}"
            }
        }
    }

    @Test
    fun sumExactIsTheCorrectlyRoundedSumOfHandPickedInputs() {
        val twoTo970 = Math.scalb(1.0, 970) // half an ulp of MAX_VALUE
        val cases = listOf(
            doubleArrayOf(1e308, 1.0, -1e308) to 1.0,
            doubleArrayOf(Double.MAX_VALUE, Double.MAX_VALUE, -Double.MAX_VALUE) to Double.MAX_VALUE,
            doubleArrayOf(1.0, Math.scalb(1.0, -53)) to 1.0, // a tie rounds to even (down)
            doubleArrayOf(1.0 + Math.ulp(1.0), Math.scalb(1.0, -53)) to 1.0 + 2 * Math.ulp(1.0), // a tie rounds to even (up)
            doubleArrayOf(1.0, Math.scalb(1.0, -53), Double.MIN_VALUE) to 1.0 + Math.ulp(1.0), // just above the tie
            doubleArrayOf(Double.MAX_VALUE, twoTo970) to Double.POSITIVE_INFINITY, // the tie at the top rounds to 2^1024
            doubleArrayOf(Double.MAX_VALUE, twoTo970, -Double.MIN_VALUE) to Double.MAX_VALUE, // just below that tie
            doubleArrayOf(-Double.MAX_VALUE, -twoTo970) to Double.NEGATIVE_INFINITY,
            doubleArrayOf(Double.MIN_VALUE, -Double.MIN_VALUE) to 0.0,
            doubleArrayOf(-0.0, -0.0) to -0.0,
            doubleArrayOf(-0.0, 0.0) to 0.0,
            doubleArrayOf(0.1, 0.2, 0.3, -0.6) to BigDecimal(0.1).add(BigDecimal(0.2)).add(BigDecimal(0.3)).add(BigDecimal(-0.6)).toDouble(),
            doubleArrayOf(Double.NaN, 1.0) to Double.NaN,
            doubleArrayOf(Double.POSITIVE_INFINITY, Double.NEGATIVE_INFINITY) to Double.NaN,
            doubleArrayOf(Double.POSITIVE_INFINITY, -Double.MAX_VALUE, -Double.MAX_VALUE) to Double.POSITIVE_INFINITY,
            doubleArrayOf(Double.NEGATIVE_INFINITY, 1.0) to Double.NEGATIVE_INFINITY,
        )
        for ((x, expected) in cases) {
            NumericInputs.assertBits(expected, NumericReference.sumExact(x)) { "twin sumExact of ${NumericInputs.showInput(x)}" }
            NumericInputs.onEveryBackend { b ->
                NumericInputs.assertBits(expected, Numeric.sumExact(x)) { "sumExact on $b of ${NumericInputs.showInput(x)}" }
            }
        }
    }

    @Test
    fun sumExactDoesNotDependOnTheOrderOfTheInput() {
        val rnd = NumericInputs.random("sumExactOrder")
        val values = NumericInputs.DoubleFamily.CANCELLING.generate(SEG + 4099, rnd)
        Hotpath.backend = Backend.NATIVE
        val first = Numeric.sumExact(values)
        repeat(3) {
            NumericInputs.shuffle(values, rnd)
            NumericInputs.assertBits(first, Numeric.sumExact(values)) { "native sumExact after shuffle #$it" }
            NumericInputs.assertBits(NumericReference.sumExact(values), Numeric.sumExact(values)) { "twin after shuffle #$it" }
        }
    }

    // ------------------------------------------------------------------------------------------
    // stats
    // ------------------------------------------------------------------------------------------

    @ParameterizedTest(name = "{0}, n={1}")
    @MethodSource("doubleCases")
    fun statsMatchTwinBitForBitOnEveryBackend(family: NumericInputs.DoubleFamily, n: Int) {
        val values = family.generate(n, NumericInputs.random("stats", family, n))
        val twin = NumericReference.stats(values)
        NumericInputs.onEveryBackend { b ->
            val actual = Numeric.stats(values)
            NumericInputs.assertSameStats(twin, actual) { "stats on $b, $family n=$n, input ${NumericInputs.showInput(values)}" }
            NumericInputs.assertBits(Numeric.sum(values), actual.sum) { "stats.sum vs sum on $b, $family n=$n" }
        }
        // The contract's semantics, independently of either implementation.
        assertEquals(n.toLong(), twin.count)
        val dss = DoubleSummaryStatistics()
        values.forEach(dss::accept)
        if (values.any { it.isNaN() }) {
            assertTrue(twin.min.isNaN() && twin.max.isNaN() && twin.mean.isNaN() && twin.variance.isNaN()) { "NaN input: $twin" }
        } else {
            NumericInputs.assertBits(dss.min, twin.min) { "min vs DoubleSummaryStatistics, $family n=$n" }
            NumericInputs.assertBits(dss.max, twin.max) { "max vs DoubleSummaryStatistics, $family n=$n" }
            if (values.any { it.isInfinite() }) assertTrue(twin.variance.isNaN()) { "infinite input: variance of $twin" }
        }
    }

    @Test
    fun statsOfEmptyAndSingleElementInputsFollowTheContract() {
        NumericInputs.onEveryBackend { b ->
            val empty = Numeric.stats(DoubleArray(0))
            assertEquals(0L, empty.count) { "empty count on $b" }
            NumericInputs.assertBits(Double.POSITIVE_INFINITY, empty.min) { "empty min on $b" }
            NumericInputs.assertBits(Double.NEGATIVE_INFINITY, empty.max) { "empty max on $b" }
            NumericInputs.assertBits(0.0, empty.mean) { "empty mean on $b" }
            assertTrue(empty.variance.isNaN() && empty.sampleVariance.isNaN() && empty.stdDev.isNaN()) { "empty variances on $b: $empty" }

            val one = Numeric.stats(doubleArrayOf(-2.5))
            NumericInputs.assertBits(-2.5, one.mean) { "one mean on $b" }
            NumericInputs.assertBits(0.0, one.variance) { "one variance on $b" }
            NumericInputs.assertBits(0.0, one.stdDev) { "one stdDev on $b" }
            assertTrue(one.sampleVariance.isNaN()) { "one sampleVariance on $b: $one" }
        }
    }

    @Test
    fun statsOrderNegativeZeroBelowPositiveZero() {
        for (x in listOf(doubleArrayOf(0.0, -0.0), doubleArrayOf(-0.0, 0.0), DoubleArray(1000) { if (it % 2 == 0) 0.0 else -0.0 })) {
            NumericInputs.onEveryBackend { b ->
                val s = Numeric.stats(x)
                NumericInputs.assertBits(-0.0, s.min) { "min on $b of ${x.size} signed zeros" }
                NumericInputs.assertBits(0.0, s.max) { "max on $b of ${x.size} signed zeros" }
            }
        }
    }

    @Test
    fun statsOfKnownDataGivesTheTextbookMeanAndVariance() {
        val x = DoubleArray(1000) { (it % 10).toDouble() } // 0..9 a hundred times: mean 4.5, population variance 8.25
        NumericInputs.onEveryBackend { b ->
            val s = Numeric.stats(x)
            assertEquals(4.5, s.mean, 0.0) { "mean on $b" }
            assertEquals(8.25, s.variance, 1e-12) { "variance on $b" }
            assertEquals(8.25 * 1000 / 999, s.sampleVariance, 1e-12) { "sampleVariance on $b" }
            assertEquals(0.0, s.min, 0.0)
            assertEquals(9.0, s.max, 0.0)
        }
    }

    // ------------------------------------------------------------------------------------------
    // scale
    // ------------------------------------------------------------------------------------------

    @ParameterizedTest(name = "{0}, n={1}")
    @MethodSource("longCases")
    fun longScaleInPlaceMatchesTwinOnEveryBackend(family: NumericInputs.LongFamily, n: Int) {
        val values = family.generate(n, NumericInputs.random("scaleLong", family, n))
        for (factor in LONG_FACTORS) {
            val expected = values.copyOf()
            NumericReference.scale(expected, factor)
            if (n > 0) assertEquals(values[n - 1] * factor, expected[n - 1]) { "twin scale is Java's *" }
            NumericInputs.onEveryBackend { b ->
                val actual = values.copyOf()
                Numeric.scale(actual, factor)
                NumericInputs.assertSameElements(expected, actual) { "scale(long[], $factor) on $b, $family n=$n" }
            }
        }
    }

    @ParameterizedTest(name = "{0}, n={1}")
    @MethodSource("doubleCases")
    fun doubleScaleInPlaceMatchesTwinOnEveryBackend(family: NumericInputs.DoubleFamily, n: Int) {
        val values = family.generate(n, NumericInputs.random("scaleDouble", family, n))
        for (factor in DOUBLE_FACTORS) {
            val expected = values.copyOf()
            NumericReference.scale(expected, factor)
            NumericInputs.onEveryBackend { b ->
                val actual = values.copyOf()
                Numeric.scale(actual, factor)
                NumericInputs.assertSameBits(expected, actual) { "scale(double[], ${NumericInputs.show(factor)}) on $b, $family n=$n" }
            }
        }
    }

    @Test
    fun scaleTouchesEveryElementAcrossSegmentsAndNothingElse() {
        val n = 2 * SEG + 77
        val longs = LongArray(n) { it.toLong() }
        val doubles = DoubleArray(n) { it.toDouble() }
        NumericInputs.onEveryBackend { b ->
            val l = longs.copyOf()
            val d = doubles.copyOf()
            Numeric.scale(l, -2L)
            Numeric.scale(d, 0.5)
            for (i in 0 until n) {
                if (l[i] != -2L * i) fail<Unit>("long element $i on $b: ${l[i]}")
                if (d[i] != i * 0.5) fail<Unit>("double element $i on $b: ${d[i]}")
            }
        }
    }
}
