package dev.hotpath.internal

import dev.hotpath.Backend
import java.util.Properties

/**
 * Decides, per call, whether a kernel runs natively. The answer for AUTO depends on the input
 * size: below a kernel's threshold the call's fixed cost outweighs native speed.
 */
internal object Dispatch {
    @Volatile
    var backend: Backend = initialBackend()

    /** Thresholds measured by the evidence suite (`bench/run --calibrate` rewrites the file). */
    private val thresholds: Properties by lazy {
        val p = Properties()
        Dispatch::class.java.getResourceAsStream("/dev/hotpath/thresholds.properties")?.use { p.load(it) }
        p
    }

    /** The smallest input (in elements) from which AUTO goes native for `kernel`. */
    fun threshold(kernel: String): Long =
        thresholds.getProperty(kernel)?.trim()?.toLongOrNull() ?: thresholds.getProperty("default")?.trim()?.toLongOrNull() ?: 1024L

    private fun initialBackend(): Backend {
        val raw = Setting.BACKEND.value() ?: return Backend.AUTO
        return when (raw.lowercase()) {
            "auto" -> Backend.AUTO
            "native" -> Backend.NATIVE
            "jvm" -> Backend.JVM
            else -> {
                Log.warn("ignoring ${Setting.BACKEND.property}=$raw: expected auto, native or jvm")
                Backend.AUTO
            }
        }
    }

    /** Whether this call should run natively; throws for NATIVE when the library cannot load. */
    fun useNative(kernel: Threshold, size: Int): Boolean =
        when (backend) {
            Backend.JVM -> false
            Backend.NATIVE -> {
                requireNative()
                true
            }
            Backend.AUTO -> size >= kernel.elements && NativeAvailability.available
        }

    fun requireNative() {
        when (val s = NativeLoader.state) {
            is NativeState.Loaded -> Unit
            is NativeState.Failed -> throw s.error
        }
    }
}

/** One kernel's AUTO threshold, read once. */
internal class Threshold(val kernel: String) {
    val elements: Int by lazy { Dispatch.threshold(kernel).coerceIn(0L, Int.MAX_VALUE.toLong()).toInt() }
}

/** Whether native code can be used, decided once; AUTO logs the first failure and moves on. */
internal object NativeAvailability {
    val available: Boolean by lazy {
        when (val s = NativeLoader.state) {
            is NativeState.Loaded -> true
            is NativeState.Failed -> {
                Log.warn("hotpath runs on the JVM backend: " + s.error.message)
                false
            }
        }
    }
}
