package dev.hotpath.internal

import org.junit.jupiter.params.ParameterizedTest
import org.junit.jupiter.params.provider.CsvSource
import org.junit.jupiter.api.Test
import kotlin.test.assertEquals
import kotlin.test.assertFalse
import kotlin.test.assertTrue

class PlatformTest {
    private fun detect(osName: String, osArch: String, musl: Boolean = false, vendor: String = "Eclipse Adoptium"): Platform {
        return Platform.detect(osName, osArch, vendor, "OpenJDK 64-Bit Server VM") { musl }
    }

    @ParameterizedTest(name = "{0} {1} musl={2} -> {3}")
    @CsvSource(
        "Linux, amd64, false, dev/hotpath/native/linux-x86_64/libhotpath_jni.so",
        "Linux, x86_64, false, dev/hotpath/native/linux-x86_64/libhotpath_jni.so",
        "Linux, aarch64, false, dev/hotpath/native/linux-aarch64/libhotpath_jni.so",
        "Linux, arm64, false, dev/hotpath/native/linux-aarch64/libhotpath_jni.so",
        "Linux, amd64, true, dev/hotpath/native/linux-x86_64-musl/libhotpath_jni.so",
        "Linux, aarch64, true, dev/hotpath/native/linux-aarch64-musl/libhotpath_jni.so",
        "Mac OS X, x86_64, false, dev/hotpath/native/macos-x86_64/libhotpath_jni.dylib",
        "Mac OS X, aarch64, false, dev/hotpath/native/macos-aarch64/libhotpath_jni.dylib",
        "Darwin, arm64, false, dev/hotpath/native/macos-aarch64/libhotpath_jni.dylib",
        "Windows 11, amd64, false, dev/hotpath/native/windows-x86_64/hotpath_jni.dll",
        "Windows Server 2022, x86_64, false, dev/hotpath/native/windows-x86_64/hotpath_jni.dll",
    )
    fun everySupportedPlatformMapsToItsResource(osName: String, osArch: String, musl: Boolean, resource: String) {
        assertEquals("/$resource", detect(osName, osArch, musl).resourcePath)
    }

    @Test
    fun muslIsOnlyProbedOnLinux() {
        assertFalse(detect("Mac OS X", "aarch64", musl = true).musl)
        assertFalse(detect("Windows 10", "amd64", musl = true).musl)
        assertEquals("musl", detect("Linux", "amd64", musl = true).libc)
        assertEquals("glibc", detect("Linux", "amd64").libc)
    }

    @Test
    fun androidIsRecognisedByVendorAndUsesBionic() {
        val android = detect("Linux", "aarch64", musl = true, vendor = "The Android Project")
        assertTrue(android.android)
        assertFalse(android.musl)
        assertEquals("bionic", android.libc)
    }

    @Test
    fun unknownPlatformsKeepAReadableName() {
        val p = detect("FreeBSD", "riscv64")
        assertEquals("freebsd-riscv64", p.id)
        assertTrue(p.reported.contains("os.name=FreeBSD"))
    }

    @Test
    fun thisMachineIsDetectedWithoutSpawningAProcess() {
        val p = Platform.current()
        assertEquals(Platform.normalizeOs(System.getProperty("os.name")), p.os)
        assertEquals(Platform.normalizeArch(System.getProperty("os.arch")), p.arch)
    }
}
