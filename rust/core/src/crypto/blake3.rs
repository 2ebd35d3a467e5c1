//! BLAKE3: plain, keyed and extendable output, one input at a time or in batches.

use super::{map_batch, Digest};
use crate::error::Error;
use crate::pool;

/// Bytes in a BLAKE3 key.
pub const KEY_LEN: usize = 32;

/// Inputs at least this long are hashed with the `blake3` crate's rayon tree on hotpath's
/// pool; shorter ones on the calling thread. The crate's documentation puts the crossover at
/// about 128 KiB, where splitting the input repays waking a worker.
pub const PAR_MIN: usize = 128 * 1024;

/// An incremental BLAKE3 hasher: feeding it an input in pieces of any sizes gives the same
/// digest as hashing the whole input at once.
#[derive(Clone, Debug)]
pub struct Blake3(::blake3::Hasher);

impl Default for Blake3 {
    fn default() -> Self {
        Self::new()
    }
}

impl Blake3 {
    /// A hasher for the plain (unkeyed) hash.
    pub fn new() -> Self {
        Blake3(::blake3::Hasher::new())
    }

    /// A hasher for the keyed hash (BLAKE3's MAC mode) with `key`.
    pub fn new_keyed(key: &[u8; KEY_LEN]) -> Self {
        Blake3(::blake3::Hasher::new_keyed(key))
    }

    /// Adds `input`; a piece of at least [`PAR_MIN`] bytes is split over the pool. Pieces
    /// whose offsets are multiples of a large power of two (such as whole MiB) keep the
    /// parallel split efficient; any split gives the same digest.
    pub fn update(&mut self, input: &[u8]) {
        if input.len() >= PAR_MIN {
            let hasher = &mut self.0;
            pool::run(move || {
                hasher.update_rayon(input);
            });
        } else {
            self.0.update(input);
        }
    }

    /// The 32-byte digest of everything added so far.
    pub fn finalize(&self) -> Digest {
        *self.0.finalize().as_bytes()
    }

    /// A reader of the extendable output of everything added so far; its first 32 bytes are
    /// [`Blake3::finalize`].
    pub fn finalize_xof(&self) -> Xof {
        Xof(self.0.finalize_xof())
    }
}

/// BLAKE3's extendable output, read front to back in pieces of any sizes.
#[derive(Clone, Debug)]
pub struct Xof(::blake3::OutputReader);

impl Xof {
    /// Fills `out` with the next `out.len()` bytes of output.
    pub fn fill(&mut self, out: &mut [u8]) {
        self.0.fill(out);
    }
}

/// Checks that `key` has [`KEY_LEN`] bytes and returns it as an array.
///
/// # Errors
/// [`Error::WrongLength`] naming `"key"` when it has any other length.
pub fn key(key: &[u8]) -> Result<[u8; KEY_LEN], Error> {
    <[u8; KEY_LEN]>::try_from(key).map_err(|_| Error::WrongLength {
        what: "key",
        len: key.len(),
        expected: KEY_LEN,
    })
}

/// The 32-byte BLAKE3 hash of `input`; in parallel from [`PAR_MIN`] bytes.
pub fn hash(input: &[u8]) -> Digest {
    if input.len() >= PAR_MIN {
        let mut hasher = Blake3::new();
        hasher.update(input);
        hasher.finalize()
    } else {
        *::blake3::hash(input).as_bytes()
    }
}

/// The 32-byte keyed BLAKE3 hash of `input` under `key`.
///
/// # Errors
/// [`Error::WrongLength`] when `key` does not have [`KEY_LEN`] bytes.
pub fn keyed_hash(key_bytes: &[u8], input: &[u8]) -> Result<Digest, Error> {
    let mut hasher = Blake3::new_keyed(&key(key_bytes)?);
    hasher.update(input);
    Ok(hasher.finalize())
}

/// Fills `out` with the first `out.len()` bytes of the extendable output of `input`.
pub fn hash_xof(input: &[u8], out: &mut [u8]) {
    let mut hasher = Blake3::new();
    hasher.update(input);
    hasher.finalize_xof().fill(out);
}

/// [`hash`] of every input, in input order; the inputs are shared between the caller and the
/// pool when the batch holds at least [`super::PAR_MIN_BATCH`] of work.
///
/// # Errors
/// [`Error::OutOfMemory`] when the digests (32 bytes per input) cannot be allocated.
pub fn try_hash_batch(inputs: &[&[u8]]) -> Result<Vec<Digest>, Error> {
    map_batch(inputs, |run, digests| {
        for (digest, input) in digests.iter_mut().zip(run) {
            *digest = hash(input);
        }
    })
}

/// [`hash`] of every input, in input order; the inputs are shared between the caller and the
/// pool when the batch holds at least [`super::PAR_MIN_BATCH`] of work.
///
/// Panics (which the JNI bridge turns into an exception, never an abort) where [`try_hash_batch`]
/// returns [`Error::OutOfMemory`]; callers that can report it should call that.
pub fn hash_batch(inputs: &[&[u8]]) -> Vec<Digest> {
    try_hash_batch(inputs).unwrap_or_else(|e| panic!("{e}"))
}
