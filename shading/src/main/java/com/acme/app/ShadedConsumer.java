package com.acme.app;

import dev.hotpath.Backend;
import dev.hotpath.Blake3;
import dev.hotpath.BlockReport;
import dev.hotpath.Ed25519;
import dev.hotpath.Hotpath;
import dev.hotpath.HotpathException;
import dev.hotpath.Ledger;
import dev.hotpath.Numeric;
import java.lang.reflect.InvocationTargetException;
import java.net.URL;
import java.net.URLClassLoader;
import java.nio.file.Paths;
import java.util.Arrays;

/**
 * A service's main class in a fat jar whose hotpath packages the shade plugin relocated to
 * {@code com.acme.shaded.dev.hotpath}: it runs every family natively and compares with the
 * JVM backend of the same copy, then loads an unshaded copy of hotpath in another class loader
 * of the same JVM and checks that both keep working. Prints one {@code ok ...} line per check;
 * any failure throws. Arguments: the unshaded hotpath jar, the kotlin-stdlib jar.
 */
public final class ShadedConsumer {
    private ShadedConsumer() {}

    public static void main(String[] args) throws Exception {
        String relocated = Hotpath.class.getName();
        check(relocated.equals("com.acme.shaded.dev.hotpath.Hotpath"), "not relocated: " + relocated);
        Hotpath.setBackend(Backend.NATIVE);
        check(Hotpath.isNativeAvailable(), "native library did not load: " + Hotpath.getNativeLoadError());
        System.out.println("ok relocated " + relocated);

        long[] longs = new long[100_000];
        for (int i = 0; i < longs.length; i++) longs[i] = 3L * i - 7;
        long nativeSum = Numeric.sum(longs);
        byte[] message = "shaded".getBytes();
        byte[] nativeHash = Blake3.hash(message);
        byte[] secret = new byte[32];
        Arrays.fill(secret, (byte) 7);
        byte[] publicKey = Ed25519.publicKey(secret);
        byte[] signature = Ed25519.sign(secret, message);
        boolean nativeVerify = Ed25519.verify(publicKey, message, signature);
        BlockReport nativeReport = Ledger.validateBlock(new byte[] {'H', 'P', 'B', '1'});

        Hotpath.setBackend(Backend.JVM);
        check(nativeSum == Numeric.sum(longs), "sum differs from the JVM backend");
        check(Arrays.equals(nativeHash, Blake3.hash(message)), "BLAKE3 differs from the JVM backend");
        check(nativeVerify && Ed25519.verify(publicKey, message, signature), "signature not verified");
        check(nativeReport.equals(Ledger.validateBlock(new byte[] {'H', 'P', 'B', '1'})), "ledger report differs");
        Hotpath.setBackend(Backend.NATIVE);
        System.out.println("ok families " + nativeSum);

        // Errors and panics reach the caller as the relocated copy's own exception classes.
        try {
            Numeric.sum(longs, 5, 2);
            throw new AssertionError("no exception for a bad range");
        } catch (IndexOutOfBoundsException expected) {
            System.out.println("ok error " + expected.getMessage());
        }
        try {
            Class.forName("com.acme.shaded.dev.hotpath.internal.NativeBridge")
                .getMethod("panicForTest", boolean.class).invoke(null, true);
            throw new AssertionError("no exception for a panic");
        } catch (InvocationTargetException e) {
            check(e.getCause() instanceof HotpathException, "panic became " + e.getCause());
            System.out.println("ok panic " + e.getCause().getClass().getName());
        }

        // An unshaded copy of hotpath beside the shaded one, in another class loader. Its class
        // names are built at run time: the shade plugin rewrites every string constant that
        // starts with the relocated package.
        String unshaded = String.join(".", "dev", "hotpath") + ".";
        URL[] urls = {Paths.get(args[0]).toUri().toURL(), Paths.get(args[1]).toUri().toURL()};
        try (URLClassLoader loader = new URLClassLoader(urls, ClassLoader.getPlatformClassLoader())) {
            Class<?> hotpath = Class.forName(unshaded + "Hotpath", true, loader);
            Class<?> backend = Class.forName(unshaded + "Backend", true, loader);
            hotpath.getMethod("setBackend", backend).invoke(null, backend.getField("NATIVE").get(null));
            Class<?> numeric = Class.forName(unshaded + "Numeric", true, loader);
            long other = (Long) numeric.getMethod("sum", long[].class).invoke(null, (Object) longs);
            check(other == nativeSum, "the unshaded copy summed " + other);
            check((Boolean) hotpath.getMethod("isNativeAvailable").invoke(null), "unshaded copy not native");
            System.out.println("ok unshaded " + other);
        }
        check(Numeric.sum(longs) == nativeSum, "the shaded copy stopped working beside the unshaded one");
        System.out.println("ok both");
    }

    private static void check(boolean condition, String message) {
        if (!condition) throw new AssertionError(message);
    }
}
