package dev.hotpath;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.hotpath.internal.FfmBridge;
import dev.hotpath.internal.NativeBridge;
import dev.hotpath.jvm.NumericReference;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The FFM bridge against the JNI bridge in one JVM (JDK 22 and newer; both bridges over the one
 * loaded library, whichever the loader selected): the same exceptions with the same messages
 * for bad arguments and panics, right results under concurrency while the collector moves
 * arrays, and memory segments whose arena closes before or during a call.
 */
class FfmBridgeTest {
    /** {@code SEGMENT} of rust/core's numeric module: inputs longer than this go in several critical calls. */
    private static final int SEGMENT = 1 << 19;

    private FfmBridge ffm;

    @BeforeEach
    void ffmBridge() throws ReflectiveOperationException {
        assumeTrue(Runtime.version().feature() >= 22, "the FFM bridge needs JDK 22 or newer (run with -Pjdk25)");
        ffm = FfmHooks.standalone();
    }

    /** What {@code call} threw, or a failure naming {@code what} when it returned. */
    private static Throwable thrown(String what, ThrowingRunnable call) {
        try {
            call.run();
        } catch (Throwable t) {
            return t;
        }
        return fail(what + " did not throw");
    }

    @FunctionalInterface
    private interface ThrowingRunnable {
        void run() throws Throwable;
    }

    private static void assertSameFailure(String what, ThrowingRunnable jni, ThrowingRunnable ffm) {
        Throwable expected = thrown("JNI " + what, jni);
        Throwable actual = thrown("FFM " + what, ffm);
        assertEquals(expected.getClass(), actual.getClass(), () -> what + ": JNI threw " + expected + ", FFM threw " + actual);
        assertEquals(expected.getMessage(), actual.getMessage(), what);
    }

    /** The suite's -Dhotpath.bridge reaches this JVM, and the loader honours it. */
    @Test
    void theBridgeTheSuiteAskedForIsTheOneInUse() {
        String asked = System.getProperty("hotpath.bridge", "auto");
        String line = Hotpath.diagnostics().lines().filter(l -> l.startsWith("bridge: ")).findFirst().orElse("no bridge line");
        if (asked.equals("jni")) {
            assertEquals(null, FfmHooks.selected(), line);
            assertTrue(line.startsWith("bridge: jni (hotpath.bridge=jni)"), line);
        } else {
            // auto or ffm, on JDK 22+ with --enable-native-access=ALL-UNNAMED (the suite's argLine).
            assertTrue(FfmHooks.selected() != null, line);
            assertTrue(line.startsWith("bridge: ffm ("), line);
        }
    }

    /**
     * The sums return their result and signal failure with a sentinel (Long.MIN_VALUE, a NaN with
     * a payload); a real result equal to the sentinel must come back as a result, not an error.
     */
    @Test
    void aSumEqualToTheFailureSentinelIsAResult() {
        long[] longs = {Long.MIN_VALUE, 0};
        assertEquals(Long.MIN_VALUE, ffm.sumLongArray(longs, 0, 2));
        assertEquals(Long.MIN_VALUE, ffm.sumLongArray(new long[] {Long.MAX_VALUE, 1}, 0, 2));
        double sentinel = Double.longBitsToDouble(0x7ff8_0000_dead_f00dL);
        double[] doubles = {sentinel};
        assertEquals(Double.doubleToRawLongBits(NativeBridge.sumDoubleArray(doubles, 0, 1, 1)),
                Double.doubleToRawLongBits(ffm.sumDoubleArray(doubles, 0, 1)));
        ByteBuffer direct = ByteBuffer.allocateDirect(8).order(ByteOrder.LITTLE_ENDIAN).putLong(0, Long.MIN_VALUE);
        assertEquals(Long.MIN_VALUE, ffm.sumLongsDirect(direct, 0, 8, false));
        byte[] bytes = new byte[8];
        ByteBuffer.wrap(bytes).order(ByteOrder.LITTLE_ENDIAN).putLong(0, Long.MIN_VALUE);
        assertEquals(Long.MIN_VALUE, ffm.sumLongsBytes(bytes, 0, 8, false));
    }

