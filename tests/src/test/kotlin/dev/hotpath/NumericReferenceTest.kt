package dev.hotpath

import dev.hotpath.jvm.NumericReference
import java.lang.reflect.InvocationTargetException
import java.math.BigDecimal
import java.math.BigInteger
import java.nio.ByteBuffer
import java.nio.ByteOrder
import java.util.DoubleSummaryStatistics
import kotlin.random.Random
import kotlin.test.assertEquals
import kotlin.test.assertFailsWith
import kotlin.test.assertTrue
import org.junit.jupiter.api.DisplayName
import org.junit.jupiter.api.Test

/**
 * The pure-Kotlin twin [NumericReference] against independent oracles written as plainly as
 * possible from `docs/numeric.md`: a per-node recursive reading of the sum tree, BigDecimal and
 * BigInteger for the exact sum, [DoubleSummaryStatistics] and a two-pass variance for stats.
 */
@DisplayName("NumericReference, the pure-Kotlin twin")
class NumericReferenceTest {

    // ------------------------------------------------------------------------------------------
    // long sums
    // ------------------------------------------------------------------------------------------

    @Test
    fun sumOfLongsWrapsOnOverflowLikeJava() {
        assertEquals(Long.MIN_VALUE, NumericReference.sum(longArrayOf(Long.MAX_VALUE, 1L), 0, 2))
        assertEquals(Long.MAX_VALUE, NumericReference.sum(longArrayOf(Long.MIN_VALUE, -1L), 0, 2))
        val values = LongArray(1003) { if (it % 2 == 0) Long.MAX_VALUE else Long.MIN_VALUE + it }
        assertEquals(naiveLongSum(values, 0, values.size), NumericReference.sum(values, 0, values.size))
    }

    @Test
    fun sumOfLongsOverAnyRangeMatchesAPlainLoop() {
        val rnd = Random(11)
        val values = LongArray(300) { rnd.nextLong() }
        for (from in 0..20) for (to in listOf(from, from + 1, from + 3, from + 4, from + 5, 150, 299, 300)) {
            assertEquals(naiveLongSum(values, from, to), NumericReference.sum(values, from, to), "[$from, $to)")
        }
        assertEquals(0L, NumericReference.sum(LongArray(0), 0, 0))
    }

    // ------------------------------------------------------------------------------------------
    // block-pairwise sums
    // ------------------------------------------------------------------------------------------

    @Test
    fun sumOfDoublesFollowsTheDocumentedTreeBitForBit() {
        val rnd = Random(1)
        val sizes = listOf(1, 2, 7, 8, 9, 15, 16, 17, 127, 128, 129, 255, 256, 257, 383, 384, 385, 1000, 1024,
            128 * 7 + 5, 128 * 64, 128 * 64 + 1, 128 * 1000 + 77, 1_000_003)
        for (n in sizes) {
            val values = DoubleArray(n) { wideValue(rnd, -60, 60) }
            assertBits(docSum(values), NumericReference.sum(values, 0, n), "n=$n")
        }
    }

    @Test
    fun sumOfDoublesOverARangeTreatsTheRangeAsTheWholeTree() {
        val rnd = Random(2)
        val values = DoubleArray(5000) { wideValue(rnd, -40, 40) }
        for ((from, to) in listOf(0 to 5000, 1 to 5000, 3 to 4000, 129 to 130, 7 to 7, 100 to 1100, 4999 to 5000)) {
            assertBits(docSum(values.copyOfRange(from, to)), NumericReference.sum(values, from, to), "[$from, $to)")
        }
    }

    @Test
    fun sumOfDoublesCombinesLanesPairwiseThenAddsTheTail() {
        // Worked by hand from the docs: lanes hold x0..x7; ((1e16+1)+(1+1)) + ((-1e16+1)+(1+1)) is
        // (1e16+2) + (-1e16+2) = 4 (each +-1e16+1 ties to even), then the tail adds 1.
        // A sequential loop would give 4 + 0 instead: the lanes are not an implementation detail.
        val values = doubleArrayOf(1e16, 1.0, 1.0, 1.0, -1e16, 1.0, 1.0, 1.0, 1.0)
        assertBits(5.0, NumericReference.sum(values, 0, values.size))
    }

    @Test
    fun sumOfDoublesKeepsSignedZerosAndPropagatesNaNAndInfinity() {
        assertBits(0.0, NumericReference.sum(DoubleArray(0), 0, 0))
        assertBits(0.0, NumericReference.sum(doubleArrayOf(1.0, 2.0), 1, 1))
        assertBits(-0.0, NumericReference.sum(doubleArrayOf(-0.0), 0, 1))
        assertBits(-0.0, NumericReference.sum(DoubleArray(1001) { -0.0 }, 0, 1001))
        assertBits(0.0, NumericReference.sum(doubleArrayOf(-0.0, 0.0, -0.0), 0, 3))
        val big = DoubleArray(1000) { 1.0 }
        big[517] = Double.NaN
        assertTrue(NumericReference.sum(big, 0, big.size).isNaN())
        big[517] = Double.POSITIVE_INFINITY
        assertEquals(Double.POSITIVE_INFINITY, NumericReference.sum(big, 0, big.size))
        big[3] = Double.NEGATIVE_INFINITY
        assertTrue(NumericReference.sum(big, 0, big.size).isNaN())
    }

