package dev.hotpath

import dev.hotpath.internal.BridgeInUse
import dev.hotpath.internal.BufferAccess
import dev.hotpath.internal.Checks
import dev.hotpath.internal.Digests
import dev.hotpath.internal.Dispatch
import dev.hotpath.internal.NativeBridge
import dev.hotpath.internal.Threshold
import dev.hotpath.jvm.Blake3Reference
import java.nio.ByteBuffer

/**
 * BLAKE3: a 32-byte hash, its keyed mode (a MAC) and its extendable output, one input at a time
 * or in batches.
 *
 * Both backends return the same bytes (BLAKE3 is a pure function of its input): the native one is
 * the `blake3` crate with the SIMD code the CPU supports, the JVM one [Blake3Reference]. Native
 * calls pin arrays without copying them and hash inputs longer than 4 MiB one 4 MiB piece at a
 * time, so the garbage collector is never held off for long. Inputs of 128 KiB and more are
 * hashed in parallel on hotpath's pool (`hotpath.threads`), and so are batches holding at least
 * 128 KiB; smaller ones stay on the calling thread. All functions are thread-safe; an input
 * changed by another thread during a call gives some digest, never a crash.
 */
public object Blake3 {
    /** Bytes in a digest ([hash], [keyedHash], each element of [hashBatch]). */
    public const val DIGEST_LENGTH: Int = 32

    /** Bytes in a key for [keyedHash]. */
    public const val KEY_LENGTH: Int = 32

    private val HASH = Threshold("crypto.blake3.hash")
    private val HASH_XOF = Threshold("crypto.blake3.hashXof")
    private val KEYED_HASH = Threshold("crypto.blake3.keyedHash")
    private val HASH_BATCH = Threshold("crypto.blake3.hashBatch")

    /**
     * The 32-byte BLAKE3 hash of [input].
     *
     * @throws NullPointerException if [input] is null.
     * @throws NativeLoadException if the backend is [Backend.NATIVE] and the library cannot load.
     */
    @JvmStatic
    public fun hash(input: ByteArray): ByteArray {
        if (!Dispatch.useNative(HASH, input.size)) return Blake3Reference.hash(input)
        val out = ByteArray(DIGEST_LENGTH)
        val ffm = BridgeInUse.FFM
        if (ffm != null) ffm.blake3Hash(input, 0, input.size, null, out) else NativeBridge.blake3Hash(input, 0, input.size, null, out)
        return out
    }

    /**
     * The 32-byte BLAKE3 hash of the buffer's remaining bytes (`position` to `limit`). The buffer's
     * position, limit and mark are unchanged. Direct buffers are read in place (no copy); heap
     * buffers through their backing array, without copying. A read-only heap buffer hides its
     * array, so its remaining bytes are copied once before the native call.
     * A file mapping, and on JDK 22+ a buffer over a memory segment whose arena can be closed, is
     * copied to the heap first: its memory can vanish under a native read (docs/memory.md).
     *
     * @throws HotpathException if the buffer maps a file that was truncated or replaced.
     * @throws IllegalStateException if the buffer's memory segment was released (JDK 22+).
     * @throws NullPointerException if [input] is null.
     * @throws NativeLoadException if the backend is [Backend.NATIVE] and the library cannot load.
     */
    @JvmStatic
    public fun hash(input: ByteBuffer): ByteArray {
        return BufferAccess.reading(input, "input") { source ->
            val position = source.position()
            val length = source.remaining()
            if (!Dispatch.useNative(HASH, length)) return Blake3Reference.hash(source)
            val out = ByteArray(DIGEST_LENGTH)
            val ffm = BridgeInUse.FFM
            if (ffm != null) {
                when {
                    source.isDirect -> ffm.blake3HashDirect(source, position, length, out)
                    source.hasArray() -> ffm.blake3Hash(source.array(), source.arrayOffset() + position, length, null, out)
                    else -> {
                        val copy = ByteArray(length)
                        source.duplicate().get(copy)
                        ffm.blake3Hash(copy, 0, length, null, out)
                    }
                }
                return out
            }
            when {
                source.isDirect -> NativeBridge.blake3HashDirect(source, position, length, out)
                source.hasArray() -> NativeBridge.blake3Hash(source.array(), source.arrayOffset() + position, length, null, out)
                else -> {
                    val copy = ByteArray(length)
                    source.duplicate().get(copy)
                    NativeBridge.blake3Hash(copy, 0, length, null, out)
                }
            }
            return out
        }
    }