    @Test
    void badRangesAreTheJniBridgesExceptionsWithTheSameMessages() {
        long[] longs = new long[3];
        double[] doubles = new double[3];
        int[][] ranges = {{0, 4}, {2, 1}, {-1, 2}, {4, 4}, {Integer.MIN_VALUE, 0}};
        for (int[] r : ranges) {
            String what = "range [" + r[0] + ", " + r[1] + ") of 3";
            assertSameFailure("sumLongArray " + what,
                    () -> NativeBridge.sumLongArray(longs, r[0], r[1], longs.length), () -> ffm.sumLongArray(longs, r[0], r[1]));
            assertSameFailure("sumDoubleArray " + what,
                    () -> NativeBridge.sumDoubleArray(doubles, r[0], r[1], doubles.length), () -> ffm.sumDoubleArray(doubles, r[0], r[1]));
        }
        byte[] bytes = new byte[24];
        int[][] byteRanges = {{-1, 8}, {8, 24}, {0, 12}, {0, -8}, {Integer.MAX_VALUE, 8}, {20, 8}};
        for (int[] r : byteRanges) {
            String what = "offset " + r[0] + ", length " + r[1] + " of 24 bytes";
            for (boolean big : new boolean[] {false, true}) {
                assertSameFailure("sumLongsBytes " + what,
                        () -> NativeBridge.sumLongsBytes(bytes, r[0], r[1], big), () -> ffm.sumLongsBytes(bytes, r[0], r[1], big));
                assertSameFailure("sumDoublesBytes " + what,
                        () -> NativeBridge.sumDoublesBytes(bytes, r[0], r[1], big), () -> ffm.sumDoublesBytes(bytes, r[0], r[1], big));
            }
        }
    }

    @Test
    void badOutputsAndDirectRangesAreTheJniBridgesExceptions() {
        assertSameFailure("statsDoubleArray into 3 doubles",
                () -> NativeBridge.statsDoubleArray(new double[] {1, 2}, new double[3]), () -> ffm.statsDoubleArray(new double[] {1, 2}, new double[3]));
        ByteBuffer direct = ByteBuffer.allocateDirect(32);
        int[][] ranges = {{0, 12}, {0, -8}, {-1, 8}, {8, 32}, {40, 0}};
        for (int[] r : ranges) {
            String what = "direct position " + r[0] + ", length " + r[1];
            assertSameFailure("sumLongsDirect " + what,
                    () -> NativeBridge.sumLongsDirect(direct, r[0], r[1], false), () -> ffm.sumLongsDirect(direct, r[0], r[1], false));
            assertSameFailure("sumDoublesDirect " + what,
                    () -> NativeBridge.sumDoublesDirect(direct, r[0], r[1], false), () -> ffm.sumDoublesDirect(direct, r[0], r[1], false));
        }
    }

    @Test
    void panicsAreTheJniBridgesNativeKernelExceptionAndTheNextCallWorks() {
        for (boolean inWorker : new boolean[] {false, true}) {
            assertSameFailure("panicForTest(" + inWorker + ")", () -> NativeBridge.panicForTest(inWorker), () -> ffm.panicForTest(inWorker));
            Throwable e = thrown("FFM panic", () -> ffm.panicForTest(inWorker));
            assertEquals(NativeKernelException.class, e.getClass());
            assertTrue(e.getMessage().contains("deliberate panic"), e.getMessage());
            assertEquals(6L, ffm.sumLongArray(new long[] {1, 2, 3}, 0, 3));
        }
        ffm.noop();
    }

