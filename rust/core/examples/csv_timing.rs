//! Times whole native reads of a generated numeric CSV (CsvBenchmark's shape: 4 LONG and 4 DOUBLE
//! columns), types inferred and given, on the calling thread and on the pool: a profile target
//! without the JVM, and the fastest of several runs so that a busy machine disturbs it less.
//!
//! `cargo run --release -p hotpath-core --example csv_timing -- [MiB] [runs]`

use std::fmt::Write;
use std::time::Instant;

use hotpath_core::csv::{self, ColumnType, Options};

fn generate(size: usize) -> Vec<u8> {
    let mut x = 0x2026_1202_u64;
    let mut next = move || {
        x ^= x << 13;
        x ^= x >> 7;
        x ^= x << 17;
        x
    };
    let mut s = String::with_capacity(size + 256);
    s.push_str("l1,l2,l3,l4,d1,d2,d3,d4\n");
    while s.len() < size {
        for c in 0..4 {
            let v = (next() % 2_000_000_000) as i64 - 1_000_000_000;
            let _ = write!(s, "{}{v}", if c == 0 { "" } else { "," });
        }
        for _ in 0..4 {
            let v = (next() >> 11) as f64 / (1u64 << 53) as f64 * 2e6 - 1e6;
            let _ = write!(s, ",{v}");
        }
        s.push('\n');
    }
    s.into_bytes()
}

fn main() {
    let mut args = std::env::args().skip(1);
    let mib: usize = args.next().and_then(|a| a.parse().ok()).unwrap_or(16);
    let runs: usize = args.next().and_then(|a| a.parse().ok()).unwrap_or(15);
    let data = generate(mib << 20);
    let inferred = Options {
        delimiter: b',',
        quote: b'"',
        header: true,
        types: None,
        null_value: None,
        max_field_bytes: 16 << 20,
        chunk_bytes: csv::DEFAULT_CHUNK_BYTES,
    };
    let mut types = vec![ColumnType::Long; 4];
    types.extend([ColumnType::Double; 4]);
    let typed = Options {
        types: Some(types),
        ..inferred.clone()
    };
    for threads in [1, 2] {
        // The calling thread alone: chunks as large as the input.
        let chunk = if threads == 1 {
            usize::MAX / 2
        } else {
            csv::DEFAULT_CHUNK_BYTES
        };
        for (name, options) in [("inferred", &inferred), ("typed", &typed)] {
            let options = Options {
                chunk_bytes: chunk,
                ..options.clone()
            };
            let mut best = f64::MAX;
            for _ in 0..runs {
                let t = Instant::now();
                let rows = csv::read(&data, &options).map(|p| p.rows).unwrap_or(0);
                best = best.min(t.elapsed().as_secs_f64());
                std::hint::black_box(rows);
            }
            println!(
                "{name:9} threads {threads}: {:7.1} MB/s (best of {runs}, {} MiB)",
                data.len() as f64 / best / 1e6,
                mib
            );
        }
    }
}
