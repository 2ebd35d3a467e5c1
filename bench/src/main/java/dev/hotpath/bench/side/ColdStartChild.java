package dev.hotpath.bench.side;

import dev.hotpath.Backend;
import dev.hotpath.Hotpath;
import dev.hotpath.Numeric;

/**
 * Runs in a fresh JVM started by {@link SideMeasurements}, with only what a user's class path would
 * hold (this class, the hotpath jar, kotlin-stdlib): gets one kernel result as soon as it can and
 * prints {@code result <value> load_ns <n> first_ns <n>} on one line. Modes:
 * {@code hello} (prints and exits: the JVM's own start), {@code hello-kotlin} (a hello world that
 * first makes the null check every Kotlin {@code main} starts with, so kotlin-stdlib's jar is opened and
 * its first class loaded: what any Kotlin program pays before its first line), {@code jvm} (first result on the JVM
 * backend), {@code native} (first native result: loads, and extracts if the cache is empty).
 */
public final class ColdStartChild {
    private ColdStartChild() {
    }

    public static void main(String[] args) {
        String mode = args[0];
        if (mode.equals("hello")) {
            System.out.println("result 0 load_ns 0 first_ns 0");
            return;
        }
        if (mode.equals("hello-kotlin")) {
            kotlin.jvm.internal.Intrinsics.checkNotNullParameter(args, "args");
            System.out.println("result 0 load_ns 0 first_ns 0");
            return;
        }
        long start = System.nanoTime();
        long loadNs = 0;
        if (mode.equals("native")) {
            if (!Hotpath.isNativeAvailable()) {
                throw new IllegalStateException("native not loaded", Hotpath.getNativeLoadError());
            }
            loadNs = System.nanoTime() - start;
            Hotpath.setBackend(Backend.NATIVE);
        } else {
            Hotpath.setBackend(Backend.JVM);
        }
        long[] values = new long[1024];
        for (int i = 0; i < values.length; i++) {
            values[i] = i;
        }
        long result = Numeric.sum(values);
        long firstNs = System.nanoTime() - start;
        // A StringBuilder, not +: javac compiles + to an invokedynamic whose first bootstrap costs
        // more than hotpath's whole load, and the hello world prints a constant.
        System.out.println(new StringBuilder("result ").append(result).append(" load_ns ").append(loadNs)
                .append(" first_ns ").append(firstNs).toString());
    }
}
