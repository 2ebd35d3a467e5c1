package dev.hotpath.probe;

import java.io.IOException;
import java.lang.ref.WeakReference;
import java.net.URL;
import java.net.URLClassLoader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.stream.Stream;

/**
 * Redeploys hotpath the way application servers do: each cycle loads it in a fresh isolated
 * class loader and uses its native pool while the previous cycle's loader is still alive (so
 * the new one loads a private copy of the library), then drops the previous loader. Prints the
 * pool threads and mapped copies of the library after the first and after the last cycle, once
 * the collector has unloaded the dropped loaders. Arguments: the number of cycles, the hotpath
 * jar, the kotlin-stdlib jar.
 */
public final class ClassLoaderCycles {
    private ClassLoaderCycles() {}

    public static void main(String[] args) throws Exception {
        int cycles = Integer.parseInt(args[0]);
        URL[] urls = {Paths.get(args[1]).toUri().toURL(), Paths.get(args[2]).toUri().toURL()};
        long[] values = new long[4 << 20];
        for (int i = 0; i < values.length; i++) values[i] = i;
        URLClassLoader live = null;
        for (int cycle = 1; cycle <= cycles; cycle++) {
            URLClassLoader next = loadAndUse(urls, values);
            if (live != null) {
                WeakReference<ClassLoader> dropped = new WeakReference<>(live);
                live.close();
                live = null;
                awaitCollected(dropped);
            }
            live = next;
            if (cycle == 1 || cycle == cycles) {
                settle();
                System.out.println("threads." + cycle + "=" + workerThreads());
                System.out.println("mapped." + cycle + "=" + mappedCopies());
            }
        }
        if (live == null) throw new AssertionError("no cycle ran");
    }

    private static URLClassLoader loadAndUse(URL[] urls, long[] values) throws Exception {
        URLClassLoader loader = new URLClassLoader(urls, ClassLoader.getPlatformClassLoader());
        Class<?> hotpath = Class.forName("dev.hotpath.Hotpath", true, loader);
        Class<?> backend = Class.forName("dev.hotpath.Backend", true, loader);
        Object nativeBackend = backend.getField("NATIVE").get(null);
        hotpath.getMethod("setBackend", backend).invoke(null, nativeBackend);
        Class<?> numeric = Class.forName("dev.hotpath.Numeric", true, loader);
        // Large enough to go parallel, so the pool's threads exist.
        long sum = (Long) numeric.getMethod("sum", long[].class).invoke(null, (Object) values);
        long n = values.length;
        if (sum != n * (n - 1) / 2) throw new AssertionError("wrong sum " + sum);
        return loader;
    }

    private static void awaitCollected(WeakReference<ClassLoader> ref) throws InterruptedException {
        for (int i = 0; i < 200 && ref.get() != null; i++) {
            System.gc();
            Thread.sleep(10);
        }
        if (ref.get() != null) throw new AssertionError("the dropped class loader was never collected");
    }

    /** The JDK unloads a collected loader's libraries on a cleaner thread; give it time. */
    private static void settle() throws InterruptedException {
        long last = -1;
        for (int i = 0; i < 100; i++) {
            System.gc();
            Thread.sleep(20);
            long now = workerThreads() * 1000L + mappedCopies();
            if (now == last && i > 10) return;
            last = now;
        }
    }

    /** Threads named by hotpath's pool: rayon workers are native threads the JVM does not list. */
    private static long workerThreads() {
        try (Stream<Path> tasks = Files.list(Paths.get("/proc/self/task"))) {
            return tasks.filter(t -> {
                try {
                    return Files.readString(t.resolve("comm")).startsWith("hotpath-worker");
                } catch (IOException gone) {
                    return false;
                }
            }).count();
        } catch (IOException e) {
            throw new AssertionError(e);
        }
    }

    /**
     * Copies of the library mapped into this process: each load maps its file's first page
     * once (offset 0), whether or not several loads share one file name.
     */
    private static long mappedCopies() {
        try (Stream<String> lines = Files.lines(Paths.get("/proc/self/maps"))) {
            return lines.map(l -> l.split("\\s+"))
                .filter(f -> f.length >= 6 && f[5].contains("hotpath_jni") && f[2].matches("0+"))
                .count();
        } catch (IOException e) {
            throw new AssertionError(e);
        }
    }
}
