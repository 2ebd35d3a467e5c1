package dev.hotpath.spark;

import dev.hotpath.Backend;
import dev.hotpath.Blake3;
import dev.hotpath.BlockReport;
import dev.hotpath.Ed25519;
import dev.hotpath.Ledger;
import dev.hotpath.Sha256;
import dev.hotpath.Hotpath;
import dev.hotpath.TxStatus;
import java.util.List;
import java.util.concurrent.atomic.AtomicLongArray;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.types.DataType;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructType;

/**
 * One batch of rows in, one result per row out; nulls stay null and are never passed to a kernel.
 * Each method is one hotpath batch call (or, for blocks, one call per block: a block is itself a
 * batch of transactions, checked in parallel natively).
 */
final class Kernels {
    private Kernels() {}

    /**
     * hotpath calls this copy of hotpath-spark made in this JVM, by the backend set when each was
     * made (indexed by {@link Backend#ordinal()}). NATIVE never falls back to the JVM (it throws),
     * so a NATIVE count is a count of native calls: {@link ExecutorDiagnostics} reports it.
     */
    static final AtomicLongArray CALLS = new AtomicLongArray(Backend.values().length);

    static void counted() {
        CALLS.incrementAndGet(Hotpath.getBackend().ordinal());
    }

    /** The struct {@link HotpathSpark#validateBlock} and {@code hotpath_validate_block} return. */
    static final StructType BLOCK_REPORT = new StructType()
            .add("valid", DataTypes.BooleanType, false)
            .add("error", DataTypes.StringType, true)
            .add("statuses", DataTypes.createArrayType(DataTypes.StringType, false), false)
            .add("merkle_root", DataTypes.BinaryType, true);

    static Object[] blake3(byte[][] inputs) {
        return hashes(inputs, true);
    }

    static Object[] sha256(byte[][] inputs) {
        return hashes(inputs, false);
    }

    private static Object[] hashes(byte[][] inputs, boolean blake3) {
        int present = 0;
        for (byte[] input : inputs) if (input != null) present++;
        byte[][] packed = new byte[present][];
        int j = 0;
        for (byte[] input : inputs) if (input != null) packed[j++] = input;
        if (packed.length > 0) counted();
        byte[][] digests = packed.length == 0 ? packed : blake3 ? Blake3.hashBatch(packed) : Sha256.hashBatch(packed);
        Object[] out = new Object[inputs.length];
        j = 0;
        for (int i = 0; i < inputs.length; i++) if (inputs[i] != null) out[i] = digests[j++];
        return out;
    }

    /**
     * Null if any of the three is null; false for a key that is not 32 bytes or a signature that
     * is not 64 (such a row is a bad signature, not a reason to fail the task); else the verdict.
     */
    static Object[] ed25519Verify(byte[][] keys, byte[][] messages, byte[][] signatures) {
        int n = keys.length;
        Object[] out = new Object[n];
        int present = 0;
        for (int i = 0; i < n; i++) {
            if (keys[i] == null || messages[i] == null || signatures[i] == null) continue;
            if (keys[i].length != Ed25519.PUBLIC_KEY_SIZE || signatures[i].length != Ed25519.SIGNATURE_SIZE) {
                out[i] = Boolean.FALSE;
                continue;
            }
            present++;
        }
        byte[][] k = new byte[present][], m = new byte[present][], s = new byte[present][];
        int[] at = new int[present];
        int j = 0;
        for (int i = 0; i < n; i++) {
            if (out[i] != null || keys[i] == null || messages[i] == null || signatures[i] == null) continue;
            k[j] = keys[i];
            m[j] = messages[i];
            s[j] = signatures[i];
            at[j++] = i;
        }
        if (present > 0) {
            counted();
            boolean[] ok = Ed25519.verifyBatch(k, m, s);
            for (j = 0; j < present; j++) out[at[j]] = ok[j];
        }
        return out;
    }

    static Object[] validateBlocks(byte[][] blocks) {
        Object[] out = new Object[blocks.length];
        for (int i = 0; i < blocks.length; i++) {
            if (blocks[i] != null) out[i] = reportRow(validateBlock(blocks[i]));
        }
        return out;
    }

    static BlockReport validateBlock(byte[] block) {
        counted();
        return Ledger.validateBlock(block);
    }

    static Row reportRow(BlockReport report) {
        List<TxStatus> statuses = report.getStatuses();
        String[] names = new String[statuses.size()];
        for (int i = 0; i < names.length; i++) names[i] = statuses.get(i).name();
        return RowFactory.create(
                report.isValid(),
                report.getError() == null ? null : report.getError().name(),
                scala.jdk.javaapi.CollectionConverters.asScala(java.util.Arrays.asList(names)).toSeq(),
                report.getMerkleRoot());
    }

    static DataType blockReportType() {
        return BLOCK_REPORT;
    }
}
