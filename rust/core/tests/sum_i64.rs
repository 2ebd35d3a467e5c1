//! `sum_i64` and `sum_i64_bytes` against a plain wrapping loop.
mod common;

use common::Rng;
use hotpath_core::numeric::{sum_i64, sum_i64_bytes, ByteOrder};
use hotpath_core::Error;
use proptest::prelude::*;

fn naive(x: &[i64]) -> i64 {
    let mut s = 0i64;
    for v in x {
        s = s.wrapping_add(*v);
    }
    s
}

fn encode(x: &[i64], order: ByteOrder) -> Vec<u8> {
    x.iter()
        .flat_map(|v| match order {
            ByteOrder::Little => v.to_le_bytes(),
            ByteOrder::Big => v.to_be_bytes(),
        })
        .collect()
}

#[test]
fn empty_is_zero() {
    assert_eq!(sum_i64(&[]), 0);
    assert_eq!(sum_i64_bytes(&[], ByteOrder::Big), Ok(0));
}

#[test]
fn wraps_like_java() {
    assert_eq!(sum_i64(&[i64::MAX, 1]), i64::MIN);
    assert_eq!(sum_i64(&[i64::MIN, -1]), i64::MAX);
    assert_eq!(sum_i64(&[i64::MAX, i64::MAX, 2]), 0);
    assert_eq!(sum_i64(&[i64::MIN; 4]), 0);
    let many = vec![i64::MAX; 1001];
    assert_eq!(sum_i64(&many), naive(&many));
}

#[test]
fn every_length_around_the_lane_and_block_sizes() {
    let mut rng = Rng(1);
    let data: Vec<i64> = (0..700).map(|_| rng.next_u64() as i64).collect();
    for len in 0..data.len() {
        assert_eq!(sum_i64(&data[..len]), naive(&data[..len]), "len {len}");
    }
}

#[test]
fn large_inputs_use_the_pool_and_agree() {
    let mut rng = Rng(2);
    for len in [262_143usize, 262_144, 1_000_003] {
        let data: Vec<i64> = (0..len).map(|_| rng.next_u64() as i64).collect();
        assert_eq!(sum_i64(&data), naive(&data), "len {len}");
        for order in [ByteOrder::Little, ByteOrder::Big] {
            assert_eq!(
                sum_i64_bytes(&encode(&data, order), order),
                Ok(naive(&data))
            );
        }
    }
}

#[test]
fn bytes_in_both_orders() {
    let x = [1i64, -2, i64::MAX, i64::MIN, 0x0102_0304_0506_0708];
    for order in [ByteOrder::Little, ByteOrder::Big] {
        assert_eq!(sum_i64_bytes(&encode(&x, order), order), Ok(naive(&x)));
    }
    // The same bytes read in the other order are other numbers.
    let le = encode(&[1], ByteOrder::Little);
    assert_eq!(sum_i64_bytes(&le, ByteOrder::Big), Ok(1 << 56));
}

#[test]
fn bytes_of_wrong_length_are_refused() {
    for len in [1usize, 7, 9, 15, 1023, 8 * 300_000 + 3] {
        let bytes = vec![0u8; len];
        let expected = Err(Error::NotAMultiple {
            what: "buffer",
            len,
            multiple: 8,
        });
        assert_eq!(sum_i64_bytes(&bytes, ByteOrder::Little), expected);
        assert_eq!(sum_i64_bytes(&bytes, ByteOrder::Big), expected);
    }
}

proptest! {
    #[test]
    fn matches_naive(x in prop::collection::vec(any::<i64>(), 0..5000)) {
        prop_assert_eq!(sum_i64(&x), naive(&x));
        for order in [ByteOrder::Little, ByteOrder::Big] {
            prop_assert_eq!(sum_i64_bytes(&encode(&x, order), order), Ok(naive(&x)));
        }
    }

    #[test]
    fn extremes_wrap(x in prop::collection::vec(
        prop_oneof![Just(i64::MAX), Just(i64::MIN), Just(-1i64), Just(1i64), any::<i64>()],
        0..600,
    )) {
        prop_assert_eq!(sum_i64(&x), naive(&x));
    }
}
