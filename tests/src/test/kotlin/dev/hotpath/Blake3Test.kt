package dev.hotpath

import dev.hotpath.CryptoInputs.assertBatch
import dev.hotpath.CryptoInputs.assertBytes
import dev.hotpath.CryptoInputs.bcBlake3
import dev.hotpath.CryptoInputs.hex
import dev.hotpath.CryptoInputs.pattern
import dev.hotpath.CryptoInputs.randomBytes
import dev.hotpath.CryptoInputs.unhex
import dev.hotpath.NumericInputs.onEveryBackend
import dev.hotpath.jvm.Blake3Reference
import org.junit.jupiter.api.AfterEach
import org.junit.jupiter.api.Assertions.assertEquals
import org.junit.jupiter.api.Assertions.assertThrows
import org.junit.jupiter.api.BeforeAll
import org.junit.jupiter.api.Test
import org.junit.jupiter.params.ParameterizedTest
import org.junit.jupiter.params.provider.MethodSource
import java.nio.ByteBuffer

/**
 * BLAKE3 through the public API on every backend: the published test vectors (hash and keyed
 * hash, with their extended outputs), BouncyCastle's Blake3Digest on random inputs around every
 * block, chunk, parallel and pin boundary, every kind of ByteBuffer, and batches.
 */
class Blake3Test {
    /** One case of BLAKE3's test_vectors.json. */
    class Vector(val inputLength: Int, val hash: String, val keyedHash: String) {
        override fun toString(): String = "input_len $inputLength"
    }

