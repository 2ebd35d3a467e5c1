package dev.hotpath

/**
 * Which implementation runs a kernel. Every backend returns the same results; they differ only
 * in speed and in what they need at run time.
 */
public enum class Backend {
    /**
     * Native code for inputs large enough to repay the call, the JVM below that size (thresholds
     * measured by the evidence suite), and the JVM everywhere if the native library cannot load
     * (logged once). The default.
     */
    AUTO,

    /** Always the Rust library; a load failure becomes a [NativeLoadException] at the call. */
    NATIVE,

    /** Always the pure-Kotlin twins in `dev.hotpath.jvm`; never loads native code. */
    JVM,
}
