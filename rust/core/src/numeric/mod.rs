//! The numeric kernels, implementing docs/numeric.md step for step.
//!
//! Results never depend on the thread count: the double sums and [`Moments`] follow a tree
//! fixed by the length alone, long sums wrap (so any order gives the same value), and
//! [`sum_exact`] is exact until its single final rounding. Large inputs run on [`crate::pool`];
//! small ones never leave the calling thread.

mod exact;
mod kernels;
mod stats;
mod tree;

pub use exact::{sum_exact, ExactSum};
pub use stats::Moments;

use crate::error::Error;
use crate::pool;
use tree::Tree;

/// Elements per leaf of the summation tree (docs/numeric.md).
pub const BLOCK: usize = 128;

/// Elements per segment that callers process between GC-safe points. A power-of-two multiple
/// of [`BLOCK`], so segments are exactly nodes of the summation tree and [`combine_sums`] /
/// [`Moments::combine`] over per-segment results rebuild the whole-array result bit for bit.
pub const SEGMENT: usize = 1 << 19;

const _: () = assert!(SEGMENT.is_multiple_of(BLOCK) && (SEGMENT / BLOCK).is_power_of_two());

/// Inputs shorter than this stay on the calling thread. Measured: handing work to the pool
/// and waking a worker costs 10-20 us, while the sums and scaling run at 5-10 elements/ns on
/// one thread, so below a quarter million elements the pool cannot win.
pub(crate) const PAR_MIN: usize = 256 * 1024;

/// Largest piece one pool task handles on its own; a power-of-two multiple of [`BLOCK`].
pub(crate) const GRAIN: usize = 64 * 1024;

/// [`PAR_MIN`] for [`Moments::of`], which does about four times the work per element.
pub(crate) const PAR_MIN_STATS: usize = 64 * 1024;

/// [`GRAIN`] for [`Moments::of`].
pub(crate) const GRAIN_STATS: usize = 32 * 1024;

/// [`PAR_MIN`] for [`sum_exact`], at about 2.5 ns per element.
pub(crate) const PAR_MIN_EXACT: usize = 32 * 1024;

/// [`GRAIN`] for [`sum_exact`].
pub(crate) const GRAIN_EXACT: usize = 16 * 1024;

/// How 8-byte values are laid out in a byte buffer (Java's `ByteBuffer.order()`).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum ByteOrder {
    /// Least significant byte first.
    Little,
    /// Most significant byte first (Java's default).
    Big,
}

/// Below this many elements the integer sums skip the SIMD kernels (their sixteen lanes).
const SHORT: usize = 16;

fn check_len(bytes: &[u8]) -> Result<(), Error> {
    if bytes.len().is_multiple_of(8) {
        Ok(())
    } else {
        Err(Error::NotAMultiple {
            what: "buffer",
            len: bytes.len(),
            multiple: 8,
        })
    }
}

/// Two's-complement wrapping sum, as Java's `+=` loop gives; `0` when empty.
pub fn sum_i64(values: &[i64]) -> i64 {
    if values.len() < SHORT {
        // Fewer than one vector block: the SIMD clone would only run its scalar tail, after a
        // dispatch and a wide prologue that cost more than the additions here.
        values.iter().fold(0i64, |a, b| a.wrapping_add(*b))
    } else if values.len() >= PAR_MIN {
        shared_sum(
            values
                .chunks(pool::piece_len(values.len(), GRAIN))
                .collect(),
            kernels::sum_i64,
        )
    } else {
        kernels::sum_i64(values)
    }
}

/// The wrapping sum of `f` over `pieces`, computed on the calling thread and the pool
/// ([`pool::share`]). Wrapping addition is associative and commutative, so how the pieces
/// were spread cannot change the result.
fn shared_sum<P: Send + Copy>(pieces: Vec<P>, f: impl Fn(P) -> i64 + Sync) -> i64 {
    let mut sums = vec![0i64; pieces.len()];
    pool::share(sums.iter_mut().zip(pieces).collect(), |(sum, piece)| {
        *sum = f(piece)
    });
    sums.iter().fold(0i64, |a, b| a.wrapping_add(*b))
}

