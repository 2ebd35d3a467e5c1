package dev.hotpath

import java.nio.ByteBuffer
import java.nio.ByteOrder

/**
 * Blocks in format v1 (docs/block-format.md) for the Ledger suites, made by the library's own
 * [Transaction] and [BlockBuilder] on [Backend.NATIVE] (so large blocks build fast; RFC 8032
 * signatures are deterministic, so the bytes do not depend on the backend) from deterministic
 * keys. What the builder refuses to make (zero amounts, other versions, oversized payloads,
 * wrong roots and counts, small-order keys) comes from changing the bytes it made.
 */
object LedgerBlocks {
    /** The deterministic secret key number [i]: bytes `i, i+1, ..., i+31`. */
    fun secretKey(i: Int): ByteArray = ByteArray(32) { (i + it).toByte() }

    private val publicKeys = HashMap<Int, ByteArray>()

    fun publicKey(i: Int): ByteArray = synchronized(publicKeys) {
        publicKeys.getOrPut(i) { onNative { Ed25519.publicKey(secretKey(i)) } }
    }

    private fun <T> onNative(block: () -> T): T {
        val previous = Hotpath.backend
        Hotpath.backend = Backend.NATIVE
        try {
            return block()
        } finally {
            Hotpath.backend = previous
        }
    }

    /** One transaction's fields, senders and recipients by key number; [encode] signs it. */
    data class Tx(
        val sender: Int,
        val nonce: Long,
        val amount: Long = 1000,
        val fee: Long = 10,
        val payload: ByteArray = ByteArray(0),
        val recipient: Int = 99,
    )

    /** [tx] signed by its sender with [Transaction.sign]. */
    fun transaction(tx: Tx): Transaction = onNative {
        Transaction.sign(secretKey(tx.sender), publicKey(tx.recipient), tx.amount, tx.fee, tx.nonce, tx.payload)
    }

    /** [tx]'s encoding. */
    fun encode(tx: Tx): ByteArray = transaction(tx).toByteArray()

    /**
     * A transaction that [Transaction.sign] refuses to make, with a good signature by its sender:
     * [tx] with [version], [amount], [payload] and the payload length field [declaredPayloadLength]
     * written over the builder's encoding, then signed again over the changed bytes.
     */
    fun signedAnyway(
        tx: Tx,
        version: Int = Transaction.VERSION,
        amount: Long = tx.amount,
        payload: ByteArray = tx.payload,
        declaredPayloadLength: Int = payload.size,
    ): ByteArray {
        val fixed = encode(tx.copy(amount = 1, payload = ByteArray(0))).copyOf(Ledger.TX_FIXED_SIZE - Ed25519.SIGNATURE_SIZE)
        ByteBuffer.wrap(fixed).order(ByteOrder.LITTLE_ENDIAN)
            .put(0, version.toByte())
            .putLong(AMOUNT, amount)
            .putShort(PAYLOAD_LENGTH, declaredPayloadLength.toShort())
        val body = fixed + payload
        return body + onNative { Ed25519.sign(secretKey(tx.sender), body) }
    }

    /** [count] valid transactions from a few senders with distinct nonces, payloads of 0-40 bytes. */
    fun validTxs(count: Int, senders: Int = 5): List<ByteArray> =
        List(count) { i -> encode(Tx(sender = i % senders, nonce = i.toLong(), payload = ByteArray(i % 41) { (it * 7).toByte() })) }

    /** The block of [txs] (encodings, which may be invalid) built by [BlockBuilder.addEncoded]. */
    fun block(txs: List<ByteArray>, height: Long = 7, previous: ByteArray = ByteArray(32) { 0x5a }): ByteArray = onNative {
        val builder = BlockBuilder(height, previous)
        for (tx in txs) builder.addEncoded(tx)
        builder.build()
    }

    /** [block] with [root] in its header instead of the true one. */
    fun withRoot(block: ByteArray, root: ByteArray): ByteArray = block.copyOf().also { root.copyInto(it, ROOT) }

    /** [block] with the header's transaction count [count] (a `u32`) instead of the true one. */
    fun withCount(block: ByteArray, count: Long): ByteArray =
        block.copyOf().also { ByteBuffer.wrap(it).order(ByteOrder.LITTLE_ENDIAN).putInt(COUNT, count.toInt()) }

    /** `S + L` in [tx]'s signature: the same scalar mod L, refused by the strict rule. */
    fun withSPlusL(tx: ByteArray): ByteArray {
        val body = tx.copyOfRange(0, tx.size - 64)
        return body + Ed25519Vectors.withSPlusL(tx.copyOfRange(tx.size - 64, tx.size))
    }

    /**
     * A transaction from the identity point (small order) as sender, with `R` the identity and
     * `S = 0`: the cofactored equation holds for it, but the rule refuses small-order keys.
     */
    fun smallOrderSenderTx(nonce: Long): ByteArray {
        val identity = ByteArray(32).also { it[0] = 1 }
        val tx = encode(Tx(sender = 0, nonce = nonce, amount = 5, fee = 0))
        identity.copyInto(tx, SENDER)
        val signature = tx.size - Ed25519.SIGNATURE_SIZE
        identity.copyInto(tx, signature)
        tx.fill(0, signature + 32)
        return tx
    }

    fun hexDump(bytes: ByteArray): String = bytes.joinToString("") { "%02x".format(it) }

    // Offsets of docs/block-format.md's tables.
    private const val ROOT = 44
    private const val COUNT = 76
    private const val SENDER = 1
    private const val AMOUNT = 65
    private const val PAYLOAD_LENGTH = 89
}
