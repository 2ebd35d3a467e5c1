package dev.hotpath

import org.junit.jupiter.api.Test
import java.nio.ByteBuffer
import java.nio.ByteOrder
import java.util.zip.ZipFile
import kotlin.test.assertEquals
import kotlin.test.assertTrue
import kotlin.test.fail

/**
 * Every native library the jar carries, checked by reading its headers (ELF64, Mach-O 64,
 * PE32+) here, with no tool of the build machine: the format and machine match the folder, the
 * JNI entry points are exported, and each platform's portability rules hold (glibc floor, page
 * alignment, musl's dynamic libc, Windows imports and exports, macOS minimum version and exports).
 *
 * On a host-only build the jar carries just the host's library, which is checked the same way,
 * except for the glibc floor: the host build links against the build machine's glibc, so the
 * GLIBC_2.17 ceiling is enforced only for a jar built with -Pall-platforms (which sets
 * hotpath.test.allPlatforms=true, and then all seven platforms must be there).
 */
class NativeBinaryHeadersTest {
    private val allPlatforms = System.getProperty("hotpath.test.allPlatforms").toBoolean()

    private val expectedPlatforms = listOf(
        "linux-x86_64", "linux-aarch64", "linux-x86_64-musl", "linux-aarch64-musl",
        "macos-x86_64", "macos-aarch64", "windows-x86_64",
    )

    /**
     * What the JNI side exports: only the load hooks. `JNI_OnLoad` binds every native method
     * with `RegisterNatives`, so no `Java_...` symbol spells the (relocatable) package.
     */
    private val jniEntryPoints: Set<String> = setOf("JNI_OnLoad", "JNI_OnUnload")

    /**
     * The FFM bridge's C ABI (`rust/jni/src/ffm`), found by name through the loader's symbol
     * lookup, so exported on every platform: every `hotpath_*` name the jar's FFM downcall classes
     * look up (read from their constant pools, so an entry point added on both sides but left out of
     * the Windows `.def` fails here), and at least the two every kernel's error path and the
     * bridge's bind check need.
     */
    private val ffmEntryPoints: Set<String> by lazy {
        val names = ZipFile(JvmProcess.libraryJar.toFile()).use { jar ->
            jar.entries().asSequence()
                .filter { it.name.startsWith("META-INF/versions/22/dev/hotpath/internal/ffm/") && it.name.endsWith(".class") }
                .flatMap { e -> Regex("hotpath_[a-z0-9_]+").findAll(jar.getInputStream(e).readBytes().toString(Charsets.ISO_8859_1)).map { it.value } }
                .toSet()
        }
        names + setOf("hotpath_ffm_noop", "hotpath_ffm_error_message")
    }

    private class Binary(val platform: String, val name: String, val bytes: ByteArray)

    private fun binaries(): Pair<List<String>, List<Binary>> =
        ZipFile(JvmProcess.libraryJar.toFile()).use { jar ->
            val index = jar.getEntry("dev/hotpath/native/platforms.txt")
                ?.let { jar.getInputStream(it).readBytes().toString(Charsets.UTF_8).lines().map(String::trim).filter(String::isNotEmpty) }
                ?: fail("the jar has no dev/hotpath/native/platforms.txt")
            val libs = jar.entries().asSequence()
                .filter { !it.isDirectory }
                .mapNotNull { e -> Regex("dev/hotpath/native/([^/]+)/([^/]+\\.(so|dylib|dll))").matchEntire(e.name)?.let { it to e } }
                .map { (m, e) -> Binary(m.groupValues[1], m.groupValues[2], jar.getInputStream(e).readBytes()) }
                .toList()
            index to libs
        }

