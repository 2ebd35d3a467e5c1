package dev.hotpath.spark;

import dev.hotpath.Backend;
import dev.hotpath.Hotpath;
import java.security.CodeSource;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import org.apache.spark.SparkEnv;
import org.apache.spark.api.java.function.MapPartitionsFunction;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Encoders;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.catalyst.expressions.GenericRowWithSchema;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructType;

/**
 * Which copy of hotpath a session's tasks run, where, and on which backend: one row per task of a
 * small job, to answer "did my executors load the native library, and from which jar?" when jars
 * arrive through {@code spark.jars}, session artifacts or a shaded fat jar.
 *
 * <p>Each row: {@code executor_id}, {@code pid} (the executor's JVM), {@code loader} (the class
 * loader that defined this copy of hotpath-spark's classes), {@code hotpath_loader} and
 * {@code hotpath_jar} (the class loader and jar of the {@code Hotpath} class this copy links to),
 * {@code hotpath_class} (its name, which shows a relocated package), {@code backend}, {@code native}
 * (the library's path, null when it did not load), {@code native_error}, {@code threads} (hotpath's
 * native pool size, 0 when not loaded), and the hotpath calls
 * this copy of hotpath-spark has made in that JVM by backend: {@code calls_auto},
 * {@code calls_native}, {@code calls_jvm}. A NATIVE call never falls back to the JVM backend (it
 * throws), so {@code calls_native} counts calls that ran natively.
 */
public final class ExecutorDiagnostics {
    /** The schema of {@link #collect}'s rows. */
    public static final StructType SCHEMA = new StructType()
            .add("executor_id", DataTypes.StringType, true)
            .add("pid", DataTypes.LongType, false)
            .add("loader", DataTypes.StringType, false)
            .add("hotpath_loader", DataTypes.StringType, false)
            .add("hotpath_jar", DataTypes.StringType, true)
            .add("hotpath_class", DataTypes.StringType, false)
            .add("backend", DataTypes.StringType, false)
            .add("native", DataTypes.StringType, true)
            .add("native_error", DataTypes.StringType, true)
            .add("threads", DataTypes.IntegerType, false)
            .add("calls_auto", DataTypes.LongType, false)
            .add("calls_native", DataTypes.LongType, false)
            .add("calls_jvm", DataTypes.LongType, false);

    private ExecutorDiagnostics() {}

    /**
     * Runs {@code tasks} one-row tasks in {@code spark} (so with its session's class loader) and
     * returns their reports in task order. Loads the native library in each executor JVM that runs
     * one, unless the backend is JVM.
     *
     * @throws NullPointerException if {@code spark} is null.
     * @throws IllegalArgumentException if {@code tasks} is not positive.
     */
    public static List<Row> collect(SparkSession spark, int tasks) {
        if (spark == null) throw new NullPointerException("spark is null");
        if (tasks <= 0) throw new IllegalArgumentException("tasks must be positive, not " + tasks);
        MapPartitionsFunction<Long, Row> report = ignored -> {
            SparkConfig.apply();
            return Collections.singletonList(local()).iterator();
        };
        Dataset<Row> rows = spark.range(0, tasks, 1, tasks).mapPartitions(report, Encoders.row(SCHEMA));
        return new ArrayList<>(rows.collectAsList());
    }

    /** The report of this JVM and this copy of hotpath-spark, as {@link #collect} returns it per task (fields by name with {@code getAs}). */
    public static Row local() {
        SparkEnv env = SparkEnv.get();
        boolean loaded = Hotpath.getBackend() != Backend.JVM && Hotpath.isNativeAvailable();
        Throwable error = loaded || Hotpath.getBackend() == Backend.JVM ? null : Hotpath.getNativeLoadError();
        return new GenericRowWithSchema(new Object[] {
                env == null ? null : env.executorId(),
                ProcessHandle.current().pid(),
                describe(ExecutorDiagnostics.class.getClassLoader()),
                describe(Hotpath.class.getClassLoader()),
                jarOf(Hotpath.class),
                Hotpath.class.getName(),
                Hotpath.getBackend().name(),
                loaded ? nativeLibrary() : null,
                error == null ? null : error.getMessage(),
                loaded ? Hotpath.getThreads() : 0,
                Kernels.CALLS.get(Backend.AUTO.ordinal()),
                Kernels.CALLS.get(Backend.NATIVE.ordinal()),
                Kernels.CALLS.get(Backend.JVM.ordinal())}, SCHEMA);
    }

    /**
     * A class loader as {@link #collect} names it: its class and identity hash, which tell two
     * loaders of the same class apart within one JVM ({@code "bootstrap"} for null).
     */
    public static String describe(ClassLoader loader) {
        if (loader == null) return "bootstrap";
        return loader.getClass().getName() + "@" + Integer.toHexString(System.identityHashCode(loader));
    }

    private static String jarOf(Class<?> type) {
        CodeSource source = type.getProtectionDomain().getCodeSource();
        return source == null || source.getLocation() == null ? null : source.getLocation().toString();
    }

    /** Hotpath has no accessor for the library's path; its diagnostics line carries it. */
    private static String nativeLibrary() {
        String prefix = "native: loaded from ";
        for (String line : Hotpath.diagnostics().split("\n")) {
            if (line.startsWith(prefix)) {
                int end = line.lastIndexOf(", version ");
                return line.substring(prefix.length(), end > prefix.length() ? end : line.length());
            }
        }
        return null;
    }
}
