//! CSV bytes to typed columns (docs/csv.md is the contract; `CsvReference.kt` the JVM twin).
//!
//! A read is three passes over the records after the first one:
//! 1. quote parity: the quote bytes of every nominal chunk are counted in parallel; in
//!    well-formed CSV each quote byte toggles "inside a quoted field", so the parity before a
//!    chunk's nominal start says whether it starts inside a quoted field, and the first LF
//!    outside quotes after it is a true record boundary (docs/csv.md says why the first error is
//!    still found right when the parity is wrong);
//! 2. split: each chunk's records are split and counted, the column flags for inference and the
//!    string bytes per column are gathered, and the chunk's first splitting or count error is kept;
//! 3. convert: the columns are allocated once, exactly, and each chunk converts its fields
//!    straight into its own slice of them.
//!
//! The input is reached through [`Source`], which hands out the whole input for a bounded piece
//! of work at a time: the JNI bridge pins a `byte[]` once per group of chunks, so the collector
//! is never held off for more than one chunk per thread.

use std::sync::{Mutex, PoisonError};

use crate::error::{vec_with_capacity, Error};
use crate::pool;

/// A column's type.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
#[repr(u8)]
pub enum ColumnType {
    /// 64-bit signed integers.
    Long = 0,
    /// IEEE doubles.
    Double = 1,
    /// Booleans.
    Boolean = 2,
    /// UTF-8 text.
    String = 3,
}

impl ColumnType {
    /// The type of a code (`ColumnType as u8`), if any.
    pub fn of(code: u8) -> Option<ColumnType> {
        match code {
            0 => Some(ColumnType::Long),
            1 => Some(ColumnType::Double),
            2 => Some(ColumnType::Boolean),
            3 => Some(ColumnType::String),
            _ => None,
        }
    }
}

/// What is wrong with the input; the codes cross the boundary (`CsvError.kt` has the same table).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
#[repr(u8)]
pub enum ErrorKind {
    /// A quote still open at the end of the input.
    UnclosedQuote = 0,
    /// A quote inside an unquoted field.
    QuoteInUnquotedField = 1,
    /// Something other than a delimiter or line end after a closing quote.
    TextAfterClosingQuote = 2,
    /// A field of more than `max_field_bytes` raw bytes.
    FieldTooLong = 3,
    /// A record with more fields than expected.
    TooManyFields = 4,
    /// A record with fewer fields than expected.
    TooFewFields = 5,
    /// Not a LONG.
    NotALong = 6,
    /// A LONG outside the 64-bit range.
    LongOutOfRange = 7,
    /// Not a DOUBLE.
    NotADouble = 8,
    /// Not a BOOLEAN.
    NotABoolean = 9,
    /// Malformed UTF-8 in a STRING field or a header name.
    MalformedUtf8 = 10,
    /// A header name seen before.
    DuplicateName = 11,
}

/// Every error kind, in code order.
pub const ERROR_KINDS: [ErrorKind; 12] = [
    ErrorKind::UnclosedQuote,
    ErrorKind::QuoteInUnquotedField,
    ErrorKind::TextAfterClosingQuote,
    ErrorKind::FieldTooLong,
    ErrorKind::TooManyFields,
    ErrorKind::TooFewFields,
    ErrorKind::NotALong,
    ErrorKind::LongOutOfRange,
    ErrorKind::NotADouble,
    ErrorKind::NotABoolean,
    ErrorKind::MalformedUtf8,
    ErrorKind::DuplicateName,
];

/// A format error and where it is (docs/csv.md, "Positions in errors").
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct CsvError {
    /// What is wrong.
    pub kind: ErrorKind,
    /// The 1-based physical line on which the record starts.
    pub line: u64,
    /// The 1-based field.
    pub column: u64,
    /// The field's first byte, from the start of the input.
    pub byte_offset: u64,
    /// The expected field count, or `max_field_bytes` for [`ErrorKind::FieldTooLong`]; else 0.
    pub expected: u64,
    /// The found field count for the count errors; else 0.
    pub found: u64,
}

/// Why a read failed.
#[derive(Debug, PartialEq)]
pub enum Failure {
    /// The input breaks the format.
    Format(CsvError),
    /// Memory for the columns could not be had.
    Memory(Error),
    /// The table would not fit Java arrays.
    TooLarge(String),
    /// The [`Source`] failed (the bridge keeps its own reason).
    Source,
}

impl From<Error> for Failure {
    fn from(e: Error) -> Self {
        Failure::Memory(e)
    }
}

/// The reader's settings (docs/csv.md, "Options").
#[derive(Clone, Debug)]
pub struct Options {
    /// The delimiter byte.
    pub delimiter: u8,
    /// The quote byte.
    pub quote: u8,
    /// Whether the first record is a header.
    pub header: bool,
    /// The columns' types, or `None` to infer them.
    pub types: Option<Vec<ColumnType>>,
    /// The extra token read as null when unquoted.
    pub null_value: Option<Vec<u8>>,
    /// The largest field, in raw bytes.
    pub max_field_bytes: usize,
    /// Bytes per parallel chunk; inputs no longer than one chunk run on the calling thread.
    pub chunk_bytes: usize,
}

/// The most columns a table has: the first record's fields are kept while it is read.
pub const MAX_COLUMNS: usize = 1 << 20;

/// Bytes per chunk by default: about a millisecond of work per chunk and pin.
pub const DEFAULT_CHUNK_BYTES: usize = 1 << 20;

