//! The Vectors family's native methods (declared in `registry.rs`; docs/vectors.md).
//!
//! An index is a handle: a number that names it in [`indexes`], never an address, so a stale or
//! forged handle finds nothing (`IllegalStateException`) rather than freed memory. A call clones
//! the index's `Arc` out of the registry and works on that, so `vectorIndexFree` racing a call
//! only removes the name: the memory goes when the last call holding it returns. The Kotlin side
//! also serialises adds and close against searches with its own read-write lock; the `RwLock`
//! here keeps the index consistent even for callers that skip it.
//!
//! Arrays cross by pinning, at most [`SEGMENT_FLOATS`] floats per pin: an add is appended one
//! pinned piece at a time (all or nothing: [`Appender`]), and a search copies its queries out
//! piece by piece and searches the copy, so no critical region lasts while a search runs.

use std::collections::HashMap;
use std::sync::atomic::{AtomicI64, Ordering};
use std::sync::{Arc, Mutex, OnceLock, PoisonError, RwLock};

use jni::sys::{jboolean, jbyteArray, jfloatArray, jint, jintArray, jlong};

use hotpath_core::vectors::{Appender, Metric, Precision, VectorIndex};

use crate::bridge::{non_null, offset_range, try_with_capacity};
use crate::buffer::direct_bytes;
use crate::env::Env;
use crate::error::BridgeError;
use crate::pin::fold_segments;
use crate::registry::jbyteBuffer;

/// Floats per pin, as many as Numeric's segments hold doubles' bytes: about a millisecond of
/// copying or checking at most.
const SEGMENT_FLOATS: usize = 1 << 19;

type Shared = Arc<RwLock<VectorIndex>>;

/// Every open index by handle. Handles count up from 1 and are never reused.
fn indexes() -> &'static Mutex<HashMap<jlong, Shared>> {
    static INDEXES: OnceLock<Mutex<HashMap<jlong, Shared>>> = OnceLock::new();
    INDEXES.get_or_init(|| Mutex::new(HashMap::new()))
}

static NEXT_HANDLE: AtomicI64 = AtomicI64::new(1);

fn lookup(handle: jlong) -> Result<Shared, BridgeError> {
    let map = indexes().lock().unwrap_or_else(PoisonError::into_inner);
    map.get(&handle)
        .cloned()
        .ok_or_else(|| BridgeError::IllegalState(format!("vector index {handle} is closed")))
}

fn count_arg(value: jint, name: &str) -> Result<usize, BridgeError> {
    usize::try_from(value).map_err(|_| {
        BridgeError::IllegalArgument(format!("{name} is {value}, expected at least 0"))
    })
}

/// `vectorIndexCreate(dimension, metric, precision)`: a new empty index's handle.
pub(crate) fn inner_create(
    _env: &Env,
    dimension: jint,
    metric: jint,
    precision: jint,
) -> Result<jlong, BridgeError> {
    let metric = Metric::from_code(i64::from(metric))
        .ok_or_else(|| BridgeError::IllegalArgument(format!("metric code {metric}")))?;
    let precision = Precision::from_code(i64::from(precision))
        .ok_or_else(|| BridgeError::IllegalArgument(format!("precision code {precision}")))?;
    let dimension = usize::try_from(dimension).unwrap_or(0);
    let index = VectorIndex::new(dimension, metric, precision)?;
    let handle = NEXT_HANDLE.fetch_add(1, Ordering::Relaxed);
    indexes()
        .lock()
        .unwrap_or_else(PoisonError::into_inner)
        .insert(handle, Arc::new(RwLock::new(index)));
    Ok(handle)
}

/// `vectorIndexFree(handle)`: forgets the handle; a second call does nothing.
pub(crate) fn inner_free(_env: &Env, handle: jlong) -> Result<(), BridgeError> {
    let removed = indexes()
        .lock()
        .unwrap_or_else(PoisonError::into_inner)
        .remove(&handle);
    // Dropped outside the registry's lock: freeing gigabytes should not hold up other indexes.
    drop(removed);
    Ok(())
}

