//! Block validation (docs/block-format.md): framing, per-transaction checks with Ed25519
//! signatures, duplicate nonces and the RFC 6962 Merkle root of the transactions.
//!
//! Validation runs in three stages so that a caller holding the block under a lock it must not
//! keep for long (the JNI bridge pins a Java `byte[]`) can release it between them:
//!
//! 1. [`frame`]: one copy-free pass over the length fields, which returns either a finished
//!    report (wrong magic, truncated, trailing bytes) or a [`Layout`]: the header and where each
//!    transaction lies, as offsets, so it borrows nothing from the block;
//! 2. [`Layout::check`]: the checks of any run of transactions that depend on that transaction
//!    alone (its encoding, amount, signature) and its Merkle leaf hash, spread over hotpath's pool
//!    [`GROUP`] transactions per task when the run is long, signatures verified together with
//!    [`ed25519::verify_batch`] (whose answers are exactly the single answers);
//! 3. [`Layout::finish`]: the duplicate-nonce pass, which must see the transactions in block
//!    order, and the Merkle root, both on owned data.
//!
//! [`validate_block`] runs the three on one slice. Every stage is a pure function of its input,
//! so any split of stage 2 into runs gives the same report.
//!
//! No length is trusted before it is checked against the bytes that are there: the framing pass
//! refuses a transaction count larger than the remaining bytes could hold (4 bytes of length
//! each) before it allocates anything in proportion to it.

use std::collections::HashSet;
use std::ops::Range;

use rayon::prelude::*;

use crate::crypto::merkle;
use crate::crypto::{Digest, DIGEST_LEN};
use crate::ed25519::{self, Item, PUBLIC_KEY_LENGTH, SIGNATURE_LENGTH};
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

/// A block whose framing is sound: its header's fields and the byte range of each transaction.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Layout {
    /// The header's block height.
    pub height: u64,
    /// The header's Merkle root.
    pub merkle_root: Digest,
    /// Where each transaction's bytes lie in the block, in block order.
    pub transactions: Vec<Range<usize>>,
}

/// What [`Layout::check`] learned about one transaction.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct TxCheck {
    /// The status from the transaction alone: anything but [`TxStatus::DuplicateNonce`], which
    /// [`Layout::finish`] decides.
    pub status: TxStatus,
    /// The sender and nonce, for the duplicate-nonce pass; meaningful when `status` is `Ok`.
    pub sender: [u8; PUBLIC_KEY_LENGTH],
    /// The transaction's nonce.
    pub nonce: u64,
    /// `SHA-256(0x00 || transaction)`, its Merkle leaf hash.
    pub leaf: Digest,
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
    let mut transactions = Vec::with_capacity(n);
    let mut at = HEADER_LENGTH;
    for _ in 0..n {
        let length = u32_at(block, at).ok_or_else(truncated)?;
        let start = at + LENGTH_PREFIX;
        let length = usize::try_from(length).map_err(|_| truncated())?;
        let end = start
            .checked_add(length)
            .filter(|end| *end <= block.len())
            .ok_or_else(truncated)?;
        transactions.push(start..end);
        at = end;
    }
    if at != block.len() {
        return Err(BlockReport::broken(BlockError::TrailingBytes, count));
    }
    Ok(Layout {
        height,
        merkle_root,
        transactions,
    })
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

