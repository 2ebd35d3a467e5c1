//! Vectors: an index of fixed-dimension `f32` embeddings in memory it owns, and exact top-k
//! search over it (docs/vectors.md is the contract; `VectorIndexReference.kt` is its twin).
//!
//! A search scores blocks of [`QUERY_BLOCK`] queries against tiles of about [`TILE_BYTES`] of
//! stored vectors, so a tile is read from memory once per query block rather than once per
//! query, keeps a bounded heap per query, and shares (query group, vector range) jobs over
//! hotpath's pool. Results are the unique top-k under a total order (score, then smaller id),
//! so they do not depend on how the work was split.

use std::cmp::{Ordering, Reverse};
use std::collections::BinaryHeap;
use std::ops::Range;

use crate::error::{vec_with_capacity, Error};
use crate::pool;

/// The largest dimension an index accepts: it keeps the INT8 integer dot product
/// (`255 * 255 * dimension`) inside a `u32`.
pub const MAX_DIMENSION: usize = 65_536;

/// The most vectors an index holds: ids are Java `int`s.
pub const MAX_VECTORS: usize = i32::MAX as usize;

/// Stored-vector bytes per tile: a tile and a block of queries stay in a 256 KiB L2 cache.
const TILE_BYTES: usize = 128 * 1024;

/// Queries scored against a tile before the next tile is read.
const QUERY_BLOCK: usize = 8;

/// Multiply-adds below which a search stays on the calling thread: waking the pool costs tens
/// of microseconds, about this much work.
const PAR_MIN_WORK: usize = 1 << 19;

/// Vectors per job at least, so each job's heaps and merge stay small beside its scan.
const MIN_JOB_VECTORS: usize = 1024;

/// How stored vectors are compared with a query.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Metric {
    /// The dot product; larger is better.
    Dot,
    /// The dot product of the normalised vectors; larger is better.
    Cosine,
    /// The squared Euclidean distance; smaller is better.
    L2,
}

impl Metric {
    /// The metric of a code of the file format and the bridge (`0` DOT, `1` COSINE, `2` L2).
    pub fn from_code(code: i64) -> Option<Metric> {
        match code {
            0 => Some(Metric::Dot),
            1 => Some(Metric::Cosine),
            2 => Some(Metric::L2),
            _ => None,
        }
    }
}

/// How stored vectors are scanned.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Precision {
    /// The stored floats, exactly.
    F32,
    /// Per-vector 8-bit codes, then exact rescoring of the best candidates.
    Int8,
}

impl Precision {
    /// The precision of a code (`0` F32, `1` INT8).
    pub fn from_code(code: i64) -> Option<Precision> {
        match code {
            0 => Some(Precision::F32),
            1 => Some(Precision::Int8),
            _ => None,
        }
    }
}

/// One vector's quantization (docs/vectors.md, "Precision").
#[derive(Clone, Copy, Debug, Default)]
struct Quantized {
    lo: f32,
    scale: f32,
    code_sum: u32,
    norm2: f64,
}

/// An index of vectors of one dimension, compared by one metric.
#[derive(Debug)]
pub struct VectorIndex {
    dimension: usize,
    metric: Metric,
    precision: Precision,
    /// `len * dimension` floats, normalised under COSINE.
    vectors: Vec<f32>,
    /// INT8 only: `len * dimension` codes and one [`Quantized`] per vector.
    codes: Vec<u8>,
    quantized: Vec<Quantized>,
}

/// The results of a search: `per_query` hits per query, best first, laid end to end.
#[derive(Debug, Clone, PartialEq)]
pub struct Hits {
    /// Hits per query: `min(k, len)`.
    pub per_query: usize,
    /// The ids, `per_query` per query.
    pub ids: Vec<i32>,
    /// The scores, matching `ids`.
    pub scores: Vec<f32>,
}

fn invalid(message: String) -> Error {
    Error::Invalid { message }
}

