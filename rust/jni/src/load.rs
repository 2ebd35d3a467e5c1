//! The library's life in a JVM: `JNI_OnLoad` binds the native methods, `JNI_OnUnload`
//! stops the pool.
//!
//! The methods are bound with `RegisterNatives` rather than exported as `Java_dev_hotpath_...`
//! symbols, because a service that relocates hotpath's packages (maven-shade-plugin, as fat
//! jars and Spark jobs do) renames the class the symbols would have to spell. The Kotlin
//! loader names its own, possibly relocated, bridge class in the system property
//! [`BRIDGE_PROPERTY`] while it calls `System.load`, holding a lock every copy of hotpath
//! shares, so two copies loading at once never read each other's name. The library learns
//! the root package from it, which is where its own exception classes live too.
//!
//! Each class loader that loads hotpath loads its own copy of this library (the JVM binds a
//! file to one loader), so each copy has its own pool; when the JVM drops a class loader it
//! calls `JNI_OnUnload` before unmapping that copy, and the pool's threads must be gone by then.

use std::ffi::c_void;
use std::panic::{catch_unwind, AssertUnwindSafe};
use std::sync::OnceLock;

use jni::sys::{jint, JNIEnv, JavaVM, JNI_ERR, JNI_OK, JNI_VERSION_1_6};

use crate::env::Env;
use crate::error::BridgeError;
use crate::registry;
use crate::system::VERSION;

/// The system property in which the Kotlin loader names its bridge class, `/`-separated.
pub const BRIDGE_PROPERTY: &str = "hotpath.jni.bridge";

/// The bridge class when no loader named one (a library loaded by hand).
const DEFAULT_BRIDGE: &str = "dev/hotpath/internal/NativeBridge";

/// The bridge class's path below hotpath's root package.
const BRIDGE_SUFFIX: &str = "internal/NativeBridge";

/// hotpath's root package as registered, `/`-separated with a trailing `/`.
static ROOT_PACKAGE: OnceLock<String> = OnceLock::new();

/// hotpath's root package in the Kotlin copy this library is bound to (`dev/hotpath/`
/// unless relocated).
pub fn root_package() -> &'static str {
    ROOT_PACKAGE.get().map_or("dev/hotpath/", String::as_str)
}

/// Called by the JVM inside `System.load`: binds every native method of the bridge class.
/// On failure it leaves an `UnsatisfiedLinkError` pending, which `System.load` throws.
#[no_mangle]
pub extern "system" fn JNI_OnLoad(vm: *mut JavaVM, _reserved: *mut c_void) -> jint {
    let Some(env) = env_of(vm) else {
        return JNI_ERR;
    };
    #[cfg(unix)]
    hotpath_core::pool::set_launcher(launch_on_fresh_thread);
    let outcome = catch_unwind(AssertUnwindSafe(|| bind(&env)));
    let failure = match outcome {
        Ok(Ok(())) => return JNI_VERSION_1_6,
        Ok(Err(message)) => message,
        Err(_) => "a panic while registering the native methods".to_string(),
    };
    let _ = env.throw(
        "java/lang/UnsatisfiedLinkError",
        &format!("hotpath native library {VERSION}: {failure}"),
    );
    JNI_VERSION_1_6
}

/// Called by the JVM when the class loader that loaded this copy is collected.
#[no_mangle]
pub extern "system" fn JNI_OnUnload(_vm: *mut JavaVM, _reserved: *mut c_void) {
    let _ = catch_unwind(hotpath_core::pool::shutdown);
}

/// Runs `job` on a new POSIX thread and waits for it, so that the pool's threads are spawned
/// by a thread that then exits ([`hotpath_core::pool::set_launcher`] says why). A thread that
/// cannot be created leaves the job to run here.
#[cfg(unix)]
fn launch_on_fresh_thread(job: Box<dyn FnOnce() + Send>) {
    type Job = Box<dyn FnOnce() + Send>;
    extern "C" fn start(arg: *mut c_void) -> *mut c_void {
        // SAFETY: `arg` is the `Box<Job>` leaked below, handed to exactly this thread.
        let job = unsafe { Box::from_raw(arg.cast::<Job>()) };
        // Unwinding out of a C thread entry would abort; the job reports through its own slot.
        let _ = catch_unwind(AssertUnwindSafe(job));
        std::ptr::null_mut()
    }
    let arg = Box::into_raw(Box::new(job)).cast::<c_void>();
    // SAFETY: zeroed is a valid placeholder for the id pthread_create writes.
    let mut thread: libc::pthread_t = unsafe { std::mem::zeroed() };
    // SAFETY: `start` has the entry signature pthread_create expects; default attributes.
    let created = unsafe { libc::pthread_create(&mut thread, std::ptr::null(), start, arg) };
    if created != 0 {
        // SAFETY: no thread took `arg`, so it is still ours to take back, once.
        let job = unsafe { Box::from_raw(arg.cast::<Job>()) };
        job();
        return;
    }
    // SAFETY: `thread` was created above, joinable, and is joined exactly once.
    unsafe { libc::pthread_join(thread, std::ptr::null_mut()) };
}

fn env_of(vm: *mut JavaVM) -> Option<Env> {
    if vm.is_null() {
        return None;
    }
    let mut raw: *mut c_void = std::ptr::null_mut();
    // SAFETY: `vm` is the JavaVM the JVM passed to JNI_OnLoad; its function table is valid.
    let get_env = unsafe { (**vm).GetEnv }?;
    // SAFETY: GetEnv writes the calling thread's JNIEnv (JNI_OnLoad runs on a Java thread).
    if unsafe { get_env(vm, &mut raw, JNI_VERSION_1_6) } != JNI_OK || raw.is_null() {
        return None;
    }
    // SAFETY: a JNIEnv* of the current thread, valid for the rest of JNI_OnLoad.
    Some(unsafe { Env::from_raw(raw.cast::<JNIEnv>()) })
}

/// Finds the bridge class and registers the table; the error says what failed, for the one
/// message the loader shows.
fn bind(env: &Env) -> Result<(), String> {
    let named = env
        .system_property(BRIDGE_PROPERTY)
        .map_err(|e| describe(env, e, "reading the system property"))?;
    let bridge = named.unwrap_or_else(|| DEFAULT_BRIDGE.to_string());
    let root = bridge.strip_suffix(BRIDGE_SUFFIX).ok_or_else(|| {
        format!("{BRIDGE_PROPERTY}={bridge} does not name a class ending in {BRIDGE_SUFFIX}")
    })?;
    let class = env
        .find_class(&bridge)
        .map_err(|e| describe(env, e, &format!("the bridge class {bridge} was not found")))?;
    let registered = env.register_natives(class, &registry::methods());
    env.delete_local(class);
    registered.map_err(|e| {
        describe(
            env,
            e,
            &format!(
                "it does not match the jar's {bridge} (library and jar come from different builds)"
            ),
        )
    })?;
    // The first class loader's copy decides; a copy is only ever bound to one class.
    let _ = ROOT_PACKAGE.set(root.to_string());
    Ok(())
}

/// `what`, followed by the pending Java exception (taken, so a clearer one can be thrown).
fn describe(env: &Env, error: BridgeError, what: &str) -> String {
    let detail = env.take_exception().unwrap_or_else(|| format!("{error:?}"));
    format!("{what}: {detail}")
}
