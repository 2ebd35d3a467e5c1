package dev.hotpath.internal

import dev.hotpath.NativeLoadException
import java.io.File
import java.io.IOException
import java.io.InputStream
import java.nio.file.AtomicMoveNotSupportedException
import java.nio.file.FileAlreadyExistsException
import java.nio.file.Files
import java.nio.file.Path
import java.nio.file.Paths
import java.nio.file.StandardCopyOption
import java.nio.file.attribute.PosixFilePermissions
import java.security.DigestInputStream
import java.security.MessageDigest
import java.util.Properties

/** What loading the native library came to, once per class loader. */
internal sealed class NativeState {
    class Loaded(val path: String, val version: String, val threads: Int) : NativeState()

    class Failed(val error: NativeLoadException) : NativeState()
}

/**
 * Finds, extracts and loads `hotpath_jni`, once per class loader.
 *
 * Order: an explicit `hotpath.lib.path`; `System.loadLibrary` when `hotpath.lib.system` is set
 * or on Android (`jniLibs`); otherwise the library bundled in the jar, extracted once into a
 * per-user cache under a name holding its SHA-256, so later starts and other JVMs reuse it.
 * The extracted file is written to a temporary file in the same directory and renamed into
 * place atomically, so concurrent first starts never see a half-written library and leave one
 * file behind. A library loaded by another class loader of this JVM is loaded again from a
 * private copy, which is deleted right after loading where the OS allows it.
 */
internal object NativeLoader {
    private const val HASH_CHARS = 16
    private const val STALE_TEMP_MILLIS = 60L * 60 * 1000

    /** Read by the library's `JNI_OnLoad` (`rust/jni/src/load.rs`). */
    private const val BRIDGE_PROPERTY = "hotpath.jni.bridge"

    /** The Kotlin side's version, which the native library must report too. */
    val expectedVersion: String by lazy {
        val props = Properties()
        NativeLoader::class.java.getResourceAsStream("/dev/hotpath/hotpath.properties")?.use { props.load(it) }
        props.getProperty("version") ?: "unknown"
    }

    val state: NativeState by lazy { load() }

    private class Attempts {
        val lines = mutableListOf<String>()

        fun add(what: String, error: Throwable) {
            lines += "$what: ${error.javaClass.simpleName}: ${error.message}"
            Log.debug { "failed: $what: $error" }
        }
    }

    private fun load(): NativeState {
        val platform = Platform.current()
        val attempts = Attempts()
        Log.debug { "loading native library for ${platform.id} (${platform.reported}, libc=${platform.libc})" }
        val path = loadLibrary(platform, attempts)
            ?: return NativeState.Failed(NativeLoadException(failureMessage(platform, attempts)))
        val version = try {
            NativeBridge.version()
        } catch (e: UnsatisfiedLinkError) {
            attempts.add("$path is not a hotpath library (no version entry point)", e)
            return NativeState.Failed(NativeLoadException(failureMessage(platform, attempts), e))
        }
        if (version != expectedVersion) {
            return NativeState.Failed(
                NativeLoadException(
                    "hotpath native library version mismatch: $path reports version $version, " +
                        "but this hotpath jar is version $expectedVersion. Use the library from the same " +
                        "release as the jar (remove ${Setting.LIB_PATH.property}/${Setting.LIB_PATH.environment} to use " +
                        "the bundled one, or rebuild it with HOTPATH_VERSION=$expectedVersion cargo build --release -p hotpath-jni).",
                ),
            )
        }
        val threads = NativeBridge.configure(configuredThreads())
        Log.debug { "loaded $path (version $version, $threads pool threads)" }
        return NativeState.Loaded(path, version, threads)
    }

    /** `hotpath.threads`: the pool size, 0 (the default) meaning one per available processor. */
    fun configuredThreads(): Int {
        val raw = Setting.THREADS.value() ?: return 0
        val n = raw.toIntOrNull()
        if (n == null || n < 0) {
            Log.warn("ignoring ${Setting.THREADS.property}=$raw: expected a whole number >= 0")
            return 0
        }
        return n
    }

    private fun loadLibrary(platform: Platform, attempts: Attempts): String? {
        Setting.LIB_PATH.value()?.let { explicit ->
            val file = File(explicit).absoluteFile
            return if (tryLoad(file, "${Setting.LIB_PATH.property}=$explicit", attempts)) file.path else null
        }
        if (Setting.LIB_SYSTEM.flag() || platform.android) {
            try {
                withBridgeNamed { System.loadLibrary(Platform.LIBRARY_NAME) }
                return "java.library.path:${Platform.LIBRARY_NAME}"
            } catch (e: UnsatisfiedLinkError) {
                attempts.add("System.loadLibrary(\"${Platform.LIBRARY_NAME}\") from java.library.path", e)
                if (Setting.LIB_SYSTEM.flag()) return null
            }
        }
        val resource = platform.resourcePath
        if (NativeLoader::class.java.getResource(resource) == null) {
            attempts.lines += "resource $resource: not in this jar"
            return null
        }
        for (dir in cacheDirectories(platform)) {
            val file = try {
                extract(resource, platform.libraryFileName, dir)
            } catch (e: IOException) {
                attempts.add("extracting $resource to $dir", e)
                continue
            } catch (e: SecurityException) {
                attempts.add("extracting $resource to $dir", e)
                continue
            }
            if (tryLoad(file.toFile(), "$resource extracted to $file", attempts)) return file.toString()
        }
        return null
    }