    @Test
    fun indexListsExactlyTheBinariesTheJarCarries() {
        val (index, libs) = binaries()
        val present = libs.map { it.platform }.sorted()
        for (p in index) assertTrue(p in present, "platforms.txt lists $p but the jar has no library for it (has $present)")
        assertEquals(index.sorted(), present, "platforms.txt and the jar's libraries differ")
        assertEquals(present.distinct(), present, "a platform folder holds more than one library")
        if (allPlatforms) assertEquals(expectedPlatforms.sorted(), index.sorted(), "an all-platforms jar must carry all seven")
        ZipFile(JvmProcess.libraryJar.toFile()).use { jar ->
            for (b in libs) {
                val sha = jar.getEntry("dev/hotpath/native/${b.platform}/${b.name}.sha256")
                    ?: fail("${b.platform}/${b.name} has no .sha256 beside it")
                val recorded = jar.getInputStream(sha).readBytes().toString(Charsets.US_ASCII).trim()
                val actual = java.security.MessageDigest.getInstance("SHA-256").digest(b.bytes).joinToString("") { "%02x".format(it) }
                assertEquals(actual, recorded, "${b.platform}/${b.name}.sha256")
            }
        }
    }

    @Test
    fun everyBinaryMatchesItsPlatformsRules() {
        val (_, libs) = binaries()
        assertTrue(libs.isNotEmpty(), "the jar carries no native library")
        val problems = mutableListOf<String>()
        for (b in libs) {
            val expectedName = when {
                b.platform.startsWith("windows-") -> "hotpath_jni.dll"
                b.platform.startsWith("macos-") -> "libhotpath_jni.dylib"
                else -> "libhotpath_jni.so"
            }
            if (b.name != expectedName) problems += "${b.platform}: file is ${b.name}, expected $expectedName"
            try {
                when {
                    b.platform.startsWith("linux-") -> checkElf(b, problems)
                    b.platform.startsWith("macos-") -> checkMachO(b, problems)
                    b.platform.startsWith("windows-") -> checkPe(b, problems)
                    else -> problems += "${b.platform}: unknown platform folder"
                }
            } catch (e: RuntimeException) {
                problems += "${b.platform}: cannot parse ${b.name}: $e"
            }
        }
        assertTrue(problems.isEmpty(), problems.joinToString("\n", "header checks failed:\n"))
    }

    private fun missingEntryPoints(exported: Collection<String>): Set<String> = (jniEntryPoints + ffmEntryPoints) - exported.toSet()

    private companion object {
        const val FFM_PREFIX: String = "hotpath_"
    }

    // ---------------------------------------------------------------- ELF64

    private fun checkElf(b: Binary, problems: MutableList<String>) {
        val elf = Elf(b.bytes)
        val arch = b.platform.removePrefix("linux-").removeSuffix("-musl")
        val musl = b.platform.endsWith("-musl")
        val machine = mapOf("x86_64" to Elf.EM_X86_64, "aarch64" to Elf.EM_AARCH64)[arch]
        if (elf.machine != machine) problems += "${b.platform}: e_machine ${elf.machine}, expected $machine"
        if (elf.type != 3) problems += "${b.platform}: e_type ${elf.type}, expected ET_DYN (3)"
        val missing = missingEntryPoints(elf.exportedSymbols())
        if (missing.isNotEmpty()) problems += "${b.platform}: JNI or FFM entry points not exported: $missing"
        val named = elf.exportedSymbols().filter { it.startsWith("Java_") }
        if (named.isNotEmpty()) problems += "${b.platform}: exports Java_* symbols, which shading would break: ${named.take(5)}"
        val debug = elf.sectionNames().filter { it.startsWith(".debug") }
        if (debug.isNotEmpty()) problems += "${b.platform}: carries debug info $debug"
        if (arch == "aarch64") {
            for (align in elf.loadAlignments()) {
                if (align < 16384) problems += "${b.platform}: PT_LOAD p_align $align < 16384"
            }
        }
        val needed = elf.needed()
        if (musl) {
            if (needed != listOf("libc.so")) problems += "${b.platform}: musl library needs $needed, expected only libc.so"
        } else {
            if ("libc.so.6" !in needed) problems += "${b.platform}: glibc library does not need libc.so.6 ($needed)"
            val versions = elf.requiredVersions().filter { it.startsWith("GLIBC_") && it != "GLIBC_PRIVATE" }
            if ("GLIBC_PRIVATE" in elf.requiredVersions()) problems += "${b.platform}: needs GLIBC_PRIVATE"
            val newest = versions.maxWithOrNull(compareBy<String>({ glibcVersion(it)[0] }, { glibcVersion(it)[1] }, { glibcVersion(it)[2] }))
            if (allPlatforms && newest != null && compareGlibc(newest, "GLIBC_2.17") > 0) {
                problems += "${b.platform}: needs $newest, above the GLIBC_2.17 floor (all versions: ${versions.sorted()})"
            }
        }
    }

