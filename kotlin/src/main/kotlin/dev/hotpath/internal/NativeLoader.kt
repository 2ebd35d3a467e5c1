package dev.hotpath.internal

import dev.hotpath.NativeLoadException
import java.io.File
import java.io.IOException
import java.nio.file.Files
import java.nio.file.Path

/** What loading the native library came to, once per class loader. */
internal sealed class NativeState {
    class Loaded(val path: String, val version: String, val threads: Int, val bridge: BridgeChoice) : NativeState()

    class Failed(val error: NativeLoadException) : NativeState()
}

/**
 * Finds, verifies and loads `hotpath_jni`, once per class loader.
 *
 * Order: an explicit `hotpath.lib.path`; `System.loadLibrary` when `hotpath.lib.system` is set
 * or on Android (`jniLibs`); otherwise the library bundled in the jar, through [LibraryCache]
 * (a per-user cache the loader checks before trusting, under a name holding the library's
 * SHA-256). A library this class loader cannot bind (loaded by another class loader, or by
 * another copy of hotpath in this one) is loaded again from a private copy.
 *
 * Start-up cost matters here (a CLI or a serverless function pays it on every start), so the
 * path to the first native call avoids what costs milliseconds cold: `by lazy` and lambdas
 * (holder objects and plain code instead), Kotlin text and collection extensions, regular
 * expressions, `MessageDigest` and java.util.logging.
 */
internal object NativeLoader {
    /** The system property through which `JNI_OnLoad` learns the (possibly relocated) bridge class. */
    const val BRIDGE_PROPERTY: String = "hotpath.jni.bridge"

    /** The Kotlin side's version, which the native library must report too. */
    val expectedVersion: String get() = BuildInfo.VERSION

    val state: NativeState get() = StateHolder.STATE

    /** The JVM runs this initialiser once per class loader, and other threads wait for it. */
    private object StateHolder {
        @JvmField val STATE: NativeState = load()
    }

    /** Everything that was tried and refused, for the one failure message. */
    internal class Attempts {
        val lines: ArrayList<String> = ArrayList()

        fun add(what: String, error: Throwable) {
            lines.add(what + ": " + error.javaClass.simpleName + ": " + error.message)
            if (Log.enabled) Log.debug("failed: $what: $error")
        }

        fun refuse(what: String) {
            lines.add(what)
            if (Log.enabled) Log.debug("refused: $what")
        }
    }

    // What the load steps return: a Loaded whose thread count the pool sets once configured (a
    // class of its own for this would be one more class to load on every start).
    private fun bound(path: String, version: String): NativeState.Loaded = NativeState.Loaded(path, version, 0, Bridge.PENDING)

    private fun load(): NativeState {
        if (Log.enabled) Log.debug("start: hotpath $expectedVersion, bridge ${NativeBridge::class.java.name}")
        val platform = Platform.current()
        val attempts = Attempts()
        // Before System.load, which on JDK 24+ turns native access on after warning (see Bridge).
        val chosen = try {
            Bridge.choose()
        } catch (e: NativeLoadException) {
            return NativeState.Failed(e)
        }
        if (Log.enabled) Log.debug("platform: ${platform.id} (${platform.reported}, libc=${platform.libc})")
        val bound = try {
            loadLibrary(platform, attempts)
        } catch (e: RuntimeException) {
            attempts.add("loading", e)
            null
        } ?: return NativeState.Failed(NativeLoadException(failureMessage(platform, attempts)))
        if (bound.version != expectedVersion) {
            return NativeState.Failed(
                NativeLoadException(
                    "hotpath native library version mismatch: ${bound.path} reports version ${bound.version}, " +
                        "but this hotpath jar is version $expectedVersion. Use the library from the same " +
                        "release as the jar (remove ${Setting.LIB_PATH.property}/${Setting.LIB_PATH.environment} to use " +
                        "the bundled one, or rebuild it with HOTPATH_VERSION=$expectedVersion cargo build --release -p hotpath-jni).",
                ),
            )
        }
        val threads = NativeBridge.configure(configuredThreads())
        if (Log.enabled) Log.debug("loaded: ${bound.path} (version ${bound.version}, configured $threads pool threads)")
        val bridge = try {
            Bridge.confirm(chosen)
        } catch (e: NativeLoadException) {
            return NativeState.Failed(e)
        }
        if (Log.enabled) Log.debug("bridge: ${bridge.name} (${bridge.why})")
        return NativeState.Loaded(bound.path, bound.version, threads, bridge)
    }

