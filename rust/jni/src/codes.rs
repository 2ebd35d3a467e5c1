//! Every code that crosses the boundary, in one table: the block errors and transaction
//! statuses of a ledger report, the report's layout, and the exception each kind of bridge
//! error becomes. The Kotlin side has one table of its own (the `code`s of `BlockError` and
//! `TxStatus`, `Ledger`'s report layout); the test suite compares the two through
//! [`tables`], so neither can change alone.

use hotpath_core::crypto::DIGEST_LEN;
use hotpath_core::ledger::{BlockError, TxStatus};

use crate::load;

/// The Java name of each block error; a match without a wildcard, so a new variant does not
/// compile until it has one.
pub fn block_error_name(e: BlockError) -> &'static str {
    match e {
        BlockError::BadMagic => "BAD_MAGIC",
        BlockError::Truncated => "TRUNCATED",
        BlockError::TrailingBytes => "TRAILING_BYTES",
        BlockError::MerkleMismatch => "MERKLE_MISMATCH",
    }
}

/// Every block error, in code order.
pub const BLOCK_ERRORS: [BlockError; 4] = [
    BlockError::BadMagic,
    BlockError::Truncated,
    BlockError::TrailingBytes,
    BlockError::MerkleMismatch,
];

/// The Java name of each transaction status (see [`block_error_name`]).
pub fn tx_status_name(s: TxStatus) -> &'static str {
    match s {
        TxStatus::Ok => "OK",
        TxStatus::Malformed => "MALFORMED",
        TxStatus::ZeroAmount => "ZERO_AMOUNT",
        TxStatus::BadSignature => "BAD_SIGNATURE",
        TxStatus::DuplicateNonce => "DUPLICATE_NONCE",
    }
}

/// Every transaction status, in code order.
pub const TX_STATUSES: [TxStatus; 5] = [
    TxStatus::Ok,
    TxStatus::Malformed,
    TxStatus::ZeroAmount,
    TxStatus::BadSignature,
    TxStatus::DuplicateNonce,
];

/// The encoded ledger report (`ledger.rs`): where each field starts.
pub mod report {
    use super::DIGEST_LEN;

    /// The block error's code, or [`NO_ERROR`].
    pub const ERROR_AT: usize = 0;
    /// 1 when a Merkle root follows, else 0.
    pub const HAS_ROOT_AT: usize = 1;
    /// The computed root, 32 bytes (zeros when absent).
    pub const ROOT_AT: usize = 2;
    /// The transaction count, `u32` little-endian.
    pub const COUNT_AT: usize = ROOT_AT + DIGEST_LEN;
    /// One status code per transaction, to the end.
    pub const STATUSES_AT: usize = COUNT_AT + 4;
    /// The error byte of a report without a block error.
    pub const NO_ERROR: u8 = 0xff;
}

/// The Java exception each kind of bridge error is thrown as (`error.rs` picks the kind).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum ExceptionKind {
    /// A null argument or element.
    NullPointer,
    /// An index or range outside an array or buffer.
    IndexOutOfBounds,
    /// An argument with a wrong value, or input a kernel refuses.
    IllegalArgument,
    /// A state the call cannot work in (an unexpected JNI result).
    IllegalState,
    /// Native memory for the input could not be had.
    OutOfMemory,
    /// The JVM lacks a JNI function the bridge needs.
    UnsupportedOperation,
    /// A Rust panic: a bug in hotpath, not in the arguments.
    NativeKernel,
}

impl ExceptionKind {
    /// Every kind.
    pub const ALL: [ExceptionKind; 7] = [
        ExceptionKind::NullPointer,
        ExceptionKind::IndexOutOfBounds,
        ExceptionKind::IllegalArgument,
        ExceptionKind::IllegalState,
        ExceptionKind::OutOfMemory,
        ExceptionKind::UnsupportedOperation,
        ExceptionKind::NativeKernel,
    ];

    /// The status an FFM entry point (`ffm.rs`) returns for an error of this kind: its
    /// position in [`ExceptionKind::ALL`] plus one, 0 being success.
    pub fn status(self) -> i32 {
        let mut code = 1;
        for kind in ExceptionKind::ALL {
            if kind == self {
                return code;
            }
            code += 1;
        }
        code
    }

    /// The class thrown, as `FindClass` names it. hotpath's own classes are named relative to
    /// the package of the bridge class this copy of the library registered with, so they stay
    /// right when the Kotlin side is relocated ([`crate::load`]).
    pub fn class_name(self) -> String {
        let jdk = match self {
            ExceptionKind::NullPointer => "java/lang/NullPointerException",
            ExceptionKind::IndexOutOfBounds => "java/lang/IndexOutOfBoundsException",
            ExceptionKind::IllegalArgument => "java/lang/IllegalArgumentException",
            ExceptionKind::IllegalState => "java/lang/IllegalStateException",
            ExceptionKind::OutOfMemory => "java/lang/OutOfMemoryError",
            ExceptionKind::UnsupportedOperation => "java/lang/UnsupportedOperationException",
            ExceptionKind::NativeKernel => {
                return format!("{}NativeKernelException", load::root_package())
            }
        };
        jdk.to_string()
    }
}

