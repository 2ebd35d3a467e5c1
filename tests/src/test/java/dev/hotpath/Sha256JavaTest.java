package dev.hotpath;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import org.junit.jupiter.api.Test;

/** SHA-256 and Merkle roots as a Java caller writes them. */
class Sha256JavaTest extends JavaCallerTest {
    @Test
    void sha256EqualsMessageDigest() throws Exception {
        byte[] input = "abc".getBytes(StandardCharsets.US_ASCII);
        byte[] expected = MessageDigest.getInstance("SHA-256").digest(input);
        for (Backend b : BACKENDS) {
            Hotpath.setBackend(b);
            assertArrayEquals(expected, Sha256.hash(input), b::name);
            byte[][] batch = Sha256.hashBatch(new byte[][] {input, input});
            assertEquals(2, batch.length, b::name);
            assertArrayEquals(expected, batch[1], b::name);
            assertEquals(Sha256.DIGEST_LENGTH, batch[0].length, b::name);
        }
    }

    @Test
    void merkleRootOfOneLeafIsItsLeafHash() throws Exception {
        byte[] leaf = {1, 2, 3};
        MessageDigest sha = MessageDigest.getInstance("SHA-256");
        sha.update((byte) 0);
        byte[] expected = sha.digest(leaf);
        byte[] emptyTree = MessageDigest.getInstance("SHA-256").digest();
        for (Backend b : BACKENDS) {
            Hotpath.setBackend(b);
            assertArrayEquals(expected, Merkle.root(new byte[][] {leaf}), b::name);
            assertArrayEquals(emptyTree, Merkle.root(new byte[0][]), b::name);
        }
    }

    @Test
    void nullsThrowNullPointerExceptionNamingTheIndex() {
        for (Backend b : BACKENDS) {
            Hotpath.setBackend(b);
            assertThrows(NullPointerException.class, () -> Sha256.hash(null), b::name);
            assertThrows(NullPointerException.class, () -> Sha256.hashBatch(null), b::name);
            assertThrows(NullPointerException.class, () -> Merkle.root(null), b::name);
            NullPointerException e = assertThrows(NullPointerException.class,
                    () -> Sha256.hashBatch(new byte[][] {null}), b::name);
            assertEquals("inputs[0] is null", e.getMessage(), b::name);
            NullPointerException m = assertThrows(NullPointerException.class,
                    () -> Merkle.root(new byte[][] {new byte[0], null}), b::name);
            assertEquals("leaves[1] is null", m.getMessage(), b::name);
        }
    }
}
