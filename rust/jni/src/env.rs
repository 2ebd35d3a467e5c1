//! A thin, copyable handle over the raw `JNIEnv` pointer, with the few calls the bridge makes.

use std::ffi::{CStr, CString};

use jni::sys::{
    jarray, jboolean, jbooleanArray, jbyte, jbyteArray, jclass, jint, jobject, jobjectArray, jsize,
    jstring, JNIEnv, JNI_OK, JNI_TRUE,
};

use crate::error::BridgeError;

/// The JNI environment of the current native call. It is only valid on the thread that
/// received it and only for the duration of that call, so it is neither `Send` nor `Sync`
/// (raw pointer field), which keeps it away from rayon workers by construction.
#[derive(Clone, Copy)]
pub struct Env {
    raw: *mut JNIEnv,
}

macro_rules! jni_fn {
    ($env:expr, $name:ident) => {{
        // SAFETY: `raw` came from the JVM for this native call and points to a valid function
        // table for the whole call (JNI spec, "JNI Interface Pointer").
        let table = unsafe { &**$env.raw };
        table
            .$name
            .ok_or(BridgeError::MissingJniFunction(stringify!($name)))?
    }};
}

impl Env {
    /// Wraps the pointer the JVM passed to a native method.
    ///
    /// # Safety
    /// `raw` must be the `JNIEnv*` of the native call in progress on this thread.
    pub unsafe fn from_raw(raw: *mut JNIEnv) -> Env {
        Env { raw }
    }

    /// Whether a Java exception is pending on this thread.
    /// After a JNI call that reports failure only by leaving an exception pending:
    /// [`BridgeError::Pending`] if it did, else `Ok`.
    fn pending(&self) -> Result<(), BridgeError> {
        if self.exception_check() {
            Err(BridgeError::Pending)
        } else {
            Ok(())
        }
    }

    pub fn exception_check(&self) -> bool {
        // SAFETY: valid env for this call (see `from_raw`).
        let table = unsafe { &**self.raw };
        match table.ExceptionCheck {
            // SAFETY: ExceptionCheck may be called at any time outside a critical region.
            Some(f) => unsafe { f(self.raw) == JNI_TRUE },
            None => false,
        }
    }

    /// Throws a new exception of `class` (a JNI class name such as `java/lang/Foo`).
    /// Does nothing if an exception is already pending: the first error is the one to report.
    pub fn throw(&self, class: &str, message: &str) -> Result<(), BridgeError> {
        if self.exception_check() {
            return Ok(());
        }
        let throw_new = jni_fn!(self, ThrowNew);
        // A message with an interior NUL cannot cross as a C string; keep the text before it.
        let text = message.split('\0').next().unwrap_or_default();
        let message = CString::new(text).map_err(|_| BridgeError::Jni("message contains NUL"))?;
        let class = self.find_class(class)?;
        // SAFETY: `class` is a valid local reference to a Throwable subclass.
        unsafe { throw_new(self.raw, class, message.as_ptr()) };
        self.delete_local(class);
        Ok(())
    }

    /// The class named `name` (`java/lang/Foo`), resolved by the class loader of the native
    /// method's class (in `JNI_OnLoad`: of the class that loaded the library), so hotpath's
    /// own classes are found even under isolated loaders. `Pending` (NoClassDefFoundError) if
    /// there is none.
    pub fn find_class(&self, name: &str) -> Result<jclass, BridgeError> {
        let find_class = jni_fn!(self, FindClass);
        let name = CString::new(name).map_err(|_| BridgeError::Jni("class name contains NUL"))?;
        // SAFETY: valid env; a NUL-terminated class name.
        let class = unsafe { find_class(self.raw, name.as_ptr()) };
        if class.is_null() {
            Err(BridgeError::Pending)
        } else {
            Ok(class)
        }
    }

    /// `System.getProperty(key)`, or `None` when it is not set.
    pub fn system_property(&self, key: &str) -> Result<Option<String>, BridgeError> {
        let get_static = jni_fn!(self, GetStaticMethodID);
        let call = jni_fn!(self, CallStaticObjectMethodA);
        let system = self.find_class("java/lang/System")?;
        // SAFETY: valid env; `system` is java.lang.System; name and descriptor are C strings.
        let method = unsafe {
            get_static(
                self.raw,
                system,
                c"getProperty".as_ptr(),
                c"(Ljava/lang/String;)Ljava/lang/String;".as_ptr(),
            )
        };
        if method.is_null() {
            self.delete_local(system);
            return Err(BridgeError::Pending);
        }
        let key = self.new_string(key)?;
        let args = [jni::sys::jvalue { l: key }];
        // SAFETY: a static method of `system` taking one String, given one String.
        let value = unsafe { call(self.raw, system, method, args.as_ptr()) };
        self.delete_local(key);
        self.delete_local(system);
        if self.exception_check() {
            return Err(BridgeError::Pending);
        }
        if value.is_null() {
            return Ok(None);
        }
        let text = self.string(value);
        self.delete_local(value);
        text.map(Some)
    }

