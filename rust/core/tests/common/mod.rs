//! Test-side oracles, written straight from docs/numeric.md and kept deliberately naive, so
//! they cannot share a clever bug with the kernels.
// Each test crate uses a different part; the block rule is transcribed from the docs'
// pseudo-code as literally as possible, hence the index loops and `a = a + b`.
#![allow(dead_code, clippy::needless_range_loop, clippy::assign_op_pattern)]

use num_bigint::BigInt;
use num_rational::BigRational;
use num_traits::float::FloatCore;
use num_traits::{One, Signed, Zero};

/// Deterministic pseudo-random numbers (SplitMix64).
pub struct Rng(pub u64);

impl Rng {
    pub fn next_u64(&mut self) -> u64 {
        self.0 = self.0.wrapping_add(0x9E37_79B9_7F4A_7C15);
        let mut z = self.0;
        z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
        z ^ (z >> 31)
    }

    pub fn below(&mut self, n: u64) -> u64 {
        self.next_u64() % n
    }

    /// Uniform in [-1, 1).
    pub fn unit(&mut self) -> f64 {
        (self.next_u64() >> 11) as f64 / (1u64 << 52) as f64 - 1.0
    }

    /// A finite double with a random sign and mantissa whose biased exponent field is in
    /// `[lo, hi]` (0 gives subnormals, 2046 the top binade).
    pub fn wide(&mut self, lo: u64, hi: u64) -> f64 {
        let field = lo + self.below(hi - lo + 1);
        let frac = self.next_u64() & ((1 << 52) - 1);
        let sign = self.next_u64() & (1 << 63);
        f64::from_bits(sign | (field << 52) | frac)
    }
}

/// Equal bits, or both NaN (Java's `doubleToLongBits` makes every NaN one value).
pub fn same(a: f64, b: f64) -> bool {
    a.to_bits() == b.to_bits() || (a.is_nan() && b.is_nan())
}

#[track_caller]
pub fn assert_same(actual: f64, expected: f64) {
    assert!(
        same(actual, expected),
        "got {actual:e} ({:#018x}), expected {expected:e} ({:#018x})",
        actual.to_bits(),
        expected.to_bits()
    );
}

fn highest_one_bit(v: usize) -> usize {
    if v == 0 {
        0
    } else {
        1 << (63 - v.leading_zeros())
    }
}

/// The docs' block rule, line by line.
pub fn doc_block(x: &[f64]) -> f64 {
    let len = x.len();
    let mut acc = [-0.0f64; 8];
    let full = len / 8 * 8;
    let mut i = 0;
    while i < full {
        for j in 0..8 {
            acc[j] = acc[j] + x[i + j];
        }
        i += 8;
    }
    let mut r = ((acc[0] + acc[1]) + (acc[2] + acc[3])) + ((acc[4] + acc[5]) + (acc[6] + acc[7]));
    for v in &x[full..len] {
        r = r + *v;
    }
    r
}

fn doc_tree(x: &[f64]) -> f64 {
    if x.len() <= 128 {
        return doc_block(x);
    }
    let m = 128 * highest_one_bit((x.len() - 1) / 128);
    doc_tree(&x[..m]) + doc_tree(&x[m..])
}

/// `sum(double[])` per the docs.
pub fn doc_sum(x: &[f64]) -> f64 {
    if x.is_empty() {
        0.0
    } else {
        doc_tree(x)
    }
}

/// The docs' segment rule `C()`.
pub fn doc_combine(sums: &[f64]) -> f64 {
    if sums.is_empty() {
        return 0.0;
    }
    if sums.len() == 1 {
        return sums[0];
    }
    let m = highest_one_bit(sums.len() - 1);
    doc_combine(&sums[..m]) + doc_combine(&sums[m..])
}

/// Java's `Math.min`, transcribed.
pub fn java_min(a: f64, b: f64) -> f64 {
    if a.is_nan() {
        return a;
    }
    if a == 0.0 && b == 0.0 && b.to_bits() == (-0.0f64).to_bits() {
        return b;
    }
    if a <= b {
        a
    } else {
        b
    }
}

/// Java's `Math.max`, transcribed.
pub fn java_max(a: f64, b: f64) -> f64 {
    if a.is_nan() {
        return a;
    }
    if a == 0.0 && b == 0.0 && a.to_bits() == (-0.0f64).to_bits() {
        return b;
    }
    if a >= b {
        a
    } else {
        b
    }
}

/// `(n, s, M2)` of a node per the docs' stats rule.
pub fn doc_node(x: &[f64]) -> (f64, f64, f64) {
    if x.len() <= 128 {
        let n = x.len() as f64;
        let s = doc_block(x);
        let mu = s / n;
        let d: Vec<f64> = x.iter().map(|v| (v - mu) * (v - mu)).collect();
        return (n, s, doc_block(&d));
    }
    let m = 128 * highest_one_bit((x.len() - 1) / 128);
    let (na, sa, m2a) = doc_node(&x[..m]);
    let (nb, sb, m2b) = doc_node(&x[m..]);
    let delta = sb / nb - sa / na;
    let m2 = (m2a + m2b) + (delta * delta) * ((na * nb) / (na + nb));
    (na + nb, sa + sb, m2)
}