    @Test
    void resultsMatchTheJniBridgeAcrossPieceBoundaries() {
        SplittableRandom rnd = new SplittableRandom(17);
        for (int n : new int[] {0, 1, 7, SEGMENT - 1, SEGMENT, SEGMENT + 1, 2 * SEGMENT + 3}) {
            long[] longs = rnd.longs(n).toArray();
            double[] doubles = rnd.doubles(n, -1e6, 1e6).toArray();
            int from = n / 3;
            assertEquals(NativeBridge.sumLongArray(longs, from, n, n), ffm.sumLongArray(longs, from, n), "sum long n=" + n);
            assertEquals(Double.doubleToLongBits(NativeBridge.sumDoubleArray(doubles, from, n, n)),
                    Double.doubleToLongBits(ffm.sumDoubleArray(doubles, from, n)), "sum double n=" + n);
            assertEquals(Double.doubleToLongBits(NativeBridge.sumExactDoubleArray(doubles)),
                    Double.doubleToLongBits(ffm.sumExactDoubleArray(doubles)), "sumExact n=" + n);
            double[] jniStats = new double[4];
            double[] ffmStats = new double[4];
            NativeBridge.statsDoubleArray(doubles, jniStats);
            ffm.statsDoubleArray(doubles, ffmStats);
            for (int i = 0; i < 4; i++) {
                assertEquals(Double.doubleToLongBits(jniStats[i]), Double.doubleToLongBits(ffmStats[i]), "stats[" + i + "] n=" + n);
            }
            long[] scaledJni = longs.clone();
            long[] scaledFfm = longs.clone();
            NativeBridge.scaleLongArray(scaledJni, -3);
            ffm.scaleLongArray(scaledFfm, -3);
            assertTrue(java.util.Arrays.equals(scaledJni, scaledFfm), "scale long n=" + n);
            byte[] bytes = new byte[8 * n];
            ByteBuffer.wrap(bytes).order(ByteOrder.BIG_ENDIAN).asLongBuffer().put(longs);
            assertEquals(NativeBridge.sumLongsBytes(bytes, 0, bytes.length, true), ffm.sumLongsBytes(bytes, 0, bytes.length, true), "bytes n=" + n);
            ByteBuffer direct = ByteBuffer.allocateDirect(bytes.length).put(bytes).flip();
            assertEquals(NativeBridge.sumLongsDirect(direct, 0, bytes.length, true), ffm.sumLongsDirect(direct, 0, bytes.length, true), "direct n=" + n);
        }
    }

    @Test
    void hashesAndSignaturesMatchTheJniBridgeAcrossPieceBoundaries() {
        SplittableRandom rnd = new SplittableRandom(22);
        byte[] key = new byte[32];
        rnd.nextBytes(key);
        byte[] secret = new byte[32];
        rnd.nextBytes(secret);
        // Around one piece of SHA-256 (1 MiB, also the longest message signed in place) and of BLAKE3 (4 MiB).
        for (int n : new int[] {0, 1, 1000, (1 << 20) - 1, (1 << 20) + 1, (4 << 20) + 3}) {
            byte[] input = new byte[n];
            rnd.nextBytes(input);
            for (int outLength : new int[] {32, 0, 7, 100, (1 << 20) + 5}) {
                for (byte[] k : new byte[][] {null, key}) {
                    if (outLength > 1000 && n > 1000) continue;
                    byte[] jni = new byte[outLength];
                    byte[] ffmOut = new byte[outLength];
                    NativeBridge.blake3Hash(input, 0, n, k, jni);
                    ffm.blake3Hash(input, 0, n, k, ffmOut);
                    assertArrayEquals(jni, ffmOut, "blake3 n=" + n + " out=" + outLength + " keyed=" + (k != null));
                }
            }
            int from = n / 3;
            byte[] jniRange = new byte[32];
            byte[] ffmRange = new byte[32];
            NativeBridge.blake3Hash(input, from, n - from, null, jniRange);
            ffm.blake3Hash(input, from, n - from, null, ffmRange);
            assertArrayEquals(jniRange, ffmRange, "blake3 of a range, n=" + n);
            ByteBuffer direct = ByteBuffer.allocateDirect(n).put(input).flip();
            byte[] ffmDirect = new byte[32];
            ffm.blake3HashDirect(direct, from, n - from, ffmDirect);
            assertArrayEquals(jniRange, ffmDirect, "blake3 of a direct range, n=" + n);
            byte[] jniSha = new byte[32];
            byte[] ffmSha = new byte[32];
            NativeBridge.sha256Hash(input, jniSha);
            ffm.sha256Hash(input, ffmSha);
            assertArrayEquals(jniSha, ffmSha, "sha256 n=" + n);
            byte[] signature = NativeBridge.ed25519Sign(secret, input);
            assertArrayEquals(signature, ffm.ed25519Sign(secret, input), "ed25519 sign n=" + n);
            byte[] publicKey = ffm.ed25519PublicKey(secret);
            assertArrayEquals(NativeBridge.ed25519PublicKey(secret), publicKey);
            assertTrue(ffm.ed25519Verify(publicKey, input, signature), "ed25519 verify n=" + n);
            signature[n % 64] ^= 1;
            assertEquals(NativeBridge.ed25519Verify(publicKey, input, signature), ffm.ed25519Verify(publicKey, input, signature));
            assertFalse(ffm.ed25519Verify(publicKey, input, signature), "a changed signature verified, n=" + n);
        }
    }

