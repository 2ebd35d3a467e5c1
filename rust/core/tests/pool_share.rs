//! `pool::share`: the calling thread and the pool's workers take jobs from one list. Apart from
//! tests/pool.rs, which must be the first to build the pool.
use hotpath_core::pool;

#[test]
fn share_runs_every_job_once_and_brings_worker_panics_to_the_caller() {
    use std::sync::atomic::{AtomicUsize, Ordering};
    for jobs in [0usize, 1, 2, 3, 64, 1000] {
        let mut out = vec![0usize; jobs];
        let calls = AtomicUsize::new(0);
        let work: Vec<(usize, &mut usize)> = out.iter_mut().enumerate().collect();
        pool::share(work, |(i, slot)| {
            calls.fetch_add(1, Ordering::Relaxed);
            *slot = i * i;
        });
        assert_eq!(calls.load(Ordering::Relaxed), jobs);
        assert!(
            out.iter().enumerate().all(|(i, v)| *v == i * i),
            "{jobs} jobs"
        );
    }
    // Inside a pool worker, the jobs run right there (no second hop, no deadlock).
    let names = pool::run(|| {
        let names = std::sync::Mutex::new(Vec::new());
        pool::share((0..8).collect(), |_: i32| {
            let name = std::thread::current().name().map(str::to_owned);
            names.lock().unwrap_or_else(|e| e.into_inner()).push(name);
        });
        names.into_inner().unwrap_or_default()
    });
    assert_eq!(names.len(), 8);
    // A panic in any job, wherever it ran, reaches the caller.
    let caught = std::panic::catch_unwind(|| {
        pool::share((0..64).collect(), |i: i32| {
            std::thread::sleep(std::time::Duration::from_micros(200));
            if i == 63 {
                panic!("job {i} failed");
            }
        });
    });
    assert!(caught.is_err());
}