    /// The contents of a Java string (modified UTF-8, which equals UTF-8 for the class and
    /// property names read here).
    pub fn string(&self, s: jstring) -> Result<String, BridgeError> {
        let get = jni_fn!(self, GetStringUTFChars);
        let release = jni_fn!(self, ReleaseStringUTFChars);
        // SAFETY: valid env; `s` is a non-null String reference.
        let chars = unsafe { get(self.raw, s, std::ptr::null_mut()) };
        if chars.is_null() {
            return Err(BridgeError::Pending);
        }
        // SAFETY: GetStringUTFChars returns a NUL-terminated buffer, valid until released.
        let text = unsafe { CStr::from_ptr(chars) }
            .to_string_lossy()
            .into_owned();
        // SAFETY: `chars` came from GetStringUTFChars on `s` and is released once.
        unsafe { release(self.raw, s, chars) };
        Ok(text)
    }

    /// Binds the native methods of `class` to the functions in `methods`. `Pending`
    /// (NoSuchMethodError naming the method) if `class` lacks one of them.
    pub fn register_natives(
        &self,
        class: jclass,
        methods: &[jni::sys::JNINativeMethod],
    ) -> Result<(), BridgeError> {
        let register = jni_fn!(self, RegisterNatives);
        let n = jint::try_from(methods.len()).map_err(|_| BridgeError::Jni("too many methods"))?;
        // SAFETY: valid env; `class` is a class reference; each entry holds NUL-terminated
        // static strings and a function with the JNI signature its descriptor states.
        if unsafe { register(self.raw, class, methods.as_ptr(), n) } == JNI_OK {
            Ok(())
        } else {
            Err(BridgeError::Pending)
        }
    }

    /// Takes the pending exception, if any, and returns what its `toString()` says.
    pub fn take_exception(&self) -> Option<String> {
        if !self.exception_check() {
            return None;
        }
        // SAFETY: valid env for this call.
        let table = unsafe { &**self.raw };
        let (Some(occurred), Some(clear)) = (table.ExceptionOccurred, table.ExceptionClear) else {
            return Some("an exception".to_string());
        };
        // SAFETY: an exception is pending; ExceptionOccurred returns a local reference to it.
        let throwable = unsafe { occurred(self.raw) };
        // SAFETY: as above; clearing lets the calls below run.
        unsafe { clear(self.raw) };
        let text = self.describe_object(throwable).unwrap_or_else(|_| {
            if let Some(clear) = table.ExceptionClear {
                // SAFETY: valid env; drops whatever toString() itself threw.
                unsafe { clear(self.raw) };
            }
            "an exception".to_string()
        });
        self.delete_local(throwable);
        Some(text)
    }

    fn describe_object(&self, obj: jobject) -> Result<String, BridgeError> {
        let get_class = jni_fn!(self, GetObjectClass);
        let get_method = jni_fn!(self, GetMethodID);
        let call = jni_fn!(self, CallObjectMethodA);
        // SAFETY: valid env; `obj` is a non-null object reference.
        let class = unsafe { get_class(self.raw, obj) };
        // SAFETY: valid env and class; C-string name and descriptor.
        let method = unsafe {
            get_method(
                self.raw,
                class,
                c"toString".as_ptr(),
                c"()Ljava/lang/String;".as_ptr(),
            )
        };
        self.delete_local(class);
        if method.is_null() {
            return Err(BridgeError::Pending);
        }
        // SAFETY: an instance method of `obj`'s class taking no arguments.
        let s = unsafe { call(self.raw, obj, method, std::ptr::null()) };
        if s.is_null() || self.exception_check() {
            return Err(BridgeError::Pending);
        }
        let text = self.string(s);
        self.delete_local(s);
        text
    }

    /// Releases a local reference early (loops that create many would exhaust the table).
    pub fn delete_local(&self, obj: jobject) {
        // SAFETY: valid env for this call.
        let table = unsafe { &**self.raw };
        if let (Some(f), false) = (table.DeleteLocalRef, obj.is_null()) {
            // SAFETY: `obj` is a local reference created during this call.
            unsafe { f(self.raw, obj) };
        }
    }

