package dev.hotpath

/**
 * The best vectors of a [VectorIndex] for one query, best first, ties broken by the smaller id;
 * fewer than `k` when the index holds fewer. A view of one query's part of the flat result arrays
 * of a search: [ids] and [scores] return new arrays on each call.
 */
public class TopK internal constructor(
    private val allIds: IntArray,
    private val allScores: FloatArray,
    private val from: Int,
    private val count: Int,
) {
    /** The number of results. */
    public fun size(): Int = count

    /** The ids of the results, best first. */
    public val ids: IntArray get() = allIds.copyOfRange(from, from + count)

    /** The scores of the results, matching [ids]: larger is better except for [Metric.L2], a squared distance. */
    public val scores: FloatArray get() = allScores.copyOfRange(from, from + count)

    /** The id of result [rank] (0 is the best). @throws IndexOutOfBoundsException if [rank] is not below [size]. */
    public fun id(rank: Int): Int {
        if (rank < 0 || rank >= count) throw IndexOutOfBoundsException("rank $rank, size $count")
        return allIds[from + rank]
    }

    /** The score of result [rank]. @throws IndexOutOfBoundsException if [rank] is not below [size]. */
    public fun score(rank: Int): Float {
        if (rank < 0 || rank >= count) throw IndexOutOfBoundsException("rank $rank, size $count")
        return allScores[from + rank]
    }

    override fun toString(): String =
        (0 until count).joinToString(", ", "TopK[", "]") { "${allIds[from + it]}=${allScores[from + it]}" }

    internal companion object {
        /** One [TopK] per query over flat results with [perQuery] entries each. */
        fun split(ids: IntArray, scores: FloatArray, queries: Int, perQuery: Int): Array<TopK> =
            Array(queries) { TopK(ids, scores, it * perQuery, perQuery) }
    }
}
