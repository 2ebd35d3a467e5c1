package dev.hotpath.bench;

import dev.hotpath.Backend;
import dev.hotpath.Metric;
import dev.hotpath.Precision;
import dev.hotpath.TopK;
import dev.hotpath.VectorIndex;
import dev.hotpath.bench.VectorBaselines.TopKHeap;
import java.util.Arrays;
import java.util.concurrent.TimeUnit;
import java.util.stream.IntStream;
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
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;

/**
 * The Vectors family: exact top-10 search by DOT over a seeded, clustered collection of
 * {@code size} vectors of {@code dimension} floats ({@link VectorInputs}), {@code batch} queries
 * per call. One JMH operation is one whole batch; the report divides by {@code batch} for
 * queries per second, and by the bytes of stored vectors a query scans for GB/s.
 *
 * <p>Implementations: {@code nativeF32} and {@code nativeInt8} (hotpath's native index, one
 * {@code searchBatch} call per batch, tiles shared over hotpath's pool), {@code jvm} (the
 * pure-Kotlin twin, {@code Backend.JVM}), and what a JVM service writes instead, all on a
 * {@code float[][]} with the same bounded heap ({@link VectorBaselines.TopKHeap}), one query after
 * the other, each reading the whole collection: {@code loop} (a plain Java dot product),
 * {@code lucene} (lucene-core 9.12.3 {@code VectorUtil.dotProduct}), {@code vectorIncubator}
 * ({@code jdk.incubator.vector} FMA lanes; an incubator module, forked with {@code --add-modules})
 * and {@code luceneParallel} (Lucene's loop with the batch's queries spread over the common
 * fork-join pool: what a service with two cores and a batch would do). {@code bandwidth_stream}
 * measures the machine's streaming read rate (both cores, Vector API sums) over as many bytes as
 * the F32 collection: the ceiling a single query cannot beat.
 *
 * <p>Fair because every implementation scans the same vectors (generated per vector from a fixed
 * seed, so chunking does not change them), answers the same queries, and returns its results to
 * JMH; each setup checks that query 0's top 10 agrees with a plain double-checked scan before
 * anything is timed. bench/run runs the baselines only at batches of 1 and 16: they answer a
 * batch one query at a time, so their queries per second do not depend on the batch, and a
 * batch of 256 at 1M vectors would take minutes per measurement.
 *
 * <p>Memory: 1M x 1024 floats is 4 GiB. Native indexes hold it off the heap (INT8 keeps the F32
 * vectors too: 5 GiB); the twin and the {@code float[][]} baselines hold it on the heap, hence
 * the forks' {@code -Xmx12g} (a ceiling, committed only as used; the twin grows its array by
 * half, so it needs about 10 GB at that size). Collections are generated a chunk at a time, so
 * the native forks' heaps stay small.
 */
@Family("vectors")
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Warmup(iterations = 2, time = 1, timeUnit = TimeUnit.SECONDS)
@Measurement(iterations = 3, time = 1, timeUnit = TimeUnit.SECONDS)
@Fork(value = 1, jvmArgsAppend = {"-Xmx12g"})
public class VectorBenchmark {
    /** Results per query. */
    static final int K = 10;
    /** Vectors generated and added per chunk. */
    private static final int CHUNK = 8192;
    /** Longs per piece of the streaming read. */
    private static final int PIECE = 1 << 20;

    /** The collection's shape and the batch of queries. */
    @State(Scope.Benchmark)
    public static class Shape {
        /** Stored vectors. */
        @Param({"10000", "100000", "1000000"})
        public int size;

        @Param({"384", "1024"})
        public int dimension;

        /** Queries per call. */
        @Param({"1", "16", "256"})
        public int batch;

        VectorInputs inputs;
        /** The batch laid end to end (hotpath's API) and as one array per query (the baselines'). */
        float[] queries;
        float[][] queryArrays;
        /** Query 0's top 10 by a scan in double precision, computed while the collection is generated. */
        TopKHeap expected;

        @Setup
        public void generate() {
            inputs = new VectorInputs(dimension);
            queries = inputs.queries(batch);
            queryArrays = new float[batch][];
            for (int q = 0; q < batch; q++) {
                queryArrays[q] = Arrays.copyOfRange(queries, q * dimension, (q + 1) * dimension);
            }
        }

        /** Generates the collection a chunk at a time into {@code sink}, scoring query 0 against it on the way. */
        void fill(ChunkSink sink) {
            expected = new TopKHeap(K);
            float[] chunk = new float[CHUNK * dimension];
            for (int first = 0; first < size; first += CHUNK) {
                int n = Math.min(CHUNK, size - first);
                inputs.collection(first, n, chunk);
                for (int i = 0; i < n; i++) {
                    double s = 0;
                    for (int j = 0; j < dimension; j++) {
                        s += (double) chunk[i * dimension + j] * queries[j];
                    }
                    expected.offer((float) s, first + i);
                }
                sink.accept(first, n, chunk);
            }
        }

        /** Fails the benchmark unless {@code ids} (query 0's answer) shares at least 9 of the 10 expected ids. */
        void check(String implementation, int[] ids) {
            int[] want = expected.sortedIds();
            long shared = Arrays.stream(ids).filter(id -> Arrays.stream(want).anyMatch(w -> w == id)).count();
            if (ids.length != want.length || shared < want.length - 1) {
                throw new IllegalStateException(implementation + " answered " + Arrays.toString(ids) + " for query 0, expected "
                        + Arrays.toString(want));
            }
        }
    }

    /** Receives one generated chunk: vectors {@code first} to {@code first + count - 1}. */
    interface ChunkSink {
        void accept(int first, int count, float[] chunk);
    }