    private fun glibcVersion(v: String): IntArray {
        val parts = v.removePrefix("GLIBC_").split('.').map { it.toIntOrNull() ?: 0 }
        return IntArray(3) { parts.getOrElse(it) { 0 } }
    }

    private fun compareGlibc(a: String, b: String): Int {
        val x = glibcVersion(a)
        val y = glibcVersion(b)
        for (i in 0 until 3) if (x[i] != y[i]) return x[i].compareTo(y[i])
        return 0
    }

    private class Elf(bytes: ByteArray) {
        private val buf: ByteBuffer = ByteBuffer.wrap(bytes).order(ByteOrder.LITTLE_ENDIAN)

        init {
            require(bytes.size > 64 && bytes[0] == 0x7f.toByte() && bytes[1] == 'E'.code.toByte() && bytes[2] == 'L'.code.toByte() && bytes[3] == 'F'.code.toByte()) { "not an ELF file" }
            require(bytes[4].toInt() == 2) { "not ELF64 (EI_CLASS ${bytes[4]})" }
            require(bytes[5].toInt() == 1) { "not little-endian (EI_DATA ${bytes[5]})" }
        }

        val type: Int get() = u16(16)
        val machine: Int get() = u16(18)

        private fun u16(at: Int) = buf.getShort(at).toInt() and 0xffff
        private fun u32(at: Int) = buf.getInt(at).toLong() and 0xffffffffL
        private fun u64(at: Int) = buf.getLong(at)

        class Section(val name: Int, val type: Long, val offset: Int, val size: Int, val link: Int, val info: Int, val entsize: Int)

        private val sections: List<Section> by lazy {
            val shoff = u64(0x28).toInt()
            val shentsize = u16(0x3a)
            val shnum = u16(0x3c)
            (0 until shnum).map { i ->
                val at = shoff + i * shentsize
                Section(u32(at).toInt(), u32(at + 4), u64(at + 24).toInt(), u64(at + 32).toInt(), u32(at + 40).toInt(), u32(at + 44).toInt(), u64(at + 56).toInt())
            }
        }

        private fun string(table: Section, offset: Int): String {
            var end = table.offset + offset
            while (buf.get(end) != 0.toByte()) end++
            return String(buf.array(), table.offset + offset, end - table.offset - offset, Charsets.UTF_8)
        }

        fun sectionNames(): List<String> {
            val strtab = sections[u16(0x3e)]
            return sections.map { string(strtab, it.name) }
        }

        fun exportedSymbols(): List<String> {
            val dynsym = sections.firstOrNull { it.type == SHT_DYNSYM } ?: return emptyList()
            val strtab = sections[dynsym.link]
            return (0 until dynsym.size / 24).mapNotNull { i ->
                val at = dynsym.offset + i * 24
                val info = buf.get(at + 4).toInt()
                val shndx = u16(at + 6)
                val bind = info shr 4
                if (shndx != 0 && (bind == 1 || bind == 2)) string(strtab, u32(at).toInt()) else null
            }
        }

        fun needed(): List<String> {
            val dynamic = sections.firstOrNull { it.type == SHT_DYNAMIC } ?: return emptyList()
            val strtab = sections[dynamic.link]
            val out = mutableListOf<String>()
            for (i in 0 until dynamic.size / 16) {
                val tag = u64(dynamic.offset + i * 16)
                if (tag == 0L) break
                if (tag == 1L) out += string(strtab, u64(dynamic.offset + i * 16 + 8).toInt())
            }
            return out
        }

        /** Every version name in .gnu.version_r (what the library needs of its dependencies). */
        fun requiredVersions(): List<String> {
            val verneed = sections.firstOrNull { it.type == SHT_GNU_VERNEED } ?: return emptyList()
            val strtab = sections[verneed.link]
            val out = mutableListOf<String>()
            var at = verneed.offset
            repeat(verneed.info) {
                val cnt = u16(at + 2)
                var aux = at + u32(at + 8).toInt()
                repeat(cnt) {
                    out += string(strtab, u32(aux + 8).toInt())
                    aux += u32(aux + 12).toInt()
                }
                at += u32(at + 12).toInt()
            }
            return out
        }

