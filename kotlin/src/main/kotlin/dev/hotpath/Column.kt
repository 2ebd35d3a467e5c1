package dev.hotpath

/**
 * One column of a [Table]: [size] rows, each a value or null. The values live in one primitive
 * array (strings: one UTF-8 byte array and offsets), with no object per row. Immutable.
 */
public abstract class Column internal constructor(
    private val rows: Int,
    /** One bit per row (bit `row % 64` of word `row / 64`), set where null; null when no row is. */
    private val nulls: LongArray?,
    /** How many rows are null. */
    public val nullCount: Int,
) {
    /** The column's type. */
    public abstract val type: ColumnType

    /** The number of rows. */
    public fun size(): Int = rows

    /**
     * Whether [row] is null.
     *
     * @throws IndexOutOfBoundsException if [row] is not in `0 until size()`.
     */
    public fun isNull(row: Int): Boolean {
        checkRow(row)
        return nulls != null && bit(nulls, row)
    }

    internal fun checkRow(row: Int) {
        if (row < 0 || row >= rows) throw IndexOutOfBoundsException("row $row is not in 0 until $rows")
    }

    internal fun nullBits(): LongArray? = nulls

    override fun equals(other: Any?): Boolean {
        if (other !is Column || other.type != type || other.rows != rows || other.nullCount != nullCount) return false
        for (r in 0 until rows) if (isNull(r) != other.isNull(r)) return false
        return sameValues(other)
    }

    override fun hashCode(): Int = type.hashCode() * 31 + rows

    internal abstract fun sameValues(other: Column): Boolean

    internal companion object {
        fun bit(bits: LongArray, row: Int): Boolean = (bits[row ushr 6] ushr (row and 63)) and 1L != 0L

        fun words(rows: Int): Int = (rows + 63) ushr 6
    }
}

/** A [ColumnType.LONG] column; null rows hold 0. */
public class LongColumn internal constructor(private val values: LongArray, nulls: LongArray?, nullCount: Int) :
    Column(values.size, nulls, nullCount) {
    override val type: ColumnType get() = ColumnType.LONG

    /**
     * The value of [row] (0 when null).
     *
     * @throws IndexOutOfBoundsException if [row] is not in `0 until size()`.
     */
    public fun get(row: Int): Long {
        checkRow(row)
        return values[row]
    }

    /** A copy of the values, 0 where null. */
    public fun toArray(): LongArray = values.copyOf()

    override fun sameValues(other: Column): Boolean = values.contentEquals((other as LongColumn).values)

    override fun toString(): String = "LongColumn(${values.contentToString()})"
}

/** A [ColumnType.DOUBLE] column; null rows hold 0.0. */
public class DoubleColumn internal constructor(private val values: DoubleArray, nulls: LongArray?, nullCount: Int) :
    Column(values.size, nulls, nullCount) {
    override val type: ColumnType get() = ColumnType.DOUBLE

    /**
     * The value of [row] (0.0 when null).
     *
     * @throws IndexOutOfBoundsException if [row] is not in `0 until size()`.
     */
    public fun get(row: Int): Double {
        checkRow(row)
        return values[row]
    }

    /** A copy of the values, 0.0 where null. */
    public fun toArray(): DoubleArray = values.copyOf()

    /** Bit for bit, all NaNs equal (`Double.equals`). */
    override fun sameValues(other: Column): Boolean = values.contentEquals((other as DoubleColumn).values)

    override fun toString(): String = "DoubleColumn(${values.contentToString()})"
}

/** A [ColumnType.BOOLEAN] column; null rows hold false. */
public class BooleanColumn internal constructor(
    private val rows: Int,
    /** One bit per row, set where true. */
    private val bits: LongArray,
    nulls: LongArray?,
    nullCount: Int,
) : Column(rows, nulls, nullCount) {
    override val type: ColumnType get() = ColumnType.BOOLEAN

    /**
     * The value of [row] (false when null).
     *
     * @throws IndexOutOfBoundsException if [row] is not in `0 until size()`.
     */
    public fun get(row: Int): Boolean {
        checkRow(row)
        return bit(bits, row)
    }

    override fun sameValues(other: Column): Boolean {
        val o = other as BooleanColumn
        for (r in 0 until rows) if (bit(bits, r) != bit(o.bits, r)) return false
        return true
    }

    override fun toString(): String = "BooleanColumn(${(0 until rows).map { bit(bits, it) }})"
}

/**
 * A [ColumnType.STRING] column: every row's UTF-8 bytes in one array, and `size() + 1` offsets
 * (row `i` is bytes `[offsets[i], offsets[i + 1])`; a null row is empty). A `String` is made only
 * by [get].
 */
public class StringColumn internal constructor(
    private val bytes: ByteArray,
    private val offsets: IntArray,
    nulls: LongArray?,
    nullCount: Int,
) : Column(offsets.size - 1, nulls, nullCount) {
    override val type: ColumnType get() = ColumnType.STRING

    /**
     * The text of [row], or null when the row is null.
     *
     * @throws IndexOutOfBoundsException if [row] is not in `0 until size()`.
     */
    public fun get(row: Int): String? {
        if (isNull(row)) return null
        return String(bytes, offsets[row], offsets[row + 1] - offsets[row], Charsets.UTF_8)
    }

    /** A copy of every row's UTF-8 bytes, one after another. */
    public fun getBytes(): ByteArray = bytes.copyOf()

    /** A copy of the `size() + 1` offsets into [getBytes]. */
    public fun getOffsets(): IntArray = offsets.copyOf()

    override fun sameValues(other: Column): Boolean {
        val o = other as StringColumn
        return bytes.contentEquals(o.bytes) && offsets.contentEquals(o.offsets)
    }

    override fun toString(): String = "StringColumn(${(0 until size()).map { get(it) }})"
}
