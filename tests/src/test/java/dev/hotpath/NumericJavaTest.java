package dev.hotpath;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import dev.hotpath.jvm.NumericReference;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.LinkedHashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.function.Executable;

/** The public API as a Java caller writes it: static methods, bean getters, standard exceptions. */
class NumericJavaTest extends JavaCallerTest {
    @Test
    void sumOfLongArrayIsAStaticCallThatWrapsLikeJava() {
        for (Backend b : BACKENDS) {
            Hotpath.setBackend(b);
            assertEquals(6L, Numeric.sum(new long[] {1, 2, 3}), b::name);
            assertEquals(Long.MIN_VALUE, Numeric.sum(new long[] {Long.MAX_VALUE, 1}), b::name);
            assertEquals(0L, Numeric.sum(new long[0]), b::name);
        }
    }

    @Test
    void rangeSumCoversFromIndexInclusiveToIndexExclusive() {
        long[] longs = {10, 20, 30, 40, 50, 60};
        double[] doubles = {0.5, 1.5, 2.5, 3.5, 4.5, 5.5};
        for (Backend b : BACKENDS) {
            Hotpath.setBackend(b);
            assertEquals(30L + 40 + 50, Numeric.sum(longs, 2, 5), b::name);
            assertEquals(2.5 + 3.5 + 4.5, Numeric.sum(doubles, 2, 5), 0.0, b::name);
            assertEquals(0L, Numeric.sum(longs, 3, 3), b::name);
        }
    }

    @Test
    void sumExactKeepsWhatThePairwiseSumLoses() {
        double[] values = {1e100, 1.0, -1e100};
        for (Backend b : BACKENDS) {
            Hotpath.setBackend(b);
            assertEquals(1.0, Numeric.sumExact(values), 0.0, b::name);
            assertEquals(0.0, Numeric.sum(values), 0.0, b::name);
        }
    }

    @Test
    void statsAreReadThroughBeanGetters() {
        double[] d = {2, 4, 4, 4, 5, 5, 7, 9};
        for (Backend b : BACKENDS) {
            Hotpath.setBackend(b);
            Stats s = Numeric.stats(d);
            assertEquals(8L, s.getCount(), b::name);
            assertEquals(5.0, Numeric.stats(d).getMean(), 0.0, b::name);
            assertEquals(40.0, s.getSum(), 0.0, b::name);
            assertEquals(2.0, s.getMin(), 0.0, b::name);
            assertEquals(9.0, s.getMax(), 0.0, b::name);
            assertEquals(4.0, s.getVariance(), 1e-15, b::name);
            assertEquals(2.0, s.getStdDev(), 1e-15, b::name);
            assertEquals(32.0 / 7, s.getSampleVariance(), 1e-15, b::name);
            assertEquals(32.0, s.getSumOfSquaredDeviations(), 1e-13, b::name);
            assertTrue(s.toString().contains("count=8"), s::toString);
        }
        Hotpath.setBackend(Backend.JVM);
        Stats jvm = Numeric.stats(d);
        Hotpath.setBackend(Backend.NATIVE);
        assertEquals(jvm, Numeric.stats(d), "Stats from both backends are equal");
        assertEquals(jvm.hashCode(), Numeric.stats(d).hashCode());
    }

    @Test
    void scaleMultipliesTheCallersArrayInPlace() {
        for (Backend b : BACKENDS) {
            Hotpath.setBackend(b);
            long[] longs = {1, -2, Long.MAX_VALUE};
            Numeric.scale(longs, 2L);
            assertEquals(2L, longs[0], b::name);
            assertEquals(-4L, longs[1], b::name);
            assertEquals(Long.MAX_VALUE * 2, longs[2], b::name);
            double[] doubles = new double[2000];
            java.util.Arrays.fill(doubles, 1.5);
            Numeric.scale(doubles, -2.0);
            for (int i = 0; i < doubles.length; i++) {
                if (doubles[i] != -3.0) fail(b + ": element " + i + " is " + doubles[i]);
            }
        }
    }

    @Test
    void hotpathReportsItsVersionNativeAvailabilityAndThreads() {
        String expectedVersion = System.getProperty("hotpath.test.version");
        assertNotNull(Hotpath.getVersion());
        if (expectedVersion != null) assertEquals(expectedVersion, Hotpath.getVersion());
        assertTrue(Hotpath.isNativeAvailable());
        assertNull(Hotpath.getNativeLoadError());
        assertTrue(Hotpath.getThreads() >= 1, () -> "threads: " + Hotpath.getThreads());
        String diagnostics = Hotpath.diagnostics();
        assertTrue(diagnostics.contains(Hotpath.getVersion()), diagnostics);
        assertTrue(diagnostics.contains("native: loaded"), diagnostics);
    }

    @Test
    void backendIsAStaticPropertyThatEveryThreadSees() throws Exception {
        assertEquals(Backend.AUTO, Hotpath.getBackend());
        Hotpath.setBackend(Backend.JVM);
        Backend[] seen = new Backend[1];
        Thread other = new Thread(() -> seen[0] = Hotpath.getBackend());
        other.start();
        other.join();
        assertEquals(Backend.JVM, seen[0]);
        Hotpath.setBackend(Backend.NATIVE);
        assertEquals(Backend.NATIVE, Hotpath.getBackend());
        assertEquals(Backend.NATIVE, Backend.valueOf("NATIVE"));
    }

