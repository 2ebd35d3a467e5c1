//! `scale_i64` / `scale_f64` against element-by-element loops.
mod common;

use common::{same, Rng};
use hotpath_core::numeric::{scale_f64, scale_i64};
use proptest::prelude::*;

#[test]
fn longs_wrap() {
    let mut x = [i64::MAX, i64::MIN, -1, 0, 3, 1 << 62];
    scale_i64(&mut x, 2);
    assert_eq!(x, [-2, 0, -2, 0, 6, i64::MIN]);
    let mut y = [i64::MIN, 5];
    scale_i64(&mut y, -1);
    assert_eq!(y, [i64::MIN, -5]);
    let mut z: [i64; 0] = [];
    scale_i64(&mut z, 7);
}

#[test]
fn doubles_follow_ieee() {
    let mut x = [1.5, -0.0, 0.0, f64::INFINITY, f64::NAN, f64::MAX, 5e-324];
    scale_f64(&mut x, -2.0);
    let want = [
        -3.0,
        0.0,
        -0.0,
        f64::NEG_INFINITY,
        f64::NAN,
        f64::NEG_INFINITY,
        -1e-323,
    ];
    for (a, b) in x.iter().zip(want) {
        assert!(same(*a, b), "{a} vs {b}");
    }
    let mut y = [f64::INFINITY, 1.0, -1.0];
    scale_f64(&mut y, 0.0);
    assert!(y[0].is_nan());
    assert_eq!(y[1].to_bits(), 0.0f64.to_bits());
    assert_eq!(y[2].to_bits(), (-0.0f64).to_bits());
    let mut z = [1.0, 2.0];
    scale_f64(&mut z, f64::NAN);
    assert!(z.iter().all(|v| v.is_nan()));
}

#[test]
fn large_inputs_use_the_pool_and_agree() {
    let mut rng = Rng(41);
    let n = 1_000_003;
    let base: Vec<i64> = (0..n).map(|_| rng.next_u64() as i64).collect();
    let mut got = base.clone();
    scale_i64(&mut got, 0x1234_5678_9ABC_DEF1);
    assert!(got
        .iter()
        .zip(&base)
        .all(|(g, b)| *g == b.wrapping_mul(0x1234_5678_9ABC_DEF1)));
    let basef: Vec<f64> = (0..n).map(|_| rng.wide(0, 2046)).collect();
    let mut gotf = basef.clone();
    scale_f64(&mut gotf, 1.000_000_1);
    assert!(gotf
        .iter()
        .zip(&basef)
        .all(|(g, b)| same(*g, b * 1.000_000_1)));
}

proptest! {
    #[test]
    fn longs_match_loop(x in prop::collection::vec(any::<i64>(), 0..3000), f in any::<i64>()) {
        let mut got = x.clone();
        scale_i64(&mut got, f);
        for (g, v) in got.iter().zip(&x) {
            prop_assert_eq!(*g, v.wrapping_mul(f));
        }
    }

    #[test]
    fn doubles_match_loop(x in prop::collection::vec(any::<f64>(), 0..3000), f in any::<f64>()) {
        let mut got = x.clone();
        scale_f64(&mut got, f);
        for (g, v) in got.iter().zip(&x) {
            prop_assert!(same(*g, v * f));
        }
    }
}
