package dev.hotpath

import java.io.File
import java.nio.file.Files
import java.nio.file.Path
import java.nio.file.Paths
import java.util.concurrent.CompletableFuture
import java.util.concurrent.TimeUnit

/** Starts fresh JVMs with only what a user's class path would hold: the hotpath jar and kotlin-stdlib. */
object JvmProcess {
    val libraryJar: Path = Paths.get(requireProperty("hotpath.test.jar"))
    val stdlibJar: Path = Paths.get(requireProperty("hotpath.test.stdlib"))
    val version: String = requireProperty("hotpath.test.version")
    val probeClasses: Path =
        Paths.get(dev.hotpath.probe.LoaderProbe::class.java.protectionDomain.codeSource.location.toURI())
    val javaLauncher: String = Paths.get(System.getProperty("java.home"), "bin", "java").toString()

    fun workDir(name: String): Path {
        val base = Paths.get(requireProperty("hotpath.test.workDir"))
        val dir = base.resolve(name + "-" + System.nanoTime())
        Files.createDirectories(dir)
        return dir
    }

    class Result(val exitCode: Int, val stdout: String, val stderr: String) {
        /** The probe's `key=value` lines. */
        val values: Map<String, String> by lazy {
            stdout.lines().filter { '=' in it }.associate { it.substringBefore('=') to it.substringAfter('=') }
        }

        operator fun get(key: String): String? = values[key]

        override fun toString(): String = "exit=$exitCode\n--- stdout\n$stdout\n--- stderr\n$stderr"
    }

    /** Starts the probe (or [mainClass]) and returns the process, to run several at once. */
    fun start(
        properties: Map<String, String> = emptyMap(),
        environment: Map<String, String?> = emptyMap(),
        mainClass: String = "dev.hotpath.probe.LoaderProbe",
        jvmArgs: List<String> = emptyList(),
        arguments: List<String> = emptyList(),
        nativeAccess: Boolean = true,
    ): Process {
        val command = mutableListOf(javaLauncher, "-Xshare:auto")
        if (nativeAccess) command += "--enable-native-access=ALL-UNNAMED"
        command += jvmArgs
        // The bridge the suite runs on (-Dhotpath.bridge=ffm -Pjdk25) is the children's too,
        // unless a test chooses one.
        val bridge = System.getProperty(BRIDGE)
        if (bridge != null && BRIDGE !in properties) command += "-D$BRIDGE=$bridge"
        for ((k, v) in properties) command += "-D$k=$v"
        command += listOf("-cp", listOf(libraryJar, stdlibJar, probeClasses).joinToString(File.pathSeparator), mainClass)
        command += arguments
        val builder = ProcessBuilder(command)
        val env = builder.environment()
        // A clean slate: the parent's hotpath settings must not leak into the child.
        env.keys.filter { it.startsWith("HOTPATH_") }.forEach { env.remove(it) }
        for ((k, v) in environment) if (v == null) env.remove(k) else env[k] = v
        return builder.start()
    }

    fun finish(process: Process): Result {
        // Drain stderr concurrently: a child blocked on a full pipe would never exit.
        val err = CompletableFuture.supplyAsync { process.errorStream.bufferedReader().readText() }
        val out = process.inputStream.bufferedReader().readText()
        check(process.waitFor(120, TimeUnit.SECONDS)) { "child JVM did not finish" }
        return Result(process.exitValue(), out, err.get(60, TimeUnit.SECONDS))
    }

    fun run(
        properties: Map<String, String> = emptyMap(),
        environment: Map<String, String?> = emptyMap(),
        mainClass: String = "dev.hotpath.probe.LoaderProbe",
        jvmArgs: List<String> = emptyList(),
        arguments: List<String> = emptyList(),
        nativeAccess: Boolean = true,
    ): Result = finish(start(properties, environment, mainClass, jvmArgs, arguments, nativeAccess))

    /** The setting that chooses between the JNI and the FFM bridge. */
    const val BRIDGE: String = "hotpath.bridge"

    /** `-Dhotpath.bridge=...` as this JVM has it, for children started by hand; empty when unset. */
    fun bridgeArguments(): List<String> = System.getProperty(BRIDGE)?.let { listOf("-D$BRIDGE=$it") } ?: emptyList()

    private fun requireProperty(name: String): String =
        System.getProperty(name) ?: error("system property $name is not set: run the tests through Maven")
}