    /// The length of a Java array, which must not be null.
    pub fn array_length(&self, array: jarray) -> Result<usize, BridgeError> {
        let get_len = jni_fn!(self, GetArrayLength);
        // SAFETY: valid env; `array` is a non-null array reference (checked by callers).
        let len: jsize = unsafe { get_len(self.raw, array) };
        usize::try_from(len).map_err(|_| BridgeError::Jni("negative array length"))
    }

    /// A new Java string with `value`'s contents.
    pub fn new_string(&self, value: &str) -> Result<jstring, BridgeError> {
        let new_string = jni_fn!(self, NewStringUTF);
        let value = CString::new(value).map_err(|_| BridgeError::Jni("string contains NUL"))?;
        // SAFETY: valid env and a NUL-terminated modified-UTF-8 string (ASCII here).
        let s = unsafe { new_string(self.raw, value.as_ptr()) };
        if s.is_null() {
            Err(BridgeError::Pending)
        } else {
            Ok(s)
        }
    }

    /// Copies `values` into the start of a Java `double[]` (outside any critical region).
    pub fn set_double_region(&self, array: jarray, values: &[f64]) -> Result<(), BridgeError> {
        let set = jni_fn!(self, SetDoubleArrayRegion);
        let len = jsize::try_from(values.len()).map_err(|_| BridgeError::Jni("region too long"))?;
        // SAFETY: valid env; callers check the array is non-null and at least `len` long.
        unsafe { set(self.raw, array, 0, len, values.as_ptr()) };
        self.pending()
    }

    /// The base address and capacity of a direct buffer, or `None` for a heap buffer.
    pub fn direct_buffer(&self, buffer: jobject) -> Result<Option<(*mut u8, usize)>, BridgeError> {
        let address = jni_fn!(self, GetDirectBufferAddress);
        let capacity = jni_fn!(self, GetDirectBufferCapacity);
        // SAFETY: valid env; `buffer` is a non-null java.nio.Buffer reference.
        let addr = unsafe { address(self.raw, buffer) } as *mut u8;
        // SAFETY: as above.
        let cap = unsafe { capacity(self.raw, buffer) };
        if addr.is_null() || cap < 0 {
            return Ok(None);
        }
        let cap = usize::try_from(cap).map_err(|_| BridgeError::Jni("buffer capacity"))?;
        Ok(Some((addr, cap)))
    }

    /// Copies `array[start..start + dest.len()]` into `dest` (outside any critical region);
    /// the caller has checked the range against the array's length.
    pub fn get_byte_region(
        &self,
        array: jbyteArray,
        start: usize,
        dest: &mut [u8],
    ) -> Result<(), BridgeError> {
        if dest.is_empty() {
            return Ok(());
        }
        let get = jni_fn!(self, GetByteArrayRegion);
        let start = jsize::try_from(start).map_err(|_| BridgeError::Jni("region start"))?;
        let len = jsize::try_from(dest.len()).map_err(|_| BridgeError::Jni("region too long"))?;
        // SAFETY: valid env; `array` is a non-null byte[] holding `start + len` elements
        // (checked by callers); `dest` has room for `len` bytes (jbyte and u8 have one layout).
        unsafe { get(self.raw, array, start, len, dest.as_mut_ptr().cast()) };
        self.pending()
    }

    /// A new Java `boolean[]` holding `values`.
    pub fn new_boolean_array(&self, values: &[bool]) -> Result<jbooleanArray, BridgeError> {
        let new = jni_fn!(self, NewBooleanArray);
        let set = jni_fn!(self, SetBooleanArrayRegion);
        let len = jsize::try_from(values.len()).map_err(|_| BridgeError::Jni("array too long"))?;
        let raw: Vec<jboolean> = values.iter().map(|&v| jboolean::from(v)).collect();
        // SAFETY: valid env; non-negative length.
        let array = unsafe { new(self.raw, len) };
        if array.is_null() {
            return Err(BridgeError::Pending);
        }
        // SAFETY: `array` is a new boolean[] of `len` elements; `raw` holds `len` jbooleans.
        unsafe { set(self.raw, array, 0, len, raw.as_ptr()) };
        Ok(array)
    }