    /** `hotpath.threads`: the pool size, 0 (the default) meaning one per available processor. */
    fun configuredThreads(): Int {
        val raw = Setting.THREADS.value() ?: return 0
        val n = try {
            Integer.parseInt(raw)
        } catch (_: NumberFormatException) {
            -1
        }
        if (n < 0) {
            Log.warn("ignoring ${Setting.THREADS.property}=$raw: expected a whole number >= 0")
            return 0
        }
        return n
    }

    private fun loadLibrary(platform: Platform, attempts: Attempts): NativeState.Loaded? {
        val explicit = Setting.LIB_PATH.value()
        if (explicit != null) {
            val file = File(explicit).absoluteFile
            return loadFile(file.toPath(), "${Setting.LIB_PATH.property}=$explicit", attempts, null)
        }
        if (Setting.LIB_SYSTEM.flag() || platform.android) {
            val what = "System.loadLibrary(\"${Platform.LIBRARY_NAME}\") from java.library.path"
            try {
                registering(null)
                val version = versionOrNull(what, attempts)
                if (version != null) return bound("java.library.path:${Platform.LIBRARY_NAME}", version)
            } catch (e: LinkageError) {
                attempts.add(what, e)
            }
            if (Setting.LIB_SYSTEM.flag()) return null
        }
        val bundled = BundledLibrary.find(platform.resourcePath)
        if (bundled == null) {
            attempts.refuse("resource ${platform.resourcePath}: not in this jar")
            return null
        }
        if (Log.enabled) Log.debug("bundled: ${bundled.resource} (sha256 ${bundled.sha256}, ${bundled.size} bytes)")
        val cached = LibraryCache(bundled, platform.libraryFileName, attempts)
        for (dir in LibraryCache.candidates(platform)) {
            val file = cached.fileIn(dir) ?: continue
            val bound = loadFile(file, "${bundled.resource} extracted to $file", attempts, dir)
            if (bound != null) return bound
        }
        if (Setting.CACHE_DIR.value() != null) return null
        return cached.loadFromPrivateDirectory { file -> loadFile(file, "${bundled.resource} extracted to $file", attempts, null) }
    }

    /**
     * Loads [file] and binds this copy of hotpath to it, or returns null with the reason in
     * [attempts]. [trustedDir] is where a private copy may go (null: a new private directory).
     */
    private fun loadFile(file: Path, what: String, attempts: Attempts, trustedDir: Path?): NativeState.Loaded? {
        try {
            registering(file.toString())
        } catch (e: UnsatisfiedLinkError) {
            if (e.message?.jContains("already loaded in another classloader") == true) {
                return loadPrivateCopy(file, what, attempts, trustedDir)
            }
            attempts.add(what, e)
            return null
        } catch (e: LinkageError) {
            // JNI_OnLoad could not register the bridge's methods (UnsatisfiedLinkError, NoSuchMethodError).
            attempts.add(what, e)
            return null
        } catch (e: SecurityException) {
            attempts.add(what, e)
            return null
        }
        if (Log.enabled) Log.debug("System.load: $file")
        // The same file already loaded by this class loader for another (relocated) copy of
        // hotpath: JNI_OnLoad did not run again, so this copy's bridge is not bound yet.
        val version = firstCall() ?: return loadPrivateCopy(file, what, attempts, trustedDir)
        if (Log.enabled) Log.debug("version: $version")
        return bound(file.toString(), version)
    }

    private fun firstCall(): String? =
        try {
            NativeBridge.version()
        } catch (_: UnsatisfiedLinkError) {
            null
        }