    // ------------------------------------------------------------------------------------------
    // ByteBuffer variants
    // ------------------------------------------------------------------------------------------

    @Test
    fun sumDoublesReadsEveryKindOfBufferInPlaceAndLeavesItsPositionAlone() {
        val rnd = Random(3)
        for (n in listOf(0, 1, 9, 128, 1027)) {
            val values = DoubleArray(n) { wideValue(rnd, -30, 30) }
            val expected = NumericReference.sum(values, 0, n)
            assertBits(docSum(values), expected)
            for (order in listOf(ByteOrder.BIG_ENDIAN, ByteOrder.LITTLE_ENDIAN)) {
                for ((kind, buffer) in bufferKinds(n, order) { b, at, i -> b.putDouble(at, values[i]) }) {
                    val position = buffer.position()
                    val limit = buffer.limit()
                    assertBits(expected, NumericReference.sumDoubles(buffer), "$kind $order n=$n")
                    assertEquals(position, buffer.position(), "$kind position")
                    assertEquals(limit, buffer.limit(), "$kind limit")
                    assertEquals(order, buffer.order(), "$kind order")
                }
            }
        }
    }

    @Test
    fun sumLongsReadsEveryKindOfBufferInPlaceAndWraps() {
        val rnd = Random(4)
        for (n in listOf(0, 1, 3, 4, 5, 33, 1000)) {
            val values = LongArray(n) { if (it < 2) Long.MAX_VALUE else rnd.nextLong() }
            val expected = naiveLongSum(values, 0, n)
            for (order in listOf(ByteOrder.BIG_ENDIAN, ByteOrder.LITTLE_ENDIAN)) {
                for ((kind, buffer) in bufferKinds(n, order) { b, at, i -> b.putLong(at, values[i]) }) {
                    val position = buffer.position()
                    val limit = buffer.limit()
                    assertEquals(expected, NumericReference.sumLongs(buffer), "$kind $order n=$n")
                    assertEquals(position, buffer.position(), "$kind position")
                    assertEquals(limit, buffer.limit(), "$kind limit")
                }
            }
        }
    }

    @Test
    fun buffersWhoseRemainingBytesAreNotWholeValuesAreRejected() {
        val buffer = ByteBuffer.allocate(64).position(3).limit(16) // 13 remaining
        val forLongs = assertFailsWith<IllegalArgumentException> { NumericReference.sumLongs(buffer) }
        assertTrue(forLongs.message!!.contains("13 remaining bytes"), forLongs.message)
        assertTrue(forLongs.message!!.contains("not a multiple of 8"), forLongs.message)
        val forDoubles = assertFailsWith<IllegalArgumentException> {
            NumericReference.sumDoubles(ByteBuffer.allocateDirect(7))
        }
        assertTrue(forDoubles.message!!.contains("7 remaining bytes"), forDoubles.message)
        assertEquals(3, buffer.position())
        assertEquals(16, buffer.limit())
    }

    // ------------------------------------------------------------------------------------------
    // sumExact
    // ------------------------------------------------------------------------------------------

    @Test
    fun sumExactOfHugeCancellationIsExact() {
        assertBits(1.0, NumericReference.sumExact(doubleArrayOf(1e308, 1.0, -1e308)))
        assertBits(1.0, NumericReference.sumExact(doubleArrayOf(1e16, 1.0, -1e16)))
        assertBits(Double.MIN_VALUE, NumericReference.sumExact(doubleArrayOf(Double.MAX_VALUE, Double.MIN_VALUE, -Double.MAX_VALUE)))
        assertBits(-3.0, NumericReference.sumExact(doubleArrayOf(1e100, -1.0, 1e-100, -1e100, -2.0, -1e-100)))
        // 0.1 is 3602879701896397 / 2^55, so ten of them are exactly 1 + 2^-54: that rounds to 1.0,
        // and minus 1.0 leaves exactly 2^-54 (a naive loop gives 0.9999999999999999 and -1.1e-16).
        val tenths = DoubleArray(10) { 0.1 }
        assertBits(1.0, NumericReference.sumExact(tenths))
        assertBits(Math.scalb(1.0, -54), NumericReference.sumExact(tenths + -1.0))
        assertBits(bigDecimalSumExact(tenths + -1.0), NumericReference.sumExact(tenths + -1.0))
    }

