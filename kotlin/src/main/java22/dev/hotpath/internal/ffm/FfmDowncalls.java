package dev.hotpath.internal.ffm;

import static java.lang.foreign.ValueLayout.ADDRESS;
import static java.lang.foreign.ValueLayout.JAVA_DOUBLE;
import static java.lang.foreign.ValueLayout.JAVA_INT;
import static java.lang.foreign.ValueLayout.JAVA_LONG;

import dev.hotpath.NativeKernelException;
import dev.hotpath.internal.FfmBridge;
import java.lang.foreign.Arena;
import java.lang.foreign.FunctionDescriptor;
import java.lang.foreign.Linker;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.SymbolLookup;
import java.lang.invoke.MethodHandle;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;

/**
 * The FFM bridge: downcalls to the C ABI of {@code rust/jni/src/ffm.rs}, in the library the
 * loader already loaded with {@code System.load} (found through {@link SymbolLookup#loaderLookup},
 * so there is no second load, cache file or version check).
 *
 * <p>Compiled with {@code --release 22} into {@code META-INF/versions/22/}; only
 * {@code Bridge.choose()} names it, by reflection, on JDK 22 and newer. Java rather than Kotlin:
 * {@code MethodHandle.invokeExact} is signature-polymorphic, and javac types each call exactly
 * from its casts, so a call site is a direct invocation of the handle with no boxing and no
 * varargs array; the Kotlin module compiles for JDK 11 and could not see
 * {@code java.lang.foreign} at all.
 *
 * <p>Each handle is built on first use, in a holder class of its own (the JVM initialises a class
 * once, other threads wait), so a program that sums longs never builds the others. Heap arrays go
 * as heap segments through critical downcalls ({@code Linker.Option.critical(true)}): no copy, no
 * pin, but no safepoint either for the length of the call, so long inputs go in pieces of
 * {@link #SEGMENT} elements (about a millisecond each), combined exactly as the JNI side combines
 * its pinned segments. Direct buffers go by address through ordinary downcalls, which keep the
 * buffer's memory segment alive for the call, and whole.
 *
 * <p>Every entry point returns a status (0, else an exception kind, {@code codes.rs}); on failure
 * the message is copied at once from the library's thread-local ({@link #failure}) and thrown as
 * the very exception, with the very message, that the JNI bridge throws.
 */
public final class FfmDowncalls implements FfmBridge {
    /** {@code hotpath_core::numeric::SEGMENT}: elements per critical call (the JNI side's pin). */
    static final int SEGMENT = 1 << 19;

    /** Bytes per critical call over a byte array holding 8-byte values: the same element count. */
    static final int BYTE_SEGMENT = SEGMENT * 8;

    /** Doubles per encoded piece of {@code stats}: count's bits, sum, m2, min, max. */
    private static final int MOMENTS = 5;

    /** The class loader's lookup, made by this class so that it is the loader that loaded the library. */
    private static final class Symbols {
        static final SymbolLookup LOOKUP = SymbolLookup.loaderLookup();
        static final Linker LINKER = Linker.nativeLinker();
    }

    /** Bytes of {@link #DIRECT_OUT}: the longest fixed-size result (a signature). */
    private static final int SCRATCH = 64;

    /** {@code BLAKE3_PIECE} of rust/jni's crypto.rs: bytes per critical call (about 0.6 ms). */
    static final int BLAKE3_PIECE = 4 << 20;

    /** {@code SHA256_PIECE} of rust/jni's crypto.rs. */
    static final int SHA256_PIECE = 1 << 20;

    /** Extendable output up to this many bytes is written by one critical call; longer goes off-heap first. */
    static final int XOF_STEP = 1 << 20;

    /** {@code PIN_MAX} of rust/jni's ed25519.rs: longer messages are copied off-heap, not read in place. */
    static final int MESSAGE_IN_PLACE = 1 << 20;

    /**
     * A result slot off the heap, one per thread, for the ordinary (non-critical)
     * downcalls over direct buffers, which may not take heap segments.
     */
    private static final ThreadLocal<MemorySegment> DIRECT_OUT = new ThreadLocal<>() {
        @Override
        protected MemorySegment initialValue() {
            return Arena.ofAuto().allocate(SCRATCH, 8);
        }
    };

    private static final Linker.Option[] CRITICAL = {Linker.Option.critical(true)};
    private static final Linker.Option[] PLAIN = {};

    private static MethodHandle handle(String name, FunctionDescriptor descriptor, Linker.Option[] options) {
        MemorySegment symbol = Symbols.LOOKUP.find(name)
                .orElseThrow(() -> new UnsatisfiedLinkError("hotpath's native library does not export " + name));
        return Symbols.LINKER.downcallHandle(symbol, descriptor, options);
    }

