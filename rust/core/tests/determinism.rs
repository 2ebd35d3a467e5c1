//! Results do not depend on the thread count: every kernel inside local rayon pools of 1, 2,
//! 3 and 7 threads (whose joins then drive the work) returns the same bits as outside.
mod common;

use common::{doc_sum, same, Rng};
use hotpath_core::numeric::{sum_exact, sum_f64, sum_f64_bytes, sum_i64, ByteOrder, Moments};

fn in_pool<R: Send>(threads: usize, f: impl FnOnce() -> R + Send) -> R {
    match rayon::ThreadPoolBuilder::new().num_threads(threads).build() {
        Ok(pool) => pool.install(f),
        Err(e) => panic!("cannot build a {threads}-thread pool: {e}"),
    }
}

#[test]
fn same_bits_on_any_thread_count() {
    let mut rng = Rng(51);
    // Large enough for every kernel's parallel path, and not a power of two.
    let n = 1_300_007;
    let x: Vec<f64> = (0..n)
        .map(|i| {
            if i % 3 == 0 {
                rng.unit() * 1e15
            } else {
                rng.wide(1000, 1040)
            }
        })
        .collect();
    let longs: Vec<i64> = (0..n).map(|_| rng.next_u64() as i64).collect();
    let bytes: Vec<u8> = x.iter().flat_map(|v| v.to_be_bytes()).collect();

    let reference_sum = doc_sum(&x);
    let outside = (sum_f64(&x), Moments::of(&x), sum_exact(&x), sum_i64(&longs));
    assert!(same(outside.0, reference_sum));
    for threads in [1, 2, 3, 7] {
        let inside = in_pool(threads, || {
            (
                sum_f64(&x),
                Moments::of(&x),
                sum_exact(&x),
                sum_i64(&longs),
                sum_f64_bytes(&bytes, ByteOrder::Big),
            )
        });
        assert!(same(inside.0, outside.0), "sum_f64 on {threads} threads");
        let (a, b) = (&inside.1, &outside.1);
        assert!(
            a.count == b.count
                && same(a.sum, b.sum)
                && same(a.m2, b.m2)
                && same(a.min, b.min)
                && same(a.max, b.max),
            "Moments on {threads} threads"
        );
        assert!(same(inside.2, outside.2), "sum_exact on {threads} threads");
        assert_eq!(inside.3, outside.3, "sum_i64 on {threads} threads");
        assert!(
            matches!(inside.4, Ok(v) if same(v, outside.0)),
            "bytes on {threads} threads"
        );
    }
}