    @Test
    fun sumExactOfMaxPlusMaxMinusMaxIsMax() {
        assertBits(Double.MAX_VALUE, NumericReference.sumExact(doubleArrayOf(Double.MAX_VALUE, Double.MAX_VALUE, -Double.MAX_VALUE)))
        assertBits(-Double.MAX_VALUE, NumericReference.sumExact(doubleArrayOf(-Double.MAX_VALUE, -Double.MAX_VALUE, Double.MAX_VALUE)))
        val manyMax = DoubleArray(1001) { if (it % 2 == 0) Double.MAX_VALUE else -Double.MAX_VALUE }
        assertBits(Double.MAX_VALUE, NumericReference.sumExact(manyMax))
    }

    @Test
    fun sumExactOverflowsToInfinityExactlyAtTheRoundingThreshold() {
        val halfUlpOfMax = Math.scalb(1.0, 970) // MAX + 2^970 = 2^1024 - 2^970, the tie that rounds up
        assertBits(Double.POSITIVE_INFINITY, NumericReference.sumExact(doubleArrayOf(Double.MAX_VALUE, halfUlpOfMax)))
        assertBits(Double.NEGATIVE_INFINITY, NumericReference.sumExact(doubleArrayOf(-Double.MAX_VALUE, -halfUlpOfMax)))
        assertBits(Double.MAX_VALUE, NumericReference.sumExact(doubleArrayOf(Double.MAX_VALUE, halfUlpOfMax, -Double.MIN_VALUE)))
        assertBits(-Double.MAX_VALUE, NumericReference.sumExact(doubleArrayOf(-Double.MAX_VALUE, -halfUlpOfMax, Double.MIN_VALUE)))
        assertBits(Double.POSITIVE_INFINITY, NumericReference.sumExact(doubleArrayOf(Double.MAX_VALUE, Double.MAX_VALUE)))
        assertBits(Double.NEGATIVE_INFINITY, NumericReference.sumExact(DoubleArray(100_000) { -Double.MAX_VALUE }))
        for (input in listOf(doubleArrayOf(Double.MAX_VALUE, halfUlpOfMax), doubleArrayOf(Double.MAX_VALUE, halfUlpOfMax, -Double.MIN_VALUE))) {
            assertBits(bigDecimalSumExact(input), NumericReference.sumExact(input))
        }
    }

    @Test
    fun sumExactRoundsHalfwayTiesToEvenInBothDirections() {
        val halfUlpOfOne = Math.scalb(1.0, -53)
        val onePlusUlp = Math.nextUp(1.0) // odd last bit
        assertBits(1.0, NumericReference.sumExact(doubleArrayOf(1.0, halfUlpOfOne))) // tie, stays even
        assertBits(Math.nextUp(onePlusUlp), NumericReference.sumExact(doubleArrayOf(onePlusUlp, halfUlpOfOne))) // tie, up to even
        assertBits(onePlusUlp, NumericReference.sumExact(doubleArrayOf(1.0, halfUlpOfOne, Double.MIN_VALUE))) // sticky: above the tie
        assertBits(onePlusUlp, NumericReference.sumExact(doubleArrayOf(onePlusUlp, halfUlpOfOne, -Double.MIN_VALUE))) // below the tie
        assertBits(-1.0, NumericReference.sumExact(doubleArrayOf(-1.0, -halfUlpOfOne)))
        assertBits(-Math.nextUp(onePlusUlp), NumericReference.sumExact(doubleArrayOf(-onePlusUlp, -halfUlpOfOne)))
        // A tie in the middle of the exponent range, made of many small parts.
        val parts = DoubleArray(1 shl 12) { Math.scalb(1.0, -65) } // together exactly 2^-53
        assertBits(1.0, NumericReference.sumExact(doubleArrayOf(1.0) + parts))
        assertBits(Math.nextUp(onePlusUlp), NumericReference.sumExact(doubleArrayOf(onePlusUlp) + parts))
    }

    @Test
    fun sumExactOfSubnormalsIsExactAcrossTheNormalBoundary() {
        assertBits(2 * Double.MIN_VALUE, NumericReference.sumExact(doubleArrayOf(Double.MIN_VALUE, Double.MIN_VALUE)))
        assertBits(Math.nextDown(java.lang.Double.MIN_NORMAL),
            NumericReference.sumExact(doubleArrayOf(java.lang.Double.MIN_NORMAL, -Double.MIN_VALUE)))
        val largestSubnormal = Math.nextDown(java.lang.Double.MIN_NORMAL)
        assertBits(java.lang.Double.MIN_NORMAL, NumericReference.sumExact(doubleArrayOf(largestSubnormal, Double.MIN_VALUE)))
        assertBits(-Double.MIN_VALUE, NumericReference.sumExact(doubleArrayOf(Double.MIN_VALUE, -2 * Double.MIN_VALUE)))
        val rnd = Random(5)
        val subnormals = DoubleArray(200_000) { Double.fromBits(rnd.nextLong() and ((1L shl 52) - 1) or (if (rnd.nextBoolean()) Long.MIN_VALUE else 0L)) }
        assertBits(exactOracle(subnormals), NumericReference.sumExact(subnormals))
        val positive = DoubleArray(3000) { Math.nextDown(java.lang.Double.MIN_NORMAL) } // sums to a normal
        assertBits(bigDecimalSumExact(positive), NumericReference.sumExact(positive))
    }

