package dev.hotpath.bench.report;

import java.io.IOException;
import java.util.List;
import java.util.Map;

import static dev.hotpath.bench.report.Report.*;

/** "## Verdict per kernel": one line per size sweep (also the README's headline table). */
final class VerdictSection extends Section {
    VerdictSection(ReportContext c) {
        super(c);
    }

    @Override
    void write() throws IOException {
        verdicts(sweeps);
    }

    private void verdicts(List<Sweep> sweeps) {
        md.append("## Verdict per kernel\n\n");
        md.append(verdictTable(sweeps));
        md.append("\nspeedup = the other side's time / native's time: above 1x native is faster, below 1x it is slower.\n\n");
    }

    static String verdictTable(List<Sweep> sweeps) {
        if (sweeps.isEmpty()) {
            return "No size sweep was measured.\n";
        }
        StringBuilder t = new StringBuilder();
        t.append("| kernel | verdict | crossover | native vs JVM twin at the largest size | native vs best JVM alternative there | AUTO worst vs faster backend |\n");
        t.append("|---|---|---|---|---|---|\n");
        for (Sweep s : sweeps) {
            long largest = s.largest();
            Map.Entry<String, Double> best = s.bestAlternative(largest);
            Long c = s.crossover();
            Double worst = s.worstAutoRatio();
            t.append("| ").append(s.key()).append(" | ").append(s.verdict()).append(" | ")
                    .append(c == null ? "none" : size(c)).append(" | ")
                    .append(x(s.speedup(largest))).append(" at ").append(size(largest)).append(" | ")
                    .append(best == null ? "-" : x(best.getValue() / s.time("native", largest)) + " vs " + label(best.getKey()))
                    .append(" | ").append(worst == null ? "-" : x(worst) + (worst <= Sweep.AUTO_TOLERANCE ? "" : " (over 1.10x)"))
                    .append(" |\n");
        }
        return t.toString();
    }
}
