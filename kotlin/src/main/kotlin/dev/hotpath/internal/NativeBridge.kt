package dev.hotpath.internal

import java.nio.ByteBuffer

/**
 * The native methods of `rust/jni`. Not public API: callers validate arguments first (the Rust
 * side validates again and throws rather than trusting them), and nothing here may be called
 * before [NativeLoader] has loaded the library.
 *
 * The library binds these methods itself when it loads (`RegisterNatives` in `JNI_OnLoad`,
 * from the one declaration of each in `rust/jni/src/registry.rs`), on this class under whatever
 * name it has: relocated copies bind too. A method declared here and not there, or with other
 * parameter or return types, fails the load or the `NativeBridgeDeclarationsTest`.
 */
internal object NativeBridge {
    @JvmStatic external fun version(): String

    @JvmStatic external fun configure(threads: Int): Int

    /** `name descriptor` of every method the library declares, one per line, for the tests. */
    @JvmStatic external fun declarations(): String

    /** The library's code tables (`rust/jni/src/codes.rs`) as `table name value` lines, for the tests. */
    @JvmStatic external fun codeTables(): String

    /** Goes through the same error/panic wrapper as every kernel, and does nothing. */
    @JvmStatic external fun noop()

    /** An empty native method without any wrapper: the floor of a JNI call's cost. */
    @JvmStatic external fun rawNoop()

    /** An empty native method with [sumLongArray]'s signature and no wrapper; returns 0. For the evidence suite. */
    @JvmStatic external fun rawNoopArray(values: LongArray, fromIndex: Int, toIndex: Int, length: Int): Long

    /** Pins the whole array once and releases it, touching nothing; returns its length. For the evidence suite. */
    @JvmStatic external fun pinAndRelease(values: LongArray): Long

    /** Panics on purpose, on the calling thread or in a pool worker: the tests' proof that a panic becomes an exception. */
    @JvmStatic external fun panicForTest(inWorker: Boolean)

    /**
     * The sum of `values[fromIndex until toIndex]`; [length] is `values.size`, passed so that an
     * empty range needs no call back into the VM (Rust still checks it against the array's own
     * length before reading any element).
     */
    @JvmStatic external fun sumLongArray(values: LongArray, fromIndex: Int, toIndex: Int, length: Int): Long

    /** As [sumLongArray]. */
    @JvmStatic external fun sumDoubleArray(values: DoubleArray, fromIndex: Int, toIndex: Int, length: Int): Double

    @JvmStatic external fun sumExactDoubleArray(values: DoubleArray): Double

    /** Writes `[sum, m2, min, max]` into `out`. */
    @JvmStatic external fun statsDoubleArray(values: DoubleArray, out: DoubleArray)

    @JvmStatic external fun scaleLongArray(values: LongArray, factor: Long)

    @JvmStatic external fun scaleDoubleArray(values: DoubleArray, factor: Double)

    @JvmStatic external fun sumLongsDirect(buffer: ByteBuffer, position: Int, length: Int, bigEndian: Boolean): Long

    @JvmStatic external fun sumDoublesDirect(buffer: ByteBuffer, position: Int, length: Int, bigEndian: Boolean): Double

    @JvmStatic external fun sumLongsBytes(array: ByteArray, offset: Int, length: Int, bigEndian: Boolean): Long

    @JvmStatic external fun sumDoublesBytes(array: ByteArray, offset: Int, length: Int, bigEndian: Boolean): Double

    /**
     * Fills [out] with the first `out.size` bytes of the BLAKE3 output of
     * `input[offset until offset + length]`, keyed with [key] (32 bytes) unless it is null.
     */
    @JvmStatic external fun blake3Hash(input: ByteArray, offset: Int, length: Int, key: ByteArray?, out: ByteArray)

    /** [blake3Hash] of a direct buffer's bytes `[position, position + length)`, read in place. */
    @JvmStatic external fun blake3HashDirect(buffer: ByteBuffer, position: Int, length: Int, out: ByteArray)

    /**
     * Writes the BLAKE3 digest of `inputs[fromIndex + i]` into `out[32 * i until 32 * (i + 1)]`;
     * `out` holds exactly `32 * (toIndex - fromIndex)` bytes.
     */
    @JvmStatic external fun blake3HashBatch(inputs: Array<ByteArray>, fromIndex: Int, toIndex: Int, out: ByteArray)

    /** Writes the SHA-256 digest of [input] into [out] (32 bytes). */
    @JvmStatic external fun sha256Hash(input: ByteArray, out: ByteArray)

    /** As [blake3HashBatch], with SHA-256. */
    @JvmStatic external fun sha256HashBatch(inputs: Array<ByteArray>, fromIndex: Int, toIndex: Int, out: ByteArray)

    /** Writes the RFC 6962 Merkle tree hash of [leaves] into [out] (32 bytes). */
    @JvmStatic external fun merkleRoot(leaves: Array<ByteArray>, out: ByteArray)
    /** The Ed25519 public key of a 32-byte secret key. */
    @JvmStatic external fun ed25519PublicKey(secretKey: ByteArray): ByteArray

