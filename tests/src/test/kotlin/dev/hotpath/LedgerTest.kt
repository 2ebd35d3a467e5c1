package dev.hotpath

import dev.hotpath.LedgerBlocks.Tx
import dev.hotpath.LedgerBlocks.block
import dev.hotpath.LedgerBlocks.encode
import dev.hotpath.LedgerBlocks.signedAnyway
import dev.hotpath.LedgerBlocks.validTxs
import dev.hotpath.LedgerBlocks.withCount
import dev.hotpath.LedgerBlocks.withRoot
import dev.hotpath.NumericInputs.onBackend
import dev.hotpath.jvm.LedgerReference
import org.junit.jupiter.api.AfterEach
import org.junit.jupiter.api.Assertions.assertArrayEquals
import org.junit.jupiter.api.Assertions.assertEquals
import org.junit.jupiter.api.Assertions.assertFalse
import org.junit.jupiter.api.Assertions.assertNotEquals
import org.junit.jupiter.api.Assertions.assertNull
import org.junit.jupiter.api.Assertions.assertThrows
import org.junit.jupiter.api.Assertions.assertTrue
import org.junit.jupiter.api.BeforeAll
import org.junit.jupiter.api.Test
import org.junit.jupiter.params.ParameterizedTest
import org.junit.jupiter.params.provider.ValueSource
import java.nio.ByteBuffer
import java.nio.file.Files
import java.nio.file.Paths

/**
 * Ledger.validateBlock on [Backend.NATIVE], [Backend.JVM] and [Backend.AUTO] (every report must
 * be equal across them), on blocks built and signed by [BlockBuilder] and [Transaction] (through [LedgerBlocks]): every status and error,
 * the order of the checks, duplicate nonces, payload bounds, adversarial signatures, buffers, a
 * 10,000-transaction block, and the worked example of docs/block-format.md.
 */
class LedgerTest {
    companion object {
        private val BACKENDS = listOf(Backend.NATIVE, Backend.JVM, Backend.AUTO)

        @JvmStatic
        @BeforeAll
        fun nativeLibraryIsAvailable() = NumericInputs.requireNative()

        /** The worked example of docs/block-format.md, built by its code (verbatim between the markers). */
        fun docExample(): ByteArray {
            // docs-example:begin
            val key1 = ByteArray(32) { (1 + it).toByte() }
            val key2 = ByteArray(32) { (2 + it).toByte() }
            val block = BlockBuilder(height = 1, previousHash = ByteArray(32))
                .add(Transaction.sign(key1, Ed25519.publicKey(key2), amount = 250, fee = 1, nonce = 0, payload = "hi".toByteArray()))
                .add(Transaction.sign(key2, Ed25519.publicKey(key1), amount = 100, fee = 1, nonce = 0))
                .build()
            // docs-example:end
            return block
        }
    }

    @AfterEach
    fun restoreAutoBackend() {
        Hotpath.backend = Backend.AUTO
    }

    /** The report on every backend and from the twin, which must all be equal. */
    private fun report(block: ByteArray, backends: List<Backend> = BACKENDS): BlockReport {
        val reports = backends.map { b -> b to onBackend(b) { Ledger.validateBlock(block) } }
        val first = reports[0].second
        for ((b, r) in reports) assertEquals(first, r, "$b differs from ${reports[0].first}")
        if (Backend.JVM !in backends) return first
        assertEquals(first, LedgerReference.validateBlock(block), "the twin")
        return first
    }

    private fun assertStatuses(expected: List<TxStatus>, r: BlockReport) {
        assertEquals(expected.size, r.statuses.size, r.toString())
        val differ = expected.indices.filter { expected[it] != r.statuses[it] }.take(5)
        assertTrue(differ.isEmpty()) { "statuses differ at ${differ.map { "$it: ${r.statuses[it]}, expected ${expected[it]}" }}; $r" }
        assertEquals(expected.size, r.txCount)
    }

    @ParameterizedTest(name = "{0} transactions")
    @ValueSource(ints = [0, 1, 2, 3, 5, 17, 64, 65, 129])
    fun wellFormedBlocksAreValidWithTheRfc6962Root(n: Int) {
        val txs = validTxs(n)
        val r = report(block(txs))
        assertTrue(r.isValid, r.toString())
        assertNull(r.error)
        assertStatuses(List(n) { TxStatus.OK }, r)
        assertArrayEquals(CryptoInputs.naiveMerkleRoot(txs), r.merkleRoot)
    }

