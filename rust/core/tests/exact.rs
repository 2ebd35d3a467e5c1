//! `sum_exact` / `ExactSum` against exact big-number arithmetic.
mod common;

use common::{assert_same, check_rounded, exact_scaled_buckets, exact_scaled_rational, Rng};
use hotpath_core::numeric::{sum_exact, ExactSum};
use proptest::prelude::*;

/// 2^k, built from bits: `powi` loses the subnormal powers.
fn p2(k: i32) -> f64 {
    if k >= -1022 {
        f64::from_bits(((k + 1023) as u64) << 52)
    } else {
        f64::from_bits(1u64 << (k + 1074))
    }
}

/// Checks `sum_exact` on finite input against the rational oracle, and that a segmented
/// accumulation agrees.
#[track_caller]
fn check(xs: &[f64]) {
    let r = sum_exact(xs);
    if let Err(e) = check_rounded(&exact_scaled_rational(xs), r) {
        panic!("{e} for {xs:?}");
    }
}

#[test]
fn the_two_oracles_agree() {
    let mut rng = Rng(5);
    for len in [0usize, 1, 2, 17, 300] {
        let xs: Vec<f64> = (0..len).map(|_| rng.wide(0, 2046)).collect();
        assert_eq!(exact_scaled_rational(&xs), exact_scaled_buckets(&xs));
    }
}

#[test]
fn huge_cancellation() {
    assert_same(sum_exact(&[1e308, 1.0, -1e308]), 1.0);
    assert_same(sum_exact(&[1e16, 1.0, -1e16]), 1.0);
    assert_same(sum_exact(&[1.0, 1e100, 1.0, -1e100]), 2.0);
    assert_same(sum_exact(&[f64::MAX, -f64::MAX, 5e-324]), 5e-324);
    assert_same(
        sum_exact(&[0.1, 0.2, 0.3, -0.6]),
        check_value(&[0.1, 0.2, 0.3, -0.6]),
    );
    check(&[1e308, 1.0, -1e308, 1e-308, -1e-320, 3.0]);
}

fn check_value(xs: &[f64]) -> f64 {
    let r = sum_exact(xs);
    if let Err(e) = check_rounded(&exact_scaled_rational(xs), r) {
        panic!("{e}");
    }
    r
}

#[test]
fn subnormals_add_exactly() {
    let tiny = f64::from_bits(1);
    assert_eq!(sum_exact(&vec![tiny; 1000]).to_bits(), 1000);
    // Crossing into the normal range.
    let big_sub = f64::from_bits(0x000F_FFFF_FFFF_FFFF);
    assert_same(sum_exact(&[big_sub, tiny]), f64::MIN_POSITIVE);
    assert_same(sum_exact(&[-tiny, tiny, -tiny]), -tiny);
    let mut rng = Rng(3);
    let xs: Vec<f64> = (0..10_000).map(|_| rng.wide(0, 2)).collect();
    check(&xs);
}

#[test]
fn ties_round_to_even_both_ways() {
    // 1 + 2^-53 is halfway between 1 (even) and 1 + 2^-52 (odd): down.
    assert_same(sum_exact(&[1.0, p2(-53)]), 1.0);
    // 1 + 3 * 2^-53 is halfway between 1 + 2^-52 (odd) and 1 + 2^-51 (even): up.
    assert_same(sum_exact(&[1.0 + p2(-52), p2(-53)]), 1.0 + p2(-51));
    // The sticky bit breaks the tie.
    assert_same(sum_exact(&[1.0, p2(-53), p2(-1074)]), 1.0 + p2(-52));
    assert_same(sum_exact(&[1.0, p2(-53), -p2(-1074)]), 1.0);
    // Same for negative sums.
    assert_same(sum_exact(&[-1.0, -p2(-53)]), -1.0);
    assert_same(sum_exact(&[-1.0 - p2(-52), -p2(-53)]), -1.0 - p2(-51));
    // A tie built from many parts far apart.
    assert_same(
        sum_exact(&[p2(60), 64.0, 64.0, -p2(-200), p2(-200)]),
        p2(60),
    );
    assert_same(sum_exact(&[p2(60), 192.0, 64.0]), p2(60) + 256.0);
    check(&[p2(60), 128.0, 1e-300]);
    check(&[p2(60), 128.0, -1e-300]);
}