    @Test
    fun sumExactSignedZeroIsNegativeOnlyWhenEveryElementIsNegativeZero() {
        assertBits(0.0, NumericReference.sumExact(DoubleArray(0)))
        assertBits(-0.0, NumericReference.sumExact(doubleArrayOf(-0.0)))
        assertBits(-0.0, NumericReference.sumExact(DoubleArray(1000) { -0.0 }))
        assertBits(0.0, NumericReference.sumExact(doubleArrayOf(-0.0, 0.0)))
        assertBits(0.0, NumericReference.sumExact(doubleArrayOf(0.0, -0.0)))
        assertBits(0.0, NumericReference.sumExact(doubleArrayOf(-1.0, 1.0)))
        assertBits(0.0, NumericReference.sumExact(doubleArrayOf(-0.0, -Double.MIN_VALUE, Double.MIN_VALUE, -0.0)))
        assertBits(0.0, NumericReference.sumExact(doubleArrayOf(-Double.MAX_VALUE, Double.MAX_VALUE)))
    }

    @Test
    fun sumExactNaNAndInfinityRules() {
        assertTrue(NumericReference.sumExact(doubleArrayOf(1.0, Double.NaN, 2.0)).isNaN())
        assertTrue(NumericReference.sumExact(doubleArrayOf(Double.POSITIVE_INFINITY, Double.NaN)).isNaN())
        assertTrue(NumericReference.sumExact(doubleArrayOf(Double.POSITIVE_INFINITY, 1.0, Double.NEGATIVE_INFINITY)).isNaN())
        assertBits(Double.POSITIVE_INFINITY, NumericReference.sumExact(doubleArrayOf(-Double.MAX_VALUE, Double.POSITIVE_INFINITY, -Double.MAX_VALUE)))
        assertBits(Double.NEGATIVE_INFINITY, NumericReference.sumExact(doubleArrayOf(Double.NEGATIVE_INFINITY, Double.NEGATIVE_INFINITY, 5.0)))
        assertBits(Double.NEGATIVE_INFINITY, NumericReference.sumExact(doubleArrayOf(Double.MAX_VALUE, Double.MAX_VALUE, Double.NEGATIVE_INFINITY)))
        val nanPayload = Double.fromBits(0x7FF0_0000_0000_0001L)
        assertTrue(NumericReference.sumExact(doubleArrayOf(0.0, nanPayload)).isNaN())
    }

    @Test
    fun sumExactMatchesBigDecimalOnSmallAdversarialInputs() {
        val rnd = Random(6)
        repeat(3000) { round ->
            val n = 1 + rnd.nextInt(40)
            val values = DoubleArray(n) { adversarialValue(rnd) }
            if (round % 3 == 0) for (i in 0 until n / 2) values[n - 1 - i] = -values[i] * (if (rnd.nextBoolean()) 1.0 else 0.5)
            assertBits(bigDecimalSumExact(values), NumericReference.sumExact(values), values.contentToString())
        }
    }

    @Test
    fun bigIntegerOracleAgreesWithBigDecimalOnMediumInputs() {
        // Ties the fast exact oracle used on millions of elements to BigDecimal.
        val rnd = Random(7)
        for (n in listOf(1, 100, 5000, 20_000)) {
            val values = DoubleArray(n) { adversarialValue(rnd) }
            val expected = bigDecimalSumExact(values)
            assertBits(expected, exactOracle(values), "oracle n=$n")
            assertBits(expected, NumericReference.sumExact(values), "twin n=$n")
        }
    }

    @Test
    fun sumExactIsCorrectlyRoundedOnMillionsOfWideRangeValues() {
        val rnd = Random(8)
        // Every exponent from subnormal to 2^1008, random signs: the sum stays finite.
        val anyExponent = DoubleArray(3_000_000) { randomBitsBelowExponent(rnd, 2032) }
        assertBits(exactOracle(anyExponent), NumericReference.sumExact(anyExponent), "any exponent")
        // Huge values that cancel exactly, hiding a much smaller exact sum of wide-range values.
        val hidden = DoubleArray(2_500_000)
        for (i in 0 until 1_000_000) {
            hidden[2 * i] = randomBitsBelowExponent(rnd, 2040)
            hidden[2 * i + 1] = -hidden[2 * i]
        }
        for (i in 2_000_000 until hidden.size) hidden[i] = randomBitsBelowExponent(rnd, 1100)
        hidden.shuffle(rnd)
        assertBits(exactOracle(hidden), NumericReference.sumExact(hidden), "hidden under cancellation")
        // Pairs x, -x with a few-ulp residue here and there, and one tiny value: far below the inputs.
        val residues = DoubleArray(2_000_000)
        for (i in 0 until residues.size / 2) {
            val x = wideValue(rnd, -200, 300)
            residues[2 * i] = x
            residues[2 * i + 1] = if (i % 1000 == 0) -x + Math.ulp(x) * 3 else -x
        }
        residues.shuffle(rnd)
        residues[17] = Math.scalb(1.0, -1060)
        assertBits(exactOracle(residues), NumericReference.sumExact(residues), "residues")
        // Near overflow, where any double partial sum would overflow long before the end.
        val nearMax = DoubleArray(2_500_000) { (if (it % 7 == 0) -1.0 else 1.0) * Math.scalb(0.5 + rnd.nextDouble(), 1002) }
        assertBits(exactOracle(nearMax), NumericReference.sumExact(nearMax), "near overflow")
    }

