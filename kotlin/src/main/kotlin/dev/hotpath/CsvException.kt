package dev.hotpath

/**
 * The CSV input breaks the format of `docs/csv.md`. Both backends throw it with the same
 * [kind], [line], [column] and [byteOffset] for the same input.
 */
public class CsvException internal constructor(
    /** What is wrong. */
    public val kind: Kind,
    /** The 1-based physical line on which the offending record starts (line ends inside quoted fields count). */
    public val line: Long,
    /** The 1-based field: the one that fails, the first beyond the expected count, or for too few fields the first missing one. */
    public val column: Int,
    /** Where that field's first byte is, from the start of the input (a buffer's position); for a missing field, the record's line end. */
    public val byteOffset: Long,
    /** The expected field count for [Kind.TOO_MANY_FIELDS]/[Kind.TOO_FEW_FIELDS], `maxFieldBytes` for [Kind.FIELD_TOO_LONG], else 0. */
    public val expected: Long,
    /** The found field count for [Kind.TOO_MANY_FIELDS]/[Kind.TOO_FEW_FIELDS], else 0. */
    public val found: Long,
) : HotpathException(describe(kind, line, column, byteOffset, expected, found)) {
    /** The kinds of format error; [code] is shared with `rust/core/src/csv.rs`. */
    public enum class Kind(
        /** The kind's code across the native bridge. */
        public val code: Int,
    ) {
        /** A quoted field still open at the end of the input. */
        UNCLOSED_QUOTE(0),

        /** A quote inside an unquoted field. */
        QUOTE_IN_UNQUOTED_FIELD(1),

        /** Something other than a delimiter or line end after a closing quote. */
        TEXT_AFTER_CLOSING_QUOTE(2),

        /** A field of more than `maxFieldBytes` raw bytes. */
        FIELD_TOO_LONG(3),

        /** A record with more fields than the header or first record. */
        TOO_MANY_FIELDS(4),

        /** A record with fewer fields than the header or first record. */
        TOO_FEW_FIELDS(5),

        /** A field of a LONG column that is not a LONG. */
        NOT_A_LONG(6),

        /** LONG digits outside the 64-bit range. */
        LONG_OUT_OF_RANGE(7),

        /** A field of a DOUBLE column that is not a DOUBLE. */
        NOT_A_DOUBLE(8),

        /** A field of a BOOLEAN column that is not `true` or `false`. */
        NOT_A_BOOLEAN(9),

        /** Malformed UTF-8 in a STRING field or a header name. */
        MALFORMED_UTF8(10),

        /** A header name that an earlier header field already has. */
        DUPLICATE_NAME(11),
        ;

        internal companion object {
            private val BY_CODE = values()

            fun of(code: Int): Kind =
                BY_CODE.getOrNull(code)?.takeIf { it.code == code }
                    ?: throw IllegalStateException("native csv error has unknown kind code $code")
        }
    }

    private companion object {
        fun describe(kind: Kind, line: Long, column: Int, byteOffset: Long, expected: Long, found: Long): String {
            val what = when (kind) {
                Kind.UNCLOSED_QUOTE -> "quoted field not closed before the end of the input"
                Kind.QUOTE_IN_UNQUOTED_FIELD -> "quote inside an unquoted field"
                Kind.TEXT_AFTER_CLOSING_QUOTE -> "text after a closing quote (expected a delimiter or a line end)"
                Kind.FIELD_TOO_LONG -> "field longer than maxFieldBytes ($expected bytes)"
                Kind.TOO_MANY_FIELDS -> "record has $found fields, expected $expected"
                Kind.TOO_FEW_FIELDS -> "record has $found fields, expected $expected"
                Kind.NOT_A_LONG -> "not a LONG"
                Kind.LONG_OUT_OF_RANGE -> "LONG out of the 64-bit range"
                Kind.NOT_A_DOUBLE -> "not a DOUBLE"
                Kind.NOT_A_BOOLEAN -> "not a BOOLEAN (true or false)"
                Kind.MALFORMED_UTF8 -> "malformed UTF-8"
                Kind.DUPLICATE_NAME -> "header name repeated"
            }
            return "CSV line $line, column $column (byte $byteOffset): $what"
        }
    }
}
