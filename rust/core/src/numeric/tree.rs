//! The summation tree of docs/numeric.md, shared by every kernel that follows it.
//!
//! The tree depends only on the length: a run of more than `BLOCK` elements splits at
//! `BLOCK * highest_one_bit((len - 1) / BLOCK)`, so every left child is a perfect subtree of
//! `BLOCK * 2^k` elements. Perfect subtrees are evaluated by one tight kernel per kind of node
//! value; the parallel driver cuts the very same tree into pieces for the pool and joins them
//! back in the same shape, which is why the thread count can never change a result.

use super::BLOCK;
use crate::pool;

/// The largest power of two `<= x`, or 0 for 0 (Java's `Long.highestOneBit`).
pub(crate) fn highest_one_bit(x: usize) -> usize {
    match x.checked_ilog2() {
        Some(k) => 1 << k,
        None => 0,
    }
}

/// Where a run of `len > BLOCK` elements splits: the largest `BLOCK * 2^k` below `len`.
pub(crate) fn split_point(len: usize) -> usize {
    BLOCK * highest_one_bit((len - 1) / BLOCK)
}

/// A view of the input that the tree can cut, with the value it computes per node.
pub(crate) trait Tree: Copy + Send + Sync {
    /// The value of a node: a sum, or [`super::Moments`].
    type Out: Send;
    /// Elements in this view.
    fn len(self) -> usize;
    /// The first `mid` elements and the rest.
    fn split_at(self, mid: usize) -> (Self, Self);
    /// A leaf of `1..=BLOCK` elements.
    fn block(self) -> Self::Out;
    /// A perfect subtree of `BLOCK * 2^k` elements, on the calling thread.
    fn perfect(self) -> Self::Out;
    /// An inner node from its left and right children.
    fn join(left: Self::Out, right: Self::Out) -> Self::Out;
}

/// Combines `2^k` leaves in the tree's order with a binary counter: after leaf `i`, one join
/// per trailing one bit of `i` folds the finished equal-sized subtrees, so the leaves of a
/// perfect subtree come out as `((l0 + l1) + (l2 + l3)) + ...` without recursion or a buffer.
///
/// A struct driven by the caller's own loop rather than a function taking an iterator: the
/// leaf computation must be inlined into the multiversioned kernel to get its instruction
/// set, and iterator adapters would keep it in a generic, baseline-compiled `next()`.
pub(crate) struct Pairwise<T> {
    stack: [T; usize::BITS as usize + 1],
    depth: usize,
    leaves: usize,
}

impl<T: Copy> Pairwise<T> {
    /// No leaves yet; `empty` fills unused stack slots and is the result if none come.
    #[inline(always)]
    pub(crate) fn new(empty: T) -> Self {
        Pairwise {
            stack: [empty; usize::BITS as usize + 1],
            depth: 0,
            leaves: 0,
        }
    }

    /// Adds the next leaf; `join(left, right)` builds an inner node.
    #[inline(always)]
    pub(crate) fn push(&mut self, leaf: T, join: impl Fn(T, T) -> T) {
        let mut value = leaf;
        let mut carries = self.leaves;
        while carries & 1 == 1 {
            self.depth -= 1;
            value = join(self.stack[self.depth], value);
            carries >>= 1;
        }
        self.stack[self.depth] = value;
        self.depth += 1;
        self.leaves += 1;
    }

    /// The root, once a power-of-two number of leaves went in.
    #[inline(always)]
    pub(crate) fn finish(&self) -> T {
        debug_assert!(
            self.depth <= 1,
            "pairwise needs a power-of-two number of leaves"
        );
        self.stack[0]
    }
}

/// The whole tree of a non-empty view on the calling thread.
pub(crate) fn eval_seq<T: Tree>(t: T) -> T::Out {
    let len = t.len();
    if len <= BLOCK {
        return t.block();
    }
    let (left, right) = t.split_at(split_point(len));
    let left = left.perfect();
    T::join(left, eval_seq(right))
}