    @Test
    fun sumExactDecidesOverflowExactlyUnderMillionsOfCancellingGiants() {
        val rnd = Random(14)
        val giants = DoubleArray(2_000_000)
        for (i in 0 until giants.size / 2) {
            giants[2 * i] = Math.scalb(0.5 + rnd.nextDouble(), 1023)
            giants[2 * i + 1] = -giants[2 * i]
        }
        val halfUlpOfMax = Math.scalb(1.0, 969) * 2
        val justBelow = (giants + doubleArrayOf(Double.MAX_VALUE, halfUlpOfMax / 2, halfUlpOfMax / 2, -Double.MIN_VALUE)).also { it.shuffle(rnd) }
        assertBits(Double.MAX_VALUE, NumericReference.sumExact(justBelow), "MAX + 2^970 - 2^-1074")
        assertBits(Double.MAX_VALUE, exactOracle(justBelow))
        val atThreshold = (giants + doubleArrayOf(Double.MAX_VALUE, halfUlpOfMax / 2, halfUlpOfMax / 2)).also { it.shuffle(rnd) }
        assertBits(Double.POSITIVE_INFINITY, NumericReference.sumExact(atThreshold), "MAX + 2^970")
        assertBits(Double.POSITIVE_INFINITY, exactOracle(atThreshold))
    }

    @Test
    fun sumExactIsIndependentOfElementOrder() {
        val rnd = Random(9)
        val values = DoubleArray(100_000) { wideValue(rnd, -300, 300) }
        val expected = NumericReference.sumExact(values)
        repeat(3) {
            values.shuffle(rnd)
            assertBits(expected, NumericReference.sumExact(values))
        }
        values.sort()
        assertBits(expected, NumericReference.sumExact(values))
    }

    // ------------------------------------------------------------------------------------------
    // stats
    // ------------------------------------------------------------------------------------------

    @Test
    fun statsCountMinMaxMatchDoubleSummaryStatisticsAndSumMatchesSum() {
        val rnd = Random(10)
        for (n in listOf(1, 5, 8, 127, 128, 129, 1000, 128 * 33 + 9, 300_001)) {
            val values = DoubleArray(n) { wideValue(rnd, -20, 20) }
            val dss = DoubleSummaryStatistics()
            values.forEach(dss::accept)
            val stats = NumericReference.stats(values)
            assertEquals(dss.count, stats.count, "count n=$n")
            assertBits(dss.min, stats.min, "min n=$n")
            assertBits(dss.max, stats.max, "max n=$n")
            assertBits(NumericReference.sum(values, 0, n), stats.sum, "sum n=$n")
            assertBits(stats.sum / n, stats.mean, "mean n=$n")
        }
    }

    @Test
    fun statsM2FollowsTheDocumentedTreeBitForBit() {
        val rnd = Random(12)
        for (n in (1..300).toList() + listOf(1000, 128 * 100 + 3, 128 * 100 + 77, 1_000_000)) {
            val values = DoubleArray(n) { 1000.0 + wideValue(rnd, -10, 10) }
            val expected = docStats(values)
            val stats = NumericReference.stats(values)
            assertBits(expected.s, stats.sum, "sum n=$n")
            assertBits(expected.m2, stats.sumOfSquaredDeviations, "M2 n=$n")
        }
    }

    @Test
    fun statsVarianceAgreesWithTwoPassVarianceWithinTightTolerance() {
        val rnd = Random(13)
        for (n in listOf(2, 3, 100, 128, 129, 4097, 1_000_000)) {
            val values = DoubleArray(n) { 1e6 + rnd.nextDouble() * 3.0 + (if (it % 3 == 0) 1e-3 else 0.0) }
            val mean = exactOracle(values) / n // correctly rounded sum, one more rounding
            var m2 = 0.0
            for (x in values) m2 += (x - mean) * (x - mean)
            val stats = NumericReference.stats(values)
            assertRelativelyClose(m2 / n, stats.variance, 1e-9, "variance n=$n")
            assertRelativelyClose(m2 / (n - 1), stats.sampleVariance, 1e-9, "sample variance n=$n")
            assertRelativelyClose(Math.sqrt(m2 / n), stats.stdDev, 1e-9, "stdDev n=$n")
            assertRelativelyClose(mean, stats.mean, 1e-15, "mean n=$n")
        }
    }

