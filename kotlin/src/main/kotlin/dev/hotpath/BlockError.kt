package dev.hotpath

/**
 * What is wrong with a block as a whole ([BlockReport.error]). The first three are framing
 * errors: the transactions could not be delimited, so the report has no statuses and no root.
 */
public enum class BlockError {
    /** The block does not start with the magic `HPB1`. */
    BAD_MAGIC,

    /**
     * The block ends early: fewer than 4 bytes, a header shorter than 80 bytes, a transaction
     * count larger than the bytes could hold, or a length field or transaction running past the
     * end.
     */
    TRUNCATED,

    /** Bytes follow the last transaction. */
    TRAILING_BYTES,

    /**
     * The transactions' RFC 6962 Merkle root differs from the header's. The statuses are still
     * reported, and [BlockReport.merkleRoot] is the computed root.
     */
    MERKLE_MISMATCH,
}
