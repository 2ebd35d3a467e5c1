//! The Csv family's native methods (declared in `registry.rs`; docs/csv.md).
//!
//! A read returns a handle: a number naming the parsed table (or its failure) in a table of
//! live reads here, never a pointer, so a freed, repeated or made-up handle is an
//! `IllegalStateException`, not a use after free. `Csv.kt` asks for the sizes ([`inner_info`]),
//! allocates each column's Java arrays and has them filled (one `Set<Type>ArrayRegion` per
//! array, no object per field), then frees the handle in a `finally`.
//!
//! A `byte[]` input is pinned once per bounded piece of work (one chunk per pool thread per
//! pass, about a millisecond each), through [`hotpath_core::csv::Source`]; a direct buffer is
//! read in place by address; a file is read here with `std::fs` into one buffer sized by the
//! file and allocated fallibly (nothing is mapped, so a file truncated meanwhile cannot fault).

use std::collections::HashMap;
use std::io::Read;
use std::sync::atomic::{AtomicI64, Ordering};
use std::sync::{Mutex, PoisonError};

use jni::sys::{jbyteArray, jdoubleArray, jint, jintArray, jlong, jlongArray, jstring};

use hotpath_core::csv::{self, Batch, ColumnType, Failure, Options, Parsed, Source, Values};

use crate::bridge::{non_null, offset_range, try_with_capacity};
use crate::buffer::direct_bytes;
use crate::env::Env;
use crate::error::BridgeError;
use crate::pin::with_pinned_bytes;
use crate::registry::jbyteBuffer;

/// Where each setting sits in the `settings` array (`Csv.kt`'s `Settings` has the same table).
pub mod settings {
    /// The delimiter byte.
    pub const DELIMITER: usize = 0;
    /// The quote byte.
    pub const QUOTE: usize = 1;
    /// 1 when the first record is a header.
    pub const HEADER: usize = 2;
    /// The largest field, in raw bytes.
    pub const MAX_FIELD_BYTES: usize = 3;
    /// Bytes per parallel chunk, 0 for the default.
    pub const CHUNK_BYTES: usize = 4;
    /// Lines before the input.
    pub const LINE_BASE: usize = 5;
    /// Bytes before the input.
    pub const OFFSET_BASE: usize = 6;
    /// 1 when the input starts the stream.
    pub const AT_START: usize = 7;
    /// The known field count, or -1.
    pub const EXPECTED_FIELDS: usize = 8;
    /// At most this many records, or -1.
    pub const MAX_RECORDS: usize = 9;
    /// 1 when the input ends the stream.
    pub const FINAL: usize = 10;
    /// The array's length.
    pub const LEN: usize = 11;
}

/// Where each number sits in [`inner_info`]'s answer (`Csv.kt`'s `Info` has the same table).
pub mod info {
    /// 0 a table, 1 a format error, 2 an I/O error, 3 a table too large for Java arrays.
    pub const STATUS: usize = 0;
    /// Rows.
    pub const ROWS: usize = 1;
    /// Columns.
    pub const FIELDS: usize = 2;
    /// Bytes of the input read.
    pub const CONSUMED_BYTES: usize = 3;
    /// Line ends in them.
    pub const CONSUMED_LINES: usize = 4;
    /// 1 when the read stopped at a record it could not finish.
    pub const INCOMPLETE: usize = 5;
    /// The error's kind code.
    pub const KIND: usize = 6;
    /// The error's line.
    pub const LINE: usize = 7;
    /// The error's column.
    pub const COLUMN: usize = 8;
    /// The error's byte offset.
    pub const BYTE_OFFSET: usize = 9;
    /// The error's expected count or bound.
    pub const EXPECTED: usize = 10;
    /// The error's found count.
    pub const FOUND: usize = 11;
    /// How many header names there are.
    pub const NAMES: usize = 12;
    /// Then, per column, its type code, null count and string bytes.
    pub const COLUMNS_AT: usize = 13;
}

/// A finished read, until Kotlin frees it.
struct Entry {
    status: i64,
    parsed: Option<Parsed>,
    error: Option<csv::CsvError>,
    message: String,
}

static NEXT: AtomicI64 = AtomicI64::new(1);
static READS: Mutex<Option<HashMap<i64, Entry>>> = Mutex::new(None);

fn store(entry: Entry) -> jlong {
    let handle = NEXT.fetch_add(1, Ordering::Relaxed);
    READS
        .lock()
        .unwrap_or_else(PoisonError::into_inner)
        .get_or_insert_with(HashMap::new)
        .insert(handle, entry);
    handle
}

