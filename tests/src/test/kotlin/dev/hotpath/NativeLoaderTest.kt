package dev.hotpath

import org.junit.jupiter.api.Test
import java.net.URLClassLoader
import java.nio.file.Files
import java.nio.file.Path
import java.nio.file.attribute.BasicFileAttributes
import java.nio.file.attribute.FileTime
import java.util.zip.ZipFile
import kotlin.io.path.listDirectoryEntries
import kotlin.io.path.name
import kotlin.test.assertEquals
import kotlin.test.assertFalse
import kotlin.test.assertNotNull
import kotlin.test.assertTrue

/** The loader as users meet it: fresh JVMs, empty and warm caches, overrides and failures. */
class NativeLoaderTest {
    private val expectedSum = (1L..100_000L).sum().toString()

    private fun cacheFiles(dir: Path): List<String> =
        if (Files.isDirectory(dir)) dir.listDirectoryEntries().map { it.name }.sorted() else emptyList()

    @Test
    fun sixJvmsStartingAtOnceOnAnEmptyCacheLeaveExactlyOneFile() {
        val cache = JvmProcess.workDir("concurrent").resolve("cache")
        val processes = (1..6).map { JvmProcess.start(mapOf("hotpath.cache.dir" to cache.toString(), "hotpath.backend" to "native")) }
        val results = processes.map(JvmProcess::finish)
        for (r in results) {
            assertEquals(0, r.exitCode, r.toString())
            assertEquals(expectedSum, r["sum"], r.toString())
            assertEquals("true", r["native"], r.toString())
        }
        val files = cacheFiles(cache)
        assertEquals(1, files.size, "cache holds $files")
        assertTrue(files[0].matches(Regex("libhotpath_jni-[0-9a-f]{16}\\.so")), files[0])
    }

    @Test
    fun secondStartReusesTheCachedLibraryWithoutRewritingIt() {
        val cache = JvmProcess.workDir("reuse").resolve("cache")
        val props = mapOf("hotpath.cache.dir" to cache.toString(), "hotpath.backend" to "native")
        val first = JvmProcess.run(props)
        assertEquals(expectedSum, first["sum"], first.toString())
        val file = cache.listDirectoryEntries().single()
        val old = FileTime.fromMillis(1_000_000_000_000L)
        Files.setLastModifiedTime(file, old)
        val key = Files.readAttributes(file, BasicFileAttributes::class.java).fileKey()

        val second = JvmProcess.run(props + ("hotpath.debug" to "true"))
        assertEquals(expectedSum, second["sum"], second.toString())
        assertEquals(listOf(file.name), cacheFiles(cache))
        assertEquals(old, Files.getLastModifiedTime(file), "the cached library was rewritten")
        assertEquals(key, Files.readAttributes(file, BasicFileAttributes::class.java).fileKey())
        assertTrue(second.stderr.contains("verified: $file"), second.toString())
    }

    @Test
    fun defaultCacheIsPerUserUnderXdgCacheHome() {
        val home = JvmProcess.workDir("home")
        val xdg = home.resolve("xdg")
        val r = JvmProcess.run(
            mapOf("user.home" to home.toString(), "hotpath.backend" to "native"),
            environment = mapOf("XDG_CACHE_HOME" to xdg.toString()),
        )
        assertEquals(expectedSum, r["sum"], r.toString())
        assertEquals(1, cacheFiles(xdg.resolve("hotpath")).size, r.toString())
    }

    @Test
    fun defaultCacheFallsBackToHomeDotCache() {
        val home = JvmProcess.workDir("home-dotcache")
        val r = JvmProcess.run(
            mapOf("user.home" to home.toString(), "hotpath.backend" to "native"),
            environment = mapOf("XDG_CACHE_HOME" to null),
        )
        assertEquals(expectedSum, r["sum"], r.toString())
        assertEquals(1, cacheFiles(home.resolve(".cache/hotpath")).size, r.toString())
    }

    @Test
    fun cacheDirectoryCanBeSetByEnvironmentVariable() {
        val cache = JvmProcess.workDir("env-cache").resolve("from-env")
        val r = JvmProcess.run(environment = mapOf("HOTPATH_CACHE_DIR" to cache.toString(), "HOTPATH_BACKEND" to "native"))
        assertEquals(expectedSum, r["sum"], r.toString())
        assertEquals("NATIVE", r["backend"], r.toString())
        assertEquals(1, cacheFiles(cache).size)
    }