    @Test
    void nullArraysThrowNullPointerExceptionNamingTheParameter() {
        Map<String, Executable> calls = new LinkedHashMap<>();
        calls.put("sum(long[])", () -> Numeric.sum((long[]) null));
        calls.put("sum(long[], int, int)", () -> Numeric.sum((long[]) null, 0, 0));
        calls.put("sum(double[])", () -> Numeric.sum((double[]) null));
        calls.put("sum(double[], int, int)", () -> Numeric.sum((double[]) null, 0, 0));
        calls.put("sumExact", () -> Numeric.sumExact(null));
        calls.put("stats", () -> Numeric.stats(null));
        calls.put("scale(long[], long)", () -> Numeric.scale((long[]) null, 2L));
        calls.put("scale(double[], double)", () -> Numeric.scale((double[]) null, 2.0));
        for (Backend b : BACKENDS) {
            Hotpath.setBackend(b);
            for (Map.Entry<String, Executable> call : calls.entrySet()) {
                NullPointerException e = assertThrows(NullPointerException.class, call.getValue(), () -> call.getKey() + " on " + b);
                assertTrue(String.valueOf(e.getMessage()).contains("values"),
                        () -> call.getKey() + " on " + b + ": message '" + e.getMessage() + "' does not name 'values'");
            }
        }
    }

    @Test
    void nullBufferThrowsNullPointerExceptionNamingTheParameter() {
        for (Backend b : BACKENDS) {
            Hotpath.setBackend(b);
            NullPointerException longs = assertThrows(NullPointerException.class, () -> Numeric.sumLongs(null));
            NullPointerException doubles = assertThrows(NullPointerException.class, () -> Numeric.sumDoubles(null));
            assertTrue(String.valueOf(longs.getMessage()).contains("buffer"), longs::getMessage);
            assertTrue(String.valueOf(doubles.getMessage()).contains("buffer"), doubles::getMessage);
        }
    }

    @Test
    void byteBufferSumsReadTheRemainingBytesInTheBuffersOrder() {
        for (Backend b : BACKENDS) {
            Hotpath.setBackend(b);
            ByteBuffer direct = ByteBuffer.allocateDirect(8 * 500).order(ByteOrder.LITTLE_ENDIAN);
            for (int i = 0; i < 500; i++) direct.putLong(i);
            direct.flip();
            direct.position(8 * 100);
            assertEquals(124_750L - 4_950L, Numeric.sumLongs(direct), b::name);
            assertEquals(800, direct.position(), b::name);

            ByteBuffer heap = ByteBuffer.allocate(8 * 3);
            heap.putDouble(0.25).putDouble(0.5).putDouble(1.0).flip();
            assertEquals(1.75, Numeric.sumDoubles(heap), 0.0, b::name);
            assertEquals(1.75, Numeric.sumDoubles(heap.asReadOnlyBuffer()), 0.0, b::name);
            assertEquals(ByteOrder.BIG_ENDIAN, heap.order());
        }
    }

    @Test
    void argumentErrorsAreCatchableAsTheirStandardTypes() {
        for (Backend b : BACKENDS) {
            Hotpath.setBackend(b);
            try {
                Numeric.sum(new long[10], 0, 11);
                fail("no exception on " + b);
            } catch (IndexOutOfBoundsException e) {
                assertTrue(e.getMessage().contains("toIndex 11") && e.getMessage().contains("10"), e::getMessage);
            }
            try {
                Numeric.sum(new double[10], -1, 3);
                fail("no exception on " + b);
            } catch (IndexOutOfBoundsException e) {
                assertTrue(e.getMessage().contains("fromIndex -1"), e::getMessage);
            }
            try {
                Numeric.sumLongs(ByteBuffer.allocate(13));
                fail("no exception on " + b);
            } catch (IllegalArgumentException e) {
                assertTrue(e.getMessage().contains("13"), e::getMessage);
            }
            RuntimeException unchecked = assertThrows(RuntimeException.class, () -> Numeric.sumDoubles(ByteBuffer.allocateDirect(4)));
            assertInstanceOf(IllegalArgumentException.class, unchecked);
        }
    }

    @Test
    void nativePanicIsAnUncheckedHotpathException() {
        try {
            NativeHooks.panic(false);
            fail("no exception");
        } catch (NativeKernelException e) {
            assertTrue(e.getMessage().contains("deliberate panic"), e::getMessage);
            assertInstanceOf(HotpathException.class, e);
        }
        HotpathException fromWorker = assertThrows(HotpathException.class, () -> NativeHooks.panic(true));
        assertInstanceOf(NativeKernelException.class, fromWorker);
        Hotpath.setBackend(Backend.NATIVE);
        assertEquals(6L, Numeric.sum(new long[] {1, 2, 3}), "native call after two panics");
    }

    @Test
    void twinIsCallableStaticallyAndAgreesWithTheApi() {
        double[] d = new double[1000];
        long[] l = new long[1000];
        for (int i = 0; i < d.length; i++) {
            d[i] = Math.scalb((i * 0.618) % 1.0 - 0.5, i % 40 - 20);
            l[i] = i * 0x9E3779B97F4A7C15L;
        }
        Hotpath.setBackend(Backend.NATIVE);
        assertEquals(Double.doubleToRawLongBits(NumericReference.sum(d, 0, d.length)), Double.doubleToRawLongBits(Numeric.sum(d)));
        assertEquals(Double.doubleToRawLongBits(NumericReference.sumExact(d)), Double.doubleToRawLongBits(Numeric.sumExact(d)));
        assertEquals(NumericReference.stats(d), Numeric.stats(d));
        assertEquals(NumericReference.sum(l, 3, 997), Numeric.sum(l, 3, 997));
        assertFalse(NumericReference.stats(d).getVariance() <= 0.0);
    }
}
