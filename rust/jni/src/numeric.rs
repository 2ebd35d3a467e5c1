//! The Numeric family's native methods (declared in `registry.rs`); long arrays are visited in `SEGMENT`-sized pins so a collection can run
//! between segments, and the segment results are combined exactly as the kernel's own tree
//! would (see docs/numeric.md), so segmenting never changes a result.

use jni::sys::{jarray, jboolean, jbyteArray, jdouble, jdoubleArray, jint, jlong, jlongArray};

use hotpath_core::numeric::{self, ByteOrder, ExactSum, Moments, SEGMENT};

use crate::bridge::{claimed_range, exact_length, non_null, offset_range};
use crate::buffer::direct_bytes;
use crate::env::Env;
use crate::error::BridgeError;
use crate::pin::{fold_segments, map_segments, update_segments, Primitive};
use crate::registry::jbyteBuffer;

/// Bytes per segment for byte arrays holding 8-byte values: the same element count per pin.
const BYTE_SEGMENT: usize = SEGMENT * 8;

fn order(big_endian: jboolean) -> ByteOrder {
    if big_endian != 0 {
        ByteOrder::Big
    } else {
        ByteOrder::Little
    }
}

/// `sumLongArray(values, fromIndex, toIndex, length)`; `length` is `values.size` (see
/// [`claimed_range`]).
pub(crate) fn inner_sum_long_array(
    env: &Env,
    values: jlongArray,
    from: jint,
    to: jint,
    length: jint,
) -> Result<jlong, BridgeError> {
    let values = non_null(values, "values")?;
    let (r, len) = claimed_range(env, values, (from, to), length)?;
    fold_segments(env, values, len, r, SEGMENT, 0i64, |acc, s| {
        acc.wrapping_add(numeric::sum_i64(s))
    })
}

/// `sumDoubleArray(values, fromIndex, toIndex, length)`, as [`inner_sum_long_array`].
pub(crate) fn inner_sum_double_array(
    env: &Env,
    values: jdoubleArray,
    from: jint,
    to: jint,
    length: jint,
) -> Result<jdouble, BridgeError> {
    let values = non_null(values, "values")?;
    let (r, len) = claimed_range(env, values, (from, to), length)?;
    if r.1 - r.0 <= SEGMENT {
        // One pin, no partials to combine, no allocation: the common case.
        return fold_segments(env, values, len, r, SEGMENT, 0.0, |_, s| {
            numeric::sum_f64(s)
        });
    }
    let partials = map_segments(env, values, len, r, SEGMENT, numeric::sum_f64)?;
    Ok(numeric::combine_sums(&partials))
}

pub(crate) fn inner_sum_exact_double_array(
    env: &Env,
    values: jdoubleArray,
) -> Result<jdouble, BridgeError> {
    let values = non_null(values, "values")?;
    let len = env.array_length(values)?;
    let mut acc = ExactSum::new();
    map_segments(env, values, len, (0, len), SEGMENT, |s: &[f64]| {
        acc.add_slice(s)
    })?;
    Ok(acc.value())
}

/// `statsDoubleArray(values, out)`: writes `[sum, m2, min, max]` into `out`.
pub(crate) fn inner_stats_double_array(
    env: &Env,
    values: jdoubleArray,
    out: jdoubleArray,
) -> Result<(), BridgeError> {
    let values = non_null(values, "values")?;
    let out = non_null(out, "out")?;
    exact_length("out", env.array_length(out)?, 4, "doubles")?;
    let len = env.array_length(values)?;
    let parts = map_segments(env, values, len, (0, len), SEGMENT, Moments::of)?;
    let m = Moments::combine(&parts);
    env.set_double_region(out, &[m.sum, m.m2, m.min, m.max])
}

