package dev.hotpath

import java.util.Collections
import java.util.RandomAccess

/**
 * The result of [Ledger.validateBlock]: the block-level error, the computed Merkle root, the
 * transaction count and one [TxStatus] per transaction. Both backends build equal reports for
 * the same bytes.
 *
 * Two reports are equal when their errors, roots (by content), counts and statuses are. The
 * class is immutable: [merkleRoot] returns a copy and [statuses] cannot be modified. Both
 * backends keep the statuses one byte per transaction (a block of 50 million transactions holds
 * 50 MB of them, not an object per transaction).
 */
public class BlockReport internal constructor(
    /** The block-level error, or null if there is none. */
    public val error: BlockError?,
    private val root: ByteArray?,
    /**
     * The header's transaction count. When framing succeeded it is also the size of [statuses].
     * When framing failed ([BlockError.BAD_MAGIC], [BlockError.TRUNCATED],
     * [BlockError.TRAILING_BYTES]): the header's count if all 80 header bytes are there and the
     * magic is right, else 0; a count of 2^31 or more (which only a truncated block can claim) is
     * reported as [Int.MAX_VALUE].
     */
    public val txCount: Int,
    statuses: List<TxStatus>,
) {
    /** One status per transaction, in block order; empty when framing failed. Unmodifiable. */
    public val statuses: List<TxStatus> = Collections.unmodifiableList(statuses)

    /**
     * A copy of the 32-byte RFC 6962 Merkle root computed over the transactions' bytes (also when
     * it differs from the header's); null when framing failed.
     */
    public val merkleRoot: ByteArray?
        get() = root?.copyOf()

    /** Whether the block is valid: no [error] and every transaction [TxStatus.OK]. */
    public val isValid: Boolean
        get() = error == null && statuses.all { it == TxStatus.OK }

    override fun equals(other: Any?): Boolean =
        other is BlockReport &&
            error == other.error &&
            txCount == other.txCount &&
            (root?.contentEquals(other.root) ?: (other.root == null)) &&
            statuses == other.statuses

    override fun hashCode(): Int {
        var h = error?.hashCode() ?: 0
        h = 31 * h + root.contentHashCode()
        h = 31 * h + txCount
        return 31 * h + statuses.hashCode()
    }

    /** The error, count, root in hex and how many transactions have each status. */
    override fun toString(): String {
        val counts = statuses.groupingBy { it }.eachCount().toSortedMap()
        val hex = root?.joinToString("") { "%02x".format(it.toInt() and 0xff) }
        return "BlockReport(valid=$isValid, error=$error, txCount=$txCount, merkleRoot=$hex, statuses=$counts)"
    }

    internal companion object {

        /** The report of a block whose framing failed, with the header's count as read (unsigned). */
        fun broken(error: BlockError, count: Long): BlockReport = BlockReport(error, null, saturate(count), emptyList())

        /**
         * A report whose statuses are the [TxStatus] ordinals `codes[from until codes.size]`,
         * read in place: the caller hands the array over and must not change it.
         *
         * @throws IllegalStateException if a byte is not a [TxStatus.code].
         */
        fun ofCodes(error: BlockError?, root: ByteArray?, txCount: Int, codes: ByteArray, from: Int): BlockReport {
            for (i in from until codes.size) TxStatus.of(codes[i].toInt() and 0xff)
            return BlockReport(error, root, txCount, StatusCodes(codes, from))
        }

        fun saturate(count: Long): Int = minOf(count, Int.MAX_VALUE.toLong()).toInt()
    }
}

/** Statuses as [TxStatus] ordinals in a byte array, one byte each, from `from` to the end. */
private class StatusCodes(private val codes: ByteArray, private val from: Int) : AbstractList<TxStatus>(), RandomAccess {
    override val size: Int
        get() = codes.size - from

    override fun get(index: Int): TxStatus {
        if (index < 0 || index >= size) throw IndexOutOfBoundsException("index $index, size $size")
        return TxStatus.of(codes[from + index].toInt() and 0xff)
    }
}
