//! The Ledger family's native methods (declared in `registry.rs`; docs/block-format.md).
//!
//! A `byte[]` block is pinned several times, never for long: once for the framing pass (it reads
//! only the length fields, a few nanoseconds per transaction), then once per run of
//! transactions for their checks (signatures, leaf hashes). A run holds one signature group of
//! [`ledger::GROUP`] (64) transactions per pool thread, at least two groups, so each worker
//! does about one group per pin: on an idle core about 0.8 ms with valid signatures (12 us each
//! in a batch), about 3.5 ms when every signature of the group fails (the batch search then
//! checks each alone, about 1.8 single checks of 30 us per item); docs/block-format.md has
//! measurements. The layout the framing pass returns holds
//! offsets, not pointers, so the array may move between pins. The duplicate-nonce pass and the
//! Merkle tree run after the last release, on owned data. A direct buffer is read in place by
//! address, with no pin to bound. A block changed by another thread during the call gives some
//! report, never a crash: every pin re-checks the slice against the array.
//!
//! The report travels back as one new `byte[]` (one `NewByteArray`, one
//! `SetByteArrayRegion`) in the layout of [`codes::report`], decoded by `Ledger.kt` with the
//! same named offsets and codes (a test pins the two tables to each other).

use jni::sys::{jbyteArray, jint};

use hotpath_core::crypto::DIGEST_LEN;
use hotpath_core::ledger::{self, BlockReport};
use hotpath_core::pool;

use crate::bridge::{non_null, offset_range};
use crate::buffer::direct_bytes;
use crate::codes::report;
use crate::env::Env;
use crate::error::BridgeError;
use crate::pin::with_pinned_bytes;
use crate::registry::jbyteBuffer;

/// Transactions checked per pin: one signature group per pool thread, at least two.
fn run_length() -> usize {
    ledger::GROUP * pool::threads().max(2)
}

/// The report in the layout of [`codes::report`].
fn encode(r: &BlockReport) -> Result<Vec<u8>, hotpath_core::Error> {
    let bytes = report::STATUSES_AT + r.statuses.len();
    let mut out = Vec::new();
    out.try_reserve_exact(bytes)
        .map_err(|_| hotpath_core::Error::OutOfMemory {
            what: "the encoded block report",
            bytes,
        })?;
    out.resize(report::STATUSES_AT, 0);
    out[report::ERROR_AT] = r.error.map_or(report::NO_ERROR, |e| e as u8);
    out[report::HAS_ROOT_AT] = u8::from(r.merkle_root.is_some());
    out[report::ROOT_AT..report::COUNT_AT]
        .copy_from_slice(&r.merkle_root.unwrap_or([0; DIGEST_LEN]));
    out[report::COUNT_AT..report::STATUSES_AT].copy_from_slice(&r.tx_count.to_le_bytes());
    out.extend(r.statuses.iter().map(|s| *s as u8));
    Ok(out)
}

/// `ledgerValidateBlock(block, offset, length)`: the encoded report of
/// `block[offset until offset + length]`.
pub(crate) fn inner_validate_block(
    env: &Env,
    block: jbyteArray,
    offset: jint,
    length: jint,
) -> Result<jbyteArray, BridgeError> {
    let block = non_null(block, "block")?;
    let len = env.array_length(block)?;
    let (from, to) = offset_range(offset, length, len)?;
    // Each pin sees the whole array; the block is its `from..to`, the same on every pin.
    let pinned = |f: &mut dyn FnMut(&[u8])| {
        with_pinned_bytes(env, &[(block, len)], |arrays| {
            f(arrays
                .first()
                .and_then(|a| a.get(from..to))
                .unwrap_or_default())
        })
    };
    let mut framed = None;
    pinned(&mut |b| framed = Some(ledger::frame(b)))?;
    let report = match framed {
        None => return Err(BridgeError::Jni("framing pass did not run")),
        Some(Err(report)) => report,
        Some(Ok(layout)) => {
            let mut validation = ledger::Validation::new(layout)?;
            let run = run_length();
            while validation.remaining() > 0 {
                let mut checked = Ok(());
                pinned(&mut |b| checked = validation.check_run(b, run))?;
                checked?;
            }
            validation.finish()
        }
    };
    env.new_byte_array(&encode(&report)?)
}

/// `ledgerValidateBlockDirect(buffer, position, length)`: the encoded report of a direct
/// buffer's bytes `[position, position + length)`, read in place.
pub(crate) fn inner_validate_block_direct(
    env: &Env,
    buffer: jbyteBuffer,
    position: jint,
    length: jint,
) -> Result<jbyteArray, BridgeError> {
    let bytes = direct_bytes(env, non_null(buffer, "block")?, position, length)?;
    // Off-heap memory: nothing is pinned, so the whole block is validated in one go.
    env.new_byte_array(&encode(&ledger::validate_block(bytes)?)?)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::codes;

    #[test]
    fn encoding_follows_the_documented_layout() {
        let bytes = ledger::validate_block(b"HPB1")
            .and_then(|r| encode(&r))
            .unwrap_or_default();
        assert_eq!(bytes.len(), report::STATUSES_AT);
        assert_eq!(bytes[report::ERROR_AT], ledger::BlockError::Truncated as u8);
        assert_eq!(bytes[report::HAS_ROOT_AT], 0);
        assert_eq!(
            codes::block_error_name(ledger::BlockError::Truncated),
            "TRUNCATED"
        );
    }
}
