package dev.hotpath

/**
 * The verdict of [Ledger.validateBlock] on one transaction. The checks run in the order of the
 * constants and the first that fails decides (`docs/block-format.md`).
 */
public enum class TxStatus {
    /** Every check passed. */
    OK,

    /**
     * Shorter than 155 bytes, version not 1, payload length above 1024, or a length that is not
     * 155 plus the payload length.
     */
    MALFORMED,

    /** Well formed, with an amount of zero. */
    ZERO_AMOUNT,

    /**
     * Well formed with a non-zero amount, and the sender's Ed25519 signature over the preceding
     * bytes does not verify by the rule of [Ed25519.verify].
     */
    BAD_SIGNATURE,

    /** Otherwise fine, but an earlier transaction of the block with the same sender and nonce is [OK]. */
    DUPLICATE_NONCE,
}
