package dev.hotpath.bench;

import dev.hotpath.Numeric;
import dev.hotpath.internal.NativeBridge;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.CompilerControl;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;

/**
 * The cost of crossing into Rust with no work to do, from the floor up:
 * <ul>
 *   <li>{@code javaCall_jvm}: a Java static method the JIT may not inline (the cost of any call);</li>
 *   <li>{@code rawNoop_native}: an empty native method with no wrapper (the JNI floor);</li>
 *   <li>{@code rawNoopArray_native}: an empty native method with the signature of
 *       {@code sumLongArray} (an array and three ints in, a long out): the floor for that call;</li>
 *   <li>{@code noop_native}: hotpath's wrapper with no work (panic catching, error mapping): the
 *       per-call overhead the goal compares with the raw no-op;</li>
 *   <li>{@code emptySumBridge_native}: the native entry point of {@code Numeric.sum(long[])} called
 *       directly on an empty range: the wrapper plus argument passing, without the Kotlin side;</li>
 *   <li>{@code emptySum_native}: the whole public call path of {@code Numeric.sum(long[])} on an
 *       empty array with {@code Backend.NATIVE}: checks, dispatch, array length, no pin.</li>
 * </ul>
 * Pinning is measured by {@link PinBenchmark}. Fair: every method is one call returning nothing
 * or a value JMH consumes; the native library is loaded before measuring.
 */
@Family("overhead")
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 3, time = 200, timeUnit = TimeUnit.MILLISECONDS)
@Measurement(iterations = 3, time = 200, timeUnit = TimeUnit.MILLISECONDS)
@Fork(1)
@State(Scope.Thread)
public class CallOverheadBenchmark {
    /** Issue goal: hotpath's wrapper (and the public call path) at most this many times a raw JNI no-op. */
    public static final double OVERHEAD_GOAL = 2.0;

    private final long[] empty = new long[0];

    @Setup
    public void load() {
        Backends.requireNative();
    }

    @CompilerControl(CompilerControl.Mode.DONT_INLINE)
    private static void emptyJavaMethod() {
    }

    @Benchmark @Kernel("javaCall")
    public void javaCall_jvm() {
        emptyJavaMethod();
    }

    @Benchmark @Kernel("rawNoop")
    public void rawNoop_native() {
        NativeBridge.rawNoop();
    }

    @Benchmark @Kernel("noop")
    public void noop_native() {
        NativeBridge.noop();
    }

    /** The JNI floor for sumLongArray's signature: an array and three ints in, a long out, no body. */
    @Benchmark @Kernel("rawNoopArray")
    public long rawNoopArray_native() {
        return NativeBridge.rawNoopArray(empty, 0, 0, 0);
    }

    /** The bridge alone: the native entry point of {@code Numeric.sum(long[])}, no Kotlin checks or dispatch. */
    @Benchmark @Kernel("emptySumBridge")
    public long emptySumBridge_native() {
        return NativeBridge.sumLongArray(empty, 0, 0, 0);
    }

    @Benchmark @Kernel("emptySum")
    public long emptySum_native(Backends.Native backend) {
        return Numeric.sum(empty);
    }
}
