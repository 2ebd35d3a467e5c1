//! `Moments` against the docs' text (bits) and against a two-pass oracle (tolerance).
mod common;

use common::{assert_same, doc_stats, same, Rng};
use hotpath_core::numeric::{sum_f64, Moments, BLOCK, SEGMENT};
use proptest::prelude::*;

#[track_caller]
fn assert_moments(m: &Moments, x: &[f64]) {
    let (count, sum, m2, min, max) = doc_stats(x);
    assert_eq!(m.count, count);
    assert_same(m.sum, sum);
    assert_same(m.m2, m2);
    assert_same(m.min, min);
    assert_same(m.max, max);
}

fn same_moments(a: &Moments, b: &Moments) -> bool {
    a.count == b.count
        && same(a.sum, b.sum)
        && same(a.m2, b.m2)
        && same(a.min, b.min)
        && same(a.max, b.max)
}

fn data(rng: &mut Rng, n: usize) -> Vec<f64> {
    (0..n)
        .map(|i| 1e6 + rng.unit() * 10.0 + (i % 7) as f64)
        .collect()
}

#[test]
fn empty() {
    let m = Moments::of(&[]);
    assert_eq!(m.count, 0);
    assert_same(m.sum, 0.0);
    assert_same(m.min, f64::INFINITY);
    assert_same(m.max, f64::NEG_INFINITY);
    assert_same(m.mean(), 0.0);
    assert!(m.variance().is_nan());
    assert!(m.sample_variance().is_nan());
    assert!(m.std_dev().is_nan());
    assert_eq!(Moments::combine(&[]).count, 0);
    assert!(same_moments(&Moments::of(&[]), &Moments::EMPTY));
}

#[test]
fn single_element() {
    let m = Moments::of(&[3.5]);
    assert_eq!(m.count, 1);
    assert_same(m.mean(), 3.5);
    assert_same(m.variance(), 0.0);
    assert_same(m.std_dev(), 0.0);
    assert!(m.sample_variance().is_nan());
    assert_same(m.min, 3.5);
    assert_same(m.max, 3.5);
}

#[test]
fn nan_propagates() {
    let m = Moments::of(&[1.0, f64::NAN, 2.0]);
    assert!(m.min.is_nan() && m.max.is_nan());
    assert!(m.mean().is_nan() && m.variance().is_nan());
    // NaN in a large, parallel input.
    let mut x = vec![1.0; 200_000];
    x[150_000] = f64::NAN;
    let m = Moments::of(&x);
    assert!(m.min.is_nan() && m.max.is_nan() && m.mean().is_nan());
    assert_eq!(m.count, 200_000);
}

#[test]
fn infinity_makes_variance_nan() {
    let m = Moments::of(&[1.0, f64::INFINITY, 2.0]);
    assert_same(m.mean(), f64::INFINITY);
    assert!(m.variance().is_nan());
    assert_same(m.max, f64::INFINITY);
    assert_same(m.min, 1.0);
    let m = Moments::of(&[f64::NEG_INFINITY]);
    assert!(m.variance().is_nan());
    assert_same(m.min, f64::NEG_INFINITY);
}

#[test]
fn negative_zero_is_below_positive_zero() {
    for x in [[0.0, -0.0], [-0.0, 0.0]] {
        let m = Moments::of(&x);
        assert_same(m.min, -0.0);
        assert_same(m.max, 0.0);
    }
    let m = Moments::of(&[-0.0; 5]);
    assert_same(m.min, -0.0);
    assert_same(m.max, -0.0);
    assert_same(m.sum, -0.0);
    // Across block boundaries (the min/max pass and the tree are separate).
    let mut x = vec![0.0; 1000];
    x[999] = -0.0;
    assert_same(Moments::of(&x).min, -0.0);
    assert_same(Moments::of(&x).max, 0.0);
}

#[test]
fn sum_is_the_block_pairwise_sum() {
    let mut rng = Rng(31);
    for len in [1usize, 127, 128, 129, 1000, 70_000, 300_001] {
        let x = data(&mut rng, len);
        assert_same(Moments::of(&x).sum, sum_f64(&x));
    }
}

#[test]
fn matches_the_docs_bit_for_bit() {
    let mut rng = Rng(32);
    let x = data(&mut rng, 5 * BLOCK + 3);
    for len in 0..x.len() {
        assert_moments(&Moments::of(&x[..len]), &x[..len]);
    }
    for len in [65_536usize, 65_537, 100_000, 1 << 20] {
        let x = data(&mut rng, len);
        assert_moments(&Moments::of(&x), &x);
    }
}