    @Test
    fun staleTemporaryFilesFromCrashedExtractionsAreRemoved() {
        val cache = JvmProcess.workDir("stale").resolve("cache")
        Files.createDirectories(cache)
        val stale = cache.resolve(".libhotpath_jni-0123456789abcdef-999.tmp")
        Files.write(stale, byteArrayOf(1, 2, 3))
        Files.setLastModifiedTime(stale, FileTime.fromMillis(System.currentTimeMillis() - 3 * 3600_000L))
        val fresh = cache.resolve(".libhotpath_jni-0123456789abcdef-1000.tmp")
        Files.write(fresh, byteArrayOf(1, 2, 3))
        val r = JvmProcess.run(mapOf("hotpath.cache.dir" to cache.toString()))
        assertEquals(expectedSum, r["sum"], r.toString())
        assertFalse(Files.exists(stale), "stale temp file survived")
        assertTrue(Files.exists(fresh), "a temp file of an extraction that may still be running was removed")
    }

    @Test
    fun unusableCacheDirectoryFailsWithOneActionableMessage() {
        val dir = JvmProcess.workDir("not-a-dir")
        val file = dir.resolve("plain-file")
        Files.write(file, byteArrayOf(0))
        val r = JvmProcess.run(mapOf("hotpath.cache.dir" to file.toString(), "hotpath.backend" to "native"))
        assertEquals(0, r.exitCode, r.toString())
        val message = assertNotNull(r["loadError"], r.toString())
        for (expected in listOf("linux", "x86_64", "glibc", file.toString(), "hotpath.cache.dir", "HOTPATH_CACHE_DIR", "hotpath.lib.path", "linux-x86_64")) {
            assertTrue(message.contains(expected), "message lacks '$expected': $message")
        }
        assertEquals("false", r["native"])
    }

    @Test
    fun badLibraryPathNamesThePathAndTheOverride() {
        val missing = JvmProcess.workDir("bad-path").resolve("nope/libhotpath_jni.so")
        val r = JvmProcess.run(mapOf("hotpath.lib.path" to missing.toString(), "hotpath.backend" to "native"))
        val message = assertNotNull(r["loadError"], r.toString())
        assertTrue(message.contains(missing.toString()), message)
        assertTrue(message.contains("hotpath.lib.path=$missing"), message)
        assertTrue(message.contains("HOTPATH_LIB_PATH"), message)
        assertTrue(message.contains("libc=glibc"), message)
    }

    @Test
    fun autoFallsBackToTheJvmWhenTheLibraryCannotLoad() {
        val missing = JvmProcess.workDir("fallback").resolve("missing.so")
        val r = JvmProcess.run(environment = mapOf("HOTPATH_LIB_PATH" to missing.toString()))
        assertEquals("AUTO", r["backend"], r.toString())
        assertEquals(expectedSum, r["sum"], r.toString())
        assertEquals("false", r["native"])
        assertTrue(r.stderr.contains("hotpath runs on the JVM backend"), "fallback was not logged: $r")
    }

    @Test
    fun libraryFromAnotherVersionIsRefused() {
        val dir = JvmProcess.workDir("version")
        val library = dir.resolve("libhotpath_jni.so")
        ZipFile(JvmProcess.libraryJar.toFile()).use { jar ->
            val entry = jar.entries().asSequence().first { it.name.matches(Regex("dev/hotpath/native/linux-x86_64/libhotpath_jni\\.so")) }
            val bytes = jar.getInputStream(entry).readBytes()
            val from = JvmProcess.version.toByteArray()
            val to = ("9" + JvmProcess.version.drop(1)).toByteArray()
            var replaced = 0
            var i = 0
            while (i <= bytes.size - from.size) {
                if ((from.indices).all { bytes[i + it] == from[it] }) {
                    to.copyInto(bytes, i)
                    replaced++
                    i += from.size
                } else {
                    i++
                }
            }
            assertTrue(replaced > 0, "version string not found in the library")
            Files.write(library, bytes)
        }
        val r = JvmProcess.run(mapOf("hotpath.lib.path" to library.toString(), "hotpath.backend" to "native"))
        val message = assertNotNull(r["loadError"], r.toString())
        assertTrue(message.contains("version mismatch"), message)
        assertTrue(message.contains("9" + JvmProcess.version.drop(1)), message)
        assertTrue(message.contains(JvmProcess.version), message)
    }