impl VectorIndex {
    /// An empty index, or [`Error::Invalid`] for a dimension outside `1..=MAX_DIMENSION`.
    pub fn new(dimension: usize, metric: Metric, precision: Precision) -> Result<Self, Error> {
        if dimension == 0 || dimension > MAX_DIMENSION {
            return Err(invalid(format!(
                "dimension is {dimension}, expected 1 to {MAX_DIMENSION}"
            )));
        }
        Ok(VectorIndex {
            dimension,
            metric,
            precision,
            vectors: Vec::new(),
            codes: Vec::new(),
            quantized: Vec::new(),
        })
    }

    /// The number of vectors held.
    pub fn len(&self) -> usize {
        self.vectors.len() / self.dimension
    }

    /// Whether the index holds no vector.
    pub fn is_empty(&self) -> bool {
        self.vectors.is_empty()
    }

    /// The dimension of every vector.
    pub fn dimension(&self) -> usize {
        self.dimension
    }

    /// The metric searches use.
    pub fn metric(&self) -> Metric {
        self.metric
    }

    /// The precision searches scan at.
    pub fn precision(&self) -> Precision {
        self.precision
    }

    /// Bytes of memory held for the vectors (capacities, not lengths).
    pub fn memory_bytes(&self) -> usize {
        self.vectors.capacity() * 4
            + self.codes.capacity()
            + self.quantized.capacity() * std::mem::size_of::<Quantized>()
    }

    /// The stored vectors (normalised under COSINE), `dimension` floats each, in id order: what
    /// the file format saves.
    pub fn stored(&self) -> &[f32] {
        &self.vectors
    }

