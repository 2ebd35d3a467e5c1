package dev.hotpath

import org.junit.jupiter.api.Assumptions.assumeTrue
import org.junit.jupiter.api.Test
import java.nio.file.Files
import java.nio.file.Path
import java.util.jar.Attributes
import java.util.jar.JarOutputStream
import java.util.jar.Manifest
import kotlin.test.assertContains
import kotlin.test.assertEquals
import kotlin.test.assertFalse
import kotlin.test.assertTrue

/**
 * `hotpath.bridge` (auto, jni, ffm) in fresh JVMs, with and without native access, and what the
 * JDK prints in each case: the selection rules of `internal/Bridge.kt`, seen from outside.
 */
class BridgeSelectionTest {
    private val expectedSum = (1L..100_000L).sum().toString()
    private val feature = Runtime.version().feature()

    /** The JDK's native-access warnings start with this line (JEP 472; FFM's own since JDK 22). */
    private val restrictedWarning = "WARNING: A restricted method in "

    private fun warnings(r: JvmProcess.Result): Int = r.stderr.lines().count { it.startsWith(restrictedWarning) }

    /** The probe's `bridge: ...` diagnostics line (the diagnostics come joined with `\n`). */
    private fun bridgeLine(r: JvmProcess.Result): String =
        r["diagnostics"].orEmpty().split("\\n").singleOrNull { it.startsWith("bridge: ") } ?: throw AssertionError("no bridge line: $r")

    private fun probe(bridge: String?, nativeAccess: Boolean = true, jvmArgs: List<String> = emptyList()): JvmProcess.Result {
        val props = mutableMapOf("hotpath.backend" to "native")
        // An explicit value beats the suite's own -Dhotpath.bridge, which children otherwise inherit.
        props[JvmProcess.BRIDGE] = bridge ?: "auto"
        return JvmProcess.run(props, jvmArgs = jvmArgs, nativeAccess = nativeAccess)
    }

    @Test
    fun jniIsChosenWhenAskedForOnEveryJdkAndWarnsNothingWithNativeAccessEnabled() {
        val r = probe("jni")
        assertEquals(expectedSum, r["sum"], r.toString())
        assertEquals("bridge: jni (hotpath.bridge=jni)", bridgeLine(r))
        assertEquals(0, warnings(r), r.toString())
    }

    @Test
    fun autoIsJniBeforeJdk22() {
        assumeTrue(feature < 22, "FFM is final from JDK 22")
        val r = probe("auto")
        assertEquals(expectedSum, r["sum"], r.toString())
        assertTrue(bridgeLine(r).startsWith("bridge: jni (auto: FFM needs JDK 22 or newer, this is JDK "), bridgeLine(r))
    }

    @Test
    fun ffmBeforeJdk22IsALoadFailureThatSaysWhyAndWhatToSet() {
        assumeTrue(feature < 22, "FFM is final from JDK 22")
        val r = probe("ffm")
        assertEquals("false", r["native"], r.toString())
        val error = r["error"].orEmpty()
        assertContains(error, "hotpath cannot use the FFM bridge: hotpath.bridge=ffm, but FFM needs JDK 22 or newer")
        assertContains(error, "-Dhotpath.bridge=jni")
    }

    @Test
    fun autoIsFfmOnJdk22AndNewerWhenNativeAccessIsEnabledAndNothingWarns() {
        assumeTrue(feature >= 22, "FFM is final from JDK 22")
        val r = probe("auto")
        assertEquals(expectedSum, r["sum"], r.toString())
        assertTrue(bridgeLine(r).startsWith("bridge: ffm (auto: JDK $feature, native access enabled"), bridgeLine(r))
        assertEquals(0, warnings(r), r.toString())
    }

    @Test
    fun ffmWhenAskedForWithNativeAccessEnabledWarnsNothing() {
        assumeTrue(feature >= 22, "FFM is final from JDK 22")
        val r = probe("ffm")
        assertEquals(expectedSum, r["sum"], r.toString())
        assertTrue(bridgeLine(r).startsWith("bridge: ffm (hotpath.bridge=ffm; Numeric, one-input hashes and Ed25519 through FFM"), bridgeLine(r))
        assertEquals(0, warnings(r), r.toString())
    }

    @Test
    fun autoWithoutNativeAccessIsJniAndSaysHowToEnableIt() {
        assumeTrue(feature >= 22, "FFM is final from JDK 22")
        val r = probe("auto", nativeAccess = false)
        assertEquals(expectedSum, r["sum"], r.toString())
        val line = bridgeLine(r)
        assertTrue(line.startsWith("bridge: jni (auto: native access is not enabled for the unnamed module"), line)
        assertContains(line, "--enable-native-access=ALL-UNNAMED")
        // JDK 24 and newer warn once, at System.load (JNI); JDK 22-23 warn only for FFM, so not at all.
        assertEquals(if (feature >= 24) 1 else 0, warnings(r), r.toString())
        if (feature >= 24) assertContains(r.stderr, "java.lang.System::load has been called")
    }

