package dev.hotpath.bench;

import dev.hotpath.BlockBuilder;
import dev.hotpath.Ed25519;
import dev.hotpath.Transaction;

/**
 * Valid blocks in hotpath's block format v1 (docs/block-format.md) for the Ledger benchmarks,
 * made by the library's {@link BlockBuilder}: transactions from 16 deterministic senders with
 * distinct nonces and 32-byte payloads (187 bytes each), signed by {@link Transaction#sign} on the
 * selected backend (native when the library loads: a 10,000-transaction block took 1.7-2.8 s on
 * the shared 2-core development machine, most of it the three Ed25519 base-point multiplications
 * of each transaction, the sender's public key and the signature's two).
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
        BlockBuilder block = new BlockBuilder(1, new byte[32]);
        for (int t = 0; t < txs; t++) {
            int s = t % SENDERS;
            byte[] payload = new byte[32];
            for (int i = 0; i < payload.length; i++) {
                payload[i] = (byte) (t + i);
            }
            block.add(Transaction.sign(secrets[s], publicKeys[(s + 1) % SENDERS], 1000 + t, 10, t, payload));
        }
        return block.build();
    }
}
