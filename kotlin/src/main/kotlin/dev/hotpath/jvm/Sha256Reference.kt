package dev.hotpath.jvm

import dev.hotpath.internal.Checks
import java.security.MessageDigest

/**
 * The JVM twin of `dev.hotpath.Sha256`: the JDK's own `MessageDigest.getInstance("SHA-256")`,
 * which HotSpot runs with the SHA-NI instructions where the CPU has them. It is the test oracle
 * for the native kernels, the baseline of the benchmarks, and the backend that
 * [dev.hotpath.Backend.JVM] (and [dev.hotpath.Backend.AUTO] below its threshold or without native
 * code) runs. All methods are stateless and thread-safe (one digest object per thread).
 */
public object Sha256Reference {
    private val DIGESTS: ThreadLocal<MessageDigest> = ThreadLocal.withInitial { MessageDigest.getInstance("SHA-256") }

    /**
     * The SHA-256 digest (32 bytes) of [input].
     *
     * @throws NullPointerException if [input] is null.
     */
    @JvmStatic
    public fun hash(input: ByteArray): ByteArray {
        val digest = DIGESTS.get()
        digest.reset()
        return digest.digest(input)
    }

    /**
     * [hash] of every input, in order, one after the other on the calling thread.
     *
     * @throws NullPointerException if [inputs] or any of its elements is null (the message names the index).
     */
    @JvmStatic
    public fun hashBatch(inputs: Array<ByteArray>): Array<ByteArray> {
        Checks.batchWork(inputs, "inputs")
        return Array(inputs.size) { hash(inputs[it]) }
    }
}
