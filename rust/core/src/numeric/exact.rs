//! `sumExact(double[])` of docs/numeric.md: the exact sum, rounded once to nearest-even.
//!
//! A fixed-point superaccumulator holds the running sum as an integer multiple of 2^-1074
//! (the smallest subnormal), in 32-bit digits kept in `i64` slots. Every finite double is an
//! integer mantissa below 2^53 shifted left by at most 2045 bits. Split at the digit
//! boundary it adds below 2^32 to one slot and below 2^53 to the next, with no rounding at
//! all, and the slots' headroom absorbs 2^9 such additions before carries must be propagated
//! (a pass over 67 slots, cheap next to 512 additions). Being exact, the accumulator is order
//! independent, so per-thread or per-segment accumulators merge into the very same value.

use super::{GRAIN_EXACT, PAR_MIN_EXACT};
use crate::pool;

const DIGIT_BITS: u32 = 32;
const DIGIT_MASK: i64 = (1 << DIGIT_BITS) - 1;

/// Finite doubles reach bit 2045 + 52 = 2097, i.e. digit 65; digit 66 only takes carries and
/// holds the sign, with room for far more than 2^64 additions of `f64::MAX`.
const DIGITS: usize = 67;
const TOP: usize = DIGITS - 1;

/// Additions between carry propagations: each adds less than 2^53 to a slot, and a
/// normalized slot is below 2^32, so slots stay below 2^62 in magnitude.
const NORMALIZE_EVERY: u32 = 1 << 9;

const FRAC_BITS: u32 = 52;
const FRAC_MASK: u64 = (1 << FRAC_BITS) - 1;
const EXP_MAX: u32 = 0x7FF;
const NEG_ZERO: u64 = 1 << 63;

/// Exact running sum of doubles; [`ExactSum::value`] rounds it once, correctly.
#[derive(Clone, Debug)]
pub struct ExactSum {
    /// The finite values' sum as `sum(digits[i] * 2^(32 i)) * 2^-1074`.
    digits: [i64; DIGITS],
    /// Additions since the last carry propagation.
    pending: u32,
    /// Elements added, of any kind.
    count: u64,
    nan: u64,
    pos_inf: u64,
    neg_inf: u64,
    /// Every element so far was `-0.0`: the one case whose zero result is `-0.0`.
    all_neg_zero: bool,
}

impl Default for ExactSum {
    fn default() -> Self {
        Self::new()
    }
}

/// Propagates carries so every digit but the top one is in `[0, 2^32)`; the top one then
/// carries the sign of the whole number.
fn normalize(digits: &mut [i64; DIGITS]) {
    let mut carry = 0i64;
    for d in digits[..TOP].iter_mut() {
        let v = *d + carry;
        *d = v & DIGIT_MASK;
        carry = v >> DIGIT_BITS;
    }
    digits[TOP] += carry;
}

/// Values interleaved over this many accumulators in [`ExactSum::add_slice`].
const SPLIT: usize = 4;
/// Shorter slices are not worth the extra accumulators' setup and folding.
const SPLIT_MIN: usize = 256;

#[inline(always)]
fn is_special(bits: u64) -> bool {
    ((bits >> FRAC_BITS) as u32) & EXP_MAX == EXP_MAX
}

/// Adds the finite double whose bits are `bits`.
#[inline(always)]
fn add_finite(digits: &mut [i64; DIGITS], bits: u64) {
    let exp = ((bits >> FRAC_BITS) as u32) & EXP_MAX;
    let frac = bits & FRAC_MASK;
    // value = mant * 2^(pos - 1074): subnormals have no hidden bit and share the lowest scale.
    let (mant, pos) = if exp == 0 {
        (frac, 0)
    } else {
        (frac | (1 << FRAC_BITS), exp - 1)
    };
    let shift = pos % DIGIT_BITS;
    // mant << shift = low + high * 2^32; the shifted value may overflow 64 bits, but only its
    // low 32 bits are kept.
    let low = (mant << shift) as i64 & DIGIT_MASK;
    let high = (mant >> (DIGIT_BITS - shift)) as i64;
    let idx = (pos / DIGIT_BITS) as usize;
    // Two's-complement conditional negation: `sign` is 0 or -1.
    let sign = (bits as i64) >> 63;
    if let Some([d0, d1]) = digits.get_mut(idx..idx + 2) {
        *d0 += (low ^ sign) - sign;
        *d1 += (high ^ sign) - sign;
    }
}

impl ExactSum {
    /// An empty sum, whose value is `+0.0`.
    pub fn new() -> Self {
        ExactSum {
            digits: [0; DIGITS],
            pending: 0,
            count: 0,
            nan: 0,
            pos_inf: 0,
            neg_inf: 0,
            all_neg_zero: true,
        }
    }

