package dev.hotpath.spark;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.hotpath.Backend;
import dev.hotpath.BlockBuilder;
import dev.hotpath.Ed25519;
import dev.hotpath.Hotpath;
import dev.hotpath.Transaction;
import dev.hotpath.jvm.Blake3Reference;
import java.security.KeyFactory;
import java.security.MessageDigest;
import java.security.Signature;
import java.security.spec.EdECPoint;
import java.security.spec.EdECPublicKeySpec;
import java.security.spec.NamedParameterSpec;
import java.math.BigInteger;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import org.apache.spark.api.java.JavaSparkContext;
import org.apache.spark.sql.AnalysisException;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.api.java.UDF1;
import org.apache.spark.sql.api.java.UDF3;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructType;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Spark jobs on local[2] over 100k generated rows (nulls, bad signatures and wrong lengths mixed
 * in): each function on NATIVE equals the same job on the JVM backend and a per-row JDK UDF,
 * row for row in the original order.
 */
class SparkJobsTest {
    static final int ROWS = 100_000;
    /** Rows the slow baselines (JVM backend and JDK Ed25519) verify; a prefix of the same data. */
    static final int SLOW_ROWS = 4_000;
    static SparkSession spark;
    static Dataset<Row> signed;
    static Dataset<Row> blocks;

    @BeforeAll
    static void start() {
        spark = SparkSession.builder().master("local[2]").appName("hotpath-spark-test")
                .config("spark.ui.enabled", "false")
                .config("spark.sql.shuffle.partitions", "2")
                .getOrCreate();
        JavaSparkContext jsc = JavaSparkContext.fromSparkContext(spark.sparkContext());
        StructType schema = new StructType()
                .add("id", DataTypes.LongType, false)
                .add("public_key", DataTypes.BinaryType, true)
                .add("message", DataTypes.BinaryType, true)
                .add("signature", DataTypes.BinaryType, true);
        Random random = new Random(16);
        byte[][] secrets = new byte[32][32];
        byte[][] publics = new byte[32][];
        for (int k = 0; k < secrets.length; k++) {
            random.nextBytes(secrets[k]);
            publics[k] = Ed25519.publicKey(secrets[k]);
        }
        List<Row> rows = new ArrayList<>(ROWS);
        for (int i = 0; i < ROWS; i++) {
            int k = i % secrets.length;
            byte[] message = new byte[random.nextInt(200)];
            random.nextBytes(message);
            byte[] signature = Ed25519.sign(secrets[k], message);
            byte[] key = publics[k];
            if (i % 13 == 0) signature[random.nextInt(64)] ^= 1;              // bad signature
            if (i % 997 == 0) key = Arrays.copyOf(key, 31);                   // wrong key length
            if (i % 1009 == 0) signature = Arrays.copyOf(signature, 63);     // wrong signature length
            rows.add(RowFactory.create((long) i,
                    i % 101 == 0 ? null : key,
                    i % 103 == 0 ? null : message,
                    i % 107 == 0 ? null : signature));
        }
        signed = spark.createDataFrame(jsc.parallelize(rows, 4), schema).cache();
        signed.createOrReplaceTempView("signed");

        StructType blockSchema = new StructType().add("id", DataTypes.LongType, false).add("block", DataTypes.BinaryType, true);
        List<Row> blockRows = new ArrayList<>();
        byte[] previous = new byte[32];
        for (int b = 0; b < 200; b++) {
            BlockBuilder builder = new BlockBuilder(b, previous);
            for (int t = 0; t < 20; t++) {
                builder.add(Transaction.sign(secrets[t % secrets.length], publics[(t + 1) % publics.length], 100 + t, 1, b * 100L + t));
            }
            byte[] block = builder.build();
            if (b % 7 == 0) block[block.length - 1 - random.nextInt(64)] ^= 1;   // a broken signature
            if (b % 11 == 0) block = Arrays.copyOf(block, block.length - 5);      // truncated
            blockRows.add(RowFactory.create((long) b, b % 17 == 0 ? null : block));
        }
        blocks = spark.createDataFrame(jsc.parallelize(blockRows, 3), blockSchema).cache();
        blocks.createOrReplaceTempView("blocks");
        HotpathFunctions.register(spark);
    }

    @AfterAll
    static void stop() {
        spark.stop();
    }

    @AfterEach
    void unsetBackend() {
        spark.conf().unset("spark.hotpath.backend");
    }

