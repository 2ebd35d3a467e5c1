package dev.hotpath.internal

import java.nio.ByteBuffer

/**
 * The native methods of `rust/jni`. Not public API: callers validate arguments first (the Rust
 * side validates again and throws rather than trusting them), and nothing here may be called
 * before [NativeLoader] has loaded the library.
 */
internal object NativeBridge {
    @JvmStatic external fun version(): String

    @JvmStatic external fun configure(threads: Int): Int

    /** Goes through the same error/panic wrapper as every kernel, and does nothing. */
    @JvmStatic external fun noop()

    /** An empty native method without any wrapper: the floor of a JNI call's cost. */
    @JvmStatic external fun rawNoop()

    @JvmStatic external fun panicForTest(inWorker: Boolean)

    @JvmStatic external fun sumLongArray(values: LongArray, fromIndex: Int, toIndex: Int): Long

    @JvmStatic external fun sumDoubleArray(values: DoubleArray, fromIndex: Int, toIndex: Int): Double

    @JvmStatic external fun sumExactDoubleArray(values: DoubleArray): Double

    /** Writes `[sum, m2, min, max]` into `out`. */
    @JvmStatic external fun statsDoubleArray(values: DoubleArray, out: DoubleArray)

    @JvmStatic external fun scaleLongArray(values: LongArray, factor: Long)

    @JvmStatic external fun scaleDoubleArray(values: DoubleArray, factor: Double)

    @JvmStatic external fun sumLongsDirect(buffer: ByteBuffer, position: Int, length: Int, bigEndian: Boolean): Long

    @JvmStatic external fun sumDoublesDirect(buffer: ByteBuffer, position: Int, length: Int, bigEndian: Boolean): Double

    @JvmStatic external fun sumLongsBytes(array: ByteArray, offset: Int, length: Int, bigEndian: Boolean): Long

    @JvmStatic external fun sumDoublesBytes(array: ByteArray, offset: Int, length: Int, bigEndian: Boolean): Double

    /** The Ed25519 public key of a 32-byte secret key. */
    @JvmStatic external fun ed25519PublicKey(secretKey: ByteArray): ByteArray

    /** The 64-byte Ed25519 signature of [message]. */
    @JvmStatic external fun ed25519Sign(secretKey: ByteArray, message: ByteArray): ByteArray

    @JvmStatic external fun ed25519Verify(publicKey: ByteArray, message: ByteArray, signature: ByteArray): Boolean

    /** One answer per item; the three arrays must have the same length and no null elements. */
    @JvmStatic external fun ed25519VerifyBatch(
        publicKeys: Array<out ByteArray?>,
        messages: Array<out ByteArray?>,
        signatures: Array<out ByteArray?>,
    ): BooleanArray
}
