package dev.hotpath.bench;

import dev.hotpath.Backend;
import dev.hotpath.Hotpath;
import dev.hotpath.Numeric;
import dev.hotpath.Stats;
import java.util.Arrays;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ForkJoinPool;
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
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;

/**
 * Thread scaling of the parallel kernels on a large input: hotpath's pool size is fixed when the
 * library loads, so each {@code threads} value runs in its own fork, which sets
 * {@code hotpath.threads} before loading (and checks the pool got it). The baseline is a parallel
 * stream in a {@code ForkJoinPool} of the same size. bench/run sweeps {@code threads} from 1 to
 * the machine's cores.
 */
@Family("threads")
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Warmup(iterations = 3, time = 200, timeUnit = TimeUnit.MILLISECONDS)
@Measurement(iterations = 3, time = 200, timeUnit = TimeUnit.MILLISECONDS)
@Fork(1)
@State(Scope.Thread)
public class ThreadScalingBenchmark {
    @Param({"1", "2"})
    public int threads;
    @Param({"16777216"})
    public int size;
    private long[] longs;
    private double[] doubles;
    private ForkJoinPool pool;

    @Setup
    public void load() {
        Backends.loadWithThreads(threads);
        Hotpath.setBackend(Backend.NATIVE);
        longs = Inputs.longs(size);
        doubles = Inputs.doubles(size);
        pool = new ForkJoinPool(threads);
    }

    @TearDown
    public void close() {
        pool.shutdown();
    }

    @Benchmark @Kernel("sum.long")
    public long sumLong_native() {
        return Numeric.sum(longs);
    }

    @Benchmark @Kernel("sum.double")
    public double sumDouble_native() {
        return Numeric.sum(doubles);
    }

    @Benchmark @Kernel("stats")
    public Stats stats_native() {
        return Numeric.stats(doubles);
    }

    @Benchmark @Kernel("sumExact")
    public double sumExact_native() {
        return Numeric.sumExact(doubles);
    }

    @Benchmark @Kernel("sum.long")
    public long sumLong_parallelStream() throws ExecutionException, InterruptedException {
        return pool.submit(() -> Arrays.stream(longs).parallel().sum()).get();
    }
}
