//! Shutting the pool down joins its threads, and work after it runs on the calling thread. Its
//! own test binary: the pool is process-wide.
use hotpath_core::numeric::sum_i64;
use hotpath_core::pool;
use std::time::{Duration, Instant};

fn worker_threads() -> Option<usize> {
    // Linux names each thread in /proc; elsewhere the count is not checked. Wine maps `/` to the
    // host's root, so a Windows build under Wine would read the Linux host's /proc and find no
    // thread it named: the target, not the path's existence, decides.
    if !cfg!(target_os = "linux") {
        return None;
    }
    let tasks = std::fs::read_dir("/proc/self/task").ok()?;
    Some(
        tasks
            .filter_map(|t| std::fs::read_to_string(t.ok()?.path().join("comm")).ok())
            .filter(|name| name.starts_with("hotpath-worker"))
            .count(),
    )
}

#[test]
fn shutdown_joins_every_worker_and_later_work_runs_inline() {
    pool::configure(2);
    let x: Vec<i64> = (0..1_000_000).collect();
    assert_eq!(sum_i64(&x), 499_999_500_000);
    let on_worker = pool::run(|| rayon::current_thread_index().is_some());
    assert!(on_worker);
    if let Some(n) = worker_threads() {
        assert_eq!(n, 2);
    }

    assert_eq!(pool::shutdown(), 2);
    // A joined thread can stay listed for a moment after join returns: under qemu-user the guest
    // thread signals its exit before the host thread behind it is gone. So the count must reach
    // zero, not be zero at once; a worker that is never joined keeps it at 2 and fails.
    if let Some(mut n) = worker_threads() {
        let deadline = Instant::now() + Duration::from_secs(10);
        while n != 0 && Instant::now() < deadline {
            std::thread::sleep(Duration::from_millis(10));
            // A failed read keeps the last count rather than passing as zero.
            n = worker_threads().unwrap_or(n);
        }
        assert_eq!(n, 0, "workers still alive 10 s after shutdown");
    }
    assert_eq!(pool::threads(), 1);
    let on_worker = pool::run(|| rayon::current_thread_index().is_some());
    assert!(!on_worker, "work after shutdown went to a pool");
    assert_eq!(sum_i64(&x), 499_999_500_000);
    // A second shutdown has nothing left to join.
    assert_eq!(pool::shutdown(), 0);
}
