//! Feeds arbitrary bytes to the block validator. libFuzzer reports any panic, overflow
//! (debug assertions are on), or allocation beyond its limit (`-rss_limit_mb`, `-malloc_limit_mb`):
//! a count or length trusted before it was checked shows up as one of those. On top of that the
//! report must be self-consistent, and validating the transactions in runs of any length (as the
//! JNI bridge does between pins) must give the same report as validating them at once.
#![no_main]

use hotpath_core::ledger::{self, BlockError, TxStatus};
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let report = ledger::validate_block(data);
    let framing_broken = matches!(
        report.error,
        Some(BlockError::BadMagic | BlockError::Truncated | BlockError::TrailingBytes)
    );
    assert_eq!(framing_broken, report.merkle_root.is_none());
    if framing_broken {
        assert!(report.statuses.is_empty());
    } else {
        assert_eq!(report.statuses.len(), report.tx_count as usize);
    }
    assert_eq!(
        report.is_valid(),
        report.error.is_none() && report.statuses.iter().all(|s| *s == TxStatus::Ok)
    );
    if let Ok(layout) = ledger::frame(data) {
        // A run length taken from the input, so the fuzzer explores the splits too.
        let run = 1 + usize::from(data.last().copied().unwrap_or(0) % 7);
        let mut checks = Vec::new();
        let mut start = 0;
        while start < layout.tx_count() {
            let end = layout.tx_count().min(start + run);
            checks.extend(layout.check(data, start..end));
            start = end;
        }
        assert_eq!(layout.finish(&checks), report);
    }
});