    /** A hotpath index of the collection. */
    public abstract static class Index {
        VectorIndex index;

        void build(Shape shape, Precision precision, Backend backend, String implementation) {
            if (backend == Backend.NATIVE) {
                Backends.requireNative();
            }
            index = VectorIndex.create(shape.dimension, Metric.DOT, precision, backend);
            shape.fill((first, count, chunk) -> index.addAll(chunk, count));
            shape.check(implementation, index.search(shape.queryArrays[0], K).getIds());
        }

        @TearDown
        public void close() {
            index.close();
        }
    }

    /** The native index at F32. */
    @State(Scope.Benchmark)
    public static class NativeF32 extends Index {
        @Setup
        public void setup(Shape shape) {
            build(shape, Precision.F32, Backend.NATIVE, "nativeF32");
        }
    }

    /** The native index at INT8 (recall: {@code dev.hotpath.bench.side.VectorRecall}). */
    @State(Scope.Benchmark)
    public static class NativeInt8 extends Index {
        @Setup
        public void setup(Shape shape) {
            build(shape, Precision.INT8, Backend.NATIVE, "nativeInt8");
        }
    }

    /** The pure-Kotlin twin, on the heap. */
    @State(Scope.Benchmark)
    public static class Twin extends Index {
        @Setup
        public void setup(Shape shape) {
            build(shape, Precision.F32, Backend.JVM, "jvm");
        }
    }

    /** The collection as a {@code float[][]}, one array per stored vector: the baselines' layout. */
    @State(Scope.Benchmark)
    public static class Collection {
        float[][] vectors;

        @Setup
        public void setup(Shape shape) {
            vectors = new float[shape.size][];
            int d = shape.dimension;
            shape.fill((first, count, chunk) -> {
                for (int i = 0; i < count; i++) {
                    vectors[first + i] = Arrays.copyOfRange(chunk, i * d, (i + 1) * d);
                }
            });
            shape.check("loop", VectorBaselines.searchLoop(vectors, shape.queryArrays[0], K).sortedIds());
            shape.check("lucene", VectorBaselines.searchLucene(vectors, shape.queryArrays[0], K).sortedIds());
        }
    }

    /** As many bytes as the F32 collection, as longs, for the streaming read. */
    @State(Scope.Benchmark)
    public static class Stream {
        long[] words;

        @Setup
        public void setup(Shape shape) {
            words = new long[Math.toIntExact((long) shape.size * shape.dimension / 2)];
            Arrays.fill(words, 0x0102_0304_0506_0708L);
        }
    }

    // ---- hotpath ---------------------------------------------------------------------------

    @Benchmark @Kernel(value = "search", params = {"dimension", "batch"})
    public TopK[] search_nativeF32(NativeF32 s, Shape q) {
        return s.index.searchBatch(q.queries, q.batch, K);
    }

    @Benchmark @Kernel(value = "search", params = {"dimension", "batch"})
    public TopK[] search_nativeInt8(NativeInt8 s, Shape q) {
        return s.index.searchBatch(q.queries, q.batch, K);
    }

    @Benchmark @Kernel(value = "search", params = {"dimension", "batch"})
    public TopK[] search_jvm(Twin s, Shape q) {
        return s.index.searchBatch(q.queries, q.batch, K);
    }

    // ---- what a JVM service writes instead ---------------------------------------------------

    @Benchmark @Kernel(value = "search", params = {"dimension", "batch"})
    public float search_loop(Collection c, Shape q) {
        float sink = 0;
        for (float[] query : q.queryArrays) {
            sink += VectorBaselines.searchLoop(c.vectors, query, K).threshold();
        }
        return sink;
    }

    @Benchmark @Kernel(value = "search", params = {"dimension", "batch"})
    public float search_lucene(Collection c, Shape q) {
        float sink = 0;
        for (float[] query : q.queryArrays) {
            sink += VectorBaselines.searchLucene(c.vectors, query, K).threshold();
        }
        return sink;
    }

    @Benchmark @Kernel(value = "search", params = {"dimension", "batch"})
    public double search_luceneParallel(Collection c, Shape q) {
        return IntStream.range(0, q.batch).parallel()
                .mapToDouble(i -> VectorBaselines.searchLucene(c.vectors, q.queryArrays[i], K).threshold()).sum();
    }

    @Benchmark @Kernel(value = "search", params = {"dimension", "batch"})
    @Fork(value = 1, jvmArgsAppend = {"-Xmx12g", "--add-modules=jdk.incubator.vector"})
    public float search_vectorIncubator(Collection c, Shape q) {
        float sink = 0;
        for (float[] query : q.queryArrays) {
            sink += VectorKernels.search(c.vectors, query, K).threshold();
        }
        return sink;
    }

    // ---- the machine's streaming read rate --------------------------------------------------

    /**
     * A read of every byte and nothing else: Vector API lane-wise sums of 1 Mi-long pieces on the
     * common fork-join pool (both cores). hotpath's own {@code Numeric.sum(long[])} is not the
     * probe: it measured 2-3 GB/s at this size beside 10-15 GB/s for a plain loop.
     */
    @Benchmark @Kernel(value = "bandwidth", params = {"dimension"})
    @Fork(value = 1, jvmArgsAppend = {"-Xmx12g", "--add-modules=jdk.incubator.vector"})
    public long bandwidth_stream(Stream s) {
        long[] w = s.words;
        int pieces = (w.length + PIECE - 1) / PIECE;
        return IntStream.range(0, pieces).parallel()
                .mapToLong(p -> VectorKernels.sum(w, p * PIECE, Math.min(w.length, (p + 1) * PIECE))).sum();
    }
}
