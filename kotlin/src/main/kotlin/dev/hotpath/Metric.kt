package dev.hotpath

/** How a [VectorIndex] compares a stored vector with a query (docs/vectors.md). */
public enum class Metric(internal val code: Int) {
    /** The dot product of the vectors; larger scores are better. */
    DOT(0),

    /** The dot product of the vectors normalised to length 1; larger scores are better. */
    COSINE(1),

    /** The squared Euclidean distance; smaller scores are better. */
    L2(2),
    ;

    internal companion object {
        fun ofCode(code: Int): Metric? = values().firstOrNull { it.code == code }
    }
}
