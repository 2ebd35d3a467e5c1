//! The JNI bridge of hotpath: the only crate that knows the JVM exists.
//!
//! Every native method is declared once, in [`registry`]: a shim that hands its raw arguments to
//! [`bridge::call`], which runs an `inner_` function returning `Result`, catches panics, and
//! throws the Java exception for any error in one place ([`error`], with the codes of
//! [`codes`]). [`load`] binds the shims to the (possibly relocated) Kotlin class when the
//! library is loaded. The kernels themselves live in `hotpath-core`.
//!
//! The shims use `jni::sys` directly rather than the `jni` crate's wrappers: a call here is
//! often a few hundred nanoseconds of work, so the wrappers' per-call bookkeeping would show,
//! and some `jni` releases make a JNI call inside the critical region right after
//! `GetPrimitiveArrayCritical` (jni-rs PR #817), which the JNI specification forbids.
#![deny(clippy::unwrap_used, clippy::expect_used, clippy::panic)]
#![deny(missing_docs)]

mod bridge;
mod buffer;
mod codes;
mod crypto;
mod ed25519;
mod env;
mod error;
// The C ABI of the FFM bridge (JDK 22+), beside the JNI entry points.
mod ffm;
mod ledger;
mod load;
mod numeric;
mod pin;
mod registry;
mod system;
// Csv family.
mod csv;

// Vectors family.
mod vectors;
