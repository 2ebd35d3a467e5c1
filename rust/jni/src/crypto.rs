//! The hash families' native methods (declared in `registry.rs`): BLAKE3, SHA-256 and RFC 6962
//! Merkle roots.
//!
//! A long `byte[]` is hashed in pieces of a few MiB with the incremental hashers, each piece
//! under its own short pin, so the collector is never held off for long. A batch (`byte[][]`)
//! is walked in groups: the element references and lengths are read with ordinary JNI calls
//! first, outside any critical region; then a group of inputs whose total size is bounded is
//! pinned at once, hashed (in parallel when it holds enough work) and released; only then are
//! the group's digests written back, all of them with one `SetByteArrayRegion` into a flat
//! `byte[32 * n]` that the Kotlin side splits. That keeps the JNI calls per input to the
//! element, its length, and its pin and release: a `NewByteArray` and `SetObjectArrayElement`
//! per digest cost about as much as hashing a short input. An input longer than the group
//! budget travels alone, in pieces. Each group's references live in their own local frame, so
//! a batch of any length holds a bounded number of them.
use jni::sys::{jbyteArray, jint, jobjectArray};

use hotpath_core::crypto::blake3::{self, Blake3, KEY_LEN};
use hotpath_core::crypto::merkle::{self, LeafHasher};
use hotpath_core::crypto::sha256::{self, Sha256};
use hotpath_core::crypto::{Digest, IncrementalHash, DIGEST_LEN};

use crate::bridge::{
    exact_length, non_null, non_null_element, offset_range, range, try_with_capacity,
};
use crate::buffer::direct_bytes;
use crate::env::Env;
use crate::error::BridgeError;
use crate::pin::{map_segments, with_pinned_bytes};
use crate::registry::{jbyteArrays, jbyteBuffer};

/// Bytes per pin for BLAKE3: one piece of a long input, or the budget of a pinned group. About
/// 0.6 ms on one core at 6-7 GB/s, less on the pool.
const BLAKE3_PIECE: usize = 4 << 20;

/// Bytes per pin for SHA-256 (and Merkle leaves): about 0.6 ms at 1.8 GB/s with SHA-NI.
const SHA256_PIECE: usize = 1 << 20;

/// Inputs per pinned group at most, which bounds the local references a group holds.
const GROUP_INPUTS: usize = 1024;

/// Extendable output is produced this many bytes at a time and copied into the Java array.
const XOF_STEP: usize = 1 << 20;

/// One hash function as the batch walker and the piecewise hashing see it.
trait Kernel {
    /// Bytes per pin: a piece of one long input, and the budget of a group of short ones.
    const PIECE: usize;
    /// The incremental hasher, fed one pinned piece at a time.
    type Hasher: IncrementalHash;
    /// The digests of a group of whole inputs, in order (in parallel when large).
    fn hash_group(inputs: &[&[u8]]) -> Vec<Digest>;
}

struct Blake3Kernel;

impl Kernel for Blake3Kernel {
    const PIECE: usize = BLAKE3_PIECE;
    type Hasher = Blake3;
    fn hash_group(inputs: &[&[u8]]) -> Vec<Digest> {
        blake3::hash_batch(inputs)
    }
}

struct Sha256Kernel;

impl Kernel for Sha256Kernel {
    const PIECE: usize = SHA256_PIECE;
    type Hasher = Sha256;
    fn hash_group(inputs: &[&[u8]]) -> Vec<Digest> {
        sha256::hash_batch(inputs)
    }
}

/// RFC 6962 leaf hashes, `SHA-256(0x00 || leaf)`.
struct MerkleLeafKernel;

impl Kernel for MerkleLeafKernel {
    const PIECE: usize = SHA256_PIECE;
    type Hasher = LeafHasher;
    fn hash_group(inputs: &[&[u8]]) -> Vec<Digest> {
        merkle::leaf_hashes(inputs)
    }
}

/// Feeds `array[from..to]` to `hasher`, one piece of `K::PIECE` bytes per pin.
fn update_pieces<K: Kernel>(
    env: &Env,
    array: jbyteArray,
    len: usize,
    range: (usize, usize),
    hasher: &mut K::Hasher,
) -> Result<(), BridgeError> {
    map_segments(env, array, len, range, K::PIECE, |piece: &[u8]| {
        IncrementalHash::update(hasher, piece)
    })?;
    Ok(())
}