    @Test
    fun emptyBlockHasTheEmptyTreeRoot() {
        val r = report(block(emptyList()))
        assertTrue(r.isValid)
        assertEquals(0, r.txCount)
        assertEquals("e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855", CryptoInputs.hex(r.merkleRoot!!))
    }

    @Test
    fun everyStatusWithTheFirstFailingCheckDeciding() {
        val base = Tx(sender = 1, nonce = 1)
        val zeroAmountBadSignature = signedAnyway(base, amount = 0).also { it[100] = (it[100] + 1).toByte() }
        val badSignature = encode(base.copy(nonce = 2)).also { it[it.size - 40] = (it[it.size - 40].toInt() xor 0x10).toByte() }
        val txs = listOf(
            encode(base) to TxStatus.OK,
            encode(base.copy(fee = 11)) to TxStatus.DUPLICATE_NONCE,
            signedAnyway(base, amount = 0) to TxStatus.ZERO_AMOUNT,
            zeroAmountBadSignature to TxStatus.ZERO_AMOUNT,
            badSignature to TxStatus.BAD_SIGNATURE,
            signedAnyway(base, version = 2, amount = 0) to TxStatus.MALFORMED,
            signedAnyway(base.copy(nonce = 3), payload = ByteArray(1025)) to TxStatus.MALFORMED,
            signedAnyway(base.copy(nonce = 4), payload = ByteArray(3), declaredPayloadLength = 2) to TxStatus.MALFORMED,
            encode(base.copy(nonce = 5)).copyOf(154) to TxStatus.MALFORMED,
            ByteArray(0) to TxStatus.MALFORMED,
            encode(Tx(sender = 2, nonce = 1)) to TxStatus.OK,
        )
        val r = report(block(txs.map { it.first }))
        assertStatuses(txs.map { it.second }, r)
        assertNull(r.error)
        assertFalse(r.isValid)
    }

    @Test
    fun duplicateNonceCountsOnlyEarlierOkTransactions() {
        val t = Tx(sender = 3, nonce = 9)
        val badSignature = encode(t).also { it[it.size - 1] = (it[it.size - 1] + 1).toByte() }
        val txs = listOf(
            badSignature,                                   // BAD_SIGNATURE: does not count
            signedAnyway(t, amount = 0),                    // ZERO_AMOUNT: does not count
            signedAnyway(t, version = 9),                   // MALFORMED: does not count
            encode(t),                                      // OK: the first OK one
            encode(t.copy(amount = 5)),                     // DUPLICATE_NONCE
            encode(t.copy(amount = 6)),                     // DUPLICATE_NONCE (of the OK one, not of a duplicate)
            encode(t.copy(sender = 4)),                     // OK: another sender
            encode(t.copy(nonce = 10)),                     // OK: another nonce
        )
        assertStatuses(
            listOf(
                TxStatus.BAD_SIGNATURE, TxStatus.ZERO_AMOUNT, TxStatus.MALFORMED, TxStatus.OK,
                TxStatus.DUPLICATE_NONCE, TxStatus.DUPLICATE_NONCE, TxStatus.OK, TxStatus.OK,
            ),
            report(block(txs)),
        )
    }

    @Test
    fun payloadsOf0And1024AreFineAnd1025IsMalformedEvenWhenSigned() {
        val txs = listOf(0, 1, 1024, 1025).map {
            val tx = Tx(sender = 5, nonce = it.toLong(), payload = ByteArray(it) { i -> i.toByte() })
            if (it <= Ledger.MAX_PAYLOAD) encode(tx) else signedAnyway(tx)
        }
        assertEquals(listOf(155, 156, 1179, 1180), txs.map { it.size })
        assertStatuses(listOf(TxStatus.OK, TxStatus.OK, TxStatus.OK, TxStatus.MALFORMED), report(block(txs)))
    }

    @Test
    fun adversarialSignaturesAreBadOnEveryBackend() {
        val valid = encode(Tx(sender = 6, nonce = 1))
        val txs = listOf(LedgerBlocks.withSPlusL(valid), LedgerBlocks.smallOrderSenderTx(2), valid)
        assertStatuses(listOf(TxStatus.BAD_SIGNATURE, TxStatus.BAD_SIGNATURE, TxStatus.OK), report(block(txs)))
    }

    @Test
    fun wrongRootIsAMismatchWithStatusesAndTheComputedRoot() {
        val txs = validTxs(3)
        val r = report(withRoot(block(txs), ByteArray(32)))
        assertEquals(BlockError.MERKLE_MISMATCH, r.error)
        assertStatuses(List(3) { TxStatus.OK }, r)
        assertArrayEquals(CryptoInputs.naiveMerkleRoot(txs), r.merkleRoot)
        assertFalse(r.isValid)
    }