    /// Starts adding `count` vectors, reserving their memory (fallibly: the count comes from
    /// the caller). Nothing is added unless [`Appender::finish`] succeeds. `stored` marks
    /// vectors that are already in stored form (read from a file): they are checked but not
    /// normalised again.
    pub fn append(&mut self, count: usize, stored: bool) -> Result<Appender<'_>, Error> {
        let len = self.len();
        if count > MAX_VECTORS - len {
            return Err(invalid(format!(
                "adding {count} vectors to {len} would exceed {MAX_VECTORS}"
            )));
        }
        let floats = count
            .checked_mul(self.dimension)
            .ok_or_else(|| Error::out_of_memory::<f32>("vectors", usize::MAX / 4))?;
        grow(&mut self.vectors, floats, "vectors")?;
        if self.precision == Precision::Int8 {
            grow(&mut self.codes, floats, "vector codes")?;
            grow(&mut self.quantized, count, "vector quantization")?;
        }
        Ok(Appender {
            first: len,
            expected: count,
            added: 0,
            stored,
            index: self,
            done: false,
        })
    }

    /// Adds `vectors` (a whole number of vectors laid end to end), all or nothing, and returns
    /// the first new id.
    pub fn add(&mut self, vectors: &[f32], what: &str) -> Result<usize, Error> {
        let count = self.count_of(vectors.len(), what)?;
        let mut appender = self.append(count, false)?;
        appender.push(vectors, what)?;
        appender.finish()
    }

    fn count_of(&self, floats: usize, what: &str) -> Result<usize, Error> {
        if !floats.is_multiple_of(self.dimension) {
            return Err(invalid(format!(
                "{what} has {floats} components, not a multiple of the dimension {}",
                self.dimension
            )));
        }
        Ok(floats / self.dimension)
    }

    /// The best `min(k, len)` vectors for each of `queries` (a whole number of queries laid end
    /// to end), best first, ties by the smaller id.
    pub fn search(&self, queries: &[f32], k: usize) -> Result<Hits, Error> {
        if k < 1 {
            return Err(invalid("k is 0, expected at least 1".to_string()));
        }
        let count = self.count_of(queries.len(), "queries")?;
        let per_query = k.min(self.len());
        let total = count
            .checked_mul(per_query)
            .filter(|t| *t <= i32::MAX as usize)
            .ok_or_else(|| {
                invalid(format!(
                    "{count} queries x {per_query} results exceed {} entries",
                    i32::MAX
                ))
            })?;
        let mut prepared: Vec<f32> = vec_with_capacity("queries", queries.len())?;
        for (i, q) in queries.chunks_exact(self.dimension).enumerate() {
            check_vector(q, self.metric, "queries", i)?;
            prepare(q, self.metric, &mut prepared);
        }
        let mut ids = vec_with_capacity("result ids", total)?;
        let mut scores = vec_with_capacity("result scores", total)?;
        if per_query > 0 {
            let best = match self.precision {
                Precision::F32 => self.top(&prepared, count, per_query)?,
                Precision::Int8 => self.top_int8(&prepared, count, per_query)?,
            };
            for hits in best {
                for hit in hits {
                    ids.push(hit.id as i32);
                    scores.push(self.score_of(hit.key));
                }
            }
        }
        Ok(Hits {
            per_query,
            ids,
            scores,
        })
    }

    fn score_of(&self, key: f32) -> f32 {
        match self.metric {
            Metric::L2 => -key,
            _ => key,
        }
    }

    /// The exact F32 key (larger is better) of stored vector `id` against a prepared query.
    fn key(&self, query: &[f32], id: usize) -> f32 {
        let d = self.dimension;
        let v = &self.vectors[id * d..(id + 1) * d];
        match self.metric {
            Metric::L2 => -kernels::l2(query, v),
            _ => kernels::dot(query, v),
        }
    }

    /// Top `k` of every query over the whole index, by [`Self::key`].
    fn top(&self, queries: &[f32], count: usize, k: usize) -> Result<Vec<Vec<Hit<f32>>>, Error> {
        let d = self.dimension;
        let tile = (TILE_BYTES / (d * 4)).max(1);
        self.run_jobs(count, k, |qs, range, heaps| {
            let mut start = range.start;
            while start < range.end {
                let end = range.end.min(start + tile);
                for block in qs.clone().step_by(QUERY_BLOCK) {
                    let block_end = qs.end.min(block + QUERY_BLOCK);
                    for id in start..end {
                        let v = &self.vectors[id * d..(id + 1) * d];
                        let mut q = block;
                        // Four queries per pass over a stored vector: it is loaded once for
                        // all four, and their four accumulator chains overlap.
                        while q + 4 <= block_end {
                            let four = &queries[q * d..(q + 4) * d];
                            let keys = match self.metric {
                                Metric::L2 => kernels::l2_4(v, four).map(|x| -x),
                                _ => kernels::dot_4(v, four),
                            };
                            for (j, key) in keys.into_iter().enumerate() {
                                heaps[q + j - qs.start].offer(Hit { key, id: id as u32 });
                            }
                            q += 4;
                        }
                        for q in q..block_end {
                            let key = self.key(&queries[q * d..(q + 1) * d], id);
                            heaps[q - qs.start].offer(Hit { key, id: id as u32 });
                        }
                    }
                }
                start = end;
            }
        })
    }

    /// INT8: top `max(4k, 64)` candidates by the quantized key, rescored in F32, best `k` kept.
    fn top_int8(
        &self,
        queries: &[f32],
        count: usize,
        k: usize,
    ) -> Result<Vec<Vec<Hit<f32>>>, Error> {
        let d = self.dimension;
        let n = self.len();
        let candidates = k.saturating_mul(4).max(64).min(n);
        let mut codes: Vec<u8> = vec_with_capacity("query codes", queries.len())?;
        let mut params: Vec<Quantized> = vec_with_capacity("query quantization", count)?;
        for q in queries.chunks_exact(d) {
            params.push(quantize(q, &mut codes));
        }
        let tile = (TILE_BYTES / d).max(1);
        let coarse = self.run_jobs(count, candidates, |qs, range, heaps| {
            let mut start = range.start;
            while start < range.end {
                let end = range.end.min(start + tile);
                for block in qs.clone().step_by(QUERY_BLOCK) {
                    let block_end = qs.end.min(block + QUERY_BLOCK);
                    for id in start..end {
                        let x = &self.codes[id * d..(id + 1) * d];
                        for q in block..block_end {
                            let key =
                                self.quantized_key(&codes[q * d..(q + 1) * d], &params[q], x, id);
                            heaps[q - qs.start].offer(Hit { key, id: id as u32 });
                        }
                    }
                }
                start = end;
            }
        })?;
        let mut out = vec_with_capacity("results", count)?;
        for (q, found) in coarse.into_iter().enumerate() {
            let query = &queries[q * d..(q + 1) * d];
            let mut best = Best::new(k)?;
            for hit in found {
                let id = hit.id as usize;
                best.offer(Hit {
                    key: self.key(query, id),
                    id: hit.id,
                });
            }
            out.push(best.into_sorted());
        }
        Ok(out)
    }

    /// The quantized key (larger is better) of stored vector `id` (codes `x`) against a query's
    /// codes and parameters, in the exact order docs/vectors.md gives.
    fn quantized_key(&self, qc: &[u8], qp: &Quantized, x: &[u8], id: usize) -> f64 {
        let xp = &self.quantized[id];
        let dot_codes = kernels::dot_u8(x, qc);
        let d = self.dimension as f64;
        let (lo, scale, lo_q, scale_q) = (
            f64::from(xp.lo),
            f64::from(xp.scale),
            f64::from(qp.lo),
            f64::from(qp.scale),
        );
        let dot = (((d * lo) * lo_q + (lo * scale_q) * f64::from(qp.code_sum))
            + (lo_q * scale) * f64::from(xp.code_sum))
            + (scale * scale_q) * f64::from(dot_codes);
        match self.metric {
            Metric::L2 => -((xp.norm2 + qp.norm2) - 2.0 * dot),
            _ => dot,
        }
    }

    /// Runs `scan(query range, vector range, heaps)` over a grid of jobs covering every
    /// (query, vector) pair and merges each query's heaps into its sorted top `k`.
    fn run_jobs<K: Key>(
        &self,
        count: usize,
        k: usize,
        scan: impl Fn(Range<usize>, Range<usize>, &mut [Best<K>]) + Sync,
    ) -> Result<Vec<Vec<Hit<K>>>, Error> {
        let n = self.len();
        let work = count.saturating_mul(n).saturating_mul(self.dimension);
        let threads = pool::threads().max(1);
        let (vector_parts, query_parts) = if work < PAR_MIN_WORK {
            (1, 1)
        } else {
            let v = (n / MIN_JOB_VECTORS).clamp(1, threads * 4);
            let q = (threads * 4)
                .div_ceil(v)
                .clamp(1, count.div_ceil(QUERY_BLOCK).max(1));
            (v, q)
        };
        let q_step = count.div_ceil(query_parts).max(1);
        let v_step = n.div_ceil(vector_parts).max(1);
        let mut specs = Vec::new();
        for qs in (0..count).step_by(q_step) {
            for vs in (0..n).step_by(v_step) {
                specs.push((qs..count.min(qs + q_step), vs..n.min(vs + v_step)));
            }
        }
        let starts: Vec<usize> = specs.iter().map(|(qs, _)| qs.start).collect();
        let mut slots: Vec<Option<Result<Vec<Best<K>>, Error>>> =
            specs.iter().map(|_| None).collect();
        let job = |(qs, vs): (Range<usize>, Range<usize>), slot: &mut Option<_>| {
            let heaps: Result<Vec<Best<K>>, Error> =
                qs.clone().map(|_| Best::new(k.min(vs.len()))).collect();
            *slot = Some(heaps.map(|mut heaps| {
                scan(qs, vs, &mut heaps);
                heaps
            }));
        };
        let jobs: Vec<_> = specs.into_iter().zip(slots.iter_mut()).collect();
        if jobs.len() > 1 {
            pool::share(jobs, |(spec, slot)| job(spec, slot));
        } else {
            jobs.into_iter().for_each(|(spec, slot)| job(spec, slot));
        }
        let mut merged: Vec<Best<K>> = vec_with_capacity("result heaps", count)?;
        for _ in 0..count {
            merged.push(Best::new(k)?);
        }
        for (start, slot) in starts.into_iter().zip(slots) {
            let heaps = slot.ok_or_else(|| invalid("a search job did not run".to_string()))??;
            for (i, heap) in heaps.into_iter().enumerate() {
                for hit in heap.heap {
                    merged[start + i].offer(hit.0);
                }
            }
        }
        Ok(merged.into_iter().map(Best::into_sorted).collect())
    }
}

