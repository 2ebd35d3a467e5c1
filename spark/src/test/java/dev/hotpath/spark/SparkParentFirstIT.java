package dev.hotpath.spark;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.hotpath.Hotpath;
import java.util.List;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Spark's default, parent-first class loading: a session's {@code addArtifact} copy of hotpath is
 * shadowed by the application class path's, which runs the session's tasks (what the README
 * tells users who expect their session's copy to run).
 */
class SparkParentFirstIT {
    static SparkSession spark;

    @BeforeAll
    static void start() {
        assertTrue(Hotpath.isNativeAvailable(), Hotpath.diagnostics());
        spark = SparkSession.builder().master("local[2]").appName("hotpath-parent-first")
                .config("spark.ui.enabled", "false")
                .getOrCreate();
    }

    @AfterAll
    static void stop() {
        if (spark != null) spark.stop();
    }

    @Test
    void theApplicationClassPathCopyShadowsASessionArtifact() throws Exception {
        SparkSession session = spark.newSession();
        session.addArtifact(SparkClassLoadersIT.HOTPATH_JAR.toString());
        session.addArtifact(SparkClassLoadersIT.SPARK_JAR.toString());
        Dataset<Row> data = session.createDataFrame(SparkClassLoadersIT.signedRows(), SparkClassLoadersIT.SCHEMA).repartition(2);
        session.conf().set("spark.hotpath.backend", "NATIVE");
        long before = Kernels.CALLS.get(dev.hotpath.Backend.NATIVE.ordinal());
        List<Object> result = SparkClassLoadersIT.column(HotpathSpark.ed25519Verify(data, "public_key", "message", "signature", "ok"));
        assertEquals(SparkClassLoadersIT.ROWS, result.size());
        assertTrue(Kernels.CALLS.get(dev.hotpath.Backend.NATIVE.ordinal()) >= before + 2,
                "the application class path's copy of hotpath-spark made the native calls");
        for (Row d : ExecutorDiagnostics.collect(session, 2)) {
            assertEquals(SparkClassLoadersIT.APP_LOADER, d.<String>getAs("loader"), d.toString());
            assertEquals(SparkClassLoadersIT.APP_LOADER, d.<String>getAs("hotpath_loader"), d.toString());
        }
    }
}