    /**
     * The first [outputLength] bytes of BLAKE3's extendable output (XOF) for [input]. Its first 32
     * bytes are [hash] of [input]; a shorter output is a prefix of a longer one. An [outputLength]
     * of 0 gives an empty array.
     *
     * @throws NullPointerException if [input] is null.
     * @throws IllegalArgumentException if [outputLength] is negative.
     * @throws NativeLoadException if the backend is [Backend.NATIVE] and the library cannot load.
     */
    @JvmStatic
    public fun hash(input: ByteArray, outputLength: Int): ByteArray {
        Checks.outputLength(outputLength)
        if (!Dispatch.useNative(HASH_XOF, work(input.size, outputLength))) return Blake3Reference.hash(input, outputLength)
        val out = ByteArray(outputLength)
        val ffm = BridgeInUse.FFM
        if (ffm != null) ffm.blake3Hash(input, 0, input.size, null, out) else NativeBridge.blake3Hash(input, 0, input.size, null, out)
        return out
    }

    /**
     * The 32-byte keyed BLAKE3 hash of [input] under [key]: BLAKE3's MAC (and PRF) mode. Keep the
     * key secret and random.
     *
     * @throws NullPointerException if [key] or [input] is null.
     * @throws IllegalArgumentException if [key] does not have [KEY_LENGTH] (32) bytes.
     * @throws NativeLoadException if the backend is [Backend.NATIVE] and the library cannot load.
     */
    @JvmStatic
    public fun keyedHash(key: ByteArray, input: ByteArray): ByteArray = keyedHash(key, input, DIGEST_LENGTH)

    /**
     * The first [outputLength] bytes of the keyed BLAKE3 extendable output of [input] under [key];
     * its first 32 bytes are [keyedHash] of the same arguments.
     *
     * @throws NullPointerException if [key] or [input] is null.
     * @throws IllegalArgumentException if [key] does not have [KEY_LENGTH] (32) bytes, or
     *   [outputLength] is negative.
     * @throws NativeLoadException if the backend is [Backend.NATIVE] and the library cannot load.
     */
    @JvmStatic
    public fun keyedHash(key: ByteArray, input: ByteArray, outputLength: Int): ByteArray {
        Checks.key(key)
        Checks.outputLength(outputLength)
        if (!Dispatch.useNative(KEYED_HASH, work(input.size, outputLength))) {
            return Blake3Reference.keyedHash(key, input, outputLength)
        }
        val out = ByteArray(outputLength)
        val ffm = BridgeInUse.FFM
        if (ffm != null) ffm.blake3Hash(input, 0, input.size, key, out) else NativeBridge.blake3Hash(input, 0, input.size, key, out)
        return out
    }

    /**
     * The 32-byte BLAKE3 hash of every input, in order: `hashBatch(inputs)[i]` equals
     * `hash(inputs[i])`. Natively, the inputs are hashed in parallel on hotpath's pool when the
     * batch holds at least 128 KiB. An empty batch gives an empty array.
     *
     * @throws NullPointerException if [inputs] or any of its elements is null; the message names
     *   the index (`inputs[3] is null`).
     * @throws NativeLoadException if the backend is [Backend.NATIVE] and the library cannot load.
     */
    @JvmStatic
    public fun hashBatch(inputs: Array<ByteArray>): Array<ByteArray> {
        val work = Checks.batchWork(inputs, "inputs")
        if (!Dispatch.useNative(HASH_BATCH, work)) return Blake3Reference.hashBatch(inputs)
        return Digests.ofBatch(inputs.size) { from, to, flat -> NativeBridge.blake3HashBatch(inputs, from, to, flat) }
    }

    /** Bytes read plus bytes written, capped at [Int.MAX_VALUE]. */
    private fun work(inputLength: Int, outputLength: Int): Int =
        minOf(inputLength.toLong() + outputLength, Int.MAX_VALUE.toLong()).toInt()
}
