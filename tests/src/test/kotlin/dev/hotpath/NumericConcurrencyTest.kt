package dev.hotpath

import dev.hotpath.jvm.NumericReference
import org.junit.jupiter.api.AfterEach
import org.junit.jupiter.api.Assertions.assertEquals
import org.junit.jupiter.api.Assertions.fail
import org.junit.jupiter.api.BeforeAll
import org.junit.jupiter.api.Test
import java.nio.ByteBuffer
import java.nio.ByteOrder
import java.util.Collections
import java.util.concurrent.CyclicBarrier
import java.util.concurrent.Executors
import java.util.concurrent.TimeUnit
import java.util.concurrent.atomic.AtomicBoolean
import java.util.concurrent.atomic.AtomicInteger

/**
 * Eight threads calling every kernel at once, on shared read-only inputs and on their own,
 * while another thread churns garbage and asks for collections: every result must equal the
 * twin's, computed beforehand on one thread. Work is bounded by iteration counts; nothing here
 * measures time.
 */
class NumericConcurrencyTest {
    companion object {
        private const val THREADS = 8
        private const val ITERATIONS = 20
        private val SEG = NumericInputs.SEGMENT

        @JvmStatic
        @BeforeAll
        fun nativeLibraryIsAvailable() = NumericInputs.requireNative()
    }

    @AfterEach
    fun restoreAutoBackend() {
        Hotpath.backend = Backend.AUTO
    }

    /** One input with every result the twin gives for it. */
    private class Expected(val doubles: DoubleArray, val longs: LongArray) {
        val sum = NumericReference.sum(doubles, 0, doubles.size)
        val rangeFrom = doubles.size / 7
        val rangeTo = doubles.size - doubles.size / 5
        val rangeSum = NumericReference.sum(doubles, rangeFrom, rangeTo)
        val exact = NumericReference.sumExact(doubles)
        val stats = NumericReference.stats(doubles)
        val longSum = NumericReference.sum(longs, 0, longs.size)
        val longRangeSum = NumericReference.sum(longs, rangeFrom, rangeTo)
        val direct: ByteBuffer = ByteBuffer.allocateDirect(8 * doubles.size).order(ByteOrder.LITTLE_ENDIAN).also { b ->
            for (d in doubles) b.putDouble(d)
            b.flip()
        }
        val heapLongs: ByteBuffer = ByteBuffer.allocate(8 * longs.size).also { b ->
            for (v in longs) b.putLong(v)
            b.flip()
        }

        /** Every read-only kernel on this input, each result checked; [where] names the caller. */
        fun check(where: String) {
            NumericInputs.assertBits(sum, Numeric.sum(doubles)) { "$where: sum(double[${doubles.size}])" }
            NumericInputs.assertBits(rangeSum, Numeric.sum(doubles, rangeFrom, rangeTo)) { "$where: sum(double[], $rangeFrom, $rangeTo)" }
            NumericInputs.assertBits(exact, Numeric.sumExact(doubles)) { "$where: sumExact(double[${doubles.size}])" }
            NumericInputs.assertSameStats(stats, Numeric.stats(doubles)) { "$where: stats(double[${doubles.size}])" }
            NumericInputs.assertLong(longSum, Numeric.sum(longs)) { "$where: sum(long[${longs.size}])" }
            NumericInputs.assertLong(longRangeSum, Numeric.sum(longs, rangeFrom, rangeTo)) { "$where: sum(long[], $rangeFrom, $rangeTo)" }
            // A ByteBuffer's position is mutable state, so each call gets its own view of the shared bytes.
            NumericInputs.assertBits(sum, Numeric.sumDoubles(direct.duplicate().order(ByteOrder.LITTLE_ENDIAN))) { "$where: sumDoubles(direct)" }
            NumericInputs.assertLong(longSum, Numeric.sumLongs(heapLongs.duplicate())) { "$where: sumLongs(heap)" }
        }
    }

    private fun expected(tag: String, n: Int) = Expected(
        NumericInputs.DoubleFamily.MIXED_MAGNITUDES.generate(n, NumericInputs.random("concurrency", tag, n)),
        NumericInputs.LongFamily.EXTREME_RUNS.generate(n, NumericInputs.random("concurrencyLongs", tag, n)),
    )

    /** Allocates short-lived arrays and asks for a collection now and then, until told to stop. */
    private class GarbageChurner : Runnable {
        val stop = AtomicBoolean(false)
        val collections = AtomicInteger()

