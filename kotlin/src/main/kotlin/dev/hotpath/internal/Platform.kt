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
    val id: String get() = os + "-" + arch + if (musl) "-musl" else ""

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

    companion object : MuslProbe {
        const val LIBRARY_NAME: String = "hotpath_jni"

        // System properties passed as values and the musl probe as a fun interface that this
        // companion implements, not function references (those load kotlin.reflect classes) nor
        // an object of its own (each class loaded from a jar costs a fraction of a millisecond).
        fun current(): Platform =
            detect(System.getProperty("os.name"), System.getProperty("os.arch"), System.getProperty("java.vendor"), System.getProperty("java.vm.name"), this)

        /** Maps what the JVM reports to a platform; the values and `muslProbe` are injectable for tests. */
        fun detect(osName: String?, osArch: String?, javaVendor: String?, vmName: String?, muslProbe: MuslProbe): Platform {
            val os = normalizeOs(osName ?: "")
            val arch = normalizeArch(osArch ?: "")
            val vendor = ((javaVendor ?: "") + " " + (vmName ?: "")).lowercase(Locale.ROOT)
            val android = vendor.jContains("android") || vendor.jContains("dalvik")
            val musl = os == "linux" && !android && muslProbe.runsOnMusl(arch)
            return Platform(os, arch, musl, android, "os.name=" + (osName ?: "") + ", os.arch=" + (osArch ?: ""))
        }

        fun normalizeOs(name: String): String {
            val n = name.lowercase(Locale.ROOT)
            return when {
                n.jStartsWith("linux") -> "linux"
                n.jStartsWith("mac") || n.jStartsWith("darwin") -> "macos"
                n.jStartsWith("windows") -> "windows"
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
         * Whether this Linux process runs on musl, decided without spawning a process. musl's
         * dynamic loader always lives at `/lib/ld-musl-<arch>.so.1`: without that file this is
         * glibc, known from one `stat`. With it (Alpine, or a glibc system that also has musl
         * installed) the loader mapped into this process names its libc.
         */
        override fun runsOnMusl(arch: String): Boolean {
            if (!File("/lib/ld-musl-" + arch + ".so.1").exists()) return false
            try {
                // Bytes rather than a Reader: the charset decoder classes cost start-up time, and
                // the names searched for are ASCII.
                val input = java.io.FileInputStream("/proc/self/maps")
                val maps = try {
                    input.readAllBytes()
                } finally {
                    input.close()
                }
                val text = String(maps, java.nio.charset.StandardCharsets.ISO_8859_1)
                if (text.jContains("ld-musl-") || text.jContains("libc.musl-")) return true
                if (text.jContains("/libc.so.6") || text.jContains("/ld-linux")) return false
            } catch (_: Exception) {
                // Not readable (sandboxes): the musl loader on disk is the best evidence left.
            }
            return true
        }
    }
}

/** Whether this Linux process runs on musl; a seam for tests. */
internal fun interface MuslProbe {
    fun runsOnMusl(arch: String): Boolean
}
