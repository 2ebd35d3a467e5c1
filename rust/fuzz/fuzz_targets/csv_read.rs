//! Feeds arbitrary bytes to the CSV reader (docs/csv.md). libFuzzer reports any panic, overflow
//! or allocation beyond its limit; on top of that a read in small chunks (the parallel split,
//! whose boundaries come from quote parity) must give exactly the sequential read's table or
//! error, and a typed table must be self-consistent.
#![no_main]

use hotpath_core::csv::{self, Failure, Options, Values};
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    // The first byte picks the settings, so the fuzzer explores them too.
    let knobs = data.first().copied().unwrap_or(0);
    let options = Options {
        delimiter: if knobs & 1 == 0 { b',' } else { b';' },
        quote: b'"',
        header: knobs & 2 == 0,
        types: None,
        null_value: (knobs & 4 != 0).then(|| b"NA".to_vec()),
        max_field_bytes: if knobs & 8 == 0 { 1 << 20 } else { 7 },
        chunk_bytes: 1 << 20,
    };
    let input = data.get(1..).unwrap_or_default();
    let whole = csv::read(input, &options);
    let chunk = 1 + usize::from(knobs >> 4);
    let chunked = csv::read(
        input,
        &Options {
            chunk_bytes: chunk,
            ..options.clone()
        },
    );
    assert_eq!(whole, chunked, "chunk {chunk}");
    match whole {
        Ok(table) => {
            for column in &table.columns {
                assert_eq!(column.nulls.len(), table.rows);
                match &column.values {
                    Values::Long(v) => assert_eq!(v.len(), table.rows),
                    Values::Double(v) => assert_eq!(v.len(), table.rows),
                    Values::Boolean(v) => assert_eq!(v.len(), table.rows),
                    Values::String { bytes, offsets } => {
                        assert_eq!(offsets.len(), table.rows + 1);
                        assert!(offsets.windows(2).all(|w| w[0] <= w[1]));
                        assert_eq!(offsets.last().copied(), Some(bytes.len() as u32));
                    }
                }
            }
        }
        Err(Failure::Format(e)) => {
            assert!(e.line >= 1 && e.column >= 1 && e.byte_offset <= input.len() as u64);
        }
        Err(other) => panic!("{other:?}"),
    }
});
