//! Block validation (docs/block-format.md): framing, per-transaction checks with Ed25519
//! signatures, duplicate nonces and the RFC 6962 Merkle root of the transactions.
//!
//! Validation runs in stages so that a caller holding the block under a lock it must not keep
//! for long (the JNI bridge pins a Java `byte[]`) can release it between them:
//!
//! 1. [`frame`]: one copy-free pass over the length fields, which returns either a finished
//!    report (wrong magic, truncated, trailing bytes) or a [`Layout`]: the header's fields and
//!    the transaction count, so it borrows nothing from the block;
//! 2. [`Validation::check_run`], repeated until [`Validation::remaining`] is 0: the next run of
//!    transactions, in block order. The checks that depend on a transaction alone (its
//!    encoding, amount, signature) and its Merkle leaf hash are spread over hotpath's pool
//!    [`GROUP`] transactions per task when the run is long, signatures verified together with
//!    [`ed25519::verify_batch`]'s method (whose answers are exactly the single answers); then,
//!    on the calling thread, the duplicate-nonce check, which must see the transactions in
//!    block order, and the fold of the leaf hashes into a [`Frontier`] of the Merkle tree;
//! 3. [`Validation::finish`]: the report.
//!
//! [`validate_block`] runs them on one slice. Every stage is a pure function of its input, so
//! any split into runs gives the same report.
//!
//! No length is trusted before it is checked against the bytes that are there: the framing pass
//! refuses a transaction count larger than the remaining bytes could hold (4 bytes of length
//! each) before anything is allocated in proportion to it.
//!
//! ## Memory
//!
//! What a validation keeps for the whole block is what its report needs and what the
//! duplicate-nonce check needs, nothing per transaction besides:
//!
//! - the statuses, 1 byte per transaction, reserved once after framing (so at most a quarter of
//!   the block's bytes: every transaction takes at least its 4-byte length field);
//! - the sender and nonce (40 bytes) of each transaction whose status is `Ok` so far, in a hash
//!   set: at most 144 bytes per entry while the table grows, and every such transaction has at
//!   least 159 bytes in the block;
//! - the Merkle frontier, one digest per level, in place.
//!
//! Everything else lives for one run of at most [`RUN_MAX`] transactions: their slices, leaf
//! hashes and statuses ([`MEMORY_FIXED`]), and one signature batch in flight per thread
//! ([`MEMORY_PER_THREAD`]). So a block of `B` bytes with `n` transactions, `k` of them `Ok`,
//! validated by `t` threads (the caller and the pool's) needs at most
//! `n + 144 k + 256 KiB (1 + t)`, which is at most `1.2 B + 256 KiB (1 + t)`, of heap. Every
//! allocation that grows with the block is fallible: [`Error::OutOfMemory`] rather than an
//! abort. `tests/ledger_memory.rs` holds validation to this bound with a counting allocator.

use std::collections::HashSet;

use crate::crypto::merkle::{Frontier, LEAF_PREFIX};
use crate::crypto::{Digest, DIGEST_LEN};
use crate::ed25519::{self, Item, PUBLIC_KEY_LENGTH, SIGNATURE_LENGTH};
use crate::error::{vec_with_capacity, Error};
use crate::pool;

/// The four bytes a block starts with.
pub const MAGIC: [u8; 4] = *b"HPB1";
/// Bytes in a block header.
pub const HEADER_LENGTH: usize = 80;
/// Bytes before each transaction: its length, `u32` little-endian.
pub const LENGTH_PREFIX: usize = 4;
/// Bytes in a transaction besides its payload.
pub const TX_FIXED_LENGTH: usize = 155;
/// The largest payload a well-formed transaction carries.
pub const MAX_PAYLOAD: usize = 1024;
/// The only transaction version there is.
pub const TX_VERSION: u8 = 1;

/// Transactions checked by one task of [`Layout::check`]: one signature batch of
/// [`ed25519::BATCH`], about 1 ms of work on one core.
pub const GROUP: usize = ed25519::BATCH;

/// Runs of at least this many transactions are checked on the pool: below two groups there is
/// nothing to split.
pub const PAR_MIN: usize = 2 * GROUP;

/// The most transactions one [`Validation::check_run`] takes on, and the run [`validate_block`]
/// uses: 64 groups, so the pool's threads balance to within a group (about 1 ms), while what
/// the run holds (a slice, a leaf hash and a status per transaction, about 50 bytes) stays
/// near 200 KiB.
pub const RUN_MAX: usize = 64 * GROUP;