    pub(crate) fn get_critical(&self, array: jarray) -> Result<*mut std::ffi::c_void, BridgeError> {
        let get = jni_fn!(self, GetPrimitiveArrayCritical);
        let mut is_copy: jboolean = 0;
        // SAFETY: valid env; `array` is a non-null primitive array. Nothing else calls JNI until
        // the matching release (see `pin`), as the critical-region rules require.
        let ptr = unsafe { get(self.raw, array, &mut is_copy) };
        if ptr.is_null() {
            // The JVM has thrown OutOfMemoryError.
            Err(BridgeError::Pending)
        } else {
            Ok(ptr)
        }
    }

    pub(crate) fn release_critical(&self, array: jarray, ptr: *mut std::ffi::c_void, mode: i32) {
        // SAFETY: valid env for this call.
        let table = unsafe { &**self.raw };
        if let Some(release) = table.ReleasePrimitiveArrayCritical {
            // SAFETY: `ptr` came from GetPrimitiveArrayCritical on this `array` in this call
            // and is released exactly once.
            unsafe { release(self.raw, array, ptr, mode) };
        }
    }

    /// Element `index` of an object array (a new local reference), or null if the element is
    /// null. `index` must be below the array's length, which every caller has checked against
    /// `GetArrayLength` (an array's length never changes): then the only exception this call
    /// can throw, `ArrayIndexOutOfBoundsException`, cannot happen, and the `ExceptionCheck`
    /// that would follow (about 15 of the 50 ns each batch input costs) is left out. Never call
    /// this inside a critical region.
    pub fn object_array_element(
        &self,
        array: jobjectArray,
        index: usize,
    ) -> Result<jobject, BridgeError> {
        let get = jni_fn!(self, GetObjectArrayElement);
        let index = jsize::try_from(index).map_err(|_| BridgeError::Jni("index too large"))?;
        // SAFETY: valid env; `array` is a non-null object array and `index` is within it (both
        // checked by callers).
        Ok(unsafe { get(self.raw, array, index) })
    }

    /// A new Java `byte[]` holding a copy of `bytes` (a new local reference).
    pub fn new_byte_array(&self, bytes: &[u8]) -> Result<jbyteArray, BridgeError> {
        let new = jni_fn!(self, NewByteArray);
        let len = jsize::try_from(bytes.len()).map_err(|_| BridgeError::Jni("array too long"))?;
        // SAFETY: valid env; a non-negative length.
        let array = unsafe { new(self.raw, len) };
        if array.is_null() {
            // The JVM has thrown OutOfMemoryError.
            return Err(BridgeError::Pending);
        }
        self.set_byte_region(array, 0, bytes)?;
        Ok(array)
    }

    /// Copies `bytes` into a Java `byte[]` from index `start` (outside any critical region).
    pub fn set_byte_region(
        &self,
        array: jbyteArray,
        start: usize,
        bytes: &[u8],
    ) -> Result<(), BridgeError> {
        let set = jni_fn!(self, SetByteArrayRegion);
        let start = jsize::try_from(start).map_err(|_| BridgeError::Jni("region start"))?;
        let len = jsize::try_from(bytes.len()).map_err(|_| BridgeError::Jni("region too long"))?;
        // SAFETY: valid env; `array` is a non-null byte array; the JVM checks the region
        // against the array's length and throws if it does not fit (checked right below).
        unsafe { set(self.raw, array, start, len, bytes.as_ptr().cast::<jbyte>()) };
        self.pending()
    }

