//! The inner loops, compiled once per instruction set with `multiversion`, which picks the
//! best clone for the running CPU at the first call. The integer sums, the scaling loops and
//! the min/max pass vectorize; the double block sums keep the docs' eight lanes as eight
//! independent add chains. Nothing is fused or reassociated, so every clone returns the same
//! bits as the portable baseline.

use super::tree::Pairwise;
use super::BLOCK;

/// Lanes of the docs' block rule.
pub(crate) const LANES: usize = 8;

/// Wraps a function in `#[multiversion]` with hotpath's target list, kept in one place.
/// `avx512dq` is listed because it brings the 64-bit multiply `scale_i64` needs; every CPU
/// with AVX-512 BW and VL has it.
macro_rules! simd_fn {
    ($(#[$meta:meta])* $vis:vis fn $($rest:tt)*) => {
        $(#[$meta])*
        #[multiversion::multiversion(targets(
            "x86_64+avx512f+avx512bw+avx512dq+avx512vl+avx2+fma",
            "x86_64+avx2+fma",
            "aarch64+neon",
        ))]
        $vis fn $($rest)*
    };
}
pub(crate) use simd_fn;

/// `((a0 + a1) + (a2 + a3)) + ((a4 + a5) + (a6 + a7))`, the docs' lane combination.
#[inline(always)]
fn fold_lanes(acc: &[f64; LANES]) -> f64 {
    ((acc[0] + acc[1]) + (acc[2] + acc[3])) + ((acc[4] + acc[5]) + (acc[6] + acc[7]))
}

/// The docs' block rule over `1..=BLOCK` values, each first mapped by `f`: eight lanes from
/// `-0.0` (the identity of IEEE addition, so a block of `-0.0` stays `-0.0`), then the tail
/// added one by one.
///
/// Indexed lanes on purpose: with `iter_mut().zip()` LLVM shuffled the unrolled block into
/// 128-bit pieces. In the fat-LTO release build the lanes end up as eight independent scalar
/// chains (the SLP vectorizer does not fire there); that already runs at the two
/// additions per cycle the FP adders allow, faster than every vectorized formulation tried
/// (memory-resident accumulators, several blocks interleaved).
#[allow(clippy::needless_range_loop)]
#[inline(always)]
pub(crate) fn block_sum_by(x: &[f64], f: impl Fn(f64) -> f64) -> f64 {
    let mut acc = [-0.0f64; LANES];
    let chunks = x.chunks_exact(LANES);
    let tail = chunks.remainder();
    for chunk in chunks {
        for j in 0..LANES {
            acc[j] += f(chunk[j]);
        }
    }
    let mut r = fold_lanes(&acc);
    for v in tail {
        r += f(*v);
    }
    r
}

/// The docs' block rule over `1..=BLOCK` values.
#[inline(always)]
pub(crate) fn block_sum(x: &[f64]) -> f64 {
    block_sum_by(x, |v| v)
}

/// The docs' block rule over `1..=BLOCK` encoded doubles (`bytes.len()` a multiple of 8),
/// decoded on the fly: the same additions as [`block_sum`] of the decoded values.
#[allow(clippy::needless_range_loop)]
#[inline(always)]
pub(crate) fn block_sum_bytes<const BIG: bool>(bytes: &[u8]) -> f64 {
    let mut acc = [-0.0f64; LANES];
    let rows = bytes.chunks_exact(8 * LANES);
    let tail = rows.remainder();
    for row in rows {
        for j in 0..LANES {
            acc[j] += f64::from_bits(load_u64::<BIG>(&row[8 * j..8 * j + 8]));
        }
    }
    let mut r = fold_lanes(&acc);
    for e in tail.chunks_exact(8) {
        r += f64::from_bits(load_u64::<BIG>(e));
    }
    r
}

/// Reads one 8-byte value in the given order.
#[inline(always)]
pub(crate) fn load_u64<const BIG: bool>(bytes: &[u8]) -> u64 {
    let mut b = [0u8; 8];
    b.copy_from_slice(bytes);
    if BIG {
        u64::from_be_bytes(b)
    } else {
        u64::from_le_bytes(b)
    }
}

simd_fn! {
    /// Wrapping sum; sixteen lanes hide the add latency (integer addition is associative,
    /// so the lanes cannot change the result).
    #[allow(clippy::needless_range_loop)]
    pub(crate) fn sum_i64(x: &[i64]) -> i64 {
        let mut acc = [0i64; 16];
        let chunks = x.chunks_exact(16);
        let tail = chunks.remainder();
        for chunk in chunks {
            for j in 0..16 {
                acc[j] = acc[j].wrapping_add(chunk[j]);
            }
        }
        let mut r = acc.iter().fold(0i64, |s, v| s.wrapping_add(*v));
        for v in tail {
            r = r.wrapping_add(*v);
        }
        r
    }
}

simd_fn! {
    /// Wrapping sum of 8-byte integers; `bytes.len()` is a multiple of 8.
    #[allow(clippy::needless_range_loop)]
    pub(crate) fn sum_i64_bytes<const BIG: bool>(bytes: &[u8]) -> i64 {
        let mut acc = [0i64; 16];
        let chunks = bytes.chunks_exact(128);
        let tail = chunks.remainder();
        for chunk in chunks {
            for j in 0..16 {
                acc[j] = acc[j].wrapping_add(load_u64::<BIG>(&chunk[8 * j..8 * j + 8]) as i64);
            }
        }
        let mut r = acc.iter().fold(0i64, |s, v| s.wrapping_add(*v));
        for e in tail.chunks_exact(8) {
            r = r.wrapping_add(load_u64::<BIG>(e) as i64);
        }
        r
    }
}

simd_fn! {
    /// A perfect subtree: `x.len()` is `BLOCK * 2^k`.
    pub(crate) fn perfect_sum(x: &[f64]) -> f64 {
        let mut tree = Pairwise::new(0.0);
        for block in x.chunks_exact(BLOCK) {
            tree.push(block_sum(block), |a, b| a + b);
        }
        tree.finish()
    }
}

simd_fn! {
    /// A perfect subtree of encoded doubles: `bytes.len()` is `8 * BLOCK * 2^k`.
    pub(crate) fn perfect_sum_bytes<const BIG: bool>(bytes: &[u8]) -> f64 {
        let mut tree = Pairwise::new(0.0);
        for block in bytes.chunks_exact(8 * BLOCK) {
            tree.push(block_sum_bytes::<BIG>(block), |a, b| a + b);
        }
        tree.finish()
    }
}

simd_fn! {
    /// `x * factor` in place, wrapping.
    pub(crate) fn scale_i64(x: &mut [i64], factor: i64) {
        for v in x {
            *v = v.wrapping_mul(factor);
        }
    }
}

simd_fn! {
    /// `x * factor` in place.
    pub(crate) fn scale_f64(x: &mut [f64], factor: f64) {
        for v in x {
            *v *= factor;
        }
    }
}
