//! hotpath's kernels in pure Rust. Nothing here knows the JVM exists: inputs are slices,
//! errors are [`Error`] values, and parallel work runs on the one pool in [`pool`].
#![forbid(unsafe_code)]
#![deny(missing_docs)]

pub mod crypto;
pub mod ed25519;
pub mod error;
pub mod ledger;
pub mod numeric;
pub mod pool;
// Csv family: CSV bytes to typed columns.
pub mod csv;

// Vectors family.
pub mod vectors;

pub use error::Error;