    /// Opens a frame of local references with room for `capacity` of them; every reference
    /// created until the [`LocalFrame`] is dropped is freed then.
    pub fn push_local_frame(&self, capacity: usize) -> Result<LocalFrame<'_>, BridgeError> {
        let push = jni_fn!(self, PushLocalFrame);
        let capacity = jint::try_from(capacity).map_err(|_| BridgeError::Jni("frame capacity"))?;
        // SAFETY: valid env; a positive capacity.
        if unsafe { push(self.raw, capacity) } != JNI_OK {
            // The JVM has thrown OutOfMemoryError.
            return Err(BridgeError::Pending);
        }
        Ok(LocalFrame { env: self })
    }

    // Csv family: the settings in, the columns out (csv.rs).

    /// Copies a whole `long[]` of `dest.len()` elements into `dest`; the caller has checked
    /// the array's length.
    pub fn get_long_region(
        &self,
        array: jni::sys::jlongArray,
        dest: &mut [i64],
    ) -> Result<(), BridgeError> {
        let get = jni_fn!(self, GetLongArrayRegion);
        let len = jsize::try_from(dest.len()).map_err(|_| BridgeError::Jni("region too long"))?;
        // SAFETY: valid env; `array` is a non-null long[] of at least `len` elements (checked by
        // the caller; the JVM checks too and throws, seen right below); `dest` holds `len`.
        unsafe { get(self.raw, array, 0, len, dest.as_mut_ptr()) };
        self.pending()
    }

    /// Copies `values` into a `long[]` from index 0 (outside any critical region).
    pub fn set_long_region(
        &self,
        array: jni::sys::jlongArray,
        values: &[i64],
    ) -> Result<(), BridgeError> {
        let set = jni_fn!(self, SetLongArrayRegion);
        let len = jsize::try_from(values.len()).map_err(|_| BridgeError::Jni("region too long"))?;
        // SAFETY: valid env; callers check the array is non-null and at least `len` long (the
        // JVM checks too and throws, seen right below).
        unsafe { set(self.raw, array, 0, len, values.as_ptr()) };
        self.pending()
    }

    /// Copies `values`, each at most `i32::MAX`, into an `int[]` from index 0.
    pub fn set_u32_region(
        &self,
        array: jni::sys::jintArray,
        values: &[u32],
    ) -> Result<(), BridgeError> {
        if values.iter().any(|&v| v > i32::MAX as u32) {
            return Err(BridgeError::Jni("int region value above i32::MAX"));
        }
        let set = jni_fn!(self, SetIntArrayRegion);
        let len = jsize::try_from(values.len()).map_err(|_| BridgeError::Jni("region too long"))?;
        // SAFETY: valid env; callers check the array is non-null and at least `len` long; u32
        // and jint have one size and alignment, and every value fits jint (checked above).
        unsafe { set(self.raw, array, 0, len, values.as_ptr().cast::<jint>()) };
        self.pending()
    }

    // Vectors family.
    /// Copies `values` into a Java `int[]` from index `start` (outside any critical region);
    /// the JVM checks the region against the array and throws if it does not fit.
    pub fn set_int_region(
        &self,
        array: jarray,
        start: usize,
        values: &[i32],
    ) -> Result<(), BridgeError> {
        let set = jni_fn!(self, SetIntArrayRegion);
        let start = jsize::try_from(start).map_err(|_| BridgeError::Jni("region start"))?;
        let len = jsize::try_from(values.len()).map_err(|_| BridgeError::Jni("region too long"))?;
        // SAFETY: valid env; `array` is a non-null int[] (checked by callers); `values` holds
        // `len` elements of jint's layout.
        unsafe { set(self.raw, array, start, len, values.as_ptr()) };
        self.pending()
    }

    /// A new Java `long[]` holding `values`.
    pub fn new_long_array(&self, values: &[i64]) -> Result<jni::sys::jlongArray, BridgeError> {
        let new = jni_fn!(self, NewLongArray);
        let len = jsize::try_from(values.len()).map_err(|_| BridgeError::Jni("array too long"))?;
        // SAFETY: valid env; a non-negative length.
        let array = unsafe { new(self.raw, len) };
        if array.is_null() {
            return Err(BridgeError::Pending);
        }
        self.set_long_region(array, values)?;
        Ok(array)
    }

    /// Copies `values` into a Java `float[]` from index `start`, as [`Env::set_int_region`].
    pub fn set_float_region(
        &self,
        array: jarray,
        start: usize,
        values: &[f32],
    ) -> Result<(), BridgeError> {
        let set = jni_fn!(self, SetFloatArrayRegion);
        let start = jsize::try_from(start).map_err(|_| BridgeError::Jni("region start"))?;
        let len = jsize::try_from(values.len()).map_err(|_| BridgeError::Jni("region too long"))?;
        // SAFETY: valid env; `array` is a non-null float[] (checked by callers); `values` holds
        // `len` elements of jfloat's layout.
        unsafe { set(self.raw, array, start, len, values.as_ptr()) };
        self.pending()
    }
}

/// A frame of local references opened by [`Env::push_local_frame`], popped when dropped (also
/// while unwinding, and with an exception pending, which JNI allows for `PopLocalFrame`).
/// Keep every pinned array of the frame's references dropped before the frame.
pub struct LocalFrame<'e> {
    env: &'e Env,
}

impl Drop for LocalFrame<'_> {
    fn drop(&mut self) {
        // SAFETY: valid env for this call.
        let table = unsafe { &**self.env.raw };
        if let Some(pop) = table.PopLocalFrame {
            // SAFETY: this frame was pushed by `push_local_frame` on this thread in this call
            // and is popped exactly once; no result reference is carried out of it.
            unsafe { pop(self.env.raw, std::ptr::null_mut()) };
        }
    }
}
