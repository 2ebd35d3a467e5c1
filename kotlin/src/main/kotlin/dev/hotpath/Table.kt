package dev.hotpath

/**
 * Typed columns read by [Csv]: [rowCount] rows of [columnCount] columns. Immutable and
 * thread-safe; equal tables have equal names, types, nulls and values (doubles bit for bit,
 * all NaNs equal).
 */
public class Table internal constructor(
    /** The number of rows. */
    public val rowCount: Int,
    /** The column names, in file order. */
    public val columnNames: List<String>,
    private val columns: List<Column>,
) {
    /** The number of columns. */
    public val columnCount: Int get() = columns.size

    /**
     * The type of [column].
     *
     * @throws IndexOutOfBoundsException if [column] is not in `0 until columnCount`.
     */
    public fun getType(column: Int): ColumnType = at(column).type

    /**
     * The column at [column], of any type.
     *
     * @throws IndexOutOfBoundsException if [column] is not in `0 until columnCount`.
     */
    public fun getColumn(column: Int): Column = at(column)

    /**
     * The index of the column named [name].
     *
     * @throws IllegalArgumentException if no column has that name.
     */
    public fun indexOf(name: String): Int {
        val i = columnNames.indexOf(name)
        require(i >= 0) { "no column named \"$name\"; the columns are $columnNames" }
        return i
    }

    /**
     * The LONG column at [column].
     *
     * @throws IndexOutOfBoundsException if [column] is not in `0 until columnCount`.
     * @throws IllegalArgumentException if the column is not LONG.
     */
    public fun getLongColumn(column: Int): LongColumn = typed(column, ColumnType.LONG) as LongColumn

    /**
     * The LONG column named [name].
     *
     * @throws IllegalArgumentException if no column has that name or it is not LONG.
     */
    public fun getLongColumn(name: String): LongColumn = getLongColumn(indexOf(name))

    /**
     * The DOUBLE column at [column].
     *
     * @throws IndexOutOfBoundsException if [column] is not in `0 until columnCount`.
     * @throws IllegalArgumentException if the column is not DOUBLE.
     */
    public fun getDoubleColumn(column: Int): DoubleColumn = typed(column, ColumnType.DOUBLE) as DoubleColumn

    /**
     * The DOUBLE column named [name].
     *
     * @throws IllegalArgumentException if no column has that name or it is not DOUBLE.
     */
    public fun getDoubleColumn(name: String): DoubleColumn = getDoubleColumn(indexOf(name))

    /**
     * The BOOLEAN column at [column].
     *
     * @throws IndexOutOfBoundsException if [column] is not in `0 until columnCount`.
     * @throws IllegalArgumentException if the column is not BOOLEAN.
     */
    public fun getBooleanColumn(column: Int): BooleanColumn = typed(column, ColumnType.BOOLEAN) as BooleanColumn

    /**
     * The BOOLEAN column named [name].
     *
     * @throws IllegalArgumentException if no column has that name or it is not BOOLEAN.
     */
    public fun getBooleanColumn(name: String): BooleanColumn = getBooleanColumn(indexOf(name))

    /**
     * The STRING column at [column].
     *
     * @throws IndexOutOfBoundsException if [column] is not in `0 until columnCount`.
     * @throws IllegalArgumentException if the column is not STRING.
     */
    public fun getStringColumn(column: Int): StringColumn = typed(column, ColumnType.STRING) as StringColumn

    /**
     * The STRING column named [name].
     *
     * @throws IllegalArgumentException if no column has that name or it is not STRING.
     */
    public fun getStringColumn(name: String): StringColumn = getStringColumn(indexOf(name))

    private fun at(column: Int): Column {
        if (column < 0 || column >= columns.size) {
            throw IndexOutOfBoundsException("column $column is not in 0 until ${columns.size}")
        }
        return columns[column]
    }

    private fun typed(column: Int, type: ColumnType): Column {
        val c = at(column)
        require(c.type == type) { "column $column (\"${columnNames[column]}\") is ${c.type}, not $type" }
        return c
    }

    override fun equals(other: Any?): Boolean =
        other is Table && other.rowCount == rowCount && other.columnNames == columnNames && other.columns == columns

    override fun hashCode(): Int = columnNames.hashCode() * 31 + rowCount

    override fun toString(): String = "Table($rowCount rows, ${columnNames.zip(columns.map { it.type })})"
}