/// Where this input sits in a larger one, for `open`'s batches.
#[derive(Clone, Debug)]
pub struct Batch {
    /// Lines before the input's first byte.
    pub line_base: u64,
    /// Bytes before the input's first byte.
    pub offset_base: u64,
    /// Whether the input starts the stream (a BOM is skipped, a header read).
    pub at_start: bool,
    /// The field count when the header or first record was read by an earlier batch.
    pub expected_fields: Option<usize>,
    /// At most this many records; the read stops after them.
    pub max_records: usize,
    /// Whether the input ends the stream; if not, a record that reaches the end is left
    /// unread, since more bytes could change it.
    pub final_input: bool,
}

impl Batch {
    /// The whole input at once.
    pub fn whole() -> Batch {
        Batch {
            line_base: 0,
            offset_base: 0,
            at_start: true,
            expected_fields: None,
            max_records: usize::MAX,
            final_input: true,
        }
    }
}

/// One column's values.
#[derive(Debug, PartialEq)]
pub enum Values {
    /// LONG values (0 where null).
    Long(Vec<i64>),
    /// DOUBLE values (0.0 where null).
    Double(Vec<f64>),
    /// BOOLEAN values, one byte each, 0 or 1 (0 where null).
    Boolean(Vec<u8>),
    /// STRING values: the UTF-8 bytes of every row, and `rows + 1` offsets into them.
    String {
        /// Every row's bytes, one after another.
        bytes: Vec<u8>,
        /// Row `i` is `bytes[offsets[i]..offsets[i + 1]]`.
        offsets: Vec<u32>,
    },
}

/// One column of a table.
#[derive(Debug, PartialEq)]
pub struct Column {
    /// The values.
    pub values: Values,
    /// One byte per row, 1 where the row is null.
    pub nulls: Vec<u8>,
    /// How many rows are null.
    pub null_count: usize,
}

impl Column {
    /// The column's type.
    pub fn column_type(&self) -> ColumnType {
        match self.values {
            Values::Long(_) => ColumnType::Long,
            Values::Double(_) => ColumnType::Double,
            Values::Boolean(_) => ColumnType::Boolean,
            Values::String { .. } => ColumnType::String,
        }
    }
}

/// A parsed table, with how much of the input it took.
#[derive(Debug, PartialEq)]
pub struct Parsed {
    /// Data rows.
    pub rows: usize,
    /// The header's names (empty without a header).
    pub names: Vec<String>,
    /// The columns, in file order.
    pub columns: Vec<Column>,
    /// The field count every record has (0 when there was no record).
    pub fields: usize,
    /// Bytes of the input read (the whole input when `final_input`).
    pub consumed_bytes: usize,
    /// Line ends in those bytes.
    pub consumed_lines: u64,
    /// Whether the read stopped at a record it could not finish (more input is needed).
    pub incomplete: bool,
}

/// The input, handed out whole for one bounded piece of work at a time.
pub trait Source {
    /// The input's length.
    fn len(&self) -> usize;
    /// Whether the input is empty.
    fn is_empty(&self) -> bool {
        self.len() == 0
    }
    /// Calls `f` with the whole input; `false` if the input cannot be had now (the source
    /// keeps its reason).
    fn visit(&self, f: &mut dyn FnMut(&[u8])) -> bool;
}

impl Source for [u8] {
    fn len(&self) -> usize {
        <[u8]>::len(self)
    }
    fn visit(&self, f: &mut dyn FnMut(&[u8])) -> bool {
        f(self);
        true
    }
}

/// Reads a whole input held in memory.
pub fn read(input: &[u8], options: &Options) -> Result<Parsed, Failure> {
    read_source(input, options, &Batch::whole())
}

// ---------------------------------------------------------------------------------------------
// Splitting

/// One field of a record.
#[derive(Clone, Copy, Debug, Default)]
struct Field {
    /// The field's first raw byte (its opening quote, if quoted).
    start: usize,
    /// The value's bytes before unescaping: between the quotes, or the raw bytes.
    from: usize,
    to: usize,
    quoted: bool,
    /// Doubled quotes inside the value.
    escapes: usize,
}

/// How a record ended.
enum Split {
    /// A record; the next one starts at `next`, and `lines` line ends were passed, `blank` of
    /// them before the record's first byte.
    Record { next: usize, lines: u64, blank: u64 },
    /// No record before the end of the input (only blank lines, or nothing).
    End { next: usize, lines: u64 },
    /// The record reaches the end of a non-final input.
    Incomplete,
    /// A splitting error at `column` (1-based) whose field starts at `at`.
    Error {
        kind: ErrorKind,
        column: usize,
        at: usize,
        lines_before: u64,
    },
}

struct Splitter<'a> {
    b: &'a [u8],
    delimiter: u8,
    quote: u8,
    max: usize,
    final_input: bool,
}

