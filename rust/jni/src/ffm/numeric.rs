//! Numeric's C entry points (the FFM bridge's twins of `crate::numeric`'s native methods).

use hotpath_core::numeric::{self, ExactSum, Moments};

use super::{elements, elements_mut, order, range_of, run, write_out};
use crate::error::BridgeError;

/// The wrapping sum of `values[from..to]` (`values` holds `length` longs) into `*out`.
///
/// # Safety
/// `values` valid for reads of `length` longs, `out` for one write, for the call.
#[no_mangle]
pub unsafe extern "C" fn hotpath_numeric_sum_long_array(
    values: *const i64,
    length: i32,
    from: i32,
    to: i32,
    out: *mut i64,
) -> i32 {
    run("sumLongArray", || {
        // SAFETY: the caller's contract.
        let piece = unsafe { range_of(values, length, from, to) }?;
        // SAFETY: the caller's contract.
        unsafe { write_out(out, numeric::sum_i64(piece)) }
    })
}

/// The block-pairwise sum of `values[from..to]` into `*out`; the Java side combines pieces of
/// `SEGMENT` elements with [`hotpath_numeric_combine_sums`].
///
/// # Safety
/// As [`hotpath_numeric_sum_long_array`].
#[no_mangle]
pub unsafe extern "C" fn hotpath_numeric_sum_double_array(
    values: *const f64,
    length: i32,
    from: i32,
    to: i32,
    out: *mut f64,
) -> i32 {
    run("sumDoubleArray", || {
        // SAFETY: the caller's contract.
        let piece = unsafe { range_of(values, length, from, to) }?;
        // SAFETY: the caller's contract.
        unsafe { write_out(out, numeric::sum_f64(piece)) }
    })
}

/// The segment-level combination of `count` partial sums into `*out` (`combine_sums`).
///
/// # Safety
/// `partials` valid for reads of `count` doubles, `out` for one write.
#[no_mangle]
pub unsafe extern "C" fn hotpath_numeric_combine_sums(
    partials: *const f64,
    count: i32,
    out: *mut f64,
) -> i32 {
    run("sumDoubleArray", || {
        // SAFETY: the caller's contract.
        let partials = unsafe { elements(partials, count, "partials") }?;
        // SAFETY: the caller's contract.
        unsafe { write_out(out, numeric::combine_sums(partials)) }
    })
}

/// A new exact accumulator into `*out`, to be given to [`hotpath_numeric_exact_sum_add`] for
/// each piece and freed with [`hotpath_numeric_exact_sum_free`], exactly once.
///
/// # Safety
/// `out` valid for one write.
#[no_mangle]
pub unsafe extern "C" fn hotpath_numeric_exact_sum_new(out: *mut *mut ExactSum) -> i32 {
    run("sumExactDoubleArray", || {
        let acc = Box::into_raw(Box::new(ExactSum::new()));
        // SAFETY: the caller's contract.
        let written = unsafe { write_out(out, acc) };
        if written.is_err() {
            // SAFETY: `acc` came from Box::into_raw just above and was handed to no one.
            drop(unsafe { Box::from_raw(acc) });
        }
        written
    })
}

/// Adds `values[..length]` to the accumulator `acc`.
///
/// # Safety
/// `acc` from [`hotpath_numeric_exact_sum_new`], not yet freed, used by one thread at a time;
/// `values` valid for reads of `length` doubles.
#[no_mangle]
pub unsafe extern "C" fn hotpath_numeric_exact_sum_add(
    acc: *mut ExactSum,
    values: *const f64,
    length: i32,
) -> i32 {
    run("sumExactDoubleArray", || {
        // SAFETY: the caller's contract: a live accumulator, this call its only user.
        let acc = unsafe { acc.as_mut() }.ok_or(BridgeError::Null("accumulator"))?;
        // SAFETY: the caller's contract.
        let values = unsafe { elements(values, length, "values") }?;
        acc.add_slice(values);
        Ok(())
    })
}

/// The accumulator's exact sum, rounded once, into `*out`.
///
/// # Safety
/// As [`hotpath_numeric_exact_sum_add`] for `acc`; `out` valid for one write.
#[no_mangle]
pub unsafe extern "C" fn hotpath_numeric_exact_sum_value(
    acc: *const ExactSum,
    out: *mut f64,
) -> i32 {
    run("sumExactDoubleArray", || {
        // SAFETY: the caller's contract: a live accumulator.
        let acc = unsafe { acc.as_ref() }.ok_or(BridgeError::Null("accumulator"))?;
        // SAFETY: the caller's contract.
        unsafe { write_out(out, acc.value()) }
    })
}