/// Runs `add` on an appender for `count` vectors of the index, committing only if it succeeds.
fn append(
    handle: jlong,
    count: usize,
    stored: bool,
    add: impl FnOnce(&mut Appender<'_>, usize) -> Result<(), BridgeError>,
) -> Result<jint, BridgeError> {
    let shared = lookup(handle)?;
    let mut index = shared.write().unwrap_or_else(PoisonError::into_inner);
    let dimension = index.dimension();
    let mut appender = index.append(count, stored)?;
    add(&mut appender, dimension)?;
    let first = appender.finish()?;
    jint::try_from(first).map_err(|_| BridgeError::Jni("first id beyond int"))
}

/// `vectorIndexAdd(handle, vectors, count)`: adds `vectors[0 until count * dimension]`.
pub(crate) fn inner_add(
    env: &Env,
    handle: jlong,
    vectors: jfloatArray,
    count: jint,
) -> Result<jint, BridgeError> {
    let vectors = non_null(vectors, "vectors")?;
    let count = count_arg(count, "count")?;
    let len = env.array_length(vectors)?;
    append(handle, count, false, |appender, dimension| {
        let floats = count.saturating_mul(dimension);
        if floats > len {
            return Err(BridgeError::IllegalArgument(format!(
                "vectors has {len} floats, fewer than count {count} x dimension {dimension}"
            )));
        }
        let segment = (SEGMENT_FLOATS / dimension).max(1) * dimension;
        let pushed = fold_segments(env, vectors, len, (0, floats), segment, Ok(()), |acc, s| {
            acc.and_then(|()| appender.push(s, "vectors"))
        })?;
        Ok(pushed?)
    })
}

/// `vectorIndexAddDirect(handle, buffer, position, length)`: a direct buffer's bytes as
/// little-endian floats, read in place.
pub(crate) fn inner_add_direct(
    env: &Env,
    handle: jlong,
    buffer: jbyteBuffer,
    position: jint,
    length: jint,
) -> Result<jint, BridgeError> {
    let bytes = direct_bytes(env, non_null(buffer, "vectors")?, position, length)?;
    let dimension = lookup(handle)?
        .read()
        .unwrap_or_else(PoisonError::into_inner)
        .dimension();
    let count = bytes.len() / (dimension * 4);
    append(handle, count, false, |appender, _| {
        Ok(appender.push_le_bytes(bytes, "vectors")?)
    })
}

/// `vectorIndexAddBytes(handle, array, offset, length, stored)`: `array[offset until offset +
/// length]` as little-endian floats (a heap buffer's array, or a file's bytes when `stored`:
/// already normalised, not normalised again).
pub(crate) fn inner_add_bytes(
    env: &Env,
    handle: jlong,
    array: jbyteArray,
    offset: jint,
    length: jint,
    stored: jboolean,
) -> Result<jint, BridgeError> {
    let array = non_null(array, "vectors")?;
    let len = env.array_length(array)?;
    let range = offset_range(offset, length, len)?;
    let dimension = lookup(handle)?
        .read()
        .unwrap_or_else(PoisonError::into_inner)
        .dimension();
    let bytes_per_vector = dimension * 4;
    let count = (range.1 - range.0) / bytes_per_vector;
    append(handle, count, stored != 0, |appender, _| {
        let segment = (SEGMENT_FLOATS * 4 / bytes_per_vector).max(1) * bytes_per_vector;
        let pushed = fold_segments(env, array, len, range, segment, Ok(()), |acc, s: &[u8]| {
            acc.and_then(|()| appender.push_le_bytes(s, "vectors"))
        })?;
        Ok(pushed?)
    })
}

/// `vectorIndexSearch(handle, queries, count, k, ids, scores)`: the best `min(k, size)` of each
/// of `queries[0 until count * dimension]` into `ids` and `scores`, which hold exactly
/// `count * min(k, size)` entries; returns `min(k, size)`.
pub(crate) fn inner_search(
    env: &Env,
    handle: jlong,
    queries: jfloatArray,
    count: jint,
    k: jint,
    ids: jintArray,
    scores: jfloatArray,
) -> Result<jint, BridgeError> {
    let queries = non_null(queries, "queries")?;
    let ids = non_null(ids, "ids")?;
    let scores = non_null(scores, "scores")?;
    let count = count_arg(count, "count")?;
    if k < 1 {
        return Err(BridgeError::IllegalArgument(format!(
            "k is {k}, expected at least 1"
        )));
    }
    let k = usize::try_from(k).map_err(|_| BridgeError::Jni("k"))?;
    let len = env.array_length(queries)?;
    let (ids_len, scores_len) = (env.array_length(ids)?, env.array_length(scores)?);
    let shared = lookup(handle)?;
    let index = shared.read().unwrap_or_else(PoisonError::into_inner);
    let dimension = index.dimension();
    let floats = count.saturating_mul(dimension);
    if floats > len {
        return Err(BridgeError::IllegalArgument(format!(
            "queries has {len} floats, fewer than count {count} x dimension {dimension}"
        )));
    }
    let mut copy: Vec<f32> = try_with_capacity(floats, "queries")?;
    let segment = (SEGMENT_FLOATS / dimension).max(1) * dimension;
    fold_segments(
        env,
        queries,
        len,
        (0, floats),
        segment,
        (),
        |(), s: &[f32]| copy.extend_from_slice(s),
    )?;
    let hits = index.search(&copy, k)?;
    drop(index);
    if ids_len != hits.ids.len() || scores_len != hits.scores.len() {
        return Err(BridgeError::IllegalArgument(format!(
            "ids has {ids_len} and scores {scores_len} entries, expected {}",
            hits.ids.len()
        )));
    }
    env.set_int_region(ids, 0, &hits.ids)?;
    env.set_float_region(scores, 0, &hits.scores)?;
    jint::try_from(hits.per_query).map_err(|_| BridgeError::Jni("results per query"))
}

/// `vectorIndexSize(handle)`.
pub(crate) fn inner_size(_env: &Env, handle: jlong) -> Result<jint, BridgeError> {
    let len = lookup(handle)?
        .read()
        .unwrap_or_else(PoisonError::into_inner)
        .len();
    jint::try_from(len).map_err(|_| BridgeError::Jni("size beyond int"))
}

/// `vectorIndexMemoryBytes(handle)`: the native memory the index holds.
pub(crate) fn inner_memory_bytes(_env: &Env, handle: jlong) -> Result<jlong, BridgeError> {
    let bytes = lookup(handle)?
        .read()
        .unwrap_or_else(PoisonError::into_inner)
        .memory_bytes();
    Ok(jlong::try_from(bytes).unwrap_or(jlong::MAX))
}

/// `vectorIndexExport(handle, from, count, out)`: the stored floats of vectors
/// `from until from + count`, little-endian, into the start of `out`, for `save`.
pub(crate) fn inner_export(
    env: &Env,
    handle: jlong,
    from: jint,
    count: jint,
    out: jbyteArray,
) -> Result<(), BridgeError> {
    let out = non_null(out, "out")?;
    let from = count_arg(from, "from")?;
    let count = count_arg(count, "count")?;
    let out_len = env.array_length(out)?;
    let shared = lookup(handle)?;
    let index = shared.read().unwrap_or_else(PoisonError::into_inner);
    let d = index.dimension();
    let end = from.saturating_add(count);
    if end > index.len() {
        return Err(BridgeError::OutOfBounds(format!(
            "vectors {from} + {count} > size {}",
            index.len()
        )));
    }
    if count.saturating_mul(d * 4) > out_len {
        return Err(BridgeError::IllegalArgument(format!(
            "out has {out_len} bytes, fewer than {count} vectors of {d} floats"
        )));
    }
    let floats = &index.stored()[from * d..end * d];
    let mut bytes: Vec<u8> = try_with_capacity(SEGMENT_FLOATS.min(floats.len()) * 4, "export")?;
    for (i, piece) in floats.chunks(SEGMENT_FLOATS).enumerate() {
        bytes.clear();
        bytes.extend(piece.iter().flat_map(|x| x.to_le_bytes()));
        env.set_byte_region(out, i * SEGMENT_FLOATS * 4, &bytes)?;
    }
    Ok(())
}
