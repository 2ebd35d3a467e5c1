//! The one thread pool hotpath owns.
//!
//! It is built lazily on first use, so a JVM that never calls a large kernel never starts a
//! thread, and it is separate from rayon's global pool so hotpath neither competes with nor
//! depends on whatever else in the process uses rayon. Every parallel kernel reduces down a
//! tree fixed by the input length alone, so results never depend on the pool's size, or on
//! whether the pool exists at all.

use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::{Arc, Mutex, MutexGuard, OnceLock, PoisonError};
use std::thread::JoinHandle;

/// Requested size; 0 means "one thread per available core".
static REQUESTED: AtomicUsize = AtomicUsize::new(0);

/// The pool's life: built on first use, and shut down at most once, when the library is
/// unloaded (a JVM drops the class loader that loaded it). Building can fail; that is
/// recorded so we do not retry (and fail again) on every call: the sequential fallback gives
/// the same results anyway.
enum State {
    Unbuilt,
    Built(Arc<rayon::ThreadPool>),
    Failed,
    ShutDown,
}

/// A lock rather than a `OnceLock`, so that [`shutdown`] can take the pool back. It is taken
/// once per parallel call, tens of nanoseconds against the microseconds such a call costs.
static POOL: Mutex<State> = Mutex::new(State::Unbuilt);

/// Runs a job on a new OS thread and waits for it; see [`set_launcher`].
pub type Launcher = fn(Box<dyn FnOnce() + Send>);

static LAUNCHER: OnceLock<Launcher> = OnceLock::new();

/// Makes the pool start its threads from a fresh thread that `launcher` creates and waits for,
/// rather than from the thread that first needs the pool. Spawning a thread with `std` leaves
/// a thread-local destructor of this library on the spawning thread, and a library with such a
/// destructor pending cannot be unloaded until that thread exits; when the first caller is a
/// long-lived thread of a host (a JVM's request thread), the library would stay mapped after
/// its class loader is gone. A launcher whose thread exits takes the destructor with it. The
/// first launcher set stays.
pub fn set_launcher(launcher: Launcher) {
    let _ = LAUNCHER.set(launcher);
}

/// The pool's threads, joined by [`shutdown`]: until they have exited, code of this library
/// is still running and it must not be unmapped.
static THREADS: Mutex<Vec<JoinHandle<()>>> = Mutex::new(Vec::new());

fn lock<T>(m: &Mutex<T>) -> MutexGuard<'_, T> {
    // The guarded values stay consistent whatever panicked while holding the lock.
    m.lock().unwrap_or_else(PoisonError::into_inner)
}

/// Sets the number of threads used when the pool is first built; `0` means one per available
/// core. Ignored once the pool exists, since rayon pools cannot be resized.
pub fn configure(threads: usize) {
    REQUESTED.store(threads, Ordering::Relaxed);
}

/// The number of threads the pool has, or will have if it is built now. `1` when building
/// it failed or the pool was shut down, as work then runs on the calling thread.
pub fn threads() -> usize {
    match &*lock(&POOL) {
        State::Built(pool) => pool.current_num_threads(),
        State::Failed | State::ShutDown => 1,
        State::Unbuilt => resolve(REQUESTED.load(Ordering::Relaxed)),
    }
}

fn resolve(requested: usize) -> usize {
    if requested != 0 {
        return requested;
    }
    // Once: `available_parallelism` reads the process's cgroup files (quota, period, mount
    // table) on every call, about 30 us on Linux, and every kernel asks before it decides
    // whether to split, so until the pool was built each small call paid it.
    static AVAILABLE: OnceLock<usize> = OnceLock::new();
    *AVAILABLE
        .get_or_init(|| std::thread::available_parallelism().map_or(1, std::num::NonZeroUsize::get))
}

fn pool() -> Option<Arc<rayon::ThreadPool>> {
    let mut state = lock(&POOL);
    if let State::Unbuilt = *state {
        *state = match build_launched(resolve(REQUESTED.load(Ordering::Relaxed))) {
            Some(pool) => State::Built(Arc::new(pool)),
            None => State::Failed,
        };
    }
    match &*state {
        State::Built(pool) => Some(Arc::clone(pool)),
        _ => None,
    }
}

/// [`build`], on the launcher's thread when there is one.
fn build_launched(threads: usize) -> Option<rayon::ThreadPool> {
    let Some(launch) = LAUNCHER.get() else {
        return build(threads);
    };
    let slot = Arc::new(Mutex::new(None));
    let out = Arc::clone(&slot);
    launch(Box::new(move || *lock(&out) = build(threads)));
    let built = lock(&slot).take();
    built
}

fn build(threads: usize) -> Option<rayon::ThreadPool> {
    rayon::ThreadPoolBuilder::new()
        .num_threads(threads)
        .thread_name(|i| format!("hotpath-worker-{i}"))
        .spawn_handler(|thread| {
            let mut builder = std::thread::Builder::new();
            if let Some(name) = thread.name() {
                builder = builder.name(name.to_owned());
            }
            if let Some(size) = thread.stack_size() {
                builder = builder.stack_size(size);
            }
            let handle = builder.spawn(|| thread.run())?;
            lock(&THREADS).push(handle);
            Ok(())
        })
        .build()
        .ok()
}

/// Stops the pool and waits until every one of its threads has exited; later calls run on
/// the calling thread. For the library's unload (`JNI_OnUnload`), when no call can be in
/// progress: a call still running would keep its share of the pool alive until it returns.
/// Returns the number of threads joined.
pub fn shutdown() -> usize {
    let previous = std::mem::replace(&mut *lock(&POOL), State::ShutDown);
    // Dropping the last handle tells rayon's workers to exit once they are idle.
    drop(previous);
    let handles = std::mem::take(&mut *lock(&THREADS));
    let joined = handles.len();
    for handle in handles {
        // A worker that panicked has exited too, which is all that matters here.
        let _ = handle.join();
    }
    joined
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

/// The most pieces a kernel cuts one call into for [`share`]: enough to balance two to a few
/// dozen threads, few enough that the bookkeeping (a slot and a result per piece) stays a few
/// KiB whatever the input's size.
pub const MAX_PIECES: usize = 256;

/// The piece size for `len` items: `grain`, or larger when `grain` would make more than
/// [`MAX_PIECES`] pieces.
pub fn piece_len(len: usize, grain: usize) -> usize {
    grain.max(len.div_ceil(MAX_PIECES)).max(1)
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