fn with_entry<R>(
    handle: jlong,
    f: impl FnOnce(&Entry) -> Result<R, BridgeError>,
) -> Result<R, BridgeError> {
    let reads = READS.lock().unwrap_or_else(PoisonError::into_inner);
    match reads.as_ref().and_then(|r| r.get(&handle)) {
        Some(e) => f(e),
        None => Err(stale(handle)),
    }
}

fn stale(handle: jlong) -> BridgeError {
    BridgeError::IllegalState(format!("csv handle {handle} is not a live read"))
}

/// The finished read as an entry: a table, or why there is none.
fn entry(result: Result<Parsed, Failure>) -> Result<Entry, BridgeError> {
    Ok(match result {
        Ok(parsed) => Entry {
            status: 0,
            parsed: Some(parsed),
            error: None,
            message: String::new(),
        },
        Err(Failure::Format(e)) => Entry {
            status: 1,
            parsed: None,
            error: Some(e),
            message: String::new(),
        },
        Err(Failure::TooLarge(message)) => Entry {
            status: 3,
            parsed: None,
            error: None,
            message,
        },
        Err(Failure::Memory(e)) => return Err(BridgeError::Core(e)),
        Err(Failure::Source) => return Err(BridgeError::Pending),
    })
}

/// Options and batch from the Kotlin side's settings, types and null token.
fn decode(
    env: &Env,
    settings: jlongArray,
    types: jbyteArray,
    null_value: jbyteArray,
) -> Result<(Options, Batch), BridgeError> {
    let settings = non_null(settings, "settings")?;
    let len = env.array_length(settings)?;
    if len != settings::LEN {
        return Err(BridgeError::IllegalArgument(format!(
            "settings has {len} elements, expected {}",
            settings::LEN
        )));
    }
    let mut s = [0i64; settings::LEN];
    env.get_long_region(settings, &mut s)?;
    let ascii = |i: usize, what: &str| {
        u8::try_from(s[i])
            .ok()
            .filter(|b| b.is_ascii() && *b != b'\r' && *b != b'\n' && *b != 0)
            .ok_or_else(|| {
                BridgeError::IllegalArgument(format!(
                    "{what} {} is not an ASCII character other than NUL, CR and LF",
                    s[i]
                ))
            })
    };
    let delimiter = ascii(settings::DELIMITER, "delimiter")?;
    let quote = ascii(settings::QUOTE, "quote")?;
    if delimiter == quote {
        return Err(BridgeError::IllegalArgument(format!(
            "delimiter and quote are both {delimiter}"
        )));
    }
    let count = |i: usize, what: &str, min: i64| {
        if s[i] < min {
            Err(BridgeError::IllegalArgument(format!(
                "{what} is {}, expected at least {min}",
                s[i]
            )))
        } else {
            Ok(usize::try_from(s[i]).unwrap_or(usize::MAX))
        }
    };
    let max_field_bytes = count(settings::MAX_FIELD_BYTES, "maxFieldBytes", 1)?;
    let chunk = count(settings::CHUNK_BYTES, "chunkBytes", 0)?;
    let line_base = count(settings::LINE_BASE, "lineBase", 0)? as u64;
    let offset_base = count(settings::OFFSET_BASE, "offsetBase", 0)? as u64;
    let types = if types.is_null() {
        None
    } else {
        let n = env.array_length(types)?;
        let mut codes = try_with_capacity::<u8>(n, "csv column types")?;
        codes.resize(n, 0);
        env.get_byte_region(types, 0, &mut codes)?;
        let mut out = try_with_capacity(n, "csv column types")?;
        for (i, c) in codes.iter().enumerate() {
            out.push(ColumnType::of(*c).ok_or_else(|| {
                BridgeError::IllegalArgument(format!("types[{i}] is {c}, not a column type code"))
            })?);
        }
        Some(out)
    };
    let null_value = if null_value.is_null() {
        None
    } else {
        let n = env.array_length(null_value)?;
        let mut token = try_with_capacity::<u8>(n, "csv null token")?;
        token.resize(n, 0);
        env.get_byte_region(null_value, 0, &mut token)?;
        Some(token)
    };
    let options = Options {
        delimiter,
        quote,
        header: s[settings::HEADER] != 0,
        types,
        null_value,
        max_field_bytes,
        chunk_bytes: if chunk == 0 {
            csv::DEFAULT_CHUNK_BYTES
        } else {
            chunk
        },
    };
    let expected = s[settings::EXPECTED_FIELDS];
    let max_records = s[settings::MAX_RECORDS];
    let batch = Batch {
        line_base,
        offset_base,
        at_start: s[settings::AT_START] != 0,
        expected_fields: usize::try_from(expected).ok(),
        max_records: usize::try_from(max_records).unwrap_or(usize::MAX),
        final_input: s[settings::FINAL] != 0,
    };
    Ok((options, batch))
}

