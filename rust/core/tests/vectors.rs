//! The Vectors index against a naive double-precision oracle (docs/vectors.md).
#![allow(clippy::unwrap_used, clippy::expect_used)]

mod common;

use common::Rng;
use hotpath_core::vectors::{Hits, Metric, Precision, VectorIndex};

const METRICS: [Metric; 3] = [Metric::Dot, Metric::Cosine, Metric::L2];

fn random_vectors(rng: &mut Rng, count: usize, dim: usize) -> Vec<f32> {
    (0..count * dim).map(|_| rng.unit() as f32).collect()
}

fn normalised(v: &[f32]) -> Vec<f64> {
    let norm = v
        .iter()
        .map(|x| f64::from(*x) * f64::from(*x))
        .sum::<f64>()
        .sqrt();
    v.iter().map(|x| f64::from(*x) / norm).collect()
}

/// The oracle: every score in f64, sorted best first, ties by smaller id; and each score's
/// magnitude scale (the sum of absolute terms), for tolerances.
fn oracle(metric: Metric, data: &[f32], query: &[f32], dim: usize) -> Vec<(usize, f64, f64)> {
    let mut scored: Vec<(usize, f64, f64)> = data
        .chunks_exact(dim)
        .enumerate()
        .map(|(id, x)| {
            let (a, b): (Vec<f64>, Vec<f64>) = match metric {
                Metric::Cosine => (normalised(x), normalised(query)),
                _ => (
                    x.iter().map(|v| f64::from(*v)).collect(),
                    query.iter().map(|v| f64::from(*v)).collect(),
                ),
            };
            let terms: Vec<f64> = a
                .iter()
                .zip(&b)
                .map(|(x, y)| {
                    if metric == Metric::L2 {
                        (x - y) * (x - y)
                    } else {
                        x * y
                    }
                })
                .collect();
            (id, terms.iter().sum(), terms.iter().map(|t| t.abs()).sum())
        })
        .collect();
    scored.sort_by(|a, b| {
        let o = if metric == Metric::L2 {
            a.1.total_cmp(&b.1)
        } else {
            b.1.total_cmp(&a.1)
        };
        o.then(a.0.cmp(&b.0))
    });
    scored
}

/// Ids must match wherever the oracle's neighbouring scores are more than 1e-4 apart
/// (relative to the scores' scale); scores within 1e-5 of that scale.
fn assert_matches(
    metric: Metric,
    data: &[f32],
    queries: &[f32],
    dim: usize,
    k: usize,
    hits: &Hits,
) {
    let n = data.len() / dim;
    assert_eq!(hits.per_query, k.min(n));
    for (q, query) in queries.chunks_exact(dim).enumerate() {
        let expected = oracle(metric, data, query, dim);
        let got_ids = &hits.ids[q * hits.per_query..(q + 1) * hits.per_query];
        let got_scores = &hits.scores[q * hits.per_query..(q + 1) * hits.per_query];
        let scale = |i: usize| expected[i].2.max(1e-30);
        let apart = |i: usize, j: usize| {
            j >= expected.len()
                || (expected[i].1 - expected[j].1).abs() > 1e-4 * scale(i).max(scale(j))
        };
        for (i, (&id, &score)) in got_ids.iter().zip(got_scores).enumerate() {
            let (eid, escore, escale) = expected[i];
            assert!(
                (f64::from(score) - escore).abs() <= 1e-5 * escale.max(escore.abs()) + 1e-30,
                "{metric:?} query {q} rank {i}: score {score} vs oracle {escore}"
            );
            if (i == 0 || apart(i - 1, i)) && apart(i, i + 1) {
                assert_eq!(id as usize, eid, "{metric:?} query {q} rank {i}");
            }
        }
    }
}

#[test]
fn f32_search_matches_the_oracle() {
    let mut rng = Rng(0x5eed_0001);
    for metric in METRICS {
        for dim in [1usize, 3, 8, 384] {
            for n in [0usize, 1, 1000] {
                let data = random_vectors(&mut rng, n, dim);
                let mut index = VectorIndex::new(dim, metric, Precision::F32).unwrap();
                assert_eq!(index.add(&data, "vectors").unwrap(), 0);
                assert_eq!(index.len(), n);
                let queries = random_vectors(&mut rng, 3, dim);
                for k in [1usize, 10, n.max(1), n + 7] {
                    let hits = index.search(&queries, k).unwrap();
                    assert_matches(metric, &data, &queries, dim, k, &hits);
                }
            }
        }
    }
}

#[test]
fn a_large_batch_runs_in_parallel_and_matches_each_query_alone() {
    let mut rng = Rng(0x5eed_0002);
    let (dim, n) = (64, 5000);
    for metric in METRICS {
        let data = random_vectors(&mut rng, n, dim);
        let mut index = VectorIndex::new(dim, metric, Precision::F32).unwrap();
        index.add(&data, "vectors").unwrap();
        let queries = random_vectors(&mut rng, 37, dim);
        let batch = index.search(&queries, 10).unwrap();
        assert_matches(metric, &data, &queries, dim, 10, &batch);
        for (q, query) in queries.chunks_exact(dim).enumerate() {
            let alone = index.search(query, 10).unwrap();
            assert_eq!(alone.ids, batch.ids[q * 10..(q + 1) * 10]);
            assert_eq!(alone.scores, batch.scores[q * 10..(q + 1) * 10]);
        }
    }
}

#[test]
fn ties_go_to_the_smaller_id() {
    let mut index = VectorIndex::new(2, Metric::Dot, Precision::F32).unwrap();
    index
        .add(&[1.0, 0.0, 0.0, 1.0, 1.0, 0.0, 1.0, 0.0], "vectors")
        .unwrap();
    let hits = index.search(&[1.0, 0.0], 3).unwrap();
    assert_eq!(hits.ids, vec![0, 2, 3]);
    assert_eq!(hits.scores, vec![1.0, 1.0, 1.0]);
}

