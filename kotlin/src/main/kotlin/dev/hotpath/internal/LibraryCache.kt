package dev.hotpath.internal

import java.io.IOException
import java.nio.file.AtomicMoveNotSupportedException
import java.nio.file.FileAlreadyExistsException
import java.nio.file.FileSystems
import java.nio.file.LinkOption
import java.nio.file.Files
import java.nio.file.Path
import java.nio.file.Paths
import java.nio.file.StandardCopyOption
import java.nio.file.attribute.FileAttribute
import java.nio.file.attribute.PosixFilePermission
import java.nio.file.attribute.PosixFilePermissions

/**
 * The per-user cache of the extracted library. A directory is used only when [DirectoryTrust]
 * says no one but the current user can write to it (hotpath creates its directories `0700`); a
 * cached file is loaded only when it matches the jar's record ([BundledLibrary.mismatch]), and
 * is otherwise replaced, never loaded. Files are written to a temporary file in the same
 * directory and renamed into place atomically, so concurrent first starts never see a
 * half-written library and leave one file behind.
 */
internal class LibraryCache(
    private val bundled: BundledLibrary,
    fileName: String,
    private val attempts: NativeLoader.Attempts,
) {
    private val name = bundled.cachedName(fileName)
    private val stem = name.substring(0, name.jLastIndexOf('.'))

    /** The verified library file in [dir], extracting it first if needed; null (reason recorded) if [dir] is refused. */
    fun fileIn(configured: Path): Path? {
        val dir = trusted(configured) ?: return null
        try {
            val target = dir.resolve(name)
            if (Files.exists(target, LinkOption.NOFOLLOW_LINKS)) {
                val mismatch = bundled.mismatch(target, POSIX)
                if (mismatch == null) {
                    if (Log.enabled) Log.debug("verified: $target (${bundled.size} bytes, CRC-32 matches the jar's record)")
                    return target
                }
                attempts.refuse("cached file $target: $mismatch; replacing it")
            }
            extract(dir, target)
            return target
        } catch (e: IOException) {
            attempts.add("extracting ${bundled.resource} to $dir", e)
        } catch (e: SecurityException) {
            attempts.add("extracting ${bundled.resource} to $dir", e)
        }
        return null
    }

    /**
     * [configured], created `0700` if missing, as a real path (links resolved, so no one can
     * re-point it after the check), if [DirectoryTrust] accepts it; else null, the reason recorded.
     */
    private fun trusted(configured: Path): Path? {
        val real: Path
        try {
            if (!Files.exists(configured, LinkOption.NOFOLLOW_LINKS)) createPrivateDirectories(configured)
            real = configured.toRealPath()
        } catch (e: FileAlreadyExistsException) {
            attempts.refuse("cache directory $configured: it is not a directory (a file of that name exists: ${e.file})")
            return null
        } catch (e: IOException) {
            attempts.add("cache directory $configured cannot be created", e)
            return null
        } catch (e: SecurityException) {
            attempts.add("cache directory $configured cannot be created", e)
            return null
        }
        val refusal = DirectoryTrust.check(real)
        if (refusal != null) {
            attempts.refuse("cache directory " + (if (real == configured.toAbsolutePath()) "$real" else "$configured (really $real)") + ": " + refusal)
            return null
        }
        return real
    }

    /**
     * The last resort when no cache directory can be trusted: a new private directory
     * (`Files.createTempDirectory`, `0700`), removed with the file once loaded where the OS allows.
     */
    fun <T> loadFromPrivateDirectory(load: (Path) -> T?): T? {
        var dir: Path? = null
        var file: Path? = null
        try {
            dir = createPrivateDirectory()
            file = dir.resolve(name)
            bundled.writeTo(file)
            makeExecutable(file)
            if (Log.enabled) Log.debug("extracted: $file (a private directory: no cache directory could be trusted)")
            return load(file)
        } catch (e: IOException) {
            attempts.add("extracting ${bundled.resource} to a private temporary directory", e)
            return null
        } finally {
            if (file != null) deleteAfterLoad(file)
            if (dir != null) deleteAfterLoad(dir)
        }
    }

    private fun extract(dir: Path, target: Path) {
        removeStaleTemporaries(dir)
        val temp = createTemporary(dir)
        try {
            bundled.writeTo(temp)
            makeExecutable(temp)
            moveIntoPlace(temp, target)
            if (Log.enabled) Log.debug("extracted: $target")
        } finally {
            deleteQuietly(temp)
        }
    }

    /**
     * A new, empty, owner-only file in [dir] for the extraction. Named from the clock rather than
     * by `Files.createTempFile`, whose SecureRandom costs security-provider start-up (tens of
     * milliseconds cold); `createFile` fails rather than reuse a name, so a collision with another
     * JVM's extraction just tries the next name.
     */
    private fun createTemporary(dir: Path): Path {
        var attempt = 0
        while (true) {
            val candidate = dir.resolve("." + stem + "-" + java.lang.Long.toHexString(System.nanoTime()) + "-" + attempt + ".tmp")
            try {
                return if (POSIX) Files.createFile(candidate, OwnerOnly.FILE) else Files.createFile(candidate)
            } catch (e: FileAlreadyExistsException) {
                if (++attempt == MAX_TEMP_ATTEMPTS) throw e
            }
        }
    }

    /** Renames over whatever is there: a damaged file, or an identical one another JVM just wrote. */
    private fun moveIntoPlace(temp: Path, target: Path) {
        try {
            Files.move(temp, target, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING)
        } catch (e: AtomicMoveNotSupportedException) {
            Files.move(temp, target, StandardCopyOption.REPLACE_EXISTING)
        } catch (e: IOException) {
            // Windows refuses to replace a DLL another process has loaded: use it if it is the same library.
            if (!Files.isRegularFile(target) || bundled.mismatch(target, POSIX) != null) throw e
        }
    }

    /** Extractions that crashed half-way leave `.tmp` files; clear those older than an hour. */
    private fun removeStaleTemporaries(dir: Path) {
        val cutoff = System.currentTimeMillis() - STALE_TEMP_MILLIS
        try {
            Files.newDirectoryStream(dir).use { entries ->
                for (entry in entries) {
                    val n = entry.fileName.toString()
                    if (!n.jStartsWith(".") || !n.jEndsWith(".tmp")) continue
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

    companion object {
        private const val STALE_TEMP_MILLIS = 60L * 60 * 1000
        private const val MAX_TEMP_ATTEMPTS = 100

        private val POSIX: Boolean = FileSystems.getDefault().supportedFileAttributeViews().contains("posix")

        /** Built only when extracting: a warm start never pays for the permission classes. */
        private object OwnerOnly {
            @JvmField val FILE: FileAttribute<Set<PosixFilePermission>> =
                PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------"))
        }

        /** The configured cache directory, or the per-user default followed by the temp-dir fallback. */
        fun candidates(platform: Platform): List<Path> {
            val configured = Setting.CACHE_DIR.value()
            val result = ArrayList<Path>(2)
            if (configured != null) {
                result.add(Paths.get(configured))
                return result
            }
            val home = System.getProperty("user.home")
            val xdg = System.getenv("XDG_CACHE_HOME")
            val primary: String? = when (platform.os) {
                "windows" -> System.getenv("LOCALAPPDATA")?.let { "$it\\hotpath\\cache" }
                "macos" -> home?.let { "$it/Library/Caches/hotpath" }
                else -> if (xdg != null && xdg.jStartsWith("/")) "$xdg/hotpath" else home?.let { "$it/.cache/hotpath" }
            }
            if (primary != null) result.add(Paths.get(primary))
            val fallback = Paths.get(System.getProperty("java.io.tmpdir"), "hotpath-" + safeUserName())
            if (!result.contains(fallback)) result.add(fallback)
            return result
        }

        private fun safeUserName(): String {
            val user = System.getProperty("user.name") ?: "user"
            val sb = StringBuilder(user.length)
            for (c in user) sb.append(if (c in 'A'..'Z' || c in 'a'..'z' || c in '0'..'9' || c == '.' || c == '_' || c == '-') c else '_')
            return sb.toString()
        }

        private fun createPrivateDirectories(dir: Path) {
            if (POSIX) {
                Files.createDirectories(dir, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rwx------")))
            } else {
                Files.createDirectories(dir)
            }
            if (Log.enabled) Log.debug("created: $dir")
        }

        /** A new directory only this user can use (`Files.createTempDirectory` makes it `0700`). */
        fun createPrivateDirectory(): Path = Files.createTempDirectory("hotpath-")

        private fun makeExecutable(file: Path) {
            if (POSIX) Files.setPosixFilePermissions(file, PosixFilePermissions.fromString("rwxr-xr-x"))
        }

        /** Deletes a loaded private copy (Linux and macOS allow it); Windows deletes it at exit. */
        fun deleteAfterLoad(file: Path) {
            if (!deleteQuietly(file)) file.toFile().deleteOnExit()
        }

        private fun deleteQuietly(file: Path): Boolean =
            try {
                Files.deleteIfExists(file)
                true
            } catch (_: IOException) {
                false
            }
    }
}
