package dev.hotpath.jvm

import dev.hotpath.internal.Checks
import java.security.MessageDigest

/**
 * The JVM twin of `dev.hotpath.Merkle`: the RFC 6962 Merkle tree hash computed with the JDK's
 * `MessageDigest.getInstance("SHA-256")`, following the RFC's recursive definition. It is the
 * test oracle for the native kernel, the baseline of the benchmarks, and the backend that
 * [dev.hotpath.Backend.JVM] (and [dev.hotpath.Backend.AUTO] below its threshold or without native
 * code) runs. Stateless and thread-safe.
 */
public object MerkleReference {
    private const val LEAF_PREFIX = 0x00
    private const val NODE_PREFIX = 0x01

    /**
     * The RFC 6962 Merkle tree hash of [leaves]: SHA-256 of the empty string for no leaves,
     * `SHA-256(0x00 || leaf)` for one, and `SHA-256(0x01 || MTH(first k) || MTH(rest))` for more,
     * `k` being the largest power of two smaller than the number of leaves.
     *
     * @throws NullPointerException if [leaves] or any of its elements is null (the message names the index).
     */
    @JvmStatic
    public fun root(leaves: Array<ByteArray>): ByteArray {
        Checks.batchWork(leaves, "leaves")
        val digest = MessageDigest.getInstance("SHA-256")
        if (leaves.isEmpty()) return digest.digest()
        val hashes = Array(leaves.size) {
            digest.update(LEAF_PREFIX.toByte())
            digest.digest(leaves[it])
        }
        return subtree(digest, hashes, 0, hashes.size)
    }

    /** `MTH` of the `n >= 1` leaves whose leaf hashes start at `hashes[from]`. */
    private fun subtree(digest: MessageDigest, hashes: Array<ByteArray>, from: Int, n: Int): ByteArray {
        if (n == 1) return hashes[from]
        val k = Integer.highestOneBit(n - 1)
        val left = subtree(digest, hashes, from, k)
        val right = subtree(digest, hashes, from + k, n - k)
        digest.update(NODE_PREFIX.toByte())
        digest.update(left)
        return digest.digest(right)
    }
}
