//! Ed25519 against RFC 8032's vectors, the 12 "Taming the many EdDSAs" cases with the answers
//! docs/ed25519.md promises, and batches that must answer exactly what single checks answer.

mod common;

use common::Rng;
use hotpath_core::ed25519::{self, Item};

const RFC8032: &str = include_str!("../../../tests/src/test/resources/vectors/rfc8032-ed25519.txt");
const SPECCHECK: &str =
    include_str!("../../../tests/src/test/resources/vectors/speccheck-ed25519.txt");

/// The answer docs/ed25519.md gives for each speccheck case, by index.
const SPECCHECK_EXPECTED: [bool; 12] = [
    false, false, false, true, true, true, false, false, false, false, false, false,
];

/// The group order L, little-endian.
const L: [u8; 32] = [
    0xed, 0xd3, 0xf5, 0x5c, 0x1a, 0x63, 0x12, 0x58, 0xd6, 0x9c, 0xf7, 0xa2, 0xde, 0xf9, 0xde, 0x14,
    0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0x10,
];

fn hex(s: &str) -> Vec<u8> {
    if s == "-" {
        return Vec::new();
    }
    (0..s.len())
        .step_by(2)
        .map(|i| u8::from_str_radix(&s[i..i + 2], 16).unwrap_or_else(|e| panic!("{s}: {e}")))
        .collect()
}

fn array<const N: usize>(bytes: &[u8]) -> [u8; N] {
    bytes
        .try_into()
        .unwrap_or_else(|_| panic!("expected {N} bytes, got {}", bytes.len()))
}

/// Non-comment lines split into their fields.
fn records(text: &str) -> Vec<Vec<&str>> {
    text.lines()
        .filter(|l| !l.starts_with('#') && !l.trim().is_empty())
        .map(|l| l.split_whitespace().collect())
        .collect()
}

struct Case {
    public_key: [u8; 32],
    message: Vec<u8>,
    signature: [u8; 64],
}

impl Case {
    fn item(&self) -> Item<'_> {
        Item {
            public_key: &self.public_key,
            message: &self.message,
            signature: &self.signature,
        }
    }
}

fn speccheck() -> Vec<Case> {
    records(SPECCHECK)
        .iter()
        .map(|r| Case {
            message: hex(r[1]),
            public_key: array(&hex(r[2])),
            signature: array(&hex(r[3])),
        })
        .collect()
}

fn random_cases(n: usize, seed: u64) -> Vec<Case> {
    let mut rng = Rng(seed);
    (0..n)
        .map(|_| {
            let mut secret = [0u8; 32];
            secret.iter_mut().for_each(|b| *b = rng.next_u64() as u8);
            let message: Vec<u8> = (0..rng.below(300)).map(|_| rng.next_u64() as u8).collect();
            Case {
                public_key: ed25519::public_key(&secret),
                signature: ed25519::sign(&secret, &message),
                message,
            }
        })
        .collect()
}

fn single_answers(cases: &[Case]) -> Vec<bool> {
    cases
        .iter()
        .map(|c| ed25519::verify(&c.public_key, &c.message, &c.signature))
        .collect()
}

fn batch_answers(cases: &[Case]) -> Vec<bool> {
    let items: Vec<Item<'_>> = cases.iter().map(Case::item).collect();
    ed25519::verify_batch(&items)
}

#[test]
fn rfc8032_vectors_give_the_public_key_and_signature_and_verify() {
    let vectors = records(RFC8032);
    assert_eq!(vectors.len(), 5);
    for v in vectors {
        let secret: [u8; 32] = array(&hex(v[1]));
        let public: [u8; 32] = array(&hex(v[2]));
        let message = hex(v[3]);
        let signature: [u8; 64] = array(&hex(v[4]));
        assert_eq!(ed25519::public_key(&secret), public, "{}", v[0]);
        assert_eq!(ed25519::sign(&secret, &message), signature, "{}", v[0]);
        assert!(ed25519::verify(&public, &message, &signature), "{}", v[0]);
        let mut tampered = message.clone();
        tampered.push(0);
        assert!(!ed25519::verify(&public, &tampered, &signature), "{}", v[0]);
    }
}

#[test]
fn speccheck_cases_get_the_documented_answers() {
    let cases = speccheck();
    assert_eq!(cases.len(), 12);
    assert_eq!(single_answers(&cases), SPECCHECK_EXPECTED);
    for (i, c) in cases.iter().enumerate() {
        assert_eq!(
            batch_answers(std::slice::from_ref(c)),
            [SPECCHECK_EXPECTED[i]],
            "case {i} alone"
        );
    }
}

#[test]
fn speccheck_cases_mixed_into_valid_batches_get_the_same_answers_in_every_position() {
    let valid = random_cases(129, 1);
    for (i, case) in speccheck().into_iter().enumerate() {
        let expected_single = ed25519::verify(&case.public_key, &case.message, &case.signature);
        for size in [2usize, 5, 65, 130] {
            for position in [0, 1, size / 2, size - 1] {
                let mut cases: Vec<Case> = valid[..size - 1].iter().map(case_clone).collect();
                cases.insert(position, case_clone(&case));
                let mut expected = vec![true; size];
                expected[position] = expected_single;
                // Twice, since each batch draws new random weights.
                for _ in 0..2 {
                    assert_eq!(
                        batch_answers(&cases),
                        expected,
                        "case {i}, batch of {size}, at {position}"
                    );
                }
            }
        }
    }
}

