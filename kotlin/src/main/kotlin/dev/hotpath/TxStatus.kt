package dev.hotpath

/**
 * The verdict of [Ledger.validateBlock] on one transaction. The checks run in the order of the
 * constants and the first that fails decides (`docs/block-format.md`).
 */
public enum class TxStatus(
    /**
     * The status's code in the native bridge's report, fixed for good: the code tables of
     * `rust/jni/src/codes.rs` and of these enums are pinned to each other by a test.
     */
    public val code: Int,
) {
    /** Every check passed. */
    OK(0),

    /**
     * Shorter than 155 bytes, version not 1, payload length above 1024, or a length that is not
     * 155 plus the payload length.
     */
    MALFORMED(1),

    /** Well formed, with an amount of zero. */
    ZERO_AMOUNT(2),

    /**
     * Well formed with a non-zero amount, and the sender's Ed25519 signature over the preceding
     * bytes does not verify by the rule of [Ed25519.verify].
     */
    BAD_SIGNATURE(3),

    /** Otherwise fine, but an earlier transaction of the block with the same sender and nonce is [OK]. */
    DUPLICATE_NONCE(4),
    ;

    internal companion object {
        private val BY_CODE = values().sortedBy { it.code }.toTypedArray()

        /** The status with [code]; every code comes from the native side's own table. */
        fun of(code: Int): TxStatus =
            BY_CODE.getOrNull(code)?.takeIf { it.code == code }
                ?: throw IllegalStateException("native ledger report has unknown transaction status code $code")
    }
}