    private static MethodHandle critical(String name, FunctionDescriptor descriptor) {
        return handle(name, descriptor, CRITICAL);
    }

    /**
     * The sums return their result, not a status: an out-array made per call, passed as a second
     * heap segment, cost more than the call itself. On failure they return {@link #FAILED_LONG}
     * or {@link #FAILED_DOUBLE}, and the status comes from {@link #takeStatus} (0 when the result
     * merely equals the sentinel).
     */
    private static final FunctionDescriptor PIECE_TO_LONG = FunctionDescriptor.of(JAVA_LONG, ADDRESS, JAVA_INT);
    private static final FunctionDescriptor PIECE_TO_DOUBLE = FunctionDescriptor.of(JAVA_DOUBLE, ADDRESS, JAVA_INT);
    private static final FunctionDescriptor BYTES_TO_LONG = FunctionDescriptor.of(JAVA_LONG, ADDRESS, JAVA_INT, JAVA_INT);
    private static final FunctionDescriptor BYTES_TO_DOUBLE = FunctionDescriptor.of(JAVA_DOUBLE, ADDRESS, JAVA_INT, JAVA_INT);

    /** {@code FAILED_LONG} of rust/jni's ffm/mod.rs. */
    static final long FAILED_LONG = Long.MIN_VALUE;

    /** The bits of {@code FAILED_DOUBLE} of rust/jni's ffm/mod.rs (a quiet NaN with a payload of its own). */
    static final long FAILED_DOUBLE_BITS = 0x7ff8_0000_dead_f00dL;
    private static final FunctionDescriptor ARRAY_TO_OUT = FunctionDescriptor.of(JAVA_INT, ADDRESS, JAVA_INT, ADDRESS);

    private static final class ErrorMessage {
        static final MethodHandle H = critical("hotpath_ffm_error_message", FunctionDescriptor.of(JAVA_INT, ADDRESS, JAVA_INT));
    }

    private static final class TakeStatus {
        static final MethodHandle H = critical("hotpath_ffm_take_status", FunctionDescriptor.of(JAVA_INT));
    }

    private static final class Noop {
        static final MethodHandle H = critical("hotpath_ffm_noop", FunctionDescriptor.of(JAVA_INT));
    }

    private static final class RawNoop {
        static final MethodHandle H = critical("hotpath_ffm_raw_noop", FunctionDescriptor.ofVoid());
    }

    private static final class PanicForTest {
        // Not critical: the panic hook prints, and a worker's panic waits on the pool.
        static final MethodHandle H = handle("hotpath_ffm_panic_for_test", FunctionDescriptor.of(JAVA_INT, JAVA_INT), PLAIN);
    }

    private static final class SumLongArray {
        static final MethodHandle H = critical("hotpath_numeric_sum_long_array", PIECE_TO_LONG);
    }

    private static final class SumDoubleArray {
        static final MethodHandle H = critical("hotpath_numeric_sum_double_array", PIECE_TO_DOUBLE);
    }

    private static final class CombineSums {
        static final MethodHandle H = critical("hotpath_numeric_combine_sums", PIECE_TO_DOUBLE);
    }

    private static final class SumExact {
        static final MethodHandle NEW = critical("hotpath_numeric_exact_sum_new", FunctionDescriptor.of(JAVA_INT, ADDRESS));
        static final MethodHandle ADD =
                critical("hotpath_numeric_exact_sum_add", FunctionDescriptor.of(JAVA_INT, ADDRESS, ADDRESS, JAVA_INT));
        static final MethodHandle VALUE =
                critical("hotpath_numeric_exact_sum_value", FunctionDescriptor.of(JAVA_INT, ADDRESS, ADDRESS));
        static final MethodHandle FREE = critical("hotpath_numeric_exact_sum_free", FunctionDescriptor.ofVoid(ADDRESS));
    }

    private static final class Stats {
        static final MethodHandle PIECE = critical("hotpath_numeric_stats_double_array", ARRAY_TO_OUT);
        static final MethodHandle COMBINE = critical("hotpath_numeric_combine_stats", ARRAY_TO_OUT);
    }

    private static final class ScaleLongArray {
        static final MethodHandle H =
                critical("hotpath_numeric_scale_long_array", FunctionDescriptor.of(JAVA_INT, ADDRESS, JAVA_INT, JAVA_LONG));
    }

    private static final class ScaleDoubleArray {
        static final MethodHandle H =
                critical("hotpath_numeric_scale_double_array", FunctionDescriptor.of(JAVA_INT, ADDRESS, JAVA_INT, JAVA_DOUBLE));
    }

    private static final class SumLongsBytes {
        static final MethodHandle HEAP = critical("hotpath_numeric_sum_longs_bytes", BYTES_TO_LONG);
        static final MethodHandle DIRECT = handle("hotpath_numeric_sum_longs_bytes", BYTES_TO_LONG, PLAIN);
    }