/// [`sum_i64`] of the 8-byte integers in `bytes`, read in `order`.
///
/// # Errors
/// [`Error::NotAMultiple`] when `bytes.len()` is not a multiple of 8.
pub fn sum_i64_bytes(bytes: &[u8], order: ByteOrder) -> Result<i64, Error> {
    fn run<const BIG: bool>(b: &[u8]) -> i64 {
        if b.len() >= 8 * PAR_MIN {
            shared_sum(
                b.chunks(8 * pool::piece_len(b.len() / 8, GRAIN)).collect(),
                kernels::sum_i64_bytes::<BIG>,
            )
        } else {
            kernels::sum_i64_bytes::<BIG>(b)
        }
    }
    check_len(bytes)?;
    Ok(match order {
        ByteOrder::Little => run::<false>(bytes),
        ByteOrder::Big => run::<true>(bytes),
    })
}

#[derive(Clone, Copy)]
struct SumF64<'a>(&'a [f64]);

impl Tree for SumF64<'_> {
    type Out = f64;
    fn len(self) -> usize {
        self.0.len()
    }
    fn split_at(self, mid: usize) -> (Self, Self) {
        let (l, r) = self.0.split_at(mid);
        (Self(l), Self(r))
    }
    fn block(self) -> f64 {
        kernels::block_sum(self.0)
    }
    fn perfect(self) -> f64 {
        kernels::perfect_sum(self.0)
    }
    fn join(left: f64, right: f64) -> f64 {
        left + right
    }
}

#[derive(Clone, Copy)]
struct SumBytes<'a, const BIG: bool>(&'a [u8]);

impl<const BIG: bool> Tree for SumBytes<'_, BIG> {
    type Out = f64;
    fn len(self) -> usize {
        self.0.len() / 8
    }
    fn split_at(self, mid: usize) -> (Self, Self) {
        let (l, r) = self.0.split_at(8 * mid);
        (Self(l), Self(r))
    }
    fn block(self) -> f64 {
        kernels::block_sum_bytes::<BIG>(self.0)
    }
    fn perfect(self) -> f64 {
        kernels::perfect_sum_bytes::<BIG>(self.0)
    }
    fn join(left: f64, right: f64) -> f64 {
        left + right
    }
}

/// Block-pairwise sum of docs/numeric.md: 8-lane blocks of [`BLOCK`] elements combined up a
/// tree that depends only on the length; `+0.0` when empty.
pub fn sum_f64(values: &[f64]) -> f64 {
    if values.is_empty() {
        return 0.0;
    }
    tree::eval(SumF64(values), PAR_MIN, GRAIN)
}

/// [`sum_f64`] of the 8-byte doubles in `bytes`, read in `order`: the same bits as decoding
/// first and summing the decoded values.
///
/// # Errors
/// [`Error::NotAMultiple`] when `bytes.len()` is not a multiple of 8.
pub fn sum_f64_bytes(bytes: &[u8], order: ByteOrder) -> Result<f64, Error> {
    check_len(bytes)?;
    if bytes.is_empty() {
        return Ok(0.0);
    }
    Ok(match order {
        ByteOrder::Little => tree::eval(SumBytes::<false>(bytes), PAR_MIN, GRAIN),
        ByteOrder::Big => tree::eval(SumBytes::<true>(bytes), PAR_MIN, GRAIN),
    })
}

/// The segment-level rule `C()` of docs/numeric.md: one partial is returned as is, more are
/// split at `highest_one_bit(count - 1)` and the two halves' results added; `+0.0` when empty.
///
/// For any power-of-two multiple `s` of [`BLOCK`] (such as [`SEGMENT`]), applying it to
/// [`sum_f64`] of each `values.chunks(s)` gives exactly `sum_f64(values)`.
pub fn combine_sums(partials: &[f64]) -> f64 {
    tree::combine(partials, &|a, b| a + b).unwrap_or(0.0)
}

/// Multiplies every element by `factor` in place, wrapping (Java's `*` on `long`).
pub fn scale_i64(values: &mut [i64], factor: i64) {
    if values.len() >= PAR_MIN {
        // On the calling thread and the pool; each element is scaled alone, so the result
        // cannot depend on who did which piece.
        let piece = pool::piece_len(values.len(), GRAIN);
        pool::share(values.chunks_mut(piece).collect(), |piece| {
            kernels::scale_i64(piece, factor)
        });
    } else {
        kernels::scale_i64(values, factor);
    }
}

/// Multiplies every element by `factor` in place (IEEE, one rounding per element).
pub fn scale_f64(values: &mut [f64], factor: f64) {
    if values.len() >= PAR_MIN {
        // On the calling thread and the pool; each element is scaled alone, so the result
        // cannot depend on who did which piece.
        let piece = pool::piece_len(values.len(), GRAIN);
        pool::share(values.chunks_mut(piece).collect(), |piece| {
            kernels::scale_f64(piece, factor)
        });
    } else {
        kernels::scale_f64(values, factor);
    }
}
