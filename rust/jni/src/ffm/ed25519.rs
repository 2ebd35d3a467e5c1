//! Ed25519's C entry points (the FFM bridge's twins of `crate::ed25519`'s single-item native
//! methods). Keys and signatures are checked for their exact lengths with the JNI side's
//! messages; the secret key is copied into a buffer wiped on drop. Batches stay on the JNI
//! bridge: a `byte[][]` is not one memory segment.

use hotpath_core::ed25519::{self, PUBLIC_KEY_LENGTH, SECRET_KEY_LENGTH, SIGNATURE_LENGTH};
use zeroize::Zeroizing;

use super::{elements, elements_mut, run, write_out};
use crate::bridge::exact_length;
use crate::error::BridgeError;

/// `ptr[..len]` as exactly `N` bytes, named `what` in errors.
///
/// # Safety
/// `ptr` valid for reads of `len` bytes for the call.
unsafe fn fixed<'a, const N: usize>(
    ptr: *const u8,
    len: i32,
    what: &'static str,
) -> Result<&'a [u8; N], BridgeError> {
    if ptr.is_null() {
        return Err(BridgeError::Null(what));
    }
    let n = usize::try_from(len)
        .map_err(|_| BridgeError::IllegalArgument(format!("length {len} < 0")))?;
    exact_length(what, n, N, "bytes")?;
    // SAFETY: the caller's contract.
    let bytes = unsafe { elements(ptr, len, what) }?;
    bytes
        .try_into()
        .map_err(|_| BridgeError::IllegalArgument(format!("{what} has {n} bytes, expected {N}")))
}

/// The secret key, copied into a buffer wiped when it is dropped (also while unwinding).
///
/// # Safety
/// As [`fixed`].
unsafe fn secret(
    ptr: *const u8,
    len: i32,
) -> Result<Zeroizing<[u8; SECRET_KEY_LENGTH]>, BridgeError> {
    // SAFETY: the caller's contract.
    let bytes = unsafe { fixed::<SECRET_KEY_LENGTH>(ptr, len, "secretKey") }?;
    Ok(Zeroizing::new(*bytes))
}

/// `ed25519PublicKey`: the public key of `secret_key` (32 bytes) into `out` (32 bytes).
///
/// # Safety
/// `secret_key` valid for reads of `secret_len` bytes, `out` for writes of `out_len`.
#[no_mangle]
pub unsafe extern "C" fn hotpath_ed25519_public_key(
    secret_key: *const u8,
    secret_len: i32,
    out: *mut u8,
    out_len: i32,
) -> i32 {
    run("ed25519PublicKey", || {
        // SAFETY: the caller's contract.
        let secret = unsafe { secret(secret_key, secret_len) }?;
        // SAFETY: the caller's contract.
        let out = unsafe { out_exactly::<PUBLIC_KEY_LENGTH>(out, out_len) }?;
        out.copy_from_slice(&ed25519::public_key(&secret));
        Ok(())
    })
}

/// `out[..out_len]`, which must be exactly `N` bytes (the Java side allocates it).
///
/// # Safety
/// `out` valid for writes of `out_len` bytes.
unsafe fn out_exactly<'a, const N: usize>(
    out: *mut u8,
    out_len: i32,
) -> Result<&'a mut [u8], BridgeError> {
    let n = usize::try_from(out_len)
        .map_err(|_| BridgeError::IllegalArgument(format!("length {out_len} < 0")))?;
    exact_length("out", n, N, "bytes")?;
    // SAFETY: the caller's contract.
    unsafe { elements_mut(out, out_len, "out") }
}

/// `ed25519Sign`: the signature of `message[..message_len]` into `out` (64 bytes).
///
/// # Safety
/// `secret_key` and `message` valid for reads of their lengths, `out` for writes of `out_len`.
#[no_mangle]
pub unsafe extern "C" fn hotpath_ed25519_sign(
    secret_key: *const u8,
    secret_len: i32,
    message: *const u8,
    message_len: i32,
    out: *mut u8,
    out_len: i32,
) -> i32 {
    run("ed25519Sign", || {
        // SAFETY: the caller's contract.
        let secret = unsafe { secret(secret_key, secret_len) }?;
        // SAFETY: the caller's contract.
        let message = unsafe { elements(message, message_len, "message") }?;
        // SAFETY: the caller's contract.
        let out = unsafe { out_exactly::<SIGNATURE_LENGTH>(out, out_len) }?;
        out.copy_from_slice(&ed25519::sign(&secret, message));
        Ok(())
    })
}

/// `ed25519Verify`: 1 into `*out` when `signature` is `public_key`'s over `message`, else 0.
///
/// # Safety
/// Every input valid for reads of its length; `out` for one write.
#[no_mangle]
pub unsafe extern "C" fn hotpath_ed25519_verify(
    public_key: *const u8,
    public_len: i32,
    message: *const u8,
    message_len: i32,
    signature: *const u8,
    signature_len: i32,
    out: *mut i32,
) -> i32 {
    run("ed25519Verify", || {
        // SAFETY: the caller's contract.
        let public = unsafe { fixed::<PUBLIC_KEY_LENGTH>(public_key, public_len, "publicKey") }?;
        // SAFETY: the caller's contract.
        let message = unsafe { elements(message, message_len, "message") }?;
        // SAFETY: the caller's contract.
        let signature =
            unsafe { fixed::<SIGNATURE_LENGTH>(signature, signature_len, "signature") }?;
        let ok = ed25519::verify(public, message, signature);
        // SAFETY: the caller's contract.
        unsafe { write_out(out, i32::from(ok)) }
    })
}

#[cfg(test)]
mod tests {
    use super::super::OK;
    use super::*;

    #[test]
    fn sign_then_verify_through_the_c_abi() {
        let secret = [7u8; SECRET_KEY_LENGTH];
        let message = b"hotpath";
        let mut public = [0u8; PUBLIC_KEY_LENGTH];
        let mut signature = [0u8; SIGNATURE_LENGTH];
        let mut ok = 0i32;
        // SAFETY: every pointer is valid for the length beside it.
        unsafe {
            assert_eq!(
                hotpath_ed25519_public_key(secret.as_ptr(), 32, public.as_mut_ptr(), 32),
                OK
            );
            assert_eq!(
                hotpath_ed25519_sign(
                    secret.as_ptr(),
                    32,
                    message.as_ptr(),
                    7,
                    signature.as_mut_ptr(),
                    64
                ),
                OK
            );
            assert_eq!(
                hotpath_ed25519_verify(
                    public.as_ptr(),
                    32,
                    message.as_ptr(),
                    7,
                    signature.as_ptr(),
                    64,
                    &mut ok
                ),
                OK
            );
        }
        assert_eq!(public, ed25519::public_key(&secret));
        assert_eq!(signature, ed25519::sign(&secret, message));
        assert_eq!(ok, 1);
    }

    #[test]
    fn a_short_key_is_the_jni_sides_error() {
        let mut out = [0u8; PUBLIC_KEY_LENGTH];
        // SAFETY: the key holds 31 bytes, `out` 32.
        let status =
            unsafe { hotpath_ed25519_public_key([0u8; 31].as_ptr(), 31, out.as_mut_ptr(), 32) };
        assert_eq!(
            status,
            crate::codes::ExceptionKind::IllegalArgument.status()
        );
    }
}
