//! The hash kernels against published vectors (BLAKE3's test_vectors.json, NIST's SHA-256
//! examples, certificate-transparency's Merkle roots) and against naive oracles, with inputs
//! large enough to take every parallel path.
mod common;

use common::Rng;
use hotpath_core::crypto::{self, blake3, merkle, sha256, Digest};
use hotpath_core::Error;

const BLAKE3_VECTORS: &str =
    include_str!("../../../tests/src/test/resources/vectors/blake3_test_vectors.json");

fn hex(bytes: &[u8]) -> String {
    bytes.iter().map(|b| format!("{b:02x}")).collect()
}

fn unhex(s: &str) -> Vec<u8> {
    (0..s.len())
        .step_by(2)
        .map(|i| u8::from_str_radix(&s[i..i + 2], 16).unwrap_or_else(|e| panic!("{s}: {e}")))
        .collect()
}

/// The string value of every `"field": "..."` in the JSON text, in order.
fn string_fields<'a>(json: &'a str, field: &str) -> Vec<&'a str> {
    let key = format!("\"{field}\": \"");
    json.match_indices(&key)
        .map(|(at, _)| {
            let rest = &json[at + key.len()..];
            &rest[..rest.find('"').unwrap_or(rest.len())]
        })
        .collect()
}

/// The number after every `"field": ` in the JSON text, in order.
fn number_fields(json: &str, field: &str) -> Vec<usize> {
    let key = format!("\"{field}\": ");
    json.match_indices(&key)
        .map(|(at, _)| {
            let rest = &json[at + key.len()..];
            let end = rest
                .find(|c: char| !c.is_ascii_digit())
                .unwrap_or(rest.len());
            rest[..end]
                .parse()
                .unwrap_or_else(|e| panic!("{field}: {e}"))
        })
        .collect()
}

/// The vectors' input: the byte pattern `i % 251`.
fn pattern(len: usize) -> Vec<u8> {
    (0..len).map(|i| (i % 251) as u8).collect()
}

fn random_bytes(rng: &mut Rng, len: usize) -> Vec<u8> {
    (0..len).map(|_| rng.next_u64() as u8).collect()
}

#[test]
fn blake3_matches_the_published_vectors_with_extended_output() {
    let lens = number_fields(BLAKE3_VECTORS, "input_len");
    let hashes = string_fields(BLAKE3_VECTORS, "hash");
    let keyed = string_fields(BLAKE3_VECTORS, "keyed_hash");
    let key = string_fields(BLAKE3_VECTORS, "key")[0].as_bytes();
    assert_eq!(lens.len(), 35);
    assert_eq!((hashes.len(), keyed.len()), (lens.len(), lens.len()));
    for ((len, hash), keyed) in lens.iter().zip(&hashes).zip(&keyed) {
        let input = pattern(*len);
        let expected = unhex(hash);
        assert_eq!(
            hex(&blake3::hash(&input)),
            hash[..64],
            "hash of {len} bytes"
        );
        let mut xof = vec![0u8; expected.len()];
        blake3::hash_xof(&input, &mut xof);
        assert_eq!(hex(&xof), *hash, "extended hash of {len} bytes");

        let expected_keyed = unhex(keyed);
        let digest = blake3::keyed_hash(key, &input).unwrap_or_else(|e| panic!("{e}"));
        assert_eq!(hex(&digest), keyed[..64], "keyed hash of {len} bytes");
        let mut hasher = blake3::Blake3::new_keyed(&blake3::key(key).unwrap_or_default());
        hasher.update(&input);
        let mut keyed_xof = vec![0u8; expected_keyed.len()];
        hasher.finalize_xof().fill(&mut keyed_xof);
        assert_eq!(
            hex(&keyed_xof),
            *keyed,
            "extended keyed hash of {len} bytes"
        );
    }
}

#[test]
fn blake3_in_pieces_equals_blake3_at_once_across_the_parallel_threshold() {
    let mut rng = Rng(7);
    let input = random_bytes(&mut rng, 3 * blake3::PAR_MIN + 12_345);
    let whole = blake3::hash(&input);
    assert_eq!(whole, *::blake3::hash(&input).as_bytes());
    for piece in [1000, 4096, blake3::PAR_MIN - 1, blake3::PAR_MIN, 1 << 20] {
        let mut hasher = blake3::Blake3::new();
        for chunk in input.chunks(piece) {
            hasher.update(chunk);
        }
        assert_eq!(hasher.finalize(), whole, "pieces of {piece}");
    }
}

