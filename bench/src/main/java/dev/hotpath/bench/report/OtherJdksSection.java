package dev.hotpath.bench.report;

import java.io.IOException;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Collectors;

import static dev.hotpath.bench.report.Report.*;

/** "## Other JDKs": the sweeps measured on JDKs other than the main one, beside it. */
final class OtherJdksSection extends Section {
    OtherJdksSection(ReportContext c) {
        super(c);
    }

    @Override
    void write() throws IOException {
        otherJdks();
    }

    private void otherJdks() {
        md.append("## Other JDKs\n\n");
        Set<String> others = rows.stream().filter(r -> !SPECIAL_FAMILIES.contains(r.family())).map(Row::jdk).filter(j -> !j.equals(jdk)).collect(Collectors.toCollection(TreeSet::new));
        if (others.isEmpty()) {
            md.append("Only JDK ").append(jdk).append(" was measured (`./bench/run --jdk25` adds the Temurin 25 sweep).\n\n");
            return;
        }
        List<Sweep> main = Sweep.of(rows, jdk);
        for (String other : others) {
            md.append("### JDK ").append(other).append(" beside JDK ").append(jdk).append("\n\n");
            md.append("| kernel | size | native JDK ").append(other).append(" | jvm JDK ").append(other)
                    .append(" | speedup JDK ").append(other).append(" | speedup JDK ").append(jdk).append(" |\n|---|---|---|---|---|---|\n");
            for (Sweep s : Sweep.of(rows, other)) {
                Sweep base = main.stream().filter(b -> b.key().equals(s.key())).findFirst().orElse(null);
                for (long size : s.sizes()) {
                    md.append("| ").append(s.key()).append(" | ").append(size(size)).append(" | ")
                            .append(time(s.time("native", size), s.unit)).append(" | ")
                            .append(time(s.time("jvm", size), s.unit)).append(" | ").append(x(s.speedup(size))).append(" | ")
                            .append(base != null && base.sizes().contains(size) ? x(base.speedup(size)) : "-").append(" |\n");
                }
            }
            md.append("\n");
        }
    }
}
