package dev.hotpath

/** How a [VectorIndex] scans its stored vectors (docs/vectors.md). */
public enum class Precision(internal val code: Int) {
    /** The stored floats, exactly. */
    F32(0),

    /**
     * Per-vector 8-bit scalar quantization (an offset and a scale per vector): a search scans the
     * codes, rescores the best `max(4k, 64)` candidates exactly in [F32] and returns the best `k`
     * of them with their exact scores.
     */
    INT8(1),
    ;

    internal companion object {
        fun ofCode(code: Int): Precision? = values().firstOrNull { it.code == code }
    }
}
