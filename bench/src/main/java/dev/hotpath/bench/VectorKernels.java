package dev.hotpath.bench;

import jdk.incubator.vector.DoubleVector;
import jdk.incubator.vector.LongVector;
import jdk.incubator.vector.VectorOperators;
import jdk.incubator.vector.VectorSpecies;

/**
 * The Vector API baselines (incubator module {@code jdk.incubator.vector}): only the benchmark
 * methods that fork with {@code --add-modules jdk.incubator.vector} touch this class, so the
 * other benchmarks run without the incubator module.
 */
final class VectorKernels {
    private static final VectorSpecies<Long> LONGS = LongVector.SPECIES_PREFERRED;
    private static final VectorSpecies<Double> DOUBLES = DoubleVector.SPECIES_PREFERRED;

    private VectorKernels() {
    }

    /** Wrapping sum: lane-wise adds, one reduction at the end, a scalar tail. */
    static long sum(long[] values) {
        LongVector acc = LongVector.zero(LONGS);
        int i = 0;
        int bound = LONGS.loopBound(values.length);
        for (; i < bound; i += LONGS.length()) {
            acc = acc.add(LongVector.fromArray(LONGS, values, i));
        }
        long s = acc.reduceLanes(VectorOperators.ADD);
        for (; i < values.length; i++) {
            s += values[i];
        }
        return s;
    }

    /** Lane-wise double sum (a different rounding order from a loop; what a user would write). */
    static double sum(double[] values) {
        DoubleVector acc = DoubleVector.zero(DOUBLES);
        int i = 0;
        int bound = DOUBLES.loopBound(values.length);
        for (; i < bound; i += DOUBLES.length()) {
            acc = acc.add(DoubleVector.fromArray(DOUBLES, values, i));
        }
        double s = acc.reduceLanes(VectorOperators.ADD);
        for (; i < values.length; i++) {
            s += values[i];
        }
        return s;
    }
}
