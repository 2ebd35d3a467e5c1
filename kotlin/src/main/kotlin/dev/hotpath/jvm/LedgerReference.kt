package dev.hotpath.jvm

import dev.hotpath.BlockError
import dev.hotpath.BlockReport
import dev.hotpath.TxStatus
import java.nio.ByteBuffer
import java.security.MessageDigest

/**
 * The JVM twin of [dev.hotpath.Ledger]: block validation by the rules of
 * `docs/block-format.md`, written as a plain sequential transcription, with [Ed25519Reference]
 * (the JDK's Ed25519 plus the strict checks) for signatures and [MerkleReference] (the JDK's
 * SHA-256) for the root. It is the test oracle for the native backend, the baseline of the
 * benchmarks, and the backend that [dev.hotpath.Backend.JVM] (and [dev.hotpath.Backend.AUTO]
 * below its threshold or without native code) runs. Its reports equal the native ones for every
 * input. About 1,500 signatures a second (the JDK's Ed25519), slower for bad signatures.
 * Stateless and thread-safe.
 *
 * Memory, as natively, is bounded by the block: besides the block (and, for a buffer, its copy)
 * a validation holds one status byte per transaction, the sender and nonce of each `OK`
 * transaction so far (about 170 bytes of heap each, and each such transaction has at least 159
 * bytes in the block) and the Merkle tree's right edge (one digest per level); no object per
 * transaction.
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
        // Framing first, keeping nothing: a block that fails it has no statuses at all.
        var at = HEADER
        for (i in 0 until n) {
            if (len - at < 4) return BlockReport.broken(BlockError.TRUNCATED, count)
            val length = u32(b, off + at)
            if (length > len - at - 4) return BlockReport.broken(BlockError.TRUNCATED, count)
            at += 4 + length.toInt()
        }
        if (at != len) return BlockReport.broken(BlockError.TRAILING_BYTES, count)

        // Then each transaction in place. What lives for the whole block is what the report
        // needs (a status byte per transaction) and what the duplicate-nonce check needs (the
        // sender and nonce of each OK transaction, which has at least 155 bytes of its own), so
        // memory is bounded by the block as natively.
        val okSenderNonces = HashSet<ByteBuffer>()
        val statuses = ByteArray(n)
        val tree = MerkleFrontier()
        at = off + HEADER
        for (i in 0 until n) {
            val length = u32(b, at).toInt()
            val start = at + 4
            var status = status(b, start, length)
            // Sender (bytes 1-32) and nonce (81-88); ByteBuffer compares by content.
            if (status == TxStatus.OK) {
                val key = b.copyOfRange(start + 1, start + 33) + b.copyOfRange(start + 81, start + 89)
                if (!okSenderNonces.add(ByteBuffer.wrap(key))) status = TxStatus.DUPLICATE_NONCE
            }
            statuses[i] = status.ordinal.toByte()
            tree.addLeaf(b, start, length)
            at = start + length
        }
        val root = tree.root()
        val headerRoot = b.copyOfRange(off + ROOT_AT, off + ROOT_AT + 32)
        val error = if (root.contentEquals(headerRoot)) null else BlockError.MERKLE_MISMATCH
        return BlockReport.ofCodes(error, root, n, statuses, 0)
    }

    /** The status from the transaction `b[start until start + length]` alone, the first failing check deciding. */
    private fun status(b: ByteArray, start: Int, length: Int): TxStatus {
        if (length < FIXED || b[start].toInt() != 1) return TxStatus.MALFORMED
        val payload = (b[start + 89].toInt() and 0xff) or ((b[start + 90].toInt() and 0xff) shl 8)
        if (payload > MAX_PAYLOAD || length != FIXED + payload) return TxStatus.MALFORMED
        if (u64IsZero(b, start + 65)) return TxStatus.ZERO_AMOUNT
        val signed = start + length - SIGNATURE
        val ok = Ed25519Reference.verify(
            b.copyOfRange(start + 1, start + 33),
            b.copyOfRange(start, signed),
            b.copyOfRange(signed, start + length),
        )
        return if (ok) TxStatus.OK else TxStatus.BAD_SIGNATURE
    }

    /**
     * The RFC 6962 Merkle tree hash of leaves added one at a time, holding only the roots of the
     * perfect subtrees the leaves so far make up (one per set bit of their count, largest first):
     * a new leaf merges with equal-sized subtrees before it, and the root folds them from the
     * right, which is RFC 6962's split at the largest power of two below the count.
     */
    private class MerkleFrontier {
        private val digest = MessageDigest.getInstance("SHA-256")
        private val roots = arrayOfNulls<ByteArray>(33)
        private val heights = IntArray(33)
        private var depth = 0

        fun addLeaf(b: ByteArray, start: Int, length: Int) {
            digest.update(0x00)
            digest.update(b, start, length)
            var node = digest.digest()
            var height = 0
            while (depth > 0 && heights[depth - 1] == height) {
                node = parent(roots[--depth]!!, node)
                height++
            }
            roots[depth] = node
            heights[depth++] = height
        }

        fun root(): ByteArray {
            if (depth == 0) return digest.digest()
            var node = roots[depth - 1]!!
            for (i in depth - 2 downTo 0) node = parent(roots[i]!!, node)
            return node
        }

        private fun parent(left: ByteArray, right: ByteArray): ByteArray {
            digest.update(0x01)
            digest.update(left)
            return digest.digest(right)
        }
    }
}
