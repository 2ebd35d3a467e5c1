//! The Ed25519 family's native methods (declared in `registry.rs`; docs/ed25519.md).
//!
//! Keys and signatures (32 and 64 bytes) are copied out with `GetByteArrayRegion`: cheaper
//! than a pin at that size, and no critical region at all. A message up to [`PIN_MAX`] bytes is
//! pinned for the one hashing pass it needs; a longer one is copied first, so the collector is
//! never held off for more than about a millisecond (SHA-512 runs at about 1 GB/s).
//!
//! Batches never pin: for each item the element references are read with
//! `GetObjectArrayElement` (a JNI call, so never inside a critical region), the key and
//! signature copied, the message appended to a buffer, and the references deleted at once. The
//! buffer is verified and emptied whenever it holds [`GROUP_BYTES`] bytes or [`GROUP_ITEMS`]
//! items, which bounds the memory a batch of huge messages takes. Copying costs well under 1%
//! of a verification (about 30 us) for messages up to a few kilobytes.

use jni::sys::{jboolean, jbooleanArray, jbyteArray, jobjectArray};

use hotpath_core::ed25519::{self, Item, PUBLIC_KEY_LENGTH, SECRET_KEY_LENGTH, SIGNATURE_LENGTH};

use crate::bridge::{exact_length, non_null, non_null_element, try_with_capacity};
use crate::env::Env;
use crate::error::BridgeError;
use crate::pin::with_pinned_bytes;
use crate::registry::jbyteArrays;
use zeroize::Zeroizing;

/// Longest message that is pinned rather than copied.
const PIN_MAX: usize = 1 << 20;

/// Message bytes copied before a batch group is verified.
const GROUP_BYTES: usize = 8 << 20;

/// Items per batch group; a multiple of [`ed25519::BATCH`].
const GROUP_ITEMS: usize = 4096;

/// Copies a byte[] that must hold exactly `N` bytes; `what` names it in errors.
fn fixed<const N: usize>(env: &Env, array: jbyteArray, what: &str) -> Result<[u8; N], BridgeError> {
    exact_length(what, env.array_length(array)?, N, "bytes")?;
    let mut out = [0u8; N];
    env.get_byte_region(array, 0, &mut out)?;
    Ok(out)
}

/// The 32-byte secret key, in a buffer wiped when it is dropped (also while unwinding).
fn secret(
    env: &Env,
    secret_key: jbyteArray,
) -> Result<Zeroizing<[u8; SECRET_KEY_LENGTH]>, BridgeError> {
    let mut key = Zeroizing::new([0u8; SECRET_KEY_LENGTH]);
    let array = non_null(secret_key, "secretKey")?;
    exact_length(
        "secretKey",
        env.array_length(array)?,
        SECRET_KEY_LENGTH,
        "bytes",
    )?;
    env.get_byte_region(array, 0, key.as_mut())?;
    Ok(key)
}

/// Runs `f` on the whole of `message`: pinned up to [`PIN_MAX`] bytes, copied beyond.
fn with_message<R>(
    env: &Env,
    message: jbyteArray,
    f: impl FnOnce(&[u8]) -> R,
) -> Result<R, BridgeError> {
    let len = env.array_length(message)?;
    if len > PIN_MAX {
        let mut copy = try_with_capacity(len, "a copy of the message")?;
        copy.resize(len, 0);
        env.get_byte_region(message, 0, &mut copy)?;
        return Ok(f(&copy));
    }
    with_pinned_bytes(env, &[(message, len)], |pinned| {
        f(pinned.first().copied().unwrap_or_default())
    })
}

/// `ed25519PublicKey(secretKey)`: the public key of a 32-byte secret key.
pub(crate) fn inner_public_key(
    env: &Env,
    secret_key: jbyteArray,
) -> Result<jbyteArray, BridgeError> {
    let secret = secret(env, secret_key)?;
    env.new_byte_array(&ed25519::public_key(&secret))
}

/// `ed25519Sign(secretKey, message)`: the 64-byte signature.
pub(crate) fn inner_sign(
    env: &Env,
    secret_key: jbyteArray,
    message: jbyteArray,
) -> Result<jbyteArray, BridgeError> {
    let secret = secret(env, secret_key)?;
    let message = non_null(message, "message")?;
    let signature = with_message(env, message, |m| ed25519::sign(&secret, m))?;
    env.new_byte_array(&signature)
}

