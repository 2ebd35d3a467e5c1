package dev.hotpath.examples.spark;

import dev.hotpath.BlockBuilder;
import dev.hotpath.Ed25519;
import dev.hotpath.Transaction;
import dev.hotpath.spark.HotpathSpark;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Random;
import org.apache.spark.sql.AnalysisException;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructType;

/**
 * A Spark job on an embedded {@code local[*]} master: verifies a day of signed payment records
 * ({@code HotpathSpark.ed25519Verify}, 1,024 signatures per native call) and validates a chain of
 * blocks ({@code HotpathSpark.validateBlock}), on the native backend and then on the JVM backend
 * (the session key {@code spark.hotpath.backend}), and prints rows per second for each.
 *
 * <p>Arguments: {@code [records] [blocks] [transactions per block]}, default 100000 200 100. One
 * record in 50 has a damaged signature and one block in 25 a damaged transaction, so both
 * answers are known before the job runs; the job fails if a backend disagrees with them.
 */
public final class SparkLedgerJob {
    /** What one backend found, and how long each job took (best of the rounds). */
    public record Result(String backend, long valid, long invalid, long validBlocks, long invalidBlocks,
            double verifySeconds, double blockSeconds) {
    }

    /** The generated inputs and what a correct job must find in them. */
    public record Inputs(Dataset<Row> records, Dataset<Row> blocks, long badRecords, long badBlocks) {
    }

    private SparkLedgerJob() {
    }

    public static void main(String[] args) throws AnalysisException {
        int records = args.length > 0 ? Integer.parseInt(args[0]) : 100_000;
        int blocks = args.length > 1 ? Integer.parseInt(args[1]) : 200;
        int perBlock = args.length > 2 ? Integer.parseInt(args[2]) : 100;
        SparkSession spark = SparkSession.builder().master("local[*]").appName("hotpath-spark-ledger")
                .config("spark.ui.enabled", "false")
                .getOrCreate();
        try {
            System.out.printf(Locale.ROOT, "generating %,d signed records and %,d blocks of %,d transactions%n",
                    records, blocks, perBlock);
            Inputs inputs = generate(spark, records, blocks, perBlock, 2026);
            List<Result> results = new ArrayList<>();
            for (String backend : new String[] {"native", "jvm"}) {
                Result r = run(spark, inputs, backend, 2);
                results.add(r);
                System.out.printf(Locale.ROOT,
                        "%-6s  signatures: %,9.0f rows/s (%,d valid, %,d invalid, %.2f s)   blocks: %,7.0f blocks/s, %,9.0f transactions/s (%d valid, %d invalid, %.2f s)%n",
                        backend, records / r.verifySeconds(), r.valid(), r.invalid(), r.verifySeconds(),
                        blocks / r.blockSeconds(), (double) blocks * perBlock / r.blockSeconds(),
                        r.validBlocks(), r.invalidBlocks(), r.blockSeconds());
                if (r.invalid() != inputs.badRecords() || r.invalidBlocks() != inputs.badBlocks()) {
                    throw new IllegalStateException(backend + " found " + r.invalid() + " bad records and "
                            + r.invalidBlocks() + " bad blocks; the generator damaged " + inputs.badRecords()
                            + " and " + inputs.badBlocks());
                }
            }
            System.out.printf(Locale.ROOT, "native / jvm: signatures %.1fx, blocks %.1fx (whole Spark jobs, end to end)%n",
                    results.get(1).verifySeconds() / results.get(0).verifySeconds(),
                    results.get(1).blockSeconds() / results.get(0).blockSeconds());
        } finally {
            spark.stop();
        }
    }

    /**
     * Payment records signed by 64 accounts, and a chain of blocks; seeded, so every run sees the
     * same data. The datasets are cached so that the timed jobs measure verification, not generation.
     */
    public static Inputs generate(SparkSession spark, int records, int blocks, int perBlock, long seed) {
        return generate(spark, records, blocks, perBlock, seed, 50);
    }

