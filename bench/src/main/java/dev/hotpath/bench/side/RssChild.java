package dev.hotpath.bench.side;

import dev.hotpath.Backend;
import dev.hotpath.Hotpath;
import dev.hotpath.Numeric;
import dev.hotpath.Stats;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Paths;

/**
 * Runs in a fresh JVM started by {@link SideMeasurements}: the same large job on one backend
 * (sum, stats and scale of 16 Mi-element arrays, 10 rounds), then prints its peak resident set
 * ({@code VmHWM} from /proc/self/status) as {@code vmhwm_kib <n> check <value>}. Backends:
 * {@code native}, {@code jvm} (hotpath's twin) and {@code loop} (plain Java loops, no hotpath).
 */
public final class RssChild {
    private RssChild() {
    }

    public static void main(String[] args) throws IOException {
        String backend = args[0];
        int size = Integer.parseInt(args[1]);
        long[] longs = new long[size];
        double[] doubles = new double[size];
        for (int i = 0; i < size; i++) {
            longs[i] = i * 31L;
            doubles[i] = i * 0.5;
        }
        if (!backend.equals("loop")) {
            Hotpath.setBackend(backend.equals("native") ? Backend.NATIVE : Backend.JVM);
        }
        double check = 0;
        for (int round = 0; round < 10; round++) {
            if (backend.equals("loop")) {
                long s = 0;
                for (long v : longs) {
                    s += v;
                }
                double d = 0;
                double dd = 0;
                for (double v : doubles) {
                    d += v;
                    dd += v * v;
                }
                for (int i = 0; i < size; i++) {
                    longs[i] *= -1L;
                }
                check += s + d + dd;
            } else {
                long s = Numeric.sum(longs);
                Stats st = Numeric.stats(doubles);
                Numeric.scale(longs, -1L);
                check += s + st.getMean() + st.getVariance();
            }
        }
        long hwm = 0;
        for (String line : Files.readAllLines(Paths.get("/proc/self/status"))) {
            if (line.startsWith("VmHWM:")) {
                hwm = Long.parseLong(line.replaceAll("[^0-9]", ""));
            }
        }
        System.out.println("vmhwm_kib " + hwm + " check " + check);
    }
}