impl Splitter<'_> {
    /// Skips blank lines from `pos`; the record's start and the line ends skipped, or `None`
    /// when a non-final input ends in a CR that may start a CRLF.
    fn skip_blank(&self, mut pos: usize) -> Option<(usize, u64)> {
        let mut lines = 0;
        loop {
            match self.b.get(pos) {
                Some(b'\n') => {
                    pos += 1;
                    lines += 1;
                }
                Some(b'\r') => match self.b.get(pos + 1) {
                    Some(b'\n') => {
                        pos += 2;
                        lines += 1;
                    }
                    None if !self.final_input => return None,
                    _ => return Some((pos, lines)),
                },
                _ => return Some((pos, lines)),
            }
        }
    }

    /// Splits the record at `pos` (after blank lines), storing up to `keep` fields in `fields`
    /// and counting the rest in `count`.
    fn record(&self, pos: usize, fields: &mut Vec<Field>, keep: usize, count: &mut usize) -> Split {
        fields.clear();
        *count = 0;
        let b = self.b;
        let end = b.len();
        let (mut pos, blank) = match self.skip_blank(pos) {
            Some(v) => v,
            None => return Split::Incomplete,
        };
        if pos >= end {
            return Split::End {
                next: pos,
                lines: blank,
            };
        }
        let mut lines = blank;
        loop {
            let start = pos;
            *count += 1;
            let column = *count;
            let error = |kind| Split::Error {
                kind,
                column,
                at: start,
                lines_before: blank,
            };
            let field;
            if b.get(pos) == Some(&self.quote) {
                let mut p = pos + 1;
                let mut escapes = 0;
                let close = loop {
                    match memchr::memchr(self.quote, &b[p.min(end)..]) {
                        None => {
                            if end - start > self.max {
                                return error(ErrorKind::FieldTooLong);
                            }
                            if !self.final_input {
                                return Split::Incomplete;
                            }
                            return error(ErrorKind::UnclosedQuote);
                        }
                        Some(i) => {
                            let q = p + i;
                            if q + 1 - start > self.max {
                                return error(ErrorKind::FieldTooLong);
                            }
                            match b.get(q + 1) {
                                Some(&c) if c == self.quote => {
                                    escapes += 1;
                                    p = q + 2;
                                }
                                None if !self.final_input => return Split::Incomplete,
                                _ => break q,
                            }
                        }
                    }
                };
                lines += memchr::memchr_iter(b'\n', &b[pos + 1..close]).count() as u64;
                field = Field {
                    start,
                    from: pos + 1,
                    to: close,
                    quoted: true,
                    escapes,
                };
                pos = close + 1;
                match b.get(pos) {
                    None => {
                        if !self.final_input {
                            return Split::Incomplete;
                        }
                    }
                    Some(&c) if c == self.delimiter || c == b'\n' => {}
                    Some(b'\r') => match b.get(pos + 1) {
                        Some(b'\n') => pos += 1,
                        None if !self.final_input => return Split::Incomplete,
                        _ => return error(ErrorKind::TextAfterClosingQuote),
                    },
                    Some(_) => return error(ErrorKind::TextAfterClosingQuote),
                }
            } else {
                let rest = &b[pos..];
                let stop =
                    memchr::memchr3(self.delimiter, b'\n', self.quote, rest).map(|i| pos + i);
                let stop_at = stop.unwrap_or(end);
                let mut to = stop_at;
                if b.get(stop_at) == Some(&b'\n') && to > start && b[to - 1] == b'\r' {
                    to -= 1;
                }
                // A non-final input may end in the CR of a CRLF, which is not the field's.
                let cr_pending =
                    stop.is_none() && !self.final_input && to > start && b[to - 1] == b'\r';
                if to - start - usize::from(cr_pending) > self.max {
                    return error(ErrorKind::FieldTooLong);
                }
                match stop {
                    None if !self.final_input => return Split::Incomplete,
                    Some(s) if b[s] == self.quote => return error(ErrorKind::QuoteInUnquotedField),
                    _ => {}
                }
                field = Field {
                    start,
                    from: start,
                    to,
                    quoted: false,
                    escapes: 0,
                };
                pos = stop_at;
            }
            if fields.len() < keep {
                fields.push(field);
            }
            // `pos` is at the delimiter, the LF (a CRLF's CR already passed) or the end.
            match b.get(pos) {
                Some(&c) if c == self.delimiter => {
                    pos += 1;
                    if pos >= end && !self.final_input {
                        return Split::Incomplete;
                    }
                    // A delimiter before the end of the input or a line end opens an empty field.
                }
                Some(b'\n') => {
                    return Split::Record {
                        next: pos + 1,
                        lines: lines + 1,
                        blank,
                    }
                }
                _ => {
                    return Split::Record {
                        next: pos,
                        lines,
                        blank,
                    }
                }
            }
        }
    }
}

// ---------------------------------------------------------------------------------------------
// Values

/// What a field is as a LONG.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Long {
    /// A LONG.
    Value(i64),
    /// LONG digits outside the 64-bit range.
    OutOfRange,
    /// Not a LONG.
    Invalid,
}

/// The LONG of `v` (docs/csv.md).
pub fn parse_long(v: &[u8]) -> Long {
    let (neg, digits) = match v.first() {
        Some(b'-') => (true, &v[1..]),
        Some(b'+') => (false, &v[1..]),
        _ => (false, v),
    };
    if digits.is_empty() || !digits.iter().all(u8::is_ascii_digit) {
        return Long::Invalid;
    }
    // Accumulate negatively so that i64::MIN fits.
    let mut acc: i64 = 0;
    let mut in_range = true;
    for &d in digits {
        let digit = i64::from(d - b'0');
        match acc.checked_mul(10).and_then(|a| a.checked_sub(digit)) {
            Some(a) => acc = a,
            None => in_range = false,
        }
    }
    if !in_range {
        return Long::OutOfRange;
    }
    if neg {
        Long::Value(acc)
    } else {
        acc.checked_neg().map_or(Long::OutOfRange, Long::Value)
    }
}

