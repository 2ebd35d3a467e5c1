//! Numeric's C entry points (the FFM bridge's twins of `crate::numeric`'s native methods).
//!
//! The sums return their result (`value` entry points, [`FAILED_LONG`] / [`FAILED_DOUBLE`] on
//! failure): measured on JDK 25, an out-pointer into a fresh heap array cost more than the
//! call itself. They take the piece to sum, not the whole array and a range: the Java side
//! slices the array's segment (which checks the range against the array) after the public
//! API checked it.

use hotpath_core::numeric::{self, ExactSum, Moments};

use super::{elements, elements_mut, ffm_fn, order, write_out, FAILED_DOUBLE, FAILED_LONG};
use crate::error::BridgeError;

ffm_fn! {
    /// The wrapping sum of `values[..count]`.
    ///
    /// # Safety
    /// `values` valid for reads of `count` longs for the call.
    value fn hotpath_numeric_sum_long_array(values: *const i64, count: i32) -> i64, or FAILED_LONG, for "sumLongArray" {
        // SAFETY: the caller's contract.
        let piece = unsafe { elements(values, count, "values") }?;
        Ok(numeric::sum_i64(piece))
    }
}

ffm_fn! {
    /// The block-pairwise sum of `values[..count]`; the Java side combines pieces of `SEGMENT`
    /// elements with [`hotpath_numeric_combine_sums`].
    ///
    /// # Safety
    /// `values` valid for reads of `count` doubles for the call.
    value fn hotpath_numeric_sum_double_array(values: *const f64, count: i32) -> f64, or FAILED_DOUBLE, for "sumDoubleArray" {
        // SAFETY: the caller's contract.
        let piece = unsafe { elements(values, count, "values") }?;
        Ok(numeric::sum_f64(piece))
    }
}

ffm_fn! {
    /// The segment-level combination of `count` partial sums (`combine_sums`).
    ///
    /// # Safety
    /// `partials` valid for reads of `count` doubles.
    value fn hotpath_numeric_combine_sums(partials: *const f64, count: i32) -> f64, or FAILED_DOUBLE, for "sumDoubleArray" {
        // SAFETY: the caller's contract.
        let partials = unsafe { elements(partials, count, "partials") }?;
        Ok(numeric::combine_sums(partials))
    }
}

ffm_fn! {
    /// A new exact accumulator into `*out`, to be given to [`hotpath_numeric_exact_sum_add`] for
    /// each piece and freed with [`hotpath_numeric_exact_sum_free`], exactly once.
    ///
    /// # Safety
    /// `out` valid for one write.
    status fn hotpath_numeric_exact_sum_new(out: *mut *mut ExactSum) for "sumExactDoubleArray" {
        let acc = Box::into_raw(Box::new(ExactSum::new()));
        // SAFETY: the caller's contract.
        let written = unsafe { write_out(out, acc) };
        if written.is_err() {
            // SAFETY: `acc` came from Box::into_raw just above and was handed to no one.
            drop(unsafe { Box::from_raw(acc) });
        }
        written
    }
}

ffm_fn! {
    /// Adds `values[..length]` to the accumulator `acc`.
    ///
    /// # Safety
    /// `acc` from [`hotpath_numeric_exact_sum_new`], not yet freed, used by one thread at a time;
    /// `values` valid for reads of `length` doubles.
    status fn hotpath_numeric_exact_sum_add(acc: *mut ExactSum, values: *const f64, length: i32) for "sumExactDoubleArray" {
        // SAFETY: the caller's contract: a live accumulator, this call its only user.
        let acc = unsafe { acc.as_mut() }.ok_or(BridgeError::Null("accumulator"))?;
        // SAFETY: the caller's contract.
        let values = unsafe { elements(values, length, "values") }?;
        acc.add_slice(values);
        Ok(())
    }
}