/// The tables as text, one `table name value` line each, for the test that pins them to the
/// Kotlin side.
pub fn tables() -> String {
    let mut out = String::new();
    for e in BLOCK_ERRORS {
        out += &format!("BlockError {} {}\n", block_error_name(e), e as u8);
    }
    for s in TX_STATUSES {
        out += &format!("TxStatus {} {}\n", tx_status_name(s), s as u8);
    }
    for (name, at) in [
        ("ERROR_AT", report::ERROR_AT),
        ("HAS_ROOT_AT", report::HAS_ROOT_AT),
        ("ROOT_AT", report::ROOT_AT),
        ("COUNT_AT", report::COUNT_AT),
        ("STATUSES_AT", report::STATUSES_AT),
        ("NO_ERROR", usize::from(report::NO_ERROR)),
    ] {
        out += &format!("Report {name} {at}\n");
    }
    for kind in ExceptionKind::ALL {
        out += &format!("Exception {kind:?} {}\n", kind.class_name());
    }
    for kind in ExceptionKind::ALL {
        out += &format!("FfmStatus {kind:?} {}\n", kind.status());
    }
    // Csv family.
    csv_tables(&mut out);
    out
}

/// Csv family: the Java name of each CSV error kind (see [`block_error_name`]).
pub fn csv_error_name(k: hotpath_core::csv::ErrorKind) -> &'static str {
    use hotpath_core::csv::ErrorKind as K;
    match k {
        K::UnclosedQuote => "UNCLOSED_QUOTE",
        K::QuoteInUnquotedField => "QUOTE_IN_UNQUOTED_FIELD",
        K::TextAfterClosingQuote => "TEXT_AFTER_CLOSING_QUOTE",
        K::FieldTooLong => "FIELD_TOO_LONG",
        K::TooManyFields => "TOO_MANY_FIELDS",
        K::TooFewFields => "TOO_FEW_FIELDS",
        K::NotALong => "NOT_A_LONG",
        K::LongOutOfRange => "LONG_OUT_OF_RANGE",
        K::NotADouble => "NOT_A_DOUBLE",
        K::NotABoolean => "NOT_A_BOOLEAN",
        K::MalformedUtf8 => "MALFORMED_UTF8",
        K::DuplicateName => "DUPLICATE_NAME",
    }
}

/// Csv family: error kinds, column types and the settings/info layouts of `csv.rs`.
fn csv_tables(out: &mut String) {
    use crate::csv::{info, settings};
    use hotpath_core::csv::ColumnType;
    for k in hotpath_core::csv::ERROR_KINDS {
        *out += &format!("CsvErrorKind {} {}\n", csv_error_name(k), k as u8);
    }
    for (name, t) in [
        ("LONG", ColumnType::Long),
        ("DOUBLE", ColumnType::Double),
        ("BOOLEAN", ColumnType::Boolean),
        ("STRING", ColumnType::String),
    ] {
        *out += &format!("ColumnType {name} {}\n", t as u8);
    }
    for (name, at) in [
        ("DELIMITER", settings::DELIMITER),
        ("QUOTE", settings::QUOTE),
        ("HEADER", settings::HEADER),
        ("MAX_FIELD_BYTES", settings::MAX_FIELD_BYTES),
        ("CHUNK_BYTES", settings::CHUNK_BYTES),
        ("LINE_BASE", settings::LINE_BASE),
        ("OFFSET_BASE", settings::OFFSET_BASE),
        ("AT_START", settings::AT_START),
        ("EXPECTED_FIELDS", settings::EXPECTED_FIELDS),
        ("MAX_RECORDS", settings::MAX_RECORDS),
        ("FINAL", settings::FINAL),
        ("LEN", settings::LEN),
    ] {
        *out += &format!("CsvSettings {name} {at}\n");
    }
    for (name, at) in [
        ("STATUS", info::STATUS),
        ("ROWS", info::ROWS),
        ("FIELDS", info::FIELDS),
        ("CONSUMED_BYTES", info::CONSUMED_BYTES),
        ("CONSUMED_LINES", info::CONSUMED_LINES),
        ("INCOMPLETE", info::INCOMPLETE),
        ("KIND", info::KIND),
        ("LINE", info::LINE),
        ("COLUMN", info::COLUMN),
        ("BYTE_OFFSET", info::BYTE_OFFSET),
        ("EXPECTED", info::EXPECTED),
        ("FOUND", info::FOUND),
        ("NAMES", info::NAMES),
        ("COLUMNS_AT", info::COLUMNS_AT),
    ] {
        *out += &format!("CsvInfo {name} {at}\n");
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn codes_are_the_position_in_each_table() {
        for (i, e) in BLOCK_ERRORS.iter().enumerate() {
            assert_eq!(usize::from(*e as u8), i);
        }
        for (i, s) in TX_STATUSES.iter().enumerate() {
            assert_eq!(usize::from(*s as u8), i);
        }
        assert!(usize::from(report::NO_ERROR) >= BLOCK_ERRORS.len());
    }
}
