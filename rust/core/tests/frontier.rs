//! The Merkle [`Frontier`] against the naive RFC 6962 recursion: appending leaves in chunks of
//! any sizes gives the root of all of them, around the piece size and the pool threshold too.

mod common;

use common::Rng;
use hotpath_core::crypto::merkle::{self, Frontier, PAR_MIN_NODES, PIECE};
use hotpath_core::crypto::{sha256, Digest};

fn naive_mth(hashes: &[Digest]) -> Digest {
    match hashes {
        [] => sha256::hash(&[]),
        [one] => *one,
        _ => {
            let k = 1 << (hashes.len() - 1).ilog2();
            let mut node = vec![merkle::NODE_PREFIX];
            node.extend_from_slice(&naive_mth(&hashes[..k]));
            node.extend_from_slice(&naive_mth(&hashes[k..]));
            sha256::hash(&node)
        }
    }
}

fn leaf_hashes(n: usize) -> Vec<Digest> {
    (0..n as u64)
        .map(|i| merkle::leaf_hash(&i.to_le_bytes()))
        .collect()
}

#[test]
fn frontier_fed_in_chunks_of_any_sizes_has_the_naive_root() {
    let mut rng = Rng(5);
    let sizes = (0..=40).chain([
        PIECE - 1,
        PIECE,
        PIECE + 1,
        3 * PIECE + 7,
        PAR_MIN_NODES + 3,
    ]);
    for n in sizes {
        let hashes = leaf_hashes(n);
        let expected = naive_mth(&hashes);
        let mut frontier = Frontier::new();
        let mut rest = hashes.as_slice();
        while !rest.is_empty() {
            let take = (1 + rng.below(2 * PIECE as u64 + 2) as usize).min(rest.len());
            let (chunk, tail) = rest.split_at(take);
            frontier.extend(chunk);
            rest = tail;
        }
        assert_eq!(frontier.leaves(), n);
        assert_eq!(frontier.root(), expected, "{n} leaves");
    }
}

#[test]
fn root_of_leaf_hashes_on_the_pool_has_the_naive_root() {
    for n in [
        PAR_MIN_NODES - 1,
        PAR_MIN_NODES,
        PAR_MIN_NODES + 1,
        2 * PAR_MIN_NODES + 5,
    ] {
        let hashes = leaf_hashes(n);
        assert_eq!(
            merkle::root_of_leaf_hashes(&hashes),
            naive_mth(&hashes),
            "{n} leaves"
        );
    }
}
