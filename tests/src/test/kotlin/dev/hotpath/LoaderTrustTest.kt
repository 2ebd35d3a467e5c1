package dev.hotpath

import org.junit.jupiter.api.Test
import java.nio.file.Files
import java.nio.file.Path
import java.nio.file.attribute.PosixFilePermissions
import java.nio.file.attribute.UserPrincipal
import java.util.Random
import java.util.zip.ZipFile
import kotlin.io.path.listDirectoryEntries
import kotlin.io.path.name
import kotlin.test.assertContentEquals
import kotlin.test.assertEquals
import kotlin.test.assertFalse
import kotlin.test.assertNotNull
import kotlin.test.assertTrue

/**
 * The loader trusts nothing on disk: cached files are checked against the jar's record, cache
 * directories against who could write to them. Tests run as root, which bypasses permission
 * bits, so they set up what the loader checks (owner, mode) rather than what the kernel enforces.
 */
class LoaderTrustTest {
    private val expectedSum = (1L..100_000L).sum().toString()
    private val resource = "dev/hotpath/native/linux-x86_64/libhotpath_jni.so"

    private val bundledBytes: ByteArray by lazy { jarEntry(resource) }
    private val cachedName: String by lazy {
        "libhotpath_jni-" + String(jarEntry("$resource.sha256"), Charsets.US_ASCII).trim().take(16) + ".so"
    }

    private fun jarEntry(name: String): ByteArray =
        ZipFile(JvmProcess.libraryJar.toFile()).use { jar -> jar.getInputStream(jar.getEntry(name)).readBytes() }

    private val nobody: UserPrincipal by lazy {
        java.nio.file.FileSystems.getDefault().userPrincipalLookupService.lookupPrincipalByName("nobody")
    }

    private fun populated(cache: Path): Path {
        val first = JvmProcess.run(mapOf("hotpath.cache.dir" to cache.toString(), "hotpath.backend" to "native"))
        assertEquals(expectedSum, first["sum"], first.toString())
        return cache.resolve(cachedName).also { assertTrue(Files.isRegularFile(it), "not cached: $first") }
    }

    private fun assertRunsNatively(r: JvmProcess.Result) {
        assertEquals(0, r.exitCode, r.toString())
        assertEquals(expectedSum, r["sum"], r.toString())
        assertEquals("true", r["native"], r.toString())
    }

    /** Where the probe's diagnostics say the library was loaded from. */
    private fun loadedFrom(r: JvmProcess.Result): String =
        assertNotNull(Regex("native: loaded from (\\S+),").find(r["diagnostics"] ?: "")?.groupValues?.get(1), r.toString())

    @Test
    fun cachedFileWithTheRightNameButGarbageContentIsReplacedNotLoaded() {
        val cache = JvmProcess.workDir("garbage").resolve("cache")
        val file = populated(cache)
        Files.write(file, ByteArray(bundledBytes.size).also { Random(7).nextBytes(it) })

        val r = JvmProcess.run(mapOf("hotpath.cache.dir" to cache.toString(), "hotpath.backend" to "native", "hotpath.debug" to "true"))
        assertRunsNatively(r)
        assertTrue(r.stderr.contains("cached file $file: CRC-32"), r.toString())
        assertContentEquals(bundledBytes, Files.readAllBytes(file), "the damaged file was not replaced")
        assertEquals(listOf(cachedName), cache.listDirectoryEntries().map { it.name }, "temporary files left behind")
    }

    @Test
    fun zeroLengthCachedFileIsReplacedNotLoaded() {
        val cache = JvmProcess.workDir("empty-file").resolve("cache")
        val file = populated(cache)
        Files.write(file, ByteArray(0))

        val r = JvmProcess.run(mapOf("hotpath.cache.dir" to cache.toString(), "hotpath.backend" to "native", "hotpath.debug" to "true"))
        assertRunsNatively(r)
        assertTrue(r.stderr.contains("cached file $file: 0 bytes"), r.toString())
        assertContentEquals(bundledBytes, Files.readAllBytes(file))
    }

    @Test
    fun truncatedCachedFileIsReplacedNotLoaded() {
        val cache = JvmProcess.workDir("truncated").resolve("cache")
        val file = populated(cache)
        Files.write(file, bundledBytes.copyOf(bundledBytes.size / 2))

        val r = JvmProcess.run(mapOf("hotpath.cache.dir" to cache.toString(), "hotpath.backend" to "native"))
        assertRunsNatively(r)
        assertContentEquals(bundledBytes, Files.readAllBytes(file))
    }

    /** The default chain: `$XDG_CACHE_HOME/hotpath`, then `${java.io.tmpdir}/hotpath-<user>`, then a private directory. */
    private fun runWithDefaultCandidates(base: Path): JvmProcess.Result =
        JvmProcess.run(
            mapOf(
                "user.home" to base.resolve("home").toString(),
                "java.io.tmpdir" to base.resolve("tmp").toString(),
                "hotpath.backend" to "native",
                "hotpath.debug" to "true",
            ),
            environment = mapOf("XDG_CACHE_HOME" to base.resolve("xdg").toString()),
        )

    private fun fallback(base: Path): Path = base.resolve("tmp").resolve("hotpath-" + System.getProperty("user.name"))