fn case_clone(c: &Case) -> Case {
    Case {
        public_key: c.public_key,
        message: c.message.clone(),
        signature: c.signature,
    }
}

#[test]
fn all_twelve_speccheck_cases_in_one_batch_with_valid_ones() {
    let mut cases = random_cases(40, 7);
    for (k, c) in speccheck().into_iter().enumerate() {
        cases.insert(3 * k + 1, c);
    }
    let single = single_answers(&cases);
    for _ in 0..8 {
        assert_eq!(batch_answers(&cases), single);
    }
}

#[test]
fn s_not_below_the_group_order_is_rejected() {
    for c in random_cases(20, 11) {
        assert!(ed25519::verify(&c.public_key, &c.message, &c.signature));
        // S + L: the same scalar mod L, so a verifier that reduces S would accept it.
        let mut sig = c.signature;
        let mut carry = 0u16;
        for i in 0..32 {
            let sum = u16::from(sig[32 + i]) + u16::from(L[i]) + carry;
            sig[32 + i] = sum as u8;
            carry = sum >> 8;
        }
        assert_eq!(carry, 0, "S + L fits in 256 bits");
        assert!(!ed25519::verify(&c.public_key, &c.message, &sig));
        let twisted = Case {
            signature: sig,
            ..case_clone(&c)
        };
        assert_eq!(batch_answers(&[twisted]), [false]);
        // S = L exactly.
        let mut sig = c.signature;
        sig[32..].copy_from_slice(&L);
        assert!(!ed25519::verify(&c.public_key, &c.message, &sig));
    }
}

#[test]
fn tampered_messages_keys_and_signatures_are_false() {
    let mut rng = Rng(99);
    for c in random_cases(30, 13) {
        let mut m = c.message.clone();
        if m.is_empty() {
            m.push(1);
        } else {
            let i = rng.below(m.len() as u64) as usize;
            m[i] ^= 1 << rng.below(8);
        }
        assert!(!ed25519::verify(&c.public_key, &m, &c.signature));
        let mut s = c.signature;
        s[rng.below(64) as usize] ^= 1 << rng.below(8);
        assert!(!ed25519::verify(&c.public_key, &c.message, &s));
        let mut p = c.public_key;
        p[rng.below(32) as usize] ^= 1 << rng.below(8);
        assert!(!ed25519::verify(&p, &c.message, &c.signature));
    }
}

#[test]
fn batches_of_every_size_equal_single_answers_with_failures_sprinkled_in() {
    let mut rng = Rng(5);
    for n in [0usize, 1, 2, 3, 4, 5, 63, 64, 65, 127, 128, 129, 300, 1000] {
        let mut cases = random_cases(n, n as u64);
        for c in cases.iter_mut() {
            match rng.below(10) {
                0 => c.signature[rng.below(64) as usize] ^= 0x10,
                1 => c.message.push(7),
                2 => c.public_key[rng.below(32) as usize] ^= 0x01,
                _ => {}
            }
        }
        assert_eq!(batch_answers(&cases), single_answers(&cases), "n = {n}");
    }
}

#[test]
fn a_batch_of_only_failures_is_all_false() {
    let mut cases = random_cases(100, 17);
    for c in cases.iter_mut() {
        c.signature[0] ^= 1;
    }
    assert_eq!(batch_answers(&cases), vec![false; 100]);
}

#[test]
fn the_eight_small_order_points_are_refused_as_keys() {
    // The encodings of the points of order 1, 2, 4 and 8.
    let small = [
        "0100000000000000000000000000000000000000000000000000000000000000",
        "ecffffffffffffffffffffffffffffffffffffffffffffffffffffffffffff7f",
        "0000000000000000000000000000000000000000000000000000000000000000",
        "0000000000000000000000000000000000000000000000000000000000000080",
        "26e8958fc2b227b045c3f489f2ef98f0d5dfac05d3c63339b13802886d53fc05",
        "26e8958fc2b227b045c3f489f2ef98f0d5dfac05d3c63339b13802886d53fc85",
        "c7176a703d4dd84fba3c0b760d10670f2a2053fa2c39ccc64ec7fd7792ac037a",
        "c7176a703d4dd84fba3c0b760d10670f2a2053fa2c39ccc64ec7fd7792ac03fa",
    ];
    let c = &random_cases(1, 3)[0];
    for s in small {
        let key: [u8; 32] = array(&hex(s));
        assert!(!ed25519::verify(&key, &c.message, &c.signature), "{s}");
        // S = 0 and R = the same small point: valid under a cofactored check without the
        // small-order rule, for every message.
        let mut sig = [0u8; 64];
        sig[..32].copy_from_slice(&key);
        assert!(!ed25519::verify(&key, b"anything", &sig), "{s}");
    }
}