/// `ed25519Verify(publicKey, message, signature)`.
pub(crate) fn inner_verify(
    env: &Env,
    public_key: jbyteArray,
    message: jbyteArray,
    signature: jbyteArray,
) -> Result<jboolean, BridgeError> {
    let public = fixed::<PUBLIC_KEY_LENGTH>(env, non_null(public_key, "publicKey")?, "publicKey")?;
    let message = non_null(message, "message")?;
    let signature = fixed::<SIGNATURE_LENGTH>(env, non_null(signature, "signature")?, "signature")?;
    let ok = with_message(env, message, |m| ed25519::verify(&public, m, &signature))?;
    Ok(jboolean::from(ok))
}

/// Items copied out of the Java arrays, waiting to be verified together.
#[derive(Default)]
struct Group {
    keys: Vec<[u8; PUBLIC_KEY_LENGTH]>,
    signatures: Vec<[u8; SIGNATURE_LENGTH]>,
    /// Each message's end in `bytes`; it starts where the previous one ends.
    ends: Vec<usize>,
    bytes: Vec<u8>,
}

impl Group {
    fn is_full(&self) -> bool {
        self.keys.len() >= GROUP_ITEMS || self.bytes.len() >= GROUP_BYTES
    }

    /// Verifies the items, appends the answers to `out` and empties the group.
    fn drain_into(&mut self, out: &mut Vec<bool>) {
        let mut start = 0;
        let items: Vec<Item<'_>> = self
            .ends
            .iter()
            .zip(&self.keys)
            .zip(&self.signatures)
            .map(|((&end, public_key), signature)| {
                let message = &self.bytes[start..end];
                start = end;
                Item {
                    public_key,
                    message,
                    signature,
                }
            })
            .collect();
        out.extend(ed25519::verify_batch(&items));
        drop(items);
        self.keys.clear();
        self.signatures.clear();
        self.ends.clear();
        self.bytes.clear();
    }
}

/// Copies `array[index]`, a byte[] of exactly `N` bytes, releasing its local reference.
fn fixed_element<const N: usize>(
    env: &Env,
    array: jobjectArray,
    index: usize,
    name: &'static str,
) -> Result<[u8; N], BridgeError> {
    let bytes = non_null_element(env, array, index, name)?;
    let result = fixed::<N>(env, bytes, &format!("{name}[{index}]"));
    env.delete_local(bytes);
    result
}

/// Appends the bytes of `messages[index]` to `group`, releasing its local reference.
fn append_message(
    env: &Env,
    messages: jobjectArray,
    index: usize,
    group: &mut Group,
) -> Result<(), BridgeError> {
    let message = non_null_element(env, messages, index, "messages")?;
    let copied = env.array_length(message).and_then(|len| {
        let start = group.bytes.len();
        group
            .bytes
            .try_reserve(len)
            .map_err(|_| BridgeError::OutOfMemory(format!("messages[{index}] ({len} bytes)")))?;
        group.bytes.resize(start + len, 0);
        env.get_byte_region(message, 0, &mut group.bytes[start..])
    });
    env.delete_local(message);
    copied?;
    group.ends.push(group.bytes.len());
    Ok(())
}

/// `ed25519VerifyBatch(publicKeys, messages, signatures)`: one answer per item.
pub(crate) fn inner_verify_batch(
    env: &Env,
    public_keys: jbyteArrays,
    messages: jbyteArrays,
    signatures: jbyteArrays,
) -> Result<jbooleanArray, BridgeError> {
    let public_keys = non_null(public_keys, "publicKeys")?;
    let messages = non_null(messages, "messages")?;
    let signatures = non_null(signatures, "signatures")?;
    let n = env.array_length(public_keys)?;
    let (n_messages, n_signatures) = (env.array_length(messages)?, env.array_length(signatures)?);
    if n_messages != n || n_signatures != n {
        return Err(BridgeError::IllegalArgument(format!(
            "publicKeys, messages and signatures must have the same length, \
             but have {n}, {n_messages} and {n_signatures} elements"
        )));
    }
    let mut answers = try_with_capacity(n, "the answers")?;
    let mut group = Group::default();
    for i in 0..n {
        group.keys.push(fixed_element::<PUBLIC_KEY_LENGTH>(
            env,
            public_keys,
            i,
            "publicKeys",
        )?);
        append_message(env, messages, i, &mut group)?;
        group.signatures.push(fixed_element::<SIGNATURE_LENGTH>(
            env,
            signatures,
            i,
            "signatures",
        )?);
        if group.is_full() {
            group.drain_into(&mut answers);
        }
    }
    group.drain_into(&mut answers);
    env.new_boolean_array(&answers)
}
