package dev.hotpath.probe;

import dev.hotpath.Hotpath;
import dev.hotpath.NativeLoadException;
import dev.hotpath.Numeric;
import java.util.stream.LongStream;

/**
 * The program loader tests start in fresh JVMs: it uses hotpath exactly as a service would
 * (only the jar and kotlin-stdlib on the class path) and prints what happened as key=value lines.
 */
public final class LoaderProbe {
    private LoaderProbe() {}

    public static void main(String[] args) {
        long[] values = LongStream.rangeClosed(1, 100_000).toArray();
        System.out.println("backend=" + Hotpath.getBackend());
        try {
            System.out.println("sum=" + Numeric.sum(values));
        } catch (NativeLoadException e) {
            System.out.println("loadError=" + oneLine(e.getMessage()));
        }
        System.out.println("native=" + Hotpath.isNativeAvailable());
        System.out.println("threads=" + Hotpath.getThreads());
        NativeLoadException error = Hotpath.getNativeLoadError();
        if (error != null) {
            System.out.println("error=" + oneLine(error.getMessage()));
        }
        System.out.println("diagnostics=" + oneLine(Hotpath.diagnostics()));
        // The loader sets it around System.load for JNI_OnLoad, and must put back what was there.
        System.out.println("bridgeProperty=" + System.getProperty("hotpath.jni.bridge"));
    }

    private static String oneLine(String s) {
        return s == null ? "null" : s.replace("\n", "\\n");
    }
}
