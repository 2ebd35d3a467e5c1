//! Direct `ByteBuffer`s, read in place by address.

use jni::sys::{jint, jobject};

use crate::env::Env;
use crate::error::BridgeError;

/// The bytes `[position, position + length)` of a direct buffer, borrowed for the native call.
///
/// The buffer object is a local reference for the whole call, so its memory cannot be freed
/// under us; Java code could still write to it concurrently, which for plain integers and
/// doubles can only produce a mixed-up value, never undefined behaviour in this read-only use.
pub fn direct_bytes(
    env: &Env,
    buffer: jobject,
    position: jint,
    length: jint,
) -> Result<&[u8], BridgeError> {
    let (addr, capacity) = env
        .direct_buffer(buffer)?
        .ok_or_else(|| BridgeError::IllegalArgument("buffer is not a direct buffer".to_string()))?;
    let pos = usize::try_from(position)
        .map_err(|_| BridgeError::OutOfBounds(format!("position {position} < 0")))?;
    let len = usize::try_from(length)
        .map_err(|_| BridgeError::IllegalArgument(format!("length {length} < 0")))?;
    if pos > capacity || len > capacity - pos {
        return Err(BridgeError::OutOfBounds(format!(
            "position {pos} + length {len} > buffer capacity {capacity}"
        )));
    }
    if len == 0 {
        return Ok(&[]);
    }
    // SAFETY: the JVM reports `capacity` valid bytes at `addr`; `pos + len <= capacity` was
    // checked above; the memory stays allocated while the buffer reference is live (this call).
    Ok(unsafe { std::slice::from_raw_parts(addr.add(pos), len) })
}