    private static final class SumDoublesBytes {
        static final MethodHandle HEAP = critical("hotpath_numeric_sum_doubles_bytes", BYTES_TO_DOUBLE);
        static final MethodHandle DIRECT = handle("hotpath_numeric_sum_doubles_bytes", BYTES_TO_DOUBLE, PLAIN);
    }

    private static final class Blake3 {
        static final FunctionDescriptor HASH_D = FunctionDescriptor.of(JAVA_INT, ADDRESS, JAVA_INT, JAVA_INT, JAVA_INT, ADDRESS, JAVA_INT, ADDRESS, JAVA_INT);
        static final MethodHandle HASH = critical("hotpath_blake3_hash", HASH_D);
        static final MethodHandle HASH_DIRECT = handle("hotpath_blake3_hash", HASH_D, PLAIN);
        static final MethodHandle RANGE =
                critical("hotpath_ffm_offset_range", FunctionDescriptor.of(JAVA_INT, JAVA_INT, JAVA_INT, JAVA_INT));
        static final MethodHandle NEW = critical("hotpath_blake3_new", FunctionDescriptor.of(JAVA_INT, ADDRESS, JAVA_INT, ADDRESS));
        static final MethodHandle UPDATE = critical("hotpath_blake3_update", FunctionDescriptor.of(JAVA_INT, ADDRESS, ADDRESS, JAVA_INT));
        static final FunctionDescriptor FINALIZE_D = FunctionDescriptor.of(JAVA_INT, ADDRESS, ADDRESS, JAVA_INT);
        static final MethodHandle FINALIZE = critical("hotpath_blake3_finalize", FINALIZE_D);
        static final MethodHandle FINALIZE_OFF_HEAP = handle("hotpath_blake3_finalize", FINALIZE_D, PLAIN);
        static final MethodHandle FREE = critical("hotpath_blake3_free", FunctionDescriptor.ofVoid(ADDRESS));
    }

    private static final class Sha256 {
        static final MethodHandle HASH = critical("hotpath_sha256_hash", FunctionDescriptor.of(JAVA_INT, ADDRESS, JAVA_INT, ADDRESS, JAVA_INT));
        static final MethodHandle NEW = critical("hotpath_sha256_new", FunctionDescriptor.of(JAVA_INT, ADDRESS));
        static final MethodHandle UPDATE = critical("hotpath_sha256_update", FunctionDescriptor.of(JAVA_INT, ADDRESS, ADDRESS, JAVA_INT));
        static final MethodHandle FINALIZE = critical("hotpath_sha256_finalize", FunctionDescriptor.of(JAVA_INT, ADDRESS, ADDRESS, JAVA_INT));
        static final MethodHandle FREE = critical("hotpath_sha256_free", FunctionDescriptor.ofVoid(ADDRESS));
    }

    private static final class Ed25519 {
        static final MethodHandle PUBLIC_KEY =
                critical("hotpath_ed25519_public_key", FunctionDescriptor.of(JAVA_INT, ADDRESS, JAVA_INT, ADDRESS, JAVA_INT));
        static final FunctionDescriptor SIGN_D = FunctionDescriptor.of(JAVA_INT, ADDRESS, JAVA_INT, ADDRESS, JAVA_INT, ADDRESS, JAVA_INT);
        static final MethodHandle SIGN = critical("hotpath_ed25519_sign", SIGN_D);
        static final MethodHandle SIGN_OFF_HEAP = handle("hotpath_ed25519_sign", SIGN_D, PLAIN);
        static final FunctionDescriptor VERIFY_D =
                FunctionDescriptor.of(JAVA_INT, ADDRESS, JAVA_INT, ADDRESS, JAVA_INT, ADDRESS, JAVA_INT, ADDRESS);
        static final MethodHandle VERIFY = critical("hotpath_ed25519_verify", VERIFY_D);
        static final MethodHandle VERIFY_OFF_HEAP = handle("hotpath_ed25519_verify", VERIFY_D, PLAIN);
    }

    /** Made by {@code Bridge.choose()} through reflection, before the library is loaded; builds nothing. */
    public FfmDowncalls() {}

    @Override
    public String nativeAccessProblem() {
        Module module = FfmDowncalls.class.getModule();
        if (module.isNativeAccessEnabled()) return null;
        String who = module.isNamed() ? "module " + module.getName() : "the unnamed module (hotpath on the class path)";
        String flag = module.isNamed() ? module.getName() : "ALL-UNNAMED";
        return "native access is not enabled for " + who + "; pass --enable-native-access=" + flag
                + " to java (Enable-Native-Access: ALL-UNNAMED in the manifest of a -jar launch)";
    }