#[test]
fn int8_recall_at_10_is_at_least_095_and_scores_are_exact() {
    let mut rng = Rng(0x5eed_0003);
    let (dim, n) = (128, 5000);
    for metric in METRICS {
        let data = random_vectors(&mut rng, n, dim);
        let mut exact = VectorIndex::new(dim, metric, Precision::F32).unwrap();
        let mut int8 = VectorIndex::new(dim, metric, Precision::Int8).unwrap();
        exact.add(&data, "vectors").unwrap();
        int8.add(&data, "vectors").unwrap();
        let queries = random_vectors(&mut rng, 50, dim);
        let want = exact.search(&queries, 10).unwrap();
        let got = int8.search(&queries, 10).unwrap();
        let mut found = 0;
        for q in 0..50 {
            let w = &want.ids[q * 10..(q + 1) * 10];
            found += got.ids[q * 10..(q + 1) * 10]
                .iter()
                .filter(|id| w.contains(id))
                .count();
        }
        let recall = found as f64 / 500.0;
        eprintln!("{metric:?} recall@10 {recall}");
        assert!(recall >= 0.95, "{metric:?} recall@10 {recall}");
        // Rescored hits carry their exact F32 scores.
        for q in 0..50 {
            let all = exact.search(&queries[q * dim..(q + 1) * dim], n).unwrap();
            for i in q * 10..(q + 1) * 10 {
                let at = all.ids.iter().position(|x| *x == got.ids[i]).unwrap();
                assert_eq!(all.scores[at], got.scores[i]);
            }
        }
        assert!(int8.memory_bytes() > exact.memory_bytes());
    }
}

#[test]
fn an_add_with_one_bad_vector_adds_nothing() {
    let mut index = VectorIndex::new(2, Metric::Cosine, Precision::Int8).unwrap();
    index.add(&[1.0, 2.0], "vector").unwrap();
    let e = index
        .add(&[1.0, 1.0, f32::NAN, 0.0], "vectors")
        .unwrap_err();
    assert_eq!(e.to_string(), "vectors: vector 1 has a NaN component at 0");
    let e = index.add(&[1.0, 1.0, 0.0, 0.0], "vectors").unwrap_err();
    assert_eq!(
        e.to_string(),
        "vectors: vector 1 is zero, which COSINE cannot normalise"
    );
    let e = index.add(&[1.0, f32::INFINITY], "vector").unwrap_err();
    assert_eq!(
        e.to_string(),
        "vector: vector 0 has an infinite component at 1"
    );
    assert_eq!(index.len(), 1);
    assert_eq!(index.stored().len(), 2);
    assert_eq!(index.add(&[3.0, 4.0], "vector").unwrap(), 1);
    assert_eq!(index.stored()[2..], [0.6, 0.8]);
}

#[test]
fn arguments_are_checked() {
    assert!(VectorIndex::new(0, Metric::Dot, Precision::F32).is_err());
    assert!(VectorIndex::new(65_537, Metric::Dot, Precision::F32).is_err());
    let mut index = VectorIndex::new(3, Metric::L2, Precision::F32).unwrap();
    assert_eq!(
        index.add(&[1.0, 2.0], "vector").unwrap_err().to_string(),
        "vector has 2 components, not a multiple of the dimension 3"
    );
    index.add(&[1.0, 2.0, 3.0], "vector").unwrap();
    assert_eq!(
        index.search(&[1.0, 2.0, 3.0], 0).unwrap_err().to_string(),
        "k is 0, expected at least 1"
    );
    assert!(index.search(&[1.0, 2.0, f32::NAN], 1).is_err());
    assert_eq!(index.search(&[], 5).unwrap().ids.len(), 0);
    assert!(index.append(usize::MAX / 2, false).is_err());
    assert_eq!(index.len(), 1);
}

#[test]
fn stored_vectors_load_back_without_renormalising() {
    let mut rng = Rng(0x5eed_0004);
    let data = random_vectors(&mut rng, 100, 7);
    let mut a = VectorIndex::new(7, Metric::Cosine, Precision::Int8).unwrap();
    a.add(&data, "vectors").unwrap();
    let bytes: Vec<u8> = a.stored().iter().flat_map(|x| x.to_le_bytes()).collect();
    let mut b = VectorIndex::new(7, Metric::Cosine, Precision::Int8).unwrap();
    let mut appender = b.append(100, true).unwrap();
    appender.push_le_bytes(&bytes, "file").unwrap();
    appender.finish().unwrap();
    assert_eq!(a.stored(), b.stored());
    let q = random_vectors(&mut rng, 4, 7);
    assert_eq!(a.search(&q, 10).unwrap(), b.search(&q, 10).unwrap());
    // An announced count not reached adds nothing.
    let appender = b.append(5, true).unwrap();
    assert!(appender.finish().is_err());
    assert_eq!(b.len(), 100);
}

#[test]
fn adding_one_vector_at_a_time_holds_little_more_than_the_vectors() {
    let mut index = VectorIndex::new(16, Metric::Dot, Precision::Int8).unwrap();
    let v = [0.5f32; 16];
    for i in 0..5000 {
        assert_eq!(index.add(&v, "vector").unwrap(), i);
    }
    let own = 5000 * (16 * 4 + 16 + 24);
    assert!(index.memory_bytes() >= own);
    assert!(
        index.memory_bytes() <= own + own / 8 + 1024,
        "{}",
        index.memory_bytes()
    );
}
