package dev.hotpath

import org.junit.jupiter.api.Test
import kotlin.test.assertEquals

/**
 * Dropping a class loader that used hotpath releases what it held: `JNI_OnUnload` stops that
 * copy's pool and joins its threads, and the JVM unmaps the copy. Twenty redeploys (a new
 * loader while the old one is still alive, then the old one dropped) leave the pool threads and
 * mapped copies where one leaves them; before `JNI_OnUnload` joined the pool, every dropped
 * copy stayed mapped with its two threads running.
 */
class ClassLoaderCyclesTest {
    @Test
    fun twentyLoadUseDropCyclesLeaveNoMoreThreadsOrMappedCopiesThanOne() {
        val r = JvmProcess.run(
            mapOf("hotpath.cache.dir" to JvmProcess.workDir("cycles").resolve("cache").toString(), "hotpath.threads" to "2"),
            mainClass = "dev.hotpath.probe.ClassLoaderCycles",
            jvmArgs = listOf("-Xmx512m"),
            arguments = listOf("20", JvmProcess.libraryJar.toString(), JvmProcess.stdlibJar.toString()),
        )
        assertEquals(0, r.exitCode, r.toString())
        assertEquals(r["threads.1"], r["threads.20"], r.toString())
        assertEquals(r["mapped.1"], r["mapped.20"], r.toString())
        // The one live loader's pool.
        assertEquals("2", r["threads.20"], "pool threads of dropped class loaders are still alive: $r")
        assertEquals("1", r["mapped.20"], "copies of the library of dropped class loaders are still mapped: $r")
    }
}
