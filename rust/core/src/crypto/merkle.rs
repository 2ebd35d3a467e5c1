//! The Merkle tree hash of RFC 6962 (section 2.1) over SHA-256:
//!
//! - `MTH({})` is the SHA-256 of the empty string;
//! - `MTH({d0})` is `SHA-256(0x00 || d0)`, the leaf hash;
//! - for `n > 1`, with `k` the largest power of two smaller than `n`,
//!   `MTH(D[n]) = SHA-256(0x01 || MTH(D[0:k]) || MTH(D[k:n]))`.
//!
//! Leaves are hashed as a batch, several at a time (multi-buffer SHA-256, see
//! [`super::sha256`]), and the tree above them level by level: pair the nodes of a level in
//! order, carry an odd last node up unchanged. That builds exactly RFC 6962's left-filled tree
//! (the split point `k` is where the left subtree is full), and hands each level's nodes to
//! the multi-buffer hasher together instead of one recursive call at a time.

use std::borrow::Cow;

use super::sha256::{self, Sha256};
use super::{map_batch, Digest, DIGEST_LEN};
use crate::pool;

/// The byte before a leaf's data in its hash (RFC 6962's domain separation).
pub const LEAF_PREFIX: u8 = 0x00;

/// The byte before two child hashes in an inner node's hash.
pub const NODE_PREFIX: u8 = 0x01;

/// Levels of at least this many inner nodes are shared with the pool: each node is about
/// 60 ns of multi-buffer SHA-256, so 4096 of them repay waking a worker several times over.
pub const PAR_MIN_NODES: usize = 4096;

/// Inner nodes per run when a level is shared with the pool.
const RUN_NODES: usize = 512;

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

/// [`leaf_hash`] of every leaf, in order, several at a time; shared with the pool when the
/// batch is large.
pub fn leaf_hashes(leaves: &[&[u8]]) -> Vec<Digest> {
    map_batch(leaves, |run, digests| {
        tape_sha256::hash_many_prefixed(&[LEAF_PREFIX], run, digests)
    })
}

/// The Merkle tree hash of the leaves whose leaf hashes are `hashes`, in order.
pub fn root_of_leaf_hashes(hashes: &[Digest]) -> Digest {
    let mut level = Cow::Borrowed(hashes);
    while level.len() > 1 {
        level = Cow::Owned(parent_level(&level));
    }
    match level.first() {
        Some(root) => *root,
        None => sha256::hash(&[]),
    }
}

/// The level above `level` (at least two nodes): `SHA-256(0x01 || left || right)` of each pair,
/// in order, and an odd last node carried up as it is.
fn parent_level(level: &[Digest]) -> Vec<Digest> {
    let pairs = level.len() / 2;
    let left: Vec<&[u8]> = level
        .iter()
        .step_by(2)
        .take(pairs)
        .map(|d| &d[..])
        .collect();
    let right: Vec<&[u8]> = level.iter().skip(1).step_by(2).map(|d| &d[..]).collect();
    let mut parents = vec![[0u8; DIGEST_LEN]; left.len()];
    if left.len() >= PAR_MIN_NODES {
        let runs: Vec<_> = left
            .chunks(RUN_NODES)
            .zip(right.chunks(RUN_NODES))
            .zip(parents.chunks_mut(RUN_NODES))
            .collect();
        pool::share(runs, |((l, r), out)| {
            tape_sha256::hash_pairs(&[NODE_PREFIX], l, r, out)
        });
    } else {
        tape_sha256::hash_pairs(&[NODE_PREFIX], &left, &right, &mut parents);
    }
    if !level.len().is_multiple_of(2) {
        parents.extend(level.last());
    }
    parents
}

/// The RFC 6962 Merkle tree hash of `leaves`.
pub fn root(leaves: &[&[u8]]) -> Digest {
    root_of_leaf_hashes(&leaf_hashes(leaves))
}
