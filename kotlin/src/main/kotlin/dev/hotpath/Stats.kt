package dev.hotpath

/**
 * Summary statistics of a `double[]`, computed in one pass by [Numeric.stats].
 *
 * Both backends build it from the same block-pairwise tree (see `docs/numeric.md`), so the
 * native and JVM results are identical to the bit.
 *
 * - [min] and [max] follow [java.util.DoubleSummaryStatistics]: NaN anywhere makes them NaN,
 *   `-0.0` orders below `+0.0`, and an empty input gives `+Infinity` and `-Infinity`.
 * - [mean] is `Numeric.sum(values) / count`; `0.0` when empty.
 * - [variance] is the population variance, [sampleVariance] divides by `count - 1`.
 *   Empty input: both NaN. One element: variance `0.0`, sample variance NaN.
 * - NaN anywhere makes [mean] and the variances NaN; an infinite element makes the variances NaN.
 *
 * Two `Stats` are equal when every field has the same bits, with all NaNs equal (the rule of
 * [Double.equals]).
 */
public class Stats internal constructor(
    /** How many values were summarised. */
    public val count: Long,
    /** The block-pairwise sum of the values, the same as `Numeric.sum(values)`. */
    public val sum: Double,
    private val m2: Double,
    /** The smallest value, with `Math.min` semantics; `+Infinity` when empty. */
    public val min: Double,
    /** The largest value, with `Math.max` semantics; `-Infinity` when empty. */
    public val max: Double,
) {
    /** The arithmetic mean, `sum / count`; `0.0` when empty. */
    public val mean: Double
        get() = if (count == 0L) 0.0 else sum / count.toDouble()

    /** The population variance (divides by `count`); NaN when empty. */
    public val variance: Double
        get() = if (count == 0L) Double.NaN else m2 / count.toDouble()

    /** The sample variance (divides by `count - 1`); NaN with fewer than two values. */
    public val sampleVariance: Double
        get() = if (count < 2L) Double.NaN else m2 / (count - 1).toDouble()

    /** The population standard deviation, `sqrt(variance)`. */
    public val stdDev: Double
        get() = kotlin.math.sqrt(variance)

    /** The sum of squared deviations from the mean, which the variances divide. */
    public val sumOfSquaredDeviations: Double
        get() = m2

    override fun equals(other: Any?): Boolean =
        other is Stats &&
            count == other.count &&
            sum.toBits() == other.sum.toBits() &&
            m2.toBits() == other.m2.toBits() &&
            min.toBits() == other.min.toBits() &&
            max.toBits() == other.max.toBits()

    override fun hashCode(): Int {
        var h = count.hashCode()
        for (d in doubleArrayOf(sum, m2, min, max)) h = 31 * h + d.toBits().hashCode()
        return h
    }

    override fun toString(): String =
        "Stats(count=$count, min=$min, max=$max, mean=$mean, variance=$variance, " +
            "sampleVariance=$sampleVariance, stdDev=$stdDev)"
}