ffm_fn! {
    /// The accumulator's exact sum, rounded once, into `*out`.
    ///
    /// # Safety
    /// As [`hotpath_numeric_exact_sum_add`] for `acc`; `out` valid for one write.
    status fn hotpath_numeric_exact_sum_value(acc: *const ExactSum, out: *mut f64) for "sumExactDoubleArray" {
        // SAFETY: the caller's contract: a live accumulator.
        let acc = unsafe { acc.as_ref() }.ok_or(BridgeError::Null("accumulator"))?;
        // SAFETY: the caller's contract.
        unsafe { write_out(out, acc.value()) }
    }
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

ffm_fn! {
    /// The moments of `values[..length]` into `out[..5]` (count's bits, sum, m2, min, max); the
    /// Java side combines pieces with [`hotpath_numeric_combine_stats`].
    ///
    /// # Safety
    /// `values` valid for reads of `length` doubles, `out` for writes of 5 doubles.
    status fn hotpath_numeric_stats_double_array(values: *const f64, length: i32, out: *mut f64) for "statsDoubleArray" {
        // SAFETY: the caller's contract.
        let values = unsafe { elements(values, length, "values") }?;
        let m = encode(&Moments::of(values));
        // SAFETY: the caller's contract.
        let out = unsafe { elements_mut(out, MOMENTS as i32, "out") }?;
        out.copy_from_slice(&m);
        Ok(())
    }
}

ffm_fn! {
    /// Combines `count` encoded moments (`parts[..5 * count]`) into `out[..5]`, as `Moments::combine`.
    ///
    /// # Safety
    /// `parts` valid for reads of `5 * count` doubles, `out` for writes of 5 doubles.
    status fn hotpath_numeric_combine_stats(parts: *const f64, count: i32, out: *mut f64) for "statsDoubleArray" {
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
    }
}

ffm_fn! {
    /// Multiplies `values[..length]` by `factor` in place, wrapping.
    ///
    /// # Safety
    /// `values` valid for reads and writes of `length` longs, by this call alone.
    status fn hotpath_numeric_scale_long_array(values: *mut i64, length: i32, factor: i64) for "scaleLongArray" {
        // SAFETY: the caller's contract.
        let values = unsafe { elements_mut(values, length, "values") }?;
        numeric::scale_i64(values, factor);
        Ok(())
    }
}

ffm_fn! {
    /// Multiplies `values[..length]` by `factor` in place (IEEE).
    ///
    /// # Safety
    /// As [`hotpath_numeric_scale_long_array`], with doubles.
    status fn hotpath_numeric_scale_double_array(values: *mut f64, length: i32, factor: f64) for "scaleDoubleArray" {
        // SAFETY: the caller's contract.
        let values = unsafe { elements_mut(values, length, "values") }?;
        numeric::scale_f64(values, factor);
        Ok(())
    }
}

ffm_fn! {
    /// The wrapping sum of `bytes[..length]` read as 8-byte longs: a heap buffer's backing array
    /// (in pieces) or a direct buffer's memory (whole).
    ///
    /// # Safety
    /// `bytes` valid for reads of `length` bytes.
    value fn hotpath_numeric_sum_longs_bytes(bytes: *const u8, length: i32, big_endian: i32) -> i64, or FAILED_LONG, for "sumLongsBytes" {
        // SAFETY: the caller's contract.
        let bytes = unsafe { elements(bytes, length, "array") }?;
        Ok(numeric::sum_i64_bytes(bytes, order(big_endian))?)
    }
}

ffm_fn! {
    /// The block-pairwise sum of `bytes[..length]` read as 8-byte doubles; pieces combine with
    /// [`hotpath_numeric_combine_sums`].
    ///
    /// # Safety
    /// As [`hotpath_numeric_sum_longs_bytes`].
    value fn hotpath_numeric_sum_doubles_bytes(bytes: *const u8, length: i32, big_endian: i32) -> f64, or FAILED_DOUBLE, for "sumDoublesBytes" {
        // SAFETY: the caller's contract.
        let bytes = unsafe { elements(bytes, length, "array") }?;
        Ok(numeric::sum_f64_bytes(bytes, order(big_endian))?)
    }
}

#[cfg(test)]
mod tests {
    use super::super::{
        hotpath_ffm_error_message, hotpath_ffm_panic_for_test, hotpath_ffm_take_status, OK,
    };
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
    fn a_sum_of_a_piece_matches_the_kernel() {
        let values: Vec<i64> = (1..=100).collect();
        // SAFETY: `values[10..]` holds 90 longs, of which 10 are read.
        let sum = unsafe { hotpath_numeric_sum_long_array(values[10..].as_ptr(), 10) };
        assert_eq!(sum, (11..=20).sum::<i64>());
        assert_eq!(hotpath_ffm_take_status(), OK);
    }

    #[test]
    fn a_real_result_equal_to_the_sentinel_takes_status_zero() {
        let values = [i64::MIN, 0];
        // SAFETY: `values` holds 2 longs.
        let sum = unsafe { hotpath_numeric_sum_long_array(values.as_ptr(), 2) };
        assert_eq!(sum, FAILED_LONG);
        assert_eq!(hotpath_ffm_take_status(), OK);
    }

    #[test]
    fn a_failed_value_call_leaves_its_status_once() {
        // SAFETY: a null pointer is refused before any read.
        let sum = unsafe { hotpath_numeric_sum_double_array(std::ptr::null(), 3) };
        assert_eq!(sum.to_bits(), FAILED_DOUBLE.to_bits());
        assert_eq!(
            hotpath_ffm_take_status(),
            ExceptionKind::NullPointer.status()
        );
        assert_eq!(last_message(), "values is null");
        assert_eq!(hotpath_ffm_take_status(), OK);
    }

    #[test]
    fn a_negative_count_is_an_illegal_argument() {
        let values = [1i64];
        // SAFETY: a negative count is refused before any read.
        let sum = unsafe { hotpath_numeric_sum_long_array(values.as_ptr(), -1) };
        assert_eq!(sum, FAILED_LONG);
        assert_eq!(
            hotpath_ffm_take_status(),
            ExceptionKind::IllegalArgument.status()
        );
        assert_eq!(last_message(), "length -1 < 0");
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
        let mut parts = Vec::new();
        let mut sums = Vec::new();
        for chunk in values.chunks(SEGMENT) {
            let mut m = [0.0f64; MOMENTS];
            let n = i32::try_from(chunk.len()).unwrap_or(0);
            // SAFETY: `chunk` holds `n` doubles; `m` five.
            unsafe {
                assert_eq!(
                    hotpath_numeric_stats_double_array(chunk.as_ptr(), n, m.as_mut_ptr()),
                    OK
                );
                sums.push(hotpath_numeric_sum_double_array(chunk.as_ptr(), n));
            }
            parts.extend_from_slice(&m);
        }
        let mut whole = [0.0f64; MOMENTS];
        // SAFETY: `parts` holds 5 doubles per piece; `whole` five; `sums` one per piece.
        let sum = unsafe {
            assert_eq!(
                hotpath_numeric_combine_stats(parts.as_ptr(), 3, whole.as_mut_ptr()),
                OK
            );
            hotpath_numeric_combine_sums(sums.as_ptr(), 3)
        };
        assert_eq!(whole, encode(&Moments::of(&values)));
        assert_eq!(sum.to_bits(), numeric::sum_f64(&values).to_bits());
    }
}
