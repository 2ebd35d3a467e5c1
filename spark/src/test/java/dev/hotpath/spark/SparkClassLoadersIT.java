package dev.hotpath.spark;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.hotpath.Ed25519;
import dev.hotpath.Hotpath;
import java.lang.reflect.Method;
import java.net.URL;
import java.net.URLClassLoader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashSet;
import java.util.List;
import java.util.Random;
import java.util.Set;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructType;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * hotpath in the class loaders Spark makes, against the packaged jars, with another copy of both
 * jars on the application class path (this test's own): the jars given with {@code spark.jars},
 * each isolated session's own copy added with {@code SparkSession.addArtifact}, and a job's fat
 * jar with hotpath relocated. Each job verifies signatures natively, equals the JVM backend's
 * result, and {@link ExecutorDiagnostics}, run in the same session, shows which class loader
 * defined the classes its tasks used and that their calls ran on the native backend.
 *
 * <p>Child-first class loading ({@code spark.executor.userClassPathFirst}) is what makes a
 * session's copy win over the application class path's; with Spark's default (parent-first) a
 * class on the application class path shadows every added copy.
 */
class SparkClassLoadersIT {
    static final int ROWS = 600;
    static final Path HOTPATH_JAR = Path.of(System.getProperty("spark.it.hotpathJar"));
    static final Path SPARK_JAR = Path.of(System.getProperty("spark.it.sparkJar"));
    static final Path JOB_JAR = Path.of(System.getProperty("spark.it.jobJar"));
    static final String APP_LOADER = ExecutorDiagnostics.describe(Hotpath.class.getClassLoader());

    static final StructType SCHEMA = new StructType()
            .add("id", DataTypes.LongType, false)
            .add("public_key", DataTypes.BinaryType, true)
            .add("message", DataTypes.BinaryType, true)
            .add("signature", DataTypes.BinaryType, true);

    static SparkSession spark;
    static List<Row> rows;
    static String appNative;

    @BeforeAll
    static void start() throws Exception {
        assertTrue(Files.isRegularFile(HOTPATH_JAR) && HOTPATH_JAR.toString().endsWith(".jar"), HOTPATH_JAR.toString());
        assertTrue(Files.isRegularFile(SPARK_JAR), SPARK_JAR.toString());
        // The application class path's copy binds the cached library file first, as a driver would.
        assertTrue(Hotpath.isNativeAvailable(), Hotpath.diagnostics());
        appNative = ExecutorDiagnostics.local().<String>getAs("native");
        spark = SparkSession.builder().master("local[2]").appName("hotpath-class-loaders")
                .config("spark.ui.enabled", "false")
                .config("spark.jars", HOTPATH_JAR + "," + SPARK_JAR)
                .config("spark.executor.userClassPathFirst", "true")
                .getOrCreate();
        rows = signedRows();
    }

    @AfterAll
    static void stop() {
        if (spark != null) spark.stop();
    }

    /** ROWS signed messages under one key, one in 7 signatures damaged, one in 31 messages null. */
    static List<Row> signedRows() {
        Random random = new Random(1616);
        byte[] secret = new byte[32];
        random.nextBytes(secret);
        byte[] key = Ed25519.publicKey(secret);
        List<Row> out = new ArrayList<>(ROWS);
        for (int i = 0; i < ROWS; i++) {
            byte[] message = new byte[random.nextInt(100)];
            random.nextBytes(message);
            byte[] signature = Ed25519.sign(secret, message);
            if (i % 7 == 0) signature[random.nextInt(64)] ^= 1;
            out.add(RowFactory.create((long) i, key, i % 31 == 0 ? null : message, signature));
        }
        return out;
    }

    /** What one session's job and its diagnostics came to. */
    record Run(List<Object> nativeResult, List<Object> jvmResult, List<Row> diagnostics) {
        String loader() {
            return diagnostics.get(0).<String>getAs("loader");
        }

        String nativeLibrary() {
            return diagnostics.get(0).<String>getAs("native");
        }
    }

    /** The verification job through {@code verify} (which may be a relocated copy), on both backends. */
    static Run run(SparkSession session, Verify verify, Diagnose diagnose) throws Exception {
        Dataset<Row> data = session.createDataFrame(rows, SCHEMA).repartition(2).sortWithinPartitions("id");
        session.conf().set("spark.hotpath.backend", "NATIVE");
        List<Object> nativeResult = column(verify.apply(data));
        List<Row> diagnostics = diagnose.apply(session);
        session.conf().set("spark.hotpath.backend", "JVM");
        List<Object> jvmResult = column(verify.apply(data));
        session.conf().unset("spark.hotpath.backend");
        return new Run(nativeResult, jvmResult, diagnostics);
    }

    interface Verify {
        Dataset<Row> apply(Dataset<Row> data) throws Exception;
    }

    interface Diagnose {
        List<Row> apply(SparkSession session) throws Exception;
    }

    static List<Object> column(Dataset<Row> result) {
        List<Object> out = new ArrayList<>();
        for (Row row : result.orderBy("id").select("ok").collectAsList()) out.add(row.isNullAt(0) ? null : row.getBoolean(0));
        return out;
    }

    static Run plain(SparkSession session) throws Exception {
        return run(session, data -> HotpathSpark.ed25519Verify(data, "public_key", "message", "signature", "ok"),
                s -> ExecutorDiagnostics.collect(s, 2));
    }

    /** The job ran natively in a copy of hotpath other than the application class path's. */
    static void assertOwnNativeCopy(Run run, String job) {
        assertEquals(ROWS, run.nativeResult().size(), job);
        assertEquals(run.jvmResult(), run.nativeResult(), job + ": native equals the JVM backend");
        long bad = run.nativeResult().stream().filter(Boolean.FALSE::equals).count();
        long nulls = run.nativeResult().stream().filter(v -> v == null).count();
        assertTrue(bad > ROWS / 10 && nulls > 10, job + ": bad=" + bad + " nulls=" + nulls);
        String appJar = Hotpath.class.getProtectionDomain().getCodeSource().getLocation().toString();
        for (Row d : run.diagnostics()) {
            String where = job + " " + d;
            String loader = d.<String>getAs("loader");
            assertEquals(run.loader(), loader, where + ": every task used one class loader");
            assertNotEquals(APP_LOADER, loader, where + ": not the application class loader");
            assertEquals(loader, d.<String>getAs("hotpath_loader"), where + ": hotpath is defined by the same loader as hotpath-spark");
            assertNotEquals(appJar, d.<String>getAs("hotpath_jar"), where + ": hotpath came from another jar than the application's");
            assertEquals("NATIVE", d.<String>getAs("backend"), where);
            assertNull(d.getAs("native_error"), where);
            assertNotNull(d.<String>getAs("native"), where + ": native library loaded");
            assertNotEquals(appNative, d.<String>getAs("native"), where + ": a library copy of its own, not the application's");
            // One verifyBatch per partition at least, two partitions.
            assertTrue(d.<Long>getAs("calls_native") >= 2, where + ": native calls counted");
        }
    }

    @Test
    void sparkJarsCopyRunsNativelyInTheDefaultSession() throws Exception {
        Run run = plain(spark);
        assertOwnNativeCopy(run, "spark.jars");
        assertTrue(run.diagnostics().get(0).<String>getAs("hotpath_jar").endsWith(HOTPATH_JAR.getFileName().toString()), run.diagnostics().get(0).<String>getAs("hotpath_jar"));
    }

    @Test
    void twoSessionsWithTheirOwnArtifactsEachRunNatively() throws Exception {
        List<Run> runs = new ArrayList<>();
        for (int s = 0; s < 2; s++) {
            SparkSession session = spark.newSession();
            session.addArtifact(HOTPATH_JAR.toString());
            session.addArtifact(SPARK_JAR.toString());
            Run run = plain(session);
            assertOwnNativeCopy(run, "session " + s);
            runs.add(run);
        }
        assertNotEquals(runs.get(0).loader(), runs.get(1).loader(), "each session has its own class loader");
        assertNotEquals(runs.get(0).nativeLibrary(), runs.get(1).nativeLibrary(), "each loader loads its own library copy");
        assertEquals(runs.get(0).nativeResult(), runs.get(1).nativeResult());
    }

    @Test
    void shadedHotpathInAJobFatJarRunsNatively() throws Exception {
        assertTrue(Files.isRegularFile(JOB_JAR), JOB_JAR.toString());
        SparkSession session = spark.newSession();
        session.addArtifact(JOB_JAR.toString());
        String prefix = "com.acme.job.shaded.dev.hotpath.spark.";
        // The driver reaches the relocated classes the way a job's main class would: from its jar.
        try (URLClassLoader job = new URLClassLoader(new URL[] {JOB_JAR.toUri().toURL()}, SparkClassLoadersIT.class.getClassLoader())) {
            Method verify = job.loadClass(prefix + "HotpathSpark")
                    .getMethod("ed25519Verify", Dataset.class, String.class, String.class, String.class, String.class);
            Method collect = job.loadClass(prefix + "ExecutorDiagnostics").getMethod("collect", SparkSession.class, int.class);
            @SuppressWarnings("unchecked")
            Run run = run(session,
                    data -> (Dataset<Row>) verify.invoke(null, data, "public_key", "message", "signature", "ok"),
                    s -> (List<Row>) collect.invoke(null, s, 2));
            assertOwnNativeCopy(run, "shaded");
            for (Row d : run.diagnostics()) {
                assertEquals("com.acme.job.shaded.dev.hotpath.Hotpath", d.<String>getAs("hotpath_class"), "the relocated copy ran");
                assertTrue(d.<String>getAs("hotpath_jar").endsWith(JOB_JAR.getFileName().toString()), d.<String>getAs("hotpath_jar"));
            }
        }
    }
}
