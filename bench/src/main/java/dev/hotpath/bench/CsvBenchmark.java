package dev.hotpath.bench;

import com.fasterxml.jackson.dataformat.csv.CsvSchema;
import dev.hotpath.ColumnType;
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
 * The Csv family: one whole read of a {@code byte[]} into typed columns, of generated, seeded
 * inputs of about {@code bytes} bytes: {@code numeric} (4 LONG and 4 DOUBLE columns),
 * {@code mixed} (those plus 2 STRING columns, a fifth of their fields quoted with delimiters and
 * line ends inside) and {@code quoted} (every field quoted).
 *
 * <p>hotpath: {@code native} ({@code Backend.NATIVE}, types inferred: chunks of 1 MiB in parallel
 * on hotpath's pool), {@code nativeTyped} (the schema given, as the JVM libraries below are given
 * it), {@code nativeOneThread} (inferred, in a fork with {@code hotpath.threads=1}: the thread
 * scaling), {@code jvm} (the twin {@code CsvReference} called directly, sequential) and
 * {@code auto}. The JVM libraries a user would pick, each filling {@code long[]}, {@code double[]}
 * and {@code String[]} columns ({@link CsvPipelines} says how each is used): {@code fastcsv}
 * (FastCSV with FastDoubleParser), {@code jackson}, {@code univocity}, {@code commonsCsv}.
 *
 * <p>Fair because every implementation reads the same bytes (generated once per fork, outside the
 * measurement) into the same values (the setup checks each against hotpath's table) and returns
 * them to JMH. {@code bench/run} runs this class with {@code -prof gc}, so the report also has the
 * bytes each read allocates on the Java heap.
 */
@Family("csv")
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Warmup(iterations = 2, time = 1, timeUnit = TimeUnit.SECONDS)
@Measurement(iterations = 3, time = 1, timeUnit = TimeUnit.SECONDS)
@Fork(1)
public class CsvBenchmark {
    /** The JVM readers' first column capacity: they do not know the row count, and grow by doubling. */
    static final int ROWS_GUESS = 1024;

    /** A generated input. */
    @State(Scope.Benchmark)
    public static class Input {
        @Param({"65536", "1048576", "16777216"})
        public int bytes;

        @Param({"numeric", "mixed", "quoted"})
        public String shape;

        public byte[] data;
        /** The STRING columns of this shape (none in numeric). */
        public int strings;
        /** The schema, for the readers that are given it. */
        public CsvOptions typed;
        public CsvSchema jacksonSchema;

        @Setup
        public void generate() {
            Backends.requireNative();
            data = generate(shape, bytes, 20261202L);
            strings = shape.equals("numeric") ? 0 : 2;
            CsvOptions.Builder schema = CsvOptions.builder();
            for (int c = 0; c < CsvPipelines.LONGS; c++) {
                schema.column("l" + (c + 1), ColumnType.LONG);
            }
            for (int c = 0; c < CsvPipelines.DOUBLES; c++) {
                schema.column("d" + (c + 1), ColumnType.DOUBLE);
            }
            for (int c = 0; c < strings; c++) {
                schema.column("s" + (c + 1), ColumnType.STRING);
            }
            typed = schema.build();
            jacksonSchema = CsvPipelines.jacksonSchema(strings);
            Table native_ = Csv.read(data, CsvOptions.defaults());
            if (!native_.equals(CsvReference.read(data, CsvOptions.defaults()))) {
                throw new IllegalStateException("the backends disagree on the benchmark's input");
            }
            if (!native_.equals(Csv.read(data, typed))) {
                throw new IllegalStateException("the typed read differs from the inferred one");
            }
            CsvPipelines.fastCsv(data, strings, ROWS_GUESS).requireEqual(native_, "FastCSV");
            CsvPipelines.jackson(data, jacksonSchema, strings, ROWS_GUESS).requireEqual(native_, "Jackson");
            CsvPipelines.univocity(data, strings, ROWS_GUESS).requireEqual(native_, "univocity");
            CsvPipelines.commonsCsv(data, strings, ROWS_GUESS).requireEqual(native_, "commons-csv");
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
    public Table read_nativeTyped(Input in, Backends.Native backend) {
        return Csv.read(in.data, in.typed);
    }

    @Benchmark @Kernel("read") @Fork(jvmArgsAppend = "-Dhotpath.threads=1")
    public Table read_nativeOneThread(Input in, Backends.Native backend) {
        return Csv.read(in.data, CsvOptions.defaults());
    }

    @Benchmark @Kernel("read")
    public CsvPipelines.Columns read_fastcsv(Input in) {
        return CsvPipelines.fastCsv(in.data, in.strings, ROWS_GUESS);
    }

    @Benchmark @Kernel("read")
    public CsvPipelines.Columns read_jackson(Input in) {
        return CsvPipelines.jackson(in.data, in.jacksonSchema, in.strings, ROWS_GUESS);
    }

    @Benchmark @Kernel("read")
    public CsvPipelines.Columns read_univocity(Input in) {
        return CsvPipelines.univocity(in.data, in.strings, ROWS_GUESS);
    }

    @Benchmark @Kernel("read")
    public CsvPipelines.Columns read_commonsCsv(Input in) {
        return CsvPipelines.commonsCsv(in.data, in.strings, ROWS_GUESS);
    }

    @Benchmark @Kernel("read")
    public Table read_auto(Input in, Backends.Auto backend) {
        return Csv.read(in.data, CsvOptions.defaults());
    }
}
