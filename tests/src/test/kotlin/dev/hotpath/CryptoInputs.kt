package dev.hotpath

import org.bouncycastle.crypto.digests.Blake3Digest
import org.bouncycastle.crypto.digests.SHA256Digest
import org.bouncycastle.crypto.params.Blake3Parameters
import org.junit.jupiter.api.Assertions.assertArrayEquals
import java.security.MessageDigest

/**
 * Inputs and independent oracles shared by the hash suites: BouncyCastle's BLAKE3 and SHA-256,
 * the JDK's SHA-256, and a deliberately naive RFC 6962 Merkle tree hash. Random inputs use
 * [NumericInputs]' seed, which every failure message carries.
 */
object CryptoInputs {
    /** Bytes per native pin of a long BLAKE3 input (`rust/jni/src/crypto.rs`, `BLAKE3_PIECE`). */
    const val BLAKE3_PIECE: Int = 4 shl 20

    /** Bytes per native pin of a long SHA-256 input or Merkle leaf (`SHA256_PIECE`). */
    const val SHA256_PIECE: Int = 1 shl 20

    /** Inputs per pinned group of a batch (`GROUP_INPUTS`). */
    const val GROUP_INPUTS: Int = 1024

    /** Around BLAKE3's block (64) and chunk (1024) sizes, the parallel threshold (128 KiB) and both pin sizes. */
    val SIZES: IntArray = intArrayOf(
        0, 1, 2, 31, 32, 33, 55, 56, 63, 64, 65, 127, 128, 1000, 1023, 1024, 1025, 2047, 2048, 2049,
        3073, 4096, 16385, 65536, 131071, 131072, 131073, 1_000_003,
        SHA256_PIECE - 1, SHA256_PIECE, SHA256_PIECE + 1, BLAKE3_PIECE + 1, 2 * BLAKE3_PIECE + 4097,
    )

    /** The vectors' input: the byte pattern `i % 251`. */
    fun pattern(length: Int): ByteArray = ByteArray(length) { (it % 251).toByte() }

    fun randomBytes(length: Int, vararg seedParts: Any): ByteArray {
        val bytes = ByteArray(length)
        val rnd = NumericInputs.random(*seedParts)
        var i = 0
        while (i < length) {
            var word = rnd.nextLong()
            val end = minOf(length, i + 8)
            while (i < end) {
                bytes[i++] = word.toByte()
                word = word ushr 8
            }
        }
        return bytes
    }

    fun hex(bytes: ByteArray): String = bytes.joinToString("") { "%02x".format(it) }

    fun unhex(s: String): ByteArray = ByteArray(s.length / 2) { s.substring(2 * it, 2 * it + 2).toInt(16).toByte() }

    /** BouncyCastle's BLAKE3 output of [outputLength] bytes, keyed when [key] is given. */
    fun bcBlake3(input: ByteArray, outputLength: Int = 32, key: ByteArray? = null): ByteArray {
        val digest = Blake3Digest()
        if (key != null) digest.init(Blake3Parameters.key(key))
        digest.update(input, 0, input.size)
        val out = ByteArray(outputLength)
        digest.doFinal(out, 0, outputLength)
        return out
    }

    fun bcSha256(input: ByteArray): ByteArray {
        val digest = SHA256Digest()
        digest.update(input, 0, input.size)
        val out = ByteArray(32)
        digest.doFinal(out, 0)
        return out
    }

    fun jdkSha256(vararg parts: ByteArray): ByteArray {
        val digest = MessageDigest.getInstance("SHA-256")
        for (p in parts) digest.update(p)
        return digest.digest()
    }

    /** RFC 6962's MTH, transcribed literally: lists copied at every level, a fresh digest per node. */
    fun naiveMerkleRoot(leaves: List<ByteArray>): ByteArray {
        if (leaves.isEmpty()) return jdkSha256()
        if (leaves.size == 1) return jdkSha256(byteArrayOf(0), leaves[0])
        var k = 1
        while (k * 2 < leaves.size) k *= 2
        val left = naiveMerkleRoot(leaves.subList(0, k).toList())
        val right = naiveMerkleRoot(leaves.subList(k, leaves.size).toList())
        return jdkSha256(byteArrayOf(1), left, right)
    }

    fun assertBytes(expected: ByteArray, actual: ByteArray, context: () -> String) {
        assertArrayEquals(expected, actual) { "${context()}; ${NumericInputs.seedNote}" }
    }

    fun assertBatch(expected: List<ByteArray>, actual: Array<ByteArray>, context: () -> String) {
        kotlin.test.assertEquals(expected.size, actual.size, "${context()}: batch size")
        for (i in expected.indices) assertBytes(expected[i], actual[i]) { "${context()}: element $i" }
    }

    /** A batch with empty inputs, more inputs than one pinned group and inputs longer than both pins. */
    fun mixedBatch(seed: String): Array<ByteArray> {
        val rnd = NumericInputs.random(seed, "sizes")
        val sizes = MutableList(3000) { if (rnd.nextInt(10) == 0) 0 else rnd.nextInt(3000) }
        sizes[7] = BLAKE3_PIECE + 5
        sizes[1500] = SHA256_PIECE + 1
        sizes[1501] = SHA256_PIECE
        sizes[2999] = 2 * SHA256_PIECE
        return Array(sizes.size) { randomBytes(sizes[it], seed, it) }
    }
}