    @Override
    public String bindProblem() {
        if (Symbols.LOOKUP.find("hotpath_ffm_noop").isPresent()) return null;
        return "the loaded native library exports no hotpath_ffm_noop (a library without the FFM bridge's C ABI)";
    }

    @Override
    public void probe() {
        MethodHandle unused = Noop.H;
    }

    @Override
    public void noop() {
        int status;
        try {
            status = (int) Noop.H.invokeExact();
        } catch (Throwable t) {
            throw unexpected(t);
        }
        check(status, "noop");
    }

    @Override
    public void rawNoop() {
        try {
            RawNoop.H.invokeExact();
        } catch (Throwable t) {
            throw unexpected(t);
        }
    }

    @Override
    public void panicForTest(boolean inWorker) {
        int status;
        try {
            status = (int) PanicForTest.H.invokeExact(inWorker ? 1 : 0);
        } catch (Throwable t) {
            throw unexpected(t);
        }
        check(status, "panicForTest");
    }

    @Override
    public long sumLongArray(long[] values, int fromIndex, int toIndex) {
        range(values.length, fromIndex, toIndex);
        MemorySegment all = MemorySegment.ofArray(values);
        // One call for all but the longest inputs, so the common case has no loop to set up;
        // an empty range still makes its (checked) call, as through JNI.
        if (toIndex - fromIndex <= SEGMENT) return sumLongPiece(all, fromIndex, toIndex);
        long sum = 0;
        for (int start = fromIndex; start < toIndex; ) {
            int end = pieceEnd(start, toIndex, SEGMENT);
            sum += sumLongPiece(all, start, end);
            start = end;
        }
        return sum;
    }

    /**
     * The JNI side's range check ({@code range} in {@code bridge.rs}), in its words: the shims
     * take the piece itself, so the range is checked here, before the slice (the public API
     * checked it already; after inlining the JIT drops the repeat).
     */
    private static void range(int length, int fromIndex, int toIndex) {
        if (fromIndex < 0) throw new IndexOutOfBoundsException("fromIndex " + fromIndex + " < 0");
        if (toIndex < 0) throw new IndexOutOfBoundsException("toIndex " + toIndex + " < 0");
        if (toIndex > length) throw new IndexOutOfBoundsException("toIndex " + toIndex + " > array length " + length);
        if (fromIndex > toIndex) throw new IndexOutOfBoundsException("fromIndex " + fromIndex + " > toIndex " + toIndex);
    }

    private static long sumLongPiece(MemorySegment all, int start, int end) {
        long sum;
        try {
            sum = (long) SumLongArray.H.invokeExact(all.asSlice(8L * start, 8L * (end - start)), end - start);
        } catch (Throwable t) {
            throw unexpected(t);
        }
        if (sum == FAILED_LONG) checkTaken("sumLongArray");
        return sum;
    }

    @Override
    public double sumDoubleArray(double[] values, int fromIndex, int toIndex) {
        range(values.length, fromIndex, toIndex);
        MemorySegment all = MemorySegment.ofArray(values);
        if (toIndex - fromIndex <= SEGMENT) return sumDoublePiece(all, fromIndex, toIndex);
        double[] partials = new double[pieces(toIndex - fromIndex, SEGMENT)];
        int start = fromIndex;
        for (int i = 0; i < partials.length; i++) {
            int end = pieceEnd(start, toIndex, SEGMENT);
            partials[i] = sumDoublePiece(all, start, end);
            start = end;
        }
        return combineSums(partials, "sumDoubleArray");
    }

    private static double sumDoublePiece(MemorySegment all, int start, int end) {
        double sum;
        try {
            sum = (double) SumDoubleArray.H.invokeExact(all.asSlice(8L * start, 8L * (end - start)), end - start);
        } catch (Throwable t) {
            throw unexpected(t);
        }
        if (Double.doubleToRawLongBits(sum) == FAILED_DOUBLE_BITS) checkTaken("sumDoubleArray");
        return sum;
    }

    private static double combineSums(double[] partials, String function) {
        double sum;
        try {
            sum = (double) CombineSums.H.invokeExact(MemorySegment.ofArray(partials), partials.length);
        } catch (Throwable t) {
            throw unexpected(t);
        }
        if (Double.doubleToRawLongBits(sum) == FAILED_DOUBLE_BITS) checkTaken(function);
        return sum;
    }

