//! The one thread pool hotpath owns.
//!
//! It is built lazily on first use, so a JVM that never calls a large kernel never starts a
//! thread, and it is separate from rayon's global pool so hotpath neither competes with nor
//! depends on whatever else in the process uses rayon. Every parallel kernel reduces down a
//! tree fixed by the input length alone, so results never depend on the pool's size, or on
//! whether the pool exists at all.

use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::{Mutex, OnceLock, PoisonError};

/// Requested size; 0 means "one thread per available core".
static REQUESTED: AtomicUsize = AtomicUsize::new(0);

/// `None` inside the lock records that building failed, so we do not retry (and fail again)
/// on every call: the sequential fallback gives the same results anyway.
static POOL: OnceLock<Option<rayon::ThreadPool>> = OnceLock::new();

/// Sets the number of threads used when the pool is first built; `0` means one per available
/// core. Ignored once the pool exists, since rayon pools cannot be resized.
pub fn configure(threads: usize) {
    REQUESTED.store(threads, Ordering::Relaxed);
}

/// The number of threads the pool has, or will have if it is built now. `1` when building
/// it failed, as work then runs on the calling thread.
pub fn threads() -> usize {
    match POOL.get() {
        Some(Some(pool)) => pool.current_num_threads(),
        Some(None) => 1,
        None => resolve(REQUESTED.load(Ordering::Relaxed)),
    }
}

fn resolve(requested: usize) -> usize {
    if requested != 0 {
        return requested;
    }
    std::thread::available_parallelism().map_or(1, std::num::NonZeroUsize::get)
}

fn pool() -> Option<&'static rayon::ThreadPool> {
    POOL.get_or_init(|| {
        rayon::ThreadPoolBuilder::new()
            .num_threads(resolve(REQUESTED.load(Ordering::Relaxed)))
            .thread_name(|i| format!("hotpath-worker-{i}"))
            .build()
            .ok()
    })
    .as_ref()
}

/// Runs `f` inside hotpath's pool, so that `rayon::join` calls in `f` spread over its
/// threads, and returns its result.
///
/// When the calling thread already belongs to a rayon pool (nested calls, or a caller that
/// deliberately installed its own pool), `f` runs right there and its joins use that pool:
/// hopping to another pool would only block a worker. When the pool cannot be built, `f` runs
/// on the calling thread; the kernels give identical results either way.
pub fn run<R: Send>(f: impl FnOnce() -> R + Send) -> R {
    if rayon::current_thread_index().is_some() {
        return f();
    }
    match pool() {
        Some(pool) => pool.install(f),
        None => f(),
    }
}

/// Calls `f` on every job of `jobs`, the calling thread working beside up to `threads() - 1`
/// of the pool's workers: each participant takes the next job not yet taken until none is
/// left, so uneven jobs balance themselves and a worker that wakes late only takes what is
/// left. The calling thread starts at once; [`run`] (`install`) parks it until a worker picks
/// the work up, which on a 2-core machine cost about 10% of a 1 MiB SHA-256 batch.
///
/// A single job, a pool that cannot be built, or a caller that is already a rayon worker runs
/// every job right here, in order. A panic in `f` on a worker reaches the caller once every
/// participant has stopped.
pub fn share<J: Send>(jobs: Vec<J>, f: impl Fn(J) + Sync) {
    let helpers = threads()
        .saturating_sub(1)
        .min(jobs.len().saturating_sub(1));
    let pool = match pool() {
        Some(pool) if helpers > 0 && rayon::current_thread_index().is_none() => pool,
        _ => {
            jobs.into_iter().for_each(f);
            return;
        }
    };
    let slots: Vec<Mutex<Option<J>>> = jobs.into_iter().map(|job| Mutex::new(Some(job))).collect();
    let next = AtomicUsize::new(0);
    let work = || {
        while let Some(slot) = slots.get(next.fetch_add(1, Ordering::Relaxed)) {
            // Each slot is taken by exactly one participant, so the lock is never contended;
            // a poisoned one only means another participant panicked, which is reported anyway.
            let job = slot.lock().unwrap_or_else(PoisonError::into_inner).take();
            if let Some(job) = job {
                f(job);
            }
        }
    };
    pool.in_place_scope(|scope| {
        for _ in 0..helpers {
            scope.spawn(|_| work());
        }
        work();
    });
}
