//! The Merkle tree hash of RFC 6962 (section 2.1) over SHA-256:
//!
//! - `MTH({})` is the SHA-256 of the empty string;
//! - `MTH({d0})` is `SHA-256(0x00 || d0)`, the leaf hash;
//! - for `n > 1`, with `k` the largest power of two smaller than `n`,
//!   `MTH(D[n]) = SHA-256(0x01 || MTH(D[0:k]) || MTH(D[k:n]))`.
//!
//! Leaves are hashed as a batch (in parallel when large), and the tree above them is cut at
//! the same split points, its two halves joined on the pool when they are large.

use rayon::join;

use super::sha256::{self, Sha256};
use super::{map_batch, Digest, DIGEST_LEN};
use crate::pool;

/// The byte before a leaf's data in its hash (RFC 6962's domain separation).
pub const LEAF_PREFIX: u8 = 0x00;

/// The byte before two child hashes in an inner node's hash.
pub const NODE_PREFIX: u8 = 0x01;

/// Trees of at least this many leaves are combined on the pool: each inner node is about
/// 0.15 us of SHA-256, so 4096 of them repay waking a worker several times over.
pub const PAR_MIN_NODES: usize = 4096;

/// Subtrees of at most this many leaves are combined by one task.
const GRAIN_NODES: usize = 1024;

/// An incremental leaf hasher, `SHA-256(0x00 || leaf)`, for leaves that arrive in pieces.
#[derive(Clone, Debug)]
pub struct LeafHasher(Sha256);

impl Default for LeafHasher {
    fn default() -> Self {
        Self::new()
    }
}

impl LeafHasher {
    /// A leaf hasher that has seen the prefix and no data yet.
    pub fn new() -> Self {
        let mut sha = Sha256::new();
        sha.update(&[LEAF_PREFIX]);
        LeafHasher(sha)
    }

    /// Adds a piece of the leaf's data.
    pub fn update(&mut self, piece: &[u8]) {
        self.0.update(piece);
    }

    /// The leaf hash.
    pub fn finalize(self) -> Digest {
        self.0.finalize()
    }
}

/// `SHA-256(0x00 || leaf)`.
pub fn leaf_hash(leaf: &[u8]) -> Digest {
    let mut hasher = LeafHasher::new();
    hasher.update(leaf);
    hasher.finalize()
}

/// `SHA-256(0x01 || left || right)`.
pub fn node_hash(left: &Digest, right: &Digest) -> Digest {
    let mut block = [0u8; 1 + 2 * DIGEST_LEN];
    block[0] = NODE_PREFIX;
    block[1..=DIGEST_LEN].copy_from_slice(left);
    block[1 + DIGEST_LEN..].copy_from_slice(right);
    sha256::hash(&block)
}

/// [`leaf_hash`] of every leaf, in order; on the pool when the batch is large.
pub fn leaf_hashes(leaves: &[&[u8]]) -> Vec<Digest> {
    map_batch(leaves, leaf_hash)
}

/// The largest power of two strictly smaller than `n`, for `n >= 2`: RFC 6962's split point.
pub fn split_point(n: usize) -> usize {
    debug_assert!(n >= 2);
    1 << (n - 1).ilog2()
}

/// The Merkle tree hash of the leaves whose leaf hashes are `hashes`, in order.
pub fn root_of_leaf_hashes(hashes: &[Digest]) -> Digest {
    if hashes.is_empty() {
        return sha256::hash(&[]);
    }
    if hashes.len() >= PAR_MIN_NODES {
        pool::run(|| subtree(hashes, true))
    } else {
        subtree(hashes, false)
    }
}

/// `MTH` of a non-empty run of leaf hashes; its halves joined on the pool when `parallel`
/// and the run is longer than [`GRAIN_NODES`].
fn subtree(hashes: &[Digest], parallel: bool) -> Digest {
    match hashes {
        [] => sha256::hash(&[]),
        [one] => *one,
        _ => {
            let (left, right) = hashes.split_at(split_point(hashes.len()));
            let (l, r) = if parallel && hashes.len() > GRAIN_NODES {
                join(|| subtree(left, true), || subtree(right, true))
            } else {
                (subtree(left, false), subtree(right, false))
            };
            node_hash(&l, &r)
        }
    }
}

/// The RFC 6962 Merkle tree hash of `leaves`.
pub fn root(leaves: &[&[u8]]) -> Digest {
    root_of_leaf_hashes(&leaf_hashes(leaves))
}

#[cfg(test)]
mod tests {
    use super::split_point;

    #[test]
    fn split_point_is_largest_power_of_two_below_n() {
        let expected = [(2, 1), (3, 2), (4, 2), (5, 4), (8, 4), (9, 8), (17, 16)];
        for (n, k) in expected {
            assert_eq!(split_point(n), k, "n = {n}");
        }
    }
}
