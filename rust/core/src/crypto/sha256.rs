//! SHA-256 (FIPS 180-4), one input at a time or in batches. The `sha2` crate uses the SHA-NI
//! instructions when the CPU has them (detected at run time) and portable code otherwise.

use sha2::Digest as _;

use super::{map_batch, Digest};

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

/// [`hash`] of every input, in input order; the inputs are spread over the pool when the
/// batch holds at least [`super::PAR_MIN_BATCH`] of work.
pub fn hash_batch(inputs: &[&[u8]]) -> Vec<Digest> {
    map_batch(inputs, hash)
}