/// A `byte[]`'s bytes `[from, to)`, pinned for each piece of work and released after it.
struct PinnedBytes<'e> {
    env: &'e Env,
    array: jbyteArray,
    len: usize,
    from: usize,
    to: usize,
    failure: std::cell::RefCell<Option<BridgeError>>,
}

impl Source for PinnedBytes<'_> {
    fn len(&self) -> usize {
        self.to - self.from
    }

    fn visit(&self, f: &mut dyn FnMut(&[u8])) -> bool {
        let (from, to) = (self.from, self.to);
        match with_pinned_bytes(self.env, &[(self.array, self.len)], |arrays| {
            f(arrays
                .first()
                .and_then(|a| a.get(from..to))
                .unwrap_or_default())
        }) {
            Ok(()) => true,
            Err(e) => {
                *self.failure.borrow_mut() = Some(e);
                false
            }
        }
    }
}

/// `csvReadBytes(array, offset, length, settings, types, nullValue)`: a handle to the read of
/// `array[offset until offset + length]`.
pub(crate) fn inner_read_bytes(
    env: &Env,
    array: jbyteArray,
    offset: jint,
    length: jint,
    settings: jlongArray,
    types: jbyteArray,
    null_value: jbyteArray,
) -> Result<jlong, BridgeError> {
    let array = non_null(array, "data")?;
    let len = env.array_length(array)?;
    let (from, to) = offset_range(offset, length, len)?;
    let (options, batch) = decode(env, settings, types, null_value)?;
    let source = PinnedBytes {
        env,
        array,
        len,
        from,
        to,
        failure: std::cell::RefCell::new(None),
    };
    let result = csv::read_source(&source, &options, &batch);
    if let Some(e) = source.failure.into_inner() {
        return Err(e);
    }
    Ok(store(entry(result)?))
}

/// `csvReadDirect(buffer, position, length, settings, types, nullValue)`: a handle to the read
/// of a direct buffer's bytes `[position, position + length)`, in place.
pub(crate) fn inner_read_direct(
    env: &Env,
    buffer: jbyteBuffer,
    position: jint,
    length: jint,
    settings: jlongArray,
    types: jbyteArray,
    null_value: jbyteArray,
) -> Result<jlong, BridgeError> {
    let bytes = direct_bytes(env, non_null(buffer, "data")?, position, length)?;
    let (options, batch) = decode(env, settings, types, null_value)?;
    Ok(store(entry(csv::read_source(bytes, &options, &batch))?))
}

/// `csvReadFile(path, settings, types, nullValue)`: a handle to the read of the file at `path`,
/// read here into one buffer of the file's size (status 2 with the reason if it cannot be read).
pub(crate) fn inner_read_file(
    env: &Env,
    path: jstring,
    settings: jlongArray,
    types: jbyteArray,
    null_value: jbyteArray,
) -> Result<jlong, BridgeError> {
    let path = env.string(non_null(path, "file")?)?;
    let (options, batch) = decode(env, settings, types, null_value)?;
    let io_error = |e: std::io::Error| Entry {
        status: 2,
        parsed: None,
        error: None,
        message: format!("{path}: {e}"),
    };
    let mut file = match std::fs::File::open(&path) {
        Ok(f) => f,
        Err(e) => return Ok(store(io_error(e))),
    };
    let size = match file.metadata() {
        Ok(m) => usize::try_from(m.len()).unwrap_or(usize::MAX),
        Err(e) => return Ok(store(io_error(e))),
    };
    let mut bytes = try_with_capacity::<u8>(size, "the csv file")?;
    // At most the size seen: a file growing meanwhile cannot make the buffer grow.
    if let Err(e) = (&mut file).take(size as u64).read_to_end(&mut bytes) {
        return Ok(store(io_error(e)));
    }
    Ok(store(entry(csv::read_source(
        &bytes[..],
        &options,
        &batch,
    ))?))
}

