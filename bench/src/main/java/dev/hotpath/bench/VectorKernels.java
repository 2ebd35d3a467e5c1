package dev.hotpath.bench;

import jdk.incubator.vector.DoubleVector;
import jdk.incubator.vector.FloatVector;
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
    private static final VectorSpecies<Float> FLOATS = FloatVector.SPECIES_PREFERRED;

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

    /** {@link #sum(long[])} of {@code values[from until to]}. */
    static long sum(long[] values, int from, int to) {
        LongVector acc = LongVector.zero(LONGS);
        int i = from;
        int bound = from + LONGS.loopBound(to - from);
        for (; i < bound; i += LONGS.length()) {
            acc = acc.add(LongVector.fromArray(LONGS, values, i));
        }
        long s = acc.reduceLanes(VectorOperators.ADD);
        for (; i < to; i++) {
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

    /** Float dot product: two lane-wise FMA accumulators (as Lucene's Panama code has), one reduction, a scalar tail. */
    static float dot(float[] a, float[] b) {
        FloatVector acc0 = FloatVector.zero(FLOATS);
        FloatVector acc1 = FloatVector.zero(FLOATS);
        int lanes = FLOATS.length();
        int i = 0;
        int bound2 = a.length - 2 * lanes + 1;
        for (; i < bound2; i += 2 * lanes) {
            acc0 = FloatVector.fromArray(FLOATS, a, i).fma(FloatVector.fromArray(FLOATS, b, i), acc0);
            acc1 = FloatVector.fromArray(FLOATS, a, i + lanes).fma(FloatVector.fromArray(FLOATS, b, i + lanes), acc1);
        }
        int bound = FLOATS.loopBound(a.length);
        for (; i < bound; i += lanes) {
            acc0 = FloatVector.fromArray(FLOATS, a, i).fma(FloatVector.fromArray(FLOATS, b, i), acc0);
        }
        float s = acc0.add(acc1).reduceLanes(VectorOperators.ADD);
        for (; i < a.length; i++) {
            s += a[i] * b[i];
        }
        return s;
    }

    /** Top {@code k} of one query by {@link #dot}, with the baselines' heap. */
    static VectorBaselines.TopKHeap search(float[][] collection, float[] query, int k) {
        VectorBaselines.TopKHeap heap = new VectorBaselines.TopKHeap(k);
        for (int id = 0; id < collection.length; id++) {
            heap.offer(dot(collection[id], query), id);
        }
        return heap;
    }
}
