//! The Merkle tree hash of RFC 6962 (section 2.1) over SHA-256:
//!
//! - `MTH({})` is the SHA-256 of the empty string;
//! - `MTH({d0})` is `SHA-256(0x00 || d0)`, the leaf hash;
//! - for `n > 1`, with `k` the largest power of two smaller than `n`,
//!   `MTH(D[n]) = SHA-256(0x01 || MTH(D[0:k]) || MTH(D[k:n]))`.
//!
//! Leaves are hashed as a batch, several at a time (multi-buffer SHA-256, see
//! [`super::sha256`]). The tree above them is folded by a [`Frontier`]: the roots of the
//! perfect subtrees that make up the leaves so far, one per set bit of their count, so
//! O(log n) digests whatever the tree's size and no allocation at all. Runs of up to
//! [`PIECE`] leaves are hashed level by level, every level's pairs handed to the multi-buffer
//! hasher together; a large tree is cut at RFC 6962's split points (`k` above) and the halves
//! folded on the pool.
//!
//! Memory: [`root`] and [`leaf_hashes`] allocate the leaf hashes (32 bytes per leaf) and the
//! batch's run list (at most one entry per [`super::RUN_WORK`] of work); [`root_of_leaf_hashes`]
//! and [`Frontier`] allocate nothing (a few KiB of stack).

use super::sha256::{self, Sha256};
use super::{map_batch, Digest};
use crate::error::Error;
use crate::pool;

/// The byte before a leaf's data in its hash (RFC 6962's domain separation).
pub const LEAF_PREFIX: u8 = 0x00;

/// The byte before two child hashes in an inner node's hash.
pub const NODE_PREFIX: u8 = 0x01;

/// Trees of at least this many leaves are folded on the pool: each inner node is about 60 ns
/// of multi-buffer SHA-256, so 8192 of them repay waking a worker several times over.
pub const PAR_MIN_NODES: usize = 8192;

/// Leaves hashed level by level into one perfect subtree at a time: enough pairs per level to
/// fill the multi-buffer lanes for most levels, little enough for the calling thread's stack
/// (two levels of digests and their references, about 12 KiB).
pub const PIECE: usize = 256;

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
///
/// # Errors
/// [`Error::OutOfMemory`] when the digests (32 bytes per input) cannot be allocated.
pub fn try_leaf_hashes(inputs: &[&[u8]]) -> Result<Vec<Digest>, Error> {
    map_batch(inputs, |run, digests| {
        tape_sha256::hash_many_prefixed(&[LEAF_PREFIX], run, digests)
    })
}

/// [`leaf_hash`] of every leaf, in order, several at a time; shared with the pool when the
/// batch is large.
///
/// Panics (which the JNI bridge turns into an exception, never an abort) where [`try_leaf_hashes`]
/// returns [`Error::OutOfMemory`]; callers that can report it should call that.
pub fn leaf_hashes(inputs: &[&[u8]]) -> Vec<Digest> {
    try_leaf_hashes(inputs).unwrap_or_else(|e| panic!("{e}"))
}

/// The Merkle tree hash of the leaves whose leaf hashes are `hashes`, in order. Allocates
/// nothing; on the pool from [`PAR_MIN_NODES`] leaves.
pub fn root_of_leaf_hashes(hashes: &[Digest]) -> Digest {
    /// `MTH` of a non-empty range, split at RFC 6962's `k` until a half is small enough for
    /// one thread.
    fn split(hashes: &[Digest]) -> Digest {
        if hashes.len() <= PAR_MIN_NODES / 2 {
            let mut frontier = Frontier::new();
            frontier.extend(hashes);
            return frontier.root();
        }
        let k = largest_power_of_two_below(hashes.len());
        let (left, right) = hashes.split_at(k);
        let (left, right) = rayon::join(|| split(left), || split(right));
        node_hash(&left, &right)
    }
    if hashes.len() >= PAR_MIN_NODES {
        pool::run(|| split(hashes))
    } else {
        let mut frontier = Frontier::new();
        frontier.extend(hashes);
        frontier.root()
    }
}

/// The largest power of two strictly below `n` (at least 2).
fn largest_power_of_two_below(n: usize) -> usize {
    1 << (n - 1).ilog2()
}

/// `SHA-256(0x01 || left || right)`.
fn node_hash(left: &Digest, right: &Digest) -> Digest {
    let mut sha = Sha256::new();
    sha.update(&[NODE_PREFIX]);
    sha.update(left);
    sha.update(right);
    sha.finalize()
}

