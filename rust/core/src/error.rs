//! The one error type of the core crate: everything else is total over its inputs.

/// Why a kernel refused its input.
#[derive(Debug, thiserror::Error, Clone, PartialEq, Eq)]
pub enum Error {
    /// A byte length that must be a multiple of an element size was not.
    #[error("{what} has {len} bytes, not a multiple of {multiple}")]
    NotAMultiple {
        /// What was being read, for the message (e.g. `"buffer"`).
        what: &'static str,
        /// The length that was given, in bytes.
        len: usize,
        /// The element size the length must be a multiple of.
        multiple: usize,
    },
    /// An argument of fixed length (a key) had another length.
    #[error("{what} has {len} bytes, expected {expected}")]
    WrongLength {
        /// The argument, for the message (e.g. `"key"`).
        what: &'static str,
        /// The length that was given, in bytes.
        len: usize,
        /// The length required, in bytes.
        expected: usize,
    },
    /// An allocation whose size follows from the input failed: the process is out of memory,
    /// or under a limit (`ulimit -v`/`-d`, a cgroup), that this input needs more than.
    #[error("out of memory: {bytes} bytes for {what}")]
    OutOfMemory {
        /// What the memory was for, for the message (e.g. `"transaction statuses"`).
        what: &'static str,
        /// The size of the allocation that failed, in bytes.
        bytes: usize,
    },
    // Vectors family.
    /// An argument with a value the kernel refuses (a dimension, a non-finite component, a zero
    /// vector under COSINE); the message names the argument and the value.
    #[error("{message}")]
    Invalid {
        /// What was wrong, for the exception's message.
        message: String,
    },
}

impl Error {
    /// The [`Error::OutOfMemory`] of `count` more elements of `T` for `what`.
    pub(crate) fn out_of_memory<T>(what: &'static str, count: usize) -> Error {
        Error::OutOfMemory {
            what,
            bytes: count.saturating_mul(std::mem::size_of::<T>()),
        }
    }
}

/// A vector with room for exactly `count` elements, or [`Error::OutOfMemory`] naming `what`:
/// on stable Rust an infallible allocation that fails aborts the process, so every allocation
/// whose size follows from the input goes through here or another `try_reserve`.
pub(crate) fn vec_with_capacity<T>(what: &'static str, count: usize) -> Result<Vec<T>, Error> {
    let mut v = Vec::new();
    v.try_reserve_exact(count)
        .map_err(|_| Error::out_of_memory::<T>(what, count))?;
    Ok(v)
}

#[cfg(test)]
mod tests {
    use super::Error;

    #[test]
    fn message_names_the_numbers() {
        let e = Error::NotAMultiple {
            what: "buffer",
            len: 13,
            multiple: 8,
        };
        assert_eq!(e.to_string(), "buffer has 13 bytes, not a multiple of 8");
        let e = Error::WrongLength {
            what: "key",
            len: 31,
            expected: 32,
        };
        assert_eq!(e.to_string(), "key has 31 bytes, expected 32");
        let e = Error::OutOfMemory {
            what: "statuses",
            bytes: 50_000_000,
        };
        assert_eq!(e.to_string(), "out of memory: 50000000 bytes for statuses");
    }

    #[test]
    fn an_impossible_capacity_is_an_error_naming_its_size() {
        let e = super::vec_with_capacity::<u64>("test", usize::MAX / 8).err();
        assert_eq!(
            e,
            Some(Error::OutOfMemory {
                what: "test",
                bytes: usize::MAX / 8 * 8
            })
        );
        assert!(super::vec_with_capacity::<u8>("test", 16).is_ok_and(|v| v.capacity() >= 16));
    }
}
