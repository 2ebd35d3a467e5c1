//! Every way a bridge call can fail, and the one table that turns each into a Java exception.

use crate::codes::ExceptionKind;
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
    /// Native memory for the input could not be allocated; what it was for.
    OutOfMemory(String),
    /// A Rust panic caught at the boundary, with its message.
    Panic(String),
    /// The JVM already has an exception pending (for example `OutOfMemoryError` from pinning);
    /// it is the one the caller sees.
    Pending,
    /// The JVM's function table lacks a function the bridge needs.
    MissingJniFunction(&'static str),
    /// A JNI call returned something the bridge cannot use.
    Jni(&'static str),
    /// A call on something no longer usable (Csv family: a read handle that is not live;
    /// Vectors family: a closed index); the message says which.
    IllegalState(String),
}

impl From<hotpath_core::Error> for BridgeError {
    fn from(e: hotpath_core::Error) -> Self {
        BridgeError::Core(e)
    }
}

impl BridgeError {
    /// The exception this error is thrown as, and its message; `function` names the entry
    /// point for messages that would otherwise lack context. `None` for [`BridgeError::Pending`].
    pub fn into_exception(self, function: &str) -> Option<(ExceptionKind, String)> {
        Some(match self {
            BridgeError::Null(arg) => (ExceptionKind::NullPointer, format!("{arg} is null")),
            BridgeError::NullElement(arg, index) => (
                ExceptionKind::NullPointer,
                format!("{arg}[{index}] is null"),
            ),
            BridgeError::OutOfBounds(m) => (ExceptionKind::IndexOutOfBounds, m),
            BridgeError::IllegalArgument(m) => (ExceptionKind::IllegalArgument, m),
            BridgeError::Core(e @ hotpath_core::Error::OutOfMemory { .. }) => {
                (ExceptionKind::OutOfMemory, format!("{function}: {e}"))
            }
            BridgeError::Core(e) => (ExceptionKind::IllegalArgument, e.to_string()),
            BridgeError::OutOfMemory(what) => (
                ExceptionKind::OutOfMemory,
                format!("{function}: native memory for {what} could not be allocated"),
            ),
            BridgeError::Panic(m) => (
                ExceptionKind::NativeKernel,
                format!("native panic in {function}: {m}"),
            ),
            BridgeError::Pending => return None,
            BridgeError::MissingJniFunction(name) => (
                ExceptionKind::UnsupportedOperation,
                format!("{function}: this JVM does not provide the JNI function {name}"),
            ),
            BridgeError::Jni(what) => (
                ExceptionKind::IllegalState,
                format!("{function}: unexpected JNI result: {what}"),
            ),
            BridgeError::IllegalState(m) => (ExceptionKind::IllegalState, m),
        })
    }

    /// Throws the Java exception for this error.
    pub fn throw(self, env: &Env, function: &str) {
        if let Some((kind, message)) = self.into_exception(function) {
            // If even throwing fails there is nothing left to report it with; the caller gets
            // the fallback return value, which the Kotlin side never sees without an exception.
            let _ = env.throw(&kind.class_name(), &message);
        }
    }
}
