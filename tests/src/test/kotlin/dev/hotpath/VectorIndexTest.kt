package dev.hotpath

import org.junit.jupiter.api.AfterEach
import org.junit.jupiter.api.Assertions.assertArrayEquals
import org.junit.jupiter.api.Assertions.assertEquals
import org.junit.jupiter.api.Assertions.assertThrows
import org.junit.jupiter.api.Assertions.assertTrue
import org.junit.jupiter.api.BeforeAll
import org.junit.jupiter.api.Test
import org.junit.jupiter.api.io.TempDir
import java.io.IOException
import java.nio.ByteBuffer
import java.nio.ByteOrder
import java.nio.file.Files
import java.nio.file.Path
import java.util.SplittableRandom
import java.util.concurrent.CountDownLatch
import java.util.concurrent.Executors
import java.util.concurrent.TimeUnit
import java.util.concurrent.atomic.AtomicBoolean
import java.util.concurrent.atomic.AtomicInteger

/**
 * `VectorIndex` on both backends against a naive double-precision oracle (docs/vectors.md):
 * ids must equal the oracle's wherever its neighbouring scores differ by more than 1e-4 of the
 * scores' scale, and scores lie within 1e-5 of it. The scale is the sum of the absolute terms
 * of the score, since a score near zero is the difference of large terms and no float sum is
 * relatively close to it. Seeds come from `NumericInputs` (`-Dhotpath.test.seed` replays a run).
 */
class VectorIndexTest {
    companion object {
        val BACKENDS = listOf(Backend.NATIVE, Backend.JVM)

        @JvmStatic
        @BeforeAll
        fun nativeLoads() {
            assertTrue(Hotpath.isNativeAvailable(), "native library did not load: ${Hotpath.nativeLoadError}")
        }

        fun vectors(rnd: SplittableRandom, count: Int, dim: Int): FloatArray =
            FloatArray(count * dim) { (rnd.nextDouble() * 2 - 1).toFloat() }

        /** (id, score, scale) best first, ties by smaller id, all in double. */
        fun oracle(metric: Metric, data: FloatArray, query: FloatArray, dim: Int, from: Int = 0): List<Triple<Int, Double, Double>> {
            val n = data.size / dim
            fun norm(a: FloatArray, at: Int): Double = Math.sqrt((0 until dim).sumOf { a[at + it].toDouble() * a[at + it] })
            val qn = norm(query, from)
            val scored = (0 until n).map { id ->
                val xn = norm(data, id * dim)
                var s = 0.0
                var scale = 0.0
                for (i in 0 until dim) {
                    val x = data[id * dim + i].toDouble()
                    val y = query[from + i].toDouble()
                    val t = when (metric) {
                        Metric.DOT -> x * y
                        Metric.COSINE -> (x / xn) * (y / qn)
                        Metric.L2 -> (x - y) * (x - y)
                    }
                    s += t
                    scale += Math.abs(t)
                }
                Triple(id, s, scale)
            }
            return if (metric == Metric.L2) {
                scored.sortedWith(compareBy<Triple<Int, Double, Double>> { it.second }.thenBy { it.first })
            } else {
                scored.sortedWith(compareByDescending<Triple<Int, Double, Double>> { it.second }.thenBy { it.first })
            }
        }

        fun assertMatches(expected: List<Triple<Int, Double, Double>>, got: TopK, k: Int, what: String) {
            assertEquals(minOf(k, expected.size), got.size(), what)
            val ids = got.ids
            val scores = got.scores
            fun apart(i: Int, j: Int): Boolean =
                j >= expected.size || Math.abs(expected[i].second - expected[j].second) > 1e-4 * maxOf(expected[i].third, expected[j].third, 1e-30)
            for (i in ids.indices) {
                val (eid, escore, escale) = expected[i]
                assertTrue(
                    Math.abs(scores[i] - escore) <= 1e-5 * maxOf(escale, Math.abs(escore)) + 1e-30,
                    "$what rank $i: score ${scores[i]} vs oracle $escore (${NumericInputs.seedNote})",
                )
                if ((i == 0 || apart(i - 1, i)) && apart(i, i + 1)) {
                    assertEquals(eid, ids[i], "$what rank $i (${NumericInputs.seedNote})")
                }
            }
        }
    }