/// The checks of one group of transactions, each given as its bytes.
fn check_group(txs: &[&[u8]]) -> Vec<TxCheck> {
    let mut checks: Vec<TxCheck> = txs
        .iter()
        .map(|tx| TxCheck {
            status: encoding_status(tx),
            sender: array_at(tx, SENDER_AT).unwrap_or([0; PUBLIC_KEY_LENGTH]),
            nonce: u64_at(tx, NONCE_AT).unwrap_or(0),
            leaf: merkle::leaf_hash(tx),
        })
        .collect();
    let (indices, items): (Vec<usize>, Vec<Item<'_>>) = txs
        .iter()
        .enumerate()
        .filter(|(i, _)| checks.get(*i).is_some_and(|c| c.status == TxStatus::Ok))
        .filter_map(|(i, tx)| signature_item(tx).map(|item| (i, item)))
        .unzip();
    for (i, ok) in indices.into_iter().zip(ed25519::verify_batch(&items)) {
        if let (Some(check), false) = (checks.get_mut(i), ok) {
            check.status = TxStatus::BadSignature;
        }
    }
    checks
}

impl Layout {
    /// The number of transactions.
    pub fn tx_count(&self) -> usize {
        self.transactions.len()
    }

    /// Stage 2: the checks of transactions `which` (indices into [`Layout::transactions`]) of
    /// `block`, which must be the bytes [`frame`] saw. In block order; on the pool, [`GROUP`]
    /// transactions per task, when the run holds [`PAR_MIN`] or more. Indices past the end yield
    /// nothing; a transaction outside `block` (another block than the one framed) is checked as
    /// empty, so [`TxStatus::Malformed`]: never a panic.
    pub fn check(&self, block: &[u8], which: Range<usize>) -> Vec<TxCheck> {
        let ranges = self.transactions.get(which).unwrap_or_default();
        let txs: Vec<&[u8]> = ranges
            .iter()
            .map(|r| block.get(r.clone()).unwrap_or_default())
            .collect();
        if txs.len() >= PAR_MIN {
            pool::run(|| txs.par_chunks(GROUP).flat_map_iter(check_group).collect())
        } else {
            txs.chunks(GROUP).flat_map(check_group).collect()
        }
    }

    /// Stage 3: the report from the checks of every transaction, in block order. Decides
    /// [`TxStatus::DuplicateNonce`] (an earlier transaction with the same sender and nonce is
    /// `Ok`) and compares the Merkle root of the leaf hashes with the header's.
    pub fn finish(&self, checks: &[TxCheck]) -> BlockReport {
        let mut seen: HashSet<([u8; PUBLIC_KEY_LENGTH], u64)> = HashSet::new();
        let statuses = checks
            .iter()
            .map(|c| match c.status {
                TxStatus::Ok if !seen.insert((c.sender, c.nonce)) => TxStatus::DuplicateNonce,
                status => status,
            })
            .collect();
        let leaves: Vec<Digest> = checks.iter().map(|c| c.leaf).collect();
        let root = merkle::root_of_leaf_hashes(&leaves);
        BlockReport {
            error: (root != self.merkle_root).then_some(BlockError::MerkleMismatch),
            merkle_root: Some(root),
            // The framing pass checked the count against the block's length, so it fits.
            tx_count: u32::try_from(self.transactions.len()).unwrap_or(u32::MAX),
            statuses,
        }
    }
}

/// Validates `block` (docs/block-format.md): [`frame`], then [`Layout::check`] of every
/// transaction, then [`Layout::finish`].
pub fn validate_block(block: &[u8]) -> BlockReport {
    match frame(block) {
        Err(report) => report,
        Ok(layout) => {
            let checks = layout.check(block, 0..layout.tx_count());
            layout.finish(&checks)
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn header(count: u32) -> Vec<u8> {
        let mut b = MAGIC.to_vec();
        b.resize(HEADER_LENGTH, 0);
        b[COUNT_AT..].copy_from_slice(&count.to_le_bytes());
        b
    }

    #[test]
    fn short_inputs_are_truncated_and_wrong_magic_is_bad_magic() {
        for len in 0..4 {
            let r = validate_block(&MAGIC[..len]);
            assert_eq!(r.error, Some(BlockError::Truncated), "{len} bytes");
            assert_eq!(r.tx_count, 0);
        }
        assert_eq!(validate_block(b"HPB2").error, Some(BlockError::BadMagic));
        assert_eq!(
            validate_block(&header(0)[..79]).error,
            Some(BlockError::Truncated)
        );
    }

    #[test]
    fn a_count_of_four_billion_is_truncated_without_allocating() {
        let r = validate_block(&header(u32::MAX));
        assert_eq!(r.error, Some(BlockError::Truncated));
        assert_eq!(r.tx_count, u32::MAX);
        assert!(r.statuses.is_empty() && r.merkle_root.is_none());
    }

    #[test]
    fn empty_block_has_the_empty_tree_root() {
        let mut b = header(0);
        let empty = crate::crypto::sha256::hash(&[]);
        b[ROOT_AT..COUNT_AT].copy_from_slice(&empty);
        let r = validate_block(&b);
        assert_eq!(r.error, None);
        assert_eq!(r.merkle_root, Some(empty));
        assert!(r.is_valid());
        b.push(0);
        assert_eq!(validate_block(&b).error, Some(BlockError::TrailingBytes));
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
