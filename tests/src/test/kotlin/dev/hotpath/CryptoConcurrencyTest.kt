package dev.hotpath

import dev.hotpath.CryptoInputs.bcBlake3
import dev.hotpath.CryptoInputs.jdkSha256
import dev.hotpath.CryptoInputs.naiveMerkleRoot
import dev.hotpath.CryptoInputs.randomBytes
import org.junit.jupiter.api.AfterEach
import org.junit.jupiter.api.Assertions.assertEquals
import org.junit.jupiter.api.BeforeAll
import org.junit.jupiter.api.Test
import java.nio.ByteBuffer
import java.util.Collections
import java.util.concurrent.CyclicBarrier
import java.util.concurrent.Executors
import java.util.concurrent.TimeUnit
import java.util.concurrent.atomic.AtomicBoolean

/**
 * Eight threads calling every hash kernel natively at once, on shared inputs, while another
 * thread churns garbage and asks for collections: every result must equal the oracle's,
 * computed beforehand. Work is bounded by iteration counts; nothing here measures time.
 */
class CryptoConcurrencyTest {
    companion object {
        private const val THREADS = 8
        private const val ITERATIONS = 6

        @JvmStatic
        @BeforeAll
        fun nativeLibraryIsAvailable() = NumericInputs.requireNative()
    }

    @AfterEach
    fun restoreAutoBackend() {
        Hotpath.backend = Backend.AUTO
    }

    private val long = randomBytes(CryptoInputs.BLAKE3_PIECE + 3 * 65536 + 11, "concurrent-long")
    private val batch = Array(700) { randomBytes(it * 7 % 5000, "concurrent-batch", it) }
    private val key = randomBytes(32, "concurrent-key")
    private val direct: ByteBuffer = ByteBuffer.allocateDirect(long.size).put(long).flip()

    private val blake3Long = bcBlake3(long)
    private val keyedLong = bcBlake3(long, 100, key)
    private val shaLong = jdkSha256(long)
    private val blake3Batch = batch.map { bcBlake3(it) }
    private val shaBatch = batch.map { jdkSha256(it) }
    private val root = naiveMerkleRoot(batch.toList())

    private fun check(where: String) {
        fun same(expected: ByteArray, actual: ByteArray, what: String) =
            assertEquals(CryptoInputs.hex(expected), CryptoInputs.hex(actual)) { "$where: $what" }
        same(blake3Long, Blake3.hash(long), "blake3 of a long array")
        same(blake3Long, Blake3.hash(direct), "blake3 of a direct buffer")
        same(keyedLong, Blake3.keyedHash(key, long, 100), "keyed extended blake3")
        same(shaLong, Sha256.hash(long), "sha256 of a long array")
        val b3 = Blake3.hashBatch(batch)
        val sha = Sha256.hashBatch(batch)
        for (i in batch.indices) {
            same(blake3Batch[i], b3[i], "blake3 batch element $i")
            same(shaBatch[i], sha[i], "sha256 batch element $i")
        }
        same(root, Merkle.root(batch), "merkle root")
    }

    @Test
    fun concurrentCallsOnSharedInputsAllGetTheRightDigests() {
        Hotpath.backend = Backend.NATIVE
        val failures = Collections.synchronizedList(mutableListOf<Throwable>())
        val stop = AtomicBoolean(false)
        val churn = Thread {
            var keep: Any? = null
            while (!stop.get()) {
                keep = ByteArray(1 shl 16)
                System.gc()
                Thread.sleep(5)
            }
            keep.hashCode()
        }
        churn.start()
        val barrier = CyclicBarrier(THREADS)
        val pool = Executors.newFixedThreadPool(THREADS)
        try {
            repeat(THREADS) { t ->
                pool.execute {
                    try {
                        barrier.await()
                        repeat(ITERATIONS) { i -> check("thread $t, iteration $i") }
                    } catch (e: Throwable) {
                        failures.add(e)
                    }
                }
            }
        } finally {
            pool.shutdown()
            pool.awaitTermination(10, TimeUnit.MINUTES)
            stop.set(true)
            churn.join()
        }
        if (failures.isNotEmpty()) throw AssertionError("${failures.size} failures; first:", failures[0])
    }
}