    @TempDir
    lateinit var dir: Path

    @AfterEach
    fun restoreAuto() {
        Hotpath.backend = Backend.AUTO
    }

    @Test
    fun searchMatchesTheOracleForEveryMetricDimensionSizeAndK() {
        for (backend in BACKENDS) for (metric in Metric.values()) for (dim in intArrayOf(1, 3, 8, 384, 1536)) {
            for (n in intArrayOf(0, 1, 1000)) {
                val rnd = NumericInputs.random("vectors", metric, dim, n)
                val data = vectors(rnd, n, dim)
                VectorIndex.create(dim, metric, Precision.F32, backend).use { index ->
                    assertEquals(backend, index.backend())
                    assertEquals(0, index.addAll(data, n))
                    assertEquals(n, index.size())
                    val queries = vectors(rnd, 3, dim)
                    val expected = (0 until 3).map { oracle(metric, data, queries, dim, it * dim) }
                    for (k in intArrayOf(1, 10, maxOf(n, 1), n + 5)) {
                        val batch = index.searchBatch(queries, 3, k)
                        for (q in 0 until 3) assertMatches(expected[q], batch[q], k, "$backend $metric dim=$dim n=$n k=$k q=$q")
                        assertArrayEquals(batch[0].ids, index.search(queries.copyOfRange(0, dim), k).ids)
                    }
                }
            }
        }
    }

    @Test
    fun batchesOf1To257QueriesAnswerEachQueryAsASingleSearch() {
        val dim = 24
        val n = 1000
        val rnd = NumericInputs.random("batches")
        val data = vectors(rnd, n, dim)
        for (backend in BACKENDS) for (metric in Metric.values()) {
            VectorIndex.create(dim, metric, Precision.F32, backend).use { index ->
                index.addAll(data, n)
                for (count in intArrayOf(1, 2, 7, 8, 9, 64, 257)) {
                    val queries = Array(count) { vectors(rnd, 1, dim) }
                    val batch = index.searchBatch(queries, 10)
                    assertEquals(count, batch.size)
                    for (q in intArrayOf(0, count / 2, count - 1)) {
                        val alone = index.search(queries[q], 10)
                        assertArrayEquals(alone.ids, batch[q].ids, "$backend $metric count=$count q=$q")
                        assertArrayEquals(alone.scores, batch[q].scores)
                        assertMatches(oracle(metric, data, queries[q], dim), batch[q], 10, "$backend $metric count=$count q=$q")
                    }
                }
            }
        }
    }

    @Test
    fun hundredThousandVectorsMatchTheOracle() {
        val dim = 8
        val n = 100_000
        val rnd = NumericInputs.random("100k")
        val data = vectors(rnd, n, dim)
        val queries = vectors(rnd, 4, dim)
        for (metric in arrayOf(Metric.DOT, Metric.L2)) {
            val expected = (0 until 4).map { oracle(metric, data, queries, dim, it * dim) }
            for (backend in BACKENDS) {
                VectorIndex.create(dim, metric, Precision.F32, backend).use { index ->
                    index.addAll(data, n)
                    val batch = index.searchBatch(queries, 4, 10)
                    for (q in 0 until 4) assertMatches(expected[q], batch[q], 10, "$backend $metric 100k q=$q")
                }
            }
        }
    }

    @Test
    fun tiesGoToTheSmallerIdOnBothBackends() {
        for (backend in BACKENDS) {
            VectorIndex.create(2, Metric.DOT, Precision.F32, backend).use { index ->
                index.addAll(floatArrayOf(1f, 0f, 0f, 1f, 1f, 0f, 1f, 0f, -0f, 0f, 0f, 0f), 6)
                val top = index.search(floatArrayOf(1f, 0f), 6)
                assertArrayEquals(intArrayOf(0, 2, 3, 1, 4, 5), top.ids, backend.name)
            }
        }
    }

