//! The pool's configuration and naming. Its own test binary, so that nothing else builds the
//! pool first.
use hotpath_core::numeric::sum_i64;
use hotpath_core::pool;

#[test]
fn configure_then_build_then_ignore() {
    pool::configure(3);
    assert_eq!(pool::threads(), 3);
    let name = pool::run(|| std::thread::current().name().map(str::to_owned));
    assert!(
        matches!(name.as_deref(), Some(n) if n.starts_with("hotpath-worker-")),
        "{name:?}"
    );
    assert_eq!(pool::threads(), 3);
    // The pool exists now: a new size is ignored.
    pool::configure(5);
    assert_eq!(pool::threads(), 3);
    // Nested use runs inline instead of hopping pools.
    let nested = pool::run(|| pool::run(rayon::current_num_threads));
    assert_eq!(nested, 3);
    // And the kernels still give the sequential answer through it.
    let x: Vec<i64> = (0..1_000_000).collect();
    assert_eq!(sum_i64(&x), 499_999_500_000);
    pool::configure(0);
    assert_eq!(pool::threads(), 3);
}
