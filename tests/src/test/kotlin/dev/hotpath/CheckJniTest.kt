package dev.hotpath

import org.junit.jupiter.api.Test
import java.nio.file.Paths
import java.util.concurrent.CompletableFuture
import java.util.concurrent.TimeUnit
import kotlin.test.assertEquals
import kotlin.test.assertFalse
import kotlin.test.assertTrue

/**
 * Runs every other test class of this module again in a child JVM under `-Xcheck:jni`, which
 * makes HotSpot verify each JNI call (critical-region rules, exception checks, reference use)
 * and print a warning for any misuse; a single warning fails this test.
 */
class CheckJniTest {
    @Test
    fun wholeSuitePassesUnderCheckJniWithoutAnyWarning() {
        val testClasses = Paths.get(CheckJniTest::class.java.protectionDomain.codeSource.location.toURI())
        val java = Paths.get(System.getProperty("java.home"), "bin", "java").toString()
        val forwarded = System.getProperties().stringPropertyNames()
            .filter { it.startsWith("hotpath.") }
            .map { "-D$it=${System.getProperty(it)}" }
        val command = listOf(java, "-Xcheck:jni", "--enable-native-access=ALL-UNNAMED", "-Xmx2g") + forwarded + listOf(
            "-cp", System.getProperty("java.class.path"),
            "org.junit.platform.console.ConsoleLauncher", "execute",
            "--scan-classpath", testClasses.toString(),
            // Checked JNI copies every pinned array to guard its bounds, so the 24-million-element
            // and 64 MiB cases would take minutes; the other suites cross the same entry points
            // and segment boundaries at smaller sizes.
            "--exclude-classname", ".*(CheckJniTest|HugeInputTest)",
            "--disable-banner", "--details=summary", "--fail-if-no-tests",
        )
        val process = ProcessBuilder(command).redirectErrorStream(true).start()
        val output = CompletableFuture.supplyAsync { process.inputStream.bufferedReader().readText() }
        assertTrue(process.waitFor(10, TimeUnit.MINUTES), "the -Xcheck:jni run did not finish")
        val text = output.get(1, TimeUnit.MINUTES)
        val jniLines = text.lines().filter { line ->
            line.contains("WARNING in native method") || line.contains("FATAL ERROR in native method") ||
                line.contains("JNI call made") || line.contains("JNI local refs")
        }
        assertEquals(emptyList(), jniLines, "-Xcheck:jni reported:\n$text")
        assertFalse(text.contains("tests failed") && !text.contains(" 0 tests failed"), text)
        assertEquals(0, process.exitValue(), "the suite failed under -Xcheck:jni:\n$text")
        assertTrue(Regex("""(\d+) tests successful""").find(text)?.groupValues?.get(1)?.toInt()?.let { it > 0 } == true, text)
    }
}
