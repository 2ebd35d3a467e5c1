package dev.hotpath.jvm

import dev.hotpath.internal.Checks
import java.nio.ByteBuffer

/**
 * The pure-Kotlin twin of `dev.hotpath.Blake3`: BLAKE3 written from its specification (the
 * compression function, 1024-byte chunks, the binary tree of chaining values kept as a stack,
 * keyed mode and extendable output), with no dependency. It is the test oracle for the native
 * kernels, the baseline of the benchmarks, and the backend that [dev.hotpath.Backend.JVM] (and
 * [dev.hotpath.Backend.AUTO] below its threshold or without native code) runs.
 *
 * BLAKE3 is a pure function of its input, so both backends return the same bytes. All methods
 * are stateless and thread-safe. A `null` argument passed from Java throws
 * [NullPointerException] naming the parameter.
 */
public object Blake3Reference {
    private const val DIGEST_LENGTH = 32
    private const val BLOCK_LENGTH = 64
    private const val CHUNK_LENGTH = 1024

    private const val CHUNK_START = 1
    private const val CHUNK_END = 2
    private const val PARENT = 4
    private const val ROOT = 8
    private const val KEYED_HASH = 16

    /** The initialisation vector, SHA-256's. */
    private val IV = intArrayOf(
        0x6A09E667, -0x4498517B, 0x3C6EF372, -0x5AB00AC6,
        0x510E527F, -0x64FA9774, 0x1F83D9AB, 0x5BE0CD19,
    )

    /**
     * The 32-byte BLAKE3 hash of [input].
     *
     * @throws NullPointerException if [input] is null.
     */
    @JvmStatic
    public fun hash(input: ByteArray): ByteArray = hash(input, DIGEST_LENGTH)

    /**
     * The 32-byte BLAKE3 hash of the buffer's remaining bytes (`position` to `limit`). The buffer's
     * position, limit and mark are unchanged; direct, heap, read-only and sliced buffers all work.
     *
     * @throws NullPointerException if [input] is null.
     */
    @JvmStatic
    public fun hash(input: ByteBuffer): ByteArray {
        val hasher = Hasher(IV, 0)
        if (input.hasArray()) {
            hasher.update(input.array(), input.arrayOffset() + input.position(), input.remaining())
        } else {
            val source = input.duplicate()
            val piece = ByteArray(minOf(source.remaining(), 16 * CHUNK_LENGTH))
            while (source.hasRemaining()) {
                val n = minOf(piece.size, source.remaining())
                source.get(piece, 0, n)
                hasher.update(piece, 0, n)
            }
        }
        return hasher.finalize(DIGEST_LENGTH)
    }

    /**
     * The first [outputLength] bytes of BLAKE3's extendable output for [input]; its first 32 bytes
     * are [hash] of [input].
     *
     * @throws NullPointerException if [input] is null.
     * @throws IllegalArgumentException if [outputLength] is negative.
     */
    @JvmStatic
    public fun hash(input: ByteArray, outputLength: Int): ByteArray {
        Checks.outputLength(outputLength)
        val hasher = Hasher(IV, 0)
        hasher.update(input, 0, input.size)
        return hasher.finalize(outputLength)
    }

    /**
     * The 32-byte keyed BLAKE3 hash (BLAKE3's MAC mode) of [input] under [key].
     *
     * @throws NullPointerException if [key] or [input] is null.
     * @throws IllegalArgumentException if [key] does not have 32 bytes.
     */
    @JvmStatic
    public fun keyedHash(key: ByteArray, input: ByteArray): ByteArray = keyedHash(key, input, DIGEST_LENGTH)

    /**
     * The first [outputLength] bytes of the keyed BLAKE3 extendable output of [input] under [key].
     *
     * @throws NullPointerException if [key] or [input] is null.
     * @throws IllegalArgumentException if [key] does not have 32 bytes or [outputLength] is negative.
     */
    @JvmStatic
    public fun keyedHash(key: ByteArray, input: ByteArray, outputLength: Int): ByteArray {
        Checks.key(key)
        Checks.outputLength(outputLength)
        val keyWords = IntArray(8) { readWord(key, 4 * it) }
        val hasher = Hasher(keyWords, KEYED_HASH)
        hasher.update(input, 0, input.size)
        return hasher.finalize(outputLength)
    }

