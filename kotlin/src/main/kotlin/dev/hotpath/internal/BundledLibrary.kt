package dev.hotpath.internal

import java.io.IOException
import java.io.InputStream
import java.io.FileInputStream
import java.nio.charset.StandardCharsets
import java.nio.file.Files
import java.nio.file.LinkOption
import java.nio.file.Path
import java.security.MessageDigest
import java.util.zip.CRC32

/**
 * The library the jar carries for this platform, with the build's record of it: its SHA-256
 * (which names the cached file, so versions never collide) and its size and CRC-32 (which a
 * cached file must match before it is loaded: the check costs about a millisecond, where a
 * cold `MessageDigest` costs tens).
 */
internal class BundledLibrary(
    val resource: String,
    val sha256: String,
    val size: Long,
    val crc32: Long,
) {
    /** The cached file's name: the library's, with the first 16 hex digits of its SHA-256. */
    fun cachedName(fileName: String): String {
        val dot = fileName.jLastIndexOf('.')
        return fileName.substring(0, dot) + "-" + sha256.substring(0, HASH_CHARS) + fileName.substring(dot)
    }

    /** Why [file] may not be loaded as this library, or null when it matches the record. */
    fun mismatch(file: Path, posix: Boolean): String? {
        val size: Long
        if (posix) {
            // The "unix" view's raw mode rather than PosixFileAttributes.permissions(): one stat
            // either way, but no EnumSet of permissions built on every warm start.
            val a = Files.readAttributes(file, "unix:mode,size", LinkOption.NOFOLLOW_LINKS)
            val mode = a["mode"] as Int
            if (mode and DirectoryTrust.FILE_TYPE != DirectoryTrust.REGULAR_FILE) return "not a regular file"
            if (mode and (DirectoryTrust.GROUP_WRITE or DirectoryTrust.OTHER_WRITE) != 0) {
                return "writable by others (mode " + Integer.toOctalString(mode and DirectoryTrust.PERMISSION_BITS) + ")"
            }
            size = a["size"] as Long
        } else {
            if (!Files.isRegularFile(file, LinkOption.NOFOLLOW_LINKS)) return "not a regular file"
            size = Files.size(file)
        }
        if (size != this.size) return "" + size + " bytes, but the jar's library has " + this.size
        val crc = crcOf(file)
        if (crc != crc32) return "CRC-32 " + hex32(crc) + ", but the jar's library has " + hex32(crc32)
        return null
    }

    /** Copies the library out of the jar into [target], checking it against the record on the way. */
    fun writeTo(target: Path) {
        val crc = CRC32()
        var written = 0L
        open(resource).use { input ->
            Files.newOutputStream(target).use { out ->
                val buffer = ByteArray(COPY_BUFFER)
                while (true) {
                    val n = input.read(buffer)
                    if (n < 0) break
                    crc.update(buffer, 0, n)
                    out.write(buffer, 0, n)
                    written += n
                }
            }
        }
        if (written != size || crc.value != crc32) {
            throw IOException(
                "bundled library " + resource + " has " + written + " bytes and CRC-32 " + hex32(crc.value) +
                    ", but the jar records " + size + " bytes and " + hex32(crc32) + ": the jar is damaged",
            )
        }
    }

    companion object {
        const val HASH_CHARS: Int = 16
        private const val COPY_BUFFER = 64 * 1024

        /** The library at [resource] and its record, or null when the jar does not carry it. */
        fun find(resource: String): BundledLibrary? {
            val sha = JarResources.read("$resource.sha256")?.let { ascii(it) }
            val check = JarResources.read("$resource.size-crc32")?.let { ascii(it) }
            if (sha != null && isSha256(sha) && check != null) {
                val space = check.jIndexOf(" ")
                val size = if (space > 0) parseLong(check.substring(0, space), 10) else null
                val crc = if (space > 0) parseLong(check.substring(space + 1), 16) else null
                if (size != null && crc != null) return BundledLibrary(resource, sha, size, crc)
            }
            // A jar built by other means may lack the records: derive them from the library itself.
            val input = JarResources.open(resource) ?: return null
            val digest = MessageDigest.getInstance("SHA-256")
            val crc = CRC32()
            var size = 0L
            input.use {
                val buffer = ByteArray(COPY_BUFFER)
                while (true) {
                    val n = it.read(buffer)
                    if (n < 0) break
                    digest.update(buffer, 0, n)
                    crc.update(buffer, 0, n)
                    size += n
                }
            }
            return BundledLibrary(resource, hex(digest.digest()), size, crc.value)
        }

        private fun open(resource: String): InputStream = JarResources.open(resource) ?: throw IOException("resource $resource not found")

        /** The record's text, lower case, without surrounding white space (no Kotlin text extensions: start-up cost). */
        private fun ascii(bytes: ByteArray): String {
            var from = 0
            var to = bytes.size
            while (from < to && bytes[from] <= 32) from++
            while (to > from && bytes[to - 1] <= 32) to--
            return String(bytes, from, to - from, StandardCharsets.US_ASCII).lowercase()
        }

        private fun parseLong(s: String, radix: Int): Long? =
            try {
                java.lang.Long.parseLong(s, radix)
            } catch (_: NumberFormatException) {
                null
            }

        private fun isSha256(s: String): Boolean {
            if (s.length != 64) return false
            for (c in s) if (c !in '0'..'9' && c !in 'a'..'f') return false
            return true
        }

        /**
         * CRC-32 of [file], read with the stream classes the JVM has loaded already (a FileChannel
         * would load two dozen more); `CRC32.update` runs natively even before the JIT starts.
         */
        fun crcOf(file: Path): Long {
            val crc = CRC32()
            // try/finally rather than `use`, whose helper is one more kotlin-stdlib class to load.
            val input = FileInputStream(file.toFile())
            try {
                val buffer = ByteArray(COPY_BUFFER * 4)
                while (true) {
                    val n = input.read(buffer)
                    if (n < 0) break
                    crc.update(buffer, 0, n)
                }
            } finally {
                input.close()
            }
            return crc.value
        }

        private fun hex32(v: Long): String = "0x" + java.lang.Long.toHexString(v)

        private fun hex(bytes: ByteArray): String {
            val sb = StringBuilder(bytes.size * 2)
            for (b in bytes) {
                val v = b.toInt() and 0xff
                sb.append(HEX[v ushr 4]).append(HEX[v and 0xf])
            }
            return sb.toString()
        }

        private const val HEX = "0123456789abcdef"
    }
}
