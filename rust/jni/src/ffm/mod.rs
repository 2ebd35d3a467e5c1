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
//! long inputs into pieces of [`SEGMENT`] elements (hashes: of the JNI side's piece sizes), as
//! the JNI bridge pins them, and combines the pieces' results with the `combine` entry points
//! of [`numeric`] (hashes: through a hasher handle), exactly as the JNI side does, so a result
//! never depends on the bridge. One submodule per family, named as the JNI side's: [`numeric`],
//! [`crypto`] (BLAKE3, SHA-256), [`ed25519`]. The argument names in messages and the function
//! names in panic messages are the JNI side's, so both bridges raise the same exceptions with
//! the same messages.
//!
//! Every pointer argument is trusted only as far as the Java side's contract goes (it points
//! to as many elements as the length beside it says, for the duration of the call); nulls,
//! negative lengths, misaligned pointers and ranges outside the length are still refused here.

use std::cell::{Cell, RefCell};
use std::panic::{catch_unwind, AssertUnwindSafe};

use hotpath_core::numeric::ByteOrder;
#[cfg(doc)]
use hotpath_core::numeric::SEGMENT;

use crate::bridge::panic_message;
use crate::codes::ExceptionKind;
use crate::error::BridgeError;

mod crypto;
mod ed25519;
mod numeric;

thread_local! {
    /// The message of the calling thread's last failed call.
    static LAST_ERROR: RefCell<String> = const { RefCell::new(String::new()) };
    /// The status of the calling thread's last failed value-returning call, until taken.
    static PENDING: Cell<i32> = const { Cell::new(OK) };
}

/// The status of a call that succeeded.
pub const OK: i32 = 0;

/// What a value-returning entry point returns for `long` on failure (the Java side then takes
/// the status with [`hotpath_ffm_take_status`]; a real result equal to it takes status 0).
pub const FAILED_LONG: i64 = i64::MIN;

/// As [`FAILED_LONG`], for `double`: a quiet NaN with a payload no IEEE operation on
/// ordinary inputs produces, compared by its bits on the Java side.
pub const FAILED_DOUBLE: f64 = f64::from_bits(0x7ff8_0000_dead_f00d);

/// Declares one C entry point of the FFM bridge, so that every one has the same shape: an
/// exported `unsafe extern "C"` function whose body returns `Result` and runs inside [`run`]
/// (errors and panics become a status and the thread's message, named for the JNI twin `for`
/// names), or for `value` entry points inside [`run_value`], which returns the result itself
/// (no out-pointer, so no result segment to make per call) and the sentinel on failure. The
/// body keeps its own `// SAFETY:` blocks: the macro adds no `unsafe` of its own.
macro_rules! ffm_fn {
    (
        $(#[$meta:meta])*
        status fn $name:ident($($arg:ident: $t:ty),* $(,)?) for $jni:literal $body:block
    ) => {
        $(#[$meta])*
        #[no_mangle]
        pub unsafe extern "C" fn $name($($arg: $t),*) -> i32 {
            $crate::ffm::run($jni, || $body)
        }
    };
    (
        $(#[$meta:meta])*
        value fn $name:ident($($arg:ident: $t:ty),* $(,)?) -> $ret:ty, or $sentinel:expr, for $jni:literal $body:block
    ) => {
        $(#[$meta])*
        #[no_mangle]
        pub unsafe extern "C" fn $name($($arg: $t),*) -> $ret {
            $crate::ffm::run_value($jni, $sentinel, || $body)
        }
    };
}
pub(crate) use ffm_fn;

/// Runs `inner` for the entry point `function` (named as its JNI twin), turning `Err` and
/// panics into a status and the thread's last message.
pub(crate) fn run(function: &'static str, inner: impl FnOnce() -> Result<(), BridgeError>) -> i32 {
    match catch_unwind(AssertUnwindSafe(inner)) {
        Ok(Ok(())) => OK,
        Ok(Err(e)) => fail(function, e),
        Err(payload) => fail(
            function,
            BridgeError::Panic(panic_message(payload.as_ref())),
        ),
    }
}

/// The status for `error`, with its message left as the thread's last for
/// [`hotpath_ffm_error_message`].
fn fail(function: &'static str, error: BridgeError) -> i32 {
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

/// As [`run`], for an entry point that returns its result: `sentinel` on failure, with the
/// status left for [`hotpath_ffm_take_status`].
pub(crate) fn run_value<T>(
    function: &'static str,
    sentinel: T,
    inner: impl FnOnce() -> Result<T, BridgeError>,
) -> T {
    let status = match catch_unwind(AssertUnwindSafe(inner)) {
        Ok(Ok(value)) => return value,
        Ok(Err(e)) => fail(function, e),
        Err(payload) => fail(
            function,
            BridgeError::Panic(panic_message(payload.as_ref())),
        ),
    };
    let _ = PENDING.try_with(|pending| pending.set(status));
    sentinel
}

/// `len` elements at `ptr`, or the error naming `name`.
///
/// # Safety
/// When `len > 0` and `ptr` is non-null, `ptr` must be valid for reads of `len` elements of
/// `T` for the lifetime `'a` (the call), and nothing may write them meanwhile except through
/// this slice's owner.
pub(crate) unsafe fn elements<'a, T>(
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
pub(crate) unsafe fn elements_mut<'a, T>(
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

pub(crate) fn checked_len<T>(
    ptr: *const T,
    len: i32,
    name: &'static str,
) -> Result<usize, BridgeError> {
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
pub(crate) unsafe fn write_out<T>(out: *mut T, value: T) -> Result<(), BridgeError> {
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

pub(crate) fn order(big_endian: i32) -> ByteOrder {
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

/// The status of the calling thread's last failed value-returning call, and clears it: 0 when
/// the sentinel the Java side saw was a real result. A thread being torn down has no status
/// left to read, and gets the illegal-state status rather than a false success.
#[no_mangle]
pub extern "C" fn hotpath_ffm_take_status() -> i32 {
    PENDING
        .try_with(|pending| pending.replace(OK))
        .unwrap_or(ExceptionKind::IllegalState.status())
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