    @Test
    void badKeysRangesAndOutputsOfHashesAndSignaturesAreTheJniBridgesExceptions() {
        byte[] input = new byte[100];
        byte[] big = new byte[(4 << 20) + 1];
        byte[] out = new byte[32];
        for (byte[] data : new byte[][] {input, big}) {
            String size = " of " + data.length + " bytes";
            assertSameFailure("blake3Hash with a 16-byte key" + size,
                    () -> NativeBridge.blake3Hash(data, 0, data.length, new byte[16], out), () -> ffm.blake3Hash(data, 0, data.length, new byte[16], out));
            int[][] ranges = {{-1, 10}, {10, -1}, {0, data.length + 1}, {Integer.MAX_VALUE, 10}};
            for (int[] r : ranges) {
                assertSameFailure("blake3Hash offset " + r[0] + ", length " + r[1] + size,
                        () -> NativeBridge.blake3Hash(data, r[0], r[1], null, out), () -> ffm.blake3Hash(data, r[0], r[1], null, out));
            }
        }
        assertSameFailure("sha256Hash into 31 bytes", () -> NativeBridge.sha256Hash(input, new byte[31]), () -> ffm.sha256Hash(input, new byte[31]));
        assertSameFailure("ed25519PublicKey of 31 bytes", () -> NativeBridge.ed25519PublicKey(new byte[31]), () -> ffm.ed25519PublicKey(new byte[31]));
        assertSameFailure("ed25519Sign with 33 bytes", () -> NativeBridge.ed25519Sign(new byte[33], input), () -> ffm.ed25519Sign(new byte[33], input));
        assertSameFailure("ed25519Verify of a 63-byte signature",
                () -> NativeBridge.ed25519Verify(new byte[32], input, new byte[63]), () -> ffm.ed25519Verify(new byte[32], input, new byte[63]));
        assertSameFailure("ed25519Verify with a 31-byte key",
                () -> NativeBridge.ed25519Verify(new byte[31], input, new byte[64]), () -> ffm.ed25519Verify(new byte[31], input, new byte[64]));
    }

    /**
     * Four threads through the FFM bridge on arrays of several pieces while a fifth allocates
     * and asks for collections: the heap segments are read where the arrays are at each call,
     * however often the collector moved them in between.
     */
    @Test
    void concurrentCallsWhileTheCollectorChurnsGiveTheReferenceResults() throws Exception {
        int n = 2 * SEGMENT + 5;
        SplittableRandom rnd = new SplittableRandom(25);
        long[] longs = rnd.longs(n).toArray();
        double[] doubles = rnd.doubles(n, -1e3, 1e3).toArray();
        long expectedLong = NumericReference.sum(longs, 0, n);
        double expectedDouble = NativeBridge.sumDoubleArray(doubles, 0, n, n);
        double expectedExact = NumericReference.sumExact(doubles);
        AtomicBoolean stop = new AtomicBoolean();
        ExecutorService pool = Executors.newFixedThreadPool(5);
        try {
            Future<Long> churn = pool.submit(() -> {
                long allocated = 0;
                List<long[]> keep = new ArrayList<>();
                while (!stop.get()) {
                    keep.add(new long[1 << 14]);
                    allocated += 1 << 14;
                    if (keep.size() > 64) keep.clear();
                    if (allocated % (1 << 22) == 0) System.gc();
                }
                return allocated;
            });
            CountDownLatch start = new CountDownLatch(1);
            List<Future<Integer>> workers = new ArrayList<>();
            for (int t = 0; t < 4; t++) {
                int id = t;
                workers.add(pool.submit(() -> {
                    start.await();
                    int calls = 0;
                    for (int i = 0; i < 40; i++) {
                        // A fresh copy each time, so the collector has young arrays to move.
                        long[] l = longs.clone();
                        assertEquals(expectedLong, ffm.sumLongArray(l, 0, n), "worker " + id + " sum long");
                        double[] d = doubles.clone();
                        assertEquals(Double.doubleToLongBits(expectedDouble), Double.doubleToLongBits(ffm.sumDoubleArray(d, 0, n)), "worker " + id);
                        if (i % 8 == 0) {
                            assertEquals(Double.doubleToLongBits(expectedExact), Double.doubleToLongBits(ffm.sumExactDoubleArray(d)), "worker " + id);
                        }
                        calls += 2;
                    }
                    return calls;
                }));
            }
            start.countDown();
            int calls = 0;
            for (Future<Integer> w : workers) calls += w.get(5, TimeUnit.MINUTES);
            stop.set(true);
            assertTrue(churn.get(1, TimeUnit.MINUTES) > 0);
            assertEquals(4 * 80, calls);
        } finally {
            stop.set(true);
            pool.shutdownNow();
        }
    }