    static List<Object> column(Dataset<Row> data, String name) {
        List<Object> out = new ArrayList<>();
        long expectedId = 0;
        for (Row row : data.select("id", name).collectAsList()) {
            assertEquals(expectedId++, row.getLong(0), "row order");
            out.add(comparable(row.get(1)));
        }
        return out;
    }

    /** A value with content equality: byte arrays (also inside structs) compare by their bytes. */
    static Object comparable(Object value) {
        if (value instanceof byte[]) {
            return new Bytes((byte[]) value);
        }
        if (value instanceof Row) {
            Row r = (Row) value;
            List<Object> fields = new ArrayList<>(r.size());
            for (int i = 0; i < r.size(); i++) {
                fields.add(comparable(r.get(i)));
            }
            return fields;
        }
        return value;
    }

    List<Object> on(Backend backend, java.util.function.Supplier<Dataset<Row>> job, String name) {
        spark.conf().set("spark.hotpath.backend", backend.name());
        List<Object> out = column(job.get(), name);
        assertEquals(backend, Hotpath.getBackend(), "spark.hotpath.backend reached the executor");
        return out;
    }

    static Dataset<Row> unchecked(ThrowingJob job) {
        try {
            return job.run();
        } catch (AnalysisException e) {
            throw new AssertionError(e);
        }
    }

    interface ThrowingJob {
        Dataset<Row> run() throws AnalysisException;
    }

    @Test
    void ed25519VerifyMatchesJvmBackendAndPerRowJdkUdf() {
        assertTrue(Hotpath.isNativeAvailable(), Hotpath.diagnostics());
        java.util.function.Supplier<Dataset<Row>> job =
                () -> unchecked(() -> HotpathSpark.ed25519Verify(signed, "public_key", "message", "signature", "ok"));
        List<Object> nativeResult = on(Backend.NATIVE, job, "ok");
        spark.udf().register("jdk_ed25519_verify", (UDF3<byte[], byte[], byte[], Boolean>) JdkEd25519::verify, DataTypes.BooleanType);
        // The JVM backend and the JDK verify a signature in 1.5-2 ms: over all 100k rows they alone
        // would take minutes on 2 cores, so they check the first SLOW_ROWS rows, and native is
        // checked on all rows against the SQL function and against itself on those rows.
        Dataset<Row> head = signed.filter("id < " + SLOW_ROWS);
        List<Object> jvmResult = on(Backend.JVM,
                () -> unchecked(() -> HotpathSpark.ed25519Verify(head, "public_key", "message", "signature", "ok")), "ok");
        List<Object> jdk = column(spark.sql("SELECT id, jdk_ed25519_verify(public_key, message, signature) AS ok FROM signed WHERE id < "
                + SLOW_ROWS), "ok");
        spark.conf().set("spark.hotpath.backend", "NATIVE");
        List<Object> sql = column(spark.sql("SELECT id, hotpath_ed25519_verify(public_key, message, signature) AS ok FROM signed"), "ok");
        assertEquals(ROWS, nativeResult.size());
        assertEquals(jdk, nativeResult.subList(0, SLOW_ROWS));
        assertEquals(jdk, jvmResult);
        assertEquals(nativeResult, sql);
        long nulls = nativeResult.stream().filter(v -> v == null).count();
        long bad = nativeResult.stream().filter(Boolean.FALSE::equals).count();
        assertTrue(nulls > 2500 && bad > 7000 && bad < ROWS / 2, "nulls=" + nulls + " bad=" + bad);
        assertNull(nativeResult.get(0), "row 0 has null key");
    }

    @Test
    void hashesMatchJvmBackendAndPerRowJdkUdf() throws Exception {
        java.util.function.Supplier<Dataset<Row>> sha = () -> unchecked(() -> HotpathSpark.sha256(signed, "message", "d"));
        java.util.function.Supplier<Dataset<Row>> b3 = () -> unchecked(() -> HotpathSpark.blake3(signed, "message", "d"));
        spark.udf().register("jdk_sha256", (UDF1<byte[], byte[]>) m -> m == null ? null : MessageDigest.getInstance("SHA-256").digest(m), DataTypes.BinaryType);
        spark.udf().register("ref_blake3", (UDF1<byte[], byte[]>) m -> m == null ? null : Blake3Reference.hash(m), DataTypes.BinaryType);
        List<Object> jdkSha = column(spark.sql("SELECT id, jdk_sha256(message) AS d FROM signed"), "d");
        List<Object> refB3 = column(spark.sql("SELECT id, ref_blake3(message) AS d FROM signed"), "d");
        assertEquals(jdkSha, on(Backend.NATIVE, sha, "d"));
        assertEquals(jdkSha, on(Backend.JVM, sha, "d"));
        assertEquals(refB3, on(Backend.NATIVE, b3, "d"));
        assertEquals(refB3, on(Backend.JVM, b3, "d"));
        spark.conf().set("spark.hotpath.backend", "NATIVE");
        assertEquals(jdkSha, column(spark.sql("SELECT id, hotpath_sha256(message) AS d FROM signed"), "d"));
        assertEquals(refB3, column(spark.sql("SELECT id, hotpath_blake3(message) AS d FROM signed"), "d"));
        assertNull(jdkSha.get(103));
    }