#[test]
fn mean_and_variance_against_two_pass() {
    let mut rng = Rng(33);
    for len in [2usize, 10, 128, 1000, 12_345, 200_000] {
        let x: Vec<f64> = (0..len).map(|_| 100.0 + rng.unit() * 5.0).collect();
        let n = len as f64;
        let mean = x.iter().sum::<f64>() / n;
        let ss: f64 = x.iter().map(|v| (v - mean) * (v - mean)).sum();
        let m = Moments::of(&x);
        let close = |a: f64, b: f64| (a - b).abs() <= 1e-12 * b.abs().max(1e-300);
        assert!(close(m.mean(), mean), "{} {}", m.mean(), mean);
        assert!(close(m.variance(), ss / n), "{} {}", m.variance(), ss / n);
        assert!(close(m.sample_variance(), ss / (n - 1.0)));
        assert!(close(m.std_dev(), (ss / n).sqrt()));
        assert_same(m.variance(), m.m2 / n);
    }
}

#[test]
fn merge_treats_empty_as_identity() {
    let a = Moments::of(&[1.0, 2.0, 4.0]);
    assert!(same_moments(&Moments::merge(&a, &Moments::EMPTY), &a));
    assert!(same_moments(&Moments::merge(&Moments::EMPTY, &a), &a));
    let both = Moments::merge(&Moments::EMPTY, &Moments::EMPTY);
    assert_eq!(both.count, 0);
}

#[test]
fn merge_is_the_documented_inner_node() {
    let x: Vec<f64> = (0..256).map(|i| (i * i % 97) as f64 * 0.25).collect();
    let a = Moments::of(&x[..128]);
    let b = Moments::of(&x[128..]);
    let ab = Moments::merge(&a, &b);
    let delta = b.sum / 128.0 - a.sum / 128.0;
    assert_same(
        ab.m2,
        (a.m2 + b.m2) + (delta * delta) * ((128.0 * 128.0) / 256.0),
    );
    assert!(same_moments(&ab, &Moments::of(&x)));
}

#[test]
fn segments_recombine_to_the_whole() {
    let mut rng = Rng(34);
    for k in 0..6 {
        let segment = BLOCK << k;
        for len in [1, segment, segment + 1, 5 * segment + 3, 16 * segment] {
            let x = data(&mut rng, len);
            let parts: Vec<Moments> = x.chunks(segment).map(Moments::of).collect();
            assert!(
                same_moments(&Moments::combine(&parts), &Moments::of(&x)),
                "k {k} len {len}"
            );
        }
    }
    let x = data(&mut rng, SEGMENT + 999);
    let parts: Vec<Moments> = x.chunks(SEGMENT).map(Moments::of).collect();
    assert!(same_moments(&Moments::combine(&parts), &Moments::of(&x)));
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(64))]

    #[test]
    fn random_inputs_match_the_docs(len in 0usize..5000, seed in any::<u64>(), specials in any::<bool>()) {
        let mut rng = Rng(seed);
        let mut x: Vec<f64> = (0..len).map(|_| rng.wide(1000, 1060)).collect();
        if specials && len > 0 {
            let pool = [f64::NAN, f64::INFINITY, f64::NEG_INFINITY, -0.0, 0.0, f64::MAX, f64::from_bits(1)];
            for _ in 0..3 {
                let i = rng.below(len as u64) as usize;
                x[i] = pool[rng.below(pool.len() as u64) as usize];
            }
        }
        let m = Moments::of(&x);
        let (count, sum, m2, min, max) = doc_stats(&x);
        prop_assert_eq!(m.count, count);
        prop_assert!(same(m.sum, sum) && same(m.m2, m2) && same(m.min, min) && same(m.max, max));
    }

    #[test]
    fn random_segmentations_recombine(len in 0usize..5000, k in 0usize..5, seed in any::<u64>()) {
        let mut rng = Rng(seed);
        let x: Vec<f64> = (0..len).map(|_| rng.unit() * 1e3).collect();
        let parts: Vec<Moments> = x.chunks(BLOCK << k).map(Moments::of).collect();
        prop_assert!(same_moments(&Moments::combine(&parts), &Moments::of(&x)));
    }
}