    @Override
    public double sumExactDoubleArray(double[] values) {
        long[] handle = new long[1];
        double[] out = new double[1];
        int status;
        try {
            status = (int) SumExact.NEW.invokeExact(MemorySegment.ofArray(handle));
        } catch (Throwable t) {
            throw unexpected(t);
        }
        check(status, "sumExactDoubleArray");
        MemorySegment acc = MemorySegment.ofAddress(handle[0]);
        try {
            int start = 0;
            do {
                int end = pieceEnd(start, values.length, SEGMENT);
                MemorySegment piece = MemorySegment.ofArray(values).asSlice(8L * start, 8L * (end - start));
                try {
                    status = (int) SumExact.ADD.invokeExact(acc, piece, end - start);
                } catch (Throwable t) {
                    throw unexpected(t);
                }
                check(status, "sumExactDoubleArray");
                start = end;
            } while (start < values.length);
            try {
                status = (int) SumExact.VALUE.invokeExact(acc, MemorySegment.ofArray(out));
            } catch (Throwable t) {
                throw unexpected(t);
            }
            check(status, "sumExactDoubleArray");
            return out[0];
        } finally {
            try {
                SumExact.FREE.invokeExact(acc);
            } catch (Throwable t) {
                throw unexpected(t);
            }
        }
    }

    @Override
    public void statsDoubleArray(double[] values, double[] out) {
        if (out.length != 4) throw new IllegalArgumentException("out has " + out.length + " doubles, expected 4");
        int pieces = pieces(values.length, SEGMENT);
        double[] parts = new double[MOMENTS * pieces];
        int start = 0;
        for (int i = 0; i < pieces; i++) {
            int end = pieceEnd(start, values.length, SEGMENT);
            MemorySegment piece = MemorySegment.ofArray(values).asSlice(8L * start, 8L * (end - start));
            MemorySegment into = MemorySegment.ofArray(parts).asSlice(8L * MOMENTS * i, 8L * MOMENTS);
            int status;
            try {
                status = (int) Stats.PIECE.invokeExact(piece, end - start, into);
            } catch (Throwable t) {
                throw unexpected(t);
            }
            check(status, "statsDoubleArray");
            start = end;
        }
        double[] whole = parts;
        if (pieces > 1) {
            whole = new double[MOMENTS];
            int status;
            try {
                status = (int) Stats.COMBINE.invokeExact(MemorySegment.ofArray(parts), pieces, MemorySegment.ofArray(whole));
            } catch (Throwable t) {
                throw unexpected(t);
            }
            check(status, "statsDoubleArray");
        }
        System.arraycopy(whole, 1, out, 0, 4);
    }

    @Override
    public void scaleLongArray(long[] values, long factor) {
        int start = 0;
        do {
            int end = pieceEnd(start, values.length, SEGMENT);
            MemorySegment piece = MemorySegment.ofArray(values).asSlice(8L * start, 8L * (end - start));
            int status;
            try {
                status = (int) ScaleLongArray.H.invokeExact(piece, end - start, factor);
            } catch (Throwable t) {
                throw unexpected(t);
            }
            check(status, "scaleLongArray");
            start = end;
        } while (start < values.length);
    }

    @Override
    public void scaleDoubleArray(double[] values, double factor) {
        int start = 0;
        do {
            int end = pieceEnd(start, values.length, SEGMENT);
            MemorySegment piece = MemorySegment.ofArray(values).asSlice(8L * start, 8L * (end - start));
            int status;
            try {
                status = (int) ScaleDoubleArray.H.invokeExact(piece, end - start, factor);
            } catch (Throwable t) {
                throw unexpected(t);
            }
            check(status, "scaleDoubleArray");
            start = end;
        } while (start < values.length);
    }

    /**
     * {@code buffer}'s bytes {@code [position, position + length)} as a segment that keeps the
     * buffer's memory alive for the downcall (an arena closed before the call is an
     * {@link IllegalStateException} here or in the downcall, never a read of freed memory),
     * checked in the JNI side's order and words ({@code direct_bytes} in {@code buffer.rs}).
     */
    private static MemorySegment directBytes(ByteBuffer buffer, int position, int length) {
        if (!buffer.isDirect()) throw new IllegalArgumentException("buffer is not a direct buffer");
        int capacity = buffer.capacity();
        if (position < 0) throw new IndexOutOfBoundsException("position " + position + " < 0");
        if (length < 0) throw new IllegalArgumentException("length " + length + " < 0");
        if (position > capacity || length > capacity - position) {
            throw new IndexOutOfBoundsException("position " + position + " + length " + length + " > buffer capacity " + capacity);
        }
        return MemorySegment.ofBuffer(buffer.duplicate().clear()).asSlice(position, length);
    }

    @Override
    public long sumLongsDirect(ByteBuffer buffer, int position, int length, boolean bigEndian) {
        MemorySegment bytes = directBytes(buffer, position, length);
        long sum;
        try {
            sum = (long) SumLongsBytes.DIRECT.invokeExact(bytes, length, bigEndian ? 1 : 0);
        } catch (Throwable t) {
            throw unexpected(t);
        }
        if (sum == FAILED_LONG) checkTaken("sumLongsDirect");
        return sum;
    }