/// Bytes a validation may hold per transaction whose status is `Ok` so far, beyond the status
/// itself: its sender and nonce in the duplicate-nonce set, as the set's table grows (module
/// documentation, "Memory").
pub const MEMORY_PER_OK: usize = 144;

/// Bytes a validation may hold whatever the block: one run's working memory (module
/// documentation, "Memory").
pub const MEMORY_FIXED: usize = 256 * 1024;

/// Bytes a validation may hold per thread working on it (the caller's and each of the pool's):
/// one signature batch in flight, its points and the multiscalar multiplication's tables.
pub const MEMORY_PER_THREAD: usize = 256 * 1024;

// Offsets in the header.
const HEIGHT_AT: usize = 4;
const ROOT_AT: usize = 44;
const COUNT_AT: usize = 76;

// Offsets in a transaction.
const SENDER_AT: usize = 1;
const AMOUNT_AT: usize = 65;
const NONCE_AT: usize = 81;
const PAYLOAD_LENGTH_AT: usize = 89;

/// The verdict on one transaction. The discriminants are the codes the JNI bridge sends to
/// the JVM, in the order of Kotlin's `TxStatus` enum.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
#[repr(u8)]
pub enum TxStatus {
    /// Every check passed.
    Ok = 0,
    /// Shorter than 155 bytes, version not 1, payload longer than 1024 bytes, or a length that
    /// is not 155 plus the payload length.
    Malformed = 1,
    /// Well formed, with an amount of zero.
    ZeroAmount = 2,
    /// Well formed, non-zero amount, and the signature does not verify (docs/ed25519.md).
    BadSignature = 3,
    /// Otherwise fine, but an earlier transaction of the block with the same sender and nonce
    /// has status [`TxStatus::Ok`].
    DuplicateNonce = 4,
}

/// What is wrong with the block as a whole. The discriminants are the JNI bridge's codes.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
#[repr(u8)]
pub enum BlockError {
    /// The first four bytes are not `HPB1`.
    BadMagic = 0,
    /// The header, a length field or a transaction runs past the end (fewer than 4 bytes too).
    Truncated = 1,
    /// Bytes follow the last transaction.
    TrailingBytes = 2,
    /// The Merkle root of the transactions differs from the header's.
    MerkleMismatch = 3,
}

/// The result of validating one block.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct BlockReport {
    /// The block-level error, if any.
    pub error: Option<BlockError>,
    /// The Merkle root computed over the transactions; `None` when framing failed.
    pub merkle_root: Option<Digest>,
    /// The header's transaction count when the header is complete and its magic right (then,
    /// when framing succeeded, also the number of statuses); 0 otherwise.
    pub tx_count: u32,
    /// One status per transaction, in block order; empty when framing failed.
    pub statuses: Vec<TxStatus>,
}

impl BlockReport {
    /// No error and every transaction [`TxStatus::Ok`].
    pub fn is_valid(&self) -> bool {
        self.error.is_none() && self.statuses.iter().all(|s| *s == TxStatus::Ok)
    }

    fn broken(error: BlockError, tx_count: u32) -> BlockReport {
        BlockReport {
            error: Some(error),
            merkle_root: None,
            tx_count,
            statuses: Vec::new(),
        }
    }
}

/// A block whose framing is sound: its header's fields and its number of transactions.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Layout {
    /// The header's block height.
    pub height: u64,
    /// The header's Merkle root.
    pub merkle_root: Digest,
    /// The number of transactions (the header's count, which the framing pass confirmed).
    pub tx_count: usize,
}

fn u32_at(bytes: &[u8], at: usize) -> Option<u32> {
    let b: [u8; 4] = bytes.get(at..at + 4)?.try_into().ok()?;
    Some(u32::from_le_bytes(b))
}

fn u64_at(bytes: &[u8], at: usize) -> Option<u64> {
    let b: [u8; 8] = bytes.get(at..at + 8)?.try_into().ok()?;
    Some(u64::from_le_bytes(b))
}

fn array_at<const N: usize>(bytes: &[u8], at: usize) -> Option<[u8; N]> {
    bytes.get(at..at + N)?.try_into().ok()
}