    /**
     * [hash] of every input, in order.
     *
     * @throws NullPointerException if [inputs] or any of its elements is null (the message names the index).
     */
    @JvmStatic
    public fun hashBatch(inputs: Array<ByteArray>): Array<ByteArray> {
        Checks.batchWork(inputs, "inputs")
        return Array(inputs.size) { hash(inputs[it]) }
    }

    private fun readWord(b: ByteArray, at: Int): Int =
        (b[at].toInt() and 0xFF) or ((b[at + 1].toInt() and 0xFF) shl 8) or
            ((b[at + 2].toInt() and 0xFF) shl 16) or (b[at + 3].toInt() shl 24)

    private fun readBlock(b: ByteArray, at: Int, m: IntArray) {
        for (i in 0 until 16) m[i] = readWord(b, at + 4 * i)
    }

    /**
     * The compression function: the 16-word state after 7 rounds over the block [m], fed forward
     * (`out[i] = v[i] xor v[i + 8]`, `out[i + 8] = v[i + 8] xor cv[i]`). [out] must not be [cv].
     */
    private fun compress(cv: IntArray, m: IntArray, counter: Long, blockLength: Int, flags: Int, out: IntArray) {
        var v0 = cv[0]
        var v1 = cv[1]
        var v2 = cv[2]
        var v3 = cv[3]
        var v4 = cv[4]
        var v5 = cv[5]
        var v6 = cv[6]
        var v7 = cv[7]
        var v8 = IV[0]
        var v9 = IV[1]
        var v10 = IV[2]
        var v11 = IV[3]
        var v12 = counter.toInt()
        var v13 = (counter ushr 32).toInt()
        var v14 = blockLength
        var v15 = flags
        var m0 = m[0]
        var m1 = m[1]
        var m2 = m[2]
        var m3 = m[3]
        var m4 = m[4]
        var m5 = m[5]
        var m6 = m[6]
        var m7 = m[7]
        var m8 = m[8]
        var m9 = m[9]
        var m10 = m[10]
        var m11 = m[11]
        var m12 = m[12]
        var m13 = m[13]
        var m14 = m[14]
        var m15 = m[15]
        for (r in 0 until 7) {
            // Columns.
            v0 += v4 + m0
            v12 = Integer.rotateRight(v12 xor v0, 16)
            v8 += v12
            v4 = Integer.rotateRight(v4 xor v8, 12)
            v0 += v4 + m1
            v12 = Integer.rotateRight(v12 xor v0, 8)
            v8 += v12
            v4 = Integer.rotateRight(v4 xor v8, 7)
            v1 += v5 + m2
            v13 = Integer.rotateRight(v13 xor v1, 16)
            v9 += v13
            v5 = Integer.rotateRight(v5 xor v9, 12)
            v1 += v5 + m3
            v13 = Integer.rotateRight(v13 xor v1, 8)
            v9 += v13
            v5 = Integer.rotateRight(v5 xor v9, 7)
            v2 += v6 + m4
            v14 = Integer.rotateRight(v14 xor v2, 16)
            v10 += v14
            v6 = Integer.rotateRight(v6 xor v10, 12)
            v2 += v6 + m5
            v14 = Integer.rotateRight(v14 xor v2, 8)
            v10 += v14
            v6 = Integer.rotateRight(v6 xor v10, 7)
            v3 += v7 + m6
            v15 = Integer.rotateRight(v15 xor v3, 16)
            v11 += v15
            v7 = Integer.rotateRight(v7 xor v11, 12)
            v3 += v7 + m7
            v15 = Integer.rotateRight(v15 xor v3, 8)
            v11 += v15
            v7 = Integer.rotateRight(v7 xor v11, 7)
            // Diagonals.
            v0 += v5 + m8
            v15 = Integer.rotateRight(v15 xor v0, 16)
            v10 += v15
            v5 = Integer.rotateRight(v5 xor v10, 12)
            v0 += v5 + m9
            v15 = Integer.rotateRight(v15 xor v0, 8)
            v10 += v15
            v5 = Integer.rotateRight(v5 xor v10, 7)
            v1 += v6 + m10
            v12 = Integer.rotateRight(v12 xor v1, 16)
            v11 += v12
            v6 = Integer.rotateRight(v6 xor v11, 12)
            v1 += v6 + m11
            v12 = Integer.rotateRight(v12 xor v1, 8)
            v11 += v12
            v6 = Integer.rotateRight(v6 xor v11, 7)
            v2 += v7 + m12
            v13 = Integer.rotateRight(v13 xor v2, 16)
            v8 += v13
            v7 = Integer.rotateRight(v7 xor v8, 12)
            v2 += v7 + m13
            v13 = Integer.rotateRight(v13 xor v2, 8)
            v8 += v13
            v7 = Integer.rotateRight(v7 xor v8, 7)
            v3 += v4 + m14
            v14 = Integer.rotateRight(v14 xor v3, 16)
            v9 += v14
            v4 = Integer.rotateRight(v4 xor v9, 12)
            v3 += v4 + m15
            v14 = Integer.rotateRight(v14 xor v3, 8)
            v9 += v14
            v4 = Integer.rotateRight(v4 xor v9, 7)
            if (r == 6) break
            // The message permutation, for the next round.
            val p0 = m2
            val p1 = m6
            val p2 = m3
            val p3 = m10
            val p4 = m7
            val p5 = m0
            val p6 = m4
            val p7 = m13
            val p8 = m1
            val p9 = m11
            val p10 = m12
            val p11 = m5
            val p12 = m9
            val p13 = m14
            val p14 = m15
            val p15 = m8
            m0 = p0
            m1 = p1
            m2 = p2
            m3 = p3
            m4 = p4
            m5 = p5
            m6 = p6
            m7 = p7
            m8 = p8
            m9 = p9
            m10 = p10
            m11 = p11
            m12 = p12
            m13 = p13
            m14 = p14
            m15 = p15
        }
        out[0] = v0 xor v8
        out[1] = v1 xor v9
        out[2] = v2 xor v10
        out[3] = v3 xor v11
        out[4] = v4 xor v12
        out[5] = v5 xor v13
        out[6] = v6 xor v14
        out[7] = v7 xor v15
        out[8] = v8 xor cv[0]
        out[9] = v9 xor cv[1]
        out[10] = v10 xor cv[2]
        out[11] = v11 xor cv[3]
        out[12] = v12 xor cv[4]
        out[13] = v13 xor cv[5]
        out[14] = v14 xor cv[6]
        out[15] = v15 xor cv[7]
    }

