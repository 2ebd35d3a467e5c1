package dev.hotpath

import dev.hotpath.jvm.NumericReference
import org.junit.jupiter.api.AfterAll
import org.junit.jupiter.api.AfterEach
import org.junit.jupiter.api.Assertions.assertEquals
import org.junit.jupiter.api.Assertions.assertTrue
import org.junit.jupiter.api.BeforeAll
import org.junit.jupiter.api.Test
import org.junit.jupiter.api.TestInstance
import java.math.BigDecimal

/**
 * Inputs of tens of millions of elements (about 46 native segments each) on [Backend.NATIVE],
 * compared with the twin. At most three 24M-element arrays are alive at once (about 580 MB):
 * the shared [longs] and [doubles] and one scratch array per test.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class NumericHugeInputTest {
    private companion object {
        /** Not a multiple of 8, 128 or the segment size: every level of the tree has a ragged tail. */
        const val N = 24_000_003
        const val CHUNK = 1 shl 20
    }

    private lateinit var longs: LongArray
    private lateinit var doubles: DoubleArray

    @BeforeAll
    fun createInputs() {
        NumericInputs.requireNative()
        longs = NumericInputs.LongFamily.EXTREME_RUNS.generate(N, NumericInputs.random("hugeLongs"))
        doubles = NumericInputs.DoubleFamily.MIXED_MAGNITUDES.generate(N, NumericInputs.random("hugeDoubles"))
    }

    @AfterAll
    fun releaseInputs() {
        longs = LongArray(0)
        doubles = DoubleArray(0)
    }

    @AfterEach
    fun restoreAutoBackend() {
        Hotpath.backend = Backend.AUTO
    }

    @Test
    fun nativeLongSumOfTwentyFourMillionElementsMatchesTwinAndAPlainLoop() {
        Hotpath.backend = Backend.NATIVE
        var loop = 0L
        for (v in longs) loop += v
        NumericInputs.assertLong(loop, NumericReference.sum(longs, 0, N)) { "twin sum(long[$N])" }
        NumericInputs.assertLong(loop, Numeric.sum(longs)) { "native sum(long[$N])" }
        val from = 12_345
        val to = N - 54_321
        var rangeLoop = 0L
        for (i in from until to) rangeLoop += longs[i]
        NumericInputs.assertLong(rangeLoop, Numeric.sum(longs, from, to)) { "native sum(long[$N], $from, $to)" }
    }

    @Test
    fun nativeDoubleSumOfTwentyFourMillionElementsMatchesTwinAndIsStableAcrossCalls() {
        Hotpath.backend = Backend.NATIVE
        val twin = NumericReference.sum(doubles, 0, N)
        repeat(3) { k ->
            NumericInputs.assertBits(twin, Numeric.sum(doubles)) { "native sum(double[$N]), call #$k" }
        }
        val from = NumericInputs.SEGMENT / 2 + 5
        val to = N - 77
        NumericInputs.assertBits(NumericReference.sum(doubles, from, to), Numeric.sum(doubles, from, to)) {
            "native sum(double[$N], $from, $to)"
        }
    }

    @Test
    fun nativeSumExactOfTwentyFourMillionElementsMatchesTwin() {
        Hotpath.backend = Backend.NATIVE
        NumericInputs.assertBits(NumericReference.sumExact(doubles), Numeric.sumExact(doubles)) { "native sumExact(double[$N])" }
    }

    @Test
    fun nativeSumExactOfTwentyFourMillionTenthsIsTheCorrectlyRoundedProduct() {
        Hotpath.backend = Backend.NATIVE
        val tenths = DoubleArray(N) { 0.1 }
        val exact = BigDecimal(0.1).multiply(BigDecimal(N)).toDouble()
        NumericInputs.assertBits(exact, Numeric.sumExact(tenths)) { "native sumExact of $N x 0.1" }
        NumericInputs.assertBits(exact, NumericReference.sumExact(tenths)) { "twin sumExact of $N x 0.1" }
        NumericInputs.assertBits(NumericReference.sum(tenths, 0, N), Numeric.sum(tenths)) { "native sum of $N x 0.1" }
    }

    @Test
    fun nativeSumExactRecoversASmallTotalFromHugeCancellingTerms() {
        Hotpath.backend = Backend.NATIVE
        // MAX_VALUE, -MAX_VALUE, MAX_VALUE, ... and 1.0 as the last element: the block-pairwise
        // sum overflows (each lane holds one sign) to NaN, while the exact sum is 1.0.
        val x = DoubleArray(N) { if (it % 2 == 0) Double.MAX_VALUE else -Double.MAX_VALUE }
        x[N - 1] = 1.0 // N is odd: (N - 1) / 2 pairs cancel exactly
        NumericInputs.assertBits(1.0, Numeric.sumExact(x)) { "native sumExact of alternating +-MAX_VALUE and 1.0" }
        NumericInputs.assertBits(1.0, NumericReference.sumExact(x)) { "twin sumExact of alternating +-MAX_VALUE and 1.0" }
        NumericInputs.assertBits(NumericReference.sum(x, 0, N), Numeric.sum(x)) { "native sum of alternating +-MAX_VALUE" }
    }

    @Test
    fun nativeStatsOfTwentyFourMillionElementsMatchTwin() {
        Hotpath.backend = Backend.NATIVE
        val twin = NumericReference.stats(doubles)
        NumericInputs.assertSameStats(twin, Numeric.stats(doubles)) { "native stats(double[$N])" }
        NumericInputs.assertSameStats(twin, Numeric.stats(doubles)) { "native stats(double[$N]), second call" }
        NumericInputs.assertBits(Numeric.sum(doubles), twin.sum) { "stats.sum vs sum" }
        assertEquals(N.toLong(), twin.count)
    }

    @Test
    fun nativeStatsOfOverflowingInputHaveInfiniteSumAndNaNVariance() {
        Hotpath.backend = Backend.NATIVE
        val x = DoubleArray(N) { Double.MAX_VALUE }
        val s = Numeric.stats(x)
        NumericInputs.assertSameStats(NumericReference.stats(x), s) { "native stats of $N x MAX_VALUE" }
        NumericInputs.assertBits(Double.POSITIVE_INFINITY, s.sum) { "sum of $N x MAX_VALUE" }
        NumericInputs.assertBits(Double.MAX_VALUE, s.min) { "min" }
        assertTrue(s.variance.isNaN()) { "variance of an overflowing input: $s" }
        NumericInputs.assertBits(Double.POSITIVE_INFINITY, Numeric.sumExact(x)) { "sumExact of $N x MAX_VALUE" }
    }

    @Test
    fun nativeScaleOfTwentyFourMillionLongsMatchesTwinChunkByChunk() {
        Hotpath.backend = Backend.NATIVE
        val factor = -0x61C8_8646_80B5_83EBL
        val scaled = longs.copyOf()
        Numeric.scale(scaled, factor)
        var from = 0
        while (from < N) {
            val to = minOf(N, from + CHUNK)
            val expected = longs.copyOfRange(from, to)
            NumericReference.scale(expected, factor)
            NumericInputs.assertSameElements(expected, scaled.copyOfRange(from, to)) { "native scale(long[$N]) in [$from, $to)" }
            from = to
        }
    }

    @Test
    fun nativeScaleOfTwentyFourMillionDoublesMatchesTwinChunkByChunk() {
        Hotpath.backend = Backend.NATIVE
        for (factor in doubleArrayOf(0.1, Math.scalb(1.0, 1000))) {
            val scaled = doubles.copyOf()
            Numeric.scale(scaled, factor)
            var from = 0
            while (from < N) {
                val to = minOf(N, from + CHUNK)
                val expected = doubles.copyOfRange(from, to)
                NumericReference.scale(expected, factor)
                NumericInputs.assertSameBits(expected, scaled.copyOfRange(from, to)) {
                    "native scale(double[$N], $factor) in [$from, $to)"
                }
                from = to
            }
        }
    }
}
