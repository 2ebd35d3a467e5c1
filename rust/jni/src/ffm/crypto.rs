//! The hash families' C entry points (the FFM bridge's twins of `crate::crypto`'s one-input
//! native methods): BLAKE3 (plain, keyed, extendable output) and SHA-256.
//!
//! A short input is hashed by one call; a long one goes through a hasher handle (`_new`,
//! `_update` per piece, `_finalize`, `_free`), so that the Java side can feed a heap array in
//! pieces of about a millisecond each, as the JNI side pins them. Batches and Merkle roots stay
//! on the JNI bridge: a `byte[][]` is not one memory segment.

use hotpath_core::crypto::blake3::{Blake3, KEY_LEN};
use hotpath_core::crypto::sha256::Sha256;
use hotpath_core::crypto::DIGEST_LEN;

use super::{elements, elements_mut, run, write_out};
use crate::bridge::{exact_length, offset_range};
use crate::error::BridgeError;

/// `input[offset..offset + length]`, where `input` holds `input_len` bytes, checked as the JNI
/// side checks it (`offset_range`).
///
/// # Safety
/// `input` valid for reads of `input_len` bytes for the call.
unsafe fn bytes_at<'a>(
    input: *const u8,
    input_len: i32,
    offset: i32,
    length: i32,
) -> Result<&'a [u8], BridgeError> {
    let claimed = usize::try_from(input_len)
        .map_err(|_| BridgeError::IllegalArgument(format!("length {input_len} < 0")))?;
    let (start, end) = offset_range(offset, length, claimed)?;
    // SAFETY: the caller's contract.
    let all = unsafe { elements(input, input_len, "input") }?;
    Ok(&all[start..end])
}

/// A BLAKE3 hasher, keyed when `key` is not null (then it must hold [`KEY_LEN`] bytes).
///
/// # Safety
/// `key`, when non-null, valid for reads of `key_len` bytes.
unsafe fn blake3_hasher(key: *const u8, key_len: i32) -> Result<Blake3, BridgeError> {
    if key.is_null() {
        return Ok(Blake3::new());
    }
    let n = usize::try_from(key_len)
        .map_err(|_| BridgeError::IllegalArgument(format!("length {key_len} < 0")))?;
    exact_length("key", n, KEY_LEN, "bytes")?;
    // SAFETY: the caller's contract.
    let bytes = unsafe { elements(key, key_len, "key") }?;
    let mut key = [0u8; KEY_LEN];
    key.copy_from_slice(bytes);
    Ok(Blake3::new_keyed(&key))
}

/// Fills the whole of `out` with the hasher's output: the digest for 32 bytes, else the
/// extendable output.
fn blake3_output(hasher: &Blake3, out: &mut [u8]) {
    if out.len() == DIGEST_LEN {
        out.copy_from_slice(&hasher.finalize());
    } else {
        hasher.finalize_xof().fill(out);
    }
}

/// Checks `offset` and `length` against an input of `input_len` bytes, as the one-call entry
/// points do, for the Java side to call before it feeds a long input in pieces.
#[no_mangle]
pub extern "C" fn hotpath_ffm_offset_range(input_len: i32, offset: i32, length: i32) -> i32 {
    run("offsetRange", || {
        let claimed = usize::try_from(input_len)
            .map_err(|_| BridgeError::IllegalArgument(format!("length {input_len} < 0")))?;
        offset_range(offset, length, claimed).map(|_| ())
    })
}

/// `blake3Hash`: fills `out[..out_len]` with the BLAKE3 output of `input[offset..offset +
/// length]` (`input` holds `input_len` bytes), keyed with `key[..key_len]` unless `key` is null.
///
/// # Safety
/// `input` valid for reads of `input_len` bytes, `key` (when non-null) of `key_len`, `out` for
/// writes of `out_len` bytes, none overlapping `out`.
#[no_mangle]
pub unsafe extern "C" fn hotpath_blake3_hash(
    input: *const u8,
    input_len: i32,
    offset: i32,
    length: i32,
    key: *const u8,
    key_len: i32,
    out: *mut u8,
    out_len: i32,
) -> i32 {
    run("blake3Hash", || {
        if out.is_null() {
            return Err(BridgeError::Null("out"));
        }
        // SAFETY: the caller's contract.
        let bytes = unsafe { bytes_at(input, input_len, offset, length) }?;
        // SAFETY: the caller's contract.
        let mut hasher = unsafe { blake3_hasher(key, key_len) }?;
        hasher.update(bytes);
        // SAFETY: the caller's contract.
        let out = unsafe { elements_mut(out, out_len, "out") }?;
        blake3_output(&hasher, out);
        Ok(())
    })
}