/// The root of a perfect subtree of `leaves.len()` leaves (a power of two, at most
/// [`PIECE`]): each level's pairs hashed together, multi-buffer.
fn perfect_root(leaves: &[Digest]) -> Digest {
    let mut a = [[0u8; 32]; PIECE / 2];
    let mut b = [[0u8; 32]; PIECE / 2];
    let pairs = (leaves.len() / 2).min(PIECE / 2);
    if pairs == 0 {
        return leaves.first().copied().unwrap_or_else(|| sha256::hash(&[]));
    }
    hash_level(leaves, &mut a[..pairs]);
    let (mut level, mut above) = (&mut a, &mut b);
    let mut width = pairs;
    while width > 1 {
        hash_level(&level[..width], &mut above[..width / 2]);
        std::mem::swap(&mut level, &mut above);
        width /= 2;
    }
    level[0]
}

/// `out[i]` = the parent of `level[2i]` and `level[2i + 1]`, for the `out.len()` (at most
/// [`PIECE`] / 2) pairs, in one multi-buffer call.
fn hash_level(level: &[Digest], out: &mut [Digest]) {
    let mut left: [&[u8]; PIECE / 2] = [&[]; PIECE / 2];
    let mut right: [&[u8]; PIECE / 2] = [&[]; PIECE / 2];
    let pairs = out.len().min(PIECE / 2);
    for ((pair, l), r) in level.chunks_exact(2).zip(&mut left).zip(&mut right) {
        *l = &pair[0];
        *r = &pair[1];
    }
    tape_sha256::hash_pairs(
        &[NODE_PREFIX],
        &left[..pairs],
        &right[..pairs],
        &mut out[..pairs],
    );
}

/// The right edge of an RFC 6962 tree that grows by appending leaves: the roots of the
/// perfect subtrees its leaves so far make up, largest (leftmost) first, one per set bit of the
/// leaf count. Holds O(log n) digests in place, so folding any number of leaves allocates
/// nothing, and [`Frontier::root`] is the Merkle tree hash of every leaf appended.
#[derive(Clone, Debug)]
pub struct Frontier {
    /// `(root, height)` of each subtree, heights strictly decreasing; `len` are in use.
    subtrees: [(Digest, u32); usize::BITS as usize],
    len: usize,
    leaves: usize,
}

impl Default for Frontier {
    fn default() -> Self {
        Self::new()
    }
}

impl Frontier {
    /// The frontier of the empty tree.
    pub fn new() -> Self {
        Frontier {
            subtrees: [([0; 32], 0); usize::BITS as usize],
            len: 0,
            leaves: 0,
        }
    }

    /// The number of leaves appended.
    pub fn leaves(&self) -> usize {
        self.leaves
    }

    /// Appends the leaves whose leaf hashes are `hashes`, in order. Cut into the largest
    /// perfect subtrees that start where the tree ends (a multiple of their size), at most
    /// [`PIECE`] leaves each, so subtrees are only ever merged with their equals.
    pub fn extend(&mut self, hashes: &[Digest]) {
        let mut rest = hashes;
        while !rest.is_empty() {
            let aligned = match self.leaves.trailing_zeros() {
                z if z >= usize::BITS => usize::MAX,
                z => 1usize << z,
            };
            let fits = 1usize << rest.len().ilog2();
            let size = aligned.min(fits).min(PIECE);
            let (piece, tail) = rest.split_at(size);
            self.push(perfect_root(piece), size.trailing_zeros());
            rest = tail;
        }
    }

    /// Appends a perfect subtree of `2^height` leaves that starts where the tree ends.
    fn push(&mut self, root: Digest, height: u32) {
        let (mut root, mut h) = (root, height);
        while let Some((top, top_height)) = self.len.checked_sub(1).map(|i| self.subtrees[i]) {
            if top_height != h {
                break;
            }
            root = node_hash(&top, &root);
            h += 1;
            self.len -= 1;
        }
        if let Some(slot) = self.subtrees.get_mut(self.len) {
            *slot = (root, h);
            self.len += 1;
        }
        self.leaves = self.leaves.saturating_add(1 << height);
    }

    /// The Merkle tree hash of the leaves appended: the subtrees folded from the right, which is
    /// RFC 6962's split at the largest power of two below the count, applied all the way down.
    pub fn root(&self) -> Digest {
        let mut subtrees = self.subtrees[..self.len].iter().rev();
        match subtrees.next() {
            None => sha256::hash(&[]),
            Some((last, _)) => subtrees.fold(*last, |acc, (left, _)| node_hash(left, &acc)),
        }
    }
}

/// The RFC 6962 Merkle tree hash of `leaves`.
///
/// # Errors
/// [`Error::OutOfMemory`] when the leaf hashes (32 bytes per leaf) cannot be allocated.
pub fn try_root(leaves: &[&[u8]]) -> Result<Digest, Error> {
    Ok(root_of_leaf_hashes(&try_leaf_hashes(leaves)?))
}

/// The RFC 6962 Merkle tree hash of `leaves`; panics where [`try_root`] returns
/// [`Error::OutOfMemory`].
pub fn root(leaves: &[&[u8]]) -> Digest {
    try_root(leaves).unwrap_or_else(|e| panic!("{e}"))
}
