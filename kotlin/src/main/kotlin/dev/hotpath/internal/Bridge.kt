package dev.hotpath.internal

import dev.hotpath.NativeLoadException

/** Which bridge native calls take, and why; [ffm] is null for JNI. */
internal class BridgeChoice(val ffm: FfmBridge?, val why: String) {
    val name: String get() = if (ffm != null) "ffm" else "jni"
}

/**
 * Chooses between the JNI bridge ([NativeBridge]) and the FFM bridge ([FfmBridge]) once, right
 * after the library loaded and passed its version check (one library, one cache file, one
 * version check for both). `hotpath.bridge` / `HOTPATH_BRIDGE`:
 *
 * - `auto` (default): FFM on JDK 22 and newer when native access is enabled for hotpath's
 *   module (`--enable-native-access=ALL-UNNAMED` on the class path), else JNI. Without native
 *   access the JDK would print a warning at the first downcall; JNI, already loaded, prints
 *   none that the user has not already seen.
 * - `jni`: JNI everywhere.
 * - `ffm`: FFM, or a load failure ([NativeLoadException], as for a library that cannot load)
 *   where it cannot run: before JDK 22, or when the JVM refuses restricted methods. Without
 *   native access it runs, and the JDK warns once.
 *
 * Cold start: on JDK 11-21 this reads the setting and `java.specification.version`, no more;
 * the FFM classes are loaded only on JDK 22 and newer, and only when the setting allows FFM.
 */
internal object Bridge {
    /** The FFM bridge when selected, else null: a static final the JIT folds at each call site. */
    @JvmField val FFM: FfmBridge? = (NativeLoader.state as? NativeState.Loaded)?.let { it.bridge.ffm }

    /**
     * The choice for this JVM.
     *
     * @throws NativeLoadException when `ffm` is requested and cannot run here.
     */
    fun select(): BridgeChoice {
        val raw = Setting.BRIDGE.value()
        val setting = if (raw == null) "auto" else raw.jLowercase()
        val feature = javaFeature()
        if (setting == "jni") return BridgeChoice(null, Setting.BRIDGE.property + "=jni")
        if (setting == "ffm") return requested(feature)
        var why = "auto: "
        if (setting != "auto") {
            Log.warn("ignoring " + Setting.BRIDGE.property + "=" + raw + ": expected auto, jni or ffm")
            why = "auto (" + Setting.BRIDGE.property + "=" + raw + " ignored): "
        }
        if (feature < 22) return BridgeChoice(null, why + "FFM needs JDK 22 or newer, this is " + javaVersionText())
        val ffm = load() ?: return BridgeChoice(null, why + "this jar has no FFM bridge for JDK " + feature)
        val access = ffm.nativeAccessProblem()
        if (access != null) return BridgeChoice(null, why + access + "; then FFM would run")
        val bind = ffm.bindProblem()
        if (bind != null) return BridgeChoice(null, why + bind)
        return BridgeChoice(ffm, why + "JDK " + feature + ", native access enabled" + COVERAGE)
    }

    private fun requested(feature: Int): BridgeChoice {
        val asked = Setting.BRIDGE.property + "=ffm"
        if (feature < 22) throw refused(asked + ", but FFM needs JDK 22 or newer and this is " + javaVersionText())
        val ffm = load() ?: throw refused(asked + ", but this jar has no FFM bridge (META-INF/versions/22 is missing)")
        val bind = ffm.bindProblem()
        if (bind != null) throw refused(asked + ", but " + bind)
        val access = ffm.nativeAccessProblem()
        if (access != null) {
            try {
                ffm.probe()
            } catch (e: IllegalCallerException) {
                throw refused(asked + ", but this JVM refuses native access to hotpath: " + e.message + "; " + access)
            }
            return BridgeChoice(ffm, asked + "; " + access + ", so the JDK warns" + COVERAGE)
        }
        return BridgeChoice(ffm, asked + COVERAGE)
    }

    private const val COVERAGE: String = "; Numeric through FFM, the other families through JNI"

    private fun refused(message: String): NativeLoadException =
        NativeLoadException(
            "hotpath cannot use the FFM bridge: " + message + ". Use " + Setting.BRIDGE.howToSet("auto") +
                " to let hotpath choose, or " + Setting.BRIDGE.howToSet("jni") + ".",
        )

    /** The implementation in `META-INF/versions/22/`, named from this class so a relocated copy finds its own. */
    private fun load(): FfmBridge? {
        val own = NativeBridge::class.java
        val pkg = own.name.substring(0, own.name.jLastIndexOf('.'))
        return try {
            Class.forName(pkg + ".ffm.FfmDowncalls", true, own.classLoader).getDeclaredConstructor().newInstance() as FfmBridge
        } catch (_: ClassNotFoundException) {
            null
        }
    }

    /** The JDK's feature release (17, 25), or 0 where the property is not a number (Android). */
    private fun javaFeature(): Int {
        val spec = System.getProperty("java.specification.version") ?: return 0
        return try {
            Integer.parseInt(spec)
        } catch (_: NumberFormatException) {
            0
        }
    }

    private fun javaVersionText(): String = "JDK " + System.getProperty("java.version")
}