#[test]
fn overflow_and_coming_back() {
    let max = f64::MAX;
    assert_same(sum_exact(&[max, max]), f64::INFINITY);
    assert_same(sum_exact(&[-max, -max]), f64::NEG_INFINITY);
    assert_same(sum_exact(&[max, max, -max]), max);
    assert_same(sum_exact(&[max, max, max, -max, -max]), max);
    assert_same(sum_exact(&[-max, -max, max]), -max);
    // MAX + half an ulp of MAX is exactly 2^1024 - 2^970: the tie goes to the even "2^1024",
    // i.e. infinity; anything below stays MAX.
    assert_same(sum_exact(&[max, p2(970)]), f64::INFINITY);
    assert_same(sum_exact(&[-max, -p2(970)]), f64::NEG_INFINITY);
    assert_same(sum_exact(&[max, p2(970), -p2(-1074)]), max);
    assert_same(sum_exact(&[max, p2(969)]), max);
    assert_same(sum_exact(&[max, p2(969), p2(969)]), f64::INFINITY);
    check(&[max, p2(969), p2(968), -5e-324]);
}

#[test]
fn signs_of_zero() {
    assert_same(sum_exact(&[]), 0.0);
    assert_same(sum_exact(&[-0.0]), -0.0);
    assert_same(sum_exact(&[-0.0; 1000]), -0.0);
    assert_same(sum_exact(&[-0.0, 0.0]), 0.0);
    assert_same(sum_exact(&[0.0, -0.0]), 0.0);
    assert_same(sum_exact(&[1.0, -1.0]), 0.0);
    assert_same(sum_exact(&[-1.0, 1.0]), 0.0);
    assert_same(sum_exact(&[-0.0, -1.0, 1.0]), 0.0);
    assert_same(sum_exact(&[-5e-324, 5e-324, -0.0]), 0.0);
    let mut acc = ExactSum::new();
    assert_same(acc.value(), 0.0);
    acc.add(-0.0);
    assert_same(acc.value(), -0.0);
    acc.add(0.0);
    assert_same(acc.value(), 0.0);
    assert_same(ExactSum::default().value(), 0.0);
}

#[test]
fn nan_and_infinity_rules() {
    let (inf, nan) = (f64::INFINITY, f64::NAN);
    assert!(sum_exact(&[nan]).is_nan());
    assert!(sum_exact(&[1.0, nan, 2.0]).is_nan());
    assert!(sum_exact(&[inf, nan]).is_nan());
    assert!(sum_exact(&[inf, -inf]).is_nan());
    assert!(sum_exact(&[-inf, 1.0, inf]).is_nan());
    assert_same(sum_exact(&[inf, 1.0]), inf);
    assert_same(sum_exact(&[-inf, 1.0, -inf]), -inf);
    assert_same(sum_exact(&[f64::MAX, f64::MAX, inf]), inf);
    assert_same(sum_exact(&[f64::MAX, f64::MAX, -inf]), -inf);
    assert_same(sum_exact(&[-0.0, inf]), inf);
    // Rules hold on the parallel path too.
    let mut big = vec![1.0; 100_000];
    big[77_777] = -inf;
    assert_same(sum_exact(&big), -inf);
    big[3] = inf;
    assert!(sum_exact(&big).is_nan());
}

#[test]
fn accumulators_merge_like_one() {
    let mut rng = Rng(21);
    let xs: Vec<f64> = (0..20_000)
        .map(|i| {
            if i % 997 == 0 {
                f64::MAX
            } else if i % 991 == 0 {
                -f64::MAX
            } else {
                rng.wide(0, 2046)
            }
        })
        .collect();
    let mut whole = ExactSum::new();
    whole.add_slice(&xs);
    for segment in [1usize, 3, 128, 1000, 4096] {
        let mut merged = ExactSum::new();
        for part in xs.chunks(segment) {
            let mut acc = ExactSum::new();
            acc.add_slice(part);
            merged.merge(&acc);
        }
        assert_same(merged.value(), whole.value());
    }
    let mut one_by_one = ExactSum::new();
    for x in &xs {
        one_by_one.add(*x);
    }
    assert_same(one_by_one.value(), whole.value());
    assert_same(sum_exact(&xs), whole.value());
    if let Err(e) = check_rounded(&exact_scaled_buckets(&xs), whole.value()) {
        panic!("{e}");
    }
}

