package dev.hotpath.bench.report;

import java.io.IOException;
import java.util.List;
import java.util.TreeSet;
import java.util.stream.Collectors;

import static dev.hotpath.bench.report.Report.*;

/** "## AUTO against the faster backend": AUTO's time over the faster backend's, and why where it is behind. */
final class AutoSection extends Section {
    AutoSection(ReportContext c) {
        super(c);
    }

    @Override
    void write() throws IOException {
        auto(sweeps);
    }

    private void auto(List<Sweep> sweeps) {
        md.append("## AUTO against the faster backend\n\nAUTO's time / min(native, jvm) at each measured size; "
                + "the goal is at most 1.10x everywhere.\n\n");
        List<Sweep> measured = sweeps.stream().filter(s -> s.times.containsKey("auto")).collect(Collectors.toList());
        if (measured.isEmpty()) {
            md.append("AUTO was not measured.\n\n");
            return;
        }
        TreeSet<Long> all = new TreeSet<>();
        measured.forEach(s -> all.addAll(s.sizes()));
        md.append("| kernel | threshold used |");
        all.forEach(size -> md.append(" ").append(size(size)).append(" |"));
        md.append("\n|---|---|").append("---|".repeat(all.size())).append("\n");
        int noise = 0;
        int wrongSide = 0;
        for (Sweep s : measured) {
            String threshold = machine.getProperty("threshold." + s.key(), machine.getProperty("threshold.default"));
            md.append("| ").append(s.key()).append(" | ").append(threshold == null ? "?" : threshold).append(" |");
            for (long size : all) {
                Double r = s.sizes().contains(size) ? s.autoRatio(size) : null;
                if (r == null) {
                    md.append(" - |");
                    continue;
                }
                String cell = x(r);
                if (r > Sweep.AUTO_TOLERANCE) {
                    cell = "**" + cell + "**";
                    if (threshold != null) {
                        boolean autoNative = size >= Long.parseLong(threshold.trim());
                        boolean nativeFaster = s.time("native", size) < s.time("jvm", size);
                        if (autoNative == nativeFaster) {
                            cell += " (same backend: noise)";
                            noise++;
                        } else {
                            cell += " (threshold on the wrong side)";
                            wrongSide++;
                        }
                    }
                }
                md.append(" ").append(cell).append(" |");
            }
            md.append("\n");
        }
        md.append("\n").append(wrongSide).append(" cell(s) more than 10% behind because the threshold sent AUTO to the "
                + "slower backend; ").append(noise).append(" more than 10% behind although AUTO ran the same backend as "
                + "the faster one (its only extra work is one comparison), which is measurement noise between "
                + "forks: re-run with `--full` to tell them apart.\n");
        md.append("\nBold: more than 10% behind. AUTO runs with the thresholds compiled into the measured jar "
                + "(`kotlin/src/main/resources/dev/hotpath/thresholds.properties`); `./bench/run --calibrate` "
                + "rewrites them from a fresh sweep's crossovers.\n\n");
    }
}