    /** {@code java.lang.foreign}, by reflection: this module compiles for JDK 17. */
    private static final class Foreign {
        private final Class<?> arena = Class.forName("java.lang.foreign.Arena");
        private final Class<?> segment = Class.forName("java.lang.foreign.MemorySegment");

        Foreign() throws ClassNotFoundException {}

        AutoCloseable sharedArena() throws ReflectiveOperationException {
            return (AutoCloseable) arena.getMethod("ofShared").invoke(null);
        }

        ByteBuffer buffer(AutoCloseable owner, long bytes) throws ReflectiveOperationException {
            Object s = arena.getMethod("allocate", long.class).invoke(owner, bytes);
            return (ByteBuffer) segment.getMethod("asByteBuffer").invoke(s);
        }
    }

    @Test
    void aBufferOfAClosedArenaIsAnIllegalStateExceptionThroughTheFfmBridge() throws Exception {
        Foreign foreign = new Foreign();
        AutoCloseable arena = foreign.sharedArena();
        ByteBuffer buffer = foreign.buffer(arena, 1 << 16);
        assertEquals(0L, ffm.sumLongsDirect(buffer, 0, 1 << 16, false));
        arena.close();
        IllegalStateException e = assertThrows(IllegalStateException.class, () -> ffm.sumLongsDirect(buffer, 0, 1 << 16, false));
        assertTrue(e.getMessage().contains("closed"), e.getMessage());
        assertThrows(IllegalStateException.class, () -> ffm.sumDoublesDirect(buffer, 8, 64, true));
    }

    /**
     * A shared arena closed while another thread sums its buffer through the FFM bridge: the
     * downcall holds the arena's scope, so the close waits its turn (the closing thread sees
     * {@link IllegalStateException} while a call runs) and the reader gets the whole right sum
     * or an {@link IllegalStateException}, never freed memory.
     */
    @Test
    void anArenaClosedDuringCallsGivesResultsOrIllegalStateExceptionsNeverACrash() throws Exception {
        Foreign foreign = new Foreign();
        int bytes = 8 << 20;
        ExecutorService pool = Executors.newSingleThreadExecutor();
        try {
            for (int round = 0; round < 20; round++) {
                AutoCloseable arena = foreign.sharedArena();
                ByteBuffer buffer = foreign.buffer(arena, bytes).order(ByteOrder.LITTLE_ENDIAN);
                for (int i = 0; i < bytes / 8; i++) buffer.putLong(8 * i, i);
                long expected = (long) (bytes / 8) * (bytes / 8 - 1) / 2;
                CountDownLatch started = new CountDownLatch(1);
                int r = round;
                Future<Integer> reading = pool.submit(() -> {
                    started.countDown();
                    int sums = 0;
                    while (true) {
                        try {
                            assertEquals(expected, ffm.sumLongsDirect(buffer, 0, bytes, false), "round " + r);
                            sums++;
                        } catch (IllegalStateException e) {
                            return sums;
                        }
                    }
                });
                started.await();
                Thread.sleep(round % 5);
                while (true) {
                    try {
                        arena.close();
                        break;
                    } catch (IllegalStateException busy) {
                        // Acquired by the reader's downcall: try again once it returned.
                        Thread.onSpinWait();
                    }
                }
                reading.get(1, TimeUnit.MINUTES);
            }
        } finally {
            pool.shutdownNow();
        }
    }
}
