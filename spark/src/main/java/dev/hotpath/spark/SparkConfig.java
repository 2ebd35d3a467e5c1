package dev.hotpath.spark;

import dev.hotpath.Backend;
import dev.hotpath.Hotpath;
import java.util.Locale;
import org.apache.spark.SparkConf;
import org.apache.spark.SparkEnv;
import org.apache.spark.TaskContext;

/**
 * Maps Spark conf keys onto hotpath's settings inside an executor JVM, before a partition's first
 * kernel call. Session (SQL) settings reach tasks as local properties, so they win over the
 * application's SparkConf.
 */
final class SparkConfig {
    /** Conf key: {@code AUTO}, {@code NATIVE} or {@code JVM}; unset leaves the executor's backend as it is. */
    static final String BACKEND = "spark.hotpath.backend";
    /** Conf key: hotpath's native pool size per executor; default {@code spark.executor.cores}. */
    static final String THREADS = "spark.hotpath.threads";

    private SparkConfig() {}

    /** Applies the conf keys; called at the start of each partition (cheap: two lookups). */
    static void apply() {
        String backend = lookup(BACKEND);
        if (backend != null) {
            Backend wanted;
            try {
                wanted = Backend.valueOf(backend.trim().toUpperCase(Locale.ROOT));
            } catch (IllegalArgumentException e) {
                throw new IllegalArgumentException(
                        BACKEND + " must be AUTO, NATIVE or JVM, not '" + backend + "'", e);
            }
            // The backend is per JVM in hotpath: the last session to set it wins for all tasks.
            if (Hotpath.getBackend() != wanted) Hotpath.setBackend(wanted);
        }
        // hotpath reads hotpath.threads once, when the native library loads: the executor's cores,
        // not the machine's, unless the user set the property himself.
        if (System.getProperty("hotpath.threads") == null) {
            String threads = lookup(THREADS);
            if (threads == null) threads = lookup("spark.executor.cores");
            if (threads == null) threads = executorBackendCores();
            if (threads != null) System.setProperty("hotpath.threads", threads.trim());
        }
    }

    /**
     * An executor started by a cluster manager without {@code spark.executor.cores} (standalone,
     * local-cluster: the executor takes what the worker offers) learns its cores only from its
     * command line, {@code CoarseGrainedExecutorBackend ... --cores N} (YARN's and Kubernetes'
     * backends take the same argument); null in a driver or in local mode.
     */
    static String executorBackendCores() {
        String command = System.getProperty("sun.java.command");
        if (command == null || !command.contains("ExecutorBackend")) return null;
        String[] words = command.trim().split("\\s+");
        for (int i = 1; i + 1 < words.length; i++) {
            if (!words[i].equals("--cores")) continue;
            String cores = words[i + 1];
            return cores.chars().allMatch(Character::isDigit) ? cores : null;
        }
        return null;
    }

    private static String lookup(String key) {
        TaskContext task = TaskContext.get();
        if (task != null) {
            String local = task.getLocalProperty(key);
            if (local != null) return local;
        }
        SparkEnv env = SparkEnv.get();
        if (env == null) return null;
        SparkConf conf = env.conf();
        return conf.contains(key) ? conf.get(key) : null;
    }
}
