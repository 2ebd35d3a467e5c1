package dev.hotpath.spark;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Executors in JVMs of their own: {@code local-cluster[2,1,1024]} starts a standalone master and
 * worker in this JVM, and the worker launches two executor processes from {@code SPARK_HOME/jars}.
 * That folder is built here from the test class path (Spark and its dependencies, as Maven
 * resolved them) without hotpath, which reaches the executors only through {@code spark.jars}, as
 * it would on a cluster. The build sets SPARK_HOME to the folder for this JVM.
 */
class SparkLocalClusterIT {
    static final Path WORK = Path.of(System.getProperty("spark.it.work"));
    static final int EXECUTORS = 2;
    static SparkSession spark;

    @BeforeAll
    static void start() throws Exception {
        Path home = Path.of(System.getenv("SPARK_HOME"));
        Path jars = home.resolve("jars");
        Files.createDirectories(jars);
        Set<String> shipped = Set.of(SparkClassLoadersIT.HOTPATH_JAR.toRealPath().toString(), SparkClassLoadersIT.SPARK_JAR.toRealPath().toString());
        String classpath = Files.readString(WORK.resolve("classpath.txt"), StandardCharsets.UTF_8).trim();
        for (String entry : classpath.split(java.io.File.pathSeparator)) {
            Path jar = Path.of(entry);
            if (!entry.endsWith(".jar") || shipped.contains(jar.toRealPath().toString())) continue;
            Path link = jars.resolve(jar.getFileName());
            if (!Files.exists(link, java.nio.file.LinkOption.NOFOLLOW_LINKS)) Files.createSymbolicLink(link, jar.toRealPath());
        }
        spark = SparkSession.builder().master("local-cluster[" + EXECUTORS + ",1,1024]").appName("hotpath-local-cluster")
                .config("spark.ui.enabled", "false")
                .config("spark.jars", SparkClassLoadersIT.HOTPATH_JAR + "," + SparkClassLoadersIT.SPARK_JAR)
                .config("spark.executor.extraJavaOptions", "-Dhotpath.cache.dir=" + WORK.resolve("executor-cache"))
                .getOrCreate();
        // Tasks go to whichever executors have registered: wait for both.
        long deadline = System.nanoTime() + 60_000_000_000L;
        while (spark.sparkContext().statusTracker().getExecutorInfos().length < EXECUTORS + 1) {
            assertTrue(System.nanoTime() < deadline, "executors did not register within 60 s");
            Thread.sleep(100);
        }
    }

    @AfterAll
    static void stop() {
        if (spark != null) spark.stop();
    }

    @Test
    void eachExecutorJvmLoadsTheShippedJarAndRunsNatively() throws Exception {
        Dataset<Row> data = spark.createDataFrame(SparkClassLoadersIT.signedRows(), SparkClassLoadersIT.SCHEMA).repartition(4);
        spark.conf().set("spark.hotpath.backend", "NATIVE");
        List<Object> nativeResult = SparkClassLoadersIT.column(HotpathSpark.ed25519Verify(data, "public_key", "message", "signature", "ok"));
        List<Row> diagnostics = ExecutorDiagnostics.collect(spark, 8);
        spark.conf().set("spark.hotpath.backend", "JVM");
        List<Object> jvmResult = SparkClassLoadersIT.column(HotpathSpark.ed25519Verify(data, "public_key", "message", "signature", "ok"));
        assertEquals(SparkClassLoadersIT.ROWS, nativeResult.size());
        assertEquals(jvmResult, nativeResult);
        assertTrue(nativeResult.stream().filter(Boolean.FALSE::equals).count() > SparkClassLoadersIT.ROWS / 10);

        long driver = ProcessHandle.current().pid();
        Set<Long> pids = new HashSet<>();
        long nativeCalls = 0;
        for (Row d : diagnostics) {
            String where = d.toString();
            long pid = d.<Long>getAs("pid");
            assertNotEquals(driver, pid, where + ": ran outside the driver's JVM");
            assertNotEquals("driver", d.<String>getAs("executor_id"), where);
            pids.add(pid);
            assertEquals("NATIVE", d.<String>getAs("backend"), where);
            assertNull(d.getAs("native_error"), where);
            assertNotNull(d.<String>getAs("native"), where + ": native library loaded");
            assertTrue(d.<String>getAs("native").startsWith(WORK.resolve("executor-cache").toString()), where);
            assertTrue(d.<String>getAs("hotpath_jar").endsWith(SparkClassLoadersIT.HOTPATH_JAR.getFileName().toString()), where);
            // Each executor has one core: hotpath's pool follows it, not the machine's processors.
            assertEquals(1, d.<Integer>getAs("threads"), where + ": hotpath threads");
            nativeCalls += d.<Long>getAs("calls_native");
        }
        assertEquals(EXECUTORS, pids.size(), "both executor JVMs ran tasks: " + diagnostics);
        assertTrue(nativeCalls > 0, "native calls counted: " + diagnostics);
    }
}