    /**
     * One hash computation: the current chunk's state, and the stack of chaining values of
     * completed subtrees (one per set bit of the number of completed chunks, at most 54).
     */
    private class Hasher(private val key: IntArray, private val baseFlags: Int) {
        private val cv = key.copyOf()
        private var chunkCounter = 0L
        private val block = ByteArray(BLOCK_LENGTH)
        private var blockLength = 0
        private var blocksCompressed = 0
        private val stack = Array(54) { IntArray(8) }
        private var stackSize = 0
        private val m = IntArray(16)
        private val state = IntArray(16)

        private fun chunkLength(): Int = BLOCK_LENGTH * blocksCompressed + blockLength

        private fun startFlag(): Int = if (blocksCompressed == 0) CHUNK_START else 0

        /** Compresses the block in [m] as a non-final block of the current chunk. */
        private fun compressChunkBlock() {
            compress(cv, m, chunkCounter, BLOCK_LENGTH, baseFlags or startFlag(), state)
            System.arraycopy(state, 0, cv, 0, 8)
            blocksCompressed++
        }

        fun update(input: ByteArray, offset: Int, length: Int) {
            var at = offset
            val end = offset + length
            while (at < end) {
                if (chunkLength() == CHUNK_LENGTH) finishChunk()
                // The bytes of this chunk still to come from the input.
                val take = minOf(CHUNK_LENGTH - chunkLength(), end - at)
                val chunkEnd = at + take
                while (at < chunkEnd) {
                    if (blockLength == BLOCK_LENGTH) {
                        // A full buffered block followed by more input is not the chunk's last.
                        readBlock(block, 0, m)
                        compressChunkBlock()
                        block.fill(0)
                        blockLength = 0
                    }
                    if (blockLength == 0 && chunkEnd - at > BLOCK_LENGTH) {
                        readBlock(input, at, m)
                        compressChunkBlock()
                        at += BLOCK_LENGTH
                    } else {
                        val n = minOf(BLOCK_LENGTH - blockLength, chunkEnd - at)
                        System.arraycopy(input, at, block, blockLength, n)
                        blockLength += n
                        at += n
                    }
                }
            }
        }

