package dev.hotpath.internal

/**
 * hotpath's settings. Each is a system property with an environment-variable twin; the system
 * property wins, so a single JVM can override what its environment says.
 */
internal enum class Setting(val property: String, val environment: String) {
    LIB_PATH("hotpath.lib.path", "HOTPATH_LIB_PATH"),
    LIB_SYSTEM("hotpath.lib.system", "HOTPATH_LIB_SYSTEM"),
    CACHE_DIR("hotpath.cache.dir", "HOTPATH_CACHE_DIR"),
    BACKEND("hotpath.backend", "HOTPATH_BACKEND"),
    THREADS("hotpath.threads", "HOTPATH_THREADS"),
    DEBUG("hotpath.debug", "HOTPATH_DEBUG"),
    ;

    /** The configured value, or null when neither the property nor the variable is set. */
    fun value(): String? =
        System.getProperty(property)?.trim()?.takeIf { it.isNotEmpty() }
            ?: System.getenv(environment)?.trim()?.takeIf { it.isNotEmpty() }

    fun flag(): Boolean = value()?.lowercase()?.let { it == "true" || it == "1" || it == "yes" } ?: false

    /** How a user would set it, for error messages. */
    fun howToSet(example: String): String = "-D$property=$example (or $environment=$example)"
}

/** Debug output on stderr when `hotpath.debug` is set; warnings through java.util.logging. */
internal object Log {
    // java.util.logging costs ~17 ms to initialise: only pay it when there is a warning.
    private val logger by lazy { java.util.logging.Logger.getLogger("dev.hotpath") }
    private val debugEnabled: Boolean = Setting.DEBUG.flag()

    fun debug(message: () -> String) {
        if (debugEnabled) System.err.println("[hotpath] " + message())
    }

    fun warn(message: String) {
        logger.warning(message)
        debug { "warning: $message" }
    }
}