    @Override
    public double sumDoublesDirect(ByteBuffer buffer, int position, int length, boolean bigEndian) {
        MemorySegment bytes = directBytes(buffer, position, length);
        double sum;
        try {
            sum = (double) SumDoublesBytes.DIRECT.invokeExact(bytes, length, bigEndian ? 1 : 0);
        } catch (Throwable t) {
            throw unexpected(t);
        }
        if (Double.doubleToRawLongBits(sum) == FAILED_DOUBLE_BITS) checkTaken("sumDoublesDirect");
        return sum;
    }

    /**
     * {@code array[offset, offset + length)}, checked in the JNI side's order and words
     * ({@code offset_range} and {@code range} in {@code bridge.rs}).
     */
    private static MemorySegment heapBytes(byte[] array, int offset, int length) {
        long end = (long) offset + length;
        if (end > Integer.MAX_VALUE || end < Integer.MIN_VALUE) {
            throw new IndexOutOfBoundsException("offset " + offset + " + length " + length + " overflows");
        }
        range(array.length, offset, (int) end);
        return MemorySegment.ofArray(array).asSlice(offset, length);
    }

    @Override
    public long sumLongsBytes(byte[] array, int offset, int length, boolean bigEndian) {
        MemorySegment bytes = heapBytes(array, offset, length);
        long sum = 0;
        int start = 0;
        do {
            int end = pieceEnd(start, length, BYTE_SEGMENT);
            long piece;
            try {
                piece = (long) SumLongsBytes.HEAP.invokeExact(bytes.asSlice(start, end - start), end - start, bigEndian ? 1 : 0);
            } catch (Throwable t) {
                throw unexpected(t);
            }
            if (piece == FAILED_LONG) checkTaken("sumLongsBytes");
            sum += piece;
            start = end;
        } while (start < length);
        return sum;
    }

    @Override
    public double sumDoublesBytes(byte[] array, int offset, int length, boolean bigEndian) {
        MemorySegment bytes = heapBytes(array, offset, length);
        double[] partials = new double[pieces(length, BYTE_SEGMENT)];
        int start = 0;
        for (int i = 0; i < partials.length; i++) {
            int end = pieceEnd(start, length, BYTE_SEGMENT);
            double piece;
            try {
                piece = (double) SumDoublesBytes.HEAP.invokeExact(bytes.asSlice(start, end - start), end - start, bigEndian ? 1 : 0);
            } catch (Throwable t) {
                throw unexpected(t);
            }
            if (Double.doubleToRawLongBits(piece) == FAILED_DOUBLE_BITS) checkTaken("sumDoublesBytes");
            partials[i] = piece;
            start = end;
        }
        return partials.length == 1 ? partials[0] : combineSums(partials, "sumDoublesBytes");
    }

    @Override
    public void blake3Hash(byte[] input, int offset, int length, byte[] key, byte[] out) {
        MemorySegment keySegment = key == null ? MemorySegment.NULL : MemorySegment.ofArray(key);
        int keyLength = key == null ? 0 : key.length;
        int status;
        if (length <= BLAKE3_PIECE && out.length <= XOF_STEP) {
            try {
                status = (int) Blake3.HASH.invokeExact(MemorySegment.ofArray(input), input.length, offset, length,
                        keySegment, keyLength, MemorySegment.ofArray(out), out.length);
            } catch (Throwable t) {
                throw unexpected(t);
            }
            check(status, "blake3Hash");
            return;
        }
        try {
            status = (int) Blake3.RANGE.invokeExact(input.length, offset, length);
        } catch (Throwable t) {
            throw unexpected(t);
        }
        check(status, "blake3Hash");
        MemorySegment hasher = newHandle(Blake3.NEW, keySegment, keyLength);
        try {
            MemorySegment all = MemorySegment.ofArray(input);
            int start = offset;
            int end = offset + length;
            while (start < end) {
                int pieceEnd = pieceEnd(start, end, BLAKE3_PIECE);
                try {
                    status = (int) Blake3.UPDATE.invokeExact(hasher, all.asSlice(start, pieceEnd - start), pieceEnd - start);
                } catch (Throwable t) {
                    throw unexpected(t);
                }
                check(status, "blake3Hash");
                start = pieceEnd;
            }
            if (out.length <= XOF_STEP) {
                try {
                    status = (int) Blake3.FINALIZE.invokeExact(hasher, MemorySegment.ofArray(out), out.length);
                } catch (Throwable t) {
                    throw unexpected(t);
                }
                check(status, "blake3Hash");
            } else {
                // A long output, written off the heap by an ordinary call, then copied: no
                // critical call writes more than XOF_STEP bytes.
                try (Arena arena = Arena.ofConfined()) {
                    MemorySegment off = arena.allocate(out.length);
                    try {
                        status = (int) Blake3.FINALIZE_OFF_HEAP.invokeExact(hasher, off, out.length);
                    } catch (Throwable t) {
                        throw unexpected(t);
                    }
                    check(status, "blake3Hash");
                    MemorySegment.copy(off, 0, MemorySegment.ofArray(out), 0, out.length);
                }
            }
        } finally {
            try {
                Blake3.FREE.invokeExact(hasher);
            } catch (Throwable t) {
                throw unexpected(t);
            }
        }
    }