    @Test
    fun framingErrorsHaveNoStatusesNoRootAndTheDocumentedCount() {
        val good = block(validTxs(3))
        fun broken(bytes: ByteArray, error: BlockError, count: Int) {
            val r = report(bytes)
            assertEquals(error, r.error, r.toString())
            assertNull(r.merkleRoot)
            assertEquals(emptyList<TxStatus>(), r.statuses)
            assertEquals(count, r.txCount, r.toString())
            assertFalse(r.isValid)
        }
        for (cut in 0..3) broken(good.copyOf(cut), BlockError.TRUNCATED, 0)
        broken(byteArrayOf('H'.code.toByte(), 'P'.code.toByte(), 'B'.code.toByte(), '2'.code.toByte()), BlockError.BAD_MAGIC, 0)
        broken(good.copyOf(79), BlockError.TRUNCATED, 0)
        broken(good.copyOf(79).also { it[0] = 0 }, BlockError.BAD_MAGIC, 0)
        broken(good.copyOf().also { it[0] = 'h'.code.toByte() }, BlockError.BAD_MAGIC, 0)
        for (cut in listOf(80, 83, 84, 200, good.size - 1)) broken(good.copyOf(cut), BlockError.TRUNCATED, 3)
        broken(good + 0, BlockError.TRAILING_BYTES, 3)
        broken(withCount(good, 4), BlockError.TRUNCATED, 4)
        broken(withCount(good, 2), BlockError.TRAILING_BYTES, 2)
        broken(withCount(good, 4_000_000_000L), BlockError.TRUNCATED, Int.MAX_VALUE)
        broken(withCount(good, 0x7fff_ffffL), BlockError.TRUNCATED, Int.MAX_VALUE)
        for (huge in listOf(0xffff_ffffL, 0x8000_0000L, 0x7fff_ffffL, good.size.toLong())) {
            val bytes = good.copyOf()
            for (i in 0 until 4) bytes[80 + i] = (huge ushr (8 * i)).toByte()
            broken(bytes, BlockError.TRUNCATED, 3)
        }
    }

    @Test
    fun byteBuffersOfEveryKindGiveTheArraysReportAndKeepTheirPosition() {
        val bytes = block(validTxs(4) + signedAnyway(Tx(sender = 1, nonce = 0), amount = 0))
        val expected = onBackend(Backend.NATIVE) { Ledger.validateBlock(bytes) }
        assertEquals(listOf(TxStatus.OK, TxStatus.OK, TxStatus.OK, TxStatus.OK, TxStatus.ZERO_AMOUNT), expected.statuses)
        val padded = ByteArray(7) { 0x33 } + bytes + ByteArray(5) { 0x44 }
        val direct = ByteBuffer.allocateDirect(padded.size).put(padded)
        val buffers = mapOf(
            "heap" to ByteBuffer.wrap(padded, 7, bytes.size),
            "read-only heap" to ByteBuffer.wrap(padded, 7, bytes.size).asReadOnlyBuffer(),
            "sliced heap" to ByteBuffer.wrap(padded).position(7).slice().limit(bytes.size),
            "direct" to direct.duplicate().position(7).limit(7 + bytes.size),
            "sliced direct" to direct.duplicate().position(7).slice().limit(bytes.size),
            "read-only direct" to direct.duplicate().position(7).limit(7 + bytes.size).asReadOnlyBuffer(),
        )
        for ((name, buffer) in buffers) {
            for (b in BACKENDS) {
                val position = buffer.position()
                val limit = buffer.limit()
                buffer.mark()
                assertEquals(expected, onBackend(b) { Ledger.validateBlock(buffer) }, "$name on $b")
                assertEquals(position, buffer.position(), "$name position on $b")
                assertEquals(limit, buffer.limit(), "$name limit on $b")
                buffer.reset()
                assertEquals(position, buffer.position(), "$name mark on $b")
            }
            assertEquals(expected, LedgerReference.validateBlock(buffer), "$name through the twin")
        }
        val empty = ByteBuffer.allocateDirect(0)
        for (b in BACKENDS) assertEquals(BlockError.TRUNCATED, onBackend(b) { Ledger.validateBlock(empty) }.error)
    }

