package dev.hotpath

import org.junit.jupiter.api.Assumptions.assumeTrue
import org.junit.jupiter.api.Test
import java.io.File
import java.nio.file.Files
import java.nio.file.Paths
import java.util.concurrent.TimeUnit
import kotlin.test.assertEquals
import kotlin.test.assertNull
import kotlin.test.assertTrue

/**
 * The Ledger's native memory is bounded by the block, and running out of it is an exception:
 * a block of zero-length transactions (4 bytes each, the most a block can hold) validated in a
 * fresh JVM whose data segment (`RLIMIT_DATA`: every private writable mapping, so the Java heap,
 * malloc and Rust's allocations alike) is capped, once the block is built, at what the process
 * uses by then plus a margin. Each transaction once cost 160 bytes of native bookkeeping, so
 * these blocks asked for several times the margin and the process aborted (exit 134).
 */
class LedgerMemoryLimitTest {
    private class Capped(val values: Map<String, String>, val exitCode: Int, val stderr: String) {
        operator fun get(key: String): String? = values[key]

        override fun toString(): String = "exit=$exitCode values=$values\n--- stderr\n${stderr.take(4000)}"
    }

    /** Runs [LedgerMemoryProbe][dev.hotpath.probe.LedgerMemoryProbe] on [count] transactions, capped at its use plus [marginMiB]. */
    private fun runCapped(count: Int, backend: String, heapMiB: Int, marginMiB: Int): Capped {
        assumeTrue(System.getProperty("os.name").lowercase().startsWith("linux"), "RLIMIT_DATA is Linux's")
        val prlimit = listOf("/usr/bin/prlimit", "/bin/prlimit").firstOrNull { File(it).canExecute() }
        assumeTrue(prlimit != null, "prlimit (util-linux) is needed to cap a running process")
        val probeClasses = Paths.get(dev.hotpath.probe.LedgerMemoryProbe::class.java.protectionDomain.codeSource.location.toURI())
        val java = Paths.get(System.getProperty("java.home"), "bin", "java").toString()
        val command = listOf(
            java, "-Xms${heapMiB}m", "-Xmx${heapMiB}m", "-XX:+UseSerialGC", "-XX:-UsePerfData",
            "-Dhotpath.backend=$backend", "-Dhotpath.threads=2",
        ) + JvmProcess.bridgeArguments() + listOf(
            "-cp", listOf(JvmProcess.libraryJar, JvmProcess.stdlibJar, probeClasses).joinToString(File.pathSeparator),
            "dev.hotpath.probe.LedgerMemoryProbe", count.toString(),
        )
        val builder = ProcessBuilder(command)
        builder.environment().keys.filter { it.startsWith("HOTPATH_") }.forEach { builder.environment().remove(it) }
        builder.redirectError(Files.createTempFile(JvmProcess.workDir("ledger-memory"), "stderr", ".txt").toFile())
        val process = builder.start()
        try {
            val out = process.inputStream.bufferedReader()
            val lines = mutableListOf<String>()
            while (true) {
                val line = out.readLine() ?: break
                lines += line
                if (line == "ready") break
            }
            check(lines.lastOrNull() == "ready") { "the probe did not get ready: $lines" }
            val data = File("/proc/${process.pid()}/status").readLines().first { it.startsWith("VmData:") }
            val usedKiB = data.removePrefix("VmData:").trim().removeSuffix("kB").trim().toLong()
            val limit = (usedKiB + marginMiB * 1024L) * 1024L
            val capped = ProcessBuilder(prlimit, "--pid", process.pid().toString(), "--data=$limit:$limit")
                .redirectErrorStream(true).start()
            check(capped.waitFor(30, TimeUnit.SECONDS) && capped.exitValue() == 0) {
                "prlimit failed: " + capped.inputStream.bufferedReader().readText()
            }
            process.outputStream.write('\n'.code)
            process.outputStream.flush()
            lines += out.readLines()
            check(process.waitFor(120, TimeUnit.SECONDS)) { "child JVM did not finish" }
            val values = lines.filter { '=' in it }.associate { it.substringBefore('=') to it.substringAfter('=') }
            return Capped(values, process.exitValue(), builder.redirectError().file().readText())
        } finally {
            process.destroyForcibly()
        }
    }

    @Test
    fun nativeValidatesTwoMillionEmptyTransactionsWithin64MiBMoreThanTheJvmUsesBeforehand() {
        val r = runCapped(count = 2_000_000, backend = "native", heapMiB = 64, marginMiB = 64)
        assertEquals(0, r.exitCode, r.toString())
        assertNull(r["exception"], r.toString())
        assertEquals("MERKLE_MISMATCH", r["error"], r.toString())
        assertEquals("2000000", r["statuses"], r.toString())
        assertEquals("2000000", r["malformed"], r.toString())
    }

    @Test
    fun bothBackendsGiveTheSameReportOnTwoMillionEmptyTransactionsUnderTheSameCap() {
        val native = runCapped(count = 2_000_000, backend = "native", heapMiB = 64, marginMiB = 64)
        val jvm = runCapped(count = 2_000_000, backend = "jvm", heapMiB = 64, marginMiB = 64)
        assertEquals(0, native.exitCode, native.toString())
        assertEquals(0, jvm.exitCode, jvm.toString())
        for (key in listOf("exception", "error", "txCount", "statuses", "malformed", "root")) {
            assertEquals(native[key], jvm[key], "$key: native $native, jvm $jvm")
        }
    }

    @Test
    fun nativeMemoryTheCapDoesNotAllowIsAnOutOfMemoryErrorNamingTheBytesNotAnAbort() {
        // 16 million transactions need 16 MB of statuses: twice the margin.
        val r = runCapped(count = 16_000_000, backend = "native", heapMiB = 96, marginMiB = 8)
        assertEquals(0, r.exitCode, r.toString())
        assertEquals("java.lang.OutOfMemoryError", r["exception"], r.toString())
        val message = r["message"].orEmpty()
        assertTrue("16000000 bytes" in message && "statuses" in message, r.toString())
    }
}
