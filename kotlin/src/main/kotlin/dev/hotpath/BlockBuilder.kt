package dev.hotpath

import dev.hotpath.internal.Checks
import java.nio.ByteBuffer
import java.nio.ByteOrder

/**
 * Builds a block in hotpath's block format v1 (`docs/block-format.md`) from a height, the
 * previous block's hash and transactions in order: the 80-byte header with the transactions'
 * RFC 6962 Merkle root (computed by [Merkle.root] on the selected backend) and count, then each
 * transaction behind its length. A block of transactions made by [Transaction.sign], with no
 * sender using a nonce twice, is valid for [Ledger.validateBlock] on every backend.
 *
 * ```kotlin
 * val block: ByteArray = BlockBuilder(height = 1, previousHash = ByteArray(32))
 *     .add(Transaction.sign(aliceSecret, bobPublic, amount = 250, fee = 1, nonce = 0))
 *     .add(Transaction.sign(bobSecret, alicePublic, amount = 100, fee = 1, nonce = 0))
 *     .build()
 * check(Ledger.validateBlock(block).isValid)
 * ```
 *
 * The header's root and count are always the true ones: a block with a wrong root or count is
 * made by changing the built bytes (the root is at bytes 44 to 76, the count at 76 to 80).
 * [addEncoded] takes transactions that arrive as bytes, which may be invalid.
 *
 * A builder can go on growing after [build]; each call builds the transactions added so far.
 * Not thread-safe: confine a builder to one thread at a time, as with `StringBuilder`.
 *
 * @constructor A builder of the block at [height] (at least 0; the format's `u64` up to
 *   [Long.MAX_VALUE]) that follows the block whose hash is [previousHash] (32 bytes, copied), with
 *   no transactions yet.
 * @throws NullPointerException if [previousHash] is null.
 * @throws IllegalArgumentException if [height] is negative or [previousHash] does not have 32
 *   bytes; the message names the argument, its value and the bound.
 */
public class BlockBuilder(height: Long, previousHash: ByteArray) {
    /** The block's height. */
    public val height: Long = height

    private val previous: ByteArray = previousHash.copyOf()

    private val transactions = ArrayList<ByteArray>()

    private var encoded: Long = Ledger.HEADER_SIZE.toLong()

    init {
        Checks.atLeast(height, 0, "height")
        Checks.exactBytes(previousHash, PREVIOUS_HASH_SIZE, "previousHash")
    }

    /** The previous block's 32-byte hash (a copy). */
    public val previousHash: ByteArray
        get() = previous.copyOf()

    /** How many transactions were added. */
    public val transactionCount: Int
        get() = transactions.size

    /** Bytes in the block [build] returns now: the header, then 4 plus its size per transaction. */
    public val encodedSize: Int
        get() = encoded.toInt()

    /**
     * Adds [transaction] after those added so far.
     *
     * @return this builder, for chained calls.
     * @throws NullPointerException if [transaction] is null.
     * @throws IllegalStateException if the block would grow past [MAX_BLOCK_SIZE] bytes (nothing
     *   is added then).
     */
    public fun add(transaction: Transaction): BlockBuilder {
        append(listOf(transaction.encoded()))
        return this
    }

    /**
     * Adds [transactions] in their iteration order after those added so far; either all of them
     * or, when an argument is wrong, none.
     *
     * @return this builder, for chained calls.
     * @throws NullPointerException if [transactions] or one of its elements is null; the message
     *   names the element's index (`transactions[3] is null`).
     * @throws IllegalStateException if the block would grow past [MAX_BLOCK_SIZE] bytes.
     */
    public fun addAll(transactions: Iterable<Transaction>): BlockBuilder {
        val encodings = transactions.mapIndexed { i, tx: Transaction? ->
            tx?.encoded() ?: throw NullPointerException("transactions[$i] is null")
        }
        append(encodings)
        return this
    }

