package dev.hotpath.internal

import java.io.File
import java.io.IOException
import java.io.InputStream
import java.util.zip.ZipFile

/**
 * hotpath's own resources. When its classes come from a plain jar file, entries are read from
 * that jar directly: the JVM already has it open (the ZipFile shares the class loader's central
 * directory), where `Class.getResourceAsStream` first searches the JDK's module image and then
 * goes through a `jar:` URL connection, two subsystems whose first use costs milliseconds of a
 * cold start. Anything else (a directory of classes, a nested jar, a custom class loader) goes
 * through `getResourceAsStream`.
 */
internal object JarResources {
    private val jar: ZipFile? = openOwnJar()

    private fun openOwnJar(): ZipFile? =
        try {
            val location = JarResources::class.java.protectionDomain?.codeSource?.location
            if (location == null || location.protocol != "file" || !location.path.jEndsWith(".jar")) {
                null
            } else {
                ZipFile(File(location.toURI()))
            }
        } catch (_: Exception) {
            // No readable jar of our own (permissions, odd URLs): the class loader can still read it.
            null
        }

    /** Opens [name] (absolute, `/dev/hotpath/...`), or returns null when there is no such resource. */
    fun open(name: String): InputStream? {
        val j = jar
        if (j != null) {
            val entry = j.getEntry(name.substring(1))
            if (entry != null) {
                try {
                    return j.getInputStream(entry)
                } catch (_: IOException) {
                    // Fall through to the class loader.
                }
            }
        }
        return JarResources::class.java.getResourceAsStream(name)
    }

    /** The whole of [name], or null when there is no such resource. */
    fun read(name: String): ByteArray? {
        // try/finally rather than `use`, whose helper is one more kotlin-stdlib class to load.
        val input = open(name) ?: return null
        try {
            return input.readAllBytes()
        } finally {
            input.close()
        }
    }
}
