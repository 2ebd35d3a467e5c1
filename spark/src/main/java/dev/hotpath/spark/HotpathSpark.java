package dev.hotpath.spark;

import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.NoSuchElementException;
import org.apache.spark.api.java.function.MapPartitionsFunction;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Encoders;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.types.BinaryType;
import org.apache.spark.sql.types.DataType;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructField;
import org.apache.spark.sql.types.StructType;
import org.apache.spark.sql.AnalysisException;

/**
 * Batched hotpath column functions on a {@code Dataset<Row>}, for Java, Kotlin and Scala callers.
 *
 * <p>Each function returns the dataset with one column appended, computed a partition at a time
 * in batches of {@link #BATCH_ROWS} rows: one {@code Ed25519.verifyBatch}, {@code Blake3.hashBatch}
 * or {@code Sha256.hashBatch} call per batch, never one native call per row. Blocks are validated
 * one call per block (a block is a batch of transactions). Row order is kept and a null input
 * gives a null output. The backend and pool size come from the conf keys
 * {@code spark.hotpath.backend} and {@code spark.hotpath.threads} (default: the executor's cores).
 */
public final class HotpathSpark {
    /** Rows handed to one batch call. */
    public static final int BATCH_ROWS = 1024;

    private HotpathSpark() {}

    /**
     * Appends {@code output}: the 32-byte BLAKE3 digest of the binary column {@code input}.
     *
     * @throws AnalysisException if {@code input} is missing or not binary.
     */
    public static Dataset<Row> blake3(Dataset<Row> data, String input, String output) throws AnalysisException {
        int[] at = binaryColumns(data, "blake3", input);
        return append(data, output, DataTypes.BinaryType, at, cols -> Kernels.blake3(cols[0]));
    }

    /**
     * Appends {@code output}: the 32-byte SHA-256 digest of the binary column {@code input}.
     *
     * @throws AnalysisException if {@code input} is missing or not binary.
     */
    public static Dataset<Row> sha256(Dataset<Row> data, String input, String output) throws AnalysisException {
        int[] at = binaryColumns(data, "sha256", input);
        return append(data, output, DataTypes.BinaryType, at, cols -> Kernels.sha256(cols[0]));
    }

    /**
     * Appends the boolean {@code output}: whether {@code signature} is a valid Ed25519 signature
     * of {@code message} under {@code publicKey}; null if any is null, false if the key is not 32
     * bytes or the signature not 64.
     *
     * @throws AnalysisException if a column is missing or not binary.
     */
    public static Dataset<Row> ed25519Verify(
            Dataset<Row> data, String publicKey, String message, String signature, String output)
            throws AnalysisException {
        int[] at = binaryColumns(data, "ed25519Verify", publicKey, message, signature);
        return append(data, output, DataTypes.BooleanType, at,
                cols -> Kernels.ed25519Verify(cols[0], cols[1], cols[2]));
    }

    /**
     * Appends {@code output}, a struct {@code (valid, error, statuses, merkle_root)}: the
     * {@code Ledger.validateBlock} report of the binary column {@code input} (error and statuses
     * as enum names).
     *
     * @throws AnalysisException if {@code input} is missing or not binary.
     */
    public static Dataset<Row> validateBlock(Dataset<Row> data, String input, String output) throws AnalysisException {
        int[] at = binaryColumns(data, "validateBlock", input);
        return append(data, output, Kernels.BLOCK_REPORT, at, cols -> Kernels.validateBlocks(cols[0]));
    }

    private static int[] binaryColumns(Dataset<Row> data, String function, String... names) throws AnalysisException {
        StructType schema = data.schema();
        int[] at = new int[names.length];
        for (int i = 0; i < names.length; i++) {
            StructField field = null;
            for (StructField f : schema.fields()) if (f.name().equals(names[i])) field = f;
            if (field == null || !(field.dataType() instanceof BinaryType)) {
                throw HotpathFunctions.typeError(function, i, names[i],
                        field == null ? "no such column" : field.dataType().sql(), "BINARY");
            }
            at[i] = schema.fieldIndex(names[i]);
        }
        return at;
    }

    private interface BatchKernel extends java.io.Serializable {
        Object[] apply(byte[][][] columns);
    }

    private static Dataset<Row> append(
            Dataset<Row> data, String output, DataType type, int[] at, BatchKernel kernel) {
        StructType schema = data.schema().add(output, type, true);
        return data.mapPartitions(new PerPartition(data.schema().length(), at, kernel), Encoders.row(schema));
    }

    /**
     * A class rather than a lambda: a serialized lambda's {@code $deserializeLambda$} compares its
     * implementation's signature as a string, which maven-shade-plugin does not relocate
     * (MSHADE-260), so in a fat jar with hotpath relocated every task would fail with "Invalid
     * lambda deserialization" as soon as the signature names a hotpath type (here BatchKernel).
     */
    private static final class PerPartition implements MapPartitionsFunction<Row, Row> {
        private static final long serialVersionUID = 1L;
        private final int width;
        private final int[] at;
        private final BatchKernel kernel;

        PerPartition(int width, int[] at, BatchKernel kernel) {
            this.width = width;
            this.at = at;
            this.kernel = kernel;
        }

        @Override
        public Iterator<Row> call(Iterator<Row> rows) {
            SparkConfig.apply();
            return new Batches(rows, width, at, kernel);
        }
    }

    /** Pulls up to BATCH_ROWS rows, runs one kernel call over them, hands the rows back in order. */
    private static final class Batches implements Iterator<Row> {
        private final Iterator<Row> rows;
        private final int width;
        private final int[] at;
        private final BatchKernel kernel;
        private final List<Row> batch = new ArrayList<>(BATCH_ROWS);
        private Object[] results = new Object[0];
        private int next;

        Batches(Iterator<Row> rows, int width, int[] at, BatchKernel kernel) {
            this.rows = rows;
            this.width = width;
            this.at = at;
            this.kernel = kernel;
        }

        @Override
        public boolean hasNext() {
            if (next < batch.size()) return true;
            if (!rows.hasNext()) return false;
            batch.clear();
            next = 0;
            while (batch.size() < BATCH_ROWS && rows.hasNext()) batch.add(rows.next());
            byte[][][] columns = new byte[at.length][batch.size()][];
            for (int r = 0; r < batch.size(); r++) {
                Row row = batch.get(r);
                for (int c = 0; c < at.length; c++) columns[c][r] = row.isNullAt(at[c]) ? null : (byte[]) row.get(at[c]);
            }
            results = kernel.apply(columns);
            return true;
        }

        @Override
        public Row next() {
            if (!hasNext()) throw new NoSuchElementException();
            Row row = batch.get(next);
            Object[] values = new Object[width + 1];
            for (int i = 0; i < width; i++) values[i] = row.get(i);
            values[width] = results[next++];
            return RowFactory.create(values);
        }
    }
}