/// `csvInfo(handle)`: the numbers of the read in the layout of [`info`].
pub(crate) fn inner_info(env: &Env, handle: jlong) -> Result<jlongArray, BridgeError> {
    let out = with_entry(handle, |e| {
        let fields = e.parsed.as_ref().map_or(0, |p| p.columns.len());
        let mut out = try_with_capacity::<i64>(info::COLUMNS_AT + 3 * fields, "csv info")?;
        out.resize(info::COLUMNS_AT + 3 * fields, 0);
        out[info::STATUS] = e.status;
        if let Some(p) = &e.parsed {
            out[info::ROWS] = p.rows as i64;
            out[info::FIELDS] = fields as i64;
            out[info::CONSUMED_BYTES] = p.consumed_bytes as i64;
            out[info::CONSUMED_LINES] = p.consumed_lines as i64;
            out[info::INCOMPLETE] = i64::from(p.incomplete);
            out[info::NAMES] = p.names.len() as i64;
            for (c, column) in p.columns.iter().enumerate() {
                let at = info::COLUMNS_AT + 3 * c;
                out[at] = i64::from(column.column_type() as u8);
                out[at + 1] = column.null_count as i64;
                out[at + 2] = match &column.values {
                    Values::String { bytes, .. } => bytes.len() as i64,
                    _ => 0,
                };
            }
        }
        if let Some(err) = &e.error {
            out[info::KIND] = i64::from(err.kind as u8);
            out[info::LINE] = err.line as i64;
            out[info::COLUMN] = err.column as i64;
            out[info::BYTE_OFFSET] = err.byte_offset as i64;
            out[info::EXPECTED] = err.expected as i64;
            out[info::FOUND] = err.found as i64;
        }
        Ok(out)
    })?;
    env.new_long_array(&out)
}

/// `csvName(handle, index)`: the header's name at `index`.
pub(crate) fn inner_name(env: &Env, handle: jlong, index: jint) -> Result<jstring, BridgeError> {
    let name = with_entry(handle, |e| {
        let names = e.parsed.as_ref().map(|p| &p.names[..]).unwrap_or_default();
        usize::try_from(index)
            .ok()
            .and_then(|i| names.get(i))
            .cloned()
            .ok_or_else(|| {
                BridgeError::OutOfBounds(format!("name {index} is not in 0 until {}", names.len()))
            })
    })?;
    env.new_string(&name)
}

/// `csvMessage(handle)`: why the read has no table (I/O or size), else empty.
pub(crate) fn inner_message(env: &Env, handle: jlong) -> Result<jstring, BridgeError> {
    let message = with_entry(handle, |e| Ok(e.message.clone()))?;
    env.new_string(&message)
}

/// The column `column` of the read's table, handed to `f`.
fn with_column<R>(
    handle: jlong,
    column: jint,
    f: impl FnOnce(&csv::Column) -> Result<R, BridgeError>,
) -> Result<R, BridgeError> {
    with_entry(handle, |e| {
        let columns = e
            .parsed
            .as_ref()
            .map(|p| &p.columns[..])
            .unwrap_or_default();
        let c = usize::try_from(column)
            .ok()
            .and_then(|i| columns.get(i))
            .ok_or_else(|| {
                BridgeError::OutOfBounds(format!(
                    "column {column} is not in 0 until {}",
                    columns.len()
                ))
            })?;
        f(c)
    })
}

fn check_out(
    env: &Env,
    out: jni::sys::jarray,
    name: &'static str,
    expected: usize,
) -> Result<(), BridgeError> {
    let len = env.array_length(non_null(out, name)?)?;
    if len == expected {
        Ok(())
    } else {
        Err(BridgeError::IllegalArgument(format!(
            "{name} has {len} elements, expected {expected}"
        )))
    }
}

fn wrong_type(column: jint, t: ColumnType) -> BridgeError {
    BridgeError::IllegalArgument(format!("column {column} is {t:?}"))
}

/// `csvLongs(handle, column, out)`: fills `out` with a LONG column's values.
pub(crate) fn inner_longs(
    env: &Env,
    handle: jlong,
    column: jint,
    out: jlongArray,
) -> Result<(), BridgeError> {
    with_column(handle, column, |c| match &c.values {
        Values::Long(v) => {
            check_out(env, out, "out", v.len())?;
            env.set_long_region(out, v)
        }
        _ => Err(wrong_type(column, c.column_type())),
    })
}

