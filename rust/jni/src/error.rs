//! Every way a bridge call can fail, and the one table that turns each into a Java exception.

use crate::env::Env;

/// A failure of a bridge call, thrown as a Java exception when the shim returns.
#[derive(Debug)]
pub enum BridgeError {
    /// A required argument was null; the name of the argument.
    Null(&'static str),
    /// An element of an array argument was null: the argument's name and the index.
    NullElement(&'static str, usize),
    /// An index or range outside the array or buffer.
    OutOfBounds(String),
    /// An argument with a wrong value (length, size, kind of buffer).
    IllegalArgument(String),
    /// A kernel rejected its input.
    Core(hotpath_core::Error),
    /// A Rust panic caught at the boundary, with its message.
    Panic(String),
    /// The JVM already has an exception pending (for example `OutOfMemoryError` from pinning);
    /// it is the one the caller sees.
    Pending,
    /// The JVM's function table lacks a function the bridge needs.
    MissingJniFunction(&'static str),
    /// A JNI call returned something the bridge cannot use.
    Jni(&'static str),
}

impl From<hotpath_core::Error> for BridgeError {
    fn from(e: hotpath_core::Error) -> Self {
        BridgeError::Core(e)
    }
}

impl BridgeError {
    /// Throws the Java exception for this error; `function` names the entry point for messages
    /// that would otherwise lack context.
    pub fn throw(self, env: &Env, function: &str) {
        let (class, message): (&std::ffi::CStr, String) = match self {
            BridgeError::Null(arg) => (c"java/lang/NullPointerException", format!("{arg} is null")),
            BridgeError::NullElement(arg, index) => (
                c"java/lang/NullPointerException",
                format!("{arg}[{index}] is null"),
            ),
            BridgeError::OutOfBounds(m) => (c"java/lang/IndexOutOfBoundsException", m),
            BridgeError::IllegalArgument(m) => (c"java/lang/IllegalArgumentException", m),
            BridgeError::Core(e @ hotpath_core::Error::OutOfMemory { .. }) => {
                (c"java/lang/OutOfMemoryError", e.to_string())
            }
            BridgeError::Core(e) => (c"java/lang/IllegalArgumentException", e.to_string()),
            BridgeError::Panic(m) => (
                c"dev/hotpath/NativeKernelException",
                format!("native panic in {function}: {m}"),
            ),
            BridgeError::Pending => return,
            BridgeError::MissingJniFunction(name) => (
                c"java/lang/UnsupportedOperationException",
                format!("{function}: this JVM does not provide the JNI function {name}"),
            ),
            BridgeError::Jni(what) => (
                c"java/lang/IllegalStateException",
                format!("{function}: unexpected JNI result: {what}"),
            ),
        };
        // If even throwing fails there is nothing left to report it with; the caller gets the
        // fallback return value, which the Kotlin side never sees without an exception.
        let _ = env.throw(class, &message);
    }
}
