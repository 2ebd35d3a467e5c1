package dev.hotpath.bench;

import dev.hotpath.Blake3;
import dev.hotpath.Ed25519;
import dev.hotpath.Merkle;
import dev.hotpath.Numeric;
import dev.hotpath.Sha256;
import dev.hotpath.Stats;
import dev.hotpath.jvm.Blake3Reference;
import dev.hotpath.jvm.Ed25519Reference;
import dev.hotpath.jvm.MerkleReference;
import dev.hotpath.jvm.NumericReference;
import dev.hotpath.jvm.Sha256Reference;
import java.nio.ByteBuffer;
import java.security.GeneralSecurityException;
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
 * The latency distribution (JMH SampleTime: P50, P99, P99.9) of one call of each kernel on a
 * mid-size input, native and JVM: Numeric at 64 Ki elements (512 KiB: past L1 and L2, inside L3);
 * BLAKE3 and SHA-256 of 64 KiB; hash batches of 64 inputs of 1 KiB; a Merkle root of 1 Ki leaves
 * of 32 bytes; Ed25519 verification of one signature and of a batch of 64. Same inputs for both
 * sides; results returned to JMH. A tail that is long on one side only (the native pool waking
 * workers, a safepoint waiting on a pinned array) is what this is here to show. Each kernel's
 * size is its state's parameter, in Backend.AUTO's unit ({@link Kernel#sizeScale()}).
 */
@Family("latency")
@BenchmarkMode(Mode.SampleTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Warmup(iterations = 3, time = 200, timeUnit = TimeUnit.MILLISECONDS)
@Measurement(iterations = 3, time = 200, timeUnit = TimeUnit.MILLISECONDS)
@Fork(1)
public class LatencyBenchmark {
    /** Numeric inputs of {@code size} elements. */
    @State(Scope.Thread)
    public static class Numbers {
        @Param({"65536"})
        public int size;
        long[] longs;
        double[] doubles;
        ByteBuffer longBuffer;
        ByteBuffer doubleBuffer;

        @Setup
        public void fill() {
            longs = Inputs.longs(size);
            doubles = Inputs.doubles(size);
            longBuffer = Inputs.directLongs(size);
            doubleBuffer = Inputs.directDoubles(size);
        }
    }

    /** One message of {@code bytes} bytes. */
    @State(Scope.Thread)
    public static class Message {
        @Param({"65536"})
        public int bytes;
        byte[] data;

        @Setup
        public void fill() {
            data = Inputs.bytes(bytes, 0);
        }
    }

    /** {@code inputs} inputs of 1 KiB. */
    @State(Scope.Thread)
    public static class Batch {
        @Param({"64"})
        public int inputs;
        byte[][] data;

        @Setup
        public void fill() {
            data = Inputs.batch(inputs, Sha256Benchmark.BATCH_INPUT);
        }
    }

    /** {@code leaves} Merkle leaves of 32 bytes. */
    @State(Scope.Thread)
    public static class Leaves {
        @Param({"1024"})
        public int leaves;
        byte[][] data;

        @Setup
        public void fill() {
            data = Inputs.batch(leaves, MerkleBenchmark.LEAF);
        }
    }

    /** {@code signatures} signed messages. */
    @State(Scope.Thread)
    public static class Signed {
        @Param({"64"})
        public int signatures;
        Ed25519Benchmark.Material in;

        @Setup
        public void sign() throws GeneralSecurityException {
            in = new Ed25519Benchmark.Material(signatures);
        }
    }

    @Benchmark @Kernel("sum.long")
    public long sumLong_native(Numbers in, Backends.Native b) {
        return Numeric.sum(in.longs);
    }

    @Benchmark @Kernel("sum.long")
    public long sumLong_jvm(Numbers in) {
        return NumericReference.sum(in.longs, 0, in.longs.length);
    }

    @Benchmark @Kernel("sum.double")
    public double sumDouble_native(Numbers in, Backends.Native b) {
        return Numeric.sum(in.doubles);
    }

    @Benchmark @Kernel("sum.double")
    public double sumDouble_jvm(Numbers in) {
        return NumericReference.sum(in.doubles, 0, in.doubles.length);
    }

    @Benchmark @Kernel("sumExact")
    public double sumExact_native(Numbers in, Backends.Native b) {
        return Numeric.sumExact(in.doubles);
    }

    @Benchmark @Kernel("sumExact")
    public double sumExact_jvm(Numbers in) {
        return NumericReference.sumExact(in.doubles);
    }

    @Benchmark @Kernel("stats")
    public Stats stats_native(Numbers in, Backends.Native b) {
        return Numeric.stats(in.doubles);
    }

    @Benchmark @Kernel("stats")
    public Stats stats_jvm(Numbers in) {
        return NumericReference.stats(in.doubles);
    }

    @Benchmark @Kernel("scale.long")
    public long[] scaleLong_native(Numbers in, Backends.Native b) {
        Numeric.scale(in.longs, -1L);
        return in.longs;
    }

    @Benchmark @Kernel("scale.long")
    public long[] scaleLong_jvm(Numbers in) {
        NumericReference.scale(in.longs, -1L);
        return in.longs;
    }

    @Benchmark @Kernel("scale.double")
    public double[] scaleDouble_native(Numbers in, Backends.Native b) {
        Numeric.scale(in.doubles, -1.0);
        return in.doubles;
    }

    @Benchmark @Kernel("scale.double")
    public double[] scaleDouble_jvm(Numbers in) {
        NumericReference.scale(in.doubles, -1.0);
        return in.doubles;
    }

    @Benchmark @Kernel("sumLongs")
    public long sumLongs_native(Numbers in, Backends.Native b) {
        return Numeric.sumLongs(in.longBuffer);
    }

    @Benchmark @Kernel("sumLongs")
    public long sumLongs_jvm(Numbers in) {
        return NumericReference.sumLongs(in.longBuffer);
    }

    @Benchmark @Kernel("sumDoubles")
    public double sumDoubles_native(Numbers in, Backends.Native b) {
        return Numeric.sumDoubles(in.doubleBuffer);
    }

    @Benchmark @Kernel("sumDoubles")
    public double sumDoubles_jvm(Numbers in) {
        return NumericReference.sumDoubles(in.doubleBuffer);
    }

    // ---- crypto ------------------------------------------------------------------------------

    @Benchmark @Kernel("crypto.blake3.hash")
    public byte[] blake3Hash_native(Message in, Backends.Native b) {
        return Blake3.hash(in.data);
    }

    @Benchmark @Kernel("crypto.blake3.hash")
    public byte[] blake3Hash_jvm(Message in) {
        return Blake3Reference.hash(in.data);
    }

    @Benchmark @Kernel("crypto.sha256.hash")
    public byte[] sha256Hash_native(Message in, Backends.Native b) {
        return Sha256.hash(in.data);
    }

    @Benchmark @Kernel("crypto.sha256.hash")
    public byte[] sha256Hash_jvm(Message in) {
        return Sha256Reference.hash(in.data);
    }

    @Benchmark @Kernel(value = "crypto.blake3.hashBatch", sizeScale = Blake3Benchmark.BATCH_INPUT_WORK)
    public byte[][] blake3HashBatch_native(Batch in, Backends.Native b) {
        return Blake3.hashBatch(in.data);
    }

    @Benchmark @Kernel(value = "crypto.blake3.hashBatch", sizeScale = Blake3Benchmark.BATCH_INPUT_WORK)
    public byte[][] blake3HashBatch_jvm(Batch in) {
        return Blake3Reference.hashBatch(in.data);
    }

    @Benchmark @Kernel(value = "crypto.sha256.hashBatch", sizeScale = Sha256Benchmark.BATCH_INPUT_WORK)
    public byte[][] sha256HashBatch_native(Batch in, Backends.Native b) {
        return Sha256.hashBatch(in.data);
    }

    @Benchmark @Kernel(value = "crypto.sha256.hashBatch", sizeScale = Sha256Benchmark.BATCH_INPUT_WORK)
    public byte[][] sha256HashBatch_jvm(Batch in) {
        return Sha256Reference.hashBatch(in.data);
    }

    @Benchmark @Kernel(value = "crypto.merkle.root", sizeScale = MerkleBenchmark.LEAF_WORK)
    public byte[] merkleRoot_native(Leaves in, Backends.Native b) {
        return Merkle.root(in.data);
    }

    @Benchmark @Kernel(value = "crypto.merkle.root", sizeScale = MerkleBenchmark.LEAF_WORK)
    public byte[] merkleRoot_jvm(Leaves in) {
        return MerkleReference.root(in.data);
    }

    @Benchmark @Kernel("crypto.ed25519.verifyBatch")
    public boolean[] ed25519VerifyBatch_native(Signed s, Backends.Native b) {
        return Ed25519.verifyBatch(s.in.publicKeys, s.in.messages, s.in.sigs);
    }

    @Benchmark @Kernel("crypto.ed25519.verifyBatch")
    public boolean[] ed25519VerifyBatch_jvm(Signed s) {
        return Ed25519Reference.verifyBatch(s.in.publicKeys, s.in.messages, s.in.sigs);
    }

    /** One signature of the batch (size: one call). */
    @Benchmark @Kernel(value = "crypto.ed25519.verify", sizeScale = 0)
    public boolean ed25519Verify_native(Signed s, Backends.Native b) {
        return Ed25519.verify(s.in.publicKeys[0], s.in.messages[0], s.in.sigs[0]);
    }

    @Benchmark @Kernel(value = "crypto.ed25519.verify", sizeScale = 0)
    public boolean ed25519Verify_jvm(Signed s) {
        return Ed25519Reference.verify(s.in.publicKeys[0], s.in.messages[0], s.in.sigs[0]);
    }
}