        fun loadAlignments(): List<Long> {
            val phoff = u64(0x20).toInt()
            val phentsize = u16(0x36)
            val phnum = u16(0x38)
            return (0 until phnum).map { phoff + it * phentsize }.filter { u32(it) == 1L }.map { u64(it + 48) }
        }

        companion object {
            const val EM_X86_64 = 62
            const val EM_AARCH64 = 183
            const val SHT_DYNAMIC = 6L
            const val SHT_DYNSYM = 11L
            const val SHT_GNU_VERNEED = 0x6ffffffeL
        }
    }

    // ---------------------------------------------------------------- Mach-O 64

    private fun checkMachO(b: Binary, problems: MutableList<String>) {
        val buf = ByteBuffer.wrap(b.bytes).order(ByteOrder.LITTLE_ENDIAN)
        val magic = buf.getInt(0)
        if (magic != 0xfeedfacf.toInt()) {
            problems += "${b.platform}: not a 64-bit little-endian Mach-O (magic ${"%08x".format(magic)})"
            return
        }
        val arch = b.platform.removePrefix("macos-")
        val cpu = buf.getInt(4)
        val expectedCpu = mapOf("x86_64" to 0x01000007, "aarch64" to 0x0100000c)[arch]
        if (cpu != expectedCpu) problems += "${b.platform}: cputype ${"%08x".format(cpu)}, expected ${"%08x".format(expectedCpu)}"
        if (buf.getInt(12) != 6) problems += "${b.platform}: filetype ${buf.getInt(12)}, expected MH_DYLIB (6)"
        val ncmds = buf.getInt(16)
        var at = 32
        var minOs: Int? = null
        var installName: String? = null
        var exportTrie: Pair<Int, Int>? = null
        val dylibs = mutableListOf<String>()
        val segments = mutableListOf<String>()
        fun cString(from: Int): String {
            var end = from
            while (b.bytes[end] != 0.toByte()) end++
            return String(b.bytes, from, end - from, Charsets.UTF_8)
        }
        repeat(ncmds) {
            val cmd = buf.getInt(at)
            val size = buf.getInt(at + 4)
            when (cmd) {
                0x32 -> minOs = buf.getInt(at + 12) // LC_BUILD_VERSION: platform, minos, sdk
                0x24 -> if (minOs == null) minOs = buf.getInt(at + 8) // LC_VERSION_MIN_MACOSX: version, sdk
                0x0d -> installName = cString(at + buf.getInt(at + 8)) // LC_ID_DYLIB
                0x0c, 0x18, 0x8000001f.toInt() -> dylibs += cString(at + buf.getInt(at + 8)) // LC_LOAD(_WEAK|_REEXPORT)_DYLIB
                0x19 -> segments += cString(at + 8).take(16) // LC_SEGMENT_64
                0x22, 0x80000022.toInt() -> exportTrie = buf.getInt(at + 40) to buf.getInt(at + 44) // LC_DYLD_INFO(_ONLY): export_off, export_size
                0x80000033.toInt() -> exportTrie = buf.getInt(at + 8) to buf.getInt(at + 12) // LC_DYLD_EXPORTS_TRIE
            }
            at += size
        }
        val trie = exportTrie
        if (trie == null) {
            problems += "${b.platform}: no export trie (LC_DYLD_INFO_ONLY or LC_DYLD_EXPORTS_TRIE)"
        } else {
            val exports = exportTrieNames(b.bytes, trie.first, trie.second)
            val missing = missingEntryPoints(exports.map { it.removePrefix("_") })
            if (missing.isNotEmpty()) problems += "${b.platform}: JNI or FFM entry points not exported: $missing"
            val foreign = exports.filterNot { name ->
                name.startsWith("_JNI_") || name.startsWith("_$FFM_PREFIX") || machOExtraExports.any { it.matches(name) }
            }
            if (foreign.isNotEmpty()) problems += "${b.platform}: exports ${foreign.size} names besides JNI_OnLoad/JNI_OnUnload, the FFM C ABI and the known few, e.g. ${foreign.take(5)}"
        }
        val ceiling = if (arch == "aarch64") 0x000b0000 else 0x000a0d00 // 11.0, 10.13
        val min = minOs
        if (min == null) {
            problems += "${b.platform}: no LC_BUILD_VERSION or LC_VERSION_MIN_MACOSX"
        } else if (min > ceiling) {
            problems += "${b.platform}: minimum macOS ${macVersion(min)}, expected ${macVersion(ceiling)} or lower"
        }
        if (installName != "@rpath/libhotpath_jni.dylib") problems += "${b.platform}: install name $installName, expected @rpath/libhotpath_jni.dylib"
        for (d in dylibs) if (!d.startsWith("/usr/lib/") && !d.startsWith("/System/")) problems += "${b.platform}: links $d, not a system library"
        if ("__DWARF" in segments) problems += "${b.platform}: carries debug info (__DWARF)"
    }