    @Test
    fun reportIsImmutableAndComparesRootsByContent() {
        val r = onBackend(Backend.NATIVE) { Ledger.validateBlock(block(validTxs(2))) }
        val root = r.merkleRoot!!
        root[0] = (root[0] + 1).toByte()
        assertNotEquals(CryptoInputs.hex(root), CryptoInputs.hex(r.merkleRoot!!))
        assertThrows(UnsupportedOperationException::class.java) { (r.statuses as MutableList<TxStatus>).add(TxStatus.OK) }
        val again = onBackend(Backend.NATIVE) { Ledger.validateBlock(block(validTxs(2))) }
        assertEquals(r, again)
        assertEquals(r.hashCode(), again.hashCode())
        assertTrue(r.toString().contains("valid=true"), r.toString())
        assertNotEquals(r, onBackend(Backend.NATIVE) { Ledger.validateBlock(withRoot(block(validTxs(2)), ByteArray(32))) })
    }

    @Test
    fun tenThousandTransactionsNativelyAndAFewHundredOnTheJvmAgree() {
        val txs = validTxs(10_000, senders = 50).toMutableList()
        val expected = MutableList(txs.size) { TxStatus.OK }
        for (i in listOf(0, 63, 64, 4095, 5000, 9999)) {
            txs[i] = txs[i].copyOf().also { it[it.size - 10] = (it[it.size - 10] + 1).toByte() }
            expected[i] = TxStatus.BAD_SIGNATURE
        }
        txs[7000] = encode(Tx(sender = 0, nonce = 6950)) // transaction 6950 is sender 0's, nonce 6950
        expected[7000] = TxStatus.DUPLICATE_NONCE
        val r = report(block(txs), listOf(Backend.NATIVE, Backend.AUTO))
        assertStatuses(expected, r)
        assertArrayEquals(CryptoInputs.naiveMerkleRoot(txs), r.merkleRoot)
        assertNull(r.error)
        // The JVM twin verifies about 1,500 signatures a second: a 300-transaction prefix.
        val prefix = txs.subList(0, 300)
        assertStatuses(expected.subList(0, 300), report(block(prefix)))
    }

    @Test
    fun concurrentCallsOnTheSameBlockGiveTheSameReport() {
        val txs = validTxs(300).toMutableList()
        txs[150] = encode(Tx(sender = 0, nonce = 0))
        val bytes = block(txs)
        val expected = onBackend(Backend.NATIVE) { Ledger.validateBlock(bytes) }
        assertEquals(TxStatus.DUPLICATE_NONCE, expected.statuses[150])
        val direct = ByteBuffer.allocateDirect(bytes.size).put(bytes).flip()
        Hotpath.backend = Backend.NATIVE
        val pool = java.util.concurrent.Executors.newFixedThreadPool(4)
        try {
            val futures = List(4) { t ->
                pool.submit<List<BlockReport>> {
                    List(6) { i -> if ((t + i) % 2 == 0) Ledger.validateBlock(bytes) else Ledger.validateBlock(direct.duplicate()) }
                }
            }
            for (f in futures) for (r in f.get()) assertEquals(expected, r)
        } finally {
            pool.shutdown()
        }
    }

    @Test
    fun docsWorkedExampleIsWhatTheBuilderBuildsAndIsValid() {
        val doc = Files.readString(Paths.get("..", "docs", "block-format.md"))
        val section = doc.substringAfter("<!-- example-hex:begin -->").substringBefore("<!-- example-hex:end -->")
        // Each dump line is "offset  hex bytes  | annotation"; the bytes are what counts.
        val hex = section.lines().filter { it.matches(Regex("""^[0-9a-f]{4}: .*""")) }
            .joinToString("") { it.substringAfter(": ").substringBefore("|").replace(" ", "") }
        val fromDoc = CryptoInputs.unhex(hex)
        val built = docExample()
        assertEquals(LedgerBlocks.hexDump(built), LedgerBlocks.hexDump(fromDoc), "docs/block-format.md's example is stale")
        val r = report(fromDoc)
        assertTrue(r.isValid, r.toString())
        val root = doc.substringAfter("Merkle root: `").substringBefore("`")
        assertEquals(root, CryptoInputs.hex(r.merkleRoot!!))
        val code = doc.substringAfter("## Worked example").substringAfter("```kotlin\n").substringBefore("```").trimEnd()
        val source = Files.readString(Paths.get("src", "test", "kotlin", "dev", "hotpath", "LedgerTest.kt"))
        val runs = source.substringAfter("// docs-example:begin\n").substringBefore("// docs-example:end").trimEnd().trimIndent()
        assertEquals(runs, code, "docs/block-format.md's code is not what docExample runs")
    }
}