        /** Pushes the full current chunk's chaining value onto the stack, merging completed subtrees. */
        private fun finishChunk() {
            readBlock(block, 0, m)
            compress(cv, m, chunkCounter, blockLength, baseFlags or startFlag() or CHUNK_END, state)
            val newCv = IntArray(8)
            System.arraycopy(state, 0, newCv, 0, 8)
            var completed = chunkCounter + 1
            while (completed and 1L == 0L) {
                stackSize--
                parentCv(stack[stackSize], newCv, newCv)
                completed = completed ushr 1
            }
            System.arraycopy(newCv, 0, stack[stackSize], 0, 8)
            stackSize++
            chunkCounter++
            System.arraycopy(key, 0, cv, 0, 8)
            block.fill(0)
            blockLength = 0
            blocksCompressed = 0
        }

        /** Writes the chaining value of the parent of [left] and [right] into [out] (may be [right]). */
        private fun parentCv(left: IntArray, right: IntArray, out: IntArray) {
            System.arraycopy(left, 0, m, 0, 8)
            System.arraycopy(right, 0, m, 8, 8)
            compress(key, m, 0L, BLOCK_LENGTH, baseFlags or PARENT, state)
            System.arraycopy(state, 0, out, 0, 8)
        }

        /**
         * The first [length] bytes of the root output: the final chunk's (or the root parent's)
         * compression with the ROOT flag, repeated with output block counters 0, 1, 2...
         */
        fun finalize(length: Int): ByteArray {
            // The root node: its input chaining value, block, block length and flags.
            val rootCv = IntArray(8)
            val rootBlock = IntArray(16)
            readBlock(block, 0, rootBlock)
            System.arraycopy(cv, 0, rootCv, 0, 8)
            val rootBlockLength = if (stackSize == 0) blockLength else BLOCK_LENGTH
            var rootFlags = baseFlags or startFlag() or CHUNK_END
            if (stackSize > 0) {
                // Fold the final chunk into the stack from the top down; the last parent is the root.
                val right = IntArray(8)
                compress(cv, rootBlock, chunkCounter, blockLength, rootFlags, state)
                System.arraycopy(state, 0, right, 0, 8)
                var i = stackSize - 1
                while (i > 0) {
                    parentCv(stack[i], right, right)
                    i--
                }
                System.arraycopy(stack[0], 0, rootBlock, 0, 8)
                System.arraycopy(right, 0, rootBlock, 8, 8)
                System.arraycopy(key, 0, rootCv, 0, 8)
                rootFlags = baseFlags or PARENT
            }
            val out = ByteArray(length)
            var outputBlock = 0L
            var at = 0
            while (at < length) {
                compress(rootCv, rootBlock, outputBlock, rootBlockLength, rootFlags or ROOT, state)
                for (w in 0 until 16) {
                    var word = state[w]
                    for (b in 0 until 4) {
                        if (at == length) return out
                        out[at++] = word.toByte()
                        word = word ushr 8
                    }
                }
                outputBlock++
            }
            return out
        }
    }
}
