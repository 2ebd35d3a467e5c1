package dev.hotpath;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.ByteBuffer;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Ledger as a Java caller writes it: static calls, getters, enums, byte[] and ByteBuffer, null checks. */
class LedgerJavaTest extends JavaCallerTest {
    @Test
    void validBlockThroughGetters() {
        byte[] block = LedgerTest.Companion.docExample();
        for (Backend b : BACKENDS) {
            Hotpath.setBackend(b);
            BlockReport report = Ledger.validateBlock(block);
            assertTrue(report.isValid(), b::name);
            assertNull(report.getError(), b::name);
            assertEquals(2, report.getTxCount(), b::name);
            List<TxStatus> statuses = report.getStatuses();
            assertEquals(List.of(TxStatus.OK, TxStatus.OK), statuses, b::name);
            byte[] root = report.getMerkleRoot();
            assertEquals(32, root.length);
            assertArrayEquals(java.util.Arrays.copyOfRange(block, 44, 76), root, b::name);
            assertEquals(report, Ledger.validateBlock(ByteBuffer.wrap(block)), b::name);
        }
    }

    @Test
    void brokenFramingIsAReportNotAnException() {
        for (Backend b : BACKENDS) {
            Hotpath.setBackend(b);
            BlockReport report = Ledger.validateBlock(new byte[] {'H', 'P'});
            assertEquals(BlockError.TRUNCATED, report.getError(), b::name);
            assertNull(report.getMerkleRoot(), b::name);
            assertEquals(0, report.getTxCount(), b::name);
            assertTrue(report.getStatuses().isEmpty(), b::name);
        }
    }

    @Test
    void nullBlocksThrowNullPointerExceptionNamingTheArgument() {
        for (Backend b : BACKENDS) {
            Hotpath.setBackend(b);
            NullPointerException e = assertThrows(NullPointerException.class, () -> Ledger.validateBlock((byte[]) null));
            assertTrue(e.getMessage().contains("block"), e.getMessage());
            e = assertThrows(NullPointerException.class, () -> Ledger.validateBlock((ByteBuffer) null));
            assertTrue(e.getMessage().contains("block"), e.getMessage());
        }
    }
}