#[test]
fn blake3_xof_starts_with_the_digest_and_reads_in_any_pieces() {
    let input = pattern(5000);
    let mut long = vec![0u8; 10_000];
    blake3::hash_xof(&input, &mut long);
    assert_eq!(long[..32], blake3::hash(&input));
    let mut hasher = blake3::Blake3::new();
    hasher.update(&input);
    let mut reader = hasher.finalize_xof();
    let mut pieces = vec![0u8; long.len()];
    let mut at = 0;
    for n in [1, 63, 64, 65, 1000, 8807] {
        reader.fill(&mut pieces[at..at + n]);
        at += n;
    }
    assert_eq!(pieces, long);
}

#[test]
fn keyed_blake3_rejects_keys_of_the_wrong_length() {
    for len in [0, 31, 33] {
        let key = vec![1u8; len];
        assert_eq!(
            blake3::keyed_hash(&key, b"x"),
            Err(Error::WrongLength {
                what: "key",
                len,
                expected: 32
            })
        );
    }
}

#[test]
fn sha256_matches_the_nist_examples() {
    let cases: [(&[u8], &str); 3] = [
        (
            b"",
            "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855",
        ),
        (
            b"abc",
            "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad",
        ),
        (
            b"abcdbcdecdefdefgefghfghighijhijkijkljklmklmnlmnomnopnopq",
            "248d6a61d20638b8e5c026930c3e6039a33ce45964ff2167f6ecedd419db06c1",
        ),
    ];
    for (input, expected) in cases {
        assert_eq!(hex(&sha256::hash(input)), expected);
    }
    let million_a = vec![b'a'; 1_000_000];
    let expected = "cdc76e5c9914fb9281a1c7e284d73e67f1809a48a497200e046d39ccc7112cd0";
    assert_eq!(hex(&sha256::hash(&million_a)), expected);
    let mut hasher = sha256::Sha256::new();
    for piece in million_a.chunks(4099) {
        hasher.update(piece);
    }
    assert_eq!(hex(&hasher.finalize()), expected);
}

/// Batches of many sizes, below and above the parallel threshold, with empty inputs.
fn batches(rng: &mut Rng) -> Vec<Vec<Vec<u8>>> {
    let mut out = vec![vec![], vec![vec![]], vec![vec![]; 5000]];
    for (count, max_len) in [(3, 100), (1000, 1024), (4, 200_000), (300, 5000)] {
        out.push(
            (0..count)
                .map(|_| {
                    let len = rng.below(max_len + 1) as usize;
                    random_bytes(rng, len)
                })
                .collect(),
        );
    }
    out
}

#[test]
fn batches_equal_one_input_at_a_time() {
    let mut rng = Rng(11);
    for batch in batches(&mut rng) {
        let inputs: Vec<&[u8]> = batch.iter().map(Vec::as_slice).collect();
        let work = crypto::batch_work(&inputs);
        let b3: Vec<Digest> = inputs.iter().map(|i| blake3::hash(i)).collect();
        assert_eq!(blake3::hash_batch(&inputs), b3, "blake3, work {work}");
        let sha: Vec<Digest> = inputs.iter().map(|i| sha256::hash(i)).collect();
        assert_eq!(sha256::hash_batch(&inputs), sha, "sha256, work {work}");
        let leaves: Vec<Digest> = inputs.iter().map(|i| merkle::leaf_hash(i)).collect();
        assert_eq!(merkle::leaf_hashes(&inputs), leaves, "leaves, work {work}");
    }
}

