//! `sum_f64`, `combine_sums` and `sum_f64_bytes` against the docs' text, bit for bit.
mod common;

use common::{assert_same, doc_combine, doc_sum, same, Rng};
use hotpath_core::numeric::{combine_sums, sum_f64, sum_f64_bytes, ByteOrder, BLOCK, SEGMENT};
use hotpath_core::Error;
use proptest::prelude::*;

fn encode(x: &[f64], order: ByteOrder) -> Vec<u8> {
    x.iter()
        .flat_map(|v| match order {
            ByteOrder::Little => v.to_le_bytes(),
            ByteOrder::Big => v.to_be_bytes(),
        })
        .collect()
}

/// Values that make the order of additions visible in the result.
fn messy(rng: &mut Rng, n: usize) -> Vec<f64> {
    (0..n)
        .map(|i| match i % 5 {
            0 => rng.unit() * 1e16,
            1 => rng.unit(),
            2 => rng.unit() * 1e-8,
            3 => rng.wide(900, 1200),
            _ => rng.unit() * 3.0,
        })
        .collect()
}

/// Mostly ordinary values with, now and then, each kind of special one; rare enough that a
/// long input is not simply NaN.
fn special_mix(rng: &mut Rng, n: usize) -> Vec<f64> {
    let pool = [
        f64::NAN,
        f64::INFINITY,
        f64::NEG_INFINITY,
        0.0,
        -0.0,
        f64::MAX,
        -f64::MAX,
        f64::MIN_POSITIVE,
        f64::from_bits(1),
        -f64::from_bits(0x000F_FFFF_FFFF_FFFF),
    ];
    let rate = 1 + rng.below(4000);
    (0..n)
        .map(|_| {
            if rng.below(rate) == 0 {
                pool[rng.below(pool.len() as u64) as usize]
            } else if rng.below(3) == 0 {
                rng.wide(0, 2046)
            } else {
                rng.unit() * 1e3
            }
        })
        .collect()
}

fn special() -> impl Strategy<Value = f64> {
    prop_oneof![
        4 => -1e3..1e3f64,
        2 => any::<f64>(),
        1 => Just(f64::NAN),
        1 => Just(f64::INFINITY),
        1 => Just(f64::NEG_INFINITY),
        1 => Just(0.0f64),
        1 => Just(-0.0f64),
        1 => Just(f64::MAX),
        1 => Just(-f64::MAX),
        1 => Just(f64::MIN_POSITIVE),
        1 => prop::num::f64::SUBNORMAL,
        1 => -1e300..1e300f64,
    ]
}

#[test]
fn empty_is_positive_zero() {
    assert_same(sum_f64(&[]), 0.0);
    assert_same(combine_sums(&[]), 0.0);
    assert_eq!(
        sum_f64_bytes(&[], ByteOrder::Little).map(f64::to_bits),
        Ok(0)
    );
}

#[test]
fn signed_zeros_follow_the_lane_rule() {
    assert_same(sum_f64(&[-0.0]), -0.0);
    assert_same(sum_f64(&[-0.0; 300]), -0.0);
    assert_same(sum_f64(&[-0.0, 0.0]), 0.0);
    assert_same(sum_f64(&[0.0; 17]), 0.0);
}

#[test]
fn non_finite_values() {
    assert!(sum_f64(&[1.0, f64::NAN, 2.0]).is_nan());
    assert_same(sum_f64(&[1.0, f64::INFINITY]), f64::INFINITY);
    assert!(sum_f64(&[f64::INFINITY, f64::NEG_INFINITY]).is_nan());
    assert_same(sum_f64(&[f64::MAX, f64::MAX]), f64::INFINITY);
}

#[test]
fn order_is_the_documented_one() {
    // 2^53 followed by fifteen ones: a sequential loop loses every one (each 2^53 + 1 is a
    // tie that rounds back to even), the lanes add the ones among themselves first.
    let mut x = vec![1.0f64; 16];
    x[0] = 2f64.powi(53);
    let sequential = x.iter().fold(0.0, |a, b| a + b);
    assert_same(sequential, 2f64.powi(53));
    assert_same(sum_f64(&x), 2f64.powi(53) + 14.0);
    assert_same(sum_f64(&x), doc_sum(&x));
    // The tail is added after the lanes are combined.
    let y = [1e16, 0.0, 0.0, 0.0, 0.0, 0.0, 0.0, 0.0, 1.0, 1.0];
    assert_same(sum_f64(&y), ((1e16f64 + 0.0) + 1.0) + 1.0);
}

#[test]
fn every_length_up_to_five_blocks_matches_the_docs() {
    let mut rng = Rng(7);
    let data = messy(&mut rng, 5 * BLOCK + 9);
    for len in 0..=data.len() {
        assert_same(sum_f64(&data[..len]), doc_sum(&data[..len]));
    }
}