    fn normalize(&mut self) {
        normalize(&mut self.digits);
        self.pending = 0;
    }

    /// Adds a non-finite value to its tally.
    #[cold]
    fn add_special(&mut self, bits: u64) {
        if bits & FRAC_MASK != 0 {
            self.nan = self.nan.saturating_add(1);
        } else if bits >> 63 == 1 {
            self.neg_inf = self.neg_inf.saturating_add(1);
        } else {
            self.pos_inf = self.pos_inf.saturating_add(1);
        }
    }

    /// Counts `values` and updates the every-element-is-`-0.0` flag; in its own pass so the
    /// main loop carries no extra dependency.
    #[inline(always)]
    fn scan(&mut self, values: &[f64]) {
        let mut all_neg_zero = self.all_neg_zero;
        for x in values {
            all_neg_zero &= x.to_bits() == NEG_ZERO;
        }
        self.all_neg_zero = all_neg_zero;
        self.count = self.count.saturating_add(values.len() as u64);
    }

    /// Adds one value.
    pub fn add(&mut self, x: f64) {
        self.scan(std::slice::from_ref(&x));
        let bits = x.to_bits();
        if is_special(bits) {
            self.add_special(bits);
        } else {
            add_finite(&mut self.digits, bits);
        }
        self.pending += 1;
        if self.pending >= NORMALIZE_EVERY {
            self.normalize();
        }
    }

    /// Adds every value of `values`.
    pub fn add_slice(&mut self, values: &[f64]) {
        if values.len() < SPLIT_MIN {
            for x in values {
                self.add(*x);
            }
            return;
        }
        self.scan(values);
        // Consecutive values usually land on the same digits, so one accumulator makes every
        // addition wait for the previous one's store. Interleaving them over independent
        // accumulators lets the additions overlap; the accumulators are folded in exactly.
        let mut lanes = [[0i64; DIGITS]; SPLIT];
        // Each lane takes every `SPLIT`-th value, so a run of `SPLIT * NORMALIZE_EVERY`
        // values is as many additions per lane as its slots can absorb.
        for run in values.chunks(SPLIT * NORMALIZE_EVERY as usize) {
            let quads = run.chunks_exact(SPLIT);
            let tail = quads.remainder();
            for quad in quads {
                for (lane, x) in lanes.iter_mut().zip(quad) {
                    self.add_to(lane, x.to_bits());
                }
            }
            for (lane, x) in lanes.iter_mut().zip(tail) {
                self.add_to(lane, x.to_bits());
            }
            for lane in lanes.iter_mut() {
                normalize(lane);
            }
        }
        for lane in &lanes {
            self.add_normalized(lane);
        }
    }

    /// Adds one value to `digits`, or to the tallies when it is not finite.
    #[inline(always)]
    fn add_to(&mut self, digits: &mut [i64; DIGITS], bits: u64) {
        if is_special(bits) {
            self.add_special(bits);
        } else {
            add_finite(digits, bits);
        }
    }

    /// Adds a normalized digit array (one counted addition).
    fn add_normalized(&mut self, digits: &[i64; DIGITS]) {
        for (mine, theirs) in self.digits.iter_mut().zip(digits) {
            *mine += *theirs;
        }
        self.pending += 1;
        if self.pending >= NORMALIZE_EVERY {
            self.normalize();
        }
    }

    /// Adds everything `other` holds, as if its values had been added here.
    pub fn merge(&mut self, other: &ExactSum) {
        let mut theirs = other.digits;
        normalize(&mut theirs);
        self.add_normalized(&theirs);
        self.count = self.count.saturating_add(other.count);
        self.nan = self.nan.saturating_add(other.nan);
        self.pos_inf = self.pos_inf.saturating_add(other.pos_inf);
        self.neg_inf = self.neg_inf.saturating_add(other.neg_inf);
        self.all_neg_zero &= other.all_neg_zero;
    }

    /// The sum rounded to nearest-even, with the docs' rules for NaN, infinities, overflow
    /// and the sign of zero.
    pub fn value(&self) -> f64 {
        if self.nan > 0 || (self.pos_inf > 0 && self.neg_inf > 0) {
            return f64::NAN;
        }
        if self.pos_inf > 0 {
            return f64::INFINITY;
        }
        if self.neg_inf > 0 {
            return f64::NEG_INFINITY;
        }
        let mut digits = self.digits;
        normalize(&mut digits);
        let negative = digits[TOP] < 0;
        if negative {
            // Negate digit-wise, then renormalize: the low digits borrow from the (now
            // positive) top one.
            for d in digits.iter_mut() {
                *d = -*d;
            }
            normalize(&mut digits);
        }
        let magnitude = round_magnitude(&digits);
        match magnitude {
            Some(bits) => f64::from_bits(bits | if negative { NEG_ZERO } else { 0 }),
            None if self.count > 0 && self.all_neg_zero => -0.0,
            None => 0.0,
        }
    }
}