    @Test
    fun statsOfEmptyAndOfOneElementFollowTheDocs() {
        val empty = NumericReference.stats(DoubleArray(0))
        assertEquals(0L, empty.count)
        assertBits(0.0, empty.sum)
        assertBits(0.0, empty.mean)
        assertBits(Double.POSITIVE_INFINITY, empty.min)
        assertBits(Double.NEGATIVE_INFINITY, empty.max)
        assertTrue(empty.variance.isNaN() && empty.sampleVariance.isNaN() && empty.stdDev.isNaN())
        val one = NumericReference.stats(doubleArrayOf(-2.5))
        assertEquals(1L, one.count)
        assertBits(-2.5, one.mean)
        assertBits(0.0, one.variance)
        assertBits(0.0, one.stdDev)
        assertTrue(one.sampleVariance.isNaN())
        assertBits(-2.5, one.min)
        assertBits(-2.5, one.max)
    }

    @Test
    fun statsOrdersNegativeZeroBelowPositiveZeroAndPropagatesNaNAndInfinity() {
        for (values in listOf(doubleArrayOf(0.0, -0.0), doubleArrayOf(-0.0, 0.0), DoubleArray(300) { if (it == 250) -0.0 else 0.0 })) {
            val stats = NumericReference.stats(values)
            assertBits(-0.0, stats.min)
            assertBits(0.0, stats.max)
        }
        val withNaN = DoubleArray(1000) { it.toDouble() }
        withNaN[700] = Double.fromBits(0x7FF8_0000_0000_0042L)
        withNaN[900] = Double.NaN
        val dss = DoubleSummaryStatistics()
        withNaN.forEach(dss::accept)
        val nanStats = NumericReference.stats(withNaN)
        assertBits(dss.min, nanStats.min) // the first NaN, as a Math.min fold returns it
        assertBits(dss.max, nanStats.max)
        assertTrue(nanStats.mean.isNaN() && nanStats.variance.isNaN())
        val withInfinity = DoubleArray(500) { it.toDouble() }
        withInfinity[499] = Double.POSITIVE_INFINITY
        val infStats = NumericReference.stats(withInfinity)
        assertBits(Double.POSITIVE_INFINITY, infStats.mean)
        assertBits(Double.POSITIVE_INFINITY, infStats.max)
        assertBits(0.0, infStats.min)
        assertTrue(infStats.variance.isNaN())
    }

    // ------------------------------------------------------------------------------------------
    // scale
    // ------------------------------------------------------------------------------------------

    @Test
    fun scaleMultipliesInPlaceWrappingLongsAndRoundingDoubles() {
        val longs = longArrayOf(0L, 1L, -3L, Long.MAX_VALUE, Long.MIN_VALUE, 1L shl 40)
        val expectedLongs = LongArray(longs.size) { longs[it] * 3_000_000_007L }
        NumericReference.scale(longs, 3_000_000_007L)
        assertEquals(expectedLongs.toList(), longs.toList())
        assertEquals(-2L, LongArray(1) { Long.MAX_VALUE }.also { NumericReference.scale(it, 2L) }[0])
        val doubles = doubleArrayOf(0.1, -0.0, Double.MAX_VALUE, Double.MIN_VALUE, Double.NaN, 3.0)
        val expectedDoubles = DoubleArray(doubles.size) { doubles[it] * 0.3 }
        NumericReference.scale(doubles, 0.3)
        for (i in doubles.indices) assertBits(expectedDoubles[i], doubles[i], "index $i")
        NumericReference.scale(LongArray(0), 5L)
    }

    // ------------------------------------------------------------------------------------------
    // argument errors
    // ------------------------------------------------------------------------------------------

    @Test
    fun rangeErrorsThrowIndexOutOfBoundsNamingTheBound() {
        val doubles = DoubleArray(10)
        val longs = LongArray(10)
        val cases = listOf(Triple(-1, 5, "fromIndex -1 < 0"), Triple(0, 11, "toIndex 11 > array length 10"), Triple(5, 3, "fromIndex 5 > toIndex 3"))
        for ((from, to, message) in cases) {
            val d = assertFailsWith<IndexOutOfBoundsException> { NumericReference.sum(doubles, from, to) }
            assertEquals(message, d.message)
            val l = assertFailsWith<IndexOutOfBoundsException> { NumericReference.sum(longs, from, to) }
            assertEquals(message, l.message)
        }
        assertEquals(0.0, NumericReference.sum(doubles, 10, 10))
    }

