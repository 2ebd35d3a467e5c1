package dev.hotpath.bench.report;

import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import static dev.hotpath.bench.report.Report.*;

/** "## Where native loses": every size at which native is slower than the twin or a plain JVM alternative. */
final class LossesSection extends Section {
    LossesSection(ReportContext c) {
        super(c);
    }

    @Override
    void write() throws IOException {
        losses(sweeps);
    }

    private void losses(List<Sweep> sweeps) {
        md.append("## Where native loses\n\n");
        boolean any = false;
        for (Sweep s : sweeps) {
            List<String> twin = new ArrayList<>();
            List<String> alt = new ArrayList<>();
            for (long size : s.sizes()) {
                double nat = s.time("native", size);
                if (s.speedup(size) < 1.0) {
                    twin.add(size(size) + " (" + x(s.speedup(size)) + ")");
                }
                Map.Entry<String, Double> best = s.bestAlternative(size);
                if (best != null && !best.getKey().equals("jvm") && best.getValue() < nat) {
                    alt.add(size(size) + " to " + label(best.getKey()) + " (" + x(best.getValue() / nat) + ")");
                }
            }
            if (!twin.isEmpty() || !alt.isEmpty()) {
                any = true;
                md.append("- **").append(s.key()).append("**: ");
                if (!twin.isEmpty()) {
                    md.append("slower than hotpath's own JVM twin at ").append(String.join(", ", twin));
                }
                if (!alt.isEmpty()) {
                    md.append(twin.isEmpty() ? "" : "; ").append("slower than a plain JVM alternative at ")
                            .append(String.join(", ", alt));
                }
                md.append(".\n");
            }
        }
        if (!any) {
            md.append("Nowhere in this sweep.\n");
        }
        md.append("\nBelow its crossover AUTO stays on the JVM twin, so a caller on the default backend pays "
                + "the losses against the twin only where the threshold is wrong. Losses to plain loops "
                + "or streams are losses of hotpath as a whole (at those sizes, use the JVM code a user "
                + "would write anyway); note that plain double loops and streams do not compute the same "
                + "sum as hotpath's block-pairwise contract.\n\n");
    }
}
