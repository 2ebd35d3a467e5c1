package dev.hotpath;

/**
 * Which implementation runs a kernel. Every backend returns the same results; they differ only
 * in speed and in what they need at run time.
 *
 * <p>A Java enum, the one Java source of the library, because every first call into hotpath
 * initialises it: a Kotlin enum's initialiser builds its {@code entries} list from seven
 * kotlin-stdlib classes, about 2 ms of a cold start. Kotlin callers see no difference
 * ({@code Backend.entries} works on Java enums too).
 */
public enum Backend {
    /**
     * Native code for inputs large enough to repay the call, the JVM below that size (thresholds
     * measured by the evidence suite), and the JVM everywhere if the native library cannot load
     * (logged once). The default.
     */
    AUTO,

    /** Always the Rust library; a load failure becomes a {@link NativeLoadException} at the call. */
    NATIVE,

    /** Always the pure-Kotlin twins in {@code dev.hotpath.jvm}; never loads native code. */
    JVM,
}
