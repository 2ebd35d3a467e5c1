package dev.hotpath.bench;

import dev.hotpath.bench.report.RatioGoal;
import java.util.List;
import dev.hotpath.Blake3;
import dev.hotpath.jvm.Blake3Reference;
import java.util.concurrent.TimeUnit;
import org.bouncycastle.crypto.digests.Blake3Digest;
import org.bouncycastle.crypto.params.Blake3Parameters;
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
 * The BLAKE3 family's sweep: {@code Blake3.hash} and {@code Blake3.keyedHash} over 16 B to 32 MiB,
 * {@code Blake3.hashBatch} over 16 to 4096 inputs of 1 KiB; each on {@code native}, {@code jvm}
 * (hotpath's twin, {@code Blake3Reference}), {@code auto}, and BouncyCastle's {@code Blake3Digest}
 * ({@code bouncyCastle}, keyed through {@code Blake3Parameters.key}; the JDK has no BLAKE3). The
 * batch baseline is a sequential BouncyCastle loop over the same inputs.
 *
 * <p>Fair: the same bytes for every implementation (fixed seed, built in {@code @Setup}),
 * BouncyCastle digests created once per fork and reused as its API intends, every digest
 * returned to JMH. Batch sizes count bytes plus 64 per input, as Backend.AUTO does.
 */
@Family("crypto.blake3")
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 3, time = 200, timeUnit = TimeUnit.MILLISECONDS)
@Measurement(iterations = 3, time = 200, timeUnit = TimeUnit.MILLISECONDS)
@Fork(1)
public class Blake3Benchmark {
    /** Issue goals this benchmark's rows judge (the report's "## Goals"). */
    public static final List<RatioGoal> GOALS = List.of(new RatioGoal(
            "`Blake3.hash` of 1 MiB at least 30x BouncyCastle's `Blake3Digest`",
            "crypto.blake3.hash", "bouncyCastle", 1L << 20, 30.0));

    static final int BATCH_INPUT = 1024;
    static final long BATCH_INPUT_WORK = BATCH_INPUT + 64;

    /** One message of {@code bytes} bytes, a key, and BouncyCastle's digests. */
    @State(Scope.Thread)
    public static class Message {
        @Param({"16", "64", "256", "1024", "4096", "16384", "65536", "262144", "1048576", "4194304", "16777216",
                "33554432"})
        public int bytes;
        public byte[] data;
        public byte[] key;
        public Blake3Digest bouncyCastle;
        public Blake3Digest bouncyCastleKeyed;

        @Setup
        public void fill() {
            data = Inputs.bytes(bytes, 0);
            key = Inputs.bytes(32, 1);
            bouncyCastle = new Blake3Digest(256);
            bouncyCastleKeyed = new Blake3Digest(256);
            bouncyCastleKeyed.init(Blake3Parameters.key(key));
        }
    }

    /** {@code inputs} inputs of 1 KiB each. */
    @State(Scope.Thread)
    public static class Batch {
        @Param({"16", "64", "256", "1024", "4096"})
        public int inputs;
        public byte[][] data;
        public Blake3Digest bouncyCastle;

        @Setup
        public void fill() {
            data = Inputs.batch(inputs, BATCH_INPUT);
            bouncyCastle = new Blake3Digest(256);
        }
    }

    // ---- hash(byte[]) ------------------------------------------------------------------------

    @Benchmark @Kernel("hash")
    public byte[] hash_native(Message in, Backends.Native backend) {
        return Blake3.hash(in.data);
    }

    @Benchmark @Kernel("hash")
    public byte[] hash_jvm(Message in) {
        return Blake3Reference.hash(in.data);
    }

    @Benchmark @Kernel("hash")
    public byte[] hash_auto(Message in, Backends.Auto backend) {
        return Blake3.hash(in.data);
    }

    @Benchmark @Kernel("hash")
    public byte[] hash_bouncyCastle(Message in) {
        return bouncyCastle(in.bouncyCastle, in.data);
    }

    // ---- keyedHash(key, byte[]) --------------------------------------------------------------

    @Benchmark @Kernel("keyedHash")
    public byte[] keyedHash_native(Message in, Backends.Native backend) {
        return Blake3.keyedHash(in.key, in.data);
    }

    @Benchmark @Kernel("keyedHash")
    public byte[] keyedHash_jvm(Message in) {
        return Blake3Reference.keyedHash(in.key, in.data);
    }

    @Benchmark @Kernel("keyedHash")
    public byte[] keyedHash_auto(Message in, Backends.Auto backend) {
        return Blake3.keyedHash(in.key, in.data);
    }

    /** doFinal resets the digest to its keyed initial state, so the key is set up once. */
    @Benchmark @Kernel("keyedHash")
    public byte[] keyedHash_bouncyCastle(Message in) {
        return bouncyCastle(in.bouncyCastleKeyed, in.data);
    }

    // ---- hashBatch(byte[][]) -----------------------------------------------------------------

    @Benchmark @Kernel(value = "hashBatch", sizeScale = BATCH_INPUT_WORK)
    public byte[][] hashBatch_native(Batch in, Backends.Native backend) {
        return Blake3.hashBatch(in.data);
    }

    @Benchmark @Kernel(value = "hashBatch", sizeScale = BATCH_INPUT_WORK)
    public byte[][] hashBatch_jvm(Batch in) {
        return Blake3Reference.hashBatch(in.data);
    }

    @Benchmark @Kernel(value = "hashBatch", sizeScale = BATCH_INPUT_WORK)
    public byte[][] hashBatch_auto(Batch in, Backends.Auto backend) {
        return Blake3.hashBatch(in.data);
    }

    @Benchmark @Kernel(value = "hashBatch", sizeScale = BATCH_INPUT_WORK)
    public byte[][] hashBatch_bouncyCastle(Batch in) {
        byte[][] out = new byte[in.data.length][];
        for (int i = 0; i < out.length; i++) {
            out[i] = bouncyCastle(in.bouncyCastle, in.data[i]);
        }
        return out;
    }

    static byte[] bouncyCastle(Blake3Digest digest, byte[] input) {
        byte[] out = new byte[32];
        digest.update(input, 0, input.length);
        digest.doFinal(out, 0);
        return out;
    }
}