    @Test
    void validateBlockMatchesJvmBackend() {
        java.util.function.Supplier<Dataset<Row>> job = () -> unchecked(() -> HotpathSpark.validateBlock(blocks, "block", "report"));
        List<Object> nativeResult = on(Backend.NATIVE, job, "report");
        List<Object> jvmResult = on(Backend.JVM, job, "report");
        spark.conf().set("spark.hotpath.backend", "NATIVE");
        List<Object> sql = column(spark.sql("SELECT id, hotpath_validate_block(block) AS report FROM blocks"), "report");
        // Structs come back as lists of their fields (valid, error, statuses, Merkle root).
        assertEquals(jvmResult, nativeResult);
        assertEquals(jvmResult, sql);
        long valid = nativeResult.stream().filter(r -> r != null && Boolean.TRUE.equals(((List<?>) r).get(0))).count();
        long invalid = nativeResult.stream().filter(r -> r != null && Boolean.FALSE.equals(((List<?>) r).get(0))).count();
        assertTrue(valid > 100 && invalid > 30, "valid=" + valid + " invalid=" + invalid);
        assertNull(nativeResult.get(0));
        List<?> first = (List<?>) nativeResult.get(1);
        assertEquals(20, ((scala.collection.Seq<?>) first.get(2)).size());
        assertEquals(32, ((Bytes) first.get(3)).b().length);
    }

    @Test
    void wrongColumnTypeIsAnAnalysisErrorNamingFunctionArgumentAndType() {
        AnalysisException sql = assertThrows(AnalysisException.class,
                () -> spark.sql("SELECT hotpath_ed25519_verify(public_key, id, signature) FROM signed"));
        assertTrue(sql.getMessage().contains("hotpath_ed25519_verify") && sql.getMessage().contains("second")
                && sql.getMessage().contains("BINARY") && sql.getMessage().contains("BIGINT"), sql.getMessage());
        AnalysisException blake = assertThrows(AnalysisException.class, () -> spark.sql("SELECT hotpath_blake3(CAST(id AS STRING)) FROM signed"));
        assertTrue(blake.getMessage().contains("hotpath_blake3") && blake.getMessage().contains("STRING"), blake.getMessage());
        AnalysisException api = assertThrows(AnalysisException.class, () -> HotpathSpark.sha256(signed, "id", "d"));
        assertTrue(api.getMessage().contains("sha256") && api.getMessage().contains("BINARY"), api.getMessage());
    }

    /** Byte arrays compared by content, so result lists compare with equals. */
    record Bytes(byte[] b) {
        @Override public boolean equals(Object o) { return o instanceof Bytes && Arrays.equals(b, ((Bytes) o).b); }
        @Override public int hashCode() { return Arrays.hashCode(b); }
        @Override public String toString() { return java.util.HexFormat.of().formatHex(b); }
    }

    /** The per-row JDK baseline: java.security's Ed25519, one row per call. */
    static final class JdkEd25519 {
        static Boolean verify(byte[] key, byte[] message, byte[] signature) throws Exception {
            if (key == null || message == null || signature == null) return null;
            if (key.length != 32 || signature.length != 64) return false;
            byte[] le = key.clone();
            boolean xOdd = (le[31] & 0x80) != 0;
            le[31] &= 0x7f;
            byte[] be = new byte[32];
            for (int i = 0; i < 32; i++) be[i] = le[31 - i];
            EdECPublicKeySpec spec = new EdECPublicKeySpec(NamedParameterSpec.ED25519, new EdECPoint(xOdd, new BigInteger(1, be)));
            Signature verifier = Signature.getInstance("Ed25519");
            try {
                verifier.initVerify(KeyFactory.getInstance("Ed25519").generatePublic(spec));
                verifier.update(message);
                return verifier.verify(signature);
            } catch (java.security.GeneralSecurityException e) {
                return false;
            }
        }
    }
}