    private fun versionOrNull(what: String, attempts: Attempts): String? =
        try {
            NativeBridge.version()
        } catch (e: UnsatisfiedLinkError) {
            attempts.add("$what is not a hotpath library (no version entry point)", e)
            null
        }

    /**
     * A JVM binds a library file to the first class loader that loads it, and runs its
     * `JNI_OnLoad` once, so a second, isolated class loader (application servers, Spark
     * executors, test runners) or a second, relocated copy of hotpath loads its own copy. The
     * copy is deleted right after loading; on Windows, where a loaded DLL cannot be deleted, it
     * goes at exit or with the next start's clean-up of stale files.
     */
    private fun loadPrivateCopy(file: Path, what: String, attempts: Attempts, trustedDir: Path?): NativeState.Loaded? {
        var copy: Path? = null
        var privateDir: Path? = null
        val whatCopy = "$what (a private copy for this class loader)"
        try {
            val dir = trustedDir ?: LibraryCache.createPrivateDirectory().also { privateDir = it }
            val name = file.fileName.toString()
            val dot = name.jLastIndexOf('.')
            val stem = if (dot > 0) name.substring(0, dot) else name
            val ext = if (dot > 0) name.substring(dot) else ".lib"
            copy = Files.createTempFile(dir, ".$stem-", ext)
            Files.copy(file, copy, java.nio.file.StandardCopyOption.REPLACE_EXISTING)
            registering(copy.toString())
            if (Log.enabled) Log.debug("private copy: $copy ($file is bound elsewhere)")
            val version = versionOrNull(whatCopy, attempts) ?: return null
            return bound(copy.toString(), version)
        } catch (e: IOException) {
            attempts.add(whatCopy, e)
        } catch (e: LinkageError) {
            attempts.add(whatCopy, e)
        } catch (e: SecurityException) {
            attempts.add(whatCopy, e)
        } finally {
            if (copy != null) LibraryCache.deleteAfterLoad(copy)
            privateDir?.let { LibraryCache.deleteAfterLoad(it) }
        }
        return null
    }

    /**
     * Runs `System.load(file)` (or, for null, `System.loadLibrary`) of hotpath's library with [BRIDGE_PROPERTY] naming this
     * copy's bridge class, so `JNI_OnLoad` registers the natives on it even when a fat jar
     * relocated the package. The name comes from the class object: maven-shade-plugin rewrites
     * string literals that start with the relocated prefix. The monitor is the one the JDK's
     * `Runtime.load0` takes (JDK 11-21), so concurrent loads by several hotpath copies are
     * serialised without new contention.
     */
    private fun registering(file: String?) {
        // A plain function rather than an inline one taking the load as a lambda: that
        // lambda's Unit result loads kotlin.Unit, one more class on every start.
        synchronized(Runtime.getRuntime()) {
            val previous = System.getProperty(BRIDGE_PROPERTY)
            System.setProperty(BRIDGE_PROPERTY, NativeBridge::class.java.name.jReplace('.', '/'))
            try {
                if (file == null) System.loadLibrary(Platform.LIBRARY_NAME) else System.load(file)
            } finally {
                if (previous == null) System.clearProperty(BRIDGE_PROPERTY) else System.setProperty(BRIDGE_PROPERTY, previous)
            }
            true
        }
    }

    /** The platforms whose libraries this jar carries, from the index the build writes. */
    fun bundledPlatforms(): List<String> {
        val text = JarResources.read("/dev/hotpath/native/platforms.txt")?.let { String(it, Charsets.UTF_8) } ?: return emptyList()
        return text.lines().map(String::trim).filter(String::isNotEmpty)
    }

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
            |    - if the cache directory is refused, not writable or mounted noexec, set ${Setting.CACHE_DIR.howToSet("/some/private/dir")} (owned by you, not writable by others)
            |    - if the library is already on java.library.path, set ${Setting.LIB_SYSTEM.howToSet("true")}
            |    - to run without native code, set ${Setting.BACKEND.howToSet("jvm")}; ${Setting.DEBUG.howToSet("true")} logs every step
        """.trimMargin()
    }
}
