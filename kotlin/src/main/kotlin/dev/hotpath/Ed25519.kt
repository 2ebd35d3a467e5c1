package dev.hotpath

import dev.hotpath.internal.BridgeInUse
import dev.hotpath.internal.Dispatch
import dev.hotpath.internal.NativeBridge
import dev.hotpath.internal.Threshold
import dev.hotpath.jvm.Ed25519Reference
import java.security.SecureRandom

/**
 * Ed25519 signatures (RFC 8032): key derivation, signing, and verification of one signature or
 * of a batch.
 *
 * Keys are raw bytes: a secret key is the 32-byte RFC 8032 seed, a public key the 32-byte
 * encoding of the point `A`, a signature the 64 bytes `R || S`. Signing is deterministic, so
 * both backends return the same bytes.
 *
 * Verification follows one rule on both backends, for [verify] and [verifyBatch] alike
 * (`docs/ed25519.md` has the details and the answers to the 12 "Taming the many EdDSAs" cases):
 * a signature is valid when `S < L`, the encodings of `A` and `R` are canonical, neither `A` nor
 * `R` is one of the 8 points of small order, and the cofactored equation
 * `[8][S]B = [8]R + [8][k]A` holds. A signature that is well formed but wrong is `false`, never
 * an exception.
 *
 * The native backend verifies batches 64 signatures at a time with one multiscalar
 * multiplication, and spreads batches of more than 128 signatures over hotpath's pool
 * (`hotpath.threads`). The JVM backend uses the JDK's own Ed25519 (JDK 15 or newer) plus the
 * checks the JDK does not make; on older JDKs it throws [UnsupportedOperationException].
 * All functions are thread-safe and never modify their arguments.
 */
public object Ed25519 {
    /** Bytes in a secret key (the RFC 8032 seed). */
    public const val SECRET_KEY_SIZE: Int = 32

    /** Bytes in a public key. */
    public const val PUBLIC_KEY_SIZE: Int = 32

    /** Bytes in a signature (`R || S`). */
    public const val SIGNATURE_SIZE: Int = 64

    private val PUBLIC_KEY = Threshold("crypto.ed25519.publicKey")
    private val SIGN = Threshold("crypto.ed25519.sign")
    private val VERIFY = Threshold("crypto.ed25519.verify")
    private val VERIFY_BATCH = Threshold("crypto.ed25519.verifyBatch")

    private val random: SecureRandom by lazy { SecureRandom() }

    /**
     * A new secret key: 32 bytes from one shared [SecureRandom], on every backend. Throws
     * nothing and needs no native code.
     */
    @JvmStatic
    public fun generateSecretKey(): ByteArray {
        val key = ByteArray(SECRET_KEY_SIZE)
        random.nextBytes(key)
        return key
    }

    /**
     * The public key of [secretKey]: the encoding of `[a]B`, where `a` is the clamped first half
     * of `SHA-512(secretKey)` (RFC 8032, section 5.1.5).
     *
     * @throws NullPointerException if [secretKey] is null.
     * @throws IllegalArgumentException if [secretKey] does not have 32 bytes.
     * @throws UnsupportedOperationException on the JVM backend of a JDK older than 15.
     * @throws NativeLoadException if the backend is [Backend.NATIVE] and the library cannot load.
     */
    @JvmStatic
    public fun publicKey(secretKey: ByteArray): ByteArray {
        Ed25519Checks.size(secretKey, SECRET_KEY_SIZE, "secretKey")
        return if (Dispatch.useNative(PUBLIC_KEY, 1)) {
            val ffm = BridgeInUse.FFM
            if (ffm != null) ffm.ed25519PublicKey(secretKey) else NativeBridge.ed25519PublicKey(secretKey)
        } else {
            Ed25519Reference.publicKey(secretKey)
        }
    }

    /**
     * The RFC 8032 signature of [message] under [secretKey]: 64 bytes, the same for the same
     * inputs on every backend.
     *
     * @throws NullPointerException if [secretKey] or [message] is null.
     * @throws IllegalArgumentException if [secretKey] does not have 32 bytes.
     * @throws UnsupportedOperationException on the JVM backend of a JDK older than 15.
     * @throws NativeLoadException if the backend is [Backend.NATIVE] and the library cannot load.
     */
    @JvmStatic
    public fun sign(secretKey: ByteArray, message: ByteArray): ByteArray {
        Ed25519Checks.size(secretKey, SECRET_KEY_SIZE, "secretKey")
        return if (Dispatch.useNative(SIGN, 1)) {
            val ffm = BridgeInUse.FFM
            if (ffm != null) ffm.ed25519Sign(secretKey, message) else NativeBridge.ed25519Sign(secretKey, message)
        } else {
            Ed25519Reference.sign(secretKey, message)
        }
    }

