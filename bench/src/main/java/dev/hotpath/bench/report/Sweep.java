package dev.hotpath.bench.report;

import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.TreeSet;

/**
 * One kernel's size sweep on one JDK: the time of every implementation at every size, and what
 * follows from it: the crossover, the verdict, where native loses, and how close AUTO stays to
 * the faster backend.
 */
public final class Sweep {
    /** AUTO may be at most this much slower than the faster of native and jvm. */
    public static final double AUTO_TOLERANCE = 1.10;

    public final String family;
    public final String kernel;
    public final String unit;
    /** implementation -> size -> score (time per call: lower is better). */
    public final Map<String, TreeMap<Long, Double>> times = new LinkedHashMap<>();

    Sweep(String family, String kernel, String unit) {
        this.family = family;
        this.kernel = kernel;
        this.unit = unit;
    }

    /** The kernel's key in thresholds.properties. */
    public String key() {
        return family + "." + kernel;
    }

    /**
     * The sweeps in {@code rows}: time-per-call rows of any family with native and jvm measured at
     * one size or more (a single-call kernel such as {@code Ed25519.verify} has just one).
     */
    public static List<Sweep> of(List<Row> rows, String jdk) {
        Map<String, Sweep> sweeps = new LinkedHashMap<>();
        for (Row r : rows) {
            if (!r.jdk().equals(jdk) || !r.unit().endsWith("/op") || Report.SPECIAL_FAMILIES.contains(r.family())) {
                continue;
            }
            Sweep s = sweeps.computeIfAbsent(r.family() + "\u0000" + r.kernel(), k -> new Sweep(r.family(), r.kernel(), r.unit()));
            s.times.computeIfAbsent(r.implementation(), k -> new TreeMap<>()).put(r.size(), r.score());
        }
        List<Sweep> out = new ArrayList<>();
        for (Sweep s : sweeps.values()) {
            if (s.times.containsKey("native") && s.times.containsKey("jvm") && !s.sizes().isEmpty()) {
                out.add(s.ordered());
            }
        }
        return out;
    }

    /** The same sweep with native, jvm and auto first, then the alternatives by name. */
    private Sweep ordered() {
        Sweep o = new Sweep(family, kernel, unit);
        for (String first : List.of("native", "jvm", "auto")) {
            if (times.containsKey(first)) {
                o.times.put(first, times.get(first));
            }
        }
        new TreeMap<>(times).forEach(o.times::putIfAbsent);
        return o;
    }

    /** Sizes where both native and jvm were measured, ascending. */
    public List<Long> sizes() {
        TreeSet<Long> sizes = new TreeSet<>(times.getOrDefault("native", new TreeMap<>()).keySet());
        sizes.retainAll(times.getOrDefault("jvm", new TreeMap<>()).keySet());
        return new ArrayList<>(sizes);
    }

    public Double time(String implementation, long size) {
        TreeMap<Long, Double> t = times.get(implementation);
        return t == null ? null : t.get(size);
    }

    /** jvm time / native time: above 1, native is faster. */
    public double speedup(long size) {
        return time("jvm", size) / time("native", size);
    }

    /** The smallest size from which native stays faster than jvm at every larger size; null if never. */
    public Long crossover() {
        List<Long> sizes = sizes();
        Long crossover = null;
        for (int i = sizes.size() - 1; i >= 0; i--) {
            if (speedup(sizes.get(i)) > 1.0) {
                crossover = sizes.get(i);
            } else {
                break;
            }
        }
        return crossover;
    }

    public long largest() {
        List<Long> sizes = sizes();
        return sizes.get(sizes.size() - 1);
    }

    /**
     * "native wins from N", "native never wins" or "native always wins", with the speedup at the
     * largest size when native loses there; a single-call kernel (one size) wins or loses.
     */
    public String verdict() {
        Long c = crossover();
        List<Long> sizes = sizes();
        double last = speedup(largest());
        if (sizes.size() == 1) {
            return (last > 1.0 ? "native wins (" : "native loses (") + Report.x(last) + ")";
        }
        if (c == null) {
            return last >= 0.95 ? "native never wins (ties at " + Report.size(largest()) + ": " + Report.x(last) + ")"
                    : "native never wins (" + Report.x(last) + " at " + Report.size(largest()) + ")";
        } else if (c.equals(sizes.get(0))) {
            return "native always wins (from " + Report.size(c) + ")";
        }
        return "native wins from " + Report.size(c);
    }

    /** The fastest implementation that is not hotpath (jvm twin included) at {@code size}, or null. */
    public Map.Entry<String, Double> bestAlternative(long size) {
        Map.Entry<String, Double> best = null;
        for (Map.Entry<String, TreeMap<Long, Double>> e : times.entrySet()) {
            if (e.getKey().equals("native") || e.getKey().equals("auto")) {
                continue;
            }
            Double t = e.getValue().get(size);
            if (t != null && (best == null || t < best.getValue())) {
                best = Map.entry(e.getKey(), t);
            }
        }
        return best;
    }

    /** AUTO's time over the faster backend's at {@code size}, or null if AUTO was not measured. */
    public Double autoRatio(long size) {
        Double auto = time("auto", size);
        if (auto == null) {
            return null;
        }
        return auto / Math.min(time("native", size), time("jvm", size));
    }

    /** The worst AUTO ratio over the sweep, or null. */
    public Double worstAutoRatio() {
        Double worst = null;
        for (long size : sizes()) {
            Double r = autoRatio(size);
            if (r != null && (worst == null || r > worst)) {
                worst = r;
            }
        }
        return worst;
    }

    /** Implementations other than native, jvm and auto, in the order measured. */
    public List<String> alternatives() {
        List<String> alts = new ArrayList<>(times.keySet());
        alts.removeAll(List.of("native", "jvm", "auto"));
        return Collections.unmodifiableList(alts);
    }
}
