//! `stats(double[])` of docs/numeric.md: count, sum, M2, min and max in one pass, on the same
//! tree as [`super::sum_f64`], so `sum` here is bit-identical to it.

use super::kernels::{self, simd_fn};
use super::tree::{self, Pairwise, Tree};
use super::{BLOCK, GRAIN_STATS, PAR_MIN_STATS};

/// Summary of a run of doubles: the node value of the stats tree.
///
/// Merging follows the docs' inner-node rule, so a [`Moments`] built from segments with
/// [`Moments::combine`] equals [`Moments::of`] the whole input, bit for bit.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct Moments {
    /// Number of values.
    pub count: u64,
    /// Block-pairwise sum, the same bits as [`super::sum_f64`].
    pub sum: f64,
    /// Sum of squared deviations from the mean, per the docs' M2 rule.
    pub m2: f64,
    /// Smallest value (`Math.min` semantics: NaN if any NaN, `-0.0 < +0.0`); `+inf` if empty.
    pub min: f64,
    /// Largest value (`Math.max` semantics); `-inf` if empty.
    pub max: f64,
}

/// Maps a double to an `i64` whose signed order is `f64::total_cmp`'s, in which `-0.0 < +0.0`
/// as `Math.min`/`Math.max` require. The map is its own inverse. Integer min/max vectorize
/// where a float min with Java's zero and NaN rules would not; NaNs map beyond both
/// infinities, so they are caught by the range check in [`min_max`].
#[inline(always)]
fn key(x: f64) -> i64 {
    let bits = x.to_bits() as i64;
    bits ^ (((bits >> 63) as u64) >> 1) as i64
}

#[inline(always)]
fn unkey(k: i64) -> f64 {
    f64::from_bits((k ^ (((k >> 63) as u64) >> 1) as i64) as u64)
}

#[inline(always)]
fn min_max(x: &[f64]) -> (f64, f64) {
    let mut lo = i64::MAX;
    let mut hi = i64::MIN;
    for v in x {
        let k = key(*v);
        lo = lo.min(k);
        hi = hi.max(k);
    }
    if lo < key(f64::NEG_INFINITY) || hi > key(f64::INFINITY) {
        (f64::NAN, f64::NAN)
    } else {
        (unkey(lo), unkey(hi))
    }
}

/// `Math.min`: NaN if either is NaN, else the smaller with `-0.0 < +0.0`.
#[inline(always)]
fn java_min(a: f64, b: f64) -> f64 {
    if a.is_nan() || b.is_nan() {
        f64::NAN
    } else if key(b) < key(a) {
        b
    } else {
        a
    }
}

/// `Math.max`: NaN if either is NaN, else the larger with `-0.0 < +0.0`.
#[inline(always)]
fn java_max(a: f64, b: f64) -> f64 {
    if a.is_nan() || b.is_nan() {
        f64::NAN
    } else if key(b) > key(a) {
        b
    } else {
        a
    }
}

/// A leaf of `1..=BLOCK` values. Every pass after the first runs over the block while it is
/// still in L1.
#[inline(always)]
fn block_moments(x: &[f64]) -> Moments {
    let sum = kernels::block_sum(x);
    let mu = sum / x.len() as f64;
    let m2 = kernels::block_sum_by(x, |v| (v - mu) * (v - mu));
    let (min, max) = min_max(x);
    Moments {
        count: x.len() as u64,
        sum,
        m2,
        min,
        max,
    }
}

#[inline(always)]
fn merge(a: &Moments, b: &Moments) -> Moments {
    if a.count == 0 {
        return *b;
    }
    if b.count == 0 {
        return *a;
    }
    let na = a.count as f64;
    let nb = b.count as f64;
    let delta = b.sum / nb - a.sum / na;
    Moments {
        count: a.count.saturating_add(b.count),
        sum: a.sum + b.sum,
        m2: (a.m2 + b.m2) + (delta * delta) * ((na * nb) / (na + nb)),
        min: java_min(a.min, b.min),
        max: java_max(a.max, b.max),
    }
}