/// A new BLAKE3 hasher into `*out` (keyed as in [`hotpath_blake3_hash`]), to be fed with
/// [`hotpath_blake3_update`], read with [`hotpath_blake3_finalize`] and freed with
/// [`hotpath_blake3_free`], exactly once.
///
/// # Safety
/// `key` as in [`hotpath_blake3_hash`]; `out` valid for one write.
#[no_mangle]
pub unsafe extern "C" fn hotpath_blake3_new(
    key: *const u8,
    key_len: i32,
    out: *mut *mut Blake3,
) -> i32 {
    run("blake3Hash", || {
        // SAFETY: the caller's contract.
        let hasher = unsafe { blake3_hasher(key, key_len) }?;
        let handle = Box::into_raw(Box::new(hasher));
        // SAFETY: the caller's contract.
        let written = unsafe { write_out(out, handle) };
        if written.is_err() {
            // SAFETY: `handle` came from Box::into_raw just above and was handed to no one.
            drop(unsafe { Box::from_raw(handle) });
        }
        written
    })
}

/// Feeds `input[..length]` to the hasher.
///
/// # Safety
/// `hasher` from [`hotpath_blake3_new`], not yet freed, used by one thread at a time; `input`
/// valid for reads of `length` bytes.
#[no_mangle]
pub unsafe extern "C" fn hotpath_blake3_update(
    hasher: *mut Blake3,
    input: *const u8,
    length: i32,
) -> i32 {
    run("blake3Hash", || {
        // SAFETY: the caller's contract: a live hasher, this call its only user.
        let hasher = unsafe { hasher.as_mut() }.ok_or(BridgeError::Null("hasher"))?;
        // SAFETY: the caller's contract.
        let bytes = unsafe { elements(input, length, "input") }?;
        hasher.update(bytes);
        Ok(())
    })
}

/// Fills `out[..out_len]` with the hasher's output (see [`hotpath_blake3_hash`]).
///
/// # Safety
/// As [`hotpath_blake3_update`] for `hasher`; `out` valid for writes of `out_len` bytes.
#[no_mangle]
pub unsafe extern "C" fn hotpath_blake3_finalize(
    hasher: *const Blake3,
    out: *mut u8,
    out_len: i32,
) -> i32 {
    run("blake3Hash", || {
        // SAFETY: the caller's contract: a live hasher.
        let hasher = unsafe { hasher.as_ref() }.ok_or(BridgeError::Null("hasher"))?;
        // SAFETY: the caller's contract.
        let out = unsafe { elements_mut(out, out_len, "out") }?;
        blake3_output(hasher, out);
        Ok(())
    })
}

/// Frees the hasher; null does nothing.
///
/// # Safety
/// `hasher` null or from [`hotpath_blake3_new`], freed at most once, unused afterwards.
#[no_mangle]
pub unsafe extern "C" fn hotpath_blake3_free(hasher: *mut Blake3) {
    if !hasher.is_null() {
        // SAFETY: the caller's contract: it came from Box::into_raw and is freed only here.
        drop(unsafe { Box::from_raw(hasher) });
    }
}

/// `out` as a digest: exactly [`DIGEST_LEN`] bytes.
///
/// # Safety
/// `out` valid for writes of `out_len` bytes.
unsafe fn digest_out<'a>(out: *mut u8, out_len: i32) -> Result<&'a mut [u8], BridgeError> {
    if out.is_null() {
        return Err(BridgeError::Null("out"));
    }
    let n = usize::try_from(out_len)
        .map_err(|_| BridgeError::IllegalArgument(format!("length {out_len} < 0")))?;
    exact_length("out", n, DIGEST_LEN, "bytes")?;
    // SAFETY: the caller's contract.
    unsafe { elements_mut(out, out_len, "out") }
}

/// `sha256Hash`: the SHA-256 digest of `input[..length]` into `out` (32 bytes).
///
/// # Safety
/// `input` valid for reads of `length` bytes, `out` for writes of `out_len` bytes.
#[no_mangle]
pub unsafe extern "C" fn hotpath_sha256_hash(
    input: *const u8,
    length: i32,
    out: *mut u8,
    out_len: i32,
) -> i32 {
    run("sha256Hash", || {
        // SAFETY: the caller's contract.
        let out = unsafe { digest_out(out, out_len) }?;
        // SAFETY: the caller's contract.
        let bytes = unsafe { elements(input, length, "input") }?;
        let mut hasher = Sha256::new();
        hasher.update(bytes);
        out.copy_from_slice(&hasher.finalize());
        Ok(())
    })
}

/// A new SHA-256 hasher into `*out`, as [`hotpath_blake3_new`].
///
/// # Safety
/// `out` valid for one write.
#[no_mangle]
pub unsafe extern "C" fn hotpath_sha256_new(out: *mut *mut Sha256) -> i32 {
    run("sha256Hash", || {
        let handle = Box::into_raw(Box::new(Sha256::new()));
        // SAFETY: the caller's contract.
        let written = unsafe { write_out(out, handle) };
        if written.is_err() {
            // SAFETY: `handle` came from Box::into_raw just above and was handed to no one.
            drop(unsafe { Box::from_raw(handle) });
        }
        written
    })
}