/// Frees the accumulator; null does nothing.
///
/// # Safety
/// `acc` null or from [`hotpath_numeric_exact_sum_new`], freed at most once, unused afterwards.
#[no_mangle]
pub unsafe extern "C" fn hotpath_numeric_exact_sum_free(acc: *mut ExactSum) {
    if !acc.is_null() {
        // SAFETY: the caller's contract: it came from Box::into_raw and is freed only here.
        drop(unsafe { Box::from_raw(acc) });
    }
}

/// Doubles per encoded [`Moments`]: count (its bits), sum, m2, min, max.
const MOMENTS: usize = 5;

fn encode(m: &Moments) -> [f64; MOMENTS] {
    [f64::from_bits(m.count), m.sum, m.m2, m.min, m.max]
}

/// The moments of `values[..length]` into `out[..5]` (count's bits, sum, m2, min, max); the
/// Java side combines pieces with [`hotpath_numeric_combine_stats`].
///
/// # Safety
/// `values` valid for reads of `length` doubles, `out` for writes of 5 doubles.
#[no_mangle]
pub unsafe extern "C" fn hotpath_numeric_stats_double_array(
    values: *const f64,
    length: i32,
    out: *mut f64,
) -> i32 {
    run("statsDoubleArray", || {
        // SAFETY: the caller's contract.
        let values = unsafe { elements(values, length, "values") }?;
        let m = encode(&Moments::of(values));
        // SAFETY: the caller's contract.
        let out = unsafe { elements_mut(out, MOMENTS as i32, "out") }?;
        out.copy_from_slice(&m);
        Ok(())
    })
}

/// Combines `count` encoded moments (`parts[..5 * count]`) into `out[..5]`, as `Moments::combine`.
///
/// # Safety
/// `parts` valid for reads of `5 * count` doubles, `out` for writes of 5 doubles.
#[no_mangle]
pub unsafe extern "C" fn hotpath_numeric_combine_stats(
    parts: *const f64,
    count: i32,
    out: *mut f64,
) -> i32 {
    run("statsDoubleArray", || {
        let doubles = count.checked_mul(MOMENTS as i32).ok_or_else(|| {
            BridgeError::IllegalArgument(format!("count {count} of moments overflows"))
        })?;
        // SAFETY: the caller's contract.
        let parts = unsafe { elements(parts, doubles, "parts") }?;
        let decoded: Vec<Moments> = parts
            .chunks_exact(MOMENTS)
            .map(|p| Moments {
                count: p[0].to_bits(),
                sum: p[1],
                m2: p[2],
                min: p[3],
                max: p[4],
            })
            .collect();
        let m = encode(&Moments::combine(&decoded));
        // SAFETY: the caller's contract.
        let out = unsafe { elements_mut(out, MOMENTS as i32, "out") }?;
        out.copy_from_slice(&m);
        Ok(())
    })
}

/// Multiplies `values[..length]` by `factor` in place, wrapping.
///
/// # Safety
/// `values` valid for reads and writes of `length` longs, by this call alone.
#[no_mangle]
pub unsafe extern "C" fn hotpath_numeric_scale_long_array(
    values: *mut i64,
    length: i32,
    factor: i64,
) -> i32 {
    run("scaleLongArray", || {
        // SAFETY: the caller's contract.
        let values = unsafe { elements_mut(values, length, "values") }?;
        numeric::scale_i64(values, factor);
        Ok(())
    })
}

/// Multiplies `values[..length]` by `factor` in place (IEEE).
///
/// # Safety
/// As [`hotpath_numeric_scale_long_array`], with doubles.
#[no_mangle]
pub unsafe extern "C" fn hotpath_numeric_scale_double_array(
    values: *mut f64,
    length: i32,
    factor: f64,
) -> i32 {
    run("scaleDoubleArray", || {
        // SAFETY: the caller's contract.
        let values = unsafe { elements_mut(values, length, "values") }?;
        numeric::scale_f64(values, factor);
        Ok(())
    })
}

/// The wrapping sum of `bytes[..length]` read as 8-byte longs into `*out`: a heap buffer's
/// backing array (in pieces) or a direct buffer's memory (whole).
///
/// # Safety
/// `bytes` valid for reads of `length` bytes, `out` for one write.
#[no_mangle]
pub unsafe extern "C" fn hotpath_numeric_sum_longs_bytes(
    bytes: *const u8,
    length: i32,
    big_endian: i32,
    out: *mut i64,
) -> i32 {
    run("sumLongsBytes", || {
        // SAFETY: the caller's contract.
        let bytes = unsafe { elements(bytes, length, "array") }?;
        let sum = numeric::sum_i64_bytes(bytes, order(big_endian))?;
        // SAFETY: the caller's contract.
        unsafe { write_out(out, sum) }
    })
}

