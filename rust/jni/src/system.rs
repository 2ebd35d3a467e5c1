//! Entry points about the library itself: version, thread pool, the declarations and code
//! tables for the tests that pin them to the Kotlin side, and the evidence suite's and tests'
//! probes of the crossing itself.

use std::sync::Once;

use jni::sys::{jboolean, jint, jlong, jlongArray, jstring};

use crate::bridge::non_null;
use crate::env::Env;
use crate::error::BridgeError;
use crate::pin::map_segments;
use crate::{codes, registry};

/// The version the Maven build compiled in (`HOTPATH_VERSION`), else the crate's own. The
/// Kotlin loader refuses a library whose version differs from the jar's.
pub const VERSION: &str = match option_env!("HOTPATH_VERSION") {
    Some(v) => v,
    None => env!("CARGO_PKG_VERSION"),
};

pub(crate) fn inner_version(env: &Env) -> Result<jstring, BridgeError> {
    // black_box keeps the version as one string in the binary rather than immediates folded
    // into code, so it can be read (and, in the loader's mismatch test, patched) in the file.
    env.new_string(std::hint::black_box(VERSION))
}

pub(crate) fn inner_configure(_env: &Env, threads: jint) -> Result<jint, BridgeError> {
    let threads = usize::try_from(threads)
        .map_err(|_| BridgeError::IllegalArgument(format!("threads {threads} < 0")))?;
    install_panic_hook();
    hotpath_core::pool::configure(threads);
    Ok(jint::try_from(hotpath_core::pool::threads()).unwrap_or(jint::MAX))
}

pub(crate) fn inner_declarations(env: &Env) -> Result<jstring, BridgeError> {
    env.new_string(registry::DECLARATIONS)
}

pub(crate) fn inner_code_tables(env: &Env) -> Result<jstring, BridgeError> {
    env.new_string(&codes::tables())
}

pub(crate) fn inner_noop(_env: &Env) -> Result<(), BridgeError> {
    Ok(())
}

pub(crate) fn raw_noop() {}

pub(crate) fn raw_noop_array(_values: jlongArray, _from: jint, _to: jint, _length: jint) -> jlong {
    0
}

/// Pins the whole array once, through the same helper as the kernels, touches nothing and
/// releases it; the evidence suite subtracts `noop` from it to get the cost of pinning alone.
pub(crate) fn inner_pin_and_release(env: &Env, values: jlongArray) -> Result<jlong, BridgeError> {
    let values = non_null(values, "values")?;
    let len = env.array_length(values)?;
    let pinned = map_segments(env, values, len, (0, len), len, |s: &[i64]| s.len())?;
    Ok(jlong::try_from(pinned.into_iter().sum::<usize>()).unwrap_or(jlong::MAX))
}

/// Panics on purpose, on the calling thread or inside a pool worker, so tests can prove on the
/// shipped binary that a panic becomes a Java exception, not an abort.
pub(crate) fn inner_panic_for_test(_env: &Env, in_worker: jboolean) -> Result<(), BridgeError> {
    panic_for_test(in_worker != 0);
    Ok(())
}

/// The panic of [`inner_panic_for_test`], shared with the FFM bridge's twin (`ffm.rs`).
pub(crate) fn panic_for_test(in_worker: bool) {
    if in_worker {
        hotpath_core::pool::run(|| rayon::join(|| (), deliberate_panic));
    } else {
        deliberate_panic();
    }
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