/// Stage 1: the framing pass. `Err` holds the finished report of a block whose framing is
/// broken (no statuses, no root); its `tx_count` is the header's count when the 80-byte header
/// is there and starts with the magic, else 0.
///
/// Order of the checks: fewer than 4 bytes is [`BlockError::Truncated`]; wrong magic
/// [`BlockError::BadMagic`]; a header shorter than 80 bytes, a count larger than the bytes after
/// the header could hold, or a length field or transaction running past the end
/// [`BlockError::Truncated`]; bytes after the last transaction [`BlockError::TrailingBytes`].
pub fn frame(block: &[u8]) -> Result<Layout, BlockReport> {
    match block.get(..MAGIC.len()) {
        None => return Err(BlockReport::broken(BlockError::Truncated, 0)),
        Some(magic) if magic != MAGIC => return Err(BlockReport::broken(BlockError::BadMagic, 0)),
        Some(_) => {}
    }
    let header = (
        u64_at(block, HEIGHT_AT),
        array_at::<DIGEST_LEN>(block, ROOT_AT),
        u32_at(block, COUNT_AT),
    );
    let (Some(height), Some(merkle_root), Some(count)) = header else {
        return Err(BlockReport::broken(BlockError::Truncated, 0));
    };
    let truncated = || BlockReport::broken(BlockError::Truncated, count);
    // Every transaction takes at least its length field, so a count beyond this cannot fit;
    // refusing it here bounds the allocation below by the block's own size.
    let room = block.len().saturating_sub(HEADER_LENGTH) / LENGTH_PREFIX;
    let n = usize::try_from(count).map_err(|_| truncated())?;
    if n > room {
        return Err(truncated());
    }
    let mut at = HEADER_LENGTH;
    for _ in 0..n {
        at = next_transaction(block, at).ok_or_else(truncated)?.end;
    }
    if at != block.len() {
        return Err(BlockReport::broken(BlockError::TrailingBytes, count));
    }
    Ok(Layout {
        height,
        merkle_root,
        tx_count: n,
    })
}

/// Where the transaction whose length field is at `at` lies, if the field and the transaction
/// are inside `block`.
fn next_transaction(block: &[u8], at: usize) -> Option<std::ops::Range<usize>> {
    let length = usize::try_from(u32_at(block, at)?).ok()?;
    let start = at.checked_add(LENGTH_PREFIX)?;
    let end = start
        .checked_add(length)
        .filter(|end| *end <= block.len())?;
    Some(start..end)
}

/// The status a transaction earns on its own before its signature is checked: `Ok` when the
/// signature decides, else the failure.
fn encoding_status(tx: &[u8]) -> TxStatus {
    if tx.len() < TX_FIXED_LENGTH || tx.first() != Some(&TX_VERSION) {
        return TxStatus::Malformed;
    }
    let payload = match tx.get(PAYLOAD_LENGTH_AT..PAYLOAD_LENGTH_AT + 2) {
        Some(&[lo, hi]) => usize::from(u16::from_le_bytes([lo, hi])),
        _ => return TxStatus::Malformed,
    };
    if payload > MAX_PAYLOAD || tx.len() != TX_FIXED_LENGTH + payload {
        return TxStatus::Malformed;
    }
    if u64_at(tx, AMOUNT_AT) == Some(0) {
        return TxStatus::ZeroAmount;
    }
    TxStatus::Ok
}

/// The signed part, the sender's key and the signature of a transaction whose encoding passed.
fn signature_item(tx: &[u8]) -> Option<Item<'_>> {
    let split = tx.len().checked_sub(SIGNATURE_LENGTH)?;
    let (message, signature) = tx.split_at(split);
    Some(Item {
        public_key: tx
            .get(SENDER_AT..SENDER_AT + PUBLIC_KEY_LENGTH)?
            .try_into()
            .ok()?,
        message,
        signature: signature.try_into().ok()?,
    })
}

/// What a group of at most [`GROUP`] transactions earns on its own: the statuses (anything but
/// [`TxStatus::DuplicateNonce`], which needs the block order) and the leaf hashes.
struct GroupCheck {
    statuses: [TxStatus; GROUP],
    leaves: [Digest; GROUP],
}

