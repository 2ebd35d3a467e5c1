use super::*;
use proptest::prelude::*;

fn options() -> Options {
    Options {
        delimiter: b',',
        quote: b'"',
        header: true,
        types: None,
        null_value: None,
        max_field_bytes: 16 << 20,
        chunk_bytes: DEFAULT_CHUNK_BYTES,
    }
}

fn no_header() -> Options {
    Options {
        header: false,
        ..options()
    }
}

fn error(input: &[u8], o: &Options) -> CsvError {
    match read(input, o) {
        Err(Failure::Format(e)) => e,
        other => panic!("expected a format error, got {other:?}"),
    }
}

fn ok(input: &[u8], o: &Options) -> Parsed {
    match read(input, o) {
        Ok(p) => p,
        Err(e) => panic!("expected a table, got {e:?}"),
    }
}

fn strings(c: &Column) -> Vec<Option<String>> {
    match &c.values {
        Values::String { bytes, offsets } => (0..c.nulls.len())
            .map(|i| {
                (c.nulls[i] == 0).then(|| {
                    String::from_utf8_lossy(&bytes[offsets[i] as usize..offsets[i + 1] as usize])
                        .into_owned()
                })
            })
            .collect(),
        _ => panic!("not a string column"),
    }
}

#[test]
fn types_are_inferred_per_column() {
    let p = ok(b"a,b,c,d\n1,1.5,true,x\n-2,3,FALSE,\"y,z\"\n", &options());
    assert_eq!(p.rows, 2);
    assert_eq!(p.names, ["a", "b", "c", "d"]);
    assert_eq!(p.columns[0].values, Values::Long(vec![1, -2]));
    assert_eq!(p.columns[1].values, Values::Double(vec![1.5, 3.0]));
    assert_eq!(p.columns[2].values, Values::Boolean(vec![1, 0]));
    assert_eq!(
        strings(&p.columns[3]),
        [Some("x".to_string()), Some("y,z".to_string())]
    );
}

#[test]
fn nulls_follow_the_rules() {
    let o = Options {
        null_value: Some(b"NA".to_vec()),
        ..options()
    };
    let p = ok(b"n,s\n,\n\"\",\"\"\nNA,NA\n5,\"NA\"\n", &o);
    assert_eq!(p.columns[0].values, Values::Long(vec![0, 0, 0, 5]));
    assert_eq!(p.columns[0].nulls, [1, 1, 1, 0]);
    assert_eq!(
        strings(&p.columns[1]),
        [None, Some(String::new()), None, Some("NA".to_string())]
    );
}

#[test]
fn bom_crlf_blank_lines_and_a_missing_last_line_end() {
    let p = ok(b"\xEF\xBB\xBFa,b\r\n\r\n1,2\r\n\n\n3,4", &options());
    assert_eq!(p.names, ["a", "b"]);
    assert_eq!(p.columns[0].values, Values::Long(vec![1, 3]));
    assert_eq!(p.columns[1].values, Values::Long(vec![2, 4]));
}

#[test]
fn quoted_fields_hold_delimiters_quotes_and_line_ends() {
    let p = ok(b"s\n\"a,\"\"b\"\"\r\nc\"\n", &options());
    assert_eq!(strings(&p.columns[0]), [Some("a,\"b\"\r\nc".to_string())]);
}

#[test]
fn empty_inputs() {
    for input in [&b""[..], b"\xEF\xBB\xBF", b"\n\r\n\n"] {
        let p = ok(input, &options());
        assert_eq!((p.rows, p.columns.len()), (0, 0));
    }
    let p = ok(b"a,b\n", &options());
    assert_eq!((p.rows, p.columns.len()), (0, 2));
    assert_eq!(p.columns[0].column_type(), ColumnType::String);
}

#[test]
fn error_positions() {
    let e = error(b"a,b\n1,2\n3\n", &options());
    assert_eq!(
        (e.kind, e.line, e.column, e.byte_offset, e.expected, e.found),
        (ErrorKind::TooFewFields, 3, 2, 9, 2, 1)
    );
    let e = error(b"a,b\n1,2,3,4\n", &options());
    assert_eq!(
        (e.kind, e.line, e.column, e.byte_offset, e.found),
        (ErrorKind::TooManyFields, 2, 3, 8, 4)
    );
    let e = error(b"a\n\"x\ny\"\n1\"2\n", &options());
    assert_eq!(
        (e.kind, e.line, e.column, e.byte_offset),
        (ErrorKind::QuoteInUnquotedField, 4, 1, 8)
    );
    let e = error(b"a,b\n1,\"x\"y\n", &options());
    assert_eq!(
        (e.kind, e.line, e.column, e.byte_offset),
        (ErrorKind::TextAfterClosingQuote, 2, 2, 6)
    );
    let e = error(b"a,b\n1,\"x\n", &options());
    assert_eq!(
        (e.kind, e.line, e.column, e.byte_offset),
        (ErrorKind::UnclosedQuote, 2, 2, 6)
    );
    let e = error(b"a,a\n", &options());
    assert_eq!(
        (e.kind, e.line, e.column, e.byte_offset),
        (ErrorKind::DuplicateName, 1, 2, 2)
    );
    let e = error(b"s\n\xff\n", &options());
    assert_eq!((e.kind, e.line, e.column), (ErrorKind::MalformedUtf8, 2, 1));
    let o = Options {
        max_field_bytes: 4,
        ..no_header()
    };
    let e = error(b"abcd,\"abc\"\n", &o);
    assert_eq!(
        (e.kind, e.column, e.byte_offset, e.expected),
        (ErrorKind::FieldTooLong, 2, 5, 4)
    );
}

