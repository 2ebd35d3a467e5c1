package dev.hotpath.bench;

import dev.hotpath.BlockReport;
import dev.hotpath.Ed25519;
import dev.hotpath.Ledger;
import dev.hotpath.Numeric;
import dev.hotpath.jvm.Ed25519Reference;
import dev.hotpath.jvm.LedgerReference;
import dev.hotpath.jvm.NumericReference;
import java.security.GeneralSecurityException;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
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
 * Kernels on busy cores, as in a service whose other requests keep the CPU busy: while the
 * benchmark thread measures, one background thread per available processor spins on integer
 * work. Side by side: native on hotpath's default pool, native on a pool of one thread (a fork
 * with {@code hotpath.threads=1}, so the caller does everything), the JVM twin and, for sums, a
 * plain loop. Issue 15's goal: on busy cores the pooled native kernel is never slower than the
 * one-thread one (the caller works instead of waiting for a worker that has no core).
 */
@Family("busy")
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 3, time = 300, timeUnit = TimeUnit.MILLISECONDS)
@Measurement(iterations = 5, time = 300, timeUnit = TimeUnit.MILLISECONDS)
public class BusyCoresBenchmark {
    /** One spinning thread per available processor, for the whole trial. */
    @State(Scope.Benchmark)
    public static class Busy {
        private volatile boolean stop;
        private Thread[] spinners;
        /** Written by the spinners so their work cannot be optimised away. */
        public volatile long sink;

        @Setup(Level.Trial)
        public void start() {
            spinners = new Thread[Runtime.getRuntime().availableProcessors()];
            for (int i = 0; i < spinners.length; i++) {
                final long seed = i + 1;
                spinners[i] = new Thread(() -> {
                    long x = seed;
                    while (!stop) {
                        for (int k = 0; k < 100_000; k++) {
                            x ^= x << 13;
                            x ^= x >>> 7;
                            x ^= x << 17;
                        }
                        sink = x;
                    }
                }, "busy-" + i);
                spinners[i].setDaemon(true);
                spinners[i].start();
            }
        }

        @TearDown(Level.Trial)
        public void stop() throws InterruptedException {
            stop = true;
            for (Thread t : spinners) {
                t.join();
            }
        }
    }

    @State(Scope.Thread)
    public static class Longs {
        @Param({"65536", "1048576", "16777216"})
        public int size;
        public long[] values;

        @Setup
        public void fill() {
            values = Inputs.longs(size);
        }
    }

    @State(Scope.Thread)
    public static class Signatures {
        @Param({"256"})
        public int signatures;
        public Ed25519Benchmark.Material in;

        @Setup
        public void sign() throws GeneralSecurityException {
            in = new Ed25519Benchmark.Material(signatures);
        }
    }

    @State(Scope.Thread)
    public static class Block {
        @Param({"1000"})
        public int transactions;
        public byte[] block;

        @Setup
        public void build() {
            block = LedgerInputs.validBlock(transactions);
        }
    }

    // ---- sum.long ------------------------------------------------------------------------------

    @Benchmark @Kernel("sum.long")
    public long sumLong_native(Busy busy, Longs in, Backends.Native backend) {
        return Numeric.sum(in.values);
    }

    @Benchmark @Kernel("sum.long") @Fork(jvmArgsAppend = "-Dhotpath.threads=1")
    public long sumLong_nativeOneThread(Busy busy, Longs in, Backends.Native backend) {
        return Numeric.sum(in.values);
    }

    @Benchmark @Kernel("sum.long")
    public long sumLong_jvm(Busy busy, Longs in) {
        return NumericReference.sum(in.values, 0, in.values.length);
    }

    @Benchmark @Kernel("sum.long")
    public long sumLong_loop(Busy busy, Longs in) {
        long s = 0;
        for (long v : in.values) {
            s += v;
        }
        return s;
    }

    // ---- ed25519.verifyBatch -----------------------------------------------------------------

    @Benchmark @Kernel("ed25519.verifyBatch")
    public boolean[] verifyBatch_native(Busy busy, Signatures s, Backends.Native backend) {
        return Ed25519.verifyBatch(s.in.publicKeys, s.in.messages, s.in.sigs);
    }

    @Benchmark @Kernel("ed25519.verifyBatch") @Fork(jvmArgsAppend = "-Dhotpath.threads=1")
    public boolean[] verifyBatch_nativeOneThread(Busy busy, Signatures s, Backends.Native backend) {
        return Ed25519.verifyBatch(s.in.publicKeys, s.in.messages, s.in.sigs);
    }

    @Benchmark @Kernel("ed25519.verifyBatch")
    public boolean[] verifyBatch_jvm(Busy busy, Signatures s) {
        return Ed25519Reference.verifyBatch(s.in.publicKeys, s.in.messages, s.in.sigs);
    }

    // ---- ledger.validateBlock ----------------------------------------------------------------

    @Benchmark @Kernel("ledger.validateBlock")
    public BlockReport validateBlock_native(Busy busy, Block b, Backends.Native backend) {
        return Ledger.validateBlock(b.block);
    }

    @Benchmark @Kernel("ledger.validateBlock") @Fork(jvmArgsAppend = "-Dhotpath.threads=1")
    public BlockReport validateBlock_nativeOneThread(Busy busy, Block b, Backends.Native backend) {
        return Ledger.validateBlock(b.block);
    }

    @Benchmark @Kernel("ledger.validateBlock")
    public BlockReport validateBlock_jvm(Busy busy, Block b) {
        return LedgerReference.validateBlock(b.block);
    }
}
