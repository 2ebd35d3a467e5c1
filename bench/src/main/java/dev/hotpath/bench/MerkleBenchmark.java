package dev.hotpath.bench;

import dev.hotpath.Merkle;
import dev.hotpath.jvm.MerkleReference;
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
 * The Merkle family's sweep: the RFC 6962 root of 16 to 128 Ki leaves of 32 bytes (leaves that
 * are themselves hashes, as in transaction logs and certificate transparency), on {@code native},
 * {@code jvm} and {@code auto}. The JVM twin ({@code MerkleReference}) is the recursive
 * definition over the JDK's {@code MessageDigest("SHA-256")} (SHA-NI intrinsic), which is what a
 * user writes: it is also the JVM alternative here.
 *
 * <p>Fair: the same leaves for every implementation, the root returned to JMH. Sizes count leaf
 * bytes plus 64 per leaf, as Backend.AUTO does ({@link Kernel#sizeScale()}: 96 per leaf).
 */
@Family("crypto.merkle")
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 3, time = 200, timeUnit = TimeUnit.MILLISECONDS)
@Measurement(iterations = 3, time = 200, timeUnit = TimeUnit.MILLISECONDS)
@Fork(1)
@State(Scope.Thread)
public class MerkleBenchmark {
    static final int LEAF = 32;
    static final long LEAF_WORK = LEAF + 64;

    @Param({"16", "64", "256", "1024", "4096", "16384", "65536", "131072"})
    public int leaves;
    private byte[][] data;

    @Setup
    public void fill() {
        data = Inputs.batch(leaves, LEAF);
    }

    @Benchmark @Kernel(value = "root", sizeScale = LEAF_WORK)
    public byte[] root_native(Backends.Native backend) {
        return Merkle.root(data);
    }

    @Benchmark @Kernel(value = "root", sizeScale = LEAF_WORK)
    public byte[] root_jvm() {
        return MerkleReference.root(data);
    }

    @Benchmark @Kernel(value = "root", sizeScale = LEAF_WORK)
    public byte[] root_auto(Backends.Auto backend) {
        return Merkle.root(data);
    }
}
