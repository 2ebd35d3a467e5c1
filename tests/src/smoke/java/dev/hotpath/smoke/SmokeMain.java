package dev.hotpath.smoke;

import dev.hotpath.Backend;
import dev.hotpath.Blake3;
import dev.hotpath.BlockBuilder;
import dev.hotpath.BlockError;
import dev.hotpath.BlockReport;
import dev.hotpath.Ed25519;
import dev.hotpath.Hotpath;
import dev.hotpath.Ledger;
import dev.hotpath.Merkle;
import dev.hotpath.NativeKernelException;
import dev.hotpath.Numeric;
import dev.hotpath.Sha256;
import dev.hotpath.Transaction;
import dev.hotpath.TxStatus;
import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Paths;
import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.Callable;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The smoke suite for JVMs the JUnit suites do not run on (an arm64 JVM under qemu-user): every
 * kernel family's results on {@link Backend#NATIVE} compared with its JVM twin's on random inputs
 * of several sizes, from small ones to ones large enough to run in parallel, with nothing but the
 * hotpath jar and kotlin-stdlib on the class path. Before any kernel runs it proves that the
 * library the loader picked is the jar's own library for the expected platform.
 *
 * <p>Usage: {@code SmokeMain <platform, e.g. linux-aarch64> [seed]}. Prints one summary line per
 * family. Exit status 0 when every check agreed, 1 when any check failed, 2 when the expected
 * platform's library did not load.
 *
 * <p>A new kernel family is one more method with the {@link Family} signature and one more line in
 * {@link #FAMILIES}.
 */
public final class SmokeMain {
    private SmokeMain() {}

    /** One kernel family's checks: compare NATIVE with JVM through {@link Checks#agree}. */
    private interface Family {
        void run(Checks checks, Random random) throws Exception;
    }

    private static final Map<String, Family> FAMILIES = new LinkedHashMap<>();

    static {
        FAMILIES.put("Bridge", SmokeMain::bridge);
        FAMILIES.put("Numeric", SmokeMain::numeric);
        FAMILIES.put("Blake3", SmokeMain::blake3);
        FAMILIES.put("Sha256", SmokeMain::sha256);
        FAMILIES.put("Merkle", SmokeMain::merkle);
        FAMILIES.put("Ed25519", SmokeMain::ed25519);
        FAMILIES.put("Ledger", SmokeMain::ledger);
    }

    /** Element counts for Numeric: edges of the 128-element block, segments of 2^19, and the parallel thresholds. */
    private static final int[] NUMERIC_SIZES = {0, 1, 3, 127, 128, 129, 1000, 4099, 70_001, 300_007, 1_100_003};

    /** Byte counts for the hashes: BLAKE3's 64-byte blocks and 1 KiB chunks, and past the 128 KiB parallel threshold. */
    private static final int[] HASH_SIZES = {0, 1, 63, 64, 65, 1023, 1024, 1025, 4096, 100_000, 200_003, 1_000_000};

    public static void main(String[] args) throws Exception {
        if (args.length < 1 || args.length > 2) {
            System.err.println("usage: SmokeMain <platform, e.g. linux-aarch64> [seed]");
            System.exit(2);
        }
        String platform = args[0];
        long seed = args.length > 1 ? Long.parseLong(args[1]) : new Random().nextLong();

        Hotpath.setBackend(Backend.NATIVE);
        String loadProblem = checkLoadedLibrary(platform);
        System.out.print(Hotpath.diagnostics());
        System.out.println("os.arch: " + System.getProperty("os.arch") + ", seed: " + seed);
        if (loadProblem != null) {
            System.out.println("smoke: FAILED before any kernel ran: " + loadProblem);
            System.exit(2);
        }

        int failedFamilies = 0;
        for (Map.Entry<String, Family> family : FAMILIES.entrySet()) {
            Checks checks = new Checks();
            long start = System.nanoTime();
            try {
                family.getValue().run(checks, new Random(seed ^ family.getKey().hashCode()));
            } catch (Throwable t) {
                checks.failures.add("threw " + t);
            } finally {
                Hotpath.setBackend(Backend.NATIVE);
            }
            double seconds = (System.nanoTime() - start) / 1e9;
            if (checks.failures.isEmpty()) {
                System.out.printf("smoke: %-8s %4d checks agree (%.1f s)%n", family.getKey(), checks.passed, seconds);
            } else {
                failedFamilies++;
                System.out.printf("smoke: %-8s FAILED %d of %d checks (%.1f s)%n", family.getKey(),
                        checks.failures.size(), checks.passed + checks.failures.size(), seconds);
                for (String failure : checks.failures) System.out.println("    " + failure);
            }
        }
        if (failedFamilies > 0) {
            System.out.println("smoke: FAILED: " + failedFamilies + " of " + FAMILIES.size() + " families on " + platform + " (seed " + seed + ")");
            System.exit(1);
        }
        System.out.println("smoke: all " + FAMILIES.size() + " families agree on " + platform);
    }

    /**
     * Null when the native library is loaded and is byte for byte the jar's library for
     * {@code platform} (its SHA-256 equals the jar's record); otherwise what went wrong.
     */
    private static String checkLoadedLibrary(String platform) throws IOException {
        if (!Hotpath.isNativeAvailable()) return "native library not loaded: " + Hotpath.getNativeLoadError();
        String diagnostics = Hotpath.diagnostics();
        if (!diagnostics.contains("\nplatform: " + platform + " ")) return "the loader's platform is not " + platform;
        Matcher loaded = Pattern.compile("\nnative: loaded from (.+), version ").matcher(diagnostics);
        if (!loaded.find()) return "diagnostics name no loaded library";
        String library = platform.startsWith("windows-") ? "hotpath_jni.dll"
                : platform.startsWith("macos-") ? "libhotpath_jni.dylib" : "libhotpath_jni.so";
        String resource = "/dev/hotpath/native/" + platform + "/" + library + ".sha256";
        String expected;
        try (InputStream in = Hotpath.class.getResourceAsStream(resource)) {
            if (in == null) return "the jar has no " + resource;
            expected = new String(in.readAllBytes(), StandardCharsets.US_ASCII).trim();
        }
        String actual = hex(sha256(Files.readAllBytes(Paths.get(loaded.group(1)))));
        if (!actual.equals(expected)) return loaded.group(1) + " has SHA-256 " + actual + ", not the jar's " + platform + " library's " + expected;
        return null;
    }

    // ------------------------------------------------------------------------------- families

    /** A Rust panic, on the calling thread or in a pool worker, is an exception and leaves the library usable. */
    private static void bridge(Checks c, Random random) throws Exception {
        for (boolean inWorker : new boolean[] {false, true}) {
            try {
                // The probe is on the internal bridge class, not public API; the suite has
                // already loaded the library.
                dev.hotpath.internal.NativeBridge.panicForTest(inWorker);
                c.fail("panic (inWorker=" + inWorker + ") did not throw");
            } catch (NativeKernelException expected) {
                c.pass();
            }
        }
        long[] values = randomLongs(random, 300_007);
        c.agree("sum(long[300007]) after the panics", () -> Numeric.sum(values));
        c.check("threads > 0", Hotpath.getThreads() > 0);
    }

    private static void numeric(Checks c, Random random) throws Exception {
        for (int n : NUMERIC_SIZES) {
            long[] longs = randomLongs(random, n);
            double[] doubles = randomDoubles(random, n);
            long longFactor = random.nextLong();
            double doubleFactor = random.nextGaussian() * 1e3;
            int from = n / 3;
            int to = n - n / 5;
            c.agree("sum(long[" + n + "])", () -> Numeric.sum(longs));
            c.agree("sum(long[" + n + "], " + from + ", " + to + ")", () -> Numeric.sum(longs, from, to));
            c.agree("sum(double[" + n + "])", () -> Numeric.sum(doubles));
            c.agree("sum(double[" + n + "], " + from + ", " + to + ")", () -> Numeric.sum(doubles, from, to));
            c.agree("sumExact(double[" + n + "])", () -> Numeric.sumExact(doubles));
            c.agree("stats(double[" + n + "])", () -> Numeric.stats(doubles));
            c.agree("scale(long[" + n + "])", () -> {
                long[] copy = longs.clone();
                Numeric.scale(copy, longFactor);
                return copy;
            });
            c.agree("scale(double[" + n + "])", () -> {
                double[] copy = doubles.clone();
                Numeric.scale(copy, doubleFactor);
                return copy;
            });
            for (ByteOrder order : new ByteOrder[] {ByteOrder.LITTLE_ENDIAN, ByteOrder.BIG_ENDIAN}) {
                for (boolean direct : new boolean[] {true, false}) {
                    String kind = (direct ? "direct " : "heap ") + order;
                    ByteBuffer longBuffer = buffer(n * 8, direct, order);
                    longBuffer.asLongBuffer().put(longs);
                    ByteBuffer doubleBuffer = buffer(n * 8, direct, order);
                    doubleBuffer.asDoubleBuffer().put(doubles);
                    c.agree("sumLongs(" + kind + " buffer of " + n + ")", () -> Numeric.sumLongs(longBuffer));
                    c.agree("sumDoubles(" + kind + " buffer of " + n + ")", () -> Numeric.sumDoubles(doubleBuffer));
                }
            }
        }
        double[] specials = {1e308, 1e308, -1e308, -0.0, 0.0, Double.MIN_VALUE, 1.0, 1e-16, -1.0, 3.5};
        c.agree("sum(specials)", () -> Numeric.sum(specials));
        c.agree("sumExact(specials)", () -> Numeric.sumExact(specials));
        c.agree("stats(specials)", () -> Numeric.stats(specials));
        double[] nonFinite = {1.0, Double.NaN, Double.POSITIVE_INFINITY, -2.0};
        c.agree("stats(non-finite)", () -> Numeric.stats(nonFinite));
        c.agree("sumExact(non-finite)", () -> Numeric.sumExact(nonFinite));
    }

    private static void blake3(Checks c, Random random) throws Exception {
        byte[] key = randomBytes(random, Blake3.KEY_LENGTH);
        for (int n : HASH_SIZES) {
            byte[] input = randomBytes(random, n);
            c.agree("hash(byte[" + n + "])", () -> Blake3.hash(input));
            ByteBuffer direct = ByteBuffer.allocateDirect(n + 3);
            direct.position(3);
            direct.put(input);
            direct.position(3);
            c.agree("hash(direct buffer of " + n + " at position 3)", () -> Blake3.hash(direct));
            for (int outputLength : new int[] {1, 32, 131, 2000}) {
                c.agree("hash(byte[" + n + "], " + outputLength + ")", () -> Blake3.hash(input, outputLength));
            }
            c.agree("keyedHash(key, byte[" + n + "])", () -> Blake3.keyedHash(key, input));
            c.agree("keyedHash(key, byte[" + n + "], 77)", () -> Blake3.keyedHash(key, input, 77));
        }
        for (byte[][] batch : batches(random)) {
            c.agree("hashBatch(" + describe(batch) + ")", () -> Blake3.hashBatch(batch));
        }
    }

    private static void sha256(Checks c, Random random) throws Exception {
        for (int n : HASH_SIZES) {
            byte[] input = randomBytes(random, n);
            c.agree("hash(byte[" + n + "])", () -> Sha256.hash(input));
        }
        for (byte[][] batch : batches(random)) {
            c.agree("hashBatch(" + describe(batch) + ")", () -> Sha256.hashBatch(batch));
        }
    }

    private static void merkle(Checks c, Random random) throws Exception {
        // 5000 leaves make about 10000 tree nodes, past the 4096-node parallel threshold.
        for (int leaves : new int[] {0, 1, 2, 3, 7, 64, 1000, 5000}) {
            byte[][] tree = new byte[leaves][];
            for (int i = 0; i < leaves; i++) tree[i] = randomBytes(random, random.nextInt(101));
            c.agree("root(" + leaves + " leaves)", () -> Merkle.root(tree));
        }
    }

    private static void ed25519(Checks c, Random random) throws Exception {
        for (int message : new int[] {0, 1, 100, 10_000}) {
            byte[] secretKey = randomBytes(random, Ed25519.SECRET_KEY_SIZE);
            byte[] data = randomBytes(random, message);
            byte[] publicKey = c.agree("publicKey", () -> Ed25519.publicKey(secretKey));
            byte[] signature = c.agree("sign(" + message + " bytes)", () -> Ed25519.sign(secretKey, data));
            c.check("verify(good, " + message + " bytes)", c.agree("verify(good)", () -> Ed25519.verify(publicKey, data, signature)));
            byte[] badSignature = flipBit(random, signature);
            c.check("verify(bad signature, " + message + " bytes) is false",
                    !c.agree("verify(bad signature)", () -> Ed25519.verify(publicKey, data, badSignature)));
            byte[] badKey = flipBit(random, publicKey);
            c.check("verify(other key, " + message + " bytes) is false",
                    !c.agree("verify(other key)", () -> Ed25519.verify(badKey, data, signature)));
        }
        // 200 signatures pass the 128-item parallel threshold; 64 is one batch exactly.
        for (int n : new int[] {1, 2, 63, 64, 65, 200}) {
            byte[][] keys = new byte[n][];
            byte[][] messages = new byte[n][];
            byte[][] signatures = new byte[n][];
            Hotpath.setBackend(Backend.NATIVE);
            for (int i = 0; i < n; i++) {
                byte[] secretKey = randomBytes(random, Ed25519.SECRET_KEY_SIZE);
                keys[i] = Ed25519.publicKey(secretKey);
                messages[i] = randomBytes(random, random.nextInt(200));
                signatures[i] = Ed25519.sign(secretKey, messages[i]);
            }
            int bad = random.nextInt(n);
            switch (random.nextInt(3)) {
                case 0: signatures[bad] = flipBit(random, signatures[bad]); break;
                case 1: messages[bad] = Arrays.copyOf(messages[bad], messages[bad].length + 1); break;
                default: keys[bad] = flipBit(random, keys[bad]); break;
            }
            boolean[] expected = new boolean[n];
            Arrays.fill(expected, true);
            expected[bad] = false;
            boolean[] result = c.agree("verifyBatch(" + n + ", bad at " + bad + ")", () -> Ed25519.verifyBatch(keys, messages, signatures));
            c.check("verifyBatch(" + n + ") rejects exactly item " + bad, Arrays.equals(expected, result));
        }
    }

    private static void ledger(Checks c, Random random) throws Exception {
        byte[] recipient = new byte[32];
        // 300 transactions pass the two-group (128) parallel threshold and span several pins.
        for (int n : new int[] {0, 1, 3, 64, 300}) {
            byte[][] senders = new byte[4][];
            for (int i = 0; i < senders.length; i++) senders[i] = randomBytes(random, Ed25519.SECRET_KEY_SIZE);
            byte[][] txs = new byte[n][];
            long[] nonces = new long[n];
            TxStatus[] expected = new TxStatus[n];
            Hotpath.setBackend(Backend.NATIVE);
            for (int i = 0; i < n; i++) {
                int kind = n < 3 ? 0 : random.nextInt(8);
                byte[] sender = senders[i % senders.length];
                long amount = 1 + random.nextInt(1000);
                nonces[i] = kind == 3 && i > 0 ? DUPLICATED_NONCE : i;
                byte[] tx = Transaction.sign(sender, recipient, amount, 1, nonces[i], randomBytes(random, random.nextInt(40))).toByteArray();
                if (kind == 1) {
                    // Transaction.sign refuses a zero amount: written over a signed transaction, signed again.
                    Arrays.fill(tx, AMOUNT_OFFSET, AMOUNT_OFFSET + 8, (byte) 0);
                    byte[] body = Arrays.copyOf(tx, tx.length - Ed25519.SIGNATURE_SIZE);
                    System.arraycopy(Ed25519.sign(sender, body), 0, tx, body.length, Ed25519.SIGNATURE_SIZE);
                }
                if (kind == 2) tx[tx.length - 1 - random.nextInt(64)] ^= 1;
                txs[i] = tx;
                expected[i] = kind == 1 ? TxStatus.ZERO_AMOUNT : kind == 2 ? TxStatus.BAD_SIGNATURE : TxStatus.OK;
            }
            // A second OK transaction of one sender with the duplicated nonce is a duplicate of the first.
            boolean[] seen = new boolean[senders.length];
            for (int i = 0; i < n; i++) {
                if (expected[i] != TxStatus.OK || nonces[i] != DUPLICATED_NONCE) continue;
                if (seen[i % senders.length]) expected[i] = TxStatus.DUPLICATE_NONCE;
                seen[i % senders.length] = true;
            }
            BlockBuilder builder = new BlockBuilder(1, new byte[32]);
            for (byte[] tx : txs) builder.addEncoded(tx);
            byte[] block = c.agree("BlockBuilder.build(" + n + " txs)", builder::build);
            BlockReport report = c.agree("validateBlock(" + n + " txs)", () -> Ledger.validateBlock(block));
            c.check("validateBlock(" + n + " txs) statuses", report.getError() == null && report.getStatuses().equals(Arrays.asList(expected)));
            c.check("validateBlock(" + n + " txs) root", Arrays.equals(report.getMerkleRoot(), Merkle.root(txs)));
            ByteBuffer direct = ByteBuffer.allocateDirect(block.length).put(block);
            direct.flip();
            c.agree("validateBlock(direct, " + n + " txs)", () -> Ledger.validateBlock(direct));

            byte[] wrongRoot = block.clone();
            wrongRoot[44] ^= 1;
            BlockReport mismatch = c.agree("validateBlock(wrong root, " + n + " txs)", () -> Ledger.validateBlock(wrongRoot));
            c.check("wrong root is MERKLE_MISMATCH", mismatch.getError() == BlockError.MERKLE_MISMATCH);
            byte[] truncated = Arrays.copyOf(block, block.length - 1);
            BlockReport cut = c.agree("validateBlock(truncated, " + n + " txs)", () -> Ledger.validateBlock(truncated));
            c.check("a block one byte short is TRUNCATED", cut.getError() == BlockError.TRUNCATED);
            byte[] trailing = Arrays.copyOf(block, block.length + 1);
            BlockReport extra = c.agree("validateBlock(trailing, " + n + " txs)", () -> Ledger.validateBlock(trailing));
            c.check("a byte after the last transaction is TRAILING_BYTES", extra.getError() == BlockError.TRAILING_BYTES);
            byte[] mutated = flipBit(random, block);
            c.agree("validateBlock(bit flip, " + n + " txs)", () -> Ledger.validateBlock(mutated));
        }
    }

    /** A nonce no transaction of the ledger family reaches by its index: the duplicates'. */
    private static final long DUPLICATED_NONCE = Long.MAX_VALUE;

    /** Where a transaction's amount is (docs/block-format.md). */
    private static final int AMOUNT_OFFSET = 65;

    // ------------------------------------------------------------------------------- checks

    /** One family's tally. */
    private static final class Checks {
        int passed;
        final List<String> failures = new ArrayList<>();

        void pass() {
            passed++;
        }

        void fail(String what) {
            failures.add(what);
        }

        void check(String what, boolean ok) {
            if (ok) pass();
            else fail(what);
        }

        /**
         * Runs {@code kernel} on the native backend, then on the JVM backend, records whether the
         * results are equal (arrays element by element, doubles by their bits with all NaNs equal)
         * and returns the native result.
         */
        <T> T agree(String what, Callable<T> kernel) throws Exception {
            T nativeResult = on(Backend.NATIVE, kernel);
            T jvmResult = on(Backend.JVM, kernel);
            if (Arrays.deepEquals(new Object[] {nativeResult}, new Object[] {jvmResult})) {
                pass();
            } else {
                fail(what + ": native " + show(nativeResult) + ", JVM " + show(jvmResult));
            }
            return nativeResult;
        }

        private static <T> T on(Backend backend, Callable<T> kernel) throws Exception {
            Hotpath.setBackend(backend);
            try {
                return kernel.call();
            } finally {
                Hotpath.setBackend(Backend.NATIVE);
            }
        }

        private static String show(Object value) {
            String s;
            if (value instanceof byte[]) s = hex((byte[]) value);
            else if (value instanceof Object[]) s = Arrays.deepToString((Object[]) value);
            else if (value instanceof long[]) s = Arrays.toString((long[]) value);
            else if (value instanceof double[]) s = Arrays.toString((double[]) value);
            else if (value instanceof boolean[]) s = Arrays.toString((boolean[]) value);
            else s = String.valueOf(value);
            return s.length() > 200 ? s.substring(0, 200) + "..." : s;
        }
    }

    // ------------------------------------------------------------------------------- inputs

    private static long[] randomLongs(Random random, int n) {
        long[] values = new long[n];
        for (int i = 0; i < n; i++) values[i] = random.nextLong();
        return values;
    }

    /** Doubles over 80 binary orders of magnitude, both signs: rounding differences cannot hide. */
    private static double[] randomDoubles(Random random, int n) {
        double[] values = new double[n];
        for (int i = 0; i < n; i++) values[i] = random.nextGaussian() * Math.scalb(1.0, random.nextInt(80) - 40);
        return values;
    }

    private static byte[] randomBytes(Random random, int n) {
        byte[] bytes = new byte[n];
        random.nextBytes(bytes);
        return bytes;
    }

    private static byte[] flipBit(Random random, byte[] bytes) {
        byte[] copy = bytes.clone();
        copy[random.nextInt(copy.length)] ^= (byte) (1 << random.nextInt(8));
        return copy;
    }

    private static ByteBuffer buffer(int bytes, boolean direct, ByteOrder order) {
        return (direct ? ByteBuffer.allocateDirect(bytes) : ByteBuffer.allocate(bytes)).order(order);
    }

    /** Batches for the hash families: empty, one input, mixed small ones, and enough bytes to go parallel. */
    private static List<byte[][]> batches(Random random) {
        List<byte[][]> batches = new ArrayList<>();
        for (int count : new int[] {0, 1, 17, 3000}) {
            byte[][] batch = new byte[count][];
            for (int i = 0; i < count; i++) batch[i] = randomBytes(random, random.nextInt(300));
            batches.add(batch);
        }
        byte[][] large = new byte[5][];
        for (int i = 0; i < large.length; i++) large[i] = randomBytes(random, 40_000 + random.nextInt(100_000));
        batches.add(large);
        return batches;
    }

    private static String describe(byte[][] batch) {
        long bytes = 0;
        for (byte[] b : batch) bytes += b.length;
        return batch.length + " inputs, " + bytes + " bytes";
    }

    private static byte[] sha256(byte[] bytes) {
        try {
            return MessageDigest.getInstance("SHA-256").digest(bytes);
        } catch (java.security.NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    private static String hex(byte[] bytes) {
        StringBuilder s = new StringBuilder(bytes.length * 2);
        for (byte b : bytes) s.append(Character.forDigit((b >> 4) & 0xf, 16)).append(Character.forDigit(b & 0xf, 16));
        return s.toString();
    }
}