/// A partial addition: [`VectorIndex::append`]. Dropped unfinished, it takes back every vector
/// it added, so an add is all or nothing.
#[derive(Debug)]
pub struct Appender<'a> {
    index: &'a mut VectorIndex,
    first: usize,
    expected: usize,
    added: usize,
    stored: bool,
    done: bool,
}

impl Appender<'_> {
    /// Checks and adds the next vectors (a whole number of them); `what` names the argument.
    pub fn push(&mut self, vectors: &[f32], what: &str) -> Result<(), Error> {
        let count = self.index.count_of(vectors.len(), what)?;
        self.check_room(count)?;
        for v in vectors.chunks_exact(self.index.dimension) {
            self.push_one(v, what)?;
        }
        Ok(())
    }

    /// As [`Appender::push`], from little-endian bytes.
    pub fn push_le_bytes(&mut self, bytes: &[u8], what: &str) -> Result<(), Error> {
        let d = self.index.dimension;
        if !bytes.len().is_multiple_of(d * 4) {
            return Err(invalid(format!(
                "{what} has {} bytes, not a multiple of dimension {d} x 4",
                bytes.len()
            )));
        }
        self.check_room(bytes.len() / (d * 4))?;
        let mut v = vec_with_capacity::<f32>("a vector", d)?;
        for chunk in bytes.chunks_exact(d * 4) {
            v.clear();
            v.extend(
                chunk
                    .chunks_exact(4)
                    .map(|b| f32::from_le_bytes([b[0], b[1], b[2], b[3]])),
            );
            self.push_one(&v, what)?;
        }
        Ok(())
    }

    fn check_room(&self, count: usize) -> Result<(), Error> {
        if count > self.expected - self.added {
            return Err(invalid(format!(
                "{} vectors given, {} announced",
                self.added + count,
                self.expected
            )));
        }
        Ok(())
    }

    fn push_one(&mut self, v: &[f32], what: &str) -> Result<(), Error> {
        let index = &mut *self.index;
        let metric = index.metric;
        check_vector(v, metric, what, self.added)?;
        let start = index.vectors.len();
        if self.stored {
            index.vectors.extend_from_slice(v);
        } else {
            prepare(v, metric, &mut index.vectors);
        }
        if index.precision == Precision::Int8 {
            let q = quantize(&index.vectors[start..], &mut index.codes);
            index.quantized.push(q);
        }
        self.added += 1;
        Ok(())
    }

    /// Commits the vectors and returns the first new id, or an error (and nothing added) when
    /// fewer than announced were pushed.
    pub fn finish(mut self) -> Result<usize, Error> {
        if self.added != self.expected {
            return Err(invalid(format!(
                "{} vectors given, {} announced",
                self.added, self.expected
            )));
        }
        self.done = true;
        Ok(self.first)
    }
}