#[test]
fn typed_columns_reject_what_does_not_fit() {
    let o = Options {
        types: Some(vec![ColumnType::Long, ColumnType::Boolean]),
        ..options()
    };
    let e = error(b"a,b\n1,true\n99999999999999999999,false\n", &o);
    assert_eq!(
        (e.kind, e.line, e.column),
        (ErrorKind::LongOutOfRange, 3, 1)
    );
    let e = error(b"a,b\n1,yes\n", &o);
    assert_eq!((e.kind, e.column), (ErrorKind::NotABoolean, 2));
    let e = error(b"a,b\n1.0,true\n", &o);
    assert_eq!(e.kind, ErrorKind::NotALong);
}

#[test]
fn the_first_error_in_record_order_wins() {
    // A conversion error in record 2 comes before the splitting error in record 3.
    let o = Options {
        types: Some(vec![ColumnType::Long]),
        ..no_header()
    };
    let e = error(b"1\nx\n\"\n", &o);
    assert_eq!((e.kind, e.line), (ErrorKind::NotALong, 2));
}

#[test]
fn longs_and_doubles_parse_exactly() {
    assert_eq!(parse_long(b"-9223372036854775808"), Long::Value(i64::MIN));
    assert_eq!(parse_long(b"+9223372036854775807"), Long::Value(i64::MAX));
    assert_eq!(parse_long(b"9223372036854775808"), Long::OutOfRange);
    assert_eq!(parse_long(b"-"), Long::Invalid);
    assert_eq!(parse_long(b" 1"), Long::Invalid);
    for good in [
        &b"1"[..],
        b"1.",
        b".5",
        b"-1e5",
        b"1E+05",
        b"NaN",
        b"-inf",
        b"+Infinity",
    ] {
        assert!(is_double(good), "{good:?}");
    }
    for bad in [
        &b"."[..],
        b"e5",
        b"1e",
        b"1_0",
        b" 1",
        b"0x10",
        b"1d",
        b"infinit",
        b"",
    ] {
        assert!(!is_double(bad), "{bad:?}");
    }
    for (text, value) in [
        (&b"nAn"[..], f64::NAN),
        (b"-INF", f64::NEG_INFINITY),
        (b"+infinity", f64::INFINITY),
        (b"1.e5", 1e5),
        (b"+.5", 0.5),
        (b"1.", 1.0),
    ] {
        let parsed = parse_double(text);
        assert!(
            parsed
                .is_some_and(|p| p.to_bits() == value.to_bits() || (p.is_nan() && value.is_nan())),
            "{text:?}"
        );
    }
    assert_eq!(
        parse_double(b"-0").map(f64::to_bits),
        Some((-0.0f64).to_bits())
    );
    // Halfway between 1 and the next double: ties to even.
    assert_eq!(
        parse_double(b"1.00000000000000011102230246251565404236316680908203125"),
        Some(1.0)
    );
    assert_eq!(parse_double(b"4.9e-324"), Some(f64::from_bits(1)));
    assert_eq!(parse_double(b"1e400"), Some(f64::INFINITY));
}

/// docs/csv.md's DOUBLE grammar, transcribed by hand: the oracle `parse_double` is held to.
fn grammar_is_double(v: &[u8]) -> bool {
    let body = match v.first() {
        Some(b'-') | Some(b'+') => &v[1..],
        _ => v,
    };
    if [&b"nan"[..], b"inf", b"infinity"]
        .iter()
        .any(|w| body.eq_ignore_ascii_case(w))
    {
        return true;
    }
    let digits = |from: usize| {
        body[from..]
            .iter()
            .take_while(|c| c.is_ascii_digit())
            .count()
    };
    let int = digits(0);
    let mut i = int;
    let mut frac = 0;
    if body.get(i) == Some(&b'.') {
        frac = digits(i + 1);
        i += 1 + frac;
    }
    if int + frac == 0 {
        return false;
    }
    if matches!(body.get(i), Some(b'e') | Some(b'E')) {
        i += 1;
        if matches!(body.get(i), Some(b'+') | Some(b'-')) {
            i += 1;
        }
        let exp = digits(i);
        if exp == 0 {
            return false;
        }
        i += exp;
    }
    i == body.len()
}