    @Test
    fun nullArgumentsFromJavaThrowNullPointerExceptionNamingTheParameter() {
        val type = NumericReference::class.java
        val int = Int::class.javaPrimitiveType
        val calls = listOf(
            type.getMethod("sum", LongArray::class.java, int, int) to arrayOf<Any?>(null, 0, 0),
            type.getMethod("sum", DoubleArray::class.java, int, int) to arrayOf<Any?>(null, 0, 0),
            type.getMethod("sumExact", DoubleArray::class.java) to arrayOf<Any?>(null),
            type.getMethod("stats", DoubleArray::class.java) to arrayOf<Any?>(null),
            type.getMethod("scale", LongArray::class.java, Long::class.javaPrimitiveType) to arrayOf<Any?>(null, 2L),
            type.getMethod("scale", DoubleArray::class.java, Double::class.javaPrimitiveType) to arrayOf<Any?>(null, 2.0),
            type.getMethod("sumLongs", ByteBuffer::class.java) to arrayOf<Any?>(null),
            type.getMethod("sumDoubles", ByteBuffer::class.java) to arrayOf<Any?>(null),
        )
        for ((method, args) in calls) {
            // Static, as Java callers see them (@JvmStatic): invoked without an instance.
            val thrown = assertFailsWith<InvocationTargetException>(method.toString()) { method.invoke(null, *args) }
            val cause = thrown.cause
            assertTrue(cause is NullPointerException, "$method threw $cause")
            val parameter = if (method.parameterTypes[0] == ByteBuffer::class.java) "buffer" else "values"
            assertTrue(cause.message.orEmpty().endsWith("parameter $parameter"), "$method: ${cause.message}")
        }
    }

    // ------------------------------------------------------------------------------------------
    // oracles, written from docs/numeric.md as plainly as possible
    // ------------------------------------------------------------------------------------------

    private fun naiveLongSum(values: LongArray, from: Int, to: Int): Long {
        var s = 0L
        for (i in from until to) s += values[i]
        return s
    }

    /** The docs' block: 8 lanes starting at -0.0, pairwise lane combination, then the tail. */
    private fun docBlock(x: DoubleArray): Double {
        val acc = DoubleArray(8) { -0.0 }
        val full = x.size / 8 * 8
        for (i in 0 until full step 8) for (j in 0 until 8) acc[j] = acc[j] + x[i + j]
        var r = ((acc[0] + acc[1]) + (acc[2] + acc[3])) + ((acc[4] + acc[5]) + (acc[6] + acc[7]))
        for (i in full until x.size) r = r + x[i]
        return r
    }

    private fun docSplit(len: Int): Int = 128 * Integer.highestOneBit((len - 1) / 128)

    private fun docTree(x: DoubleArray): Double {
        if (x.size <= 128) return docBlock(x)
        val m = docSplit(x.size)
        return docTree(x.copyOfRange(0, m)) + docTree(x.copyOfRange(m, x.size))
    }

    private fun docSum(x: DoubleArray): Double = if (x.isEmpty()) 0.0 else docTree(x)

    private class Node(val n: Double, val s: Double, val m2: Double)

    private fun docStats(x: DoubleArray): Node {
        if (x.size <= 128) {
            val s = docBlock(x)
            val mu = s / x.size
            return Node(x.size.toDouble(), s, docBlock(DoubleArray(x.size) { (x[it] - mu) * (x[it] - mu) }))
        }
        val m = docSplit(x.size)
        val a = docStats(x.copyOfRange(0, m))
        val b = docStats(x.copyOfRange(m, x.size))
        val delta = b.s / b.n - a.s / a.n
        return Node(a.n + b.n, a.s + b.s, (a.m2 + b.m2) + (delta * delta) * ((a.n * b.n) / (a.n + b.n)))
    }

    /** NaN/infinity/zero rules of the docs, or null when the rounded exact sum decides. */
    private fun specialExact(x: DoubleArray): Double? {
        if (x.any { it.isNaN() }) return Double.NaN
        val positive = x.any { it == Double.POSITIVE_INFINITY }
        val negative = x.any { it == Double.NEGATIVE_INFINITY }
        if (positive && negative) return Double.NaN
        if (positive) return Double.POSITIVE_INFINITY
        if (negative) return Double.NEGATIVE_INFINITY
        return null
    }

    private fun zeroResult(x: DoubleArray): Double =
        if (x.isNotEmpty() && x.all { it.toRawBits() == (-0.0).toRawBits() }) -0.0 else 0.0

    /** Exact sum with BigDecimal (exact for doubles), rounded once by BigDecimal.doubleValue(). */
    private fun bigDecimalSumExact(x: DoubleArray): Double {
        specialExact(x)?.let { return it }
        var s = BigDecimal.ZERO
        for (v in x) s = s.add(BigDecimal(v))
        return if (s.signum() == 0) zeroResult(x) else s.toDouble()
    }

