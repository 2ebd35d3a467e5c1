package dev.hotpath

import dev.hotpath.CryptoInputs.assertBytes
import dev.hotpath.CryptoInputs.bcBlake3
import dev.hotpath.CryptoInputs.jdkSha256
import dev.hotpath.jvm.Blake3Reference
import org.junit.jupiter.api.AfterEach
import org.junit.jupiter.api.BeforeAll
import org.junit.jupiter.api.Test
import java.nio.ByteBuffer

/**
 * A 64 MiB input, which the native side hashes in 16 BLAKE3 pins of 4 MiB (64 SHA-256 pins of
 * 1 MiB), plus a ragged tail, against BouncyCastle, the JDK and the Kotlin twin. Excluded from
 * the `-Xcheck:jni` run, where every pin copies its array.
 */
class CryptoHugeInputTest {
    companion object {
        private const val SIZE = (64 shl 20) + 4097

        /** Not random (the pattern the BLAKE3 vectors use), so building it stays cheap. */
        private val INPUT = CryptoInputs.pattern(SIZE)

        @JvmStatic
        @BeforeAll
        fun nativeLibraryIsAvailable() = NumericInputs.requireNative()
    }

    @AfterEach
    fun restoreAutoBackend() {
        Hotpath.backend = Backend.AUTO
    }

    @Test
    fun blake3OfA64MiBInputEqualsBouncyCastleAndTheTwin() {
        val expected = bcBlake3(INPUT)
        assertBytes(expected, Blake3Reference.hash(INPUT)) { "twin" }
        Hotpath.backend = Backend.NATIVE
        assertBytes(expected, Blake3.hash(INPUT)) { "native array" }
        assertBytes(expected, Blake3.hashBatch(arrayOf(ByteArray(3), INPUT, ByteArray(0)))[1]) { "native batch" }
        val direct = ByteBuffer.allocateDirect(SIZE).put(INPUT).flip()
        assertBytes(expected, Blake3.hash(direct)) { "native direct buffer" }
        assertBytes(expected, Blake3.hash(ByteBuffer.wrap(INPUT).asReadOnlyBuffer())) { "native read-only heap buffer" }
    }

    @Test
    fun sha256AndMerkleOfA64MiBInputEqualTheJdk() {
        val expected = jdkSha256(INPUT)
        Hotpath.backend = Backend.NATIVE
        assertBytes(expected, Sha256.hash(INPUT)) { "native array" }
        assertBytes(expected, Sha256.hashBatch(arrayOf(INPUT, ByteArray(1)))[0]) { "native batch" }
        val leaf = jdkSha256(byteArrayOf(0), INPUT)
        val small = jdkSha256(byteArrayOf(0), byteArrayOf(1))
        assertBytes(jdkSha256(byteArrayOf(1), leaf, small), Merkle.root(arrayOf(INPUT, byteArrayOf(1)))) { "native merkle" }
    }
}