/// The checks of one group of at most [`GROUP`] transactions, each given as its bytes.
fn check_group(txs: &[&[u8]]) -> GroupCheck {
    let mut group = GroupCheck {
        statuses: [TxStatus::Malformed; GROUP],
        leaves: [[0; DIGEST_LEN]; GROUP],
    };
    let txs = txs.get(..GROUP).unwrap_or(txs);
    for (status, tx) in group.statuses.iter_mut().zip(txs) {
        *status = encoding_status(tx);
    }
    let (indices, items): (Vec<usize>, Vec<Item<'_>>) = txs
        .iter()
        .enumerate()
        .filter(|(i, _)| group.statuses.get(*i) == Some(&TxStatus::Ok))
        .filter_map(|(i, tx)| signature_item(tx).map(|item| (i, item)))
        .unzip();
    for (i, ok) in indices.into_iter().zip(ed25519::verify_batch(&items)) {
        if let (Some(status), false) = (group.statuses.get_mut(i), ok) {
            *status = TxStatus::BadSignature;
        }
    }
    tape_sha256::hash_many_prefixed(&[LEAF_PREFIX], txs, &mut group.leaves[..txs.len()]);
    group
}

/// The state of one block's validation between runs (stage 2 of the module documentation):
/// the statuses so far, the senders and nonces of the `Ok` ones, and the Merkle frontier.
/// Owns its data and borrows nothing, so the block may move between runs.
#[derive(Debug)]
pub struct Validation {
    layout: Layout,
    /// Where the next transaction's length field is.
    cursor: usize,
    statuses: Vec<TxStatus>,
    seen: HashSet<([u8; PUBLIC_KEY_LENGTH], u64)>,
    frontier: Frontier,
}

impl Validation {
    /// The validation of a framed block, none of its transactions checked yet.
    ///
    /// # Errors
    /// [`Error::OutOfMemory`] when the statuses (1 byte per transaction) cannot be allocated.
    pub fn new(layout: Layout) -> Result<Validation, Error> {
        Ok(Validation {
            statuses: vec_with_capacity("transaction statuses", layout.tx_count)?,
            layout,
            cursor: HEADER_LENGTH,
            seen: HashSet::new(),
            frontier: Frontier::new(),
        })
    }

    /// Transactions not yet checked.
    pub fn remaining(&self) -> usize {
        self.layout.tx_count.saturating_sub(self.statuses.len())
    }

    /// Checks the next `max` transactions (at least 1, at most [`RUN_MAX`] and what remains)
    /// of `block`, which must be the bytes [`frame`] saw: on the pool, [`GROUP`] transactions
    /// per task, when the run holds [`PAR_MIN`] or more. A transaction outside `block` (another
    /// block than the one framed) is checked as empty, so [`TxStatus::Malformed`]: never a panic.
    ///
    /// # Errors
    /// [`Error::OutOfMemory`] when the set of senders and nonces cannot grow; the validation is
    /// then unusable.
    pub fn check_run(&mut self, block: &[u8], max: usize) -> Result<(), Error> {
        let n = max.clamp(1, RUN_MAX).min(self.remaining());
        let txs: Vec<&[u8]> = (0..n).map(|_| self.next(block)).collect();
        let groups: Vec<GroupCheck> = if n >= PAR_MIN {
            // `share`, not `run`: the calling thread checks groups from the start, so on busy
            // cores, where no worker is free, the run costs what one thread costs.
            let mut slots: Vec<Option<GroupCheck>> = Vec::new();
            slots.resize_with(n.div_ceil(GROUP), || None);
            pool::share(
                slots.iter_mut().zip(txs.chunks(GROUP)).collect(),
                |(slot, group)| *slot = Some(check_group(group)),
            );
            slots.into_iter().flatten().collect()
        } else {
            txs.chunks(GROUP).map(check_group).collect()
        };
        for (group, txs) in groups.iter().zip(txs.chunks(GROUP)) {
            for (status, tx) in group.statuses.iter().zip(txs) {
                let status = self.unique(*status, tx)?;
                self.statuses.push(status);
            }
            self.frontier
                .extend(group.leaves.get(..txs.len()).unwrap_or_default());
        }
        Ok(())
    }

    /// The bytes of the next transaction, moving the cursor past it; empty, with the cursor at
    /// the end, when it is not inside `block`.
    fn next<'b>(&mut self, block: &'b [u8]) -> &'b [u8] {
        match next_transaction(block, self.cursor) {
            Some(range) => {
                self.cursor = range.end;
                block.get(range).unwrap_or_default()
            }
            None => {
                self.cursor = block.len();
                &[]
            }
        }
    }

    /// `status`, or [`TxStatus::DuplicateNonce`] when it is `Ok` and an earlier `Ok`
    /// transaction had the same sender and nonce as `tx`.
    fn unique(&mut self, status: TxStatus, tx: &[u8]) -> Result<TxStatus, Error> {
        if status != TxStatus::Ok {
            return Ok(status);
        }
        let key = (
            array_at(tx, SENDER_AT).unwrap_or([0; PUBLIC_KEY_LENGTH]),
            u64_at(tx, NONCE_AT).unwrap_or(0),
        );
        self.seen.try_reserve(1).map_err(|_| {
            Error::out_of_memory::<([u8; PUBLIC_KEY_LENGTH], u64)>(
                "the senders and nonces of a block",
                2 * self.seen.capacity().max(1),
            )
        })?;
        Ok(if self.seen.insert(key) {
            TxStatus::Ok
        } else {
            TxStatus::DuplicateNonce
        })
    }

    /// Stage 3: the report, once [`Validation::remaining`] is 0 (before that, of the
    /// transactions checked so far). Compares the Merkle root with the header's.
    pub fn finish(self) -> BlockReport {
        let root = self.frontier.root();
        BlockReport {
            error: (root != self.layout.merkle_root).then_some(BlockError::MerkleMismatch),
            merkle_root: Some(root),
            // The framing pass checked the count against the block's length, so it fits.
            tx_count: u32::try_from(self.layout.tx_count).unwrap_or(u32::MAX),
            statuses: self.statuses,
        }
    }
}

