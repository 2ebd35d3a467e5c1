package dev.hotpath

import dev.hotpath.internal.Checks
import dev.hotpath.internal.Dispatch
import dev.hotpath.internal.NativeBridge
import dev.hotpath.internal.Threshold
import dev.hotpath.jvm.MerkleReference

/**
 * Merkle tree hashes as Certificate Transparency defines them (RFC 6962, section 2.1), over
 * SHA-256.
 *
 * Both backends return the same bytes; the JVM one is [MerkleReference]. Natively, several leaves
 * are hashed at a time (multi-buffer SHA-256), shared between the calling thread and hotpath's
 * pool when they hold at least 128 KiB, and the tree is combined level by level the same way,
 * levels of 4096 nodes or more in parallel. Leaves are pinned a group of at most 1 MiB at a
 * time (a longer leaf alone, in 1 MiB pieces), so the garbage collector is never held off for
 * long. Thread-safe.
 */
public object Merkle {
    /** Bytes in a root. */
    public const val DIGEST_LENGTH: Int = 32

    private val ROOT = Threshold("crypto.merkle.root")

    /**
     * The RFC 6962 Merkle tree hash of [leaves], in order:
     * - no leaves: SHA-256 of the empty string;
     * - one leaf `d`: `SHA-256(0x00 || d)`;
     * - `n > 1` leaves: `SHA-256(0x01 || root(first k) || root(last n - k))`, `k` being the largest
     *   power of two smaller than `n`.
     *
     * @throws NullPointerException if [leaves] or any of its elements is null; the message names
     *   the index (`leaves[3] is null`).
     * @throws NativeLoadException if the backend is [Backend.NATIVE] and the library cannot load.
     */
    @JvmStatic
    public fun root(leaves: Array<ByteArray>): ByteArray {
        val work = Checks.batchWork(leaves, "leaves")
        if (!Dispatch.useNative(ROOT, work)) return MerkleReference.root(leaves)
        val out = ByteArray(DIGEST_LENGTH)
        NativeBridge.merkleRoot(leaves, out)
        return out
    }
}