#[test]
fn merging_specials_and_zero_flags() {
    let mut a = ExactSum::new();
    a.add_slice(&[-0.0, -0.0]);
    let mut b = ExactSum::new();
    b.add(-0.0);
    let mut c = a.clone();
    c.merge(&b);
    assert_same(c.value(), -0.0);
    c.merge(&ExactSum::new());
    assert_same(c.value(), -0.0);
    let mut d = ExactSum::new();
    d.add(f64::INFINITY);
    c.merge(&d);
    assert_same(c.value(), f64::INFINITY);
    let mut e = ExactSum::new();
    e.add(f64::NEG_INFINITY);
    c.merge(&e);
    assert!(c.value().is_nan());
}

/// Millions of values against the bucket oracle, in the default (debug) test run.
#[test]
fn millions_of_random_values() {
    let mut rng = Rng(0xDEC0DE);
    // Wide exponents, mixed signs.
    let xs: Vec<f64> = (0..1_500_000).map(|_| rng.wide(0, 2046)).collect();
    let r = sum_exact(&xs);
    if let Err(e) = check_rounded(&exact_scaled_buckets(&xs), r) {
        panic!("wide: {e}");
    }
    // Heavy cancellation: values and their negations, shuffled, plus a small remainder, so
    // the exact sum is tiny next to the terms.
    let n = 1_500_000;
    let mut ys: Vec<f64> = Vec::with_capacity(n + 3);
    for _ in 0..n / 2 {
        let v = rng.wide(1000, 1100);
        ys.push(v);
        ys.push(-v);
    }
    ys.push(p2(-1000));
    ys.push(3.0);
    ys.push(-p2(-1074));
    for i in (1..ys.len()).rev() {
        let j = rng.below(i as u64 + 1) as usize;
        ys.swap(i, j);
    }
    let r = sum_exact(&ys);
    assert_same(r, 3.0);
    if let Err(e) = check_rounded(&exact_scaled_buckets(&ys), r) {
        panic!("cancel: {e}");
    }
}

#[test]
fn three_million_moderate_values() {
    let mut rng = Rng(99);
    let xs: Vec<f64> = (0..3_000_000)
        .map(|i| {
            if i % 2 == 0 {
                rng.unit() * 1e6
            } else {
                rng.wide(1000, 1050)
            }
        })
        .collect();
    let r = sum_exact(&xs);
    if let Err(e) = check_rounded(&exact_scaled_buckets(&xs), r) {
        panic!("{e}");
    }
}

#[test]
fn near_overflow_partial_sums_in_bulk() {
    // Partial sums far beyond MAX that come back into range.
    let mut xs = vec![f64::MAX; 200_000];
    xs.extend(std::iter::repeat_n(-f64::MAX, 199_999));
    xs.push(-1e300);
    xs.push(12345.0);
    let r = sum_exact(&xs);
    if let Err(e) = check_rounded(&exact_scaled_buckets(&xs), r) {
        panic!("{e}");
    }
    assert!(r.is_finite());
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(200))]

    #[test]
    fn random_finite_inputs(xs in prop::collection::vec(
        prop_oneof![
            prop::num::f64::NORMAL,
            prop::num::f64::SUBNORMAL,
            prop::num::f64::ZERO,
            -1e3..1e3f64,
            Just(f64::MAX),
            Just(-f64::MAX),
        ],
        0..200,
    )) {
        let r = sum_exact(&xs);
        prop_assert!(check_rounded(&exact_scaled_buckets(&xs), r).is_ok(), "{:e}", r);
    }

    #[test]
    fn random_lengths_and_ranges(len in 0usize..5000, lo in 0u64..2046, span in 0u64..200, seed in any::<u64>()) {
        let mut rng = Rng(seed);
        let hi = (lo + span).min(2046);
        let xs: Vec<f64> = (0..len).map(|_| rng.wide(lo, hi)).collect();
        let r = sum_exact(&xs);
        prop_assert!(check_rounded(&exact_scaled_buckets(&xs), r).is_ok(), "{:e}", r);
    }
}