    @Test
    fun int8RecallAt10IsAtLeast95PercentAndBothBackendsAgree() {
        val dim = 128
        val n = 5000
        val rnd = NumericInputs.random("int8")
        val data = vectors(rnd, n, dim)
        val queries = vectors(rnd, 40, dim)
        for (metric in Metric.values()) {
            val exact = (0 until 40).map { oracle(metric, data, queries, dim, it * dim) }
            val results = BACKENDS.map { backend ->
                VectorIndex.create(dim, metric, Precision.INT8, backend).use { index ->
                    index.addAll(data, n)
                    assertTrue(index.memoryBytes() >= n.toLong() * dim * 5, "memoryBytes ${index.memoryBytes()}")
                    index.searchBatch(queries, 40, 10)
                }
            }
            for ((b, result) in results.withIndex()) {
                var found = 0
                for (q in 0 until 40) {
                    val want = exact[q].take(10).map { it.first }.toSet()
                    found += result[q].ids.count { it in want }
                    // Rescored: the scores are the exact ones of the returned ids.
                    val byId = exact[q].associate { it.first to it.second }
                    for (r in 0 until 10) {
                        val e = byId.getValue(result[q].id(r))
                        assertTrue(Math.abs(result[q].score(r) - e) <= 1e-5 * maxOf(1.0, Math.abs(e)), "${BACKENDS[b]} $metric")
                    }
                }
                val recall = found / 400.0
                assertTrue(recall >= 0.95, "${BACKENDS[b]} $metric recall@10 $recall")
            }
            var same = 0
            for (q in 0 until 40) same += results[0][q].ids.toSet().intersect(results[1][q].ids.toSet()).size
            assertTrue(same >= 398, "$metric: native and JVM INT8 results share $same of 400 ids")
        }
    }

    @Test
    fun saveAndLoadRoundTripAcrossBackendsWithIdenticalFiles() {
        val rnd = NumericInputs.random("save")
        val data = vectors(rnd, 300, 5)
        for (metric in Metric.values()) for (precision in Precision.values()) {
            val files = BACKENDS.map { backend ->
                val file = dir.resolve("$metric-$precision-$backend.hpv")
                VectorIndex.create(5, metric, precision, backend).use { index ->
                    index.addAll(data, 300)
                    index.save(file)
                }
                file
            }
            assertArrayEquals(Files.readAllBytes(files[0]), Files.readAllBytes(files[1]), "$metric $precision")
            assertEquals(28L + 300 * 5 * 4 + 4, Files.size(files[0]))
            val query = vectors(rnd, 1, 5)
            val answers = BACKENDS.flatMap { backend ->
                files.map { file ->
                    VectorIndex.load(file, backend).use { loaded ->
                        assertEquals(backend, loaded.backend())
                        assertEquals(300, loaded.size())
                        assertEquals(metric, loaded.metric())
                        assertEquals(precision, loaded.precision())
                        loaded.search(query, 7)
                    }
                }
            }
            val expected = oracle(metric, data, query, 5)
            for (a in answers) assertMatches(expected, a, 7, "$metric $precision loaded")
            // A loaded index saves the same bytes again, and grows like any other.
            VectorIndex.load(files[0], Backend.NATIVE).use { loaded ->
                val again = dir.resolve("again.hpv")
                loaded.save(again)
                assertArrayEquals(Files.readAllBytes(files[0]), Files.readAllBytes(again))
                assertEquals(300, loaded.add(vectors(rnd, 1, 5)))
            }
        }
    }