#[test]
fn lengths_around_powers_of_two_blocks() {
    let mut rng = Rng(8);
    let data = messy(&mut rng, 128 * 64 + 200);
    for k in 0..7 {
        let m = 128usize << k;
        for len in [m - 1, m, m + 1, m + 127, m + 128, m + 129, 3 * m / 2 + 5] {
            if len <= data.len() {
                assert_same(sum_f64(&data[..len]), doc_sum(&data[..len]));
            }
        }
    }
}

#[test]
fn large_inputs_use_the_pool_and_match_the_docs() {
    let mut rng = Rng(9);
    for len in [262_144usize, 300_001, 1 << 20, 1_234_567] {
        let data = messy(&mut rng, len);
        assert_same(sum_f64(&data), doc_sum(&data));
    }
}

#[test]
fn segments_recombine_to_the_whole() {
    let mut rng = Rng(10);
    for k in 0..6 {
        let segment = BLOCK << k;
        for len in [
            1,
            segment - 1,
            segment,
            segment + 1,
            3 * segment + 77,
            8 * segment,
            9 * segment + 1,
        ] {
            let data = messy(&mut rng, len);
            let partials: Vec<f64> = data.chunks(segment).map(sum_f64).collect();
            assert_same(combine_sums(&partials), sum_f64(&data));
            assert_same(doc_combine(&partials), combine_sums(&partials));
        }
    }
}

#[test]
fn real_segment_size_recombines() {
    let mut rng = Rng(11);
    let data = messy(&mut rng, 2 * SEGMENT + 12_345);
    let partials: Vec<f64> = data.chunks(SEGMENT).map(sum_f64).collect();
    assert_eq!(partials.len(), 3);
    assert_same(combine_sums(&partials), sum_f64(&data));
    assert_same(sum_f64(&data), doc_sum(&data));
}

#[test]
fn combine_sums_shape() {
    assert_same(combine_sums(&[2.5]), 2.5);
    assert_same(combine_sums(&[-0.0]), -0.0);
    // ((a + b) + (c + d)) + e, not a left fold
    let p = [1e16, 1.0, 1.0, 1.0, 1.0];
    assert_same(combine_sums(&p), ((1e16 + 1.0) + (1.0 + 1.0)) + 1.0);
}

#[test]
fn bytes_match_decoded_sum_in_both_orders() {
    let mut rng = Rng(12);
    for len in [1usize, 7, 8, 127, 128, 129, 1000, 4096, 300_001] {
        let data = messy(&mut rng, len);
        for order in [ByteOrder::Little, ByteOrder::Big] {
            let got = sum_f64_bytes(&encode(&data, order), order);
            assert_eq!(
                got.map(f64::to_bits),
                Ok(sum_f64(&data).to_bits()),
                "len {len}"
            );
        }
    }
}

#[test]
fn bytes_of_wrong_length_are_refused() {
    for len in [3usize, 12, 8 * 128 + 1] {
        let expected = Err(Error::NotAMultiple {
            what: "buffer",
            len,
            multiple: 8,
        });
        assert_eq!(sum_f64_bytes(&vec![0u8; len], ByteOrder::Big), expected);
    }
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(200))]

    #[test]
    fn matches_the_docs_on_special_values(x in prop::collection::vec(special(), 0..400)) {
        let got = sum_f64(&x);
        let want = doc_sum(&x);
        prop_assert!(same(got, want), "{} vs {}", got, want);
        for order in [ByteOrder::Little, ByteOrder::Big] {
            let b = sum_f64_bytes(&encode(&x, order), order);
            prop_assert!(matches!(b, Ok(v) if same(v, got)));
        }
    }

    #[test]
    fn matches_the_docs_on_long_special_mixes(len in 0usize..5000, seed in any::<u64>()) {
        let mut rng = Rng(seed);
        let x = special_mix(&mut rng, len);
        let got = sum_f64(&x);
        prop_assert!(same(got, doc_sum(&x)), "{}", got);
        let b = sum_f64_bytes(&encode(&x, ByteOrder::Big), ByteOrder::Big);
        prop_assert!(matches!(b, Ok(v) if same(v, got)));
    }

    #[test]
    fn matches_the_docs_near_block_multiples(
        blocks in 0usize..40,
        extra in -3i64..4,
        seed in any::<u64>(),
    ) {
        let len = (blocks as i64 * 128 + extra).max(0) as usize;
        let mut rng = Rng(seed);
        let x = messy(&mut rng, len);
        prop_assert!(same(sum_f64(&x), doc_sum(&x)));
    }

    #[test]
    fn any_segmentation_recombines(len in 0usize..5000, k in 0usize..5, seed in any::<u64>()) {
        let mut rng = Rng(seed);
        let x = messy(&mut rng, len);
        let partials: Vec<f64> = x.chunks(BLOCK << k).map(sum_f64).collect();
        prop_assert!(same(combine_sums(&partials), sum_f64(&x)));
    }
}
