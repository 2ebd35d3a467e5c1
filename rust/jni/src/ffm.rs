//! The C ABI of the FFM bridge (`java.lang.foreign`, JDK 22 and newer), beside the JNI entry
//! points in the same library.
//!
//! Each `hotpath_<family>_<kernel>` function is a thin shim over the same `hotpath-core`
//! function as its JNI twin, with the same checks and the same error and panic rules: it
//! returns a status, 0 on success, else [`ExceptionKind::status`] of the exception the JNI
//! bridge would throw; results go through out-pointers. The message stays in a thread-local
//! owned by this library until the calling thread's next failing call, and the Java side copies
//! it at once with [`hotpath_ffm_error_message`] (a downcall runs on the calling thread, and
//! nothing else of hotpath's runs on that thread in between). A panic is caught in [`run`]
//! and never unwinds into the JVM.
//!
//! The Java side (`dev.hotpath.internal.ffm.FfmDowncalls`) passes heap arrays as heap segments
//! with `Linker.Option.critical(true)`, so the collector is held off for the whole call: it cuts
//! long inputs into pieces of [`SEGMENT`] elements, as the JNI bridge pins them, and combines
//! the pieces' results with the `combine` entry points below, exactly as the JNI side does,
//! so a result never depends on the bridge. The argument names in messages and the function
//! names in panic messages are the JNI side's, so both bridges raise the same exceptions with
//! the same messages.
//!
//! Every pointer argument is trusted only as far as the Java side's contract goes (it points
//! to as many elements as the length beside it says, for the duration of the call); nulls,
//! negative lengths, misaligned pointers and ranges outside the length are still refused here.

use std::cell::RefCell;
use std::panic::{catch_unwind, AssertUnwindSafe};

#[cfg(doc)]
use hotpath_core::numeric::SEGMENT;
use hotpath_core::numeric::{self, ByteOrder, ExactSum, Moments};

use crate::bridge::{panic_message, range};
use crate::codes::ExceptionKind;
use crate::error::BridgeError;

thread_local! {
    /// The message of the calling thread's last failed call.
    static LAST_ERROR: RefCell<String> = const { RefCell::new(String::new()) };
}

/// The status of a call that succeeded.
pub const OK: i32 = 0;

/// Runs `inner` for the entry point `function` (named as its JNI twin), turning `Err` and
/// panics into a status and the thread's last message.
fn run(function: &'static str, inner: impl FnOnce() -> Result<(), BridgeError>) -> i32 {
    let error = match catch_unwind(AssertUnwindSafe(inner)) {
        Ok(Ok(())) => return OK,
        Ok(Err(e)) => e,
        Err(payload) => BridgeError::Panic(panic_message(payload.as_ref())),
    };
    let (kind, message) = error.into_exception(function).unwrap_or_else(|| {
        (
            ExceptionKind::IllegalState,
            format!("{function}: failed without a message"),
        )
    });
    // A thread being torn down has no thread-locals left; the status alone still says what
    // kind of failure it was, and the Java side reports an empty message as such.
    let _ = LAST_ERROR.try_with(|last| {
        if let Ok(mut last) = last.try_borrow_mut() {
            *last = message;
        }
    });
    kind.status()
}

/// `len` elements at `ptr`, or the error naming `name`.
///
/// # Safety
/// When `len > 0` and `ptr` is non-null, `ptr` must be valid for reads of `len` elements of
/// `T` for the lifetime `'a` (the call), and nothing may write them meanwhile except through
/// this slice's owner.
unsafe fn elements<'a, T>(
    ptr: *const T,
    len: i32,
    name: &'static str,
) -> Result<&'a [T], BridgeError> {
    let n = checked_len(ptr, len, name)?;
    if n == 0 {
        return Ok(&[]);
    }
    // SAFETY: non-null and aligned (checked_len), valid for `n` elements (the caller's contract).
    Ok(unsafe { std::slice::from_raw_parts(ptr, n) })
}

/// As [`elements`], for kernels that write in place.
///
/// # Safety
/// As [`elements`], and valid for writes; no other view of the elements is live.
unsafe fn elements_mut<'a, T>(
    ptr: *mut T,
    len: i32,
    name: &'static str,
) -> Result<&'a mut [T], BridgeError> {
    let n = checked_len(ptr.cast_const(), len, name)?;
    if n == 0 {
        return Ok(&mut []);
    }
    // SAFETY: as in `elements`, and the caller gives this call the only view of the elements.
    Ok(unsafe { std::slice::from_raw_parts_mut(ptr, n) })
}