/// The subtrees a parallel evaluation hands out, left to right: the same tree as
/// [`eval_seq`]'s, cut until each piece has at most `grain` elements (`perfect`: the view is a
/// perfect subtree, split in halves; otherwise at [`split_point`]). [`assemble`] joins their
/// values back along the same cuts, so the result is [`eval_seq`]'s whoever computed a piece.
fn pieces<T: Tree>(t: T, grain: usize, perfect: bool, out: &mut Vec<(T, bool)>) {
    let len = t.len();
    if perfect {
        if len <= grain || len <= BLOCK {
            out.push((t, true));
            return;
        }
        let (left, right) = t.split_at(len / 2);
        pieces(left, grain, true, out);
        pieces(right, grain, true, out);
    } else {
        if len <= grain || len <= BLOCK {
            out.push((t, false));
            return;
        }
        let (left, right) = t.split_at(split_point(len));
        pieces(left, grain, true, out);
        pieces(right, grain, false, out);
    }
}

/// Joins the values of [`pieces`] (in their order) along the cuts that made them.
fn assemble<T: Tree>(
    t: T,
    grain: usize,
    perfect: bool,
    values: &mut impl Iterator<Item = T::Out>,
) -> Option<T::Out> {
    let len = t.len();
    let leaf = len <= grain || len <= BLOCK;
    if leaf {
        return values.next();
    }
    let mid = if perfect { len / 2 } else { split_point(len) };
    let (left, right) = t.split_at(mid);
    let left = assemble(left, grain, true, values)?;
    let right = assemble(right, grain, perfect, values)?;
    Some(T::join(left, right))
}

/// The whole tree on the calling thread and the pool ([`pool::share`]): pieces of at most
/// `grain` elements, computed by whoever takes them, then joined in the tree's order.
fn eval_shared<T: Tree>(t: T, grain: usize) -> T::Out {
    let mut cut = Vec::new();
    pieces(t, grain, false, &mut cut);
    let mut values: Vec<Option<T::Out>> = Vec::new();
    values.resize_with(cut.len(), || None);
    pool::share(
        values.iter_mut().zip(cut).collect(),
        |(value, (piece, perfect))| {
            *value = Some(if perfect {
                piece.perfect()
            } else {
                eval_seq(piece)
            });
        },
    );
    // Every piece was computed (a panic in one would have reached us); `eval_seq` is the
    // same value should that ever not hold.
    let mut computed = values.into_iter().flatten();
    match assemble(t, grain, false, &mut computed) {
        Some(v) => v,
        None => eval_seq(t),
    }
}

/// The whole tree of a non-empty view: shared between the calling thread and the pool, cut
/// into pieces of at most `grain` elements, when it has at least `par_min` elements; on the
/// calling thread otherwise. The caller computes pieces from the start, so on busy cores,
/// where no worker is free, it costs what one thread costs.
pub(crate) fn eval<T: Tree>(t: T, par_min: usize, grain: usize) -> T::Out {
    if t.len() >= par_min {
        eval_shared(t, pool::piece_len(t.len(), grain))
    } else {
        eval_seq(t)
    }
}

