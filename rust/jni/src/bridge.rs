//! The one wrapper every entry point goes through (errors become exceptions, panics too), and
//! the bridge's argument checks, all in this one place with the wording of the Kotlin side's
//! `internal/Checks.kt`.

use std::any::Any;
use std::panic::{catch_unwind, AssertUnwindSafe};

use jni::sys::{jboolean, jdouble, jint, jlong, jobject, jobjectArray, JNIEnv};

use crate::env::Env;
use crate::error::BridgeError;

/// The value a native method returns when it has thrown: the JVM ignores it, but the C ABI
/// still needs one.
pub trait Fallback {
    /// The placeholder.
    fn fallback() -> Self;
}

macro_rules! zero_fallback {
    ($($t:ty),*) => { $(impl Fallback for $t { fn fallback() -> Self { Default::default() } })* };
}
zero_fallback!(jlong, jint, jdouble, jboolean, ());

impl Fallback for jobject {
    fn fallback() -> Self {
        std::ptr::null_mut()
    }
}

/// Runs `inner` for the native method `function`, turning `Err` and panics into a pending Java
/// exception. Guards in `inner` (pinned arrays) are dropped while unwinding, so no array stays
/// pinned after a panic.
pub fn call<R: Fallback>(
    raw: *mut JNIEnv,
    function: &'static str,
    inner: impl FnOnce(&Env) -> Result<R, BridgeError>,
) -> R {
    // SAFETY: every caller passes the JNIEnv* the JVM gave its native method.
    let env = unsafe { Env::from_raw(raw) };
    match catch_unwind(AssertUnwindSafe(|| inner(&env))) {
        Ok(Ok(value)) => value,
        Ok(Err(error)) => {
            error.throw(&env, function);
            R::fallback()
        }
        Err(payload) => {
            BridgeError::Panic(panic_message(payload.as_ref())).throw(&env, function);
            R::fallback()
        }
    }
}

/// The text of a caught panic's payload (the FFM bridge reports it too, `ffm.rs`).
pub fn panic_message(payload: &(dyn Any + Send)) -> String {
    if let Some(s) = payload.downcast_ref::<&str>() {
        (*s).to_string()
    } else if let Some(s) = payload.downcast_ref::<String>() {
        s.clone()
    } else {
        "panic with a non-string payload".to_string()
    }
}

/// Rejects a null reference argument.
pub fn non_null(obj: jobject, name: &'static str) -> Result<jobject, BridgeError> {
    if obj.is_null() {
        Err(BridgeError::Null(name))
    } else {
        Ok(obj)
    }
}

/// `array[index]` of an object array, rejecting a null element by the array's name and the
/// index; the caller deletes the returned local reference and has checked `index` against the
/// array's length.
pub fn non_null_element(
    env: &Env,
    array: jobjectArray,
    index: usize,
    name: &'static str,
) -> Result<jobject, BridgeError> {
    let element = env.object_array_element(array, index)?;
    if element.is_null() {
        Err(BridgeError::NullElement(name, index))
    } else {
        Ok(element)
    }
}

/// An empty vector with room for `n` elements, or [`BridgeError::OutOfMemory`] naming `what`:
/// the allocations whose size comes from the input must fail as exceptions, since a failed
/// ordinary allocation aborts the process.
pub fn try_with_capacity<T>(n: usize, what: &str) -> Result<Vec<T>, BridgeError> {
    let mut v = Vec::new();
    v.try_reserve_exact(n).map_err(|_| {
        BridgeError::OutOfMemory(format!("{what} ({n} x {} bytes)", std::mem::size_of::<T>()))
    })?;
    Ok(v)
}

/// Checks that an array argument of fixed length (a key, a signature, an output) has it; the
/// message names the argument, its length and the one expected, in `unit`s.
pub fn exact_length(
    what: &str,
    len: usize,
    expected: usize,
    unit: &str,
) -> Result<(), BridgeError> {
    if len == expected {
        Ok(())
    } else {
        Err(BridgeError::IllegalArgument(format!(
            "{what} has {len} {unit}, expected {expected}"
        )))
    }
}

/// Checks `from..to` against an array of `len` elements, the way `Arrays` does. Always
/// inlined, like [`claimed_range`]: out of line (`#[inline]` alone did not do it), returning
/// the large `Result` through memory cost `Numeric.sum(new long[0])` about 5 ns of its 15.
#[inline(always)]
pub fn range(from: jint, to: jint, len: usize) -> Result<(usize, usize), BridgeError> {
    let from_u = usize::try_from(from)
        .map_err(|_| BridgeError::OutOfBounds(format!("fromIndex {from} < 0")))?;
    let to_u =
        usize::try_from(to).map_err(|_| BridgeError::OutOfBounds(format!("toIndex {to} < 0")))?;
    if to_u > len {
        return Err(BridgeError::OutOfBounds(format!(
            "toIndex {to} > array length {len}"
        )));
    }
    if from_u > to_u {
        return Err(BridgeError::OutOfBounds(format!(
            "fromIndex {from} > toIndex {to}"
        )));
    }
    Ok((from_u, to_u))
}

/// Checks `offset..offset + length` against an array of `len` elements, as [`range`] does, after
/// refusing an `offset + length` that overflows `jint`.
pub fn offset_range(offset: jint, length: jint, len: usize) -> Result<(usize, usize), BridgeError> {
    let end = offset.checked_add(length).ok_or_else(|| {
        BridgeError::OutOfBounds(format!("offset {offset} + length {length} overflows"))
    })?;
    range(offset, end, len)
}

/// Checks `from..to` against `length`, the array's length as the Kotlin side read it, and
/// returns the range and the length. An empty range reads no element, so it is answered
/// without calling back into the VM (`GetArrayLength` is a native-to-VM transition, about as
/// dear as the whole call); a non-empty range is about to be pinned, and then the array's own
/// length must equal `length`, so a wrong `length` is an exception, never an access out of the
/// array.
#[inline(always)]
pub fn claimed_range(
    env: &Env,
    array: jobject,
    (from, to): (jint, jint),
    length: jint,
) -> Result<((usize, usize), usize), BridgeError> {
    let claimed = usize::try_from(length)
        .map_err(|_| BridgeError::IllegalArgument(format!("length {length} < 0")))?;
    let r = range(from, to, claimed)?;
    if r.0 == r.1 {
        return Ok((r, claimed));
    }
    let len = env.array_length(array)?;
    if len == claimed {
        Ok((r, len))
    } else {
        Err(BridgeError::IllegalArgument(format!(
            "length {length} is not the array's length {len}"
        )))
    }
}
