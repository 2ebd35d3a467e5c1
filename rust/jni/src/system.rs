//! Entry points about the library itself: version, thread pool, and the test-only panic.

use std::sync::Once;

use jni::sys::{jclass, jint, jlong, jlongArray, jstring, JNIEnv};

use crate::bridge::{call, non_null};
use crate::error::BridgeError;
use crate::pin::map_segments;

/// The version the Maven build compiled in (`HOTPATH_VERSION`), else the crate's own. The
/// Kotlin loader refuses a library whose version differs from the jar's.
pub const VERSION: &str = match option_env!("HOTPATH_VERSION") {
    Some(v) => v,
    None => env!("CARGO_PKG_VERSION"),
};

/// `NativeBridge.version(): String`
#[no_mangle]
pub extern "system" fn Java_dev_hotpath_internal_NativeBridge_version(
    env: *mut JNIEnv,
    _class: jclass,
) -> jstring {
    // black_box keeps the version as one string in the binary rather than immediates folded
    // into code, so it can be read (and, in the loader's mismatch test, patched) in the file.
    call(env, "version", |env| {
        env.new_string(std::hint::black_box(VERSION))
    })
}

/// `NativeBridge.configure(threads: Int): Int`: sets the pool size used when the pool is first
/// built (0 means one thread per available processor) and returns the size it has or will have.
#[no_mangle]
pub extern "system" fn Java_dev_hotpath_internal_NativeBridge_configure(
    env: *mut JNIEnv,
    _class: jclass,
    threads: jint,
) -> jint {
    call(env, "configure", |_| {
        let threads = usize::try_from(threads)
            .map_err(|_| BridgeError::IllegalArgument(format!("threads {threads} < 0")))?;
        install_panic_hook();
        hotpath_core::pool::configure(threads);
        Ok(jint::try_from(hotpath_core::pool::threads()).unwrap_or(jint::MAX))
    })
}

/// `NativeBridge.noop()`: does nothing, through the same wrapper as every kernel; the evidence
/// suite measures the cost of crossing with it.
#[no_mangle]
pub extern "system" fn Java_dev_hotpath_internal_NativeBridge_noop(
    env: *mut JNIEnv,
    _class: jclass,
) {
    call(env, "noop", |_| Ok(()))
}

/// `NativeBridge.rawNoop()`: an empty native method with no wrapper at all, the floor any JNI
/// call pays; the evidence suite compares `noop` and the kernels' call paths with it.
#[no_mangle]
pub extern "system" fn Java_dev_hotpath_internal_NativeBridge_rawNoop(
    _env: *mut JNIEnv,
    _class: jclass,
) {
}

/// `NativeBridge.rawNoopArray(values, fromIndex, toIndex, length): Long`: an empty native
/// method with the signature of `sumLongArray`, no wrapper; the evidence suite tells with it
/// what the JVM charges for passing an array and three ints and returning a long from what
/// hotpath's own code costs.
#[no_mangle]
pub extern "system" fn Java_dev_hotpath_internal_NativeBridge_rawNoopArray(
    _env: *mut JNIEnv,
    _class: jclass,
    _values: jlongArray,
    _from: jint,
    _to: jint,
    _length: jint,
) -> jlong {
    0
}

/// `NativeBridge.pinAndRelease(values: LongArray): Long`: pins the whole array once, through
/// the same helper as the kernels, touches nothing, releases it and returns the pinned length.
/// The evidence suite subtracts `noop` from it to get the cost of pinning alone.
#[no_mangle]
pub extern "system" fn Java_dev_hotpath_internal_NativeBridge_pinAndRelease(
    env: *mut JNIEnv,
    _class: jclass,
    values: jlongArray,
) -> jlong {
    call(env, "pinAndRelease", |env| {
        let values = non_null(values, "values")?;
        let len = env.array_length(values)?;
        let pinned = map_segments(env, values, len, (0, len), len, |s: &[i64]| s.len())?;
        Ok(jlong::try_from(pinned.into_iter().sum::<usize>()).unwrap_or(jlong::MAX))
    })
}

/// `NativeBridge.panicForTest(inWorker: Boolean)`: panics on purpose, on the calling thread or
/// inside a pool worker, so tests can prove a panic becomes a Java exception, not an abort.
#[no_mangle]
pub extern "system" fn Java_dev_hotpath_internal_NativeBridge_panicForTest(
    env: *mut JNIEnv,
    _class: jclass,
    in_worker: jni::sys::jboolean,
) {
    call(env, "panicForTest", |_| {
        if in_worker != 0 {
            hotpath_core::pool::run(|| rayon::join(|| (), deliberate_panic));
        } else {
            deliberate_panic();
        }
        Ok(())
    })
}

/// Replaces Rust's default panic report (several lines and a backtrace on the JVM's stderr)
/// with one line: the panic still reaches the caller as a `NativeKernelException`, so the
/// report is only a pointer to where it happened.
fn install_panic_hook() {
    static HOOK: Once = Once::new();
    HOOK.call_once(|| {
        std::panic::set_hook(Box::new(|info| {
            let location = info
                .location()
                .map(|l| format!("{}:{}", l.file(), l.line()))
                .unwrap_or_default();
            eprintln!("hotpath: native panic at {location}; rethrown as NativeKernelException");
        }));
    });
}

#[allow(clippy::panic)]
fn deliberate_panic() {
    panic!("deliberate panic for testing the bridge");
}
