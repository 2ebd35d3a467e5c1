//! SHA-256 (FIPS 180-4), one input at a time or in batches.
//!
//! One input is hashed by the `sha2` crate, which uses the SHA-NI instructions when the CPU has
//! them (detected at run time) and portable code otherwise. One SHA-256 is a chain of dependent
//! rounds, so SHA-NI spends most of its time waiting on its own results; a batch is hashed by
//! `tape-sha256`, which steps several independent inputs through the rounds together (four
//! with SHA-NI, 8 or 16 lanes with AVX2/AVX-512, the ARMv8 SHA-2 instructions on aarch64) and
//! measured 1.5-2x `sha2` per core here (docs/crypto.md). Both are checked against each other
//! on every length across the block and padding boundaries (`tests/crypto.rs`).

use sha2::Digest as _;

use super::{map_batch, Digest};
use crate::error::Error;

/// An incremental SHA-256 hasher: feeding it an input in pieces of any sizes gives the same
/// digest as hashing the whole input at once.
#[derive(Clone, Debug, Default)]
pub struct Sha256(sha2::Sha256);

impl Sha256 {
    /// A hasher that has seen nothing.
    pub fn new() -> Self {
        Sha256(sha2::Sha256::new())
    }

    /// Adds `input`. SHA-256 is sequential, so one input never runs in parallel.
    pub fn update(&mut self, input: &[u8]) {
        self.0.update(input);
    }

    /// The digest of everything added.
    pub fn finalize(self) -> Digest {
        self.0.finalize().into()
    }
}

/// The SHA-256 digest of `input`.
pub fn hash(input: &[u8]) -> Digest {
    sha2::Sha256::digest(input).into()
}

/// [`hash`] of every input, in input order, several inputs at a time (multi-buffer); the
/// inputs are shared between the caller and the pool when the batch holds at least
/// [`super::PAR_MIN_BATCH`] of work.
///
/// # Errors
/// [`Error::OutOfMemory`] when the digests (32 bytes per input) cannot be allocated.
pub fn try_hash_batch(inputs: &[&[u8]]) -> Result<Vec<Digest>, Error> {
    map_batch(inputs, tape_sha256::hash_many)
}

/// [`hash`] of every input, in input order, several inputs at a time (multi-buffer); the
/// inputs are shared between the caller and the pool when the batch holds at least
/// [`super::PAR_MIN_BATCH`] of work.
///
/// Panics (which the JNI bridge turns into an exception, never an abort) where [`try_hash_batch`]
/// returns [`Error::OutOfMemory`]; callers that can report it should call that.
pub fn hash_batch(inputs: &[&[u8]]) -> Vec<Digest> {
    try_hash_batch(inputs).unwrap_or_else(|e| panic!("{e}"))
}
