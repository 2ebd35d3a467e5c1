package dev.hotpath.internal

import java.io.File
import java.util.Locale

/**
 * The platform the JVM runs on, in the names the jar's resource folders use:
 * `<os>-<arch>[-musl]`, e.g. `linux-x86_64`, `linux-aarch64-musl`, `macos-aarch64`.
 */
internal data class Platform(
    val os: String,
    val arch: String,
    val musl: Boolean,
    val android: Boolean,
    /** The raw values the JVM reported, for messages. */
    val reported: String,
) {
    val id: String get() = "$os-$arch" + if (musl) "-musl" else ""

    val libc: String
        get() = when {
            os != "linux" -> "n/a"
            android -> "bionic"
            musl -> "musl"
            else -> "glibc"
        }

    /** The library's file name under this OS's conventions. */
    val libraryFileName: String
        get() = when (os) {
            "windows" -> "hotpath_jni.dll"
            "macos" -> "libhotpath_jni.dylib"
            else -> "libhotpath_jni.so"
        }

    val resourcePath: String get() = "/dev/hotpath/native/$id/$libraryFileName"

    companion object {
        const val LIBRARY_NAME: String = "hotpath_jni"

        fun current(): Platform = detect(System::getProperty, ::runsOnMusl)

        /** Maps what the JVM reports to a platform; `property` and `muslProbe` are injectable for tests. */
        fun detect(property: (String) -> String?, muslProbe: (arch: String) -> Boolean): Platform {
            val osName = property("os.name") ?: ""
            val osArch = property("os.arch") ?: ""
            val os = normalizeOs(osName)
            val arch = normalizeArch(osArch)
            val vendor = (property("java.vendor") ?: "") + " " + (property("java.vm.name") ?: "")
            val android = vendor.contains("Android", ignoreCase = true) ||
                vendor.contains("Dalvik", ignoreCase = true)
            val musl = os == "linux" && !android && muslProbe(arch)
            return Platform(os, arch, musl, android, "os.name=$osName, os.arch=$osArch")
        }

        fun normalizeOs(name: String): String {
            val n = name.lowercase(Locale.ROOT)
            return when {
                n.startsWith("linux") -> "linux"
                n.startsWith("mac") || n.startsWith("darwin") -> "macos"
                n.startsWith("windows") -> "windows"
                else -> n.replace(Regex("[^a-z0-9]+"), "")
            }
        }

        fun normalizeArch(arch: String): String =
            when (val a = arch.lowercase(Locale.ROOT)) {
                "amd64", "x86_64", "x64", "x86-64" -> "x86_64"
                "aarch64", "arm64" -> "aarch64"
                else -> a.replace(Regex("[^a-z0-9_]+"), "")
            }

        /**
         * Whether this Linux process runs on musl, decided without spawning a process: the
         * dynamic loader mapped into this process names its libc; failing that, the musl
         * loader's presence on disk (Alpine always has it, glibc systems normally do not).
         */
        fun runsOnMusl(arch: String): Boolean {
            try {
                // A plain reader rather than useLines: kotlin.sequences costs milliseconds of class
                // loading at start-up, on the path to the first native call.
                java.io.BufferedReader(java.io.FileReader("/proc/self/maps")).use { reader ->
                    while (true) {
                        val line = reader.readLine() ?: break
                        if (line.contains("ld-musl-") || line.contains("libc.musl-")) return true
                        if (line.contains("/libc.so.6") || line.contains("/ld-linux")) return false
                    }
                }
            } catch (_: Exception) {
                // Not readable (sandboxes, non-Linux); fall through to the file probe.
            }
            return File("/lib/ld-musl-$arch.so.1").exists()
        }
    }
}