    @Test
    fun ffmWithoutNativeAccessRunsAndTheJdkWarnsOnce() {
        assumeTrue(feature >= 22, "FFM is final from JDK 22")
        val r = probe("ffm", nativeAccess = false)
        assertEquals(expectedSum, r["sum"], r.toString())
        val line = bridgeLine(r)
        assertTrue(line.startsWith("bridge: ffm (hotpath.bridge=ffm; native access is not enabled"), line)
        assertContains(line, "so the JDK warns")
        assertEquals(1, warnings(r), r.toString())
    }

    @Test
    fun aBadValueIsWarnedAboutAndTreatedAsAuto() {
        val r = probe("fast")
        assertEquals(expectedSum, r["sum"], r.toString())
        assertContains(r.stderr, "ignoring hotpath.bridge=fast: expected auto, jni or ffm")
        val expected = if (feature >= 22) "bridge: ffm (auto (hotpath.bridge=fast ignored): JDK $feature" else "bridge: jni (auto (hotpath.bridge=fast ignored): FFM needs"
        assertTrue(bridgeLine(r).startsWith(expected), bridgeLine(r))
    }

    @Test
    fun ffmOnAJvmThatDeniesNativeAccessIsALoadFailureNotACrash() {
        assumeTrue(feature >= 24, "--illegal-native-access exists from JDK 24")
        for (bridge in listOf("ffm", "auto")) {
            val r = probe(bridge, nativeAccess = false, jvmArgs = listOf("--illegal-native-access=deny"))
            assertEquals(0, r.exitCode, r.toString())
            assertEquals("false", r["native"], r.toString())
            // System.load itself is refused, before either bridge could run.
            assertContains(r["error"].orEmpty(), "IllegalCallerException", message = r.toString())
        }
    }

    /**
     * A `-jar` launch has no `--enable-native-access` on its command line; the manifest's
     * `Enable-Native-Access: ALL-UNNAMED` enables it, and then neither bridge warns.
     */
    @Test
    fun aJarLaunchWithEnableNativeAccessInItsManifestWarnsOnNeitherBridge() {
        assumeTrue(feature >= 22, "Enable-Native-Access is read from JDK 22")
        val dir = JvmProcess.workDir("manifest")
        val launcher = launcherJar(dir)
        for (bridge in listOf("jni", "ffm", "auto")) {
            val command = listOf(JvmProcess.javaLauncher, "-Dhotpath.backend=native", "-D${JvmProcess.BRIDGE}=$bridge", "-jar", launcher.toString())
            val builder = ProcessBuilder(command)
            builder.environment().keys.filter { it.startsWith("HOTPATH_") }.forEach { builder.environment().remove(it) }
            val r = JvmProcess.finish(builder.start())
            assertEquals(expectedSum, r["sum"], "$bridge: $r")
            assertEquals(if (bridge == "jni") "jni" else "ffm", bridgeLine(r).substringAfter("bridge: ").substringBefore(' '), "$bridge: $r")
            assertEquals(0, warnings(r), "$bridge: $r")
            assertFalse(r.stderr.contains("WARNING"), "$bridge: $r")
        }
    }

    /** A jar holding only a manifest: the probe as main class, the class path relative to [dir]. */
    private fun launcherJar(dir: Path): Path {
        val libs = dir.resolve("lib")
        Files.createDirectories(libs)
        val jar = Files.copy(JvmProcess.libraryJar, libs.resolve("hotpath.jar"))
        val stdlib = Files.copy(JvmProcess.stdlibJar, libs.resolve("kotlin-stdlib.jar"))
        val manifest = Manifest()
        manifest.mainAttributes[Attributes.Name.MANIFEST_VERSION] = "1.0"
        manifest.mainAttributes[Attributes.Name.MAIN_CLASS] = "dev.hotpath.probe.LoaderProbe"
        manifest.mainAttributes[Attributes.Name("Enable-Native-Access")] = "ALL-UNNAMED"
        val classPath = listOf(jar, stdlib, JvmProcess.probeClasses).joinToString(" ") {
            val relative = dir.relativize(it).toString().replace('\\', '/')
            if (Files.isDirectory(it)) "$relative/" else relative
        }
        manifest.mainAttributes[Attributes.Name.CLASS_PATH] = classPath
        val launcher = dir.resolve("launcher.jar")
        JarOutputStream(Files.newOutputStream(launcher), manifest).close()
        return launcher
    }
}
