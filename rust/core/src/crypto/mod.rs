//! The hash kernels of docs/crypto.md: BLAKE3, SHA-256 and RFC 6962 Merkle tree hashes.
//!
//! The hash functions themselves come from well-kept crates (`blake3`, `sha2`), which pick
//! their SIMD or SHA-NI code at run time. What this module adds is the parallel shape: a
//! batch is spread over [`crate::pool`] when it holds enough work to repay waking the workers,
//! a long BLAKE3 input is hashed with the crate's own rayon tree on the same pool, and a
//! Merkle tree is cut at its RFC 6962 split points. None of it can change a result: every
//! digest is a pure function of its input.

pub mod blake3;
pub mod merkle;
pub mod sha256;

use crate::error::{vec_with_capacity, Error};
use crate::pool;

/// Bytes in every digest of this module: BLAKE3's default output, SHA-256, Merkle roots.
pub const DIGEST_LEN: usize = 32;

/// A 32-byte digest.
pub type Digest = [u8; DIGEST_LEN];

/// An incremental hash with a [`Digest`]: feeding an input in pieces of any sizes gives the
/// digest of the whole input. Callers that can only lend an input a piece at a time (the JNI
/// bridge pins long Java arrays one piece per pin) feed any of this module's hashers through it.
pub trait IncrementalHash: Default {
    /// Adds the next piece of the input.
    fn update(&mut self, piece: &[u8]);
    /// The digest of everything added.
    fn finalize(self) -> Digest;
}

impl IncrementalHash for blake3::Blake3 {
    fn update(&mut self, piece: &[u8]) {
        blake3::Blake3::update(self, piece);
    }
    fn finalize(self) -> Digest {
        blake3::Blake3::finalize(&self)
    }
}

impl IncrementalHash for sha256::Sha256 {
    fn update(&mut self, piece: &[u8]) {
        sha256::Sha256::update(self, piece);
    }
    fn finalize(self) -> Digest {
        sha256::Sha256::finalize(self)
    }
}

impl IncrementalHash for merkle::LeafHasher {
    fn update(&mut self, piece: &[u8]) {
        merkle::LeafHasher::update(self, piece);
    }
    fn finalize(self) -> Digest {
        merkle::LeafHasher::finalize(self)
    }
}

/// What one input of a batch costs beyond its bytes, in bytes: at least one 64-byte block is
/// compressed per input, however short.
pub const INPUT_COST: usize = 64;

/// Batches with less work than this (bytes plus [`INPUT_COST`] per input) stay on the
/// calling thread. Measured: handing work to the pool and waking a worker costs 10-20 us,
/// in which one core hashes about 32 KiB with SHA-NI, so below 128 KiB the pool cannot win.
pub const PAR_MIN_BATCH: usize = 128 * 1024;

/// The work of a batch: its bytes plus [`INPUT_COST`] per input, saturating.
pub fn batch_work(inputs: &[&[u8]]) -> usize {
    inputs.iter().fold(0usize, |acc, input| {
        acc.saturating_add(input.len()).saturating_add(INPUT_COST)
    })
}

/// Runs hold about this much work (bytes plus [`INPUT_COST`] per input): enough inputs to fill
/// the multi-buffer SHA-256 lanes, and about 30 runs in a 1 MiB batch, so two or three
/// participants balance to within a run (about 20 us).
pub const RUN_WORK: usize = 32 * 1024;

/// The digests of a batch, in input order: `hash_run(inputs, out)` fills `out[i]` with the
/// digest of `inputs[i]` for a run of consecutive inputs. Batches with at least
/// [`PAR_MIN_BATCH`] of work are cut into runs of about [`RUN_WORK`] and shared between the
/// calling thread and the pool ([`pool::share`]); smaller ones are one run on the caller.
///
/// Memory: the digests (32 bytes per input) and the run list (one entry per run, at most one per
/// input), both fallible: [`Error::OutOfMemory`].
pub(crate) fn map_batch(
    inputs: &[&[u8]],
    hash_run: impl Fn(&[&[u8]], &mut [Digest]) + Sync,
) -> Result<Vec<Digest>, Error> {
    let mut out = vec_with_capacity("the digests of a batch", inputs.len())?;
    out.resize(inputs.len(), [0u8; DIGEST_LEN]);
    if inputs.len() > 1 && batch_work(inputs) >= PAR_MIN_BATCH {
        pool::share(runs(inputs, &mut out)?, |(run, digests)| {
            hash_run(run, digests)
        });
    } else {
        hash_run(inputs, &mut out);
    }
    Ok(out)
}

/// Cuts `inputs` and the matching `out` into consecutive runs of about [`RUN_WORK`] each; an
/// input longer than that is a run of its own.
type Run<'a, 'i> = (&'a [&'i [u8]], &'a mut [Digest]);

fn runs<'a, 'i>(inputs: &'a [&'i [u8]], out: &'a mut [Digest]) -> Result<Vec<Run<'a, 'i>>, Error> {
    let mut jobs = Vec::new();
    let (mut inputs, mut out) = (inputs, out);
    while !inputs.is_empty() {
        let mut work = 0usize;
        let len = inputs
            .iter()
            .take_while(|input| {
                let fits = work < RUN_WORK;
                work = work.saturating_add(input.len()).saturating_add(INPUT_COST);
                fits
            })
            .count();
        let (run, rest) = inputs.split_at(len);
        let (digests, rest_out) = std::mem::take(&mut out).split_at_mut(len);
        jobs.try_reserve(1).map_err(|_| {
            Error::out_of_memory::<Run<'_, '_>>("the runs of a batch", jobs.len() + 1)
        })?;
        jobs.push((run, digests));
        (inputs, out) = (rest, rest_out);
    }
    Ok(jobs)
}