    /**
     * What a dylib exports besides the JNI entry points. zig's Mach-O linker ignores the export
     * list rustc passes (`-exported_symbols_list`), so every global symbol fat LTO leaves is
     * exported: the linker's `__mh_dylib_header` and `___dso_handle`, std's `rust_eh_personality`
     * and one panic constant, and the BLAKE3 crate's C and assembly routines (compiled outside
     * LTO; x86_64 has them with and without the leading underscore). All Rust code of hotpath,
     * its dependencies and std is internalised. Under macOS's two-level namespace no other image
     * binds to these by accident, and the JVM looks JNI functions up in this library's own
     * handle; anything beyond this list (a new leak of Rust symbols) fails the check.
     */
    private val machOExtraExports = listOf(
        Regex("__mh_dylib_header|___dso_handle"),
        Regex("_rust_eh_personality"),
        Regex("__RNvNtCs[0-9A-Za-z_]+_3std9panicking11EMPTY_PANIC"),
        Regex("_?blake3_[a-z0-9_]+"),
    )

    /** The names in a Mach-O export trie (`size` bytes at `start`): what dyld lets other images bind to. */
    private fun exportTrieNames(bytes: ByteArray, start: Int, size: Int): List<String> {
        val names = mutableListOf<String>()
        var at = 0
        fun uleb(): Int {
            var result = 0L
            var shift = 0
            while (true) {
                val byte = bytes[at++].toInt() and 0xff
                result = result or ((byte and 0x7f).toLong() shl shift)
                if (byte and 0x80 == 0) return result.toInt()
                shift += 7
            }
        }
        val pending = ArrayDeque(listOf(0 to ""))
        val visited = HashSet<Int>()
        while (pending.isNotEmpty()) {
            val (node, prefix) = pending.removeFirst()
            if (node !in 0 until size || !visited.add(node)) continue
            at = start + node
            val terminalSize = uleb()
            if (terminalSize > 0) names += prefix
            at += terminalSize
            val children = bytes[at++].toInt() and 0xff
            repeat(children) {
                var end = at
                while (bytes[end] != 0.toByte()) end++
                val edge = String(bytes, at, end - at, Charsets.UTF_8)
                at = end + 1
                pending += uleb() to prefix + edge
            }
        }
        return names
    }

    private fun macVersion(v: Int) = "${v ushr 16}.${(v ushr 8) and 0xff}.${v and 0xff}"

    // ---------------------------------------------------------------- PE32+

    private val systemDll = Regex(
        "(?i)(kernel32|kernelbase|ntdll|advapi32|bcrypt|bcryptprimitives|ws2_32|userenv|msvcrt|ucrtbase|shell32|ole32|oleaut32|user32|secur32|crypt32|synchronization|api-ms-win-[a-z0-9-]+)\\.dll",
    )