impl Drop for Appender<'_> {
    fn drop(&mut self) {
        if !self.done {
            let d = self.index.dimension;
            self.index.vectors.truncate(self.first * d);
            self.index.codes.truncate(self.first * d);
            self.index.quantized.truncate(self.first);
        }
    }
}

/// Makes room for `more` elements, fallibly. Beyond what is asked it adds an eighth of the
/// length: vectors added one at a time then cost amortised constant time (not a copy of the
/// whole index per add, as exact reservations would), while the memory held stays within about
/// 12% of the vectors' own.
fn grow<T>(v: &mut Vec<T>, more: usize, what: &'static str) -> Result<(), Error> {
    if v.capacity() - v.len() >= more {
        return Ok(());
    }
    let extra = more.max(v.len() / 8);
    v.try_reserve_exact(extra)
        .or_else(|_| v.try_reserve_exact(more))
        .map_err(|_| Error::out_of_memory::<T>(what, more))
}

/// Refuses a NaN or infinite component, and a zero vector under COSINE.
fn check_vector(v: &[f32], metric: Metric, what: &str, index: usize) -> Result<(), Error> {
    if let Some(i) = v.iter().position(|x| !x.is_finite()) {
        let kind = if v[i].is_nan() {
            "a NaN"
        } else {
            "an infinite"
        };
        return Err(invalid(format!(
            "{what}: vector {index} has {kind} component at {i}"
        )));
    }
    if metric == Metric::Cosine && v.iter().all(|x| *x == 0.0) {
        return Err(invalid(format!(
            "{what}: vector {index} is zero, which COSINE cannot normalise"
        )));
    }
    Ok(())
}