/// Whether `v` matches the DOUBLE grammar of docs/csv.md, without computing the value.
///
/// Inference only needs the answer, and rounding is most of what `parse_double` costs (a DOUBLE
/// column's fields are converted later anyway); a byte scan answers in a fraction of that. The
/// tests hold it to `parse_double` and to a transcription of the grammar on random texts.
pub fn is_double(v: &[u8]) -> bool {
    let body = match v.first() {
        Some(b'-' | b'+') => &v[1..],
        _ => v,
    };
    let mut i = 0;
    while i < body.len() && body[i].is_ascii_digit() {
        i += 1;
    }
    let int = i;
    if i < body.len() && body[i] == b'.' {
        i += 1;
        while i < body.len() && body[i].is_ascii_digit() {
            i += 1;
        }
    }
    let mantissa = i - int - usize::from(i > int);
    if int == 0 && mantissa == 0 {
        // No digit: only the words are left.
        return i == 0
            && (body.eq_ignore_ascii_case(b"nan")
                || body.eq_ignore_ascii_case(b"inf")
                || body.eq_ignore_ascii_case(b"infinity"));
    }
    if i < body.len() && (body[i] | 0x20) == b'e' {
        i += 1;
        if i < body.len() && (body[i] == b'+' || body[i] == b'-') {
            i += 1;
        }
        let exp = i;
        while i < body.len() && body[i].is_ascii_digit() {
            i += 1;
        }
        if i == exp {
            return false;
        }
    }
    i == body.len()
}

/// The DOUBLE of `v`, correctly rounded, or `None` when `v` is not one.
pub fn parse_double(v: &[u8]) -> Option<f64> {
    // fast-float2 reads exactly Python's float() grammar without spaces or underscores (sign,
    // digits with an optional point, an optional exponent with digits, or nan/inf/infinity in any
    // case) and rounds correctly for any number of digits; it stops at the first byte outside
    // that grammar, so the text is a DOUBLE when it read every byte. The tests hold it to a
    // transcription of the grammar on random texts.
    match fast_float2::parse_partial::<f64, _>(v) {
        Ok((x, n)) if n == v.len() => Some(if x.is_nan() { f64::NAN } else { x }),
        _ => None,
    }
}

/// Whether `v` is `true` or `false` in any ASCII case, and which.
pub fn parse_boolean(v: &[u8]) -> Option<bool> {
    if v.eq_ignore_ascii_case(b"true") {
        Some(true)
    } else if v.eq_ignore_ascii_case(b"false") {
        Some(false)
    } else {
        None
    }
}

/// Inference flags per column: which types every non-null field so far fits.
const FITS_LONG: u8 = 1;
const FITS_DOUBLE: u8 = 2;
const FITS_BOOLEAN: u8 = 4;
const SEEN_VALUE: u8 = 8;
const FITS_ALL: u8 = FITS_LONG | FITS_DOUBLE | FITS_BOOLEAN;

fn infer(flags: u8) -> ColumnType {
    if flags & SEEN_VALUE == 0 {
        ColumnType::String
    } else if flags & FITS_LONG != 0 {
        ColumnType::Long
    } else if flags & FITS_DOUBLE != 0 {
        ColumnType::Double
    } else if flags & FITS_BOOLEAN != 0 {
        ColumnType::Boolean
    } else {
        ColumnType::String
    }
}

// ---------------------------------------------------------------------------------------------
// The read

/// What pass 2 learnt about one chunk.
#[derive(Default)]
struct Summary {
    records: usize,
    lines: u64,
    /// Where the chunk's records end (the chunk's end unless it stopped early).
    end: usize,
    incomplete: bool,
    /// The first splitting or count error: the error with a chunk-relative line, and the index
    /// of its record in the chunk.
    error: Option<(CsvError, usize)>,
    flags: Vec<u8>,
    string_bytes: Vec<usize>,
}

struct Context<'o> {
    options: &'o Options,
    batch: &'o Batch,
    fields: usize,
}

impl Context<'_> {
    fn splitter<'b>(&self, b: &'b [u8]) -> Splitter<'b> {
        Splitter {
            b,
            delimiter: self.options.delimiter,
            quote: self.options.quote,
            max: self.options.max_field_bytes,
            final_input: self.batch.final_input,
        }
    }

    fn is_null_token(&self, b: &[u8], f: &Field) -> bool {
        !f.quoted
            && self
                .options
                .null_value
                .as_deref()
                .is_some_and(|t| &b[f.from..f.to] == t)
    }

    fn error(
        &self,
        kind: ErrorKind,
        line: u64,
        column: usize,
        at: usize,
        expected: usize,
        found: usize,
    ) -> CsvError {
        CsvError {
            kind,
            line: self.batch.line_base + line + 1,
            column: column as u64,
            byte_offset: self.batch.offset_base + at as u64,
            expected: expected as u64,
            found: found as u64,
        }
    }

    /// Pass 2 over the records in `b[from..to]`, whose first line is `line` lines after the
    /// input's start (for errors only; the summary's lines are the chunk's own).
    fn split_chunk(&self, b: &[u8], from: usize, to: usize, max_records: usize) -> Summary {
        let n = self.fields;
        let infer = self.options.types.is_none();
        let mut s = Summary {
            flags: vec![FITS_ALL; n],
            string_bytes: vec![0; n],
            end: to,
            ..Summary::default()
        };
        let splitter = self.splitter(&b[..to]);
        let mut fields = Vec::with_capacity(n + 1);
        let mut count = 0;
        let mut pos = from;
        while s.records < max_records {
            match splitter.record(pos, &mut fields, n + 1, &mut count) {
                Split::End { next, lines } => {
                    s.lines += lines;
                    pos = next;
                    break;
                }
                Split::Incomplete => {
                    s.incomplete = true;
                    break;
                }
                Split::Error {
                    kind,
                    column,
                    at,
                    lines_before,
                } => {
                    let e = self.error(kind, s.lines + lines_before, column, at, 0, 0);
                    let e = if kind == ErrorKind::FieldTooLong {
                        CsvError {
                            expected: self.options.max_field_bytes as u64,
                            ..e
                        }
                    } else {
                        e
                    };
                    s.error = Some((e, s.records));
                    break;
                }
                Split::Record { next, lines, blank } => {
                    let record_line = s.lines + blank;
                    if count != n {
                        let (kind, column, at) = if count > n {
                            let at = fields.get(n).map_or(next, |f| f.start);
                            (ErrorKind::TooManyFields, n + 1, at)
                        } else {
                            (ErrorKind::TooFewFields, count + 1, record_end(b, next))
                        };
                        s.error = Some((
                            self.error(kind, record_line, column, at, n, count),
                            s.records,
                        ));
                        break;
                    }
                    for (c, f) in fields.iter().enumerate() {
                        // A null token is null in every column, so it takes no string bytes.
                        if self.is_null_token(b, f) {
                            continue;
                        }
                        s.string_bytes[c] += f.to - f.from - f.escapes;
                        if infer && f.to > f.from {
                            // Only the types the column still fits are tried: a text column
                            // parses nothing, a DOUBLE column no longer tries LONG. A LONG is
                            // also a DOUBLE and no number is a BOOLEAN, so the flags come out
                            // as if every type had been tried.
                            let have = s.flags[c];
                            let v = &b[f.from..f.to];
                            let mut fits = SEEN_VALUE;
                            if f.escapes == 0 && have & FITS_ALL != 0 {
                                if have & FITS_LONG != 0 && matches!(parse_long(v), Long::Value(_))
                                {
                                    fits |= FITS_LONG | FITS_DOUBLE;
                                } else if have & FITS_DOUBLE != 0 && is_double(v) {
                                    fits |= FITS_DOUBLE;
                                } else if have & FITS_BOOLEAN != 0 && parse_boolean(v).is_some() {
                                    fits |= FITS_BOOLEAN;
                                }
                            }
                            s.flags[c] = (have & (fits | SEEN_VALUE)) | SEEN_VALUE;
                        }
                    }
                    s.records += 1;
                    s.lines += lines;
                    pos = next;
                }
            }
        }
        s.end = pos;
        s
    }
}

