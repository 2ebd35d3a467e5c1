package dev.hotpath;

import dev.hotpath.internal.NativeBridge;

/**
 * The native library's probes that are not public API: the deliberate panic, and the
 * declaration and code tables the library reports. They live on the internal bridge class,
 * which Java code reaches directly (Kotlin's {@code internal} is a compile-time rule).
 */
public final class NativeHooks {
    private NativeHooks() {}

    /** Loads the library if needed, or throws why it cannot load. */
    private static void requireNative() {
        if (!Hotpath.isNativeAvailable()) {
            throw Hotpath.getNativeLoadError();
        }
    }

    /** Makes the native side panic on the calling thread or in a pool worker; always throws. */
    public static void panic(boolean inWorker) {
        requireNative();
        NativeBridge.panicForTest(inWorker);
    }

    /** {@code name descriptor} of every native method the library registers, one per line. */
    public static String declarations() {
        requireNative();
        return NativeBridge.declarations();
    }

    /** The library's code tables, {@code table name value} per line. */
    public static String codeTables() {
        requireNative();
        return NativeBridge.codeTables();
    }
}