/// Applies an in-place kernel to a whole array, segment by segment.
fn update_all<T: Primitive>(
    env: &Env,
    values: jarray,
    f: impl FnMut(&mut [T]),
) -> Result<(), BridgeError> {
    let values = non_null(values, "values")?;
    let len = env.array_length(values)?;
    update_segments(env, values, len, (0, len), SEGMENT, f)
}

pub(crate) fn inner_scale_long_array(
    env: &Env,
    values: jlongArray,
    factor: jlong,
) -> Result<(), BridgeError> {
    update_all(env, values, |s: &mut [i64]| numeric::scale_i64(s, factor))
}

pub(crate) fn inner_scale_double_array(
    env: &Env,
    values: jdoubleArray,
    factor: jdouble,
) -> Result<(), BridgeError> {
    update_all(env, values, |s: &mut [f64]| numeric::scale_f64(s, factor))
}

pub(crate) fn inner_sum_longs_direct(
    env: &Env,
    buffer: jbyteBuffer,
    position: jint,
    length: jint,
    big_endian: jboolean,
) -> Result<jlong, BridgeError> {
    let bytes = direct_bytes(env, non_null(buffer, "buffer")?, position, length)?;
    Ok(numeric::sum_i64_bytes(bytes, order(big_endian))?)
}

pub(crate) fn inner_sum_doubles_direct(
    env: &Env,
    buffer: jbyteBuffer,
    position: jint,
    length: jint,
    big_endian: jboolean,
) -> Result<jdouble, BridgeError> {
    let bytes = direct_bytes(env, non_null(buffer, "buffer")?, position, length)?;
    Ok(numeric::sum_f64_bytes(bytes, order(big_endian))?)
}

fn byte_range(offset: jint, length: jint, len: usize) -> Result<(usize, usize), BridgeError> {
    let r = offset_range(offset, length, len)?;
    if (r.1 - r.0) % 8 != 0 {
        return Err(hotpath_core::Error::NotAMultiple {
            what: "buffer",
            len: r.1 - r.0,
            multiple: 8,
        }
        .into());
    }
    Ok(r)
}

/// Folds `f` over `array[offset, offset + length)`, a heap buffer's backing array holding
/// 8-byte values, one pinned segment at a time; the first kernel error stops the fold.
fn fold_heap_bytes<A>(
    env: &Env,
    array: jbyteArray,
    offset: jint,
    length: jint,
    init: A,
    mut f: impl FnMut(A, &[u8]) -> Result<A, hotpath_core::Error>,
) -> Result<A, BridgeError> {
    let array = non_null(array, "array")?;
    let len = env.array_length(array)?;
    let r = byte_range(offset, length, len)?;
    let folded = fold_segments(
        env,
        array,
        len,
        r,
        BYTE_SEGMENT,
        Ok(init),
        |acc, b: &[u8]| acc.and_then(|a| f(a, b)),
    )?;
    Ok(folded?)
}

/// `sumLongsBytes(array, offset, length, bigEndian)`: a heap buffer's backing array.
pub(crate) fn inner_sum_longs_bytes(
    env: &Env,
    array: jbyteArray,
    offset: jint,
    length: jint,
    big_endian: jboolean,
) -> Result<jlong, BridgeError> {
    let order = order(big_endian);
    fold_heap_bytes(env, array, offset, length, 0i64, |acc, b| {
        Ok(acc.wrapping_add(numeric::sum_i64_bytes(b, order)?))
    })
}

/// `sumDoublesBytes(array, offset, length, bigEndian)`: a heap buffer's backing array.
pub(crate) fn inner_sum_doubles_bytes(
    env: &Env,
    array: jbyteArray,
    offset: jint,
    length: jint,
    big_endian: jboolean,
) -> Result<jdouble, BridgeError> {
    let order = order(big_endian);
    let sums = fold_heap_bytes(env, array, offset, length, Vec::new(), |mut sums, b| {
        sums.push(numeric::sum_f64_bytes(b, order)?);
        Ok(sums)
    })?;
    Ok(numeric::combine_sums(&sums))
}
