package dev.hotpath

import dev.hotpath.internal.BufferAccess
import dev.hotpath.internal.Dispatch
import dev.hotpath.internal.NativeBridge
import dev.hotpath.internal.Threshold
import dev.hotpath.jvm.LedgerReference
import java.nio.ByteBuffer

/**
 * Validation of blocks in hotpath's block format v1 (`docs/block-format.md`): an 80-byte header
 * (`HPB1`, height, previous block hash, Merkle root, transaction count) followed by
 * length-prefixed transactions, each signed by its sender with Ed25519.
 *
 * Validation frames the block first (a wrong magic, a block ending early or bytes after the last
 * transaction end it there, as [BlockError]s without statuses or root), then checks each
 * transaction, the first failing check deciding its [TxStatus] (`MALFORMED`, `ZERO_AMOUNT`,
 * `BAD_SIGNATURE`, `DUPLICATE_NONCE`), then compares the RFC 6962 Merkle root of the
 * transactions with the header's ([BlockError.MERKLE_MISMATCH]). No length in the block is
 * trusted before it is checked against the bytes that are there.
 *
 * Natively, transactions are checked in parallel on hotpath's pool (`hotpath.threads`) in groups
 * of 64, whose signatures are verified together with [Ed25519.verifyBatch]'s method (each answer
 * exactly [Ed25519.verify]'s). A `byte[]` is pinned, not copied, one run of transactions at a
 * time (64 per pool thread), so the garbage collector is held off for about a millisecond at a
 * time on idle cores, a few at worst (`docs/block-format.md` has measurements). The JVM
 * backend, [LedgerReference], gives equal reports with the JDK's SHA-256 and Ed25519 (JDK 15 or
 * newer), one signature at a time. Thread-safe; a block changed
 * by another thread during a call gives some report, never a crash.
 */
public object Ledger {
    /** Bytes in a block header. */
    public const val HEADER_SIZE: Int = 80

    /** Bytes in a transaction besides its payload. */
    public const val TX_FIXED_SIZE: Int = 155

    /** The largest payload a well-formed transaction carries. */
    public const val MAX_PAYLOAD: Int = 1024

    private val VALIDATE_BLOCK = Threshold("ledger.validateBlock")

    /**
     * Validates the block [block] (all of its bytes) and reports what is wrong with it, if
     * anything. Invalid blocks are reports, not exceptions.
     *
     * @throws NullPointerException if [block] is null.
     * @throws UnsupportedOperationException on the JVM backend of a JDK older than 15.
     * @throws NativeLoadException if the backend is [Backend.NATIVE] and the library cannot load.
     */
    @JvmStatic
    public fun validateBlock(block: ByteArray): BlockReport {
        if (!Dispatch.useNative(VALIDATE_BLOCK, block.size)) return LedgerReference.validateBlock(block)
        return decode(NativeBridge.ledgerValidateBlock(block, 0, block.size))
    }

    /**
     * Validates the block held by [block]'s remaining bytes (`position` to `limit`). The buffer's
     * position, limit and mark are unchanged. Direct buffers are read in place (no copy), heap
     * buffers through their backing array (pinned, no copy); a read-only heap buffer hides its
     * array, so its remaining bytes are copied once before the native call.
     * A file mapping, and on JDK 22+ a buffer over a memory segment whose arena can be closed, is
     * copied to the heap first: its memory can vanish under a native read (docs/memory.md).
     *
     * @throws HotpathException if the buffer maps a file that was truncated or replaced.
     * @throws IllegalStateException if the buffer's memory segment was released (JDK 22+).
     * @throws NullPointerException if [block] is null.
     * @throws UnsupportedOperationException on the JVM backend of a JDK older than 15.
     * @throws NativeLoadException if the backend is [Backend.NATIVE] and the library cannot load.
     */
    @JvmStatic
    public fun validateBlock(block: ByteBuffer): BlockReport {
        return BufferAccess.reading(block, "block") { source ->
            val position = source.position()
            val length = source.remaining()
            if (!Dispatch.useNative(VALIDATE_BLOCK, length)) return LedgerReference.validateBlock(source)
            val encoded = when {
                source.isDirect -> NativeBridge.ledgerValidateBlockDirect(source, position, length)
                source.hasArray() -> NativeBridge.ledgerValidateBlock(source.array(), source.arrayOffset() + position, length)
                else -> {
                    val copy = ByteArray(length)
                    source.duplicate().get(copy)
                    NativeBridge.ledgerValidateBlock(copy, 0, length)
                }
            }
            return decode(encoded)
        }
    }

    /** The report from the native encoding, laid out as [ReportLayout] says. */
    private fun decode(encoded: ByteArray): BlockReport {
        check(encoded.size >= ReportLayout.STATUSES_AT) {
            "native ledger report has ${encoded.size} bytes, fewer than ${ReportLayout.STATUSES_AT}"
        }
        val errorCode = encoded[ReportLayout.ERROR_AT].toInt() and 0xff
        val error = if (errorCode == ReportLayout.NO_ERROR) null else BlockError.of(errorCode)
        val root = if (encoded[ReportLayout.HAS_ROOT_AT].toInt() == 0) {
            null
        } else {
            encoded.copyOfRange(ReportLayout.ROOT_AT, ReportLayout.COUNT_AT)
        }
        var count = 0L
        for (i in 3 downTo 0) count = (count shl 8) or (encoded[ReportLayout.COUNT_AT + i].toLong() and 0xff)
        // One byte per transaction, kept as it came: no object per status.
        return BlockReport.ofCodes(error, root, BlockReport.saturate(count), encoded, ReportLayout.STATUSES_AT)
    }
}

/**
 * Where each field of the native ledger report starts (`rust/jni/src/codes.rs` has the same
 * table; a test pins the two to each other).
 */
internal object ReportLayout {
    const val ERROR_AT: Int = 0
    const val HAS_ROOT_AT: Int = 1
    const val ROOT_AT: Int = 2
    const val COUNT_AT: Int = 34
    const val STATUSES_AT: Int = 38

    /** The error byte of a report without a block error. */
    const val NO_ERROR: Int = 0xff
}