/// Everything `stats(double[])` reports, per the docs: (count, sum, m2, min, max).
pub fn doc_stats(x: &[f64]) -> (u64, f64, f64, f64, f64) {
    let mut min = f64::INFINITY;
    let mut max = f64::NEG_INFINITY;
    for v in x {
        min = java_min(min, *v);
        max = java_max(max, *v);
    }
    if x.is_empty() {
        return (0, 0.0, 0.0, min, max);
    }
    let (_, s, m2) = doc_node(x);
    (x.len() as u64, s, m2, min, max)
}

// ---------------------------------------------------------------------------------------
// Exact-sum oracle: exact integers scaled by 2^1075, so every double and every midpoint
// between two neighbouring doubles is an integer.

pub const SCALE: u32 = 1075;

fn pow2(k: u32) -> BigInt {
    BigInt::one() << k
}

/// `x * 2^1075` exactly, through num-rational's exact float conversion.
pub fn scaled(x: f64) -> BigInt {
    let r = BigRational::from_float(x).unwrap_or_else(BigRational::zero);
    let s = r * BigRational::from_integer(pow2(SCALE));
    assert!(s.is_integer(), "{x:e} * 2^1075 not an integer");
    s.to_integer()
}

/// Exact sum of finite values, scaled, through rationals (fine for short inputs).
pub fn exact_scaled_rational(xs: &[f64]) -> BigInt {
    let mut acc = BigRational::zero();
    for x in xs {
        acc += BigRational::from_float(*x).unwrap_or_else(BigRational::zero);
    }
    let s = acc * BigRational::from_integer(pow2(SCALE));
    assert!(s.is_integer());
    s.to_integer()
}

/// Exact sum of finite values, scaled, fast enough for millions: signed mantissas from
/// `integer_decode` bucketed per exponent in `i128`, expanded once at the end.
pub fn exact_scaled_buckets(xs: &[f64]) -> BigInt {
    let mut buckets = vec![0i128; 2200];
    for x in xs {
        let (mant, exp, sign) = FloatCore::integer_decode(*x);
        // integer_decode: x = sign * mant * 2^exp, exp >= -1075 (subnormals come doubled)
        buckets[(i32::from(exp) + SCALE as i32) as usize] += i128::from(sign) * i128::from(mant);
    }
    let mut total = BigInt::zero();
    for (i, b) in buckets.iter().enumerate() {
        if *b != 0 {
            total += BigInt::from(*b) << i;
        }
    }
    total
}

/// Checks that `r` is the double nearest to `exact` (scaled by 2^1075), ties to even, with
/// overflow to infinity at 2^1024 - 2^970 as IEEE specifies. Works by bracketing `r` between
/// the midpoints to its neighbours, not by rounding, so it shares no logic with the kernel.
pub fn check_rounded(exact: &BigInt, r: f64) -> Result<(), String> {
    let overflow = (pow2(1024) - pow2(970)) << SCALE as usize;
    if r.is_nan() {
        return Err("NaN for a finite exact sum".into());
    }
    if r.is_infinite() {
        let ok = if r > 0.0 {
            *exact >= overflow
        } else {
            *exact <= -overflow.clone()
        };
        return if ok {
            Ok(())
        } else {
            Err(format!("{r} but exact is {exact}"))
        };
    }
    let mine = scaled(r);
    let up = next_up(r);
    let down = -next_up(-r);
    let upper = if up.is_infinite() {
        pow2(1024) << SCALE as usize
    } else {
        scaled(up)
    };
    let lower = if down.is_infinite() {
        -(pow2(1024) << SCALE as usize)
    } else {
        scaled(down)
    };
    let two = BigInt::from(2);
    let hi_mid: BigInt = (&mine + &upper) / &two;
    let lo_mid: BigInt = (&mine + &lower) / &two;
    let even = r.to_bits() & 1 == 0;
    let inside =
        (*exact > lo_mid && *exact < hi_mid) || (even && (*exact == lo_mid || *exact == hi_mid));
    if inside {
        Ok(())
    } else {
        Err(format!(
            "{r:e} is not the nearest double: exact - r = {} (scaled by 2^1075), half-gaps {} / {}",
            exact - &mine,
            (&mine - &lo_mid).abs(),
            (&hi_mid - &mine).abs()
        ))
    }
}

/// The next double towards +inf (finite input).
pub fn next_up(x: f64) -> f64 {
    if x == 0.0 {
        return f64::from_bits(1);
    }
    let b = x.to_bits();
    if x > 0.0 {
        f64::from_bits(b + 1)
    } else {
        f64::from_bits(b - 1)
    }
}