    /**
     * Adds a transaction's encoding as it is (copied, not checked) after those added so far:
     * for transactions that arrive as bytes, from a peer or a pool of pending transactions.
     * The block's framing and root are right whatever the bytes hold; whether the transaction is
     * well formed and signed is for [Ledger.validateBlock] to report ([TxStatus]).
     *
     * @return this builder, for chained calls.
     * @throws NullPointerException if [transaction] is null.
     * @throws IllegalStateException if the block would grow past [MAX_BLOCK_SIZE] bytes.
     */
    public fun addEncoded(transaction: ByteArray): BlockBuilder {
        append(listOf(transaction.copyOf()))
        return this
    }

    private fun append(encodings: List<ByteArray>) {
        var size = encoded
        for (tx in encodings) size += LENGTH_SIZE + tx.size
        if (size > MAX_BLOCK_SIZE) {
            throw IllegalStateException(
                "the block would have $size bytes with ${transactions.size + encodings.size} transactions, " +
                    "more than MAX_BLOCK_SIZE ($MAX_BLOCK_SIZE)",
            )
        }
        transactions.addAll(encodings)
        encoded = size
    }

    /**
     * The RFC 6962 Merkle root of the transactions added so far, as [build] writes it into the
     * header: [Merkle.root] of their encodings.
     *
     * @throws NativeLoadException if the backend is [Backend.NATIVE] and the library cannot load.
     */
    public fun merkleRoot(): ByteArray = Merkle.root(transactions.toTypedArray())

    /**
     * The block: [encodedSize] bytes, its header carrying [merkleRoot] and [transactionCount].
     *
     * @throws NativeLoadException if the backend is [Backend.NATIVE] and the library cannot load.
     */
    public fun build(): ByteArray {
        val block = ByteArray(encodedSize)
        write(ByteBuffer.wrap(block))
        return block
    }

    /**
     * Writes the block ([build]'s bytes) into [buffer] from its position, which advances by
     * [encodedSize]; its limit, mark and byte order are unchanged. When an exception is thrown,
     * nothing has been written.
     *
     * @throws NullPointerException if [buffer] is null.
     * @throws java.nio.ReadOnlyBufferException if [buffer] is read-only.
     * @throws IllegalArgumentException if [buffer] has fewer than [encodedSize] bytes remaining;
     *   the message says how many it has and needs.
     * @throws NativeLoadException if the backend is [Backend.NATIVE] and the library cannot load.
     */
    public fun writeTo(buffer: ByteBuffer) {
        if (buffer.isReadOnly) throw java.nio.ReadOnlyBufferException()
        if (buffer.remaining() < encodedSize) {
            throw IllegalArgumentException(
                "buffer has ${buffer.remaining()} bytes remaining (position ${buffer.position()}, limit ${buffer.limit()}), " +
                    "the block needs $encodedSize",
            )
        }
        val start = buffer.position()
        write(buffer.duplicate())
        buffer.position(start + encodedSize)
    }

    /** The block at [out]'s position; [out] has room for it. */
    private fun write(out: ByteBuffer) {
        val root = merkleRoot()
        out.order(ByteOrder.LITTLE_ENDIAN)
            .put(MAGIC)
            .putLong(height)
            .put(previous)
            .put(root)
            .putInt(transactions.size)
        for (tx in transactions) out.putInt(tx.size).put(tx)
    }

    public companion object {
        /**
         * The largest block a builder makes, in bytes: the largest `byte[]` every JVM allocates
         * (the JDK's own soft limit). Its count is then always far below the format's `u32` limit.
         */
        public const val MAX_BLOCK_SIZE: Int = Int.MAX_VALUE - 8

        private const val PREVIOUS_HASH_SIZE = 32
        private const val LENGTH_SIZE = 4
        private val MAGIC = byteArrayOf('H'.code.toByte(), 'P'.code.toByte(), 'B'.code.toByte(), '1'.code.toByte())
    }
}
