package dev.hotpath.bench.report;

import java.io.IOException;
import java.util.List;

import dev.hotpath.bench.Blake3Benchmark;
import dev.hotpath.bench.CallOverheadBenchmark;
import dev.hotpath.bench.Ed25519Benchmark;
import dev.hotpath.bench.LedgerBenchmark;
import dev.hotpath.bench.NumericBenchmark;
import dev.hotpath.bench.Sha256Benchmark;

import static dev.hotpath.bench.report.Report.*;

/**
 * "## Goals": the ratio goals declared beside each benchmark ({@code GOALS}, {@link RatioGoal}),
 * the call-overhead goal ({@link CallOverheadBenchmark#OVERHEAD_GOAL}) and AUTO's tolerance
 * ({@link Sweep#AUTO_TOLERANCE}), each judged from this run's rows.
 */
final class GoalsSection extends Section {
    GoalsSection(ReportContext c) {
        super(c);
    }

    @Override
    void write() throws IOException {
        goals(sweeps);
    }

    private void goals(List<Sweep> sweeps) {
        md.append("## Goals\n\nEach ratio is the slower side's time over native's, both measured in this run.\n\n"
                + "| goal | measured | verdict |\n|---|---|---|\n");
        for (List<RatioGoal> family : List.of(Ed25519Benchmark.GOALS, Blake3Benchmark.GOALS, Sha256Benchmark.GOALS,
                LedgerBenchmark.GOALS)) {
            family.forEach(g -> ratioGoal(sweeps, g));
        }
        Double raw = overheadScore("rawNoop", 0);
        Double noop = overheadScore("noop", 0);
        Double empty = overheadScore("emptySum", 0);
        double limit = CallOverheadBenchmark.OVERHEAD_GOAL;
        if (raw != null && noop != null) {
            double ratio = noop / raw;
            md.append("| hotpath's per-call overhead at most 2x a raw JNI no-op | wrapper no-op ")
                    .append(ns(noop)).append(" vs raw no-op ").append(ns(raw)).append(" = **")
                    .append(x(ratio)).append("**");
            if (empty != null) {
                md.append("; the whole public call path (`Numeric.sum(new long[0])`, NATIVE: Kotlin checks, "
                        + "dispatch, the native range check; an empty range makes no call back into the VM) ").append(ns(empty))
                        .append(" = ").append(x(empty / raw))
                        .append(empty / raw <= limit ? ", also within " + x(limit) : ", **which misses " + x(limit) + "**");
                Double rawArray = overheadScore("rawNoopArray", 0);
                if (rawArray != null) {
                    md.append(" (a raw no-op with the same signature, an array and three ints in and a long out, "
                            + "takes ").append(ns(rawArray)).append(": the public path is ").append(x(empty / rawArray))
                            .append(" of that)");
                }
            }
            md.append(" | ").append(ratio <= limit ? "met for the wrapper" : "**MISSED**")
                    .append(empty != null && empty / raw > limit ? "; **missed for the public call path**" : "")
                    .append(" |\n");
        } else {
            md.append("| per-call overhead at most 2x a raw JNI no-op | not measured | **unknown** |\n");
        }
        NumericBenchmark.GOALS.forEach(g -> ratioGoal(sweeps, g));
        Double worst = null;
        String where = "";
        for (Sweep s : sweeps) {
            for (long size : s.sizes()) {
                Double r = s.autoRatio(size);
                if (r != null && (worst == null || r > worst)) {
                    worst = r;
                    where = s.key() + " at " + size(size);
                }
            }
        }
        if (worst != null) {
            md.append("| AUTO never more than 10% behind the faster backend | worst: AUTO takes **")
                    .append(x(worst)).append("** the faster backend's time (").append(where).append(") | ")
                    .append(worst <= Sweep.AUTO_TOLERANCE ? "met" : "**MISSED**").append(" |\n");
        } else {
            md.append("| AUTO within 10% of the faster backend | AUTO not measured | **unknown** |\n");
        }
        md.append("\n");
    }

    /**
     * One goal row: the other implementation's time over native's in the goal's sweep, at its size
     * when given and measured, else at the largest size both were measured.
     */
    private void ratioGoal(List<Sweep> sweeps, RatioGoal goal) {
        String key = goal.key();
        String other = goal.other();
        Long at = goal.at();
        double target = goal.target();
        md.append("| ").append(goal.text()).append(" | ");
        Sweep s = sweeps.stream().filter(w -> w.key().equals(key) || w.key().endsWith("." + key)).findFirst().orElse(null);
        Long size = null;
        if (s != null && s.times.containsKey(other)) {
            for (long candidate : s.sizes()) {
                if (s.time(other, candidate) != null && (size == null || at == null || candidate == at)) {
                    size = candidate;
                }
            }
        }
        if (size == null) {
            md.append("not measured | **unknown** |\n");
            return;
        }
        double ratio = s.time(other, size) / s.time("native", size);
        md.append(label(other)).append(" ").append(time(s.time(other, size), s.unit)).append(", native ")
                .append(time(s.time("native", size), s.unit)).append(" at ").append(size(size))
                .append(at != null && size != at.longValue() ? " (" + size(at) + " was not measured)" : "")
                .append(" = **").append(x(ratio)).append("** | ")
                .append(ratio >= target ? "met" : "**MISSED** (" + x(target) + " wanted)").append(" |\n");
    }
}