    @Test
    fun everyDamagedByteAndEveryTruncationOfASmallFileIsAnIOException() {
        val source = dir.resolve("small.hpv")
        VectorIndex.create(3, Metric.COSINE, Precision.INT8, Backend.NATIVE).use {
            it.addAll(floatArrayOf(1f, 2f, 3f, -1f, 0.5f, 2f, 0f, 0f, 1f, 4f, 4f, -4f), 4)
            it.save(source)
        }
        val good = Files.readAllBytes(source)
        val damaged = dir.resolve("damaged.hpv")
        for (backend in BACKENDS) {
            for (i in good.indices) for (flip in intArrayOf(0x01, 0x80, 0xFF)) {
                val bytes = good.copyOf()
                bytes[i] = (bytes[i].toInt() xor flip).toByte()
                Files.write(damaged, bytes)
                val e = assertThrows(IOException::class.java, { VectorIndex.load(damaged, backend).close() }, "$backend byte $i ^ $flip")
                assertTrue(e.message!!.contains(damaged.toString()), e.message)
            }
            for (length in 0 until good.size) {
                Files.write(damaged, good.copyOf(length))
                assertThrows(IOException::class.java, { VectorIndex.load(damaged, backend).close() }, "$backend truncated to $length")
            }
            Files.write(damaged, good + byteArrayOf(0))
            assertThrows(IOException::class.java) { VectorIndex.load(damaged, backend).close() }
            VectorIndex.load(source, backend).use { assertEquals(4, it.size()) }
        }
    }

    @Test
    fun aForgedCountIsRefusedBeforeAnythingIsAllocated() {
        val bytes = ByteBuffer.allocate(28 + 4).order(ByteOrder.LITTLE_ENDIAN)
        bytes.put("HPVECIDX".toByteArray()).putInt(1).putInt(65_536).put(0).put(0).putShort(0).putLong(Int.MAX_VALUE.toLong())
        val file = dir.resolve("forged.hpv")
        Files.write(file, bytes.array())
        for (backend in BACKENDS) {
            val e = assertThrows(IOException::class.java) { VectorIndex.load(file, backend) }
            assertTrue(e.message!!.contains("need"), e.message)
        }
        Files.write(file, "not an index at all, just some text".toByteArray())
        assertTrue(assertThrows(IOException::class.java) { VectorIndex.load(file) }.message!!.contains("magic"))
    }

    @Test
    fun badArgumentsAreIllegalArgumentExceptionsNamingTheArgument() {
        for (backend in BACKENDS) {
            assertTrue(assertThrows(IllegalArgumentException::class.java) { VectorIndex.create(0, Metric.DOT, Precision.F32, backend) }.message!!.contains("dimension"))
            VectorIndex.create(3, Metric.COSINE, Precision.F32, backend).use { index ->
                index.add(floatArrayOf(1f, 2f, 3f))
                fun message(block: () -> Unit): String = assertThrows(IllegalArgumentException::class.java) { block() }.message!!
                assertEquals("vectors: vector 0 is zero, which COSINE cannot normalise", message { index.add(floatArrayOf(0f, -0f, 0f)) }, backend.name)
                assertEquals("vectors: vector 1 has a NaN component at 2", message { index.addAll(floatArrayOf(1f, 1f, 1f, 1f, 1f, Float.NaN), 2) })
                assertEquals("vectors: vector 0 has an infinite component at 0", message { index.add(floatArrayOf(Float.NEGATIVE_INFINITY, 1f, 1f)) })
                assertEquals("vector has 2 components, expected dimension 3", message { index.add(floatArrayOf(1f, 2f)) })
                assertEquals("vectors has 5 floats, fewer than count 2 x dimension 3", message { index.addAll(FloatArray(5) { 1f }, 2) })
                assertEquals("count is -1, expected at least 0", message { index.addAll(FloatArray(3), -1) })
                assertEquals("k is 0, expected at least 1", message { index.search(floatArrayOf(1f, 2f, 3f), 0) })
                assertEquals("query has 4 components, expected dimension 3", message { index.search(FloatArray(4), 1) })
                assertEquals("queries: vector 0 is zero, which COSINE cannot normalise", message { index.search(FloatArray(3), 1) })
                assertEquals("queries: vector 1 has a NaN component at 0", message { index.searchBatch(arrayOf(floatArrayOf(1f, 1f, 1f), floatArrayOf(Float.NaN, 1f, 1f)), 1) })
                assertEquals("queries[1] has 2 components, expected dimension 3", message { index.searchBatch(arrayOf(FloatArray(3) { 1f }, FloatArray(2)), 1) })
                assertEquals("vectors has 8 remaining bytes, not a multiple of dimension 3 x 4", message { index.addAll(ByteBuffer.allocate(8)) })
                @Suppress("UNCHECKED_CAST")
                val withNull = arrayOf<FloatArray?>(FloatArray(3) { 1f }, null) as Array<FloatArray>
                assertEquals("queries[1] is null", assertThrows(NullPointerException::class.java) { index.searchBatch(withNull, 1) }.message)
                // Nothing refused was added.
                assertEquals(1, index.size())
                assertArrayEquals(intArrayOf(0), index.search(floatArrayOf(1f, 1f, 1f), 5).ids)
            }
        }
    }

