package dev.hotpath.bench;

import dev.hotpath.Ed25519;
import dev.hotpath.jvm.MerkleReference;
import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;

/**
 * Valid blocks in hotpath's block format v1 (docs/block-format.md) for the Ledger benchmarks:
 * transactions from 16 deterministic senders with distinct nonces and 32-byte payloads (187 bytes
 * each), signed with hotpath's Ed25519 (native when the library loads, so a 10,000-transaction
 * block builds in well under a second), the header's root from the JVM twin of Merkle.
 */
public final class LedgerInputs {
    private static final int SENDERS = 16;

    private LedgerInputs() {
    }

    /** A valid block of {@code txs} transactions; the same bytes on every call. */
    public static byte[] validBlock(int txs) {
        byte[][] secrets = new byte[SENDERS][32];
        byte[][] publicKeys = new byte[SENDERS][];
        for (int s = 0; s < SENDERS; s++) {
            for (int i = 0; i < 32; i++) {
                secrets[s][i] = (byte) (s * 37 + i);
            }
            publicKeys[s] = Ed25519.publicKey(secrets[s]);
        }
        byte[][] encoded = new byte[txs][];
        for (int t = 0; t < txs; t++) {
            int s = t % SENDERS;
            ByteBuffer body = ByteBuffer.allocate(155 - 64 + 32).order(ByteOrder.LITTLE_ENDIAN);
            body.put((byte) 1).put(publicKeys[s]).put(publicKeys[(s + 1) % SENDERS]);
            body.putLong(1000 + t).putLong(10).putLong(t).putShort((short) 32);
            for (int i = 0; i < 32; i++) {
                body.put((byte) (t + i));
            }
            byte[] unsigned = body.array();
            byte[] signature = Ed25519.sign(secrets[s], unsigned);
            encoded[t] = ByteBuffer.allocate(unsigned.length + 64).put(unsigned).put(signature).array();
        }
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ByteBuffer header = ByteBuffer.allocate(80).order(ByteOrder.LITTLE_ENDIAN);
        header.put(new byte[] {'H', 'P', 'B', '1'}).putLong(1).put(new byte[32]).put(MerkleReference.root(encoded)).putInt(txs);
        out.writeBytes(header.array());
        for (byte[] t : encoded) {
            out.writeBytes(ByteBuffer.allocate(4).order(ByteOrder.LITTLE_ENDIAN).putInt(t.length).array());
            out.writeBytes(t);
        }
        return out.toByteArray();
    }
}
