package dev.hotpath;

import dev.hotpath.internal.BridgeInUse;
import dev.hotpath.internal.FfmBridge;

/**
 * The FFM bridge as the tests reach it: the one the loader selected, or one made beside the
 * JNI bridge over the same loaded library, so that both bridges can be called with the same
 * arguments in one JVM whichever was selected. Internal API (Kotlin's {@code internal} is a
 * compile-time rule that Java does not see).
 */
public final class FfmHooks {
    private FfmHooks() {}

    /** The bridge the kernels use, or null when it is JNI. */
    public static FfmBridge selected() {
        requireNative();
        return BridgeInUse.FFM;
    }

    /**
     * A new instance of the FFM bridge over the loaded library, whichever bridge was selected
     * (JDK 22 and newer only: the class lives in the jar's META-INF/versions/22/).
     */
    public static FfmBridge standalone() throws ReflectiveOperationException {
        requireNative();
        String name = BridgeInUse.class.getPackageName() + ".ffm.FfmDowncalls";
        return (FfmBridge) Class.forName(name, true, BridgeInUse.class.getClassLoader()).getDeclaredConstructor().newInstance();
    }

    private static void requireNative() {
        if (!Hotpath.isNativeAvailable()) {
            throw Hotpath.getNativeLoadError();
        }
    }
}
