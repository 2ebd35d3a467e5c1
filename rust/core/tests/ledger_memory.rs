//! The Ledger's memory bound (`hotpath_core::ledger`, "Memory"), held with a global allocator
//! that counts every byte and can refuse past a limit: validating a block needs at most
//! `n + MEMORY_PER_OK * k + MEMORY_FIXED + MEMORY_PER_THREAD * (1 + pool threads)` bytes more
//! than before (`n` transactions, `k` of them `Ok`), and a limit below what the statuses need is [`Error::OutOfMemory`], not an abort.
//!
//! The batch kernels of the other families (`try_hash_batch`, `try_leaf_hashes`, `try_root`,
//! `try_verify_batch`) fail the same way under a limit.
//!
//! One test function, so no other test allocates while it measures.

use std::alloc::System;

use cap::Cap;
use hotpath_core::crypto::{blake3, merkle, sha256};
use hotpath_core::ed25519;
use hotpath_core::ledger::{
    self, BlockError, TxStatus, MEMORY_FIXED, MEMORY_PER_OK, MEMORY_PER_THREAD,
};
use hotpath_core::pool;
use hotpath_core::Error;

#[global_allocator]
static ALLOCATOR: Cap<System> = Cap::new(System, usize::MAX);

/// A block of `n` zero-length transactions (4 bytes each, the most a block of its size holds),
/// header root zero. Built at its final capacity, so building it leaves no higher peak behind.
fn empty_block(n: usize) -> Vec<u8> {
    let mut b = Vec::with_capacity(80 + 4 * n);
    b.extend_from_slice(b"HPB1");
    b.resize(76, 0);
    b.extend_from_slice(&u32::try_from(n).unwrap_or(u32::MAX).to_le_bytes());
    b.resize(80 + 4 * n, 0);
    b
}

/// A block of `k` distinct, validly signed 155-byte transactions, header root zero.
fn signed_block(k: usize) -> Vec<u8> {
    let mut b = Vec::with_capacity(80 + 159 * k);
    b.extend_from_slice(b"HPB1");
    b.resize(76, 0);
    b.extend_from_slice(&u32::try_from(k).unwrap_or(u32::MAX).to_le_bytes());
    let secret = [7u8; 32];
    let sender = ed25519::public_key(&secret);
    for nonce in 0..k as u64 {
        let mut t = vec![1u8];
        t.extend_from_slice(&sender);
        t.extend_from_slice(&[0xab; 32]);
        t.extend_from_slice(&5u64.to_le_bytes());
        t.extend_from_slice(&1u64.to_le_bytes());
        t.extend_from_slice(&nonce.to_le_bytes());
        t.extend_from_slice(&0u16.to_le_bytes());
        let signature = ed25519::sign(&secret, &t);
        t.extend_from_slice(&signature);
        b.extend_from_slice(&155u32.to_le_bytes());
        b.extend_from_slice(&t);
    }
    b
}

/// Validates `block` with the allocator limited to what is allocated now plus `extra`; the
/// result and the most allocated above now, where the allocator saw a new peak (else 0).
/// `f()` with the allocator limited to what is allocated now plus `extra`.
fn within<R>(extra: usize, f: impl FnOnce() -> R) -> R {
    assert!(ALLOCATOR.set_limit(ALLOCATOR.allocated() + extra).is_ok());
    let r = f();
    assert!(ALLOCATOR.set_limit(usize::MAX).is_ok());
    r
}

fn validate_within(block: &[u8], extra: usize) -> (Result<ledger::BlockReport, Error>, usize) {
    let before = ALLOCATOR.allocated();
    let old_peak = ALLOCATOR.max_allocated();
    assert!(ALLOCATOR.set_limit(before + extra).is_ok());
    let result = ledger::validate_block(block);
    assert!(ALLOCATOR.set_limit(usize::MAX).is_ok());
    let peak = ALLOCATOR.max_allocated();
    let rise = if peak > old_peak { peak - before } else { 0 };
    (result, rise)
}

#[test]
fn validation_stays_within_its_bound_and_running_out_is_an_error() {
    // Starts the pool and its threads, which allocate once for the process, not per block.
    let warm = signed_block(300);
    assert!(ledger::validate_block(&warm).is_ok());

    let fixed = MEMORY_FIXED + MEMORY_PER_THREAD * (1 + pool::threads());
    let n = 2_000_000;
    let empty = empty_block(n);
    let (report, rise) = validate_within(&empty, n + fixed);
    let report = report.unwrap_or_else(|e| panic!("{e}"));
    assert_eq!(report.statuses.len(), n);
    assert!(report.statuses.iter().all(|s| *s == TxStatus::Malformed));
    assert_eq!(report.error, Some(BlockError::MerkleMismatch));
    eprintln!("{n} empty transactions: peak {rise} bytes above the block");
    assert!(rise <= n + fixed, "{rise} bytes");

    let (refused, _) = validate_within(&empty, n / 2);
    assert_eq!(
        refused,
        Err(Error::OutOfMemory {
            what: "transaction statuses",
            bytes: n
        })
    );

    let k = 20_000;
    let signed = signed_block(k);
    let bound = k + MEMORY_PER_OK * k + fixed;
    let (report, rise) = validate_within(&signed, bound);
    let report = report.unwrap_or_else(|e| panic!("{e}"));
    assert!(report.statuses.iter().all(|s| *s == TxStatus::Ok));
    eprintln!("{k} valid transactions: peak {rise} bytes above the block");
    assert!(rise <= bound, "{rise} bytes");

    // The other families' input-sized allocations fail the same way.
    let inputs: Vec<&[u8]> = vec![&b"abc"[..]; 100_000];
    let digests = Err(Error::OutOfMemory {
        what: "the digests of a batch",
        bytes: 32 * inputs.len(),
    });
    assert_eq!(within(4096, || sha256::try_hash_batch(&inputs)), digests);
    assert_eq!(within(4096, || blake3::try_hash_batch(&inputs)), digests);
    assert_eq!(within(4096, || merkle::try_leaf_hashes(&inputs)), digests);
    assert!(within(4096, || merkle::try_root(&inputs)).is_err());
    let key = ed25519::public_key(&[1; 32]);
    let signature = ed25519::sign(&[1; 32], b"m");
    let item = ed25519::Item {
        public_key: &key,
        message: b"m",
        signature: &signature,
    };
    let items = vec![item; 100_000];
    assert_eq!(
        within(4096, || ed25519::try_verify_batch(&items)),
        Err(Error::OutOfMemory {
            what: "the answers of a signature batch",
            bytes: items.len(),
        })
    );
    assert_eq!(
        ed25519::try_verify_batch(&items[..200]),
        Ok(vec![true; 200])
    );
}