    @Test
    fun cacheDirectoryOwnedByAnotherUserIsRefusedAndTheNextCandidateUsed() {
        val base = JvmProcess.workDir("foreign-owner")
        Files.createDirectories(base.resolve("tmp"))
        val foreign = Files.createDirectories(base.resolve("xdg/hotpath"))
        Files.setOwner(foreign, nobody)

        val r = runWithDefaultCandidates(base)
        assertRunsNatively(r)
        assertTrue(r.stderr.contains("refused: cache directory $foreign: it is owned by another user"), r.toString())
        assertEquals(fallback(base).resolve(cachedName).toString(), loadedFrom(r))
        assertEquals(emptyList(), foreign.listDirectoryEntries(), "wrote into a directory another user owns")
    }

    @Test
    fun cacheDirectoryWritableByOthersIsRefusedAndTheNextCandidateUsed() {
        val base = JvmProcess.workDir("world-writable")
        Files.createDirectories(base.resolve("tmp"))
        val open = Files.createDirectories(base.resolve("xdg/hotpath"))
        Files.setPosixFilePermissions(open, PosixFilePermissions.fromString("rwxrwxrwx"))

        val r = runWithDefaultCandidates(base)
        assertRunsNatively(r)
        assertTrue(r.stderr.contains("refused: cache directory $open: it is writable by its group and everyone (mode 777)"), r.toString())
        assertEquals(fallback(base).resolve(cachedName).toString(), loadedFrom(r))
    }

    @Test
    fun libraryPlantedInTheSharedTempFallbackByAnotherUserIsNeverLoaded() {
        val base = JvmProcess.workDir("planted")
        // The per-user cache is unusable (another user's), so the loader reaches the temp-dir fallback...
        Files.setOwner(Files.createDirectories(base.resolve("xdg/hotpath")), nobody)
        // ...which another local user created first, with a "library" under the expected name.
        val planted = Files.createDirectories(fallback(base))
        val plantedFile = planted.resolve(cachedName)
        val evil = ByteArray(bundledBytes.size).also { Random(11).nextBytes(it) }
        Files.write(plantedFile, evil)
        Files.setOwner(plantedFile, nobody)
        Files.setOwner(planted, nobody)

        val r = runWithDefaultCandidates(base)
        assertRunsNatively(r)
        assertTrue(r.stderr.contains("refused: cache directory $planted: it is owned by another user"), r.toString())
        val from = loadedFrom(r)
        assertFalse(from.startsWith(planted.toString()), "loaded the planted library: $from")
        assertTrue(from.startsWith(base.resolve("tmp").resolve("hotpath-").toString()), "not a private directory: $from")
        assertContentEquals(evil, Files.readAllBytes(plantedFile), "the planted file was touched")
        assertEquals(listOf(planted), base.resolve("tmp").listDirectoryEntries(), "the private directory was left behind")
    }

    @Test
    fun cachePathThatIsARegularFileIsRefusedWithAClearReason() {
        val file = JvmProcess.workDir("file-as-dir").resolve("cache")
        Files.write(file, byteArrayOf(1))
        val r = JvmProcess.run(mapOf("hotpath.cache.dir" to file.toString(), "hotpath.backend" to "native"))
        val message = assertNotNull(r["loadError"], r.toString())
        assertTrue(message.contains("cache directory $file: it is not a directory (a file of that name exists"), message)
        assertFalse(message.contains("FileAlreadyExistsException"), message)
    }

    @Test
    fun defaultCachePathThatIsARegularFileIsRefusedAndTheNextCandidateUsed() {
        val base = JvmProcess.workDir("default-file-as-dir")
        Files.createDirectories(base.resolve("xdg"))
        Files.createDirectories(base.resolve("tmp"))
        Files.write(base.resolve("xdg/hotpath"), byteArrayOf(1))
        val r = runWithDefaultCandidates(base)
        assertRunsNatively(r)
        assertEquals(fallback(base).resolve(cachedName).toString(), loadedFrom(r))
    }

    @Test
    fun directoriesTheLoaderCreatesAreOwnerOnly() {
        val base = JvmProcess.workDir("created")
        val cache = base.resolve("a/b/cache")
        val r = JvmProcess.run(mapOf("hotpath.cache.dir" to cache.toString(), "hotpath.backend" to "native"))
        assertRunsNatively(r)
        for (dir in listOf(base.resolve("a"), base.resolve("a/b"), cache)) {
            assertEquals("rwx------", PosixFilePermissions.toString(Files.getPosixFilePermissions(dir)), dir.toString())
        }
    }

    @Test
    fun bridgePropertyIsRestoredAfterLoading() {
        val cache = JvmProcess.workDir("bridge").resolve("cache")
        val unset = JvmProcess.run(mapOf("hotpath.cache.dir" to cache.toString(), "hotpath.backend" to "native"))
        assertRunsNatively(unset)
        assertEquals("null", unset["bridgeProperty"], unset.toString())
        val preset = JvmProcess.run(mapOf("hotpath.cache.dir" to cache.toString(), "hotpath.backend" to "native", "hotpath.jni.bridge" to "some/Other"))
        assertRunsNatively(preset)
        assertEquals("some/Other", preset["bridgeProperty"], preset.toString())
    }
}