    /**
     * Whether [signature] is a valid signature of [message] under [publicKey], by the rule in
     * the class documentation (RFC 8032, strict: `S < L`, canonical `A` and `R`, neither of small
     * order, cofactored equation). A wrong signature, or a key that is not a valid point, is
     * `false`.
     *
     * @throws NullPointerException if any argument is null.
     * @throws IllegalArgumentException if [publicKey] does not have 32 bytes or [signature] 64.
     * @throws UnsupportedOperationException on the JVM backend of a JDK older than 15.
     * @throws NativeLoadException if the backend is [Backend.NATIVE] and the library cannot load.
     */
    @JvmStatic
    public fun verify(publicKey: ByteArray, message: ByteArray, signature: ByteArray): Boolean {
        Ed25519Checks.size(publicKey, PUBLIC_KEY_SIZE, "publicKey")
        Ed25519Checks.size(signature, SIGNATURE_SIZE, "signature")
        return if (Dispatch.useNative(VERIFY, 1)) {
            val ffm = BridgeInUse.FFM
            if (ffm != null) ffm.ed25519Verify(publicKey, message, signature) else NativeBridge.ed25519Verify(publicKey, message, signature)
        } else {
            Ed25519Reference.verify(publicKey, message, signature)
        }
    }

    /**
     * [verify] of each `(publicKeys[i], messages[i], signatures[i])`: `result[i]` is exactly what
     * [verify] answers for item `i`, also on adversarial inputs. Natively, valid signatures are
     * checked 64 at a time (about 2.5 times as fast per signature) and in parallel above 128
     * items; a batch with failures is searched by halving, and item by item once failures are
     * dense, so a batch in which every signature fails costs about 1.8 single checks per item.
     * Every argument is checked before any signature is.
     *
     * @throws NullPointerException if an array or any element is null (the message names it,
     *   as in `signatures[7] is null`).
     * @throws IllegalArgumentException if the arrays differ in length, or a key does not have 32
     *   bytes or a signature 64 (the message names the element and its length).
     * @throws UnsupportedOperationException on the JVM backend of a JDK older than 15.
     * @throws NativeLoadException if the backend is [Backend.NATIVE] and the library cannot load.
     */
    @JvmStatic
    public fun verifyBatch(
        publicKeys: Array<out ByteArray?>,
        messages: Array<out ByteArray?>,
        signatures: Array<out ByteArray?>,
    ): BooleanArray {
        Ed25519Checks.batch(publicKeys, messages, signatures)
        return if (Dispatch.useNative(VERIFY_BATCH, publicKeys.size)) {
            NativeBridge.ed25519VerifyBatch(publicKeys, messages, signatures)
        } else {
            Ed25519Reference.verifyBatch(publicKeys, messages, signatures)
        }
    }
}

/** Argument checks shared by [Ed25519] and [Ed25519Reference], so both fail the same way. */
internal object Ed25519Checks {
    fun size(bytes: ByteArray, expected: Int, name: String) {
        if (bytes.size != expected) {
            throw IllegalArgumentException("$name has ${bytes.size} bytes, expected $expected")
        }
    }

    fun batch(publicKeys: Array<out ByteArray?>, messages: Array<out ByteArray?>, signatures: Array<out ByteArray?>) {
        val n = publicKeys.size
        if (messages.size != n || signatures.size != n) {
            throw IllegalArgumentException(
                "publicKeys, messages and signatures must have the same length, " +
                    "but have $n, ${messages.size} and ${signatures.size} elements",
            )
        }
        for (i in 0 until n) {
            size(element(publicKeys, i, "publicKeys"), Ed25519.PUBLIC_KEY_SIZE, "publicKeys[$i]")
            element(messages, i, "messages")
            size(element(signatures, i, "signatures"), Ed25519.SIGNATURE_SIZE, "signatures[$i]")
        }
    }

    private fun element(array: Array<out ByteArray?>, index: Int, name: String): ByteArray =
        array[index] ?: throw NullPointerException("$name[$index] is null")
}