    /** A new native hasher from {@code constructor} (key, key length, out-pointer). */
    private static MemorySegment newHandle(MethodHandle constructor, MemorySegment key, int keyLength) {
        long[] handle = new long[1];
        int status;
        try {
            status = (int) constructor.invokeExact(key, keyLength, MemorySegment.ofArray(handle));
        } catch (Throwable t) {
            throw unexpected(t);
        }
        check(status, "blake3Hash");
        return MemorySegment.ofAddress(handle[0]);
    }

    @Override
    public void blake3HashDirect(ByteBuffer buffer, int position, int length, byte[] out) {
        MemorySegment bytes = directBytes(buffer, position, length);
        MemorySegment scratch = DIRECT_OUT.get();
        if (out.length > SCRATCH) throw new IllegalArgumentException("out has " + out.length + " bytes, at most " + SCRATCH + " here");
        int status;
        try {
            // Off-heap input: read whole by one ordinary call (no pin, so no piece limit).
            status = (int) Blake3.HASH_DIRECT.invokeExact(bytes, length, 0, length, MemorySegment.NULL, 0, scratch, out.length);
        } catch (Throwable t) {
            throw unexpected(t);
        }
        check(status, "blake3HashDirect");
        MemorySegment.copy(scratch, 0, MemorySegment.ofArray(out), 0, out.length);
    }

    @Override
    public void sha256Hash(byte[] input, byte[] out) {
        int status;
        if (input.length <= SHA256_PIECE) {
            try {
                status = (int) Sha256.HASH.invokeExact(MemorySegment.ofArray(input), input.length, MemorySegment.ofArray(out), out.length);
            } catch (Throwable t) {
                throw unexpected(t);
            }
            check(status, "sha256Hash");
            return;
        }
        long[] handle = new long[1];
        try {
            status = (int) Sha256.NEW.invokeExact(MemorySegment.ofArray(handle));
        } catch (Throwable t) {
            throw unexpected(t);
        }
        check(status, "sha256Hash");
        MemorySegment hasher = MemorySegment.ofAddress(handle[0]);
        try {
            MemorySegment all = MemorySegment.ofArray(input);
            int start = 0;
            while (start < input.length) {
                int end = pieceEnd(start, input.length, SHA256_PIECE);
                try {
                    status = (int) Sha256.UPDATE.invokeExact(hasher, all.asSlice(start, end - start), end - start);
                } catch (Throwable t) {
                    throw unexpected(t);
                }
                check(status, "sha256Hash");
                start = end;
            }
            try {
                status = (int) Sha256.FINALIZE.invokeExact(hasher, MemorySegment.ofArray(out), out.length);
            } catch (Throwable t) {
                throw unexpected(t);
            }
            check(status, "sha256Hash");
        } finally {
            try {
                Sha256.FREE.invokeExact(hasher);
            } catch (Throwable t) {
                throw unexpected(t);
            }
        }
    }

    @Override
    public byte[] ed25519PublicKey(byte[] secretKey) {
        byte[] out = new byte[32];
        int status;
        try {
            status = (int) Ed25519.PUBLIC_KEY.invokeExact(MemorySegment.ofArray(secretKey), secretKey.length, MemorySegment.ofArray(out), out.length);
        } catch (Throwable t) {
            throw unexpected(t);
        }
        check(status, "ed25519PublicKey");
        return out;
    }

