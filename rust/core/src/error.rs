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
    }
}
