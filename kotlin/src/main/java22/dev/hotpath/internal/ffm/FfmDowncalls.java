package dev.hotpath.internal.ffm;

import static java.lang.foreign.ValueLayout.ADDRESS;
import static java.lang.foreign.ValueLayout.JAVA_DOUBLE;
import static java.lang.foreign.ValueLayout.JAVA_INT;
import static java.lang.foreign.ValueLayout.JAVA_LONG;

import dev.hotpath.NativeKernelException;
import dev.hotpath.internal.FfmBridge;
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
 * {@code Bridge.select()} names it, by reflection, on JDK 22 and newer. Java rather than Kotlin:
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

    private static final FunctionDescriptor RANGE_TO_OUT =
            FunctionDescriptor.of(JAVA_INT, ADDRESS, JAVA_INT, JAVA_INT, JAVA_INT, ADDRESS);
    private static final FunctionDescriptor ARRAY_TO_OUT = FunctionDescriptor.of(JAVA_INT, ADDRESS, JAVA_INT, ADDRESS);
    private static final FunctionDescriptor BYTES_TO_OUT =
            FunctionDescriptor.of(JAVA_INT, ADDRESS, JAVA_INT, JAVA_INT, ADDRESS);

    private static final class ErrorMessage {
        static final MethodHandle H = critical("hotpath_ffm_error_message", FunctionDescriptor.of(JAVA_INT, ADDRESS, JAVA_INT));
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
        static final MethodHandle H = critical("hotpath_numeric_sum_long_array", RANGE_TO_OUT);
    }

    private static final class SumDoubleArray {
        static final MethodHandle H = critical("hotpath_numeric_sum_double_array", RANGE_TO_OUT);
    }

    private static final class CombineSums {
        static final MethodHandle H = critical("hotpath_numeric_combine_sums", ARRAY_TO_OUT);
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
        static final MethodHandle HEAP = critical("hotpath_numeric_sum_longs_bytes", BYTES_TO_OUT);
        static final MethodHandle DIRECT = handle("hotpath_numeric_sum_longs_bytes", BYTES_TO_OUT, PLAIN);
    }

    private static final class SumDoublesBytes {
        static final MethodHandle HEAP = critical("hotpath_numeric_sum_doubles_bytes", BYTES_TO_OUT);
        static final MethodHandle DIRECT = handle("hotpath_numeric_sum_doubles_bytes", BYTES_TO_OUT, PLAIN);
    }

    /** Made by {@code Bridge.select()} through reflection; builds nothing. */
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
        MemorySegment all = MemorySegment.ofArray(values);
        long[] out = new long[1];
        MemorySegment outSegment = MemorySegment.ofArray(out);
        long sum = 0;
        int start = fromIndex;
        // At least one call, so an empty range is checked natively too, as through JNI.
        do {
            int end = pieceEnd(start, toIndex, SEGMENT);
            int status;
            try {
                status = (int) SumLongArray.H.invokeExact(all, values.length, start, end, outSegment);
            } catch (Throwable t) {
                throw unexpected(t);
            }
            check(status, "sumLongArray");
            sum += out[0];
            start = end;
        } while (start < toIndex);
        return sum;
    }

    @Override
    public double sumDoubleArray(double[] values, int fromIndex, int toIndex) {
        MemorySegment all = MemorySegment.ofArray(values);
        int pieces = pieces(toIndex - fromIndex, SEGMENT);
        double[] partials = new double[pieces];
        int start = fromIndex;
        for (int i = 0; i < pieces; i++) {
            int end = pieceEnd(start, toIndex, SEGMENT);
            int status;
            try {
                status = (int) SumDoubleArray.H.invokeExact(all, values.length, start, end, MemorySegment.ofArray(partials).asSlice(8L * i, 8));
            } catch (Throwable t) {
                throw unexpected(t);
            }
            check(status, "sumDoubleArray");
            start = end;
        }
        return pieces == 1 ? partials[0] : combineSums(partials, "sumDoubleArray");
    }

    private static double combineSums(double[] partials, String function) {
        double[] out = new double[1];
        int status;
        try {
            status = (int) CombineSums.H.invokeExact(MemorySegment.ofArray(partials), partials.length, MemorySegment.ofArray(out));
        } catch (Throwable t) {
            throw unexpected(t);
        }
        check(status, function);
        return out[0];
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
     * {@link IllegalStateException} here or in the downcall, never a read of freed memory).
     */
    private static MemorySegment directBytes(ByteBuffer buffer, int position, int length) {
        if (!buffer.isDirect()) throw new IllegalArgumentException("buffer is not a direct buffer");
        MemorySegment fromPosition = MemorySegment.ofBuffer(buffer);
        return fromPosition.asSlice((long) position - buffer.position(), length);
    }

    @Override
    public long sumLongsDirect(ByteBuffer buffer, int position, int length, boolean bigEndian) {
        MemorySegment bytes = directBytes(buffer, position, length);
        long[] out = new long[1];
        int status;
        try {
            status = (int) SumLongsBytes.DIRECT.invokeExact(bytes, length, bigEndian ? 1 : 0, MemorySegment.ofArray(out));
        } catch (Throwable t) {
            throw unexpected(t);
        }
        check(status, "sumLongsDirect");
        return out[0];
    }

    @Override
    public double sumDoublesDirect(ByteBuffer buffer, int position, int length, boolean bigEndian) {
        MemorySegment bytes = directBytes(buffer, position, length);
        double[] out = new double[1];
        int status;
        try {
            status = (int) SumDoublesBytes.DIRECT.invokeExact(bytes, length, bigEndian ? 1 : 0, MemorySegment.ofArray(out));
        } catch (Throwable t) {
            throw unexpected(t);
        }
        check(status, "sumDoublesDirect");
        return out[0];
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
        if (offset < 0) throw new IndexOutOfBoundsException("fromIndex " + offset + " < 0");
        if (end < 0) throw new IndexOutOfBoundsException("toIndex " + end + " < 0");
        if (end > array.length) throw new IndexOutOfBoundsException("toIndex " + end + " > array length " + array.length);
        if (offset > end) throw new IndexOutOfBoundsException("fromIndex " + offset + " > toIndex " + end);
        return MemorySegment.ofArray(array).asSlice(offset, length);
    }

    @Override
    public long sumLongsBytes(byte[] array, int offset, int length, boolean bigEndian) {
        MemorySegment bytes = heapBytes(array, offset, length);
        long[] out = new long[1];
        MemorySegment outSegment = MemorySegment.ofArray(out);
        long sum = 0;
        int start = 0;
        do {
            int end = pieceEnd(start, length, BYTE_SEGMENT);
            int status;
            try {
                status = (int) SumLongsBytes.HEAP.invokeExact(bytes.asSlice(start, end - start), end - start, bigEndian ? 1 : 0, outSegment);
            } catch (Throwable t) {
                throw unexpected(t);
            }
            check(status, "sumLongsBytes");
            sum += out[0];
            start = end;
        } while (start < length);
        return sum;
    }

    @Override
    public double sumDoublesBytes(byte[] array, int offset, int length, boolean bigEndian) {
        MemorySegment bytes = heapBytes(array, offset, length);
        int pieces = pieces(length, BYTE_SEGMENT);
        double[] partials = new double[pieces];
        int start = 0;
        for (int i = 0; i < pieces; i++) {
            int end = pieceEnd(start, length, BYTE_SEGMENT);
            int status;
            try {
                status = (int) SumDoublesBytes.HEAP.invokeExact(bytes.asSlice(start, end - start), end - start, bigEndian ? 1 : 0,
                        MemorySegment.ofArray(partials).asSlice(8L * i, 8));
            } catch (Throwable t) {
                throw unexpected(t);
            }
            check(status, "sumDoublesBytes");
            start = end;
        }
        return pieces == 1 ? partials[0] : combineSums(partials, "sumDoublesBytes");
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
