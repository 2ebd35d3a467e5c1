package dev.hotpath.examples;

import dev.hotpath.Backend;
import dev.hotpath.Hotpath;
import dev.hotpath.Numeric;
import dev.hotpath.Stats;
import java.util.Locale;
import java.util.SplittableRandom;
import java.util.function.LongSupplier;

/**
 * Runs each Numeric kernel on both backends and prints the median time per call, with a plain
 * Java loop beside the long sum as the baseline a reader would write. A quick look, not a
 * benchmark: the evidence suite under bench/ measures with JMH.
 *
 * <p>Arguments: [elements] (default 1,048,576) [rounds] (default 15).
 */
public final class NumericTimings {
    private NumericTimings() {}

    public static void main(String[] args) {
        int n = args.length > 0 ? Integer.parseInt(args[0]) : 1 << 20;
        int rounds = args.length > 1 ? Integer.parseInt(args[1]) : 15;
        System.out.println(Hotpath.diagnostics());
        if (!Hotpath.isNativeAvailable()) {
            System.out.println("native library unavailable; timing the JVM backend only");
        }

        SplittableRandom random = new SplittableRandom(42);
        long[] longs = random.longs(n).toArray();
        double[] doubles = random.doubles(n, -1e6, 1e6).toArray();
        long[] scratchLongs = longs.clone();
        double[] scratchDoubles = doubles.clone();

        System.out.printf(Locale.ROOT, "%-22s %14s %14s %9s%n", "kernel (" + n + " elements)", "jvm", "native", "speedup");
        row("plain Java loop sum", rounds, () -> plainSum(longs), null);
        row("sum(long[])", rounds, () -> Numeric.sum(longs), () -> Numeric.sum(longs));
        row("sum(double[])", rounds, () -> (long) Numeric.sum(doubles), () -> (long) Numeric.sum(doubles));
        row("sumExact(double[])", rounds, () -> (long) Numeric.sumExact(doubles), () -> (long) Numeric.sumExact(doubles));
        row("stats(double[])", rounds, () -> statsCount(doubles), () -> statsCount(doubles));
        row("scale(long[], 3)", rounds, () -> scaleLongs(scratchLongs), () -> scaleLongs(scratchLongs));
        row("scale(double[], 0.5)", rounds, () -> scaleDoubles(scratchDoubles), () -> scaleDoubles(scratchDoubles));

        Hotpath.setBackend(Backend.AUTO);
        Stats stats = Numeric.stats(doubles);
        System.out.println();
        System.out.println("stats: " + stats);
        System.out.println("sum(long[]) = " + Numeric.sum(longs) + ", plain loop = " + plainSum(longs));
    }

    private static long plainSum(long[] values) {
        long s = 0;
        for (long v : values) {
            s += v;
        }
        return s;
    }

    private static long statsCount(double[] values) {
        return Numeric.stats(values).getCount();
    }

    private static long scaleLongs(long[] values) {
        Numeric.scale(values, 3L);
        return values[0];
    }

    private static long scaleDoubles(double[] values) {
        Numeric.scale(values, 0.5);
        return (long) values[0];
    }

    private static void row(String name, int rounds, LongSupplier jvm, LongSupplier nativeCall) {
        Hotpath.setBackend(Backend.JVM);
        double jvmNanos = medianNanos(jvm, rounds);
        String nativeText = "-";
        String speedup = "-";
        if (nativeCall != null && Hotpath.isNativeAvailable()) {
            Hotpath.setBackend(Backend.NATIVE);
            double nativeNanos = medianNanos(nativeCall, rounds);
            nativeText = format(nativeNanos);
            speedup = String.format(Locale.ROOT, "%.2fx", jvmNanos / nativeNanos);
        }
        System.out.printf(Locale.ROOT, "%-22s %14s %14s %9s%n", name, format(jvmNanos), nativeText, speedup);
    }

    private static String format(double nanos) {
        return nanos >= 1e6
                ? String.format(Locale.ROOT, "%.3f ms", nanos / 1e6)
                : String.format(Locale.ROOT, "%.1f us", nanos / 1e3);
    }

    static long sink;

    private static double medianNanos(LongSupplier call, int rounds) {
        for (int i = 0; i < 5; i++) {
            sink += call.getAsLong();
        }
        long[] times = new long[rounds];
        for (int r = 0; r < rounds; r++) {
            long t0 = System.nanoTime();
            sink += call.getAsLong();
            times[r] = System.nanoTime() - t0;
        }
        java.util.Arrays.sort(times);
        return times[rounds / 2];
    }
}
