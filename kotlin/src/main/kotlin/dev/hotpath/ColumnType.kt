package dev.hotpath

/** The type of a [Table] column read by [Csv] (`docs/csv.md`, "Types"). */
public enum class ColumnType(
    /** The type's code across the native bridge, the same as `rust/core/src/csv.rs`'s. */
    public val code: Int,
) {
    /** 64-bit signed integers: [LongColumn]. */
    LONG(0),

    /** IEEE doubles, correctly rounded as `Double.parseDouble` rounds: [DoubleColumn]. */
    DOUBLE(1),

    /** `true`/`false` in any case: [BooleanColumn]. */
    BOOLEAN(2),

    /** UTF-8 text: [StringColumn]. */
    STRING(3),
    ;

    internal companion object {
        private val BY_CODE = values()

        fun of(code: Int): ColumnType =
            BY_CODE.getOrNull(code)?.takeIf { it.code == code }
                ?: throw IllegalStateException("native csv table has unknown column type code $code")
    }
}