    private fun tryLoad(file: File, what: String, attempts: Attempts): Boolean {
        try {
            withBridgeNamed { System.load(file.path) }
            return true
        } catch (e: UnsatisfiedLinkError) {
            if (e.message?.contains("already loaded in another classloader") == true) {
                return loadPrivateCopy(file, what, attempts)
            }
            attempts.add(what, e)
        } catch (e: SecurityException) {
            attempts.add(what, e)
        }
        return false
    }

    /**
     * A JVM binds a library file to the first class loader that loads it, so a second,
     * isolated class loader (application servers, Spark executors, test runners) loads its
     * own copy. The copy is deleted right after loading; on Windows, where a loaded DLL cannot
     * be deleted, it goes at exit or with the next start's clean-up of stale files.
     */
    private fun loadPrivateCopy(file: File, what: String, attempts: Attempts): Boolean {
        var copy: Path? = null
        try {
            val dir = file.absoluteFile.parentFile.toPath()
            copy = Files.createTempFile(dir, ".${file.nameWithoutExtension}-", ".${file.extension}")
            Files.copy(file.toPath(), copy, StandardCopyOption.REPLACE_EXISTING)
            withBridgeNamed { System.load(copy.toString()) }
            Log.debug { "loaded a private copy $copy: $file is bound to another class loader" }
            return true
        } catch (e: Throwable) {
            attempts.add("$what (a private copy for this class loader)", e)
            return false
        } finally {
            if (copy != null && !deleteQuietly(copy)) copy.toFile().deleteOnExit()
        }
    }

    /**
     * Runs a `System.load` of hotpath's library with [BRIDGE_PROPERTY] naming this copy's
     * bridge class, which `JNI_OnLoad` registers the native methods on: relocated (shaded)
     * copies have another name. The lock is the one the JDK's `Runtime.load0` takes, shared by
     * every copy of hotpath in the JVM, so concurrent loads never read each other's name.
     */
    private inline fun withBridgeNamed(load: () -> Unit) {
        synchronized(Runtime.getRuntime()) {
            val previous = System.getProperty(BRIDGE_PROPERTY)
            System.setProperty(BRIDGE_PROPERTY, NativeBridge::class.java.name.replace('.', '/'))
            try {
                load()
            } finally {
                if (previous == null) System.clearProperty(BRIDGE_PROPERTY) else System.setProperty(BRIDGE_PROPERTY, previous)
            }
        }
    }

    /** The configured cache directory, or the per-user default followed by the temp-dir fallback. */
    fun cacheDirectories(platform: Platform): List<Path> {
        Setting.CACHE_DIR.value()?.let { return listOf(Paths.get(it)) }
        val home = System.getProperty("user.home")
        val primary: String? = when (platform.os) {
            "windows" -> System.getenv("LOCALAPPDATA")?.let { "$it\\hotpath\\cache" }
            "macos" -> home?.let { "$it/Library/Caches/hotpath" }
            else -> System.getenv("XDG_CACHE_HOME")?.takeIf { it.startsWith("/") }?.let { "$it/hotpath" }
                ?: home?.let { "$it/.cache/hotpath" }
        }
        val user = (System.getProperty("user.name") ?: "user").replace(Regex("[^A-Za-z0-9._-]"), "_")
        val fallback = Paths.get(System.getProperty("java.io.tmpdir"), "hotpath-$user")
        return listOfNotNull(primary?.let { Paths.get(it) }, fallback).distinct()
    }

    /**
     * Puts the bundled library into `dir` under a name holding its SHA-256, unless a previous
     * start already has. Returns the file to load.
     */
    fun extract(resource: String, fileName: String, dir: Path): Path {
        Files.createDirectories(dir)
        val hash = bundledHash(resource)
        val stem = fileName.substringBeforeLast('.')
        val ext = fileName.substringAfterLast('.')
        val target = dir.resolve("$stem-${hash.take(HASH_CHARS)}.$ext")
        if (Files.isRegularFile(target)) {
            Log.debug { "reusing $target" }
            return target
        }
        removeStaleTemporaries(dir, stem)
        val temp = Files.createTempFile(dir, ".$stem-${hash.take(HASH_CHARS)}-", ".tmp")
        try {
            val digest = MessageDigest.getInstance("SHA-256")
            openResource(resource).use { input ->
                Files.copy(DigestInputStream(input, digest), temp, StandardCopyOption.REPLACE_EXISTING)
            }
            val actual = hex(digest.digest())
            if (actual != hash) {
                throw IOException("bundled library $resource has SHA-256 $actual, but the jar declares $hash: the jar is damaged")
            }
            makeExecutable(temp)
            moveIntoPlace(temp, target)
            Log.debug { "extracted $resource to $target" }
            return target
        } finally {
            deleteQuietly(temp)
        }
    }