/// `csvDoubles(handle, column, out)`: fills `out` with a DOUBLE column's values.
pub(crate) fn inner_doubles(
    env: &Env,
    handle: jlong,
    column: jint,
    out: jdoubleArray,
) -> Result<(), BridgeError> {
    with_column(handle, column, |c| match &c.values {
        Values::Double(v) => {
            check_out(env, out, "out", v.len())?;
            env.set_double_region(out, v)
        }
        _ => Err(wrong_type(column, c.column_type())),
    })
}

/// One bit per row of `flags` (bit `r % 64` of word `r / 64`), set where the flag is.
fn pack(flags: &[u8]) -> Result<Vec<i64>, BridgeError> {
    let words = flags.len().div_ceil(64);
    let mut out = try_with_capacity::<i64>(words, "csv bits")?;
    for chunk in flags.chunks(64) {
        let mut w = 0u64;
        for (i, f) in chunk.iter().enumerate() {
            w |= u64::from(*f != 0) << i;
        }
        out.push(w as i64);
    }
    Ok(out)
}

/// `csvBits(handle, column, which, out)`: fills `out` with the column's null bits (`which` 0)
/// or a BOOLEAN column's value bits (`which` 1), one bit per row.
pub(crate) fn inner_bits(
    env: &Env,
    handle: jlong,
    column: jint,
    which: jint,
    out: jlongArray,
) -> Result<(), BridgeError> {
    with_column(handle, column, |c| {
        let flags = match (which, &c.values) {
            (0, _) => &c.nulls[..],
            (1, Values::Boolean(v)) => &v[..],
            (1, _) => return Err(wrong_type(column, c.column_type())),
            _ => {
                return Err(BridgeError::IllegalArgument(format!(
                    "which is {which}, expected 0 (nulls) or 1 (booleans)"
                )))
            }
        };
        let bits = pack(flags)?;
        check_out(env, out, "out", bits.len())?;
        env.set_long_region(out, &bits)
    })
}

/// `csvStringBytes(handle, column, out)`: fills `out` with a STRING column's bytes.
pub(crate) fn inner_string_bytes(
    env: &Env,
    handle: jlong,
    column: jint,
    out: jbyteArray,
) -> Result<(), BridgeError> {
    with_column(handle, column, |c| match &c.values {
        Values::String { bytes, .. } => {
            check_out(env, out, "out", bytes.len())?;
            env.set_byte_region(out, 0, bytes)
        }
        _ => Err(wrong_type(column, c.column_type())),
    })
}

/// `csvStringOffsets(handle, column, out)`: fills `out` with a STRING column's `rows + 1` offsets.
pub(crate) fn inner_string_offsets(
    env: &Env,
    handle: jlong,
    column: jint,
    out: jintArray,
) -> Result<(), BridgeError> {
    with_column(handle, column, |c| match &c.values {
        Values::String { offsets, .. } => {
            check_out(env, out, "out", offsets.len())?;
            env.set_u32_region(out, offsets)
        }
        _ => Err(wrong_type(column, c.column_type())),
    })
}

/// `csvFree(handle)`: forgets the read; a second free of the same handle is an exception.
pub(crate) fn inner_free(_env: &Env, handle: jlong) -> Result<(), BridgeError> {
    let removed = READS
        .lock()
        .unwrap_or_else(PoisonError::into_inner)
        .as_mut()
        .and_then(|r| r.remove(&handle));
    match removed {
        // Dropped here, after the lock is released: a large table takes a while to free.
        Some(entry) => {
            drop(entry);
            Ok(())
        }
        None => Err(stale(handle)),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn bits_are_packed_low_bit_first() {
        let mut flags = vec![0u8; 130];
        flags[0] = 1;
        flags[65] = 1;
        flags[129] = 1;
        let bits = pack(&flags).unwrap_or_default();
        assert_eq!(bits, vec![1, 2, 2]);
    }

    #[test]
    fn a_handle_is_freed_once() {
        let handle = store(Entry {
            status: 3,
            parsed: None,
            error: None,
            message: "x".to_string(),
        });
        assert!(with_entry(handle, |e| Ok(e.status)).is_ok_and(|s| s == 3));
        // No Env is needed to free; pass through the inner logic without one.
        let removed = READS
            .lock()
            .unwrap_or_else(PoisonError::into_inner)
            .as_mut()
            .and_then(|r| r.remove(&handle));
        assert!(removed.is_some());
        assert!(with_entry(handle, |e| Ok(e.status)).is_err());
    }
}