    /** As {@link #generate(SparkSession, int, int, int, long)}, with one record in {@code badEvery} damaged. */
    public static Inputs generate(SparkSession spark, int records, int blocks, int perBlock, long seed, int badEvery) {
        Random random = new Random(seed);
        byte[][] secrets = new byte[64][32];
        byte[][] publics = new byte[secrets.length][];
        for (int k = 0; k < secrets.length; k++) {
            random.nextBytes(secrets[k]);
            publics[k] = Ed25519.publicKey(secrets[k]);
        }
        StructType recordSchema = new StructType()
                .add("id", DataTypes.LongType, false)
                .add("public_key", DataTypes.BinaryType, false)
                .add("message", DataTypes.BinaryType, false)
                .add("signature", DataTypes.BinaryType, false);
        List<Row> rows = new ArrayList<>(records);
        long bad = 0;
        for (int i = 0; i < records; i++) {
            int from = i % secrets.length;
            String record = "2026-12-03T" + String.format(Locale.ROOT, "%05d", i % 86_400) + ",acct-" + from
                    + ",acct-" + random.nextInt(secrets.length) + "," + (1 + random.nextInt(1_000_000)) + ",nonce-" + i;
            byte[] message = record.getBytes(StandardCharsets.UTF_8);
            byte[] signature = Ed25519.sign(secrets[from], message);
            if (i % badEvery == 7 % badEvery) {
                signature[random.nextInt(64)] ^= 1;
                bad++;
            }
            rows.add(RowFactory.create((long) i, publics[from], message, signature));
        }
        Dataset<Row> recordData = spark.createDataFrame(rows, recordSchema).repartition(partitions(spark)).cache();

        StructType blockSchema = new StructType().add("height", DataTypes.LongType, false).add("block", DataTypes.BinaryType, false);
        List<Row> blockRows = new ArrayList<>(blocks);
        byte[] previous = new byte[32];
        long badBlocks = 0;
        for (int b = 0; b < blocks; b++) {
            BlockBuilder builder = new BlockBuilder(b, previous);
            for (int t = 0; t < perBlock; t++) {
                int from = (b + t) % secrets.length;
                builder.add(Transaction.sign(secrets[from], publics[(from + 1) % secrets.length], 1 + t, 1, (long) b * perBlock + t));
            }
            byte[] block = builder.build();
            if (b % 25 == 3) {
                block[block.length - 1 - random.nextInt(64)] ^= 1;   // the last transaction's signature
                badBlocks++;
            }
            blockRows.add(RowFactory.create((long) b, block));
        }
        Dataset<Row> blockData = spark.createDataFrame(blockRows, blockSchema).repartition(partitions(spark)).cache();
        recordData.count();
        blockData.count();
        return new Inputs(recordData, blockData, bad, badBlocks);
    }

    /** Both jobs on {@code backend}, {@code rounds} times each; the best round's times. */
    public static Result run(SparkSession spark, Inputs inputs, String backend, int rounds) throws AnalysisException {
        spark.conf().set("spark.hotpath.backend", backend);
        try {
            long valid = 0;
            long invalid = 0;
            long validBlocks = 0;
            long invalidBlocks = 0;
            double verify = Double.MAX_VALUE;
            double block = Double.MAX_VALUE;
            for (int round = 0; round < rounds; round++) {
                long start = System.nanoTime();
                valid = 0;
                invalid = 0;
                for (Row r : HotpathSpark.ed25519Verify(inputs.records(), "public_key", "message", "signature", "ok")
                        .groupBy("ok").count().collectAsList()) {
                    if (r.getBoolean(0)) valid = r.getLong(1); else invalid = r.getLong(1);
                }
                verify = Math.min(verify, (System.nanoTime() - start) / 1e9);
                start = System.nanoTime();
                validBlocks = 0;
                invalidBlocks = 0;
                for (Row r : HotpathSpark.validateBlock(inputs.blocks(), "block", "report")
                        .groupBy("report.valid").count().collectAsList()) {
                    if (r.getBoolean(0)) validBlocks = r.getLong(1); else invalidBlocks = r.getLong(1);
                }
                block = Math.min(block, (System.nanoTime() - start) / 1e9);
            }
            return new Result(backend, valid, invalid, validBlocks, invalidBlocks, verify, block);
        } finally {
            spark.conf().unset("spark.hotpath.backend");
        }
    }

    private static int partitions(SparkSession spark) {
        return Math.max(2, spark.sparkContext().defaultParallelism());
    }
}
