package dev.hotpath

import java.io.ByteArrayOutputStream
import java.nio.ByteBuffer
import java.nio.ByteOrder

/**
 * Builds real blocks in format v1 (docs/block-format.md) for the Ledger suites: transactions
 * signed with the library's own Ed25519 (native, so large blocks build fast; RFC 8032 signatures
 * are deterministic, so the bytes do not depend on the backend), deterministic keys, and the
 * header's Merkle root from [CryptoInputs.naiveMerkleRoot], an independent transcription of RFC 6962.
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

    /** One transaction's fields; [encode] signs it with the secret key [sender]. */
    data class Tx(
        val sender: Int,
        val nonce: Long,
        val amount: Long = 1000,
        val fee: Long = 10,
        val payload: ByteArray = ByteArray(0),
        val recipient: Int = 99,
        val version: Int = 1,
        /** Written in the payload length field instead of the payload's real length, when set. */
        val declaredPayloadLength: Int? = null,
    )

    private fun le(value: Long, bytes: Int): ByteArray {
        val b = ByteBuffer.allocate(8).order(ByteOrder.LITTLE_ENDIAN).putLong(value).array()
        return b.copyOf(bytes)
    }

    /** The signed part of [tx]: every field before the signature. */
    fun unsigned(tx: Tx): ByteArray {
        val out = ByteArrayOutputStream()
        out.write(tx.version)
        out.write(publicKey(tx.sender))
        out.write(publicKey(tx.recipient))
        out.write(le(tx.amount, 8))
        out.write(le(tx.fee, 8))
        out.write(le(tx.nonce, 8))
        out.write(le((tx.declaredPayloadLength ?: tx.payload.size).toLong(), 2))
        out.write(tx.payload)
        return out.toByteArray()
    }

    /** [tx] encoded and signed by its sender. */
    fun encode(tx: Tx): ByteArray {
        val body = unsigned(tx)
        return body + onNative { Ed25519.sign(secretKey(tx.sender), body) }
    }

    /** [count] valid transactions from a few senders with distinct nonces, payloads of 0-40 bytes. */
    fun validTxs(count: Int, senders: Int = 5): List<ByteArray> =
        List(count) { i -> encode(Tx(sender = i % senders, nonce = i.toLong(), payload = ByteArray(i % 41) { (it * 7).toByte() })) }

    /** A block of [txs] with the given header fields; its count and root are right unless overridden. */
    fun block(
        txs: List<ByteArray>,
        height: Long = 7,
        previous: ByteArray = ByteArray(32) { 0x5a },
        root: ByteArray = CryptoInputs.naiveMerkleRoot(txs),
        count: Long = txs.size.toLong(),
    ): ByteArray {
        val out = ByteArrayOutputStream()
        out.write("HPB1".toByteArray())
        out.write(le(height, 8))
        out.write(previous)
        out.write(root)
        out.write(le(count, 4))
        for (t in txs) {
            out.write(le(t.size.toLong(), 4))
            out.write(t)
        }
        return out.toByteArray()
    }

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
        val out = ByteArrayOutputStream()
        out.write(1)
        out.write(identity)
        out.write(publicKey(99))
        out.write(le(5, 8))
        out.write(le(0, 8))
        out.write(le(nonce, 8))
        out.write(le(0, 2))
        out.write(identity)
        out.write(ByteArray(32))
        return out.toByteArray()
    }

    fun hexDump(bytes: ByteArray): String = bytes.joinToString("") { "%02x".format(it) }
}
