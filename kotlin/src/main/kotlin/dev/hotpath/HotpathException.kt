package dev.hotpath

/**
 * Base class of the exceptions that hotpath itself raises (argument errors use the standard
 * `NullPointerException`, `IndexOutOfBoundsException` and `IllegalArgumentException`).
 */
public open class HotpathException(message: String, cause: Throwable? = null) :
    RuntimeException(message, cause)

/**
 * The native library could not be loaded, or the one that loaded is not the version this jar
 * expects. The message names the OS, architecture, libc, every path tried and the override to
 * use.
 */
public class NativeLoadException(message: String, cause: Throwable? = null) :
    HotpathException(message, cause)

/**
 * A native kernel failed in a way that is a bug in hotpath rather than in the arguments (a Rust
 * panic, caught at the boundary). The JVM and the library stay usable.
 */
public class NativeKernelException(message: String) : HotpathException(message)
