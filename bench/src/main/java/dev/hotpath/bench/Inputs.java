package dev.hotpath.bench;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.SplittableRandom;

/**
 * Deterministic inputs, identical for every implementation of a kernel: the same seed gives the
 * same array in every fork, so a native and a JVM measurement see the same bytes.
 */
public final class Inputs {
    private static final long SEED = 0x5EED_2026L;

    private Inputs() {
    }

    /** {@code n} longs in [-2^40, 2^40): sums neither overflow trivially nor stay small. */
    public static long[] longs(int n) {
        SplittableRandom random = new SplittableRandom(SEED);
        long[] values = new long[n];
        for (int i = 0; i < n; i++) {
            values[i] = random.nextLong(-(1L << 40), 1L << 40);
        }
        return values;
    }

    /** {@code n} doubles, uniform in [-1000, 1000) with full 53-bit fractions (no NaN, no infinity). */
    public static double[] doubles(int n) {
        SplittableRandom random = new SplittableRandom(SEED + 1);
        double[] values = new double[n];
        for (int i = 0; i < n; i++) {
            values[i] = random.nextDouble(-1000.0, 1000.0);
        }
        return values;
    }

    /** {@code n} random bytes; {@code stream} tells apart inputs of one batch (same seed, same bytes). */
    public static byte[] bytes(int n, int stream) {
        SplittableRandom random = new SplittableRandom(SEED + 2 + stream);
        byte[] values = new byte[n];
        random.nextBytes(values);
        return values;
    }

    /** {@code count} inputs of {@code length} random bytes each, all different. */
    public static byte[][] batch(int count, int length) {
        byte[][] batch = new byte[count][];
        for (int i = 0; i < count; i++) {
            batch[i] = bytes(length, i);
        }
        return batch;
    }

    /** A direct little-endian buffer holding {@link #longs(int)}. */
    public static ByteBuffer directLongs(int n) {
        ByteBuffer buffer = ByteBuffer.allocateDirect(n * 8).order(ByteOrder.LITTLE_ENDIAN);
        buffer.asLongBuffer().put(longs(n));
        return buffer;
    }

    /** A direct little-endian buffer holding {@link #doubles(int)}. */
    public static ByteBuffer directDoubles(int n) {
        ByteBuffer buffer = ByteBuffer.allocateDirect(n * 8).order(ByteOrder.LITTLE_ENDIAN);
        buffer.asDoubleBuffer().put(doubles(n));
        return buffer;
    }
}
