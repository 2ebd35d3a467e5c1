package dev.hotpath.probe;

import dev.hotpath.BlockReport;
import dev.hotpath.Ledger;
import dev.hotpath.TxStatus;

/**
 * Validates a block of {@code args[0]} zero-length transactions (4 bytes of input each, the most
 * transactions a block of its size can hold) with the backend {@code hotpath.backend} selects, and
 * prints the report as key=value lines, or the exception's class and message. Run by the memory
 * limit tests in a fresh JVM: once the block is built it prints {@code ready} and waits for a
 * line on standard input, so the test can cap the process's memory at what it uses by then plus
 * a margin, and only then validates.
 */
public final class LedgerMemoryProbe {
    private LedgerMemoryProbe() {}

    public static void main(String[] args) throws java.io.IOException {
        int count = Integer.parseInt(args[0]);
        // Header: magic, height, previous hash and root zero, the count; then one zero length
        // field per transaction, which the array is already full of.
        byte[] block = new byte[80 + 4 * count];
        block[0] = 'H';
        block[1] = 'P';
        block[2] = 'B';
        block[3] = '1';
        for (int i = 0; i < 4; i++) {
            block[76 + i] = (byte) (count >>> (8 * i));
        }
        System.out.println("blockBytes=" + block.length);
        // Loads the library and starts the pool before the cap, as a long-running service would.
        Ledger.validateBlock(new byte[] {'H', 'P', 'B', '1'});
        System.out.println("ready");
        System.out.flush();
        if (System.in.read() < 0) {
            return;
        }
        try {
            BlockReport report = Ledger.validateBlock(block);
            int malformed = 0;
            for (TxStatus status : report.getStatuses()) {
                if (status == TxStatus.MALFORMED) {
                    malformed++;
                }
            }
            System.out.println("error=" + report.getError());
            System.out.println("txCount=" + report.getTxCount());
            System.out.println("statuses=" + report.getStatuses().size());
            System.out.println("malformed=" + malformed);
            System.out.println("root=" + hex(report.getMerkleRoot()));
        } catch (Throwable e) {
            System.out.println("exception=" + e.getClass().getName());
            System.out.println("message=" + e.getMessage());
        }
    }

    private static String hex(byte[] bytes) {
        if (bytes == null) {
            return "null";
        }
        StringBuilder s = new StringBuilder();
        for (byte b : bytes) {
            s.append(String.format("%02x", b & 0xff));
        }
        return s.toString();
    }
}