/// Rounds a normalized non-negative fixed-point number to the bits of the nearest double
/// (ties to even), or `None` when it is zero.
fn round_magnitude(digits: &[i64; DIGITS]) -> Option<u64> {
    // The top slot may exceed 32 bits; split it so every word is a plain 32-bit digit.
    let mut words = [0u64; DIGITS + 1];
    for (w, d) in words.iter_mut().zip(&digits[..TOP]) {
        *w = *d as u64;
    }
    words[TOP] = (digits[TOP] & DIGIT_MASK) as u64;
    words[TOP + 1] = (digits[TOP] >> DIGIT_BITS) as u64;

    let hi = words.iter().rposition(|w| *w != 0)?;
    let msb = 32 * hi + 63 - words[hi].leading_zeros() as usize;
    if msb <= FRAC_BITS as usize {
        // Below 2^53 units of 2^-1074 the number is exactly a subnormal or the smallest
        // binade, whose bit pattern is the integer itself.
        return Some(words[0] | (words[1] << DIGIT_BITS));
    }
    let shift = msb - FRAC_BITS as usize;
    let mut mant = bits_at(&words, shift) & ((1 << (FRAC_BITS + 1)) - 1);
    let half = bits_at(&words, shift - 1) & 1 == 1;
    if half && (any_below(&words, shift - 1) || mant & 1 == 1) {
        mant += 1;
    }
    let (mant, shift) = if mant >> (FRAC_BITS + 1) == 1 {
        (mant >> 1, shift + 1)
    } else {
        (mant, shift)
    };
    // mant * 2^(shift - 1074) = (2^52 + frac) * 2^(exp - 1075)
    let exp = shift as u64 + 1;
    if exp >= u64::from(EXP_MAX) {
        return Some(f64::INFINITY.to_bits());
    }
    Some((exp << FRAC_BITS) | (mant & FRAC_MASK))
}

/// The 64 bits of the number starting at bit `pos`.
fn bits_at(words: &[u64; DIGITS + 1], pos: usize) -> u64 {
    let i = pos / 32;
    let word = |k: usize| u128::from(words.get(k).copied().unwrap_or(0));
    let acc = word(i) | (word(i + 1) << 32) | (word(i + 2) << 64);
    (acc >> (pos % 32)) as u64
}

/// Whether any bit strictly below bit `pos` is set (the sticky bit).
fn any_below(words: &[u64; DIGITS + 1], pos: usize) -> bool {
    let i = pos / 32;
    words[..i].iter().any(|w| *w != 0) || words[i] & ((1 << (pos % 32)) - 1) != 0
}

/// The exact sum of `values` rounded once to nearest-even (Python's `math.fsum`), with the
/// docs' rules: NaN for any NaN or for both infinities, an infinity if present, `-0.0` only
/// when every element is `-0.0`. Large inputs are split over the pool and merged, which
/// cannot change the result.
pub fn sum_exact(values: &[f64]) -> f64 {
    if values.len() >= PAR_MIN_EXACT {
        // Pieces on the calling thread and the pool, merged in order; merging exact sums is
        // exact, so the pieces cannot change the result.
        let pieces: Vec<&[f64]> = values
            .chunks(pool::piece_len(values.len(), GRAIN_EXACT))
            .collect();
        let mut sums: Vec<ExactSum> = Vec::new();
        sums.resize_with(pieces.len(), ExactSum::new);
        pool::share(sums.iter_mut().zip(pieces).collect(), |(sum, piece)| {
            sum.add_slice(piece)
        });
        let mut total = ExactSum::new();
        for s in &sums {
            total.merge(s);
        }
        total.value()
    } else {
        let mut acc = ExactSum::new();
        acc.add_slice(values);
        acc.value()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn exact(values: &[f64]) -> f64 {
        let mut acc = ExactSum::new();
        acc.add_slice(values);
        acc.value()
    }

    #[test]
    fn normalization_keeps_the_value() {
        let mut acc = ExactSum::new();
        // Force several carry propagations without adding 2^30 values.
        for _ in 0..3 {
            acc.pending = NORMALIZE_EVERY - 2;
            acc.add_slice(&[f64::MAX, 1.0, -f64::MAX, 0.5]);
        }
        assert_eq!(acc.value(), 4.5);
    }

    #[test]
    fn simple_values() {
        assert_eq!(exact(&[1.0, 2.0, 3.0]), 6.0);
        assert_eq!(exact(&[0.1, 0.2]), 0.30000000000000004);
        assert_eq!(exact(&[1e16, 1.0, -1e16]), 1.0);
        assert_eq!(exact(&[5e-324, 5e-324]).to_bits(), 2);
        assert_eq!(exact(&[-2.5]), -2.5);
    }
}
