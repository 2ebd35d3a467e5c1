package dev.hotpath.bench;

import dev.hotpath.Backend;
import dev.hotpath.Hotpath;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;

/**
 * Selects hotpath's backend for a benchmark. {@code Hotpath.setBackend} is global, and JMH runs
 * every benchmark in its own fork, so a state that sets it once per trial is exact. A benchmark
 * method names the backend it measures by taking one of these states as a parameter.
 */
public final class Backends {
    private Backends() {
    }

    /** Loads the native library (failing the benchmark if it cannot) and checks its pool size. */
    public static void requireNative() {
        if (!Hotpath.isNativeAvailable()) {
            throw new IllegalStateException("native library not loaded: " + Hotpath.getNativeLoadError());
        }
    }

    /** Sets {@code hotpath.threads} before the library loads, then loads it and checks the pool. */
    public static void loadWithThreads(int threads) {
        System.setProperty("hotpath.threads", Integer.toString(threads));
        requireNative();
        if (Hotpath.getThreads() != threads) {
            throw new IllegalStateException("hotpath pool has " + Hotpath.getThreads() + " threads, wanted " + threads
                    + ": was the library loaded before the benchmark's setup?");
        }
    }

    /** {@code Backend.NATIVE}: every call crosses into Rust, whatever its size. */
    @State(Scope.Benchmark)
    public static class Native {
        @Setup
        public void select() {
            requireNative();
            Hotpath.setBackend(Backend.NATIVE);
        }
    }

    /** {@code Backend.AUTO}: native from each kernel's threshold up, JVM below it. */
    @State(Scope.Benchmark)
    public static class Auto {
        @Setup
        public void select() {
            requireNative();
            Hotpath.setBackend(Backend.AUTO);
        }
    }
}
