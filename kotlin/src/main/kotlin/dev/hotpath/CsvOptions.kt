package dev.hotpath

/**
 * How [Csv] reads its input (`docs/csv.md`, "Options"). Immutable and thread-safe; made with
 * [builder] or [defaults].
 */
public class CsvOptions private constructor(builder: Builder) {
    /** The field delimiter, an ASCII character other than CR and LF. */
    public val delimiter: Char = builder.delimiter

    /** The quote character, an ASCII character other than CR, LF and the delimiter. */
    public val quote: Char = builder.quote

    /** Whether the first record is a header naming the columns. */
    public val header: Boolean = builder.header

    /** The extra token read as null when unquoted, or null for none. */
    public val nullValue: String? = builder.nullValue

    /** The largest field, in raw bytes (quotes included); longer is a [CsvException]. */
    public val maxFieldBytes: Int = builder.maxFieldBytes

    /** The most rows of a batch of [Csv.open]. */
    public val batchRows: Int = builder.batchRows

    /** The names given with [Builder.column], in file order; empty when the columns are not given. */
    public val columnNames: List<String> = builder.names.toList()

    /** The types given with [Builder.column], in file order; empty when types are inferred. */
    public val columnTypes: List<ColumnType> = builder.types.toList()

    /** Bytes per parallel chunk natively; 0 for the default. Tests set it through `internal.CsvTuning`. */
    internal val chunkBytes: Int = builder.chunkBytes

    internal val nullValueBytes: ByteArray? = nullValue?.toByteArray(Charsets.UTF_8)

    /** A builder starting from this object's settings. */
    public fun toBuilder(): Builder {
        val b = Builder()
        b.delimiter = delimiter
        b.quote = quote
        b.header = header
        b.nullValue = nullValue
        b.maxFieldBytes = maxFieldBytes
        b.batchRows = batchRows
        b.names.addAll(columnNames)
        b.types.addAll(columnTypes)
        b.chunkBytes = chunkBytes
        return b
    }

    /** Builds [CsvOptions]; each setter returns the builder. Not thread-safe. */
    public class Builder internal constructor() {
        internal var delimiter: Char = ','
        internal var quote: Char = '"'
        internal var header: Boolean = true
        internal var nullValue: String? = null
        internal var maxFieldBytes: Int = DEFAULT_MAX_FIELD_BYTES
        internal var batchRows: Int = DEFAULT_BATCH_ROWS
        internal val names: MutableList<String> = ArrayList()
        internal val types: MutableList<ColumnType> = ArrayList()
        internal var chunkBytes: Int = 0

        /** The field delimiter (default `,`). */
        public fun delimiter(delimiter: Char): Builder = apply { this.delimiter = delimiter }

        /** The quote character (default `"`). */
        public fun quote(quote: Char): Builder = apply { this.quote = quote }

        /** Whether the first record is a header (default true). */
        public fun header(header: Boolean): Builder = apply { this.header = header }

        /**
         * Adds the next column, in file order: give every column or none. Given columns are
         * converted to [type] (a field that does not fit is a [CsvException]) and named [name]
         * (a header is still read and skipped).
         *
         * @throws NullPointerException if [name] or [type] is null.
         */
        public fun column(name: String, type: ColumnType): Builder = apply {
            names.add(name)
            types.add(type)
        }

        /** One extra token read as null when unquoted, e.g. `NA`; null for none (default). */
        public fun nullValue(nullValue: String?): Builder = apply { this.nullValue = nullValue }

        /** The largest field, in raw bytes (default 16 MiB). */
        public fun maxFieldBytes(maxFieldBytes: Int): Builder = apply { this.maxFieldBytes = maxFieldBytes }

        /** The most rows per batch of [Csv.open] (default 65,536). */
        public fun batchRows(batchRows: Int): Builder = apply { this.batchRows = batchRows }

        /**
         * The options.
         *
         * @throws IllegalArgumentException if the delimiter or quote is not ASCII, is CR or LF, or
         *   they are equal; if [nullValue] is empty; if [maxFieldBytes] or [batchRows] is below 1;
         *   or if two given columns have the same name.
         */
        public fun build(): CsvOptions {
            for ((what, c) in listOf("delimiter" to delimiter, "quote" to quote)) {
                require(c.code in 1..127 && c != '\r' && c != '\n') {
                    "$what must be an ASCII character other than NUL, CR and LF, got U+%04X".format(c.code)
                }
            }
            require(delimiter != quote) { "delimiter and quote are both '$delimiter'" }
            require(nullValue?.isEmpty() != true) { "nullValue is empty (an empty field is already null)" }
            require(maxFieldBytes >= 1) { "maxFieldBytes is $maxFieldBytes, expected at least 1" }
            require(batchRows >= 1) { "batchRows is $batchRows, expected at least 1" }
            val seen = HashSet<String>()
            for (name in names) require(seen.add(name)) { "column name \"$name\" given twice" }
            return CsvOptions(this)
        }
    }

    public companion object {
        /** Raw bytes per field by default: 16 MiB. */
        public const val DEFAULT_MAX_FIELD_BYTES: Int = 16 shl 20

        /** Rows per batch of [Csv.open] by default. */
        public const val DEFAULT_BATCH_ROWS: Int = 65_536

        private val DEFAULTS = Builder().build()

        /** `,` `"`, a header, types inferred, no null token, 16 MiB fields, 65,536-row batches. */
        @JvmStatic
        public fun defaults(): CsvOptions = DEFAULTS

        /** A builder starting from [defaults]. */
        @JvmStatic
        public fun builder(): Builder = Builder()
    }
}
