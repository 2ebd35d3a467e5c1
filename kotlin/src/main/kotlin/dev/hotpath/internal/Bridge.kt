package dev.hotpath.internal

import dev.hotpath.NativeLoadException

/**
 * Which bridge native calls take, and why; [ffm] is null for JNI. [requested] is true when
 * `hotpath.bridge=ffm` asked for FFM (then a problem found after loading is a failure, not a
 * fallback to JNI).
 */
internal class BridgeChoice(val ffm: FfmBridge?, val why: String, val requested: Boolean) {
    val name: String get() = if (ffm != null) "ffm" else "jni"
}

/**
 * The bridge in use, for the kernels' call sites: the FFM bridge when selected, else null, a
 * static final the JIT folds at each call site. An object of its own, first touched by a
 * kernel after loading finished: [Bridge] runs inside the loader's initialiser, where the
 * loader's state is not set yet.
 */
internal object BridgeInUse {
    @JvmField val FFM: FfmBridge? = (NativeLoader.state as? NativeState.Loaded)?.bridge?.ffm
}

/**
 * Chooses between the JNI bridge ([NativeBridge]) and the FFM bridge ([FfmBridge]) once per
 * class loader, in two steps around loading the one library (one library, one cache file, one
 * version check for both): [choose] before `System.load`, [confirm] after it passed its
 * version check. `hotpath.bridge` / `HOTPATH_BRIDGE`:
 *
 * - `auto` (default): FFM on JDK 22 and newer when native access is enabled for hotpath's
 *   module (`--enable-native-access=ALL-UNNAMED` on the class path, the module's name on the
 *   module path, or `Enable-Native-Access: ALL-UNNAMED` in a `-jar` launch's manifest), else
 *   JNI. The decision is taken before `System.load`: on JDK 24 and newer, `System.load`
 *   without native access prints the JDK's warning and then reports native access as enabled
 *   for the rest of the run, so asking afterwards would always say yes.
 * - `jni`: JNI everywhere.
 * - `ffm`: FFM, or a load failure ([NativeLoadException], as for a library that cannot load)
 *   where it cannot run: before JDK 22, a jar without `META-INF/versions/22/`, a library
 *   without the C ABI, a JVM that refuses restricted methods. Without native access it runs,
 *   and the JDK warns once (at `System.load` on JDK 24 and newer).
 * - anything else: a warning, then as `auto`.
 *
 * Cold start: on JDK 11-21 this reads the setting and `java.specification.version`, no more;
 * the FFM class is loaded only on JDK 22 and newer, and only when the setting allows FFM.
 */
internal object Bridge {
    /** What [NativeState.Loaded] holds until [confirm] replaces it (never seen outside the loader). */
    @JvmField val PENDING: BridgeChoice = BridgeChoice(null, "not chosen yet", false)

    /**
     * Step one, before the library is loaded: the setting, the JDK and native access as the
     * command line and manifest left it.
     *
     * @throws NativeLoadException when `ffm` is requested and cannot run on this JDK or jar.
     */
    fun choose(): BridgeChoice {
        val raw = Setting.BRIDGE.value()
        val setting = if (raw == null) "auto" else raw.jLowercase()
        val feature = javaFeature()
        if (setting == "jni") return BridgeChoice(null, Setting.BRIDGE.property + "=jni", false)
        if (setting == "ffm") return requested(feature)
        var why = "auto: "
        if (setting != "auto") {
            Log.warn("ignoring " + Setting.BRIDGE.property + "=" + raw + ": expected auto, jni or ffm")
            why = "auto (" + Setting.BRIDGE.property + "=" + raw + " ignored): "
        }
        if (feature < 22) return BridgeChoice(null, why + "FFM needs JDK 22 or newer, this is " + javaVersionText(), false)
        val ffm = load() ?: return BridgeChoice(null, why + "this jar has no FFM bridge for JDK " + feature, false)
        val access = ffm.nativeAccessProblem()
        if (access != null) return BridgeChoice(null, why + access + "; then FFM would run", false)
        return BridgeChoice(ffm, why + "JDK " + feature + ", native access enabled" + COVERAGE, false)
    }

    /**
     * Step two, after the library loaded and passed its version check: whether it exports the
     * C ABI and the JVM lets hotpath make downcalls.
     *
     * @throws NativeLoadException when `ffm` was requested and cannot run with this library or JVM.
     */
    fun confirm(choice: BridgeChoice): BridgeChoice {
        val ffm = choice.ffm ?: return choice
        val bind = ffm.bindProblem()
        if (bind != null) {
            if (choice.requested) throw refused(Setting.BRIDGE.property + "=ffm, but " + bind)
            return BridgeChoice(null, "auto: " + bind, false)
        }
        try {
            ffm.probe()
        } catch (e: IllegalCallerException) {
            if (choice.requested) {
                throw refused(Setting.BRIDGE.property + "=ffm, but this JVM refuses native access to hotpath: " + e.message)
            }
            return BridgeChoice(null, "auto: this JVM refuses native access to hotpath: " + e.message, false)
        }
        return choice
    }

    private fun requested(feature: Int): BridgeChoice {
        val asked = Setting.BRIDGE.property + "=ffm"
        if (feature < 22) throw refused(asked + ", but FFM needs JDK 22 or newer and this is " + javaVersionText())
        val ffm = load() ?: throw refused(asked + ", but this jar has no FFM bridge (META-INF/versions/22 is missing)")
        val access = ffm.nativeAccessProblem()
        if (access != null) return BridgeChoice(ffm, asked + "; " + access + ", so the JDK warns" + COVERAGE, true)
        return BridgeChoice(ffm, asked + COVERAGE, true)
    }

    private const val COVERAGE: String = "; Numeric, one-input hashes and Ed25519 through FFM, the rest through JNI"

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