    @Test
    fun buffersOfEveryKindAddLittleEndianFloatsAndKeepTheirPosition() {
        val rnd = NumericInputs.random("buffers")
        val data = vectors(rnd, 50, 6)
        val bytes = ByteBuffer.allocate(data.size * 4 + 8).order(ByteOrder.LITTLE_ENDIAN)
        bytes.putInt(0).putInt(0)
        for (x in data) bytes.putFloat(x)
        val raw = bytes.array()
        val query = vectors(rnd, 1, 6)
        for (backend in BACKENDS) {
            val expected = VectorIndex.create(6, Metric.L2, Precision.F32, backend).use { it.addAll(data, 50); it.search(query, 50) }
            val direct = ByteBuffer.allocateDirect(raw.size).order(ByteOrder.BIG_ENDIAN)
            direct.put(raw).position(8)
            val heap = ByteBuffer.wrap(raw).order(ByteOrder.BIG_ENDIAN).position(8) as ByteBuffer
            val slice = (ByteBuffer.wrap(raw).position(8) as ByteBuffer).slice()
            for (buffer in listOf(direct, heap, slice, heap.asReadOnlyBuffer(), direct.asReadOnlyBuffer())) {
                val position = buffer.position()
                VectorIndex.create(6, Metric.L2, Precision.F32, backend).use { index ->
                    assertEquals(0, index.addAll(buffer))
                    assertEquals(position, buffer.position())
                    assertEquals(50, index.size())
                    val got = index.search(query, 50)
                    assertArrayEquals(expected.ids, got.ids, "$backend $buffer")
                    assertArrayEquals(expected.scores, got.scores)
                }
            }
        }
    }

    @Test
    fun useAfterCloseIsIllegalStateAndCloseTwiceIsANoOp() {
        for (backend in BACKENDS) {
            val index = VectorIndex.create(4, Metric.DOT, Precision.INT8, backend)
            index.addAll(FloatArray(400) { it.toFloat() }, 100)
            assertTrue(index.memoryBytes() >= 100L * 4 * 5, "memoryBytes ${index.memoryBytes()}")
            index.close()
            index.close()
            for (call in listOf<() -> Any>(
                { index.size() }, { index.memoryBytes() }, { index.add(FloatArray(4)) },
                { index.search(FloatArray(4) { 1f }, 1) }, { index.save(dir.resolve("closed.hpv")) },
            )) {
                assertEquals("VectorIndex is closed", assertThrows(IllegalStateException::class.java) { call() }.message)
            }
        }
    }

