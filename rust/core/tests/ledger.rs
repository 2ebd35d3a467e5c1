//! Block validation against a naive oracle written from docs/block-format.md, on built blocks
//! covering every status and error, and on random and mutated blocks (the stable-Rust twin of
//! the fuzz target in rust/fuzz): validation never panics, its report is self-consistent, equals
//! the oracle's, and does not depend on how the transactions are split into runs (as the JNI
//! bridge splits them to bound each pin).

mod common;

use std::collections::HashSet;

use common::Rng;
use hotpath_core::crypto::{merkle, sha256};
use hotpath_core::ed25519;
use hotpath_core::ledger::{
    self, frame, BlockError, BlockReport, TxStatus, Validation, HEADER_LENGTH,
};

/// One transaction to encode and sign.
#[derive(Clone)]
struct Tx {
    secret: [u8; 32],
    amount: u64,
    nonce: u64,
    payload: Vec<u8>,
}

impl Tx {
    fn new(seed: u8, nonce: u64) -> Tx {
        Tx {
            secret: [seed; 32],
            amount: 1000 + nonce,
            nonce,
            payload: vec![seed; usize::from(seed) % 5],
        }
    }

    fn encode(&self) -> Vec<u8> {
        let mut t = vec![1u8];
        t.extend_from_slice(&ed25519::public_key(&self.secret));
        t.extend_from_slice(&[0xab; 32]);
        t.extend_from_slice(&self.amount.to_le_bytes());
        t.extend_from_slice(&7u64.to_le_bytes());
        t.extend_from_slice(&self.nonce.to_le_bytes());
        let length = u16::try_from(self.payload.len()).unwrap_or(u16::MAX);
        t.extend_from_slice(&length.to_le_bytes());
        t.extend_from_slice(&self.payload);
        let signature = ed25519::sign(&self.secret, &t);
        t.extend_from_slice(&signature);
        t
    }
}

/// A block of `txs` (encoded transactions) with the right Merkle root and count.
fn block_of(txs: &[Vec<u8>]) -> Vec<u8> {
    let leaves: Vec<&[u8]> = txs.iter().map(Vec::as_slice).collect();
    let mut b = b"HPB1".to_vec();
    b.extend_from_slice(&42u64.to_le_bytes());
    b.extend_from_slice(&[0x11; 32]);
    b.extend_from_slice(&merkle::root(&leaves));
    b.extend_from_slice(&(txs.len() as u32).to_le_bytes());
    for t in txs {
        b.extend_from_slice(&(t.len() as u32).to_le_bytes());
        b.extend_from_slice(t);
    }
    b
}

fn le_u32(b: &[u8], at: usize) -> Option<u32> {
    Some(u32::from_le_bytes(b.get(at..at + 4)?.try_into().ok()?))
}

fn le_u64(b: &[u8], at: usize) -> Option<u64> {
    Some(u64::from_le_bytes(b.get(at..at + 8)?.try_into().ok()?))
}