/// Reads the references and lengths of the next group of `inputs` from `start`: at most
/// [`GROUP_INPUTS`] inputs of at most `budget` bytes in all, or one longer input alone. Only
/// ordinary JNI calls: nothing is pinned yet.
fn read_group(
    env: &Env,
    inputs: jobjectArray,
    name: &'static str,
    (start, count): (usize, usize),
    budget: usize,
) -> Result<Vec<(jbyteArray, usize)>, BridgeError> {
    let mut group = Vec::new();
    let mut bytes = 0usize;
    let mut index = start;
    while index < count && group.len() < GROUP_INPUTS {
        let element = non_null_element(env, inputs, index, name)?;
        let len = env.array_length(element)?;
        if !group.is_empty() && len > budget.saturating_sub(bytes) {
            // It starts the next group, which reads it again.
            env.delete_local(element);
            break;
        }
        group.push((element, len));
        bytes = bytes.saturating_add(len);
        index += 1;
        if len > budget {
            break;
        }
    }
    Ok(group)
}

/// Hashes the inputs `from..to` of the batch `inputs` group by group, and hands each group's
/// digests to `sink` with the index of its first input, after the group's pins are released.
fn walk_batch<K: Kernel>(
    env: &Env,
    inputs: jobjectArray,
    name: &'static str,
    (from, count): (usize, usize),
    mut sink: impl FnMut(usize, &[Digest]) -> Result<(), BridgeError>,
) -> Result<(), BridgeError> {
    let mut next = from;
    while next < count {
        // The group's references, plus the one digest array a sink holds at a time.
        let frame = env.push_local_frame(GROUP_INPUTS + 2)?;
        let group = read_group(env, inputs, name, (next, count), K::PIECE)?;
        let digests = match group.as_slice() {
            [(array, len)] if *len > K::PIECE => {
                let mut hasher = K::Hasher::default();
                update_pieces::<K>(env, *array, *len, (0, *len), &mut hasher)?;
                vec![IncrementalHash::finalize(hasher)]
            }
            _ => with_pinned_bytes(env, &group, K::hash_group)?,
        };
        sink(next, &digests)?;
        next += group.len().max(1);
        drop(frame);
    }
    Ok(())
}

/// Hashes `inputs[from until to]` and writes digest `i` into `out[32 * (i - from)..]`; `out`
/// must hold exactly `32 * (to - from)` bytes.
fn hash_batch_into<K: Kernel>(
    env: &Env,
    inputs: jobjectArray,
    (from, to): (jint, jint),
    out: jbyteArray,
) -> Result<(), BridgeError> {
    let inputs = non_null(inputs, "inputs")?;
    let out = non_null(out, "out")?;
    let (from, to) = range(from, to, env.array_length(inputs)?)?;
    let (n, len) = (to - from, env.array_length(out)?);
    if n.checked_mul(DIGEST_LEN) != Some(len) {
        return Err(BridgeError::IllegalArgument(format!(
            "out has {len} bytes for {n} inputs, expected {DIGEST_LEN} per input"
        )));
    }
    walk_batch::<K>(env, inputs, "inputs", (from, to), |start, digests| {
        env.set_byte_region(out, (start - from) * DIGEST_LEN, digests.as_flattened())
    })
}

/// Checks that `out` is a `byte[32]`.
fn check_digest_out(env: &Env, out: jbyteArray) -> Result<jbyteArray, BridgeError> {
    let out = non_null(out, "out")?;
    exact_length("out", env.array_length(out)?, DIGEST_LEN, "bytes")?;
    Ok(out)
}

/// A BLAKE3 hasher, keyed when `key` is not null (then it must hold [`KEY_LEN`] bytes).
fn blake3_hasher(env: &Env, key: jbyteArray) -> Result<Blake3, BridgeError> {
    if key.is_null() {
        return Ok(Blake3::new());
    }
    exact_length("key", env.array_length(key)?, KEY_LEN, "bytes")?;
    let mut bytes = [0u8; KEY_LEN];
    env.get_byte_region(key, 0, &mut bytes)?;
    Ok(Blake3::new_keyed(&bytes))
}

