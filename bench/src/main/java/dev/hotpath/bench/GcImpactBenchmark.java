package dev.hotpath.bench;

import dev.hotpath.Backend;
import dev.hotpath.Hotpath;
import dev.hotpath.Numeric;
import dev.hotpath.jvm.NumericReference;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Group;
import org.openjdk.jmh.annotations.GroupThreads;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;

/**
 * The JVM around a native kernel: one thread sums a 16 Mi-element {@code long[]} over and over
 * while a second thread allocates (1 KiB arrays kept in a 4 MiB ring, so young collections come
 * every few tens of milliseconds). The allocating thread's latency (SampleTime, its P99 and
 * P99.9) is the measurement: a collection that has to wait for a pinned array (the GC locker)
 * stalls it. Groups: {@code withNative} (hotpath, pinning 512 Ki elements at a time),
 * {@code withJvm} (the Kotlin twin: the same CPU use, no pinning) and {@code alone} (the partner
 * sleeps). hotpath's pool is set to one thread so both threads have a core of their own on a
 * 2-core machine. bench/run runs it once per collector (G1, Parallel) through {@code -jvmArgs}.
 */
@Family("gc")
@BenchmarkMode(Mode.SampleTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Warmup(iterations = 2, time = 500, timeUnit = TimeUnit.MILLISECONDS)
@Measurement(iterations = 3, time = 1000, timeUnit = TimeUnit.MILLISECONDS)
@Fork(value = 1, jvmArgsAppend = {"-Xms1g", "-Xmx1g"})
public class GcImpactBenchmark {

    /** The large input, shared by the group, and the native library with a one-thread pool. */
    @State(Scope.Group)
    public static class Input {
        @Param({"16777216"})
        public int size;
        public long[] values;

        @Setup
        public void load() {
            Backends.loadWithThreads(1);
            Hotpath.setBackend(Backend.NATIVE);
            values = Inputs.longs(size);
        }
    }

    /** The allocating thread's ring of live arrays. */
    @State(Scope.Thread)
    public static class Allocator {
        private final Object[] ring = new Object[4096];
        private int next;

        Object allocate() {
            long[] a = new long[128];
            a[0] = next;
            ring[next] = a;
            next = (next + 1) & (ring.length - 1);
            return a;
        }
    }

    @Benchmark @Group("withNative") @GroupThreads(1)
    public long kernelNative(Input k) {
        return Numeric.sum(k.values);
    }

    @Benchmark @Group("withNative") @GroupThreads(1)
    public Object allocateWithNative(Allocator a) {
        return a.allocate();
    }

    @Benchmark @Group("withJvm") @GroupThreads(1)
    public long kernelJvm(Input k) {
        return NumericReference.sum(k.values, 0, k.values.length);
    }

    @Benchmark @Group("withJvm") @GroupThreads(1)
    public Object allocateWithJvm(Allocator a) {
        return a.allocate();
    }

    @Benchmark @Group("alone") @GroupThreads(1)
    public void sleepAlone(Input k) throws InterruptedException {
        Thread.sleep(1);
    }

    @Benchmark @Group("alone") @GroupThreads(1)
    public Object allocateAlone(Allocator a) {
        return a.allocate();
    }
}