/// Validates `block` (docs/block-format.md): [`frame`], then [`Validation::check_run`] of
/// every transaction in runs of [`RUN_MAX`], then [`Validation::finish`].
///
/// # Errors
/// [`Error::OutOfMemory`] when the memory the block needs (module documentation) cannot be
/// allocated.
pub fn validate_block(block: &[u8]) -> Result<BlockReport, Error> {
    match frame(block) {
        Err(report) => Ok(report),
        Ok(layout) => {
            let mut validation = Validation::new(layout)?;
            while validation.remaining() > 0 {
                validation.check_run(block, RUN_MAX)?;
            }
            Ok(validation.finish())
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn validate(block: &[u8]) -> BlockReport {
        validate_block(block).unwrap_or_else(|e| panic!("{e}"))
    }

    fn header(count: u32) -> Vec<u8> {
        let mut b = MAGIC.to_vec();
        b.resize(HEADER_LENGTH, 0);
        b[COUNT_AT..].copy_from_slice(&count.to_le_bytes());
        b
    }

    #[test]
    fn short_inputs_are_truncated_and_wrong_magic_is_bad_magic() {
        for len in 0..4 {
            let r = validate(&MAGIC[..len]);
            assert_eq!(r.error, Some(BlockError::Truncated), "{len} bytes");
            assert_eq!(r.tx_count, 0);
        }
        assert_eq!(validate(b"HPB2").error, Some(BlockError::BadMagic));
        assert_eq!(
            validate(&header(0)[..79]).error,
            Some(BlockError::Truncated)
        );
    }

    #[test]
    fn a_count_of_four_billion_is_truncated_without_allocating() {
        let r = validate(&header(u32::MAX));
        assert_eq!(r.error, Some(BlockError::Truncated));
        assert_eq!(r.tx_count, u32::MAX);
        assert!(r.statuses.is_empty() && r.merkle_root.is_none());
    }

    #[test]
    fn empty_block_has_the_empty_tree_root() {
        let mut b = header(0);
        let empty = crate::crypto::sha256::hash(&[]);
        b[ROOT_AT..COUNT_AT].copy_from_slice(&empty);
        let r = validate(&b);
        assert_eq!(r.error, None);
        assert_eq!(r.merkle_root, Some(empty));
        assert!(r.is_valid());
        b.push(0);
        assert_eq!(validate(&b).error, Some(BlockError::TrailingBytes));
    }

    #[test]
    fn encoding_checks_in_order() {
        let mut tx = vec![0u8; TX_FIXED_LENGTH];
        tx[0] = 1;
        assert_eq!(encoding_status(&tx), TxStatus::ZeroAmount);
        tx[AMOUNT_AT] = 1;
        assert_eq!(encoding_status(&tx), TxStatus::Ok);
        assert_eq!(encoding_status(&tx[..154]), TxStatus::Malformed);
        tx[PAYLOAD_LENGTH_AT] = 1;
        assert_eq!(encoding_status(&tx), TxStatus::Malformed);
        tx.push(0);
        assert_eq!(encoding_status(&tx), TxStatus::Ok);
        tx[0] = 2;
        assert_eq!(encoding_status(&tx), TxStatus::Malformed);
    }
}
