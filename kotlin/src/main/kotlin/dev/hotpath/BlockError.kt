package dev.hotpath

/**
 * What is wrong with a block as a whole ([BlockReport.error]). The first three are framing
 * errors: the transactions could not be delimited, so the report has no statuses and no root.
 */
public enum class BlockError(
    /**
     * The error's code in the native bridge's report, fixed for good: the code tables of
     * `rust/jni/src/codes.rs` and of these enums are pinned to each other by a test.
     */
    public val code: Int,
) {
    /** The block does not start with the magic `HPB1`. */
    BAD_MAGIC(0),

    /**
     * The block ends early: fewer than 4 bytes, a header shorter than 80 bytes, a transaction
     * count larger than the bytes could hold, or a length field or transaction running past the
     * end.
     */
    TRUNCATED(1),

    /** Bytes follow the last transaction. */
    TRAILING_BYTES(2),

    /**
     * The transactions' RFC 6962 Merkle root differs from the header's. The statuses are still
     * reported, and [BlockReport.merkleRoot] is the computed root.
     */
    MERKLE_MISMATCH(3),
    ;

    internal companion object {
        private val BY_CODE = values().sortedBy { it.code }.toTypedArray()

        /** The error with [code]; every code comes from the native side's own table. */
        fun of(code: Int): BlockError =
            BY_CODE.getOrNull(code)?.takeIf { it.code == code }
                ?: throw IllegalStateException("native ledger report has unknown block error code $code")
    }
}
