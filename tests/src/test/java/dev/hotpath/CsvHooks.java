package dev.hotpath;

import dev.hotpath.internal.CsvTuning;
import dev.hotpath.internal.NativeBridge;

/**
 * The Csv family's test hooks that are not public API: small native chunks (to put chunk
 * boundaries anywhere) and the bridge's read handles. Kotlin's {@code internal} is a compile-time
 * rule that Java code does not see.
 */
public final class CsvHooks {
    private CsvHooks() {}

    /** {@code options} with native chunks of {@code chunkBytes} bytes. */
    public static CsvOptions withChunkBytes(CsvOptions options, int chunkBytes) {
        return CsvTuning.withChunkBytes(options, chunkBytes);
    }

    /** Frees a read handle directly on the bridge. */
    public static void free(long handle) {
        NativeBridge.csvFree(handle);
    }

    /** The bridge's info on a read handle. */
    public static long[] info(long handle) {
        return NativeBridge.csvInfo(handle);
    }

    /** A live read handle of {@code data} with default settings, for the misuse tests. */
    public static long read(byte[] data) {
        long[] settings = {',', '"', 1, 1 << 20, 0, 0, 0, 1, -1, -1, 1};
        return NativeBridge.csvReadBytes(data, 0, data.length, settings, null, null);
    }
}