/// The rules of docs/block-format.md, transcribed one by one: sequential, one signature at a
/// time, the Merkle root recomputed from the leaves' bytes.
fn oracle(b: &[u8]) -> BlockReport {
    let broken = |error, tx_count| BlockReport {
        error: Some(error),
        merkle_root: None,
        tx_count,
        statuses: Vec::new(),
    };
    if b.len() < 4 {
        return broken(BlockError::Truncated, 0);
    }
    if &b[..4] != b"HPB1" {
        return broken(BlockError::BadMagic, 0);
    }
    if b.len() < 80 {
        return broken(BlockError::Truncated, 0);
    }
    let count = le_u32(b, 76).unwrap_or(0);
    let mut txs: Vec<&[u8]> = Vec::new();
    let mut at = 80usize;
    for _ in 0..count {
        let Some(len) = le_u32(b, at) else {
            return broken(BlockError::Truncated, count);
        };
        let end = (at + 4) as u64 + u64::from(len);
        if end > b.len() as u64 {
            return broken(BlockError::Truncated, count);
        }
        txs.push(&b[at + 4..end as usize]);
        at = end as usize;
    }
    if at != b.len() {
        return broken(BlockError::TrailingBytes, count);
    }
    let mut ok_keys: HashSet<(Vec<u8>, u64)> = HashSet::new();
    let mut statuses = Vec::new();
    for t in &txs {
        let status = if t.len() < 155 || t[0] != 1 {
            TxStatus::Malformed
        } else {
            let payload = usize::from(u16::from_le_bytes([t[89], t[90]]));
            if payload > 1024 || t.len() != 155 + payload {
                TxStatus::Malformed
            } else if le_u64(t, 65) == Some(0) {
                TxStatus::ZeroAmount
            } else {
                let key: [u8; 32] = t[1..33].try_into().unwrap_or([0; 32]);
                let signature: [u8; 64] = t[t.len() - 64..].try_into().unwrap_or([0; 64]);
                if !ed25519::verify(&key, &t[..t.len() - 64], &signature) {
                    TxStatus::BadSignature
                } else if !ok_keys.insert((t[1..33].to_vec(), le_u64(t, 81).unwrap_or(0))) {
                    TxStatus::DuplicateNonce
                } else {
                    TxStatus::Ok
                }
            }
        };
        statuses.push(status);
    }
    let root = merkle::root(&txs);
    BlockReport {
        error: (root[..] != b[44..76]).then_some(BlockError::MerkleMismatch),
        merkle_root: Some(root),
        tx_count: count,
        statuses,
    }
}

/// `ledger::validate_block`, which must not run out of memory on these small blocks.
fn validate(b: &[u8]) -> BlockReport {
    ledger::validate_block(b).unwrap_or_else(|e| panic!("{e}"))
}

/// What every report must satisfy, whatever the input.
fn assert_consistent(b: &[u8], r: &BlockReport) {
    let framing_broken = matches!(
        r.error,
        Some(BlockError::BadMagic | BlockError::Truncated | BlockError::TrailingBytes)
    );
    assert_eq!(framing_broken, r.merkle_root.is_none(), "{r:?}");
    if framing_broken {
        assert!(r.statuses.is_empty(), "{r:?}");
    } else {
        assert_eq!(r.statuses.len(), r.tx_count as usize, "{r:?}");
        assert!(r.statuses.len() <= (b.len() - HEADER_LENGTH) / 4);
    }
    let all_ok = r.statuses.iter().all(|s| *s == TxStatus::Ok);
    assert_eq!(r.is_valid(), r.error.is_none() && all_ok);
}

/// Validation in runs of `run` transactions, as the JNI bridge does between pins.
fn validate_in_runs(b: &[u8], run: usize) -> BlockReport {
    match frame(b) {
        Err(report) => report,
        Ok(layout) => {
            let mut validation = Validation::new(layout).unwrap_or_else(|e| panic!("{e}"));
            while validation.remaining() > 0 {
                validation
                    .check_run(b, run)
                    .unwrap_or_else(|e| panic!("{e}"));
            }
            validation.finish()
        }
    }
}

fn assert_all_agree(b: &[u8], rng: &mut Rng) -> BlockReport {
    let r = validate(b);
    assert_consistent(b, &r);
    assert_eq!(r, oracle(b), "the oracle differs on {} bytes", b.len());
    let run = 1 + rng.below(200) as usize;
    assert_eq!(r, validate_in_runs(b, run), "runs of {run}");
    r
}

fn sample_txs(n: usize, seed: u8) -> Vec<Vec<u8>> {
    (0..n)
        .map(|i| Tx::new(seed.wrapping_add((i % 7) as u8), i as u64).encode())
        .collect()
}

