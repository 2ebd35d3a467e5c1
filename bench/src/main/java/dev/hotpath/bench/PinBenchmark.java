package dev.hotpath.bench;

import dev.hotpath.internal.NativeBridge;
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
 * Pinning a {@code long[]} of {@code size} elements and releasing it
 * ({@code GetPrimitiveArrayCritical}/{@code Release...}) through hotpath's own pin helper, inside
 * the same wrapper as every kernel, touching no element. The report subtracts
 * {@code noop_native} of {@link CallOverheadBenchmark} to give the pin alone. On HotSpot pinning
 * never copies, so the cost should not grow with size; if it does, that is the finding.
 */
@Family("overhead")
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 3, time = 200, timeUnit = TimeUnit.MILLISECONDS)
@Measurement(iterations = 3, time = 200, timeUnit = TimeUnit.MILLISECONDS)
@Fork(1)
@State(Scope.Thread)
public class PinBenchmark {
    @Param({"16", "1024", "1048576"})
    public int size;
    private long[] values;

    @Setup
    public void load() {
        Backends.requireNative();
        values = Inputs.longs(size);
    }

    @Benchmark @Kernel("pinAndRelease")
    public long pin_native() {
        return NativeBridge.pinAndRelease(values);
    }
}
