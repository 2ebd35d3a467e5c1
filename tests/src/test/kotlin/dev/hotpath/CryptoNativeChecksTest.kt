package dev.hotpath

import org.junit.jupiter.api.Assertions.assertArrayEquals
import org.junit.jupiter.api.Assertions.assertEquals
import org.junit.jupiter.api.Assertions.assertInstanceOf
import org.junit.jupiter.api.BeforeAll
import org.junit.jupiter.api.Test
import java.lang.reflect.InvocationTargetException
import java.nio.ByteBuffer

/**
 * The native entry points validate their arguments again rather than trusting the Kotlin
 * layer: called directly (through reflection, as nothing public reaches them unchecked), bad
 * arguments become the standard exceptions, never a crash, and the library keeps working.
 */
class CryptoNativeChecksTest {
    companion object {
        private val BRIDGE: Class<*> by lazy { Class.forName("dev.hotpath.internal.NativeBridge") }

        @JvmStatic
        @BeforeAll
        fun nativeLibraryIsAvailable() = NumericInputs.requireNative()
    }

    private fun failure(name: String, vararg args: Any?): Throwable {
        val method = BRIDGE.methods.single { it.name == name }
        val e = kotlin.runCatching { method.invoke(null, *args) }.exceptionOrNull()
        return assertInstanceOf(InvocationTargetException::class.java, e) { "$name did not throw" }.targetException
    }

    @Test
    fun nullElementsOfBatchesAreRejectedNamingTheIndex() {
        val inputs = arrayOf<ByteArray?>(ByteArray(3), ByteArray(0), null)
        for (name in listOf("blake3HashBatch", "sha256HashBatch")) {
            val e = failure(name, inputs, 0, 3, ByteArray(3 * 32))
            assertInstanceOf(NullPointerException::class.java, e)
            assertEquals("inputs[2] is null", e.message)
        }
        val e = failure("merkleRoot", inputs, ByteArray(32))
        assertInstanceOf(NullPointerException::class.java, e)
        assertEquals("leaves[2] is null", e.message)
    }

    @Test
    fun wrongKeysOutputsAndRangesAreRejected() {
        val key = failure("blake3Hash", ByteArray(10), 0, 10, ByteArray(31), ByteArray(32))
        assertInstanceOf(IllegalArgumentException::class.java, key)
        assertEquals("key has 31 bytes, expected 32", key.message)
        assertInstanceOf(IndexOutOfBoundsException::class.java, failure("blake3Hash", ByteArray(10), 5, 6, null, ByteArray(32)))
        assertInstanceOf(IndexOutOfBoundsException::class.java, failure("blake3Hash", ByteArray(10), -1, 2, null, ByteArray(32)))
        assertInstanceOf(IndexOutOfBoundsException::class.java, failure("blake3Hash", ByteArray(10), Int.MAX_VALUE, 1, null, ByteArray(32)))
        assertInstanceOf(NullPointerException::class.java, failure("blake3Hash", null, 0, 0, null, ByteArray(32)))
        assertInstanceOf(NullPointerException::class.java, failure("sha256Hash", ByteArray(1), null))
        assertInstanceOf(IllegalArgumentException::class.java, failure("sha256Hash", ByteArray(1), ByteArray(31)))
        for (name in listOf("blake3HashBatch", "sha256HashBatch")) {
            val slots = failure(name, arrayOf(ByteArray(1)), 0, 1, ByteArray(2 * 32))
            assertInstanceOf(IllegalArgumentException::class.java, slots)
            assertEquals("out has 64 bytes for 1 inputs, expected 32 per input", slots.message)
            assertInstanceOf(IndexOutOfBoundsException::class.java, failure(name, arrayOf(ByteArray(1)), 0, 2, ByteArray(2 * 32)))
            assertInstanceOf(IndexOutOfBoundsException::class.java, failure(name, arrayOf(ByteArray(1)), 1, 0, ByteArray(0)))
            assertInstanceOf(NullPointerException::class.java, failure(name, arrayOf(ByteArray(1)), 0, 1, null))
        }
        assertInstanceOf(IllegalArgumentException::class.java, failure("blake3HashDirect", ByteBuffer.allocate(8), 0, 8, ByteArray(32)))
        assertInstanceOf(IndexOutOfBoundsException::class.java, failure("blake3HashDirect", ByteBuffer.allocateDirect(8), 4, 5, ByteArray(32)))
        // Still working afterwards.
        Hotpath.backend = Backend.NATIVE
        try {
            assertArrayEquals(CryptoInputs.bcBlake3(ByteArray(10)), Blake3.hash(ByteArray(10)))
        } finally {
            Hotpath.backend = Backend.AUTO
        }
    }
}
