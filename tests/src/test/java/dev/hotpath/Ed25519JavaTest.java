package dev.hotpath;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

/** Ed25519 as a Java caller writes it: static methods, byte[] and byte[][], standard exceptions. */
class Ed25519JavaTest extends JavaCallerTest {
    @Test
    void signAndVerifyRoundTripWithStaticCalls() {
        byte[] message = "hello, hotpath".getBytes(StandardCharsets.UTF_8);
        for (Backend b : BACKENDS) {
            Hotpath.setBackend(b);
            byte[] secret = Ed25519.generateSecretKey();
            assertEquals(Ed25519.SECRET_KEY_SIZE, secret.length);
            byte[] publicKey = Ed25519.publicKey(secret);
            byte[] signature = Ed25519.sign(secret, message);
            assertEquals(32, publicKey.length, b::name);
            assertEquals(64, signature.length, b::name);
            assertTrue(Ed25519.verify(publicKey, message, signature), b::name);
            assertFalse(Ed25519.verify(publicKey, "hello, hotpatH".getBytes(StandardCharsets.UTF_8), signature), b::name);
        }
    }

    @Test
    void verifyBatchTakesByteArrayArraysAndAnswersPerItem() {
        byte[] secret = new byte[32];
        secret[0] = 1;
        byte[] publicKey = Ed25519.publicKey(secret);
        byte[][] messages = {new byte[0], {1, 2, 3}, {4}};
        byte[][] signatures = {Ed25519.sign(secret, messages[0]), Ed25519.sign(secret, messages[1]), Ed25519.sign(secret, messages[1])};
        byte[][] keys = {publicKey, publicKey, publicKey};
        for (Backend b : BACKENDS) {
            Hotpath.setBackend(b);
            assertArrayEquals(new boolean[] {true, true, false}, Ed25519.verifyBatch(keys, messages, signatures), b::name);
            assertArrayEquals(new boolean[0], Ed25519.verifyBatch(new byte[0][], new byte[0][], new byte[0][]), b::name);
        }
    }

    @Test
    void nullArgumentsAndElementsThrowNullPointerException() {
        byte[] key = new byte[32];
        byte[] signature = new byte[64];
        for (Backend b : BACKENDS) {
            Hotpath.setBackend(b);
            NullPointerException e = assertThrows(NullPointerException.class, () -> Ed25519.verify(null, new byte[0], signature));
            assertTrue(e.getMessage().contains("publicKey"), e.getMessage());
            e = assertThrows(NullPointerException.class, () -> Ed25519.verify(key, null, signature));
            assertTrue(e.getMessage().contains("message"), e.getMessage());
            e = assertThrows(NullPointerException.class, () -> Ed25519.sign(null, new byte[0]));
            assertTrue(e.getMessage().contains("secretKey"), e.getMessage());
            e = assertThrows(NullPointerException.class, () -> Ed25519.publicKey(null));
            assertTrue(e.getMessage().contains("secretKey"), e.getMessage());
            e = assertThrows(NullPointerException.class, () -> Ed25519.verifyBatch(null, new byte[0][], new byte[0][]));
            assertTrue(e.getMessage().contains("publicKeys"), e.getMessage());
            byte[][] keys = {key, key, key, key, key, key, key, key};
            byte[][] messages = new byte[8][0];
            byte[][] signatures = {signature, signature, signature, signature, signature, signature, signature, null};
            e = assertThrows(NullPointerException.class, () -> Ed25519.verifyBatch(keys, messages, signatures));
            assertEquals("signatures[7] is null", e.getMessage(), b::name);
        }
    }

    @Test
    void wrongLengthsThrowIllegalArgumentException() {
        for (Backend b : BACKENDS) {
            Hotpath.setBackend(b);
            IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> Ed25519.publicKey(new byte[16]));
            assertEquals("secretKey has 16 bytes, expected 32", e.getMessage(), b::name);
            e = assertThrows(IllegalArgumentException.class,
                () -> Ed25519.verifyBatch(new byte[][] {new byte[32]}, new byte[0][], new byte[][] {new byte[64]}));
            assertTrue(e.getMessage().contains("same length"), e.getMessage());
        }
    }
}