    private fun checkPe(b: Binary, problems: MutableList<String>) {
        val buf = ByteBuffer.wrap(b.bytes).order(ByteOrder.LITTLE_ENDIAN)
        if (buf.getShort(0) != 0x5a4d.toShort()) {
            problems += "${b.platform}: no MZ header"
            return
        }
        val pe = buf.getInt(0x3c)
        if (buf.getInt(pe) != 0x00004550) {
            problems += "${b.platform}: no PE signature"
            return
        }
        val coff = pe + 4
        val machine = buf.getShort(coff).toInt() and 0xffff
        if (machine != 0x8664) problems += "${b.platform}: Machine ${"%04x".format(machine)}, expected AMD64 (8664)"
        val nsections = buf.getShort(coff + 2).toInt() and 0xffff
        val optSize = buf.getShort(coff + 16).toInt() and 0xffff
        val characteristics = buf.getShort(coff + 18).toInt() and 0xffff
        if (characteristics and 0x2000 == 0) problems += "${b.platform}: not a DLL (Characteristics ${"%04x".format(characteristics)})"
        val opt = coff + 20
        if (buf.getShort(opt).toInt() and 0xffff != 0x20b) {
            problems += "${b.platform}: not PE32+ (optional header magic ${"%04x".format(buf.getShort(opt))})"
            return
        }
        val ndirs = buf.getInt(opt + 108)
        fun dir(i: Int): Pair<Int, Int> = if (i < ndirs) buf.getInt(opt + 112 + i * 8) to buf.getInt(opt + 112 + i * 8 + 4) else 0 to 0
        data class Sec(val name: String, val va: Int, val vsize: Int, val raw: Int, val rawSize: Int)
        val sections = (0 until nsections).map { i ->
            val s = opt + optSize + i * 40
            Sec(String(b.bytes, s, 8, Charsets.US_ASCII).trimEnd('\u0000'), buf.getInt(s + 12), buf.getInt(s + 8), buf.getInt(s + 20), buf.getInt(s + 16))
        }
        fun offset(rva: Int): Int {
            val s = sections.firstOrNull { rva >= it.va && rva < it.va + maxOf(it.vsize, it.rawSize) } ?: error("RVA ${"%x".format(rva)} in no section")
            return rva - s.va + s.raw
        }
        fun cString(rva: Int): String {
            val from = offset(rva)
            var end = from
            while (b.bytes[end] != 0.toByte()) end++
            return String(b.bytes, from, end - from, Charsets.US_ASCII)
        }
        // Exports.
        val (expRva, expSize) = dir(0)
        val exports = mutableListOf<String>()
        if (expRva != 0 && expSize != 0) {
            val e = offset(expRva)
            val nFunctions = buf.getInt(e + 20)
            val nNames = buf.getInt(e + 24)
            val names = offset(buf.getInt(e + 32))
            for (i in 0 until nNames) exports += cString(buf.getInt(names + i * 4))
            if (nFunctions != nNames) problems += "${b.platform}: $nFunctions exported functions but $nNames names (ordinal-only exports)"
        }
        val missing = missingEntryPoints(exports)
        if (missing.isNotEmpty()) problems += "${b.platform}: JNI or FFM entry points not exported: $missing"
        val foreign = exports.filterNot { it.startsWith("JNI_") || it.startsWith(FFM_PREFIX) }
        if (foreign.isNotEmpty()) problems += "${b.platform}: exports ${foreign.size} names besides JNI_OnLoad/JNI_OnUnload and the FFM C ABI, e.g. ${foreign.take(5)}"
        // Imports.
        val (impRva, impSize) = dir(1)
        val imports = mutableListOf<String>()
        if (impRva != 0 && impSize != 0) {
            var d = offset(impRva)
            while (buf.getInt(d + 12) != 0) {
                imports += cString(buf.getInt(d + 12))
                d += 20
            }
        }
        val (delayRva, delaySize) = dir(13)
        if (delayRva != 0 && delaySize != 0) {
            var d = offset(delayRva)
            while (buf.getInt(d + 4) != 0) {
                imports += cString(buf.getInt(d + 4))
                d += 32
            }
        }
        if (imports.none { it.equals("kernel32.dll", ignoreCase = true) }) problems += "${b.platform}: does not import KERNEL32.dll ($imports)"
        val nonSystem = imports.filterNot { systemDll.matches(it) }
        if (nonSystem.isNotEmpty()) problems += "${b.platform}: imports non-system DLLs $nonSystem"
        val debug = sections.map { it.name }.filter { it.startsWith(".debug") || it.startsWith("/") }
        if (debug.isNotEmpty()) problems += "${b.platform}: carries debug sections $debug"
    }
}
