package dev.hotpath.bench.side;

import dev.hotpath.Backend;
import dev.hotpath.Metric;
import dev.hotpath.Precision;
import dev.hotpath.TopK;
import dev.hotpath.VectorIndex;
import dev.hotpath.bench.VectorInputs;
import dev.hotpath.bench.report.ResultsCsv;
import dev.hotpath.bench.report.Row;
import java.io.IOException;
import java.nio.file.Paths;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * INT8 recall@10 on VectorBenchmark's data: for each collection size and dimension, the share of
 * exact F32 top-10 ids (the native F32 index, DOT) that the INT8 index also returns, over the
 * first {@code queries} benchmark queries. Writes rows of family {@code vectors}, kernel
 * {@code recall@10/dimension=D}, implementation {@code nativeInt8}, unit {@code recall}.
 *
 * <pre>VectorRecall out.csv sizes dimensions queries   (e.g. out.csv 10000,100000 384,1024 100)</pre>
 */
public final class VectorRecall {
    private static final int K = 10;
    private static final int CHUNK = 8192;

    private VectorRecall() {
    }

    public static void main(String[] args) throws IOException {
        int[] sizes = Arrays.stream(args[1].split(",")).mapToInt(Integer::parseInt).toArray();
        int[] dimensions = Arrays.stream(args[2].split(",")).mapToInt(Integer::parseInt).toArray();
        int queries = Integer.parseInt(args[3]);
        String jdk = Integer.toString(Runtime.version().feature());
        List<Row> rows = new ArrayList<>();
        for (int d : dimensions) {
            VectorInputs inputs = new VectorInputs(d);
            float[] q = inputs.queries(queries);
            for (int n : sizes) {
                TopK[] exact = search(inputs, n, d, Precision.F32, q, queries);
                TopK[] int8 = search(inputs, n, d, Precision.INT8, q, queries);
                long found = 0;
                long wanted = 0;
                for (int i = 0; i < queries; i++) {
                    int[] want = exact[i].getIds();
                    int[] got = int8[i].getIds();
                    wanted += want.length;
                    found += Arrays.stream(got).filter(id -> Arrays.stream(want).anyMatch(w -> w == id)).count();
                }
                double recall = (double) found / wanted;
                System.out.printf("recall@10 INT8 vs F32: %d x %d, %d queries: %.4f%n", n, d, queries, recall);
                rows.add(new Row("vectors", "recall@10/dimension=" + d, n, "nativeInt8", 1, recall, Double.NaN, "recall", jdk));
            }
        }
        ResultsCsv.write(Paths.get(args[0]), rows);
    }

    private static TopK[] search(VectorInputs inputs, int n, int d, Precision precision, float[] q, int count) {
        try (VectorIndex index = VectorIndex.create(d, Metric.DOT, precision, Backend.NATIVE)) {
            float[] chunk = new float[CHUNK * d];
            for (int first = 0; first < n; first += CHUNK) {
                int c = Math.min(CHUNK, n - first);
                inputs.collection(first, c, chunk);
                index.addAll(chunk, c);
            }
            return index.searchBatch(q, count, K);
        }
    }
}
