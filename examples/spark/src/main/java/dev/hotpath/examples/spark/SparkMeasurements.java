package dev.hotpath.examples.spark;

import java.io.IOException;
import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.security.GeneralSecurityException;
import java.security.KeyFactory;
import java.security.Signature;
import java.security.spec.EdECPoint;
import java.security.spec.EdECPublicKeySpec;
import java.security.spec.NamedParameterSpec;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.api.java.UDF3;
import org.apache.spark.sql.types.DataTypes;

/**
 * The evidence suite's Spark section ({@code ./bench/run --spark}): the example's signature job at
 * a few sizes on an embedded {@code local[2]} master, whole jobs timed end to end (best of two),
 * native against the JVM backend and a per-row UDF over the JDK's {@code Signature("Ed25519")},
 * plus the same job with a trivial column instead of verification ({@code sparkOnly}): Spark's own
 * share of the time. Writes rows of family {@code spark} (score: rows per second) in the format of
 * the report's results.csv.
 *
 * <p>Arguments: {@code <out.csv> <sizes, comma-separated> <largest size for the slow baselines>}.
 */
public final class SparkMeasurements {
    private static final String HEADER = "family,kernel,size,implementation,threads,score,error,unit,jdk";

    private SparkMeasurements() {
    }

    public static void main(String[] args) throws Exception {
        Path out = Paths.get(args[0]);
        String[] sizes = args[1].split(",");
        long slowLimit = Long.parseLong(args[2]);
        String jdk = System.getProperty("java.specification.version");
        SparkSession spark = SparkSession.builder().master("local[2]").appName("hotpath-spark-evidence")
                .config("spark.ui.enabled", "false").config("spark.sql.shuffle.partitions", "2").getOrCreate();
        spark.udf().register("jdk_ed25519_verify", (UDF3<byte[], byte[], byte[], Boolean>) SparkMeasurements::jdkVerify,
                DataTypes.BooleanType);
        List<String> lines = new ArrayList<>();
        lines.add(HEADER);
        try {
            for (String s : sizes) {
                measure(spark, lines, "ed25519Verify", Integer.parseInt(s.trim()), 50, slowLimit, jdk);
            }
            // Batch verification pays when a batch holds; one damaged signature in 50 (above) puts
            // a failure in most 64-signature batches, which are then searched. A day where damage
            // is rare shows what the batch gains.
            int largest = Integer.parseInt(sizes[sizes.length - 1].trim());
            measure(spark, lines, "ed25519Verify.rareDamage", largest, 10_000, slowLimit, jdk);
        } finally {
            spark.stop();
        }
        Files.write(out, lines, StandardCharsets.UTF_8);
        System.out.println("spark: " + (lines.size() - 1) + " rows in " + out);
    }

    private static void measure(SparkSession spark, List<String> lines, String kernel, int n, int badEvery, long slowLimit,
            String jdk) throws Exception {
        SparkLedgerJob.Inputs inputs = SparkLedgerJob.generate(spark, n, 1, 1, 2026, badEvery);
        Dataset<Row> records = inputs.records();
        records.createOrReplaceTempView("records");
        String trivial = "SELECT length(signature) = 64 AS ok, count(*) FROM records GROUP BY 1";
        String udf = "SELECT jdk_ed25519_verify(public_key, message, signature) AS ok, count(*) FROM records GROUP BY 1";
        record(lines, kernel, n, "sparkOnly", time(() -> spark.sql(trivial).collectAsList()), jdk);
        SparkLedgerJob.Result nat = SparkLedgerJob.run(spark, inputs, "native", 2);
        record(lines, kernel, n, "native", nat.verifySeconds(), jdk);
        check("native", nat.invalid(), inputs.badRecords());
        if (n <= slowLimit) {
            SparkLedgerJob.Result jvm = SparkLedgerJob.run(spark, inputs, "jvm", 2);
            record(lines, kernel, n, "jvm", jvm.verifySeconds(), jdk);
            check("jvm", jvm.invalid(), inputs.badRecords());
            record(lines, kernel, n, "jdkUdf", time(() -> {
                long bad = spark.sql(udf).collectAsList().stream().filter(r -> !r.getBoolean(0))
                        .mapToLong(r -> r.getLong(1)).sum();
                check("jdkUdf", bad, inputs.badRecords());
            }), jdk);
        }
        records.unpersist();
        inputs.blocks().unpersist();
        System.out.printf(Locale.ROOT, "spark: %s, %,d rows done%n", kernel, n);
    }

    private interface Job {
        void run() throws Exception;
    }

    /** Best of two runs of a whole job, in seconds. */
    private static double time(Job job) throws Exception {
        double best = Double.MAX_VALUE;
        for (int round = 0; round < 2; round++) {
            long start = System.nanoTime();
            job.run();
            best = Math.min(best, (System.nanoTime() - start) / 1e9);
        }
        return best;
    }

    private static void record(List<String> lines, String kernel, int rows, String implementation, double seconds, String jdk) {
        lines.add(String.format(Locale.ROOT, "spark,%s,%d,%s,2,%.1f,0,rows/s,%s", kernel, rows, implementation, rows / seconds, jdk));
        System.out.printf(Locale.ROOT, "spark %-14s %,9d rows %-9s %,12.0f rows/s (%.2f s)%n", kernel, rows, implementation,
                rows / seconds, seconds);
    }

    private static void check(String what, long found, long planted) {
        if (found != planted) {
            throw new IllegalStateException(what + " found " + found + " bad signatures; the generator damaged " + planted);
        }
    }

    /**
     * What a Spark user writes without hotpath: one JDK verification per row. The raw 32-byte key
     * (RFC 8032: y little-endian, x's parity in the top bit) becomes the JDK's EdECPoint.
     */
    static Boolean jdkVerify(byte[] key, byte[] message, byte[] signature) throws GeneralSecurityException {
        if (key == null || message == null || signature == null) {
            return null;
        }
        if (key.length != 32 || signature.length != 64) {
            return false;
        }
        byte[] le = key.clone();
        boolean xOdd = (le[31] & 0x80) != 0;
        le[31] &= 0x7f;
        byte[] be = new byte[32];
        for (int i = 0; i < 32; i++) {
            be[i] = le[31 - i];
        }
        EdECPublicKeySpec spec = new EdECPublicKeySpec(NamedParameterSpec.ED25519, new EdECPoint(xOdd, new BigInteger(1, be)));
        Signature verifier = Signature.getInstance("Ed25519");
        try {
            verifier.initVerify(KeyFactory.getInstance("Ed25519").generatePublic(spec));
            verifier.update(message);
            return verifier.verify(signature);
        } catch (java.security.InvalidKeyException | java.security.SignatureException e) {
            return false;
        }
    }
}