/// Feeds `input[..length]` to the hasher.
///
/// # Safety
/// As [`hotpath_blake3_update`], for a hasher from [`hotpath_sha256_new`].
#[no_mangle]
pub unsafe extern "C" fn hotpath_sha256_update(
    hasher: *mut Sha256,
    input: *const u8,
    length: i32,
) -> i32 {
    run("sha256Hash", || {
        // SAFETY: the caller's contract: a live hasher, this call its only user.
        let hasher = unsafe { hasher.as_mut() }.ok_or(BridgeError::Null("hasher"))?;
        // SAFETY: the caller's contract.
        let bytes = unsafe { elements(input, length, "input") }?;
        hasher.update(bytes);
        Ok(())
    })
}

/// The digest of what the hasher was fed, into `out` (32 bytes); the hasher starts over.
///
/// # Safety
/// As [`hotpath_sha256_update`] for `hasher`; `out` valid for writes of `out_len` bytes.
#[no_mangle]
pub unsafe extern "C" fn hotpath_sha256_finalize(
    hasher: *mut Sha256,
    out: *mut u8,
    out_len: i32,
) -> i32 {
    run("sha256Hash", || {
        // SAFETY: the caller's contract: a live hasher, this call its only user.
        let hasher = unsafe { hasher.as_mut() }.ok_or(BridgeError::Null("hasher"))?;
        // SAFETY: the caller's contract.
        let out = unsafe { digest_out(out, out_len) }?;
        out.copy_from_slice(&std::mem::replace(hasher, Sha256::new()).finalize());
        Ok(())
    })
}

/// Frees the hasher; null does nothing.
///
/// # Safety
/// `hasher` null or from [`hotpath_sha256_new`], freed at most once, unused afterwards.
#[no_mangle]
pub unsafe extern "C" fn hotpath_sha256_free(hasher: *mut Sha256) {
    if !hasher.is_null() {
        // SAFETY: the caller's contract: it came from Box::into_raw and is freed only here.
        drop(unsafe { Box::from_raw(hasher) });
    }
}

#[cfg(test)]
mod tests {
    use super::super::OK;
    use super::*;
    use hotpath_core::crypto::{blake3, sha256};

    #[test]
    fn one_call_and_pieces_give_the_cores_digests() {
        let input: Vec<u8> = (0..100_000u32).map(|i| (i * 31) as u8).collect();
        let n = i32::try_from(input.len()).unwrap_or(0);
        let mut one = [0u8; DIGEST_LEN];
        let mut pieces = [0u8; DIGEST_LEN];
        let mut handle: *mut Blake3 = std::ptr::null_mut();
        // SAFETY: every pointer is valid for the lengths beside it; the handle is freed once.
        unsafe {
            let none = std::ptr::null();
            assert_eq!(
                hotpath_blake3_hash(input.as_ptr(), n, 0, n, none, 0, one.as_mut_ptr(), 32),
                OK
            );
            assert_eq!(hotpath_blake3_new(none, 0, &mut handle), OK);
            for chunk in input.chunks(7_000) {
                let len = i32::try_from(chunk.len()).unwrap_or(0);
                assert_eq!(hotpath_blake3_update(handle, chunk.as_ptr(), len), OK);
            }
            assert_eq!(hotpath_blake3_finalize(handle, pieces.as_mut_ptr(), 32), OK);
            hotpath_blake3_free(handle);
        }
        assert_eq!(one, blake3::hash(&input));
        assert_eq!(pieces, one);
        let mut sha = [0u8; DIGEST_LEN];
        // SAFETY: `input` holds `n` bytes, `sha` 32.
        assert_eq!(
            unsafe { hotpath_sha256_hash(input.as_ptr(), n, sha.as_mut_ptr(), 32) },
            OK
        );
        assert_eq!(sha, sha256::hash(&input));
    }

    #[test]
    fn a_short_key_and_a_short_digest_are_the_jni_sides_errors() {
        let key = [0u8; 16];
        let mut out = [0u8; DIGEST_LEN];
        // SAFETY: `key` holds 16 bytes, `out` 32; the input is empty.
        let status = unsafe {
            hotpath_blake3_hash(
                std::ptr::null(),
                0,
                0,
                0,
                key.as_ptr(),
                16,
                out.as_mut_ptr(),
                32,
            )
        };
        assert_eq!(
            status,
            crate::codes::ExceptionKind::IllegalArgument.status()
        );
        // SAFETY: `out` holds 32 bytes, of which 31 are claimed.
        let status = unsafe { hotpath_sha256_hash(std::ptr::null(), 0, out.as_mut_ptr(), 31) };
        assert_eq!(
            status,
            crate::codes::ExceptionKind::IllegalArgument.status()
        );
    }
}