    companion object {
        private val JSON: String = Blake3Test::class.java.getResource("/vectors/blake3_test_vectors.json")!!.readText()

        /** The vectors' key, "whats the Elvish word for friend". */
        val KEY: ByteArray = Regex(""""key": "([^"]*)"""").find(JSON)!!.groupValues[1].toByteArray(Charsets.US_ASCII)

        @JvmStatic
        fun vectors(): List<Vector> {
            val lengths = Regex(""""input_len": (\d+)""").findAll(JSON).map { it.groupValues[1].toInt() }.toList()
            val hashes = Regex(""""hash": "([0-9a-f]+)"""").findAll(JSON).map { it.groupValues[1] }.toList()
            val keyed = Regex(""""keyed_hash": "([0-9a-f]+)"""").findAll(JSON).map { it.groupValues[1] }.toList()
            check(lengths.size == 35 && hashes.size == 35 && keyed.size == 35) { "unexpected vector file" }
            return lengths.indices.map { Vector(lengths[it], hashes[it], keyed[it]) }
        }

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

    @ParameterizedTest(name = "{0}")
    @MethodSource("vectors")
    fun hashAndKeyedHashMatchThePublishedVectorsWithExtendedOutput(v: Vector) {
        assertEquals("whats the Elvish word for friend", String(KEY, Charsets.US_ASCII))
        val input = pattern(v.inputLength)
        val full = unhex(v.hash).size
        onEveryBackend { b ->
            assertEquals(v.hash.substring(0, 64), hex(Blake3.hash(input))) { "$b: hash" }
            assertEquals(v.hash, hex(Blake3.hash(input, full))) { "$b: extended hash" }
            assertEquals(v.keyedHash.substring(0, 64), hex(Blake3.keyedHash(KEY, input))) { "$b: keyed hash" }
            assertEquals(v.keyedHash, hex(Blake3.keyedHash(KEY, input, full))) { "$b: extended keyed hash" }
            assertEquals(v.hash.substring(0, 64), hex(Blake3.hash(ByteBuffer.wrap(input)))) { "$b: hash of a buffer" }
            assertEquals(v.hash.substring(0, 64), hex(Blake3.hashBatch(arrayOf(input))[0])) { "$b: batch of one" }
        }
    }

    @ParameterizedTest(name = "{0} bytes")
    @MethodSource("sizes")
    fun hashEqualsBouncyCastleOnEveryBackend(size: Int) {
        val input = randomBytes(size, "blake3", size)
        val expected = bcBlake3(input)
        onEveryBackend { b -> assertBytes(expected, Blake3.hash(input)) { "$b, $size bytes" } }
        assertBytes(expected, Blake3Reference.hash(input)) { "twin, $size bytes" }
    }

    @ParameterizedTest(name = "{0} bytes")
    @MethodSource("sizes")
    fun keyedHashAndExtendedOutputEqualBouncyCastle(size: Int) {
        val input = randomBytes(size, "blake3-keyed", size)
        val key = randomBytes(32, "blake3-key", size)
        val outputLength = 1 + size % 3000
        val keyed = bcBlake3(input, key = key)
        val xof = bcBlake3(input, outputLength)
        val keyedXof = bcBlake3(input, outputLength, key)
        onEveryBackend { b ->
            assertBytes(keyed, Blake3.keyedHash(key, input)) { "$b, keyed, $size bytes" }
            assertBytes(xof, Blake3.hash(input, outputLength)) { "$b, $outputLength output bytes of $size" }
            assertBytes(keyedXof, Blake3.keyedHash(key, input, outputLength)) { "$b, keyed, $outputLength output bytes of $size" }
        }
    }

    @Test
    fun extendedOutputIsAPrefixFamilyStartingWithTheHash() {
        val input = randomBytes(5000, "xof-prefix")
        val longest = bcBlake3(input, 3 * (1 shl 20) + 17)
        onEveryBackend { b ->
            for (n in intArrayOf(0, 1, 31, 32, 33, 64, 65, 1000, (1 shl 20) + 1, longest.size)) {
                assertBytes(longest.copyOf(n), Blake3.hash(input, n)) { "$b, $n bytes" }
            }
            assertBytes(longest.copyOf(32), Blake3.hash(input)) { "$b, default length" }
        }
    }

    @ParameterizedTest(name = "{0} bytes")
    @MethodSource("sizes")
    fun everyKindOfBufferHashesItsRemainingBytesAndKeepsItsPosition(size: Int) {
        val data = randomBytes(size + 20, "buffer", size)
        val expected = bcBlake3(data.copyOfRange(7, 7 + size))
        fun direct(): ByteBuffer = ByteBuffer.allocateDirect(data.size).put(data).clear()
        val buffers = mapOf(
            "heap" to { ByteBuffer.wrap(data) },
            "direct" to { direct() },
            "read-only heap" to { ByteBuffer.wrap(data).asReadOnlyBuffer() },
            "read-only direct" to { direct().asReadOnlyBuffer() },
            "sliced heap" to { ByteBuffer.wrap(data, 3, data.size - 3).slice() },
            "sliced direct" to { direct().position(3).slice() },
        )
        onEveryBackend { b ->
            for ((kind, make) in buffers) {
                val buffer = make()
                val offset = if (kind.startsWith("sliced")) 4 else 7
                buffer.position(offset).limit(offset + size)
                buffer.mark()
                assertBytes(expected, Blake3.hash(buffer)) { "$b, $kind buffer, $size bytes" }
                assertEquals(offset, buffer.position()) { "$b, $kind: position moved" }
                assertEquals(offset + size, buffer.limit()) { "$b, $kind: limit moved" }
                buffer.position(buffer.limit()).reset()
                assertEquals(offset, buffer.position()) { "$b, $kind: mark lost" }
            }
        }
    }

    @Test
    fun batchesEqualOneHashPerInput() {
        val batches = listOf(
            emptyArray(),
            arrayOf(ByteArray(0)),
            Array(5000) { ByteArray(0) },
            Array(1000) { randomBytes(1024, "batch-1k", it) },
            CryptoInputs.mixedBatch("blake3-mixed"),
        )
        for (batch in batches) {
            val expected = batch.map { bcBlake3(it) }
            onEveryBackend { b -> assertBatch(expected, Blake3.hashBatch(batch)) { "$b, batch of ${batch.size}" } }
        }
    }

    @Test
    fun aBatchDoesNotAliasItsInputsOrItsResults() {
        val input = randomBytes(100, "alias")
        onEveryBackend { b ->
            val batch = arrayOf(input, input, input)
            val out = Blake3.hashBatch(batch)
            assertEquals(3, out.size)
            out[0][0] = (out[0][0] + 1).toByte()
            assertBytes(bcBlake3(input), out[1]) { "$b: results share storage" }
            assertBytes(randomBytes(100, "alias"), input) { "$b: input changed" }
        }
    }

    @Test
    fun keysOfTheWrongLengthAreRejectedNamingTheLength() {
        onEveryBackend { b ->
            for (n in intArrayOf(0, 31, 33, 64)) {
                val e = assertThrows(IllegalArgumentException::class.java) { Blake3.keyedHash(ByteArray(n), ByteArray(10)) }
                assertEquals("key has $n bytes, expected 32", e.message) { "$b" }
                assertThrows(IllegalArgumentException::class.java) { Blake3.keyedHash(ByteArray(n), ByteArray(10), 64) }
            }
        }
    }

    @Test
    fun negativeOutputLengthIsRejectedNamingTheValue() {
        onEveryBackend { b ->
            for (n in intArrayOf(-1, Int.MIN_VALUE)) {
                val e = assertThrows(IllegalArgumentException::class.java) { Blake3.hash(ByteArray(10), n) }
                assertEquals("outputLength $n < 0", e.message) { "$b" }
                val k = assertThrows(IllegalArgumentException::class.java) { Blake3.keyedHash(ByteArray(32), ByteArray(10), n) }
                assertEquals("outputLength $n < 0", k.message) { "$b" }
            }
            assertEquals(0, Blake3.hash(ByteArray(10), 0).size)
        }
    }

    @Test
    fun aBatchLongerThanOneNativeCallKeepsItsOrder() {
        // The native side hashes at most 65,536 inputs per call into one flat array: this batch
        // takes three calls, the last one partial, and every digest must land at its own index.
        val batch = Array(2 * 65_536 + 3) { i -> byteArrayOf(i.toByte(), (i shr 8).toByte(), (i shr 16).toByte()) }
        val expected = batch.map { bcBlake3(it) }
        onEveryBackend { b -> assertBatch(expected, Blake3.hashBatch(batch)) { "$b, batch of ${batch.size}" } }
    }

    @Test
    fun aNullElementOfABatchIsRejectedNamingItsIndex() {
        val batch = Array<ByteArray?>(10) { ByteArray(it) }
        batch[3] = null
        @Suppress("UNCHECKED_CAST")
        val inputs = batch as Array<ByteArray>
        onEveryBackend { b ->
            val e = assertThrows(NullPointerException::class.java) { Blake3.hashBatch(inputs) }
            assertEquals("inputs[3] is null", e.message) { "$b" }
        }
    }
}
