package dev.hotpath;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.hotpath.jvm.Blake3Reference;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

/** BLAKE3 as a Java caller writes it: static methods, constants, standard exceptions. */
class Blake3JavaTest extends JavaCallerTest {
    /** BLAKE3 of the empty input, from the published test vectors. */
    private static final String EMPTY = "af1349b9f5f9a1a6a0404dea36dcc9499bcb25c9adc112b7cc9a93cae41f3262";

    @Test
    void hashesAreStaticCallsReturningNewArrays() {
        byte[] input = "hello, hotpath".getBytes(StandardCharsets.UTF_8);
        byte[] expected = Blake3Reference.hash(input);
        for (Backend b : BACKENDS) {
            Hotpath.setBackend(b);
            assertEquals(EMPTY, CryptoInputs.INSTANCE.hex(Blake3.hash(new byte[0])), b::name);
            assertEquals(Blake3.DIGEST_LENGTH, Blake3.hash(input).length, b::name);
            assertArrayEquals(expected, Blake3.hash(input), b::name);
            assertArrayEquals(expected, Blake3.hash(ByteBuffer.wrap(input)), b::name);
            assertEquals(100, Blake3.hash(input, 100).length, b::name);
            byte[][] batch = Blake3.hashBatch(new byte[][] {input, new byte[0]});
            assertArrayEquals(expected, batch[0], b::name);
            assertEquals(EMPTY, CryptoInputs.INSTANCE.hex(batch[1]), b::name);
            byte[] key = new byte[Blake3.KEY_LENGTH];
            assertArrayEquals(Blake3Reference.keyedHash(key, input), Blake3.keyedHash(key, input), b::name);
        }
    }

    @Test
    void nullsAndBadArgumentsThrowStandardExceptions() {
        for (Backend b : BACKENDS) {
            Hotpath.setBackend(b);
            assertThrows(NullPointerException.class, () -> Blake3.hash((byte[]) null), b::name);
            assertThrows(NullPointerException.class, () -> Blake3.hash((ByteBuffer) null), b::name);
            assertThrows(NullPointerException.class, () -> Blake3.hashBatch(null), b::name);
            NullPointerException e = assertThrows(NullPointerException.class,
                    () -> Blake3.hashBatch(new byte[][] {new byte[1], new byte[2], new byte[3], null}), b::name);
            assertEquals("inputs[3] is null", e.getMessage(), b::name);
            assertThrows(NullPointerException.class, () -> Blake3.keyedHash(null, new byte[1]), b::name);
            IllegalArgumentException k = assertThrows(IllegalArgumentException.class,
                    () -> Blake3.keyedHash(new byte[16], new byte[1]), b::name);
            assertEquals("key has 16 bytes, expected 32", k.getMessage(), b::name);
            IllegalArgumentException o = assertThrows(IllegalArgumentException.class,
                    () -> Blake3.hash(new byte[1], -5), b::name);
            assertEquals("outputLength -5 < 0", o.getMessage(), b::name);
        }
    }
}