#[test]
fn well_formed_blocks_of_many_sizes_are_valid() {
    let mut rng = Rng(1);
    for n in [0usize, 1, 2, 3, 5, 64, 65, 127, 128, 129, 300] {
        let b = block_of(&sample_txs(n, 3));
        let r = assert_all_agree(&b, &mut rng);
        assert!(r.is_valid(), "{n} transactions: {r:?}");
        assert_eq!(r.tx_count as usize, n);
        assert_eq!(r.merkle_root.map(|d| d.to_vec()), Some(b[44..76].to_vec()));
    }
}

#[test]
fn empty_block_root_is_sha256_of_nothing() {
    let r = validate(&block_of(&[]));
    assert_eq!(r.merkle_root, Some(sha256::hash(&[])));
    assert!(r.is_valid());
}

#[test]
fn every_status_and_first_failing_check_wins() {
    let base = Tx::new(9, 1);
    let mut zero_amount = base.clone();
    zero_amount.amount = 0;
    let mut zero_and_bad_signature = zero_amount.encode();
    zero_and_bad_signature[100] ^= 1;
    let mut bad_signature = Tx::new(9, 2).encode();
    bad_signature[150] ^= 0x40;
    let mut version_two_zero_amount = zero_amount.encode();
    version_two_zero_amount[0] = 2;
    let mut long_payload = Tx::new(9, 3);
    long_payload.payload = vec![0; 1025];
    let mut max_payload = Tx::new(9, 4);
    max_payload.payload = vec![5; 1024];
    let txs = vec![
        base.encode(),           // OK
        base.encode(),           // DUPLICATE_NONCE
        zero_amount.encode(),    // ZERO_AMOUNT (same nonce: not a duplicate, not OK)
        zero_and_bad_signature,  // ZERO_AMOUNT beats BAD_SIGNATURE
        bad_signature.clone(),   // BAD_SIGNATURE
        Tx::new(9, 2).encode(),  // OK: the earlier one with nonce 2 is not OK
        version_two_zero_amount, // MALFORMED beats ZERO_AMOUNT
        long_payload.encode(),   // MALFORMED: payload 1025
        max_payload.encode(),    // OK: payload 1024
        vec![1u8; 154],          // MALFORMED: too short
        Vec::new(),              // MALFORMED: empty
        Tx::new(10, 1).encode(), // OK: same nonce, another sender
    ];
    let r = assert_all_agree(&block_of(&txs), &mut Rng(2));
    use TxStatus::*;
    assert_eq!(
        r.statuses,
        vec![
            Ok,
            DuplicateNonce,
            ZeroAmount,
            ZeroAmount,
            BadSignature,
            Ok,
            Malformed,
            Malformed,
            Ok,
            Malformed,
            Malformed,
            Ok
        ]
    );
    assert_eq!(r.error, None);
    assert!(!r.is_valid());
}

#[test]
fn length_not_matching_payload_is_malformed() {
    let mut t = Tx::new(4, 1).encode();
    t.push(0);
    let r = validate(&block_of(&[t.clone()]));
    assert_eq!(r.statuses, vec![TxStatus::Malformed]);
    t.truncate(t.len() - 2);
    assert_eq!(
        validate(&block_of(&[t])).statuses,
        vec![TxStatus::Malformed]
    );
}

#[test]
fn framing_errors() {
    let b = block_of(&sample_txs(3, 1));
    let mut rng = Rng(3);
    let mut wrong_magic = b.clone();
    wrong_magic[3] = b'2';
    assert_eq!(validate(&wrong_magic).error, Some(BlockError::BadMagic));
    for cut in [0, 3, 4, 79, 80, 83, 84, 200, b.len() - 1] {
        let r = assert_all_agree(&b[..cut], &mut rng);
        assert_eq!(r.error, Some(BlockError::Truncated), "cut at {cut}");
    }
    let mut trailing = b.clone();
    trailing.push(0);
    assert_eq!(
        assert_all_agree(&trailing, &mut rng).error,
        Some(BlockError::TrailingBytes)
    );
    let mut one_more = b.clone();
    one_more[76] += 1;
    let r = assert_all_agree(&one_more, &mut rng);
    assert_eq!((r.error, r.tx_count), (Some(BlockError::Truncated), 4));
    let mut one_less = b.clone();
    one_less[76] -= 1;
    assert_eq!(
        assert_all_agree(&one_less, &mut rng).error,
        Some(BlockError::TrailingBytes)
    );
    for huge in [u32::MAX, 1 << 31, 1 << 30] {
        let mut h = b.clone();
        h[76..80].copy_from_slice(&huge.to_le_bytes());
        let r = assert_all_agree(&h, &mut rng);
        assert_eq!((r.error, r.tx_count), (Some(BlockError::Truncated), huge));
        let mut long_tx = b.clone();
        long_tx[80..84].copy_from_slice(&huge.to_le_bytes());
        assert_eq!(
            assert_all_agree(&long_tx, &mut rng).error,
            Some(BlockError::Truncated)
        );
    }
}

