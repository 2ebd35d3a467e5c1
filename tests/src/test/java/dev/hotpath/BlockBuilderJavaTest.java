package dev.hotpath;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Transaction and BlockBuilder as a Java caller writes them: static factories, overloads, getters, chaining. */
class BlockBuilderJavaTest extends JavaCallerTest {
    /** The README's "Building blocks" Java snippet, verbatim between the markers. */
    private static byte[] readmeSnippet(byte[] aliceSecret, byte[] bobSecret) {
        // readme-java:begin
        byte[] alicePublic = Ed25519.publicKey(aliceSecret);
        byte[] bobPublic = Ed25519.publicKey(bobSecret);
        Transaction pay = Transaction.sign(aliceSecret, bobPublic, 250, 1, 0, "hi".getBytes(StandardCharsets.UTF_8));
        Transaction refund = Transaction.sign(bobSecret, alicePublic, 100, 1, 0);   // no payload
        byte[] block = new BlockBuilder(1, new byte[32])   // height, previous block's hash
                .add(pay)
                .add(refund)
                .build();                                  // the header's Merkle root computed
        BlockReport report = Ledger.validateBlock(block);  // valid
        // readme-java:end
        assertTrue(report.isValid(), report::toString);
        return block;
    }

    @Test
    void readmeSnippetBuildsTheDocsWorkedExampleOnEveryBackend() {
        byte[] expected = LedgerTest.Companion.docExample();
        for (Backend b : BACKENDS) {
            Hotpath.setBackend(b);
            assertArrayEquals(expected, readmeSnippet(LedgerBlocks.INSTANCE.secretKey(1), LedgerBlocks.INSTANCE.secretKey(2)), b::name);
        }
    }

    @Test
    void gettersAndTheBufferOverloadFromJava() {
        byte[] secret = Ed25519.generateSecretKey();
        byte[] recipient = new byte[32];
        Transaction tx = Transaction.sign(secret, recipient, 5, 0, 9);
        assertArrayEquals(Ed25519.publicKey(secret), tx.getSender());
        assertEquals(5, tx.getAmount());
        assertEquals(0, tx.getFee());
        assertEquals(9, tx.getNonce());
        assertEquals(0, tx.getPayload().length);
        assertEquals(Ledger.TX_FIXED_SIZE, tx.getSize());
        assertEquals(Transaction.VERSION, tx.toByteArray()[0]);

        BlockBuilder builder = new BlockBuilder(3, new byte[32]).addAll(List.of(tx));
        assertEquals(1, builder.getTransactionCount());
        assertEquals(3, builder.getHeight());
        ByteBuffer direct = ByteBuffer.allocateDirect(builder.getEncodedSize());
        builder.writeTo(direct);
        direct.flip();
        BlockReport report = Ledger.validateBlock(direct);
        assertTrue(report.isValid(), report::toString);
        assertArrayEquals(builder.merkleRoot(), report.getMerkleRoot());
        assertEquals(BlockBuilder.MAX_BLOCK_SIZE, Integer.MAX_VALUE - 8);
    }

    @Test
    void nullArgumentsThrowNullPointerExceptionNamingThem() {
        byte[] key = new byte[32];
        NullPointerException e = assertThrows(NullPointerException.class, () -> Transaction.sign(null, key, 1, 0, 0));
        assertTrue(e.getMessage().contains("secretKey"), e.getMessage());
        e = assertThrows(NullPointerException.class, () -> Transaction.sign(key, key, 1, 0, 0, null));
        assertTrue(e.getMessage().contains("payload"), e.getMessage());
        e = assertThrows(NullPointerException.class, () -> new BlockBuilder(0, null));
        assertTrue(e.getMessage().contains("previousHash"), e.getMessage());
        BlockBuilder builder = new BlockBuilder(0, key);
        e = assertThrows(NullPointerException.class, () -> builder.add(null));
        assertTrue(e.getMessage().contains("transaction"), e.getMessage());
        e = assertThrows(NullPointerException.class, () -> builder.addEncoded(null));
        assertTrue(e.getMessage().contains("transaction"), e.getMessage());
        e = assertThrows(NullPointerException.class, () -> builder.writeTo(null));
        assertTrue(e.getMessage().contains("buffer"), e.getMessage());
        assertEquals(0, builder.getTransactionCount());
    }
}