    @Override
    public byte[] ed25519Sign(byte[] secretKey, byte[] message) {
        byte[] out = new byte[64];
        int status;
        if (message.length <= MESSAGE_IN_PLACE) {
            try {
                status = (int) Ed25519.SIGN.invokeExact(MemorySegment.ofArray(secretKey), secretKey.length,
                        MemorySegment.ofArray(message), message.length, MemorySegment.ofArray(out), out.length);
            } catch (Throwable t) {
                throw unexpected(t);
            }
            check(status, "ed25519Sign");
            return out;
        }
        // A long message: signing reads it twice, too long for one critical call, so it is copied
        // off the heap (as the JNI side copies it) with the key, which is wiped before the free.
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment key = arena.allocate(secretKey.length);
            MemorySegment.copy(MemorySegment.ofArray(secretKey), 0, key, 0, secretKey.length);
            MemorySegment text = arena.allocate(message.length);
            MemorySegment.copy(MemorySegment.ofArray(message), 0, text, 0, message.length);
            MemorySegment signature = arena.allocate(out.length);
            try {
                status = (int) Ed25519.SIGN_OFF_HEAP.invokeExact(key, secretKey.length, text, message.length, signature, out.length);
            } catch (Throwable t) {
                throw unexpected(t);
            } finally {
                key.fill((byte) 0);
            }
            check(status, "ed25519Sign");
            MemorySegment.copy(signature, 0, MemorySegment.ofArray(out), 0, out.length);
        }
        return out;
    }

    @Override
    public boolean ed25519Verify(byte[] publicKey, byte[] message, byte[] signature) {
        int status;
        if (message.length <= MESSAGE_IN_PLACE) {
            int[] out = new int[1];
            try {
                status = (int) Ed25519.VERIFY.invokeExact(MemorySegment.ofArray(publicKey), publicKey.length,
                        MemorySegment.ofArray(message), message.length, MemorySegment.ofArray(signature), signature.length,
                        MemorySegment.ofArray(out));
            } catch (Throwable t) {
                throw unexpected(t);
            }
            check(status, "ed25519Verify");
            return out[0] != 0;
        }
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment key = arena.allocate(publicKey.length);
            MemorySegment.copy(MemorySegment.ofArray(publicKey), 0, key, 0, publicKey.length);
            MemorySegment text = arena.allocate(message.length);
            MemorySegment.copy(MemorySegment.ofArray(message), 0, text, 0, message.length);
            MemorySegment sig = arena.allocate(signature.length);
            MemorySegment.copy(MemorySegment.ofArray(signature), 0, sig, 0, signature.length);
            MemorySegment out = arena.allocate(JAVA_INT);
            try {
                status = (int) Ed25519.VERIFY_OFF_HEAP.invokeExact(key, publicKey.length, text, message.length, sig, signature.length, out);
            } catch (Throwable t) {
                throw unexpected(t);
            }
            check(status, "ed25519Verify");
            return out.get(JAVA_INT, 0) != 0;
        }
    }

    /** The end of the piece starting at {@code start}, at most {@code step} long, not beyond {@code to}. */
    private static int pieceEnd(int start, int to, int step) {
        return (int) Math.min(to, (long) start + step);
    }

    /** Pieces for {@code n} elements: at least one, so an empty input still makes its (checked) call. */
    private static int pieces(int n, int step) {
        return n <= step ? 1 : (int) ((n + (long) step - 1) / step);
    }

    private static void check(int status, String function) {
        if (status != 0) throw failure(status, function);
    }

    /** After a value-returning call gave its sentinel: throws its failure, if it was one. */
    private static void checkTaken(String function) {
        check(takeStatus(), function);
    }

    private static int takeStatus() {
        try {
            return (int) TakeStatus.H.invokeExact();
        } catch (Throwable t) {
            throw unexpected(t);
        }
    }

    /** The exception for a failed call's status, with the message the library kept for this thread. */
    static RuntimeException failure(int status, String function) {
        String message = lastMessage();
        if (message.isEmpty()) message = function + " failed (status " + status + ") without a message";
        switch (status) {
            case 1: return new NullPointerException(message);
            case 2: return new IndexOutOfBoundsException(message);
            case 3: return new IllegalArgumentException(message);
            case 4: return new IllegalStateException(message);
            case 5: throw new OutOfMemoryError(message);
            case 6: return new UnsupportedOperationException(message);
            case 7: return new NativeKernelException(message);
            default: return new IllegalStateException(function + ": unknown status " + status + " from the native library: " + message);
        }
    }

    /** The class each status becomes, for the test that pins them to the JNI side's ({@code codes.rs}). */
    static String exceptionClassName(int status) {
        switch (status) {
            case 5: return OutOfMemoryError.class.getName();
            default: return failure(status, "codeTables").getClass().getName();
        }
    }

    private static String lastMessage() {
        byte[] buffer = new byte[256];
        while (true) {
            int length;
            try {
                length = (int) ErrorMessage.H.invokeExact(MemorySegment.ofArray(buffer), buffer.length);
            } catch (Throwable t) {
                throw unexpected(t);
            }
            if (length <= buffer.length) return new String(buffer, 0, length, StandardCharsets.UTF_8);
            buffer = new byte[length];
        }
    }

    /**
     * What a downcall threw before or after the native code ran: the JDK's own checks (a closed
     * arena's {@link IllegalStateException}, {@link IllegalCallerException}) pass unchanged.
     */
    private static RuntimeException unexpected(Throwable t) {
        if (t instanceof RuntimeException) return (RuntimeException) t;
        if (t instanceof Error) throw (Error) t;
        return new IllegalStateException("unexpected exception from a downcall", t);
    }
}