/// The block-pairwise sum of `bytes[..length]` read as 8-byte doubles into `*out`; pieces
/// combine with [`hotpath_numeric_combine_sums`].
///
/// # Safety
/// As [`hotpath_numeric_sum_longs_bytes`].
#[no_mangle]
pub unsafe extern "C" fn hotpath_numeric_sum_doubles_bytes(
    bytes: *const u8,
    length: i32,
    big_endian: i32,
    out: *mut f64,
) -> i32 {
    run("sumDoublesBytes", || {
        // SAFETY: the caller's contract.
        let bytes = unsafe { elements(bytes, length, "array") }?;
        let sum = numeric::sum_f64_bytes(bytes, order(big_endian))?;
        // SAFETY: the caller's contract.
        unsafe { write_out(out, sum) }
    })
}

#[cfg(test)]
mod tests {
    use super::super::{hotpath_ffm_error_message, hotpath_ffm_panic_for_test, OK};
    use super::*;
    use crate::codes::ExceptionKind;
    use hotpath_core::numeric::SEGMENT;

    fn last_message() -> String {
        // SAFETY: a null buffer with no room asks for the length only.
        let len = unsafe { hotpath_ffm_error_message(std::ptr::null_mut(), 0) };
        let mut buf = vec![0u8; usize::try_from(len).unwrap_or(0)];
        // SAFETY: `buf` holds `len` bytes.
        unsafe { hotpath_ffm_error_message(buf.as_mut_ptr(), len) };
        String::from_utf8_lossy(&buf).into_owned()
    }

    #[test]
    fn a_sum_of_a_range_matches_the_kernel() {
        let values: Vec<i64> = (1..=100).collect();
        let mut out = 0i64;
        // SAFETY: `values` holds 100 longs; `out` is one.
        let status =
            unsafe { hotpath_numeric_sum_long_array(values.as_ptr(), 100, 10, 20, &mut out) };
        assert_eq!(status, OK);
        assert_eq!(out, (11..=20).sum::<i64>());
    }

    #[test]
    fn a_range_outside_the_array_is_the_jni_sides_error() {
        let values = [1i64, 2, 3];
        let mut out = 0i64;
        // SAFETY: `values` holds 3 longs; `out` is one.
        let status = unsafe { hotpath_numeric_sum_long_array(values.as_ptr(), 3, 0, 4, &mut out) };
        assert_eq!(status, ExceptionKind::IndexOutOfBounds.status());
        assert_eq!(last_message(), "toIndex 4 > array length 3");
    }

    #[test]
    fn a_null_pointer_with_elements_is_a_null_pointer_error() {
        let mut out = 0.0f64;
        // SAFETY: a null pointer is refused before any read.
        let status = unsafe { hotpath_numeric_stats_double_array(std::ptr::null(), 4, &mut out) };
        assert_eq!(status, ExceptionKind::NullPointer.status());
        assert_eq!(last_message(), "values is null");
    }

    #[test]
    fn a_panic_is_a_native_kernel_status_with_the_jni_message() {
        let status = hotpath_ffm_panic_for_test(0);
        assert_eq!(status, ExceptionKind::NativeKernel.status());
        assert!(last_message().starts_with("native panic in panicForTest: deliberate panic"));
    }

    #[test]
    fn pieces_combine_to_the_whole() {
        let values: Vec<f64> = (0..2 * SEGMENT + 100)
            .map(|i| (i % 1000) as f64 * 0.37 - 100.0)
            .collect();
        let piece = SEGMENT;
        let mut parts = Vec::new();
        let mut sums = Vec::new();
        for chunk in values.chunks(piece) {
            let mut m = [0.0f64; MOMENTS];
            let mut s = 0.0f64;
            let n = i32::try_from(chunk.len()).unwrap_or(0);
            // SAFETY: `chunk` holds `n` doubles; `m` five; `s` one.
            unsafe {
                assert_eq!(
                    hotpath_numeric_stats_double_array(chunk.as_ptr(), n, m.as_mut_ptr()),
                    OK
                );
                assert_eq!(
                    hotpath_numeric_sum_double_array(chunk.as_ptr(), n, 0, n, &mut s),
                    OK
                );
            }
            parts.extend_from_slice(&m);
            sums.push(s);
        }
        let mut whole = [0.0f64; MOMENTS];
        let mut sum = 0.0f64;
        // SAFETY: `parts` holds 5 doubles per piece; `whole` five; `sums` one per piece.
        unsafe {
            assert_eq!(
                hotpath_numeric_combine_stats(parts.as_ptr(), 3, whole.as_mut_ptr()),
                OK
            );
            assert_eq!(hotpath_numeric_combine_sums(sums.as_ptr(), 3, &mut sum), OK);
        }
        assert_eq!(whole, encode(&Moments::of(&values)));
        assert_eq!(sum.to_bits(), numeric::sum_f64(&values).to_bits());
    }
}