    @Test
    fun libraryOnJavaLibraryPathLoadsWithoutExtraction() {
        val dir = JvmProcess.workDir("system")
        ZipFile(JvmProcess.libraryJar.toFile()).use { jar ->
            val entry = jar.entries().asSequence().first { it.name.matches(Regex("dev/hotpath/native/linux-x86_64/libhotpath_jni\\.so")) }
            Files.write(dir.resolve("libhotpath_jni.so"), jar.getInputStream(entry).readBytes())
        }
        val cache = dir.resolve("cache")
        val r = JvmProcess.run(
            mapOf("java.library.path" to dir.toString(), "hotpath.lib.system" to "true", "hotpath.cache.dir" to cache.toString(), "hotpath.backend" to "native"),
        )
        assertEquals(expectedSum, r["sum"], r.toString())
        assertFalse(Files.exists(cache), "extracted although told the library is on java.library.path")
    }

    @Test
    fun threadsAndBackendComeFromPropertiesAndEnvironment() {
        val byProperty = JvmProcess.run(mapOf("hotpath.threads" to "3", "hotpath.backend" to "jvm"))
        assertEquals("JVM", byProperty["backend"], byProperty.toString())
        assertEquals(expectedSum, byProperty["sum"])
        assertEquals("true", byProperty["native"], byProperty.toString())
        assertEquals("3", byProperty["threads"], byProperty.toString())

        val byEnvironment = JvmProcess.run(environment = mapOf("HOTPATH_THREADS" to "1", "HOTPATH_BACKEND" to "native"))
        assertEquals("NATIVE", byEnvironment["backend"], byEnvironment.toString())
        assertEquals("1", byEnvironment["threads"], byEnvironment.toString())

        val propertyWins = JvmProcess.run(mapOf("hotpath.threads" to "2"), environment = mapOf("HOTPATH_THREADS" to "1"))
        assertEquals("2", propertyWins["threads"], propertyWins.toString())
    }

    @Test
    fun debugSettingLogsEveryLoaderStep() {
        val cache = JvmProcess.workDir("debug").resolve("cache")
        val r = JvmProcess.run(mapOf("hotpath.debug" to "true", "hotpath.cache.dir" to cache.toString(), "hotpath.backend" to "native"))
        for (step in listOf("platform: linux-x86_64", "bundled: ", "created: ", "extracted: ", "System.load: ", "loaded: ")) {
            assertTrue(Regex("""\[hotpath] \+\d+\.\d ms """ + Regex.escape(step)).containsMatchIn(r.stderr), "no timed '$step' step: $r")
        }
    }

    @Test
    fun twoIsolatedClassLoadersInOneJvmBothRunNatively() {
        val urls = arrayOf(JvmProcess.libraryJar.toUri().toURL(), JvmProcess.stdlibJar.toUri().toURL())
        val values = LongArray(10_000) { it.toLong() * 7 }
        val expected = values.sum()
        repeat(2) {
            URLClassLoader(urls, ClassLoader.getPlatformClassLoader()).use { loader ->
                val hotpath = Class.forName("dev.hotpath.Hotpath", true, loader)
                assertTrue(hotpath !== Hotpath::class.java, "class loader is not isolated")
                val backend = Class.forName("dev.hotpath.Backend", true, loader)
                @Suppress("UNCHECKED_CAST")
                val native = java.lang.Enum.valueOf(backend as Class<out Enum<*>>, "NATIVE")
                hotpath.getMethod("setBackend", backend).invoke(null, native)
                val available = hotpath.getMethod("isNativeAvailable").invoke(null) as Boolean
                assertTrue(available, hotpath.getMethod("getNativeLoadError").invoke(null)?.toString())
                val numeric = Class.forName("dev.hotpath.Numeric", true, loader)
                assertEquals(expected, numeric.getMethod("sum", LongArray::class.java).invoke(null, values))
            }
        }
        // This JVM's own class loader works too, alongside them.
        Hotpath.backend = Backend.NATIVE
        try {
            assertEquals(expected, Numeric.sum(values))
        } finally {
            Hotpath.backend = Backend.AUTO
        }
        val cache = Path.of(System.getProperty("hotpath.cache.dir"))
        val leftovers = cacheFiles(cache).filter { it.startsWith(".") }
        assertEquals(emptyList(), leftovers, "private copies were left behind")
    }
}
