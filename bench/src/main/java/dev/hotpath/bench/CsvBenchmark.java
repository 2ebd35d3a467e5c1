package dev.hotpath.bench;

import dev.hotpath.Csv;
import dev.hotpath.CsvOptions;
import dev.hotpath.Table;
import dev.hotpath.jvm.CsvReference;
import java.nio.charset.StandardCharsets;
import java.util.SplittableRandom;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;

/**
 * The Csv family: {@code Csv.read(byte[])} of generated, seeded inputs of about {@code bytes}
 * bytes, {@code numeric} (4 LONG and 4 DOUBLE columns), {@code mixed} (those plus 2 STRING
 * columns, a fifth of their fields quoted with delimiters and line ends inside) and
 * {@code quoted} (every field quoted), on {@code native} (hotpath, {@code Backend.NATIVE}: chunks
 * of 1 MiB in parallel on hotpath's pool), {@code jvm} (the twin {@code CsvReference} called
 * directly, sequential) and {@code auto}.
 *
 * <p>Measures the average time of one whole read into typed columns. Fair because every
 * implementation reads the same bytes (generated once per fork, outside the measurement), infers
 * the same types and returns the same table to JMH. The pure-JVM pipelines a user would pick
 * (FastCSV with FastDoubleParser, Jackson CSV, univocity, commons-csv) are the next step
 * (issue 13); this first version measures hotpath's two backends.
 */
@Family("csv")
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Warmup(iterations = 2, time = 1, timeUnit = TimeUnit.SECONDS)
@Measurement(iterations = 3, time = 1, timeUnit = TimeUnit.SECONDS)
@Fork(1)
public class CsvBenchmark {
    /** A generated input. */
    @State(Scope.Benchmark)
    public static class Input {
        @Param({"65536", "1048576", "16777216"})
        public int bytes;

        @Param({"numeric", "mixed", "quoted"})
        public String shape;

        public byte[] data;

        @Setup
        public void generate() {
            Backends.requireNative();
            data = generate(shape, bytes, 20261202L);
            Table native_ = Csv.read(data, CsvOptions.defaults());
            if (!native_.equals(CsvReference.read(data, CsvOptions.defaults()))) {
                throw new IllegalStateException("the backends disagree on the benchmark's input");
            }
        }

        static byte[] generate(String shape, int size, long seed) {
            SplittableRandom random = new SplittableRandom(seed);
            StringBuilder sb = new StringBuilder(size + 256);
            boolean strings = !shape.equals("numeric");
            boolean quoteAll = shape.equals("quoted");
            sb.append("l1,l2,l3,l4,d1,d2,d3,d4").append(strings ? ",s1,s2\n" : "\n");
            while (sb.length() < size) {
                for (int c = 0; c < 4; c++) {
                    field(sb, Long.toString(random.nextLong(-1_000_000_000L, 1_000_000_000L)), quoteAll, c == 0);
                }
                for (int c = 0; c < 4; c++) {
                    field(sb, Double.toString(random.nextDouble(-1e6, 1e6)), quoteAll, false);
                }
                if (strings) {
                    for (int c = 0; c < 2; c++) {
                        boolean awkward = random.nextInt(5) == 0;
                        String text = awkward ? "name, with \"quotes\"\nand a line end " + random.nextInt(1000) : "name" + random.nextInt(100_000);
                        field(sb, text, quoteAll || awkward, false);
                    }
                }
                sb.append('\n');
            }
            return sb.toString().getBytes(StandardCharsets.UTF_8);
        }

        private static void field(StringBuilder sb, String text, boolean quoted, boolean first) {
            if (!first) {
                sb.append(',');
            }
            if (quoted) {
                sb.append('"').append(text.replace("\"", "\"\"")).append('"');
            } else {
                sb.append(text);
            }
        }
    }

    @Benchmark @Kernel("read")
    public Table read_native(Input in, Backends.Native backend) {
        return Csv.read(in.data, CsvOptions.defaults());
    }

    @Benchmark @Kernel("read")
    public Table read_jvm(Input in) {
        return CsvReference.read(in.data, CsvOptions.defaults());
    }

    @Benchmark @Kernel("read")
    public Table read_auto(Input in, Backends.Auto backend) {
        return Csv.read(in.data, CsvOptions.defaults());
    }
}
