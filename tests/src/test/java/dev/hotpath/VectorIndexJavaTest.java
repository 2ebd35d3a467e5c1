package dev.hotpath;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The Vectors family as a Java caller writes it: static factories, try-with-resources, plain arrays. */
class VectorIndexJavaTest extends JavaCallerTest {
    @TempDir Path dir;

    @Test
    void aJavaCallerCreatesAddsSearchesSavesAndLoads() throws IOException {
        for (Backend b : BACKENDS) {
            Hotpath.setBackend(b);
            Path file = dir.resolve("index-" + b + ".hpv");
            try (VectorIndex index = VectorIndex.create(3, Metric.L2)) {
                assertEquals(Precision.F32, index.precision());
                assertEquals(0, index.add(new float[] {0f, 0f, 0f}));
                assertEquals(1, index.addAll(new float[] {1f, 0f, 0f, 5f, 5f, 5f}, 2));
                ByteBuffer buffer = ByteBuffer.allocateDirect(12).order(ByteOrder.LITTLE_ENDIAN);
                buffer.putFloat(2f).putFloat(0f).putFloat(0f).flip();
                assertEquals(3, index.addAll(buffer));
                TopK top = index.search(new float[] {0.9f, 0f, 0f}, 2);
                assertEquals(2, top.size());
                assertArrayEquals(new int[] {1, 0}, top.getIds(), b::name);
                assertArrayEquals(new float[] {0.01f, 0.81f}, top.getScores(), 1e-6f);
                TopK[] batch = index.searchBatch(new float[][] {{5f, 5f, 5f}, {2f, 0f, 0f}}, 1);
                assertEquals(2, batch[0].getIds()[0]);
                assertEquals(3, batch[1].getIds()[0]);
                index.save(file);
            }
            try (VectorIndex loaded = VectorIndex.load(file)) {
                assertEquals(4, loaded.size());
                assertEquals(Metric.L2, loaded.metric());
            }
            try (VectorIndex cosine = VectorIndex.create(2, Metric.COSINE, Precision.INT8, Backend.JVM)) {
                IllegalArgumentException e =
                        assertThrows(IllegalArgumentException.class, () -> cosine.add(new float[] {0f, 0f}));
                assertEquals("vectors: vector 0 is zero, which COSINE cannot normalise", e.getMessage());
            }
            Files.write(file, new byte[] {1, 2, 3});
            assertThrows(IOException.class, () -> VectorIndex.load(file));
        }
        assertEquals(65536, VectorIndex.MAX_DIMENSION);
    }
}