    @Test
    fun closeRacingSearchesNeverCrashesAndLaterCallsThrow() {
        val rnd = NumericInputs.random("race")
        val data = vectors(rnd, 20_000, 32)
        val query = vectors(rnd, 1, 32)
        val pool = Executors.newFixedThreadPool(4)
        try {
            repeat(5) { round ->
                val index = VectorIndex.create(32, Metric.COSINE, Precision.F32, Backend.NATIVE)
                index.addAll(data, 20_000)
                val start = CountDownLatch(1)
                val answered = AtomicInteger()
                val refused = AtomicInteger()
                val futures = (0 until 4).map {
                    pool.submit {
                        start.await()
                        while (true) {
                            try {
                                assertEquals(10, index.search(query, 10).size())
                                answered.incrementAndGet()
                            } catch (e: IllegalStateException) {
                                refused.incrementAndGet()
                                break
                            }
                        }
                    }
                }
                start.countDown()
                Thread.sleep(5L * round)
                index.close()
                futures.forEach { it.get(30, TimeUnit.SECONDS) }
                assertEquals(4, refused.get())
                assertThrows(IllegalStateException::class.java) { index.search(query, 1) }
            }
        } finally {
            pool.shutdownNow()
        }
    }

    @Test
    fun concurrentSearchesWhileAddingSeeWholeAddsOnly() {
        val dim = 16
        val rnd = NumericInputs.random("concurrent")
        val data = vectors(rnd, 2000, dim)
        val query = vectors(rnd, 1, dim)
        for (backend in BACKENDS) {
            VectorIndex.create(dim, Metric.DOT, Precision.F32, backend).use { index ->
                val done = AtomicBoolean(false)
                val failures = AtomicInteger()
                val pool = Executors.newFixedThreadPool(3)
                val searches = (0 until 3).map {
                    pool.submit {
                        var last = 0
                        while (!done.get()) {
                            val top = index.search(query, 2000)
                            // Adds come 100 at a time, all or nothing.
                            if (top.size() % 100 != 0 || top.size() < last) failures.incrementAndGet()
                            if (top.ids.any { it >= top.size() }) failures.incrementAndGet()
                            last = top.size()
                        }
                    }
                }
                for (i in 0 until 20) {
                    assertEquals(i * 100, index.addAll(data.copyOfRange(i * 100 * dim, (i + 1) * 100 * dim), 100))
                }
                done.set(true)
                searches.forEach { it.get(30, TimeUnit.SECONDS) }
                pool.shutdown()
                assertEquals(0, failures.get(), backend.name)
                assertMatches(oracle(Metric.DOT, data, query, dim), index.search(query, 10), 10, "$backend after adds")
            }
        }
    }

    @Test
    fun aForgottenIndexIsFreedByTheCleaner() {
        val handle = forgottenIndexHandle()
        val size = Class.forName("dev.hotpath.internal.NativeBridge").getMethod("vectorIndexSize", java.lang.Long.TYPE)
        val deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(20)
        var freed = false
        while (!freed && System.nanoTime() < deadline) {
            System.gc()
            Thread.sleep(20)
            freed = try {
                size.invoke(null, handle)
                false
            } catch (e: java.lang.reflect.InvocationTargetException) {
                assertTrue(e.cause is IllegalStateException, "${e.cause}")
                true
            }
        }
        assertTrue(freed, "the native index $handle was not freed after its VectorIndex became unreachable")
    }

    /** A native index's handle, the index itself left unreachable. */
    private fun forgottenIndexHandle(): Long {
        val index = VectorIndex.create(4, Metric.DOT, Precision.F32, Backend.NATIVE)
        index.addAll(FloatArray(4000) { 1f }, 1000)
        val field = VectorIndex::class.java.getDeclaredField("handle")
        field.isAccessible = true
        return field.getLong(index)
    }

    @Test
    fun autoIsNativeWhenTheLibraryLoadsAndTheDefaultFollowsHotpathBackend() {
        VectorIndex.create(2, Metric.DOT).use { assertEquals(Backend.NATIVE, it.backend()) }
        Hotpath.backend = Backend.JVM
        VectorIndex.create(2, Metric.DOT).use { assertEquals(Backend.JVM, it.backend()) }
    }
}
