package dev.hotpath.internal

import java.nio.ByteBuffer

/**
 * The FFM bridge (`java.lang.foreign`, JDK 22 and newer) as the rest of the library sees it:
 * the same kernels as [NativeBridge], reached through downcalls to the C ABI of
 * `rust/jni/src/ffm.rs` in the same library. Not public API; callers validate arguments first,
 * as for [NativeBridge], and every method throws what its [NativeBridge] twin throws, with the
 * same message.
 *
 * Its one implementation, `dev.hotpath.internal.ffm.FfmDowncalls`, is compiled for JDK 22 into
 * the jar's `META-INF/versions/22/`, so JDK 11-21 never see it; [Bridge] loads it by name only
 * when it may be selected. It reads heap arrays in place (critical downcalls, in pieces of at
 * most `SEGMENT` elements so the collector is never held off for long) and direct buffers by
 * address.
 *
 * Through it: Numeric, the one-input hashes (BLAKE3, SHA-256) and single Ed25519 operations.
 * Batches (`byte[][]` is not one memory segment), Merkle roots, Ledger, Csv and Vectors still
 * go through [NativeBridge] when this bridge is selected.
 */
internal interface FfmBridge {
    /** Null when native access is enabled for hotpath's module, else why not and how to enable it. */
    fun nativeAccessProblem(): String?

    /** Null when the loaded library exports this bridge's entry points, else what is missing. */
    fun bindProblem(): String?

    /** Builds one downcall handle now, so a JVM that refuses restricted methods fails at load, not at the first kernel. */
    fun probe()

    /** As [NativeBridge.noop]: the same error/panic wrapper as every kernel, doing nothing. */
    fun noop()

    /** An empty C function without any wrapper, through a critical downcall: the floor of an FFM call. */
    fun rawNoop()

    /** As [NativeBridge.panicForTest]. */
    fun panicForTest(inWorker: Boolean)

    fun sumLongArray(values: LongArray, fromIndex: Int, toIndex: Int): Long

    fun sumDoubleArray(values: DoubleArray, fromIndex: Int, toIndex: Int): Double

    fun sumExactDoubleArray(values: DoubleArray): Double

    /** Writes `[sum, m2, min, max]` into `out`. */
    fun statsDoubleArray(values: DoubleArray, out: DoubleArray)

    fun scaleLongArray(values: LongArray, factor: Long)

    fun scaleDoubleArray(values: DoubleArray, factor: Double)

    fun sumLongsDirect(buffer: ByteBuffer, position: Int, length: Int, bigEndian: Boolean): Long

    fun sumDoublesDirect(buffer: ByteBuffer, position: Int, length: Int, bigEndian: Boolean): Double

    fun sumLongsBytes(array: ByteArray, offset: Int, length: Int, bigEndian: Boolean): Long

    fun sumDoublesBytes(array: ByteArray, offset: Int, length: Int, bigEndian: Boolean): Double

    /** As [NativeBridge.blake3Hash]. */
    fun blake3Hash(input: ByteArray, offset: Int, length: Int, key: ByteArray?, out: ByteArray)

    /** As [NativeBridge.blake3HashDirect]. */
    fun blake3HashDirect(buffer: ByteBuffer, position: Int, length: Int, out: ByteArray)

    /** As [NativeBridge.sha256Hash]. */
    fun sha256Hash(input: ByteArray, out: ByteArray)

    /** As [NativeBridge.ed25519PublicKey]. */
    fun ed25519PublicKey(secretKey: ByteArray): ByteArray

    /** As [NativeBridge.ed25519Sign]. */
    fun ed25519Sign(secretKey: ByteArray, message: ByteArray): ByteArray

    /** As [NativeBridge.ed25519Verify]. */
    fun ed25519Verify(publicKey: ByteArray, message: ByteArray, signature: ByteArray): Boolean
}
