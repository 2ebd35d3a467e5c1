package dev.hotpath.jvm

import dev.hotpath.BlockError
import dev.hotpath.BlockReport
import dev.hotpath.TxStatus
import java.nio.ByteBuffer

/**
 * The JVM twin of [dev.hotpath.Ledger]: block validation by the rules of
 * `docs/block-format.md`, written as a plain sequential transcription, with [Ed25519Reference]
 * (the JDK's Ed25519 plus the strict checks) for signatures and [MerkleReference] (the JDK's
 * SHA-256) for the root. It is the test oracle for the native backend, the baseline of the
 * benchmarks, and the backend that [dev.hotpath.Backend.JVM] (and [dev.hotpath.Backend.AUTO]
 * below its threshold or without native code) runs. Its reports equal the native ones for every
 * input. About 1,500 signatures a second (the JDK's Ed25519), slower for bad signatures.
 * Stateless and thread-safe.
 */
public object LedgerReference {
    private val MAGIC = byteArrayOf('H'.code.toByte(), 'P'.code.toByte(), 'B'.code.toByte(), '1'.code.toByte())
    private const val HEADER = 80
    private const val COUNT_AT = 76
    private const val ROOT_AT = 44
    private const val FIXED = 155
    private const val MAX_PAYLOAD = 1024
    private const val SIGNATURE = 64

    /**
     * The report on [block], all of its bytes.
     *
     * @throws NullPointerException if [block] is null.
     * @throws UnsupportedOperationException on a JDK older than 15 (the JDK's Ed25519).
     */
    @JvmStatic
    public fun validateBlock(block: ByteArray): BlockReport = validate(block, 0, block.size)

    /**
     * The report on [block]'s remaining bytes, copied once into an array; the buffer's position,
     * limit and mark are unchanged.
     *
     * @throws NullPointerException if [block] is null.
     * @throws UnsupportedOperationException on a JDK older than 15 (the JDK's Ed25519).
     */
    @JvmStatic
    public fun validateBlock(block: ByteBuffer): BlockReport {
        val copy = ByteArray(block.remaining())
        block.duplicate().get(copy)
        return validate(copy, 0, copy.size)
    }

    private fun u32(b: ByteArray, at: Int): Long {
        var v = 0L
        for (i in 3 downTo 0) v = (v shl 8) or (b[at + i].toLong() and 0xff)
        return v
    }

    private fun u64IsZero(b: ByteArray, at: Int): Boolean = (0 until 8).all { b[at + it].toInt() == 0 }

    private fun validate(b: ByteArray, off: Int, len: Int): BlockReport {
        if (len < 4) return BlockReport.broken(BlockError.TRUNCATED, 0)
        if ((0 until 4).any { b[off + it] != MAGIC[it] }) return BlockReport.broken(BlockError.BAD_MAGIC, 0)
        if (len < HEADER) return BlockReport.broken(BlockError.TRUNCATED, 0)
        val count = u32(b, off + COUNT_AT)
        // Each transaction takes at least its 4-byte length: a larger count cannot fit, and is
        // refused before anything is allocated for it.
        if (count > (len - HEADER) / 4) return BlockReport.broken(BlockError.TRUNCATED, count)
        val n = count.toInt()
        val starts = IntArray(n)
        val lengths = IntArray(n)
        var at = HEADER
        for (i in 0 until n) {
            if (len - at < 4) return BlockReport.broken(BlockError.TRUNCATED, count)
            val length = u32(b, off + at)
            if (length > len - at - 4) return BlockReport.broken(BlockError.TRUNCATED, count)
            starts[i] = at + 4
            lengths[i] = length.toInt()
            at += 4 + lengths[i]
        }
        if (at != len) return BlockReport.broken(BlockError.TRAILING_BYTES, count)

        val okSenderNonces = HashSet<ByteBuffer>()
        val statuses = ArrayList<TxStatus>(n)
        val leaves = Array(n) { b.copyOfRange(off + starts[it], off + starts[it] + lengths[it]) }
        for (tx in leaves) {
            var status = status(tx)
            // Sender (bytes 1-32) and nonce (81-88); ByteBuffer compares by content.
            if (status == TxStatus.OK && !okSenderNonces.add(ByteBuffer.wrap(tx.copyOfRange(1, 33) + tx.copyOfRange(81, 89)))) {
                status = TxStatus.DUPLICATE_NONCE
            }
            statuses.add(status)
        }
        val root = MerkleReference.root(leaves)
        val headerRoot = b.copyOfRange(off + ROOT_AT, off + ROOT_AT + 32)
        val error = if (root.contentEquals(headerRoot)) null else BlockError.MERKLE_MISMATCH
        return BlockReport(error, root, n, statuses)
    }

    /** The status from the transaction alone, the first failing check deciding. */
    private fun status(tx: ByteArray): TxStatus {
        if (tx.size < FIXED || tx[0].toInt() != 1) return TxStatus.MALFORMED
        val payload = (tx[89].toInt() and 0xff) or ((tx[90].toInt() and 0xff) shl 8)
        if (payload > MAX_PAYLOAD || tx.size != FIXED + payload) return TxStatus.MALFORMED
        if (u64IsZero(tx, 65)) return TxStatus.ZERO_AMOUNT
        val signed = tx.size - SIGNATURE
        val ok = Ed25519Reference.verify(tx.copyOfRange(1, 33), tx.copyOfRange(0, signed), tx.copyOfRange(signed, tx.size))
        return if (ok) TxStatus.OK else TxStatus.BAD_SIGNATURE
    }
}