#[test]
fn wrong_root_is_a_mismatch_with_statuses_still_reported() {
    let mut b = block_of(&sample_txs(4, 2));
    b[50] ^= 1;
    let r = assert_all_agree(&b, &mut Rng(4));
    assert_eq!(r.error, Some(BlockError::MerkleMismatch));
    assert_eq!(r.statuses, vec![TxStatus::Ok; 4]);
    assert!(!r.is_valid());
}

#[test]
fn adversarial_signatures_follow_the_ed25519_rule() {
    // S + L: the same scalar mod L, refused by the strict rule.
    const L: [u8; 32] = [
        0xed, 0xd3, 0xf5, 0x5c, 0x1a, 0x63, 0x12, 0x58, 0xd6, 0x9c, 0xf7, 0xa2, 0xde, 0xf9, 0xde,
        0x14, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0x10,
    ];
    let mut t = Tx::new(6, 1).encode();
    let s_at = t.len() - 32;
    let mut carry = 0u16;
    for i in 0..32 {
        let sum = u16::from(t[s_at + i]) + u16::from(L[i]) + carry;
        t[s_at + i] = sum as u8;
        carry = sum >> 8;
    }
    // A small-order key (the identity) with an all-zero signature: cofactored equations hold
    // for it, but the rule refuses small-order keys.
    let mut small = vec![1u8];
    small.extend_from_slice(&{
        let mut id = [0u8; 32];
        id[0] = 1;
        id
    });
    small.extend_from_slice(&[0; 32]);
    small.extend_from_slice(&5u64.to_le_bytes());
    small.extend_from_slice(&[0; 18]);
    small.extend_from_slice(&[0; 64]);
    let r = assert_all_agree(&block_of(&[t, small]), &mut Rng(5));
    assert_eq!(
        r.statuses,
        vec![TxStatus::BadSignature, TxStatus::BadSignature]
    );
}

/// One random change of the kinds a hostile or broken peer sends.
fn mutate(b: &mut Vec<u8>, rng: &mut Rng) {
    let len = b.len().max(1);
    match rng.below(9) {
        0 => {
            for _ in 0..1 + rng.below(4) {
                let i = rng.below(len as u64) as usize;
                if let Some(byte) = b.get_mut(i) {
                    *byte ^= 1 << rng.below(8);
                }
            }
        }
        1 => b.truncate(rng.below(len as u64) as usize),
        2 => {
            // A length field (the count, or some transaction's) set to something huge.
            let at = if rng.below(2) == 0 { 76 } else { 80 };
            let huge = [u32::MAX, 1 << 31, 0x7fff_ffff, len as u32 + 1][rng.below(4) as usize];
            if let Some(field) = b.get_mut(at..at + 4) {
                field.copy_from_slice(&huge.to_le_bytes());
            }
        }
        3 => {
            if let Some(count) = b.get_mut(76) {
                *count = if rng.below(2) == 0 {
                    count.wrapping_add(1)
                } else {
                    count.wrapping_sub(1)
                };
            }
        }
        4 => b.extend((0..rng.below(10)).map(|_| rng.below(256) as u8)),
        5 => {
            let i = rng.below(len as u64) as usize;
            if i < b.len() {
                b.remove(i);
            }
        }
        6 => {
            let i = rng.below(len as u64) as usize;
            b.insert(i.min(b.len()), rng.below(256) as u8);
        }
        7 => {
            // Overwrite a run with random bytes.
            let i = rng.below(len as u64) as usize;
            for j in i..(i + 40).min(b.len()) {
                b[j] = rng.below(256) as u8;
            }
        }
        _ => {
            let keep = rng.below(len as u64) as usize;
            *b = b[..keep.min(b.len())].to_vec();
            b.extend_from_slice(b"HPB1");
        }
    }
}

