package dev.hotpath.bench.report;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import static dev.hotpath.bench.report.Report.*;

/** "## Size sweep": time per call of every implementation at every size. */
final class SizeSweepSection extends Section {
    SizeSweepSection(ReportContext c) {
        super(c);
    }

    @Override
    void write() throws IOException {
        sweepTables(sweeps, out);
    }

    private void sweepTables(List<Sweep> sweeps, Path out) throws IOException {
        md.append("## Size sweep\n\nTime per call (lower is better); the fastest in bold.");
        if (sweeps.stream().anyMatch(s -> s.times.containsKey("vectorIncubator"))) {
            md.append(" `vectorIncubator` uses the JDK's incubator module `jdk.incubator.vector`, forked with "
                    + "`--add-modules jdk.incubator.vector`: not a supported API on JDK ").append(jdk).append(".");
        }
        if (sweeps.stream().anyMatch(s -> s.family.startsWith("crypto"))) {
            md.append(" Crypto alternatives: `jdk` is the JDK's own `MessageDigest(\"SHA-256\")` (HotSpot's SHA-NI "
                    + "intrinsic where the CPU has it, so one SHA-256 message is not expected to gain from native code) "
                    + "or `Signature(\"Ed25519\")`; `bouncyCastle` is BouncyCastle's `Blake3Digest`, `SHA256Digest` or "
                    + "`Ed25519Signer`, in a loop for batches. hotpath's SHA-256 and Merkle twins are that same "
                    + "`MessageDigest`.");
        }
        md.append("\n\n");
        for (Sweep s : sweeps) {
            md.append("### ").append(s.key()).append("\n\n| size |");
            List<String> impls = new ArrayList<>(s.times.keySet());
            impls.forEach(i -> md.append(" ").append(label(i)).append(" |"));
            md.append("\n|---|").append("---|".repeat(impls.size())).append("\n");
            for (long size : s.sizes()) {
                md.append("| ").append(size(size)).append(" |");
                Map.Entry<String, Double> fastest = null;
                for (String i : impls) {
                    Double t = s.time(i, size);
                    if (t != null && (fastest == null || t < fastest.getValue())) {
                        fastest = Map.entry(i, t);
                    }
                }
                for (String i : impls) {
                    Double t = s.time(i, size);
                    boolean top = fastest != null && fastest.getKey().equals(i);
                    md.append(" ").append(t == null ? "-" : (top ? "**" : "") + time(t, s.unit) + (top ? "**" : ""))
                            .append(" |");
                }
                md.append("\n");
            }
            md.append("\n");
            if (s.times.size() > 3 && s.largest() > 0) {
                String name = "implementations-" + s.key().replace('.', '-') + ".png";
                Charts.implementations(out.resolve(name), s, jdk);
                addPlot(name, s.key() + ": every implementation, time per element against size");
            }
        }
    }
}
