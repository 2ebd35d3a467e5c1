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

    /** Thresholds measured by the evidence suite (`bench/run --calibrate` rewrites the file), read on first use. */
    private object Thresholds {
        @JvmField val VALUES: Properties = Properties()

        init {
            // try/finally rather than `use`: its helper and Unit are two more kotlin-stdlib classes.
            val input = JarResources.open("/dev/hotpath/thresholds.properties")
            if (input != null) {
                try {
                    VALUES.load(input)
                } finally {
                    input.close()
                }
            }
        }
    }

    /** The smallest input (in elements) from which AUTO goes native for `kernel`. */
    fun threshold(kernel: String): Long = parse(Thresholds.VALUES.getProperty(kernel)) ?: parse(Thresholds.VALUES.getProperty("default")) ?: 1024L

    private fun parse(raw: String?): Long? =
        try {
            if (raw == null) null else java.lang.Long.parseLong(raw.trim())
        } catch (_: NumberFormatException) {
            null
        }

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
    fun useNative(kernel: Threshold, size: Int): Boolean {
        // Identity tests rather than `when` over the enum, whose mapping class costs a start-up class load.
        val b = backend
        if (b === Backend.JVM) return false
        if (b === Backend.NATIVE) {
            requireNative()
            return true
        }
        return size >= kernel.elements && NativeAvailability.available
    }

    // if/else rather than exhaustive `when`s over NativeState here and below: those throw
    // kotlin.NoWhenBranchMatchedException, a kotlin-stdlib class the verifier loads on first use.
    fun requireNative() {
        // Tested against Loaded, the class a successful load has already loaded.
        val s = NativeLoader.state
        if (s !is NativeState.Loaded) throw (s as NativeState.Failed).error
    }
}

/** One kernel's AUTO threshold, read on first use (a race reads it twice, to the same value). */
internal class Threshold(val kernel: String) {
    @Volatile
    private var cached: Int = UNREAD

    val elements: Int
        get() {
            var v = cached
            if (v == UNREAD) {
                v = Math.min(Math.max(Dispatch.threshold(kernel), 0L), Int.MAX_VALUE.toLong()).toInt()
                cached = v
            }
            return v
        }

}

private const val UNREAD = -1

/** Whether native code can be used, decided once; AUTO logs the first failure and moves on. */
internal object NativeAvailability {
    val available: Boolean get() = Holder.AVAILABLE

    private object Holder {
        @JvmField val AVAILABLE: Boolean = decide()

        private fun decide(): Boolean {
            val s = NativeLoader.state
            if (s is NativeState.Loaded) return true
            Log.warn("hotpath runs on the JVM backend: " + (s as NativeState.Failed).error.message)
            return false
        }
    }
}
