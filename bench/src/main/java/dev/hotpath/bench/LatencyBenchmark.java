package dev.hotpath.bench;

import dev.hotpath.Numeric;
import dev.hotpath.Stats;
import dev.hotpath.jvm.NumericReference;
import java.nio.ByteBuffer;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;

/**
 * The latency distribution (JMH SampleTime: P50, P99, P99.9) of one call of each Numeric kernel
 * on a mid-size input (64 Ki elements, 512 KiB: past L1 and L2, inside L3), native and JVM. Same
 * inputs for both; results returned to JMH. A tail that is long on one side only (the native
 * pool waking workers, a safepoint waiting on a pinned array) is what this is here to show.
 */
@Family("latency")
@BenchmarkMode(Mode.SampleTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Warmup(iterations = 3, time = 200, timeUnit = TimeUnit.MILLISECONDS)
@Measurement(iterations = 3, time = 200, timeUnit = TimeUnit.MILLISECONDS)
@Fork(1)
@State(Scope.Thread)
public class LatencyBenchmark {
    @Param({"65536"})
    public int size;
    private long[] longs;
    private double[] doubles;
    private ByteBuffer longBuffer;
    private ByteBuffer doubleBuffer;

    @Setup
    public void fill() {
        longs = Inputs.longs(size);
        doubles = Inputs.doubles(size);
        longBuffer = Inputs.directLongs(size);
        doubleBuffer = Inputs.directDoubles(size);
    }

    @Benchmark @Kernel("sum.long")
    public long sumLong_native(Backends.Native b) {
        return Numeric.sum(longs);
    }

    @Benchmark @Kernel("sum.long")
    public long sumLong_jvm() {
        return NumericReference.sum(longs, 0, longs.length);
    }

    @Benchmark @Kernel("sum.double")
    public double sumDouble_native(Backends.Native b) {
        return Numeric.sum(doubles);
    }

    @Benchmark @Kernel("sum.double")
    public double sumDouble_jvm() {
        return NumericReference.sum(doubles, 0, doubles.length);
    }

    @Benchmark @Kernel("sumExact")
    public double sumExact_native(Backends.Native b) {
        return Numeric.sumExact(doubles);
    }

    @Benchmark @Kernel("sumExact")
    public double sumExact_jvm() {
        return NumericReference.sumExact(doubles);
    }

    @Benchmark @Kernel("stats")
    public Stats stats_native(Backends.Native b) {
        return Numeric.stats(doubles);
    }

    @Benchmark @Kernel("stats")
    public Stats stats_jvm() {
        return NumericReference.stats(doubles);
    }

    @Benchmark @Kernel("scale.long")
    public long[] scaleLong_native(Backends.Native b) {
        Numeric.scale(longs, -1L);
        return longs;
    }

    @Benchmark @Kernel("scale.long")
    public long[] scaleLong_jvm() {
        NumericReference.scale(longs, -1L);
        return longs;
    }

    @Benchmark @Kernel("scale.double")
    public double[] scaleDouble_native(Backends.Native b) {
        Numeric.scale(doubles, -1.0);
        return doubles;
    }

    @Benchmark @Kernel("scale.double")
    public double[] scaleDouble_jvm() {
        NumericReference.scale(doubles, -1.0);
        return doubles;
    }

    @Benchmark @Kernel("sumLongs")
    public long sumLongs_native(Backends.Native b) {
        return Numeric.sumLongs(longBuffer);
    }

    @Benchmark @Kernel("sumLongs")
    public long sumLongs_jvm() {
        return NumericReference.sumLongs(longBuffer);
    }

    @Benchmark @Kernel("sumDoubles")
    public double sumDoubles_native(Backends.Native b) {
        return Numeric.sumDoubles(doubleBuffer);
    }

    @Benchmark @Kernel("sumDoubles")
    public double sumDoubles_jvm() {
        return NumericReference.sumDoubles(doubleBuffer);
    }
}