#[test]
fn random_and_mutated_blocks_never_panic_and_agree_with_the_oracle() {
    let mut rng = Rng(0x1ed9e5);
    let bases: Vec<Vec<u8>> = [0usize, 1, 2, 3, 9, 70]
        .iter()
        .map(|&n| block_of(&sample_txs(n, n as u8)))
        .collect();
    for round in 0..1500 {
        let mut b = bases[round % bases.len()].clone();
        for _ in 0..1 + rng.below(3) {
            mutate(&mut b, &mut rng);
        }
        assert_all_agree(&b, &mut rng);
    }
    for _ in 0..500 {
        let len = rng.below(400) as usize;
        let mut b: Vec<u8> = (0..len).map(|_| rng.below(256) as u8).collect();
        if rng.below(2) == 0 && b.len() >= 4 {
            b[..4].copy_from_slice(b"HPB1");
        }
        if rng.below(2) == 0 && b.len() >= 80 {
            b[76..80].copy_from_slice(&(rng.below(4) as u32).to_le_bytes());
        }
        assert_all_agree(&b, &mut rng);
    }
}

#[test]
fn runs_never_pass_the_count_and_a_foreign_block_is_malformed() {
    let b = block_of(&sample_txs(3, 1));
    let Ok(layout) = frame(&b) else {
        panic!("framing failed")
    };
    let mut foreign = Validation::new(layout.clone()).unwrap_or_else(|e| panic!("{e}"));
    foreign
        .check_run(&b[..90], 10)
        .unwrap_or_else(|e| panic!("{e}"));
    assert_eq!(foreign.remaining(), 0);
    let report = foreign.finish();
    assert_eq!(report.statuses, vec![TxStatus::Malformed; 3]);
    assert_eq!(report.error, Some(BlockError::MerkleMismatch));
    let mut own = Validation::new(layout).unwrap_or_else(|e| panic!("{e}"));
    own.check_run(&b, 0).unwrap_or_else(|e| panic!("{e}"));
    assert_eq!(own.remaining(), 2, "a run of 0 checks one transaction");
    own.check_run(&b, usize::MAX)
        .unwrap_or_else(|e| panic!("{e}"));
    assert_eq!(own.finish(), validate(&b));
    assert_eq!(ledger::GROUP, ed25519::BATCH);
}

#[test]
fn blocks_longer_than_a_run_agree_with_the_oracle_across_run_boundaries() {
    // Mostly short (malformed) transactions, cheap to build, with signed ones and duplicates
    // spread over several runs of `RUN_MAX`, so runs, groups and Merkle subtrees all straddle
    // each other.
    let signed = sample_txs(40, 9);
    let mut rng = Rng(77);
    let n = 2 * ledger::RUN_MAX + 333;
    let txs: Vec<Vec<u8>> = (0..n)
        .map(|i| match i % 211 {
            0 => signed[(i / 211) % signed.len()].clone(),
            _ => (0..rng.below(6)).map(|_| rng.below(256) as u8).collect(),
        })
        .collect();
    let b = block_of(&txs);
    let r = validate(&b);
    assert_eq!(r, oracle(&b));
    assert!(r.statuses.contains(&TxStatus::DuplicateNonce));
    assert_eq!(r, validate_in_runs(&b, 1000));
    assert_eq!(r, validate_in_runs(&b, ledger::RUN_MAX + 1));
}
