package dev.hotpath;

import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;

/**
 * What every Java-caller suite shares: the native library must have loaded (a suite that quietly
 * ran on the JVM fallback would prove nothing about the native path), each test may switch the
 * backend, and the next test starts on {@link Backend#AUTO} again.
 */
abstract class JavaCallerTest {
    /** Every backend a caller can pick, each test's loop runs over all of them. */
    static final Backend[] BACKENDS = {Backend.NATIVE, Backend.JVM, Backend.AUTO};

    @BeforeAll
    static void nativeLibraryIsAvailable() {
        assertTrue(Hotpath.isNativeAvailable(), () -> "native library did not load: " + Hotpath.getNativeLoadError());
    }

    @AfterEach
    void restoreAutoBackend() {
        Hotpath.setBackend(Backend.AUTO);
    }
}