    /**
     * Exact sum for millions of elements: signed significands summed per biased exponent in longs
     * (spilling into a BigInteger before a long would overflow), the buckets shifted into one
     * BigInteger multiple of 2^-1074, rounded once by BigDecimal.doubleValue().
     */
    private fun exactOracle(x: DoubleArray): Double {
        specialExact(x)?.let { return it }
        val small = LongArray(2047)
        val big = Array<BigInteger>(2047) { BigInteger.ZERO }
        for (v in x) {
            val bits = v.toRawBits()
            val e = ((bits ushr 52) and 0x7FF).toInt()
            var m = bits and ((1L shl 52) - 1)
            if (e != 0) m = m or (1L shl 52)
            if (bits < 0) m = -m
            try {
                small[e] = Math.addExact(small[e], m)
            } catch (overflow: ArithmeticException) {
                big[e] = big[e].add(BigInteger.valueOf(small[e]))
                small[e] = m
            }
        }
        var total = BigInteger.ZERO
        for (e in 0 until 2047) {
            total = total.add(big[e].add(BigInteger.valueOf(small[e])).shiftLeft(maxOf(e - 1, 0)))
        }
        if (total.signum() == 0) return zeroResult(x)
        return BigDecimal(total).multiply(BigDecimal(Double.MIN_VALUE)).toDouble()
    }

    // ------------------------------------------------------------------------------------------
    // inputs and assertions
    // ------------------------------------------------------------------------------------------

    /** A random double of either sign with a binary exponent in `[minExp, maxExp)`. */
    private fun wideValue(rnd: Random, minExp: Int, maxExp: Int): Double =
        Math.scalb(rnd.nextDouble(-1.0, 1.0), rnd.nextInt(minExp, maxExp))

    /** Random sign and fraction with a biased exponent uniform in `[0, exponentLimit)` (0: subnormal). */
    private fun randomBitsBelowExponent(rnd: Random, exponentLimit: Int): Double =
        Double.fromBits((rnd.nextLong() and Long.MIN_VALUE) or (rnd.nextLong(0L, exponentLimit.toLong()) shl 52) or
            (rnd.nextLong() and ((1L shl 52) - 1)))

    /** Any finite double, from uniformly random bits (so every exponent, subnormals included). */
    private fun randomFinite(rnd: Random): Double {
        while (true) {
            val d = Double.fromBits(rnd.nextLong())
            if (d.isFinite()) return d
        }
    }

    private fun adversarialValue(rnd: Random): Double = when (rnd.nextInt(8)) {
        0 -> randomFinite(rnd)
        1 -> Double.fromBits(rnd.nextLong(0L, 1L shl 52)) * (if (rnd.nextBoolean()) -1.0 else 1.0) // subnormal
        2 -> (if (rnd.nextBoolean()) -1.0 else 1.0) * Math.nextDown(Double.MAX_VALUE / (1 + rnd.nextInt(4)))
        3 -> Math.scalb(1.0, rnd.nextInt(-1074, 1024)) * (if (rnd.nextBoolean()) -1.0 else 1.0) // powers of two: ties
        4 -> if (rnd.nextBoolean()) -0.0 else 0.0
        else -> wideValue(rnd, -80, 80)
    }

    /** The same `n` 8-byte values in direct, heap, read-only and sliced buffers, all off position 0. */
    private fun bufferKinds(n: Int, order: ByteOrder, put: (ByteBuffer, Int, Int) -> Unit): List<Pair<String, ByteBuffer>> {
        val bytes = n * 8
        fun filled(raw: ByteBuffer, position: Int): ByteBuffer {
            raw.order(order)
            for (i in 0 until n) put(raw, position + 8 * i, i)
            raw.limit(position + bytes).position(position)
            return raw
        }
        val heap = filled(ByteBuffer.allocate(bytes + 24), 5)
        val direct = filled(ByteBuffer.allocateDirect(bytes + 24), 3)
        val heapSlice = filled(ByteBuffer.allocate(bytes + 40).position(7).slice(), 9) // arrayOffset 7
        assertEquals(7, heapSlice.arrayOffset())
        val directSlice = filled(ByteBuffer.allocateDirect(bytes + 40).position(11).slice(), 1)
        return listOf(
            "heap" to heap,
            "direct" to direct,
            "read-only heap" to heap.asReadOnlyBuffer().order(order),
            "read-only direct" to direct.asReadOnlyBuffer().order(order),
            "sliced heap" to heapSlice,
            "sliced direct" to directSlice,
            "read-only sliced heap" to heapSlice.asReadOnlyBuffer().order(order),
        )
    }

    private fun assertBits(expected: Double, actual: Double, message: String? = null) {
        assertEquals(expected.toRawBits(), actual.toRawBits(), "${message ?: ""} expected <$expected> but was <$actual>")
    }

    private fun assertRelativelyClose(expected: Double, actual: Double, tolerance: Double, message: String) {
        assertTrue(Math.abs(expected - actual) <= tolerance * Math.abs(expected), "$message: expected $expected, was $actual")
    }
}