simd_fn! {
    /// A perfect subtree: `x.len()` is `BLOCK * 2^k`. Min and max are associative and
    /// exact, so they come from one pass over the whole range (which vectorizes) rather than
    /// per block.
    fn perfect_moments(x: &[f64]) -> Moments {
        let mut tree = Pairwise::new(Moments::EMPTY);
        for block in x.chunks_exact(BLOCK) {
            let sum = kernels::block_sum(block);
            let mu = sum / BLOCK as f64;
            let m2 = kernels::block_sum_by(block, |v| (v - mu) * (v - mu));
            let node = Moments {
                count: BLOCK as u64,
                sum,
                m2,
                ..Moments::EMPTY
            };
            tree.push(node, |l, r| merge(&l, &r));
        }
        let (min, max) = min_max(x);
        Moments {
            min,
            max,
            ..tree.finish()
        }
    }
}

#[derive(Clone, Copy)]
struct MomentsTree<'a>(&'a [f64]);

impl Tree for MomentsTree<'_> {
    type Out = Moments;
    fn len(self) -> usize {
        self.0.len()
    }
    fn split_at(self, mid: usize) -> (Self, Self) {
        let (l, r) = self.0.split_at(mid);
        (Self(l), Self(r))
    }
    fn block(self) -> Moments {
        block_moments(self.0)
    }
    fn perfect(self) -> Moments {
        perfect_moments(self.0)
    }
    fn join(left: Moments, right: Moments) -> Moments {
        merge(&left, &right)
    }
}

impl Moments {
    /// Summary of no values: `count` 0, `sum` and `m2` `+0.0`, `min` `+inf`, `max` `-inf`.
    /// [`Moments::merge`] treats any count-0 side as the identity, so the other fields only
    /// matter as the answer for empty input.
    pub const EMPTY: Moments = Moments {
        count: 0,
        sum: 0.0,
        m2: 0.0,
        min: f64::INFINITY,
        max: f64::NEG_INFINITY,
    };

    /// The stats tree over `values`, on the pool when the input is large.
    pub fn of(values: &[f64]) -> Moments {
        if values.is_empty() {
            return Moments::EMPTY;
        }
        tree::eval(MomentsTree(values), PAR_MIN_STATS, GRAIN_STATS)
    }

    /// The docs' inner-node rule, `a` being the left child; a side with count 0 is the
    /// identity.
    pub fn merge(a: &Moments, b: &Moments) -> Moments {
        merge(a, b)
    }

    /// The segment-level rule `C()` (as in [`super::combine_sums`]) over per-segment
    /// summaries; [`Moments::EMPTY`] when there are none.
    ///
    /// For any power-of-two multiple `s` of [`BLOCK`], combining [`Moments::of`] each
    /// `values.chunks(s)` gives exactly `Moments::of(values)`.
    pub fn combine(parts: &[Moments]) -> Moments {
        tree::combine(parts, &|a, b| merge(&a, &b)).unwrap_or(Moments::EMPTY)
    }

    /// `sum / count`; `0.0` when empty (as `DoubleSummaryStatistics.getAverage`).
    pub fn mean(&self) -> f64 {
        if self.count == 0 {
            0.0
        } else {
            self.sum / self.count as f64
        }
    }

    /// Population variance `m2 / count`; NaN when empty. One finite value gives `0.0`.
    pub fn variance(&self) -> f64 {
        if self.count == 0 {
            f64::NAN
        } else {
            self.m2 / self.count as f64
        }
    }

    /// Sample variance `m2 / (count - 1)`; NaN when empty or for one value.
    pub fn sample_variance(&self) -> f64 {
        if self.count == 0 {
            f64::NAN
        } else {
            // One value: m2 is 0.0 or NaN, and both divided by 0.0 give NaN, as the docs want.
            self.m2 / (self.count - 1) as f64
        }
    }

    /// `sqrt(variance)`; NaN when empty.
    pub fn std_dev(&self) -> f64 {
        self.variance().sqrt()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn key_orders_like_total_cmp_and_round_trips() {
        let xs = [
            f64::NEG_INFINITY,
            -f64::MAX,
            -1.0,
            -f64::MIN_POSITIVE,
            -5e-324,
            -0.0,
            0.0,
            5e-324,
            f64::MIN_POSITIVE,
            1.0,
            f64::MAX,
            f64::INFINITY,
        ];
        for w in xs.windows(2) {
            assert!(key(w[0]) < key(w[1]), "{} vs {}", w[0], w[1]);
        }
        for x in xs {
            assert_eq!(unkey(key(x)).to_bits(), x.to_bits());
        }
        assert!(key(f64::NAN) > key(f64::INFINITY));
        assert!(key(-f64::NAN) < key(f64::NEG_INFINITY));
    }
}
