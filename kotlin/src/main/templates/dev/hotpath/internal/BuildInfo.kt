package dev.hotpath.internal

/**
 * What the build knows, written into this source by Maven's resource filtering (the template is
 * `src/main/templates`). A constant rather than a properties file in the jar: opening and
 * parsing that resource was about 5 ms of a cold start.
 */
internal object BuildInfo {
    /** The Kotlin side's version, which the native library must report too, or it is refused. */
    const val VERSION: String = "${project.version}"
}