/// The segment-level rule `C()` of docs/numeric.md over already computed node values:
/// `None` when there are none.
pub(crate) fn combine<T: Copy>(parts: &[T], join: &impl Fn(T, T) -> T) -> Option<T> {
    match parts {
        [] => None,
        [one] => Some(*one),
        _ => {
            let (left, right) = parts.split_at(highest_one_bit(parts.len() - 1));
            Some(join(combine(left, join)?, combine(right, join)?))
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn highest_one_bit_matches_java() {
        assert_eq!(highest_one_bit(0), 0);
        assert_eq!(highest_one_bit(1), 1);
        assert_eq!(highest_one_bit(2), 2);
        assert_eq!(highest_one_bit(3), 2);
        assert_eq!(highest_one_bit(1023), 512);
        assert_eq!(highest_one_bit(1024), 1024);
        assert_eq!(highest_one_bit(usize::MAX), 1 << (usize::BITS - 1));
    }

    #[test]
    fn split_point_is_largest_perfect_size_below_len() {
        assert_eq!(split_point(129), 128);
        assert_eq!(split_point(256), 128);
        assert_eq!(split_point(257), 256);
        assert_eq!(split_point(384), 256);
        assert_eq!(split_point(512), 256);
        assert_eq!(split_point(513), 512);
        for len in 129..5000 {
            let m = split_point(len);
            assert!(m < len && 2 * m >= len, "len {len} m {m}");
            assert!((m / BLOCK).is_power_of_two() && m.is_multiple_of(BLOCK));
        }
    }

    #[test]
    fn pairwise_builds_the_balanced_tree() {
        let j = |a: u64, b: u64| a.wrapping_mul(1_000_003).wrapping_add(b.wrapping_mul(7)) ^ 0x55;
        let expected = j(j(j(0, 1), j(2, 3)), j(j(4, 5), j(6, 7)));
        let mut p = Pairwise::new(0);
        for leaf in 0..8u64 {
            p.push(leaf, j);
        }
        assert_eq!(p.finish(), expected);
        let mut one = Pairwise::new(0);
        one.push(5, j);
        assert_eq!(one.finish(), 5);
    }

    #[test]
    fn combine_follows_highest_one_bit_of_count_minus_one() {
        // A join that is neither associative nor commutative, so only one shape matches.
        let j = |a: u64, b: u64| a.wrapping_mul(1_000_003).wrapping_add(b.wrapping_mul(7)) ^ 0x55;
        let parts: Vec<u64> = (1..=6).collect();
        let expected = j(j(j(1, 2), j(3, 4)), j(5, 6));
        assert_eq!(combine(&parts, &j), Some(expected));
        assert_eq!(combine(&parts[..3], &j), Some(j(j(1, 2), 3)));
        assert_eq!(combine(&parts[..1], &j), Some(1));
        assert_eq!(combine(&parts[..0], &j), None);
    }
    /// A view of `start..start + len` whose nodes record the exact shape of their tree: the
    /// join is neither associative nor commutative, so only the same cuts give the same value.
    #[derive(Clone, Copy)]
    struct Shape {
        start: usize,
        len: usize,
    }

    fn shape_join(a: u64, b: u64) -> u64 {
        a.wrapping_mul(1_000_003).wrapping_add(b.wrapping_mul(7)) ^ 0x55
    }

    impl Tree for Shape {
        type Out = u64;
        fn len(self) -> usize {
            self.len
        }
        fn split_at(self, mid: usize) -> (Self, Self) {
            (
                Shape {
                    start: self.start,
                    len: mid,
                },
                Shape {
                    start: self.start + mid,
                    len: self.len - mid,
                },
            )
        }
        fn block(self) -> u64 {
            (self.start as u64) << 20 | self.len as u64
        }
        fn perfect(self) -> u64 {
            if self.len <= BLOCK {
                return self.block();
            }
            let (l, r) = self.split_at(self.len / 2);
            shape_join(l.perfect(), r.perfect())
        }
        fn join(left: u64, right: u64) -> u64 {
            shape_join(left, right)
        }
    }

    #[test]
    fn shared_evaluation_cuts_and_joins_the_sequential_tree() {
        crate::pool::configure(2);
        for len in (1..40 * BLOCK).step_by(37).chain([
            BLOCK,
            2 * BLOCK,
            64 * BLOCK,
            64 * BLOCK + 1,
            100_000,
        ]) {
            let t = Shape { start: 0, len };
            let expected = eval_seq(t);
            for grain in [1, BLOCK, 3 * BLOCK, 8 * BLOCK, 1 << 20] {
                assert_eq!(eval_shared(t, grain), expected, "len {len} grain {grain}");
            }
            assert_eq!(
                eval(t, 0, crate::pool::piece_len(len, BLOCK)),
                expected,
                "len {len}"
            );
        }
    }
}
