package dev.hotpath

import dev.hotpath.internal.Checks
import java.nio.ByteBuffer
import java.nio.ByteOrder

/**
 * A signed transaction in hotpath's block format v1 (`docs/block-format.md`), as a
 * [BlockBuilder] puts it into a block: version 1, the sender's Ed25519 public key, the
 * recipient, amount, fee and nonce, a payload of at most [Ledger.MAX_PAYLOAD] bytes, and the
 * sender's signature over all of that. [sign] makes only transactions that
 * [Ledger.validateBlock] accepts on their own; whether a nonce repeats is the block's business.
 *
 * ```kotlin
 * val tx = Transaction.sign(secretKey, recipientPublicKey, amount = 250, fee = 1, nonce = 0, payload = "hi".toByteArray())
 * tx.toByteArray()   // 157 bytes: 155 + the payload
 * ```
 *
 * Immutable and thread-safe: the array accessors return copies. Two transactions are equal when
 * their bytes are; RFC 8032 signatures are deterministic, so the same inputs give equal
 * transactions on either backend.
 */
public class Transaction private constructor(private val bytes: ByteArray) {
    /** The sender's 32-byte Ed25519 public key (a copy), derived from the secret key that signed. */
    public val sender: ByteArray
        get() = bytes.copyOfRange(SENDER, SENDER + Ed25519.PUBLIC_KEY_SIZE)

    /** The 32-byte recipient (a copy). */
    public val recipient: ByteArray
        get() = bytes.copyOfRange(RECIPIENT, RECIPIENT + Ed25519.PUBLIC_KEY_SIZE)

    /** The amount, at least 1. */
    public val amount: Long
        get() = long(AMOUNT)

    /** The fee, at least 0. */
    public val fee: Long
        get() = long(FEE)

    /** The nonce, at least 0. */
    public val nonce: Long
        get() = long(NONCE)

    /** The payload (a copy), at most [Ledger.MAX_PAYLOAD] bytes. */
    public val payload: ByteArray
        get() = bytes.copyOfRange(PAYLOAD, bytes.size - Ed25519.SIGNATURE_SIZE)

    /** The sender's 64-byte Ed25519 signature (`R || S`, a copy) over every preceding byte. */
    public val signature: ByteArray
        get() = bytes.copyOfRange(bytes.size - Ed25519.SIGNATURE_SIZE, bytes.size)

    /** Bytes in the encoding: [Ledger.TX_FIXED_SIZE] plus the payload's. */
    public val size: Int
        get() = bytes.size

    /** The encoding (a copy): what a block carries after the transaction's length field. */
    public fun toByteArray(): ByteArray = bytes.copyOf()

    /** The encoding itself, for [BlockBuilder], which never changes it. */
    internal fun encoded(): ByteArray = bytes

    private fun long(offset: Int): Long = ByteBuffer.wrap(bytes).order(ByteOrder.LITTLE_ENDIAN).getLong(offset)

    override fun equals(other: Any?): Boolean = other is Transaction && bytes.contentEquals(other.bytes)

    override fun hashCode(): Int = bytes.contentHashCode()

    /** The amount, fee, nonce, payload size and the first bytes of the sender, not the signature. */
    override fun toString(): String {
        val sender = bytes.copyOfRange(SENDER, SENDER + 4).joinToString("") { "%02x".format(it.toInt() and 0xff) }
        return "Transaction(sender=$sender..., amount=$amount, fee=$fee, nonce=$nonce, payload=${bytes.size - Ledger.TX_FIXED_SIZE} bytes)"
    }

    public companion object {
        /** The format version every transaction carries in its first byte. */
        public const val VERSION: Int = 1

        private const val SENDER = 1
        private const val RECIPIENT = SENDER + Ed25519.PUBLIC_KEY_SIZE
        private const val AMOUNT = RECIPIENT + Ed25519.PUBLIC_KEY_SIZE
        private const val FEE = AMOUNT + 8
        private const val NONCE = FEE + 8
        private const val PAYLOAD_LENGTH = NONCE + 8
        private const val PAYLOAD = PAYLOAD_LENGTH + 2

        private val NO_PAYLOAD = ByteArray(0)

        /**
         * The transaction from the holder of [secretKey] (a 32-byte RFC 8032 seed, whose public
         * key becomes the sender) to [recipient], signed with [Ed25519.sign] on the selected
         * backend. The arguments are copied; every one is checked before anything is signed.
         *
         * The format's amount, fee and nonce are unsigned 64-bit integers; this method takes
         * them from 0 (1 for the amount) to [Long.MAX_VALUE], so a negative `long` (an
         * underflow, most likely) is an error instead of a huge unsigned value.
         *
         * ```java
         * Transaction tx = Transaction.sign(secretKey, recipient, 250, 1, 0, "hi".getBytes(StandardCharsets.UTF_8));
         * Transaction noPayload = Transaction.sign(secretKey, recipient, 100, 1, 1);
         * ```
         *
         * @throws NullPointerException if any argument is null.
         * @throws IllegalArgumentException if [secretKey] or [recipient] does not have 32 bytes,
         *   [amount] is below 1 (a zero amount is never valid), [fee] or [nonce] is negative, or
         *   [payload] has more than [Ledger.MAX_PAYLOAD] bytes; the message names the argument,
         *   its value and the bound.
         * @throws UnsupportedOperationException on the JVM backend of a JDK older than 15.
         * @throws NativeLoadException if the backend is [Backend.NATIVE] and the library cannot load.
         */
        @JvmStatic
        @JvmOverloads
        public fun sign(
            secretKey: ByteArray,
            recipient: ByteArray,
            amount: Long,
            fee: Long,
            nonce: Long,
            payload: ByteArray = NO_PAYLOAD,
        ): Transaction {
            Ed25519Checks.size(secretKey, Ed25519.SECRET_KEY_SIZE, "secretKey")
            Ed25519Checks.size(recipient, Ed25519.PUBLIC_KEY_SIZE, "recipient")
            Checks.atLeast(amount, 1, "amount")
            Checks.atLeast(fee, 0, "fee")
            Checks.atLeast(nonce, 0, "nonce")
            Checks.atMostBytes(payload, Ledger.MAX_PAYLOAD, "payload")
            val body = ByteBuffer.allocate(PAYLOAD + payload.size).order(ByteOrder.LITTLE_ENDIAN)
                .put(VERSION.toByte())
                .put(Ed25519.publicKey(secretKey))
                .put(recipient)
                .putLong(amount)
                .putLong(fee)
                .putLong(nonce)
                .putShort(payload.size.toShort())
                .put(payload)
                .array()
            return Transaction(body + Ed25519.sign(secretKey, body))
        }
    }
}