fn checked_len<T>(ptr: *const T, len: i32, name: &'static str) -> Result<usize, BridgeError> {
    let n = usize::try_from(len)
        .map_err(|_| BridgeError::IllegalArgument(format!("length {len} < 0")))?;
    if n == 0 {
        return Ok(0);
    }
    if ptr.is_null() {
        return Err(BridgeError::Null(name));
    }
    if !ptr.is_aligned() {
        return Err(BridgeError::IllegalArgument(format!(
            "{name} is not aligned to its {}-byte elements",
            std::mem::size_of::<T>()
        )));
    }
    Ok(n)
}

/// Writes `value` to the out-pointer `out`.
///
/// # Safety
/// `out`, when non-null, must be valid for a write of one `T`.
unsafe fn write_out<T>(out: *mut T, value: T) -> Result<(), BridgeError> {
    if out.is_null() {
        return Err(BridgeError::Null("out"));
    }
    if !out.is_aligned() {
        return Err(BridgeError::IllegalArgument(
            "out is not aligned to its elements".to_string(),
        ));
    }
    // SAFETY: non-null and aligned (checked above), valid for one write (the caller's contract).
    unsafe { out.write(value) };
    Ok(())
}

/// `values[from..to]`, where `values` holds `length` elements.
///
/// # Safety
/// As [`elements`] for `values` and `length`.
unsafe fn range_of<'a, T>(
    values: *const T,
    length: i32,
    from: i32,
    to: i32,
) -> Result<&'a [T], BridgeError> {
    let claimed = usize::try_from(length)
        .map_err(|_| BridgeError::IllegalArgument(format!("length {length} < 0")))?;
    let (start, end) = range(from, to, claimed)?;
    // SAFETY: the caller's contract for `values` and `length`.
    let all = unsafe { elements(values, length, "values") }?;
    Ok(&all[start..end])
}

fn order(big_endian: i32) -> ByteOrder {
    if big_endian != 0 {
        ByteOrder::Big
    } else {
        ByteOrder::Little
    }
}

/// Copies the calling thread's last error message, UTF-8, into `buf[..cap]` (as much as fits)
/// and returns its whole length in bytes, so a caller whose buffer was too small can call again
/// with a larger one; the message stays until the thread's next failing call.
///
/// # Safety
/// `buf`, when non-null, must be valid for writes of `cap` bytes.
#[no_mangle]
pub unsafe extern "C" fn hotpath_ffm_error_message(buf: *mut u8, cap: i32) -> i32 {
    let copied = catch_unwind(AssertUnwindSafe(|| {
        LAST_ERROR
            .try_with(|last| {
                let last = last.try_borrow().ok()?;
                let bytes = last.as_bytes();
                let room = usize::try_from(cap).unwrap_or(0);
                let n = bytes.len().min(room);
                if n > 0 && !buf.is_null() {
                    // SAFETY: `buf` is valid for `cap >= n` bytes (the caller's contract), and
                    // a String's bytes cannot overlap memory the JVM handed us.
                    unsafe { std::ptr::copy_nonoverlapping(bytes.as_ptr(), buf, n) };
                }
                i32::try_from(bytes.len()).ok()
            })
            .ok()
            .flatten()
    }));
    copied.ok().flatten().unwrap_or(0)
}

/// Nothing, through the same wrapper as every kernel: the evidence suite's crossing cost.
#[no_mangle]
pub extern "C" fn hotpath_ffm_noop() -> i32 {
    run("noop", || Ok(()))
}

/// Nothing, with no wrapper at all: the floor any FFM call pays.
#[no_mangle]
pub extern "C" fn hotpath_ffm_raw_noop() {}

/// Panics on purpose, on the calling thread or in a pool worker, so tests can prove on the
/// shipped binary that a panic through the FFM bridge becomes the same exception as through JNI.
#[no_mangle]
pub extern "C" fn hotpath_ffm_panic_for_test(in_worker: i32) -> i32 {
    run("panicForTest", || {
        crate::system::panic_for_test(in_worker != 0);
        Ok(())
    })
}

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
    use super::*;
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
