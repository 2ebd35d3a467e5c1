package dev.hotpath.internal

/**
 * hotpath's settings. Each is a system property with an environment-variable twin; the system
 * property wins, so a single JVM can override what its environment says.
 *
 * Constants of a plain class rather than an enum: nothing needs their names or order, and an
 * enum's entries pull about eight kotlin-stdlib classes into every start.
 */
internal class Setting private constructor(val property: String, val environment: String) {
    /** The configured value, or null when neither the property nor the variable is set. */
    fun value(): String? = nonBlank(System.getProperty(property)) ?: nonBlank(System.getenv(environment))

    fun flag(): Boolean {
        val v = value() ?: return false
        return v.jEqualsIgnoreCase("true") || v == "1" || v.jEqualsIgnoreCase("yes")
    }

    /** How a user would set it, for error messages. */
    fun howToSet(example: String): String = "-D" + property + "=" + example + " (or " + environment + "=" + example + ")"

    override fun toString(): String = property

    companion object {
        @JvmField val LIB_PATH: Setting = Setting("hotpath.lib.path", "HOTPATH_LIB_PATH")

        @JvmField val LIB_SYSTEM: Setting = Setting("hotpath.lib.system", "HOTPATH_LIB_SYSTEM")

        @JvmField val CACHE_DIR: Setting = Setting("hotpath.cache.dir", "HOTPATH_CACHE_DIR")

        @JvmField val BACKEND: Setting = Setting("hotpath.backend", "HOTPATH_BACKEND")

        /** Which bridge native calls take: auto, jni or ffm ([Bridge]). */
        @JvmField val BRIDGE: Setting = Setting("hotpath.bridge", "HOTPATH_BRIDGE")

        @JvmField val THREADS: Setting = Setting("hotpath.threads", "HOTPATH_THREADS")

        @JvmField val DEBUG: Setting = Setting("hotpath.debug", "HOTPATH_DEBUG")

        private fun nonBlank(raw: String?): String? {
            val v = raw?.jTrim() ?: return null
            return if (v.isEmpty()) null else v
        }
    }
}

/**
 * Debug output on stderr when `hotpath.debug` is set, each line stamped with the time since
 * hotpath's first step; warnings through java.util.logging.
 */
internal object Log {
    private val start: Long = System.nanoTime()
    private val debugEnabled: Boolean = Setting.DEBUG.flag()

    val enabled: Boolean get() = debugEnabled

    /**
     * One step: `[hotpath] +1.8 ms <step>: <details>`. Callers check [enabled] before building
     * the message, so a start without debugging builds no strings.
     */
    fun debug(message: String) {
        if (!debugEnabled) return
        val tenths = (System.nanoTime() - start) / 100_000
        System.err.println("[hotpath] +" + tenths / 10 + "." + tenths % 10 + " ms " + message)
    }

    fun warn(message: String) {
        // java.util.logging costs ~17 ms to initialise: only pay it when there is a warning.
        java.util.logging.Logger.getLogger("dev.hotpath").warning(message)
        debug("warning: $message")
    }
}