    private fun moveIntoPlace(temp: Path, target: Path) {
        try {
            Files.move(temp, target, StandardCopyOption.ATOMIC_MOVE)
        } catch (e: FileAlreadyExistsException) {
            // Another JVM won the race with identical content: use its file.
        } catch (e: AtomicMoveNotSupportedException) {
            try {
                Files.move(temp, target)
            } catch (_: FileAlreadyExistsException) {
                // As above.
            }
        } catch (e: IOException) {
            // Windows refuses to replace a DLL another process has loaded; it is the same file.
            if (!Files.isRegularFile(target)) throw e
        }
    }

    /** Extractions that crashed half-way leave `.tmp` files; clear those older than an hour. */
    private fun removeStaleTemporaries(dir: Path, stem: String) {
        val cutoff = System.currentTimeMillis() - STALE_TEMP_MILLIS
        try {
            Files.newDirectoryStream(dir, ".$stem-*").use { entries ->
                for (entry in entries) {
                    val old = try {
                        Files.getLastModifiedTime(entry).toMillis() < cutoff
                    } catch (_: IOException) {
                        false
                    }
                    if (old) deleteQuietly(entry)
                }
            }
        } catch (_: IOException) {
            // Clean-up is best effort.
        }
    }

    private fun bundledHash(resource: String): String {
        NativeLoader::class.java.getResourceAsStream("$resource.sha256")?.use { input ->
            val text = input.readBytes().toString(Charsets.US_ASCII).trim().lowercase()
            if (text.matches(Regex("[0-9a-f]{64}"))) return text
        }
        // A jar built by other means may lack the checksum file: hash the library itself.
        val digest = MessageDigest.getInstance("SHA-256")
        openResource(resource).use { input ->
            val buffer = ByteArray(64 * 1024)
            while (true) {
                val n = input.read(buffer)
                if (n < 0) break
                digest.update(buffer, 0, n)
            }
        }
        return hex(digest.digest())
    }

    private fun openResource(resource: String): InputStream =
        NativeLoader::class.java.getResourceAsStream(resource) ?: throw IOException("resource $resource not found")

    private fun makeExecutable(file: Path) {
        try {
            Files.setPosixFilePermissions(file, PosixFilePermissions.fromString("rwxr-xr-x"))
        } catch (_: UnsupportedOperationException) {
            // Not a POSIX file system (Windows): nothing to set.
        }
    }

    private fun deleteQuietly(file: Path): Boolean =
        try {
            Files.deleteIfExists(file)
            true
        } catch (_: IOException) {
            false
        }

    private fun hex(bytes: ByteArray): String = bytes.joinToString("") { "%02x".format(it) }

    /** The platforms whose libraries this jar carries, from the index the build writes. */
    fun bundledPlatforms(): List<String> =
        NativeLoader::class.java.getResourceAsStream("/dev/hotpath/native/platforms.txt")
            ?.use { it.readBytes().toString(Charsets.UTF_8).lines().map(String::trim).filter(String::isNotEmpty) }
            ?: emptyList()

    private fun failureMessage(platform: Platform, attempts: Attempts): String {
        val tried = if (attempts.lines.isEmpty()) "    (nothing)" else attempts.lines.joinToString("\n") { "    - $it" }
        val carried = bundledPlatforms().ifEmpty { listOf("none") }.joinToString(", ")
        return """
            |hotpath could not load its native library ${Platform.LIBRARY_NAME}.
            |  platform: ${platform.id} (os=${platform.os}, arch=${platform.arch}, libc=${platform.libc}; ${platform.reported})
            |  tried:
            |$tried
            |  this jar carries native libraries for: $carried
            |  to fix it:
            |    - on a platform the jar does not carry, build the library (HOTPATH_VERSION=$expectedVersion cargo build --release -p hotpath-jni) and set ${Setting.LIB_PATH.howToSet("/path/to/${platform.libraryFileName}")}
            |    - if the cache directory is not writable or is mounted noexec, set ${Setting.CACHE_DIR.howToSet("/some/writable/dir")}
            |    - if the library is already on java.library.path, set ${Setting.LIB_SYSTEM.howToSet("true")}
            |    - to run without native code, set ${Setting.BACKEND.howToSet("jvm")}; ${Setting.DEBUG.howToSet("true")} logs every step
        """.trimMargin()
    }
}
