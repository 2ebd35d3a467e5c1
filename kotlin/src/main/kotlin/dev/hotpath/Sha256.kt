package dev.hotpath

import dev.hotpath.internal.BridgeInUse
import dev.hotpath.internal.Checks
import dev.hotpath.internal.Digests
import dev.hotpath.internal.Dispatch
import dev.hotpath.internal.NativeBridge
import dev.hotpath.internal.Threshold
import dev.hotpath.jvm.Sha256Reference

/**
 * SHA-256 (FIPS 180-4), one input at a time or in batches.
 *
 * Both backends return the same bytes. The JDK already hashes one message with the SHA-NI
 * instructions, as fast as native code, so [Backend.AUTO] keeps [hash] on the JVM
 * ([Sha256Reference]); what native code adds is [hashBatch]: several inputs at a time through
 * the SHA rounds (multi-buffer, about 1.5-2x one-at-a-time per core), shared between the calling
 * thread and hotpath's pool (`hotpath.threads`) for batches holding at least 128 KiB. Native
 * calls pin arrays without copying them and hash inputs longer than 1 MiB one 1 MiB piece at a
 * time, so the garbage collector is never held off for long. All functions are thread-safe.
 */
public object Sha256 {
    /** Bytes in a digest. */
    public const val DIGEST_LENGTH: Int = 32

    private val HASH = Threshold("crypto.sha256.hash")
    private val HASH_BATCH = Threshold("crypto.sha256.hashBatch")

    /**
     * The SHA-256 digest (32 bytes) of [input].
     *
     * @throws NullPointerException if [input] is null.
     * @throws NativeLoadException if the backend is [Backend.NATIVE] and the library cannot load.
     */
    @JvmStatic
    public fun hash(input: ByteArray): ByteArray {
        if (!Dispatch.useNative(HASH, input.size)) return Sha256Reference.hash(input)
        val out = ByteArray(DIGEST_LENGTH)
        val ffm = BridgeInUse.FFM
        if (ffm != null) ffm.sha256Hash(input, out) else NativeBridge.sha256Hash(input, out)
        return out
    }

    /**
     * The SHA-256 digest of every input, in order: `hashBatch(inputs)[i]` equals `hash(inputs[i])`.
     * Natively, the inputs are hashed in parallel on hotpath's pool when the batch holds at least
     * 128 KiB. An empty batch gives an empty array.
     *
     * @throws NullPointerException if [inputs] or any of its elements is null; the message names
     *   the index (`inputs[3] is null`).
     * @throws NativeLoadException if the backend is [Backend.NATIVE] and the library cannot load.
     */
    @JvmStatic
    public fun hashBatch(inputs: Array<ByteArray>): Array<ByteArray> {
        val work = Checks.batchWork(inputs, "inputs")
        if (!Dispatch.useNative(HASH_BATCH, work)) return Sha256Reference.hashBatch(inputs)
        return Digests.ofBatch(inputs.size) { from, to, flat -> NativeBridge.sha256HashBatch(inputs, from, to, flat) }
    }
}
