package dev.hotpath.bench;

import dev.hotpath.bench.report.RatioGoal;
import java.util.List;
import dev.hotpath.BlockReport;
import dev.hotpath.Ledger;
import dev.hotpath.jvm.LedgerReference;
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
 * The Ledger family: {@code Ledger.validateBlock} on valid blocks of {@code txs} transactions
 * (187 bytes each, so about 3 KiB to 1.9 MiB), on {@code native} (hotpath, {@code Backend.NATIVE}:
 * transactions checked in parallel on hotpath's pool, signatures 64 per batch), {@code jvm} (the
 * twin {@code LedgerReference} called directly: sequential, the JDK's Ed25519 and SHA-256) and
 * {@code auto}.
 *
 * <p>Measures the average time of one whole validation. Fair because every implementation
 * validates the same bytes (built once per fork in {@code @Setup}, signed deterministically,
 * outside the measurement), does the same work (every signature of a valid block is checked, the
 * whole Merkle tree computed) and returns its report to JMH. The native side uses every core of
 * the pool, the twin one; the ratio is what a caller gets, not a per-core comparison. The swept
 * parameter counts transactions while {@code ledger.validateBlock}'s threshold counts block bytes,
 * so results.csv reports each size as {@link #BYTES_PER_TX} bytes per transaction (the 80-byte
 * header left out) and a calibrated threshold is in the unit the dispatch code compares.
 */
@Family("ledger")
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Warmup(iterations = 2, time = 1, timeUnit = TimeUnit.SECONDS)
@Measurement(iterations = 3, time = 1, timeUnit = TimeUnit.SECONDS)
@Fork(1)
public class LedgerBenchmark {
    /** Issue goals this benchmark's rows judge (the report's "## Goals"); sizes are block bytes, 191 per transaction. */
    public static final List<RatioGoal> GOALS = List.of(new RatioGoal(
            "`Ledger.validateBlock` of 10,000 transactions at least 10x the JVM backend",
            "ledger.validateBlock", "jvm", 10_000L * 191, 10.0));

    /** Block bytes per transaction of {@link LedgerInputs#validBlock}: 187 bytes and a 4-byte length. */
    static final long BYTES_PER_TX = 191;

    /** A valid block of {@code txs} transactions. */
    @State(Scope.Benchmark)
    public static class Block {
        @Param({"1", "16", "256", "1000", "10000"})
        public int txs;
        public byte[] bytes;

        @Setup
        public void build() {
            Backends.requireNative();
            bytes = LedgerInputs.validBlock(txs);
            BlockReport report = Ledger.validateBlock(bytes);
            if (!report.isValid() || report.getTxCount() != txs) {
                throw new IllegalStateException("the benchmark's block is not valid: " + report);
            }
        }
    }

    @Benchmark @Kernel(value = "validateBlock", sizeScale = BYTES_PER_TX)
    public BlockReport validateBlock_native(Block in, Backends.Native backend) {
        return Ledger.validateBlock(in.bytes);
    }

    @Benchmark @Kernel(value = "validateBlock", sizeScale = BYTES_PER_TX)
    public BlockReport validateBlock_jvm(Block in) {
        return LedgerReference.validateBlock(in.bytes);
    }

    @Benchmark @Kernel(value = "validateBlock", sizeScale = BYTES_PER_TX)
    public BlockReport validateBlock_auto(Block in, Backends.Auto backend) {
        return Ledger.validateBlock(in.bytes);
    }
}
