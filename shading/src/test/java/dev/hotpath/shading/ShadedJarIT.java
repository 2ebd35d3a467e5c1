package dev.hotpath.shading;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Paths;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.zip.ZipFile;
import org.junit.jupiter.api.Test;

/**
 * A fat jar whose {@code dev.hotpath} packages maven-shade-plugin relocated runs natively in a
 * fresh JVM, and an unshaded copy in another class loader of that JVM works beside it.
 */
class ShadedJarIT {
    private static String property(String name) {
        String value = System.getProperty(name);
        if (value == null) throw new IllegalStateException(name + " is not set: run through Maven");
        return value;
    }

    @Test
    void theShadedJarHoldsOnlyRelocatedHotpathClasses() throws IOException {
        try (ZipFile jar = new ZipFile(property("shading.test.shadedJar"))) {
            assertTrue(jar.stream().anyMatch(e -> e.getName().equals("com/acme/shaded/dev/hotpath/internal/NativeBridge.class")));
            assertTrue(jar.stream().noneMatch(e -> e.getName().startsWith("dev/hotpath/") && e.getName().endsWith(".class")),
                "unrelocated hotpath classes in the shaded jar");
        }
    }

    @Test
    void relocatedHotpathRunsNativelyBesideAnUnshadedCopy() throws Exception {
        String java = Paths.get(System.getProperty("java.home"), "bin", "java").toString();
        List<String> command = List.of(java, "--enable-native-access=ALL-UNNAMED",
            "-Dhotpath.cache.dir=" + property("shading.test.cacheDir"),
            "-cp", property("shading.test.shadedJar"), "com.acme.app.ShadedConsumer",
            property("shading.test.hotpathJar"), property("shading.test.stdlib"));
        Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
        CompletableFuture<String> output = CompletableFuture.supplyAsync(() -> {
            try {
                return new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            } catch (IOException e) {
                throw new RuntimeException(e);
            }
        });
        assertTrue(process.waitFor(2, TimeUnit.MINUTES), "the shaded consumer did not finish");
        String text = output.get(1, TimeUnit.MINUTES);
        assertEquals(0, process.exitValue(), text);
        for (String expected : List.of("ok relocated com.acme.shaded.dev.hotpath.Hotpath", "ok families ",
                "ok error fromIndex 5 > toIndex 2", "ok panic com.acme.shaded.dev.hotpath.NativeKernelException",
                "ok unshaded ", "ok both")) {
            assertTrue(text.contains(expected), "missing '" + expected + "' in:\n" + text);
        }
    }
}