/// Appends `v` in stored form: normalised under COSINE (docs/vectors.md), else as it is.
fn prepare(v: &[f32], metric: Metric, out: &mut Vec<f32>) {
    if metric != Metric::Cosine {
        out.extend_from_slice(v);
        return;
    }
    let mut sum = 0.0f64;
    for x in v {
        sum += f64::from(*x) * f64::from(*x);
    }
    let norm = sum.sqrt();
    out.extend(v.iter().map(|x| (f64::from(*x) / norm) as f32));
}

/// Appends `v`'s codes to `codes` and returns its parameters (docs/vectors.md, "Precision").
fn quantize(v: &[f32], codes: &mut Vec<u8>) -> Quantized {
    let mut lo = f32::INFINITY;
    let mut hi = f32::NEG_INFINITY;
    let mut norm2 = 0.0f64;
    for x in v {
        // Comparisons rather than `min`/`max`, whose choice between -0.0 and 0.0 is left open:
        // the JVM twin must pick the same `lo`.
        if *x < lo {
            lo = *x;
        }
        if *x > hi {
            hi = *x;
        }
        norm2 += f64::from(*x) * f64::from(*x);
    }
    let scale = if hi > lo { (hi - lo) / 255.0 } else { 0.0 };
    let mut code_sum = 0u32;
    for x in v {
        let c = if scale > 0.0 {
            ((*x - lo) / scale).round_ties_even().clamp(0.0, 255.0) as u8
        } else {
            0
        };
        code_sum += u32::from(c);
        codes.push(c);
    }
    Quantized {
        lo,
        scale,
        code_sum,
        norm2,
    }
}

/// A search key: larger is better.
trait Key: Copy + Send + Sync {
    /// `Greater` when `self` is the better key; NaN is worse than everything else.
    fn rank(&self, other: &Self) -> Ordering;
}

macro_rules! float_key {
    ($t:ty) => {
        impl Key for $t {
            fn rank(&self, other: &Self) -> Ordering {
                match (self.is_nan(), other.is_nan()) {
                    (true, true) => Ordering::Equal,
                    (true, false) => Ordering::Less,
                    (false, true) => Ordering::Greater,
                    // Neither is NaN, so the comparison is total; -0.0 equals 0.0.
                    (false, false) => self.partial_cmp(other).unwrap_or(Ordering::Equal),
                }
            }
        }
    };
}
float_key!(f32);
float_key!(f64);

/// A scored vector; `Greater` is better: a better key, then the smaller id.
#[derive(Clone, Copy, Debug)]
struct Hit<K: Key> {
    key: K,
    id: u32,
}

impl<K: Key> Ord for Hit<K> {
    fn cmp(&self, other: &Self) -> Ordering {
        self.key.rank(&other.key).then(other.id.cmp(&self.id))
    }
}

impl<K: Key> PartialOrd for Hit<K> {
    fn partial_cmp(&self, other: &Self) -> Option<Ordering> {
        Some(self.cmp(other))
    }
}

impl<K: Key> PartialEq for Hit<K> {
    fn eq(&self, other: &Self) -> bool {
        self.cmp(other) == Ordering::Equal
    }
}

impl<K: Key> Eq for Hit<K> {}

/// The best `k` hits offered so far; the worst of them on top.
struct Best<K: Key> {
    k: usize,
    heap: BinaryHeap<Reverse<Hit<K>>>,
}

impl<K: Key> Best<K> {
    fn new(k: usize) -> Result<Self, Error> {
        let mut heap = BinaryHeap::new();
        heap.try_reserve_exact(k)
            .map_err(|_| Error::out_of_memory::<Hit<K>>("a result heap", k))?;
        Ok(Best { k, heap })
    }

    #[inline]
    fn offer(&mut self, hit: Hit<K>) {
        if self.heap.len() < self.k {
            self.heap.push(Reverse(hit));
        } else if let Some(mut worst) = self.heap.peek_mut() {
            if hit > worst.0 {
                *worst = Reverse(hit);
            }
        }
    }