/// Fills the whole of `out` with the hasher's output: the digest for 32 bytes, else the
/// extendable output, produced [`XOF_STEP`] bytes at a time.
fn store_blake3_output(env: &Env, hasher: &Blake3, out: jbyteArray) -> Result<(), BridgeError> {
    let len = env.array_length(out)?;
    if len == DIGEST_LEN {
        return env.set_byte_region(out, 0, &hasher.finalize());
    }
    let mut xof = hasher.finalize_xof();
    let mut buffer = vec![0u8; len.min(XOF_STEP)];
    let mut at = 0;
    while at < len {
        let step = (len - at).min(buffer.len());
        let piece = buffer.get_mut(..step).unwrap_or_default();
        xof.fill(piece);
        env.set_byte_region(out, at, piece)?;
        at += step;
    }
    Ok(())
}

/// `blake3Hash(input, offset, length, key, out)`: fills `out` with the first `out.size` bytes
/// of the BLAKE3 output of `input[offset until offset + length]`, keyed with `key` unless it is
/// null.
pub(crate) fn inner_blake3_hash(
    env: &Env,
    input: jbyteArray,
    offset: jint,
    length: jint,
    key: jbyteArray,
    out: jbyteArray,
) -> Result<(), BridgeError> {
    let input = non_null(input, "input")?;
    let out = non_null(out, "out")?;
    let len = env.array_length(input)?;
    let r = offset_range(offset, length, len)?;
    let mut hasher = blake3_hasher(env, key)?;
    update_pieces::<Blake3Kernel>(env, input, len, r, &mut hasher)?;
    store_blake3_output(env, &hasher, out)
}

/// `blake3HashDirect(buffer, position, length, out)`: as [`inner_blake3_hash`], unkeyed, of a
/// direct buffer's bytes, read in place.
pub(crate) fn inner_blake3_hash_direct(
    env: &Env,
    buffer: jbyteBuffer,
    position: jint,
    length: jint,
    out: jbyteArray,
) -> Result<(), BridgeError> {
    let bytes = direct_bytes(env, non_null(buffer, "buffer")?, position, length)?;
    let out = non_null(out, "out")?;
    // Off-heap memory: nothing is pinned, so the whole input is hashed at once, on the pool
    // when it is long.
    let mut hasher = Blake3::new();
    hasher.update(bytes);
    store_blake3_output(env, &hasher, out)
}

/// `blake3HashBatch(inputs, fromIndex, toIndex, out)`: the BLAKE3 digest of
/// `inputs[fromIndex + i]` into `out[32 * i until 32 * (i + 1)]`.
pub(crate) fn inner_blake3_hash_batch(
    env: &Env,
    inputs: jbyteArrays,
    from: jint,
    to: jint,
    out: jbyteArray,
) -> Result<(), BridgeError> {
    hash_batch_into::<Blake3Kernel>(env, inputs, (from, to), out)
}

/// `sha256Hash(input, out)`: the SHA-256 digest of `input` into `out`.
pub(crate) fn inner_sha256_hash(
    env: &Env,
    input: jbyteArray,
    out: jbyteArray,
) -> Result<(), BridgeError> {
    let input = non_null(input, "input")?;
    let out = check_digest_out(env, out)?;
    let len = env.array_length(input)?;
    let mut hasher = Sha256::new();
    update_pieces::<Sha256Kernel>(env, input, len, (0, len), &mut hasher)?;
    env.set_byte_region(out, 0, &hasher.finalize())
}

/// `sha256HashBatch(inputs, fromIndex, toIndex, out)`, as [`inner_blake3_hash_batch`].
pub(crate) fn inner_sha256_hash_batch(
    env: &Env,
    inputs: jbyteArrays,
    from: jint,
    to: jint,
    out: jbyteArray,
) -> Result<(), BridgeError> {
    hash_batch_into::<Sha256Kernel>(env, inputs, (from, to), out)
}

/// `merkleRoot(leaves, out)`: the RFC 6962 Merkle tree hash of `leaves` into `out`.
pub(crate) fn inner_merkle_root(
    env: &Env,
    leaves: jbyteArrays,
    out: jbyteArray,
) -> Result<(), BridgeError> {
    let leaves = non_null(leaves, "leaves")?;
    let out = check_digest_out(env, out)?;
    let count = env.array_length(leaves)?;
    let mut hashes = try_with_capacity(count, "the leaf hashes")?;
    walk_batch::<MerkleLeafKernel>(env, leaves, "leaves", (0, count), |_, digests| {
        hashes.extend_from_slice(digests);
        Ok(())
    })?;
    env.set_byte_region(out, 0, &merkle::root_of_leaf_hashes(&hashes))
}
