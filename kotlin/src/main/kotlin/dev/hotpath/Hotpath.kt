package dev.hotpath

import dev.hotpath.internal.Dispatch
import dev.hotpath.internal.NativeLoader
import dev.hotpath.internal.NativeState
import dev.hotpath.internal.Platform

/**
 * The library itself: its version, which backend runs kernels, and whether native code loaded.
 *
 * The native library is loaded lazily, by the first call that needs it (or by
 * [isNativeAvailable]); configuration is read from system properties and environment variables
 * at that moment (see the README's configuration table).
 */
public object Hotpath {
    /** This library's version; the native library must report the same one or it is refused. */
    @JvmStatic
    public val version: String
        get() = NativeLoader.expectedVersion

    /**
     * The backend kernels use from now on, for every thread. Initially `hotpath.backend`
     * (or `HOTPATH_BACKEND`), else [Backend.AUTO].
     */
    @JvmStatic
    public var backend: Backend
        get() = Dispatch.backend
        set(value) {
            Dispatch.backend = value
        }

    /**
     * Whether the native library is loaded and usable, loading it on first call.
     * Never throws: [nativeLoadError] says why when this is false.
     */
    @JvmStatic
    public fun isNativeAvailable(): Boolean = NativeLoader.state is NativeState.Loaded

    /** Why the native library could not be loaded, or null when it loaded (loads it on first call). */
    @JvmStatic
    public val nativeLoadError: NativeLoadException?
        get() = (NativeLoader.state as? NativeState.Failed)?.error

    /**
     * The size of hotpath's native thread pool (`hotpath.threads`, default: available
     * processors), or 0 when the native library is not loaded.
     */
    @JvmStatic
    public val threads: Int
        get() = (NativeLoader.state as? NativeState.Loaded)?.threads ?: 0

    /** One line per fact worth pasting into a bug report: versions, platform, backend, library path. */
    @JvmStatic
    public fun diagnostics(): String {
        val platform = Platform.current()
        val state = NativeLoader.state
        return buildString {
            appendLine("hotpath $version")
            appendLine("platform: ${platform.id} (${platform.reported}, libc=${platform.libc})")
            appendLine("java: ${System.getProperty("java.vm.name")} ${System.getProperty("java.version")}")
            appendLine("backend: $backend")
            // if/else, not an exhaustive `when`: that compiles to a throw of
            // kotlin.NoWhenBranchMatchedException, which the verifier loads with this class, and
            // so opens kotlin-stdlib's jar milliseconds earlier on every start.
            if (state is NativeState.Loaded) {
                appendLine("native: loaded from ${state.path}, version ${state.version}, ${state.threads} threads")
                appendLine("bridge: ${state.bridge.name} (${state.bridge.why})")
            } else if (state is NativeState.Failed) {
                appendLine("native: not loaded: ${state.error.message}")
            }
        }
    }
}
