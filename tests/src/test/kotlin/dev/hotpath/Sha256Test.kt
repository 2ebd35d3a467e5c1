package dev.hotpath

import dev.hotpath.CryptoInputs.assertBatch
import dev.hotpath.CryptoInputs.assertBytes
import dev.hotpath.CryptoInputs.bcSha256
import dev.hotpath.CryptoInputs.hex
import dev.hotpath.CryptoInputs.jdkSha256
import dev.hotpath.CryptoInputs.randomBytes
import dev.hotpath.NumericInputs.onEveryBackend
import org.junit.jupiter.api.AfterEach
import org.junit.jupiter.api.Assertions.assertEquals
import org.junit.jupiter.api.Assertions.assertThrows
import org.junit.jupiter.api.BeforeAll
import org.junit.jupiter.api.Test
import org.junit.jupiter.params.ParameterizedTest
import org.junit.jupiter.params.provider.MethodSource

/**
 * SHA-256 through the public API on every backend: NIST's examples (FIPS 180-2 appendix B),
 * the JDK and BouncyCastle on random inputs around the block and pin boundaries, and batches.
 */
class Sha256Test {
    companion object {
        @JvmStatic
        fun sizes(): List<Int> = CryptoInputs.SIZES.toList()

        @JvmStatic
        @BeforeAll
        fun nativeLibraryIsAvailable() = NumericInputs.requireNative()
    }

    @AfterEach
    fun restoreAutoBackend() {
        Hotpath.backend = Backend.AUTO
    }

    @Test
    fun nistExamplesHashToThePublishedDigests() {
        val cases = listOf(
            "" to "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855",
            "abc" to "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad",
            "abcdbcdecdefdefgefghfghighijhijkijkljklmklmnlmnomnopnopq" to
                "248d6a61d20638b8e5c026930c3e6039a33ce45964ff2167f6ecedd419db06c1",
            "a".repeat(1_000_000) to "cdc76e5c9914fb9281a1c7e284d73e67f1809a48a497200e046d39ccc7112cd0",
        )
        onEveryBackend { b ->
            for ((message, digest) in cases) {
                val input = message.toByteArray(Charsets.US_ASCII)
                assertEquals(digest, hex(Sha256.hash(input))) { "$b, ${input.size} bytes" }
                assertEquals(digest, hex(Sha256.hashBatch(arrayOf(input, input))[1])) { "$b, batch, ${input.size} bytes" }
            }
        }
    }

    @ParameterizedTest(name = "{0} bytes")
    @MethodSource("sizes")
    fun hashEqualsTheJdkAndBouncyCastleOnEveryBackend(size: Int) {
        val input = randomBytes(size, "sha256", size)
        val expected = jdkSha256(input)
        assertBytes(expected, bcSha256(input)) { "BouncyCastle vs JDK, $size bytes" }
        onEveryBackend { b -> assertBytes(expected, Sha256.hash(input)) { "$b, $size bytes" } }
    }

    @Test
    fun batchesEqualOneHashPerInput() {
        val batches = listOf(
            emptyArray(),
            arrayOf(ByteArray(0)),
            Array(5000) { ByteArray(0) },
            Array(1000) { randomBytes(1024, "sha-batch-1k", it) },
            CryptoInputs.mixedBatch("sha256-mixed"),
        )
        for (batch in batches) {
            val expected = batch.map { bcSha256(it) }
            onEveryBackend { b -> assertBatch(expected, Sha256.hashBatch(batch)) { "$b, batch of ${batch.size}" } }
        }
    }

    @Test
    fun aBatchOfEveryLengthAcrossTheBlockAndPaddingBoundariesEqualsBouncyCastle() {
        // Natively, batches go through a multi-buffer hasher that steps 4 to 16 inputs through the
        // rounds together: every length from 0 to 2100 bytes, in an order that puts different
        // lengths side by side in the lanes, in a batch large enough to be shared with the pool.
        // 977 is prime to 2101, so this visits every length once, neighbours far apart.
        val batch = Array(2101) { randomBytes((it * 977) % 2101, "sha-every-length", it) }
        val expected = batch.map { bcSha256(it) }
        onEveryBackend { b -> assertBatch(expected, Sha256.hashBatch(batch)) { "$b, lengths 0 to 2100" } }
    }

    @Test
    fun aBatchLongerThanOneNativeCallKeepsItsOrder() {
        // The native side hashes at most 65,536 inputs per call into one flat array: this batch
        // takes three calls, the last one partial, and every digest must land at its own index.
        val batch = Array(2 * 65_536 + 3) { i -> byteArrayOf(i.toByte(), (i shr 8).toByte(), (i shr 16).toByte()) }
        val expected = batch.map { bcSha256(it) }
        onEveryBackend { b -> assertBatch(expected, Sha256.hashBatch(batch)) { "$b, batch of ${batch.size}" } }
    }

    @Test
    fun aNullElementOfABatchIsRejectedNamingItsIndex() {
        val batch = Array<ByteArray?>(2000) { ByteArray(1) }
        batch[1999] = null
        @Suppress("UNCHECKED_CAST")
        val inputs = batch as Array<ByteArray>
        onEveryBackend { b ->
            val e = assertThrows(NullPointerException::class.java) { Sha256.hashBatch(inputs) }
            assertEquals("inputs[1999] is null", e.message) { "$b" }
        }
    }
}
