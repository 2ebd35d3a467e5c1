//! Pinning Java primitive arrays with `GetPrimitiveArrayCritical`: no copy on HotSpot, and the
//! collector is held off while pinned, so long inputs are visited one segment per pin.

use std::marker::PhantomData;

use jni::sys::{jarray, jint, JNI_ABORT};

use crate::env::Env;
use crate::error::BridgeError;

/// Element types of Java primitive arrays that the bridge pins.
pub trait Primitive: Copy + Send + Sync {}
impl Primitive for i64 {}
impl Primitive for f64 {}
impl Primitive for u8 {}
// Vectors family.
impl Primitive for f32 {}

/// A pinned array, released when dropped, also while unwinding from a panic.
///
/// Between pinning and release the thread must make no JNI call: the guard borrows the `Env`
/// only to release, and the closures that see the slice get no `Env` at all.
pub struct Pinned<'e, T: Primitive> {
    env: &'e Env,
    array: jarray,
    ptr: *mut T,
    len: usize,
    release_mode: jint,
    _elements: PhantomData<T>,
}

impl<'e, T: Primitive> Pinned<'e, T> {
    /// Pins `array`, whose length `len` the caller read with `GetArrayLength` beforehand
    /// (no JNI call may follow the pin). `writable` decides whether changes are committed
    /// on release (mode 0) or discarded if the JVM handed out a copy (`JNI_ABORT`).
    fn pin(env: &'e Env, array: jarray, len: usize, writable: bool) -> Result<Self, BridgeError> {
        let ptr = env.get_critical(array)?.cast::<T>();
        Ok(Pinned {
            env,
            array,
            ptr,
            len,
            release_mode: if writable { 0 } else { JNI_ABORT },
            _elements: PhantomData,
        })
    }

    fn slice(&self, from: usize, to: usize) -> &[T] {
        debug_assert!(from <= to && to <= self.len);
        // SAFETY: the JVM returned a non-null pointer to `len` elements of T, suitably aligned
        // for T, valid until release in `drop`; `from..to` lies within `len` (callers check).
        unsafe { std::slice::from_raw_parts(self.ptr.add(from), to - from) }
    }

    fn slice_mut(&mut self, from: usize, to: usize) -> &mut [T] {
        debug_assert!(from <= to && to <= self.len);
        // SAFETY: as in `slice`; `&mut self` makes this the only live view of the elements.
        unsafe { std::slice::from_raw_parts_mut(self.ptr.add(from), to - from) }
    }
}

impl<T: Primitive> Drop for Pinned<'_, T> {
    fn drop(&mut self) {
        self.env
            .release_critical(self.array, self.ptr.cast(), self.release_mode);
    }
}

/// Folds `f` over `array[from..to]`, `segment` elements at a time, each under its own pin.
/// An empty range pins nothing and returns `init`. No allocation: the common one-segment call
/// costs one pin and one release.
pub fn fold_segments<T: Primitive, A>(
    env: &Env,
    array: jarray,
    len: usize,
    (from, to): (usize, usize),
    segment: usize,
    init: A,
    mut f: impl FnMut(A, &[T]) -> A,
) -> Result<A, BridgeError> {
    let step = segment.max(1);
    let mut acc = init;
    let mut start = from;
    while start < to {
        let end = to.min(start.saturating_add(step));
        let pinned = Pinned::<T>::pin(env, array, len, false)?;
        acc = f(acc, pinned.slice(start, end));
        drop(pinned);
        start = end;
    }
    Ok(acc)
}

/// Calls `f` on each segment of `array[from..to]` and collects the results in order; for
/// kernels whose segment results combine through a tree (see docs/numeric.md).
pub fn map_segments<T: Primitive, R>(
    env: &Env,
    array: jarray,
    len: usize,
    range: (usize, usize),
    segment: usize,
    mut f: impl FnMut(&[T]) -> R,
) -> Result<Vec<R>, BridgeError> {
    let count = (range.1 - range.0).div_ceil(segment.max(1));
    fold_segments(
        env,
        array,
        len,
        range,
        segment,
        Vec::with_capacity(count),
        |mut out, s| {
            out.push(f(s));
            out
        },
    )
}

/// Calls `f` on `array[from..to]` for in-place updates, `segment` elements per pin.
pub fn update_segments<T: Primitive>(
    env: &Env,
    array: jarray,
    len: usize,
    (from, to): (usize, usize),
    segment: usize,
    mut f: impl FnMut(&mut [T]),
) -> Result<(), BridgeError> {
    let step = segment.max(1);
    let mut start = from;
    while start < to {
        let end = to.min(start.saturating_add(step));
        let mut pinned = Pinned::<T>::pin(env, array, len, true)?;
        f(pinned.slice_mut(start, end));
        drop(pinned);
        start = end;
    }
    Ok(())
}

/// Pins every array of `arrays` (each with the length the caller read beforehand, outside any
/// critical region), calls `f` with their contents in order, and releases them in reverse
/// order. Empty arrays are not pinned. The pins nest, as JNI allows for critical regions; the
/// caller bounds their total size so the collector is not held off for long.
pub fn with_pinned_bytes<R>(
    env: &Env,
    arrays: &[(jarray, usize)],
    f: impl FnOnce(&[&[u8]]) -> R,
) -> Result<R, BridgeError> {
    let mut group = PinnedGroup { pins: Vec::new() };
    group.pins.reserve_exact(arrays.len());
    for (array, len) in arrays {
        if *len > 0 {
            group
                .pins
                .push(Pinned::<u8>::pin(env, *array, *len, false)?);
        }
    }
    let mut pins = group.pins.iter();
    let slices: Vec<&[u8]> = arrays
        .iter()
        .map(|(_, len)| match len {
            0 => &[][..],
            len => pins.next().map_or(&[][..], |pinned| pinned.slice(0, *len)),
        })
        .collect();
    Ok(f(&slices))
}

/// Pins released last-in first-out when dropped, also while unwinding.
struct PinnedGroup<'e> {
    pins: Vec<Pinned<'e, u8>>,
}

impl Drop for PinnedGroup<'_> {
    fn drop(&mut self) {
        while let Some(pinned) = self.pins.pop() {
            drop(pinned);
        }
    }
}