/// The batch hashers (multi-buffer, `tape-sha256`) against the one-input ones (`sha2`) on
/// every length from 0 to 2100 bytes, which crosses every block and padding boundary of the
/// first 33 blocks, in batches of 1 to 9 inputs (every partial group of 4, 8 or 16 lanes) whose
/// lengths differ within the batch, as they do in real batches.
#[test]
fn batch_sha256_equals_one_input_sha256_on_every_length() {
    let mut rng = Rng(17);
    let data = random_bytes(&mut rng, 8192);
    for count in 1..=9usize {
        for base in 0..=2100usize {
            let inputs: Vec<&[u8]> = (0..count)
                .map(|i| {
                    let len = (base + i * 61) % 2101;
                    let at = rng.below((data.len() - len) as u64 + 1) as usize;
                    &data[at..at + len]
                })
                .collect();
            let one: Vec<Digest> = inputs.iter().map(|i| sha256::hash(i)).collect();
            assert_eq!(
                sha256::hash_batch(&inputs),
                one,
                "{count} inputs from {base} bytes"
            );
            let leaves: Vec<Digest> = inputs.iter().map(|i| merkle::leaf_hash(i)).collect();
            assert_eq!(
                merkle::leaf_hashes(&inputs),
                leaves,
                "{count} leaves from {base} bytes"
            );
        }
    }
}

/// RFC 6962's definition, transcribed as literally as possible.
fn naive_mth(leaves: &[&[u8]]) -> Digest {
    match leaves.len() {
        0 => sha256::hash(b""),
        1 => sha256::hash(&[&[0u8][..], leaves[0]].concat()),
        n => {
            let mut k = 1;
            while k * 2 < n {
                k *= 2;
            }
            let left = naive_mth(&leaves[..k]);
            let right = naive_mth(&leaves[k..]);
            sha256::hash(&[&[1u8][..], &left, &right].concat())
        }
    }
}

#[test]
fn merkle_root_matches_the_certificate_transparency_roots() {
    let leaves: Vec<Vec<u8>> = [
        "",
        "00",
        "10",
        "2021",
        "3031",
        "40414243",
        "5051525354555657",
        "606162636465666768696a6b6c6d6e6f",
    ]
    .iter()
    .map(|h| unhex(h))
    .collect();
    let roots = [
        "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855",
        "6e340b9cffb37a989ca544e6bb780a2c78901d3fb33738768511a30617afa01d",
        "fac54203e7cc696cf0dfcb42c92a1d9dbaf70ad9e621f4bd8d98662f00e3c125",
        "aeb6bcfe274b70a14fb067a5e5578264db0fa9b51af5e0ba159158f329e06e77",
        "d37ee418976dd95753c1c73862b9398fa2a2cf9b4ff0fdfe8b30cd95209614b7",
        "4e3bbb1f7b478dcfe71fb631631519a3bca12c9aefca1612bfce4c13a86264d4",
        "76e67dadbcdf1e10e1b74ddc608abd2f98dfb16fbce75277b5232a127f2087ef",
        "ddb89be403809e325750d3d263cd78929c2942b7942a34b77e122c9594a74c8c",
        "5dc9da79a70659a9ad559cb701ded9a2ab9d823aad2f4960cfe370eff4604328",
    ];
    let slices: Vec<&[u8]> = leaves.iter().map(Vec::as_slice).collect();
    for (n, root) in roots.iter().enumerate() {
        assert_eq!(hex(&merkle::root(&slices[..n])), *root, "{n} leaves");
    }
}

#[test]
fn merkle_root_equals_the_naive_definition_for_every_tree_shape() {
    let mut rng = Rng(13);
    let sizes = (0..=70).chain([1023, 1024, 1025, 4095, 4096, 4097, 10_000]);
    for n in sizes {
        let leaves: Vec<Vec<u8>> = (0..n)
            .map(|_| {
                let len = rng.below(40) as usize;
                random_bytes(&mut rng, len)
            })
            .collect();
        let slices: Vec<&[u8]> = leaves.iter().map(Vec::as_slice).collect();
        assert_eq!(merkle::root(&slices), naive_mth(&slices), "{n} leaves");
    }
}

#[test]
fn incremental_leaf_hash_equals_the_one_shot_leaf_hash() {
    let data = pattern(100_000);
    let mut hasher = merkle::LeafHasher::new();
    for piece in data.chunks(777) {
        hasher.update(piece);
    }
    assert_eq!(hasher.finalize(), merkle::leaf_hash(&data));
    assert_eq!(
        merkle::leaf_hash(&data),
        sha256::hash(&[&[0u8][..], &data].concat())
    );
}
