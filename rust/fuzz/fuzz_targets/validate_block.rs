//! Feeds arbitrary bytes to the block validator. libFuzzer reports any panic, overflow
//! (debug assertions are on), or allocation beyond its limit (`-rss_limit_mb`, `-malloc_limit_mb`):
//! a count or length trusted before it was checked shows up as one of those. On top of that the
//! report must be self-consistent, and validating the transactions in runs of any length (as the
//! JNI bridge does between pins) must give the same report as validating them at once.
#![no_main]

use hotpath_core::ledger::{self, BlockError, TxStatus, Validation};
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    // Blocks within libFuzzer's input limit cannot run out of memory: a failure here is a bug.
    let Ok(report) = ledger::validate_block(data) else {
        panic!("validate_block ran out of memory on {} bytes", data.len());
    };
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
        let Ok(mut validation) = Validation::new(layout) else {
            panic!("out of memory for the statuses");
        };
        while validation.remaining() > 0 {
            if let Err(e) = validation.check_run(data, run) {
                panic!("{e}");
            }
        }
        assert_eq!(validation.finish(), report);
    }
});