fn skip_blank_plain(b: &[u8], mut pos: usize) -> usize {
    loop {
        match b.get(pos) {
            Some(b'\n') => pos += 1,
            Some(b'\r') if b.get(pos + 1) == Some(&b'\n') => pos += 2,
            _ => return pos,
        }
    }
}

/// Where a record that ends before `next` has its line end (or the input's end).
fn record_end(b: &[u8], next: usize) -> usize {
    if next > 0 && b.get(next - 1) == Some(&b'\n') {
        if next > 1 && b[next - 2] == b'\r' {
            next - 2
        } else {
            next - 1
        }
    } else {
        next
    }
}

/// A column being filled by one chunk: its slices of the table's buffers.
enum Slot<'t> {
    Long(&'t mut [i64]),
    Double(&'t mut [f64]),
    Boolean(&'t mut [u8]),
    String {
        bytes: &'t mut [u8],
        offsets: &'t mut [u32],
        base: u32,
    },
}

struct ChunkJob<'t> {
    index: usize,
    from: usize,
    records: usize,
    slots: Vec<(Slot<'t>, &'t mut [u8])>,
}

/// Reads `source` as `batch` says (docs/csv.md).
pub fn read_source<S: Source + ?Sized>(
    source: &S,
    options: &Options,
    batch: &Batch,
) -> Result<Parsed, Failure> {
    let len = source.len();
    // The first record: the header (names, count) or the first data record (count only).
    let mut start = 0;
    let mut head_lines = 0u64;
    let mut names = Vec::new();
    let mut fields = batch
        .expected_fields
        .or(options.types.as_ref().map(Vec::len));
    let mut head: Result<(), Failure> = Ok(());
    let mut incomplete_head = false;
    if batch.at_start {
        let probe = Context {
            options,
            batch,
            fields: 0,
        };
        source
            .visit(&mut |b| {
                if b.starts_with(&[0xEF, 0xBB, 0xBF]) {
                    start = 3;
                }
                let splitter = probe.splitter(b);
                let mut all = Vec::new();
                let mut count = 0;
                match splitter.record(start, &mut all, MAX_COLUMNS, &mut count) {
                    Split::End { next, lines } => {
                        start = next;
                        head_lines = lines;
                    }
                    Split::Incomplete => incomplete_head = true,
                    Split::Error {
                        kind,
                        column,
                        at,
                        lines_before,
                    } => {
                        let mut e = probe.error(kind, lines_before, column, at, 0, 0);
                        if kind == ErrorKind::FieldTooLong {
                            e.expected = options.max_field_bytes as u64;
                        }
                        head = Err(Failure::Format(e));
                    }
                    Split::Record { next, lines, blank } => {
                        if count > MAX_COLUMNS {
                            head = Err(Failure::TooLarge(format!(
                                "the first record has {count} fields, more than {MAX_COLUMNS}"
                            )));
                            return;
                        }
                        let expected = *fields.get_or_insert(count);
                        if options.header {
                            let line = blank;
                            if count != expected {
                                let (kind, column, at) = if count > expected {
                                    let at = all.get(expected).map_or(next, |f| f.start);
                                    (ErrorKind::TooManyFields, expected + 1, at)
                                } else {
                                    (ErrorKind::TooFewFields, count + 1, record_end(b, next))
                                };
                                head = Err(Failure::Format(
                                    probe.error(kind, line, column, at, expected, count),
                                ));
                                return;
                            }
                            if options.types.is_none() {
                                for (c, f) in all.iter().enumerate() {
                                    let mut name = Vec::new();
                                    unescape(b, f, options.quote, &mut name);
                                    match String::from_utf8(name) {
                                        Err(_) => {
                                            head = Err(Failure::Format(probe.error(
                                                ErrorKind::MalformedUtf8,
                                                line,
                                                c + 1,
                                                f.start,
                                                0,
                                                0,
                                            )));
                                            return;
                                        }
                                        Ok(name) => {
                                            if names.contains(&name) {
                                                head = Err(Failure::Format(probe.error(
                                                    ErrorKind::DuplicateName,
                                                    line,
                                                    c + 1,
                                                    f.start,
                                                    0,
                                                    0,
                                                )));
                                                return;
                                            }
                                            names.push(name);
                                        }
                                    }
                                }
                            }
                            start = next;
                            head_lines = lines;
                        } else {
                            // The first data record stays for the chunks; only blank lines and the
                            // BOM are passed.
                            let first = skip_blank_plain(b, start);
                            head_lines =
                                memchr::memchr_iter(b'\n', &b[start..first]).count() as u64;
                            start = first;
                        }
                    }
                }
            })
            .then_some(())
            .ok_or(Failure::Source)?;
    }
    head?;
    let empty = |fields: usize, consumed: usize, lines: u64, incomplete: bool| {
        let mut columns = Vec::new();
        for c in 0..fields {
            let t = options
                .types
                .as_ref()
                .and_then(|t| t.get(c).copied())
                .unwrap_or(ColumnType::String);
            columns.push(empty_column(t)?);
        }
        Ok::<Parsed, Failure>(Parsed {
            rows: 0,
            names: names.clone(),
            columns,
            fields,
            consumed_bytes: consumed,
            consumed_lines: lines,
            incomplete,
        })
    };
    if incomplete_head {
        return empty(0, 0, 0, true);
    }
    let fields = match fields {
        Some(f) => f,
        // No record at all.
        None => return empty(0, len, head_lines, false),
    };
    let batch_here = Batch {
        line_base: batch.line_base + head_lines,
        offset_base: batch.offset_base,
        ..batch.clone()
    };
    let ctx = Context {
        options,
        batch: &batch_here,
        fields,
    };

    // Pass 1: chunk boundaries from quote parity.
    let chunk = options.chunk_bytes.max(1);
    let parallel = batch.max_records == usize::MAX && len - start > chunk;
    let mut bounds = vec![start];
    if parallel {
        // Sized by the input over the chunk size: fallible, as the chunk size can be small (tests).
        let mut nominal: Vec<usize> =
            vec_with_capacity("csv chunks", (len - start).div_ceil(chunk))?;
        nominal.extend((start..len).step_by(chunk));
        let group = chunk * pool::threads().max(1);
        let mut quotes: Vec<usize> = zeroed(nominal.len())?;
        let mut done = 0;
        while done < nominal.len() {
            let upto = (done + group / chunk).min(nominal.len());
            source
                .visit(&mut |b| {
                    let counts = Mutex::new(Vec::new());
                    pool::share((done..upto).collect(), |i| {
                        let from = nominal[i];
                        let to = (from + chunk).min(b.len());
                        let n = memchr::memchr_iter(options.quote, &b[from..to]).count();
                        counts
                            .lock()
                            .unwrap_or_else(PoisonError::into_inner)
                            .push((i, n));
                    });
                    for (i, n) in counts.into_inner().unwrap_or_else(PoisonError::into_inner) {
                        quotes[i] = n;
                    }
                })
                .then_some(())
                .ok_or(Failure::Source)?;
            done = upto;
        }
        let mut parity: Vec<bool> = zeroed(nominal.len())?;
        let mut odd = false;
        for i in 0..nominal.len() {
            parity[i] = odd;
            odd ^= quotes[i] % 2 == 1;
        }
        // The boundary after each nominal start, found in parallel, a group of chunks per
        // visit (per pin) so no search holds the input for long.
        let mut found: Vec<Option<usize>> = zeroed(nominal.len())?;
        let per_visit = pool::threads().max(1);
        let mut done = 1;
        while done < nominal.len() {
            let upto = (done + per_visit).min(nominal.len());
            source
                .visit(&mut |b| {
                    let hits = Mutex::new(Vec::new());
                    pool::share((done..upto).collect(), |i| {
                        let from = nominal[i];
                        let to = (from + chunk).min(b.len());
                        let mut inside = parity[i];
                        let mut p = from;
                        while let Some(k) = memchr::memchr2(options.quote, b'\n', &b[p..to]) {
                            let at = p + k;
                            if b[at] == options.quote {
                                inside = !inside;
                            } else if !inside {
                                hits.lock()
                                    .unwrap_or_else(PoisonError::into_inner)
                                    .push((i, at + 1));
                                break;
                            }
                            p = at + 1;
                        }
                    });
                    for (i, at) in hits.into_inner().unwrap_or_else(PoisonError::into_inner) {
                        found[i] = Some(at);
                    }
                })
                .then_some(())
                .ok_or(Failure::Source)?;
            done = upto;
        }
        for f in found.into_iter().flatten() {
            if f < len && f > *bounds.last().unwrap_or(&0) {
                bounds.push(f);
            }
        }
    }
    bounds.push(len);

    // Pass 2: split, count, infer.
    let chunks = bounds.len() - 1;
    let mut summaries: Vec<Option<Summary>> = (0..chunks).map(|_| None).collect();
    let threads = pool::threads().max(1);
    let mut done = 0;
    let mut stop = chunks;
    while done < stop {
        let upto = (done + threads).min(stop);
        source
            .visit(&mut |b| {
                let out = Mutex::new(Vec::new());
                pool::share((done..upto).collect(), |i| {
                    let s = ctx.split_chunk(b, bounds[i], bounds[i + 1], batch.max_records);
                    out.lock()
                        .unwrap_or_else(PoisonError::into_inner)
                        .push((i, s));
                });
                for (i, s) in out.into_inner().unwrap_or_else(PoisonError::into_inner) {
                    summaries[i] = Some(s);
                }
            })
            .then_some(())
            .ok_or(Failure::Source)?;
        if let Some(first) = (done..upto).find(|&i| {
            summaries[i]
                .as_ref()
                .is_some_and(|s| s.error.is_some() || s.incomplete)
        }) {
            stop = first + 1;
        }
        done = upto;
    }
    let summaries: Vec<Summary> = summaries.into_iter().take(stop).flatten().collect();

    // Lines before each chunk, types and sizes.
    let mut line_at = Vec::with_capacity(summaries.len());
    let mut lines = 0u64;
    let mut flags = vec![FITS_ALL; fields];
    let mut rows = 0usize;
    let mut string_bytes = vec![0usize; fields];
    let mut split_error = None;
    for s in &summaries {
        line_at.push(lines);
        lines += s.lines;
        rows += s.records;
        for c in 0..fields {
            let seen = (flags[c] | s.flags[c]) & SEEN_VALUE;
            flags[c] = (flags[c] & s.flags[c] & FITS_ALL) | seen;
            string_bytes[c] += s.string_bytes[c];
        }
        if let Some((e, _)) = s.error {
            split_error = Some(CsvError {
                line: e.line + lines - s.lines,
                ..e
            });
        }
    }
    // Lines of a chunk that stopped at an error count up to that record only, which is what
    // its error's relative line already holds.
    let types: Vec<ColumnType> = match &options.types {
        Some(t) => t.clone(),
        None => flags.iter().map(|&f| infer(f)).collect(),
    };
    if rows > i32::MAX as usize - 1 {
        return Err(Failure::TooLarge(format!(
            "the table has {rows} rows, more than a Java array holds"
        )));
    }
    for (c, t) in types.iter().enumerate() {
        if *t == ColumnType::String && string_bytes[c] > i32::MAX as usize {
            return Err(Failure::TooLarge(format!(
                "column {} has {} bytes of text, more than a Java array holds",
                c + 1,
                string_bytes[c]
            )));
        }
    }

    // Pass 3: convert into the columns, each chunk into its own slices.
    let mut columns = Vec::with_capacity(fields);
    for (c, t) in types.iter().enumerate() {
        let values = match t {
            ColumnType::Long => Values::Long(zeroed(rows)?),
            ColumnType::Double => Values::Double(zeroed(rows)?),
            ColumnType::Boolean => Values::Boolean(zeroed(rows)?),
            ColumnType::String => Values::String {
                bytes: zeroed(string_bytes[c])?,
                offsets: zeroed(rows + 1)?,
            },
        };
        columns.push(Column {
            values,
            nulls: zeroed(rows)?,
            null_count: 0,
        });
    }
    let mut jobs: Vec<ChunkJob<'_>> = summaries
        .iter()
        .enumerate()
        .map(|(i, s)| ChunkJob {
            index: i,
            from: bounds[i],
            records: s.error.map_or(s.records, |(_, r)| r),
            slots: Vec::with_capacity(fields),
        })
        .collect();
    for column in columns.iter_mut() {
        let mut nulls = &mut column.nulls[..];
        match &mut column.values {
            Values::Long(v) => {
                let mut v = &mut v[..];
                for job in jobs.iter_mut() {
                    let (a, rest) = std::mem::take(&mut v).split_at_mut(job.records);
                    let (n, nrest) = std::mem::take(&mut nulls).split_at_mut(job.records);
                    job.slots.push((Slot::Long(a), n));
                    v = rest;
                    nulls = nrest;
                }
            }
            Values::Double(v) => {
                let mut v = &mut v[..];
                for job in jobs.iter_mut() {
                    let (a, rest) = std::mem::take(&mut v).split_at_mut(job.records);
                    let (n, nrest) = std::mem::take(&mut nulls).split_at_mut(job.records);
                    job.slots.push((Slot::Double(a), n));
                    v = rest;
                    nulls = nrest;
                }
            }
            Values::Boolean(v) => {
                let mut v = &mut v[..];
                for job in jobs.iter_mut() {
                    let (a, rest) = std::mem::take(&mut v).split_at_mut(job.records);
                    let (n, nrest) = std::mem::take(&mut nulls).split_at_mut(job.records);
                    job.slots.push((Slot::Boolean(a), n));
                    v = rest;
                    nulls = nrest;
                }
            }
            Values::String { bytes, offsets } => {
                let mut bytes = &mut bytes[..];
                let mut offsets = &mut offsets[1..];
                let mut base = 0usize;
                for (job, s) in jobs.iter_mut().zip(&summaries) {
                    let c = job.slots.len();
                    let size = s.string_bytes[c];
                    let size = size.min(bytes.len());
                    let (a, rest) = std::mem::take(&mut bytes).split_at_mut(size);
                    let (o, orest) = std::mem::take(&mut offsets).split_at_mut(job.records);
                    let (n, nrest) = std::mem::take(&mut nulls).split_at_mut(job.records);
                    job.slots.push((
                        Slot::String {
                            bytes: a,
                            offsets: o,
                            base: base as u32,
                        },
                        n,
                    ));
                    bytes = rest;
                    offsets = orest;
                    nulls = nrest;
                    base += size;
                }
            }
        }
    }
    let errors: Vec<Mutex<Option<CsvError>>> = (0..jobs.len()).map(|_| Mutex::new(None)).collect();
    let mut pending = jobs;
    while !pending.is_empty() {
        let take = threads.min(pending.len());
        let group: Vec<ChunkJob<'_>> = pending.drain(..take).collect();
        let mut group = Some(group);
        source
            .visit(&mut |b| {
                if let Some(group) = group.take() {
                    pool::share(group, |mut job| {
                        let line = line_at[job.index];
                        if let Err(e) = ctx.convert_chunk(b, &mut job, line) {
                            *errors[job.index]
                                .lock()
                                .unwrap_or_else(PoisonError::into_inner) = Some(e);
                        }
                    });
                }
            })
            .then_some(())
            .ok_or(Failure::Source)?;
    }
    for e in errors {
        if let Some(e) = e.into_inner().unwrap_or_else(PoisonError::into_inner) {
            return Err(Failure::Format(e));
        }
    }
    if let Some(e) = split_error {
        return Err(Failure::Format(e));
    }
    for column in columns.iter_mut() {
        column.null_count = column.nulls.iter().filter(|&&n| n != 0).count();
    }
    let last = summaries.last();
    let incomplete = last.is_some_and(|s| s.incomplete);
    let consumed = last.map_or(start, |s| s.end);
    Ok(Parsed {
        rows,
        names,
        columns,
        fields,
        consumed_bytes: consumed,
        consumed_lines: head_lines + lines,
        incomplete,
    })
}

fn zeroed<T: Default + Clone>(n: usize) -> Result<Vec<T>, Error> {
    let mut v = vec_with_capacity("csv columns", n)?;
    v.resize(n, T::default());
    Ok(v)
}

fn empty_column(t: ColumnType) -> Result<Column, Failure> {
    let values = match t {
        ColumnType::Long => Values::Long(Vec::new()),
        ColumnType::Double => Values::Double(Vec::new()),
        ColumnType::Boolean => Values::Boolean(Vec::new()),
        ColumnType::String => Values::String {
            bytes: Vec::new(),
            offsets: vec![0],
        },
    };
    Ok(Column {
        values,
        nulls: Vec::new(),
        null_count: 0,
    })
}

/// Appends the value of `f` with doubled quotes made single.
fn unescape(b: &[u8], f: &Field, quote: u8, out: &mut Vec<u8>) {
    let v = &b[f.from..f.to];
    if f.escapes == 0 {
        out.extend_from_slice(v);
        return;
    }
    let mut i = 0;
    while i < v.len() {
        out.push(v[i]);
        i += if v[i] == quote { 2 } else { 1 };
    }
}

/// Writes the value of `f` into `out` with doubled quotes made single; returns the bytes written.
fn unescape_into(b: &[u8], f: &Field, quote: u8, out: &mut [u8]) -> usize {
    let v = &b[f.from..f.to];
    if f.escapes == 0 {
        out[..v.len()].copy_from_slice(v);
        return v.len();
    }
    let mut i = 0;
    let mut w = 0;
    while i < v.len() {
        out[w] = v[i];
        w += 1;
        i += if v[i] == quote { 2 } else { 1 };
    }
    w
}

impl Context<'_> {
    /// Pass 3 over one chunk's first `job.records` records.
    fn convert_chunk(
        &self,
        b: &[u8],
        job: &mut ChunkJob<'_>,
        line_at: u64,
    ) -> Result<(), CsvError> {
        let n = self.fields;
        let splitter = self.splitter(b);
        let mut fields = Vec::with_capacity(n);
        let mut count = 0;
        let mut pos = job.from;
        let mut lines = 0u64;
        let mut written = vec![0usize; n];
        for row in 0..job.records {
            let (next, record_lines, blank) = match splitter.record(pos, &mut fields, n, &mut count)
            {
                Split::Record { next, lines, blank } => (next, lines, blank),
                // Pass 2 split these same records without error.
                _ => return Ok(()),
            };
            let line = line_at + lines + blank;
            for (c, f) in fields.iter().enumerate() {
                let v = &b[f.from..f.to];
                let null_token = self.is_null_token(b, f);
                let (slot, nulls) = &mut job.slots[c];
                let fail = |kind| self.error(kind, line, c + 1, f.start, 0, 0);
                match slot {
                    Slot::String {
                        bytes,
                        offsets,
                        base,
                    } => {
                        if (v.is_empty() && !f.quoted) || null_token {
                            nulls[row] = 1;
                        } else {
                            if std::str::from_utf8(v).is_err() {
                                return Err(fail(ErrorKind::MalformedUtf8));
                            }
                            written[c] +=
                                unescape_into(b, f, self.options.quote, &mut bytes[written[c]..]);
                        }
                        offsets[row] = *base + written[c] as u32;
                    }
                    _ if v.is_empty() || null_token => nulls[row] = 1,
                    Slot::Long(out) => match (f.escapes, parse_long(v)) {
                        (0, Long::Value(x)) => out[row] = x,
                        (0, Long::OutOfRange) => return Err(fail(ErrorKind::LongOutOfRange)),
                        _ => return Err(fail(ErrorKind::NotALong)),
                    },
                    Slot::Double(out) => match (f.escapes, parse_double(v)) {
                        (0, Some(x)) => out[row] = x,
                        _ => return Err(fail(ErrorKind::NotADouble)),
                    },
                    Slot::Boolean(out) => match (f.escapes, parse_boolean(v)) {
                        (0, Some(x)) => out[row] = u8::from(x),
                        _ => return Err(fail(ErrorKind::NotABoolean)),
                    },
                }
            }
            lines += record_lines;
            pos = next;
        }
        Ok(())
    }
}

#[cfg(test)]
mod tests;