#[test]
fn doubles_follow_the_grammar_on_random_texts() {
    // Texts over the grammar's own bytes and a few others, so most are near misses.
    let alphabet = b"0123456789..eE+-+-nNaAiIfFtTyY_ x";
    let mut x = 0x9E37_79B9_7F4A_7C15u64;
    let mut next = || {
        x ^= x << 13;
        x ^= x >> 7;
        x ^= x << 17;
        x
    };
    let mut accepted = 0;
    for _ in 0..200_000 {
        let len = (next() % 12) as usize;
        let text: Vec<u8> = (0..len)
            .map(|_| alphabet[(next() % alphabet.len() as u64) as usize])
            .collect();
        let parsed = parse_double(&text);
        assert_eq!(
            is_double(&text),
            parsed.is_some(),
            "is_double {:?}",
            String::from_utf8_lossy(&text)
        );
        assert_eq!(
            parsed.is_some(),
            grammar_is_double(&text),
            "{:?}",
            String::from_utf8_lossy(&text)
        );
        if let Some(p) = parsed {
            accepted += 1;
            let std: f64 = std::str::from_utf8(&text)
                .ok()
                .and_then(|t| t.parse().ok())
                .unwrap_or(f64::NAN);
            assert!(
                p.to_bits() == std.to_bits() || (p.is_nan() && std.is_nan()),
                "{:?}",
                String::from_utf8_lossy(&text)
            );
        }
    }
    assert!(accepted > 1_000, "only {accepted} texts were numbers");
}

/// Random CSV of `rows` records with quoted fields holding delimiters and line ends.
fn random_csv(seed: u64, rows: usize) -> Vec<u8> {
    let mut x = seed | 1;
    let mut next = move || {
        x ^= x << 13;
        x ^= x >> 7;
        x ^= x << 17;
        x
    };
    let mut out = b"a,b,c\n".to_vec();
    for _ in 0..rows {
        for c in 0..3 {
            if c > 0 {
                out.push(b',');
            }
            match next() % 6 {
                5 => out.extend_from_slice(b"NA"),
                0 => out.extend_from_slice(format!("{}", next() as i64 % 1000).as_bytes()),
                1 => out.extend_from_slice(b"\"q,\"\"\n\r\nx\""),
                2 => out.extend_from_slice(format!("{}.25", next() % 100).as_bytes()),
                3 => {}
                _ => out.extend_from_slice(b"\"\""),
            }
        }
        out.extend_from_slice(if next() % 2 == 0 { b"\n" } else { b"\r\n" });
    }
    out
}

#[test]
fn small_chunks_give_the_same_table_at_every_chunk_size() {
    let input = random_csv(7, 60);
    let whole = ok(&input, &options());
    for chunk in 1..64 {
        let o = Options {
            chunk_bytes: chunk,
            ..options()
        };
        assert_eq!(ok(&input, &o), whole, "chunk {chunk}");
    }
}

proptest! {
    #[test]
    fn chunked_reads_equal_sequential_ones(seed in any::<u64>(), rows in 0usize..40, chunk in 1usize..50,
                                           cut in any::<usize>(), byte in any::<u8>()) {
        let mut input = random_csv(seed, rows);
        if !input.is_empty() {
            let at = cut % input.len();
            input[at] = byte;
        }
        let na = Options { null_value: Some(b"NA".to_vec()), ..options() };
        let sequential = read(&input, &na);
        let chunked = read(&input, &Options { chunk_bytes: chunk, ..na });
        if let Ok(table) = &sequential {
            for column in &table.columns {
                if let Values::String { bytes, offsets } = &column.values {
                    prop_assert_eq!(offsets.last().copied(), Some(bytes.len() as u32));
                }
            }
        }
        prop_assert_eq!(chunked, sequential);
    }

    #[test]
    fn batches_cover_the_input(seed in any::<u64>(), rows in 0usize..30, batch_rows in 1usize..7) {
        let input = random_csv(seed, rows);
        let whole = ok(&input, &options());
        let mut at = 0usize;
        let mut batch = Batch { max_records: batch_rows, ..Batch::whole() };
        let mut total = 0;
        loop {
            let p = match read_source(&input[at..], &Options { types: Some(whole.columns.iter().map(Column::column_type).collect()), ..options() }, &batch) {
                Ok(p) => p,
                Err(e) => return Err(TestCaseError::fail(format!("{e:?}"))),
            };
            total += p.rows;
            prop_assert!(p.rows == batch_rows || p.consumed_bytes + at == input.len());
            at += p.consumed_bytes;
            batch = Batch { line_base: batch.line_base + p.consumed_lines, offset_base: at as u64,
                            at_start: false, expected_fields: Some(3), ..batch };
            if at == input.len() { break; }
        }
        prop_assert_eq!(total, whole.rows);
    }
}