    /** The 64-byte Ed25519 signature of [message]. */
    @JvmStatic external fun ed25519Sign(secretKey: ByteArray, message: ByteArray): ByteArray

    @JvmStatic external fun ed25519Verify(publicKey: ByteArray, message: ByteArray, signature: ByteArray): Boolean

    /** One answer per item; the three arrays must have the same length and no null elements. */
    @JvmStatic external fun ed25519VerifyBatch(
        publicKeys: Array<out ByteArray?>,
        messages: Array<out ByteArray?>,
        signatures: Array<out ByteArray?>,
    ): BooleanArray

    /** The encoded report on `block[offset until offset + length]` (layout: `rust/jni/src/ledger.rs`). */
    @JvmStatic external fun ledgerValidateBlock(block: ByteArray, offset: Int, length: Int): ByteArray

    /** [ledgerValidateBlock] of a direct buffer's bytes `[position, position + length)`, read in place. */
    @JvmStatic external fun ledgerValidateBlockDirect(buffer: ByteBuffer, position: Int, length: Int): ByteArray

    // Csv family (rust/jni/src/csv.rs): a read returns a handle to the parsed table; its sizes,
    // names and columns are fetched into arrays allocated here, then the handle is freed.

    /** A handle to the read of `data[offset until offset + length]`; [settings] in the layout of `CsvNative.Settings`. */
    @JvmStatic external fun csvReadBytes(data: ByteArray, offset: Int, length: Int, settings: LongArray, types: ByteArray?, nullValue: ByteArray?): Long

    /** [csvReadBytes] of a direct buffer's bytes `[position, position + length)`, read in place. */
    @JvmStatic external fun csvReadDirect(data: ByteBuffer, position: Int, length: Int, settings: LongArray, types: ByteArray?, nullValue: ByteArray?): Long

    /** [csvReadBytes] of the file at [file], read natively. */
    @JvmStatic external fun csvReadFile(file: String, settings: LongArray, types: ByteArray?, nullValue: ByteArray?): Long

    /** The read's numbers, in the layout of `CsvNative.Info`. */
    @JvmStatic external fun csvInfo(handle: Long): LongArray

    /** The header's name at [index]. */
    @JvmStatic external fun csvName(handle: Long, index: Int): String

    /** Why the read has no table (an I/O error or a table too large), else empty. */
    @JvmStatic external fun csvMessage(handle: Long): String

    /** Fills [out] with a LONG column's values. */
    @JvmStatic external fun csvLongs(handle: Long, column: Int, out: LongArray)

    /** Fills [out] with a DOUBLE column's values. */
    @JvmStatic external fun csvDoubles(handle: Long, column: Int, out: DoubleArray)

    /** Fills [out] with a column's null bits ([which] 0) or a BOOLEAN column's value bits ([which] 1). */
    @JvmStatic external fun csvBits(handle: Long, column: Int, which: Int, out: LongArray)

    /** Fills [out] with a STRING column's bytes. */
    @JvmStatic external fun csvStringBytes(handle: Long, column: Int, out: ByteArray)

    /** Fills [out] with a STRING column's `rows + 1` offsets. */
    @JvmStatic external fun csvStringOffsets(handle: Long, column: Int, out: IntArray)

    /** Forgets the read; a second call with the same handle throws `IllegalStateException`. */
    @JvmStatic external fun csvFree(handle: Long)

    // Vectors family (`rust/jni/src/vectors.rs`): an index is a handle, a number the library looks up, never an address.
    /** A new empty index's handle; metric and precision by their `code`. */
    @JvmStatic external fun vectorIndexCreate(dimension: Int, metric: Int, precision: Int): Long

    /** Forgets the handle (the memory goes when the last call using it returns); a second call does nothing. */
    @JvmStatic external fun vectorIndexFree(handle: Long)

    /** Adds `vectors[0 until count * dimension]`, all or nothing; returns the first id. */
    @JvmStatic external fun vectorIndexAdd(handle: Long, vectors: FloatArray, count: Int): Int

    /** Adds a direct buffer's bytes `[position, position + length)` as little-endian floats, read in place. */
    @JvmStatic external fun vectorIndexAddDirect(handle: Long, buffer: ByteBuffer, position: Int, length: Int): Int

    /** Adds `array[offset until offset + length]` as little-endian floats; [stored]: already normalised (from a file). */
    @JvmStatic external fun vectorIndexAddBytes(handle: Long, array: ByteArray, offset: Int, length: Int, stored: Boolean): Int

    /** Fills [ids] and [scores] (exactly `count * min(k, size)` each) with each query's best; returns `min(k, size)`. */
    @JvmStatic external fun vectorIndexSearch(handle: Long, queries: FloatArray, count: Int, k: Int, ids: IntArray, scores: FloatArray): Int

    @JvmStatic external fun vectorIndexSize(handle: Long): Int

    @JvmStatic external fun vectorIndexMemoryBytes(handle: Long): Long

    /** Vectors `from until from + count` in stored form, little-endian, into the start of [out]. */
    @JvmStatic external fun vectorIndexExport(handle: Long, from: Int, count: Int, out: ByteArray)
}