        override fun run() {
            val ring = arrayOfNulls<Any>(16)
            var i = 0
            // Bounded even if nobody stops it.
            while (!stop.get() && i < 2_000_000) {
                ring[i and 15] = if (i % 3 == 0) LongArray(1 + (i * 7919) % 200_000) else DoubleArray(1 + (i * 104_729) % 50_000)
                if (i % 1000 == 999) {
                    System.gc()
                    collections.incrementAndGet()
                }
                i++
            }
        }
    }

    /**
     * Runs [work] on [THREADS] threads (started together) beside a [GarbageChurner], and fails
     * with every error any thread hit.
     */
    private fun runConcurrently(work: (thread: Int) -> Unit) {
        val pool = Executors.newFixedThreadPool(THREADS + 1)
        val errors = Collections.synchronizedList(mutableListOf<Throwable>())
        val churner = GarbageChurner()
        try {
            pool.execute(churner)
            val start = CyclicBarrier(THREADS)
            val futures = (0 until THREADS).map { t ->
                pool.submit {
                    try {
                        start.await()
                        work(t)
                    } catch (e: Throwable) {
                        errors += e
                    }
                }
            }
            futures.forEach { it.get() }
        } finally {
            churner.stop.set(true)
            pool.shutdown()
            pool.awaitTermination(1, TimeUnit.MINUTES)
        }
        if (errors.isNotEmpty()) {
            val first = errors.first()
            fail<Unit>("${errors.size} thread(s) failed; first: ${first.message}; ${NumericInputs.seedNote}", first)
        }
    }

    @Test
    fun eightThreadsGetTwinResultsFromEveryNativeKernelWhileTheHeapChurns() {
        Hotpath.backend = Backend.NATIVE
        // Shared by all threads: below the parallel threshold, above it, and across segments.
        val shared = listOf(expected("shared", 1000), expected("shared", 70_000), expected("shared", SEG + 4099))
        val own = (0 until THREADS).map { expected("own$it", 20_000 + 7_919 * it) }
        val scaleInputs = (0 until THREADS).map { t ->
            NumericInputs.LongFamily.RANDOM.generate(90_000 + t, NumericInputs.random("scaleLongs", t)) to
                NumericInputs.DoubleFamily.MIXED_MAGNITUDES.generate(90_000 + t, NumericInputs.random("scaleDoubles", t))
        }
        val scaled = scaleInputs.map { (l, d) -> l.copyOf() to d.copyOf() }

        runConcurrently { t ->
            val (myLongs, myDoubles) = scaled[t]
            for (i in 0 until ITERATIONS) {
                shared[(t + i) % shared.size].check("thread $t, iteration $i, shared")
                own[t].check("thread $t, iteration $i, own")
                Numeric.scale(myLongs, 3L)
                Numeric.scale(myDoubles, -1.5)
            }
        }

        for (t in 0 until THREADS) {
            val (longs, doubles) = scaleInputs[t]
            repeat(ITERATIONS) {
                NumericReference.scale(longs, 3L)
                NumericReference.scale(doubles, -1.5)
            }
            NumericInputs.assertSameElements(longs, scaled[t].first) { "thread $t: $ITERATIONS x scale(long[], 3)" }
            NumericInputs.assertSameBits(doubles, scaled[t].second) { "thread $t: $ITERATIONS x scale(double[], -1.5)" }
        }
        // Every input is still what it was: the native side never wrote to a read-only input.
        for (e in shared + own) {
            assertEquals(e.sum.toRawBits(), NumericReference.sum(e.doubles, 0, e.doubles.size).toRawBits())
            assertEquals(e.longSum, NumericReference.sum(e.longs, 0, e.longs.size))
        }
    }

    @Test
    fun switchingBackendsUnderConcurrentCallsNeverChangesAResult() {
        // Hotpath.backend is global: one thread flips it while the others compute. AUTO is only
        // invisible if every backend gives the same answer, mid-flight switches included.
        val shared = listOf(expected("switch", 300), expected("switch", 100_000), expected("switch", SEG + 129))
        val flips = AtomicInteger()
        runConcurrently { t ->
            for (i in 0 until ITERATIONS) {
                if (t == 0) {
                    Hotpath.backend = Backend.entries[i % Backend.entries.size]
                    flips.incrementAndGet()
                }
                shared[(t + i) % shared.size].check("thread $t, iteration $i, backend ${Hotpath.backend}")
            }
        }
        assertEquals(ITERATIONS, flips.get())
    }
}
