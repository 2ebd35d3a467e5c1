package dev.hotpath.bench;

import dev.hotpath.Hotpath;
import dev.hotpath.Numeric;
import dev.hotpath.internal.BridgeInUse;
import dev.hotpath.internal.FfmBridge;
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
 * {@link CallOverheadBenchmark}'s rows through the FFM bridge, beside the JNI ones in the same
 * fork (JDK 22 and newer, with {@code --enable-native-access=ALL-UNNAMED} and
 * {@code -Dhotpath.bridge=ffm}, so {@code Numeric.sum} takes FFM):
 * <ul>
 *   <li>{@code rawNoopFfm}: an empty C function through a critical downcall (the FFM floor);</li>
 *   <li>{@code noopFfm}: hotpath's wrapper (panic catching, status) with no work;</li>
 *   <li>{@code passArrayFfm} / {@code passArrayJni}: {@code sumLongArray} over an empty range of a
 *       {@code long[size]}: through FFM the whole array travels as a heap segment of a critical
 *       call; through JNI an empty range is answered without a pin, so {@link PinBenchmark} is
 *       JNI's cost of passing an array that is read;</li>
 *   <li>{@code passArrayReadFfm}: {@code sumLongArray} over the first element of a {@code long[size]}:
 *       a heap segment that is read, the FFM twin of {@code PinBenchmark};</li>
 *   <li>{@code emptySum}: the public {@code Numeric.sum(long[0])} on the selected bridge.</li>
 * </ul>
 * Not part of {@code ./bench/run} yet: it fails its setup before JDK 22.
 */
@Family("overhead")
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 3, time = 200, timeUnit = TimeUnit.MILLISECONDS)
@Measurement(iterations = 3, time = 200, timeUnit = TimeUnit.MILLISECONDS)
@Fork(1)
@State(Scope.Thread)
public class FfmCallOverheadBenchmark {
    @Param({"16", "1024", "1048576"})
    public int size;

    private final long[] empty = new long[0];
    private long[] values;
    private FfmBridge ffm;

    @Setup
    public void load() {
        Backends.requireNative();
        ffm = BridgeInUse.FFM;
        if (ffm == null) {
            throw new IllegalStateException("the FFM bridge is not selected (JDK 22+, --enable-native-access=ALL-UNNAMED, "
                    + "-Dhotpath.bridge=ffm): " + Hotpath.diagnostics());
        }
        values = Inputs.longs(size);
    }

    @Benchmark @Kernel("rawNoopFfm")
    public void rawNoopFfm_native() {
        ffm.rawNoop();
    }

    @Benchmark @Kernel("noopFfm")
    public void noopFfm_native() {
        ffm.noop();
    }

    @Benchmark @Kernel("rawNoopJni")
    public void rawNoopJni_native() {
        NativeBridge.rawNoop();
    }

    @Benchmark @Kernel("noopJni")
    public void noopJni_native() {
        NativeBridge.noop();
    }

    @Benchmark @Kernel("passArrayFfm")
    public long passArrayFfm_native() {
        return ffm.sumLongArray(values, 0, 0);
    }

    @Benchmark @Kernel("passArrayReadFfm")
    public long passArrayReadFfm_native() {
        return ffm.sumLongArray(values, 0, 1);
    }

    @Benchmark @Kernel("passArrayReadJni")
    public long passArrayReadJni_native() {
        return NativeBridge.sumLongArray(values, 0, 1, values.length);
    }

    @Benchmark @Kernel("pinAndReleaseJni")
    public long pinAndReleaseJni_native() {
        return NativeBridge.pinAndRelease(values);
    }

    @Benchmark @Kernel("emptySum")
    public long emptySum_native(Backends.Native backend) {
        return Numeric.sum(empty);
    }
}