    /// Best first.
    fn into_sorted(self) -> Vec<Hit<K>> {
        // Ascending `Reverse` is descending hits: best first.
        self.heap
            .into_sorted_vec()
            .into_iter()
            .map(|r| r.0)
            .collect()
    }
}

/// The inner products, compiled once per instruction set; the best clone for the running CPU
/// is picked at the first call.
mod kernels {
    /// Independent accumulators: enough to fill two AVX-512 or four AVX2 registers.
    const LANES: usize = 16;

    #[multiversion::multiversion(targets(
        "x86_64+avx512f+avx512bw+avx512vl+avx2+fma",
        "x86_64+avx2+fma",
        "aarch64+neon",
    ))]
    pub fn dot(a: &[f32], b: &[f32]) -> f32 {
        let mut acc = [0.0f32; LANES];
        let (ac, bc) = (a.chunks_exact(LANES), b.chunks_exact(LANES));
        let tail: f32 = ac
            .remainder()
            .iter()
            .zip(bc.remainder())
            .map(|(x, y)| x * y)
            .sum();
        for (x, y) in ac.zip(bc) {
            for i in 0..LANES {
                acc[i] += x[i] * y[i];
            }
        }
        acc.iter().sum::<f32>() + tail
    }

    #[multiversion::multiversion(targets(
        "x86_64+avx512f+avx512bw+avx512vl+avx2+fma",
        "x86_64+avx2+fma",
        "aarch64+neon",
    ))]
    pub fn l2(a: &[f32], b: &[f32]) -> f32 {
        let mut acc = [0.0f32; LANES];
        let (ac, bc) = (a.chunks_exact(LANES), b.chunks_exact(LANES));
        let tail: f32 = ac
            .remainder()
            .iter()
            .zip(bc.remainder())
            .map(|(x, y)| (x - y) * (x - y))
            .sum();
        for (x, y) in ac.zip(bc) {
            for i in 0..LANES {
                let d = x[i] - y[i];
                acc[i] += d * d;
            }
        }
        acc.iter().sum::<f32>() + tail
    }

    /// [`dot`] of `v` with each of four queries laid end to end in `four` (`4 * v.len()`
    /// floats), each summed exactly as [`dot`] sums it, so a query's scores do not depend on
    /// whether it was scored in a group of four.
    #[multiversion::multiversion(targets(
        "x86_64+avx512f+avx512bw+avx512vl+avx2+fma",
        "x86_64+avx2+fma",
        "aarch64+neon",
    ))]
    pub fn dot_4(v: &[f32], four: &[f32]) -> [f32; 4] {
        let d = v.len();
        let (q0, rest) = four.split_at(d.min(four.len()));
        let (q1, rest) = rest.split_at(d.min(rest.len()));
        let (q2, q3) = rest.split_at(d.min(rest.len()));
        let mut acc = [[0.0f32; LANES]; 4];
        let chunks = v
            .chunks_exact(LANES)
            .zip(q0.chunks_exact(LANES))
            .zip(q1.chunks_exact(LANES))
            .zip(q2.chunks_exact(LANES))
            .zip(q3.chunks_exact(LANES));
        for ((((x, a), b), c), e) in chunks {
            for i in 0..LANES {
                acc[0][i] += x[i] * a[i];
                acc[1][i] += x[i] * b[i];
                acc[2][i] += x[i] * c[i];
                acc[3][i] += x[i] * e[i];
            }
        }
        let tail_from = d - d % LANES;
        let qs = [q0, q1, q2, q3];
        let mut out = [0.0f32; 4];
        for j in 0..4 {
            let tail: f32 = v[tail_from..]
                .iter()
                .zip(&qs[j][tail_from.min(qs[j].len())..])
                .map(|(x, y)| x * y)
                .sum();
            out[j] = acc[j].iter().sum::<f32>() + tail;
        }
        out
    }

    /// [`l2`] of `v` against each of four queries laid end to end in `four`, each summed
    /// exactly as [`l2`] sums it.
    #[multiversion::multiversion(targets(
        "x86_64+avx512f+avx512bw+avx512vl+avx2+fma",
        "x86_64+avx2+fma",
        "aarch64+neon",
    ))]
    pub fn l2_4(v: &[f32], four: &[f32]) -> [f32; 4] {
        let d = v.len();
        let (q0, rest) = four.split_at(d.min(four.len()));
        let (q1, rest) = rest.split_at(d.min(rest.len()));
        let (q2, q3) = rest.split_at(d.min(rest.len()));
        let mut acc = [[0.0f32; LANES]; 4];
        let chunks = v
            .chunks_exact(LANES)
            .zip(q0.chunks_exact(LANES))
            .zip(q1.chunks_exact(LANES))
            .zip(q2.chunks_exact(LANES))
            .zip(q3.chunks_exact(LANES));
        for ((((x, a), b), c), e) in chunks {
            for i in 0..LANES {
                let (da, db, dc, de) = (x[i] - a[i], x[i] - b[i], x[i] - c[i], x[i] - e[i]);
                acc[0][i] += da * da;
                acc[1][i] += db * db;
                acc[2][i] += dc * dc;
                acc[3][i] += de * de;
            }
        }
        let tail_from = d - d % LANES;
        let qs = [q0, q1, q2, q3];
        let mut out = [0.0f32; 4];
        for j in 0..4 {
            let tail: f32 = v[tail_from..]
                .iter()
                .zip(&qs[j][tail_from.min(qs[j].len())..])
                .map(|(x, y)| (x - y) * (x - y))
                .sum();
            out[j] = acc[j].iter().sum::<f32>() + tail;
        }
        out
    }

    /// The exact integer dot product of two code vectors; at most `255 * 255 * MAX_DIMENSION`,
    /// which fits a `u32`.
    #[multiversion::multiversion(targets(
        "x86_64+avx512f+avx512bw+avx512vl+avx2+fma",
        "x86_64+avx2+fma",
        "aarch64+neon",
    ))]
    pub fn dot_u8(a: &[u8], b: &[u8]) -> u32 {
        let mut acc = [0u32; 32];
        let (ac, bc) = (a.chunks_exact(32), b.chunks_exact(32));
        let tail: u32 = ac
            .remainder()
            .iter()
            .zip(bc.remainder())
            .map(|(x, y)| u32::from(*x) * u32::from(*y))
            .sum();
        for (x, y) in ac.zip(bc) {
            for i in 0..32 {
                acc[i] += u32::from(x[i]) * u32::from(y[i]);
            }
        }
        acc.iter().sum::<u32>() + tail
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn hits_order_by_key_then_smaller_id() {
        let a = Hit { key: 1.0f32, id: 3 };
        let b = Hit { key: 1.0f32, id: 5 };
        let c = Hit { key: 2.0f32, id: 9 };
        let nan = Hit {
            key: f32::NAN,
            id: 0,
        };
        assert!(a > b && c > a && b > nan);
        assert_eq!(
            Hit {
                key: -0.0f32,
                id: 1
            }
            .cmp(&Hit { key: 0.0, id: 1 }),
            Ordering::Equal
        );
    }

    #[test]
    fn best_keeps_the_top_k() {
        let mut best = Best::new(2).unwrap_or_else(|_| unreachable!());
        for (id, key) in [(0u32, 1.0f32), (1, 5.0), (2, 3.0), (3, 5.0)] {
            best.offer(Hit { key, id });
        }
        let ids: Vec<u32> = best.into_sorted().iter().map(|h| h.id).collect();
        assert_eq!(ids, vec![1, 3]);
    }

    #[test]
    fn quantization_reconstructs_within_half_a_step() {
        let v = [0.25f32, -1.0, 3.5, 0.0];
        let mut codes = Vec::new();
        let q = quantize(&v, &mut codes);
        for (x, c) in v.iter().zip(&codes) {
            assert!((q.lo + q.scale * f32::from(*c) - x).abs() <= q.scale * 0.5 + 1e-6);
        }
        assert_eq!(codes[1], 0);
        assert_eq!(codes[2], 255);
    }
}
