package dev.hotpath

import dev.hotpath.LedgerBlocks.publicKey
import dev.hotpath.LedgerBlocks.secretKey
import dev.hotpath.NumericInputs.onBackend
import dev.hotpath.jvm.LedgerReference
import org.junit.jupiter.api.AfterEach
import org.junit.jupiter.api.Assertions.assertArrayEquals
import org.junit.jupiter.api.Assertions.assertEquals
import org.junit.jupiter.api.Assertions.assertFalse
import org.junit.jupiter.api.Assertions.assertNotEquals
import org.junit.jupiter.api.Assertions.assertThrows
import org.junit.jupiter.api.Assertions.assertTrue
import org.junit.jupiter.api.BeforeAll
import org.junit.jupiter.api.Test
import java.nio.ByteBuffer
import java.nio.ByteOrder
import java.nio.ReadOnlyBufferException
import java.nio.file.Files
import java.nio.file.Paths

/**
 * [Transaction.sign] and [BlockBuilder]: what they build validates on every backend, reads back
 * field by field from the bytes (docs/block-format.md's offsets), does not depend on the backend
 * that built it, and every argument out of bounds is refused with a message naming it.
 */
class BlockBuilderTest {
    companion object {
        private val BACKENDS = listOf(Backend.NATIVE, Backend.JVM, Backend.AUTO)

        @JvmStatic
        @BeforeAll
        fun nativeLibraryIsAvailable() = NumericInputs.requireNative()
    }

    @AfterEach
    fun restoreAutoBackend() {
        Hotpath.backend = Backend.AUTO
    }

    /** Transactions from three senders, two nonces each, payloads of 0 to 1024 bytes. */
    private fun transactions(): List<Transaction> = List(6) { i ->
        Transaction.sign(
            secretKey(i % 3), publicKey(10 + i), amount = 1L + i * 1000, fee = i.toLong(), nonce = (i / 3).toLong(),
            payload = ByteArray(listOf(0, 1, 2, 100, 1023, 1024)[i]) { (it * 31 + i).toByte() },
        )
    }

    private fun built(txs: List<Transaction>, height: Long = 42, previous: ByteArray = ByteArray(32) { it.toByte() }): ByteArray =
        BlockBuilder(height, previous).addAll(txs).build()

    private fun assertValidEverywhere(block: ByteArray, count: Int) {
        val reports = BACKENDS.map { b -> onBackend(b) { Ledger.validateBlock(block) } } + LedgerReference.validateBlock(block)
        for (r in reports) {
            assertTrue(r.isValid, r.toString())
            assertEquals(count, r.txCount)
            assertArrayEquals(block.copyOfRange(44, 76), r.merkleRoot, "the header's root is the computed one")
        }
    }

    @Test
    fun signedTransactionsBuiltOnEachBackendMakeABlockEveryBackendAccepts() {
        for (b in BACKENDS) {
            val block = onBackend(b) { built(transactions()) }
            assertValidEverywhere(block, 6)
        }
    }

    @Test
    fun sameInputsGiveTheSameBytesOnEveryBackend() {
        val expected = onBackend(Backend.NATIVE) { built(transactions()) }
        for (b in BACKENDS) {
            assertArrayEquals(expected, onBackend(b) { built(transactions()) }, "built on $b")
            assertEquals(onBackend(Backend.NATIVE) { transactions() }, onBackend(b) { transactions() }, "signed on $b")
        }
    }

    @Test
    fun everyFieldReadsBackFromTheTransactionAndTheBlockBytes() {
        val txs = transactions()
        val previous = ByteArray(32) { (0xa0 + it).toByte() }
        val builder = BlockBuilder(height = 0x0102_0304_0506_0708, previousHash = previous).addAll(txs)
        val block = builder.build()
        assertEquals(builder.encodedSize, block.size)
        assertEquals(Ledger.HEADER_SIZE + txs.sumOf { 4 + it.size }, block.size)
        val le = ByteBuffer.wrap(block).order(ByteOrder.LITTLE_ENDIAN)
        assertEquals("HPB1", String(block, 0, 4, Charsets.US_ASCII))
        assertEquals(0x0102_0304_0506_0708, le.getLong(4))
        assertArrayEquals(previous, block.copyOfRange(12, 44))
        assertArrayEquals(builder.merkleRoot(), block.copyOfRange(44, 76))
        assertEquals(txs.size, le.getInt(76))
        var at = Ledger.HEADER_SIZE
        for ((i, tx) in txs.withIndex()) {
            val length = le.getInt(at)
            assertEquals(Ledger.TX_FIXED_SIZE + tx.payload.size, length)
            val bytes = block.copyOfRange(at + 4, at + 4 + length)
            assertArrayEquals(tx.toByteArray(), bytes)
            val fields = ByteBuffer.wrap(bytes).order(ByteOrder.LITTLE_ENDIAN)
            assertEquals(Transaction.VERSION, bytes[0].toInt())
            assertArrayEquals(publicKey(i % 3), tx.sender, "the sender is the secret key's public key")
            assertArrayEquals(tx.sender, bytes.copyOfRange(1, 33))
            assertArrayEquals(publicKey(10 + i), tx.recipient)
            assertArrayEquals(tx.recipient, bytes.copyOfRange(33, 65))
            assertEquals(1L + i * 1000, tx.amount)
            assertEquals(tx.amount, fields.getLong(65))
            assertEquals(i.toLong(), tx.fee)
            assertEquals(tx.fee, fields.getLong(73))
            assertEquals((i / 3).toLong(), tx.nonce)
            assertEquals(tx.nonce, fields.getLong(81))
            assertEquals(tx.payload.size, fields.getShort(89).toInt() and 0xffff)
            assertArrayEquals(tx.payload, bytes.copyOfRange(91, 91 + tx.payload.size))
            assertArrayEquals(tx.signature, bytes.copyOfRange(length - 64, length))
            assertTrue(Ed25519.verify(tx.sender, bytes.copyOf(length - 64), tx.signature), "the signature covers every preceding byte")
            at += 4 + length
        }
        assertEquals(block.size, at)
    }

    @Test
    fun headerRootIsMerkleRootOfTheTransactionsEncodings() {
        val txs = transactions()
        val encodings = txs.map { it.toByteArray() }
        for (b in BACKENDS) {
            val builder = BlockBuilder(1, ByteArray(32)).addAll(txs)
            val root = onBackend(b) { builder.merkleRoot() }
            assertArrayEquals(Merkle.root(encodings.toTypedArray()), root, "on $b")
            assertArrayEquals(CryptoInputs.naiveMerkleRoot(encodings), root, "on $b, against the independent oracle")
            assertArrayEquals(root, onBackend(b) { builder.build() }.copyOfRange(44, 76), "on $b")
        }
    }

    @Test
    fun emptyBlockIsTheHeaderWithTheEmptyTreeRootAndIsValid() {
        val block = BlockBuilder(0, ByteArray(32)).build()
        assertEquals(Ledger.HEADER_SIZE, block.size)
        assertEquals("e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855", CryptoInputs.hex(block.copyOfRange(44, 76)))
        assertValidEverywhere(block, 0)
    }

    @Test
    fun boundsOfEveryFieldAreAcceptedAndValid() {
        val extremes = listOf(
            Transaction.sign(secretKey(1), publicKey(2), amount = 1, fee = 0, nonce = 0),
            Transaction.sign(secretKey(1), publicKey(2), amount = Long.MAX_VALUE, fee = Long.MAX_VALUE, nonce = Long.MAX_VALUE),
            Transaction.sign(secretKey(1), ByteArray(32), amount = 7, fee = 0, nonce = 1, payload = ByteArray(Ledger.MAX_PAYLOAD) { -1 }),
        )
        assertEquals(Long.MAX_VALUE, extremes[1].amount)
        assertEquals(Ledger.TX_FIXED_SIZE + Ledger.MAX_PAYLOAD, extremes[2].size)
        assertValidEverywhere(BlockBuilder(Long.MAX_VALUE, ByteArray(32) { -1 }).addAll(extremes).build(), 3)
    }

    /** The README's "Building blocks" Kotlin snippet, verbatim between the markers. */
    private fun readmeSnippet(aliceSecret: ByteArray, bobSecret: ByteArray): ByteArray {
        val alicePublic = Ed25519.publicKey(aliceSecret)
        val bobPublic = Ed25519.publicKey(bobSecret)
        // readme-kotlin:begin
        val pay = Transaction.sign(aliceSecret, bobPublic, amount = 250, fee = 1, nonce = 0, payload = "hi".toByteArray())
        val block: ByteArray = BlockBuilder(height = 1, previousHash = ByteArray(32))
            .add(pay)
            .add(Transaction.sign(bobSecret, alicePublic, amount = 100, fee = 1, nonce = 0))
            .build()                                                   // or writeTo(buffer): at its position, which advances
        check(Ledger.validateBlock(block).isValid)
        // readme-kotlin:end
        return block
    }

    @Test
    fun readmeKotlinSnippetBuildsTheDocsWorkedExample() {
        for (b in BACKENDS) {
            assertArrayEquals(LedgerTest.docExample(), onBackend(b) { readmeSnippet(secretKey(1), secretKey(2)) }, "on $b")
        }
    }

    @Test
    fun readmeSnippetsAreTheOnesTheseTestsRun() {
        val readme = Files.readString(Paths.get("..", "README.md")).substringAfter("#### Building blocks\n")
        fun readmeBlock(language: String) = readme.substringAfter("```$language\n").substringBefore("```").trimEnd()
        fun tested(source: String, marker: String): String {
            val text = Files.readString(Paths.get("src", "test", source))
            return text.substringAfter("// $marker:begin\n").substringBefore("// $marker:end").trimEnd().trimIndent()
        }
        assertTrue(readmeBlock("kotlin").contains("BlockBuilder(") && readmeBlock("java").contains("new BlockBuilder("), readme.take(300))
        assertEquals(tested("kotlin/dev/hotpath/BlockBuilderTest.kt", "readme-kotlin"), readmeBlock("kotlin"), "README's Kotlin snippet")
        assertEquals(tested("java/dev/hotpath/BlockBuilderJavaTest.java", "readme-java"), readmeBlock("java"), "README's Java snippet")
    }

    /** [call]'s exception of type [T], whose message must be [message]. */
    private inline fun <reified T : Throwable> assertRefused(message: String, noinline call: () -> Unit) {
        val e = assertThrows(T::class.java, call)
        assertEquals(message, e.message)
    }

    @Test
    fun signRefusesEachArgumentOutOfBoundsNamingItsValueAndTheBound() {
        val key = secretKey(1)
        val to = publicKey(2)
        assertRefused<IllegalArgumentException>("secretKey has 31 bytes, expected 32") { Transaction.sign(ByteArray(31), to, 1, 0, 0) }
        assertRefused<IllegalArgumentException>("secretKey has 64 bytes, expected 32") { Transaction.sign(ByteArray(64), to, 1, 0, 0) }
        assertRefused<IllegalArgumentException>("recipient has 0 bytes, expected 32") { Transaction.sign(key, ByteArray(0), 1, 0, 0) }
        assertRefused<IllegalArgumentException>("recipient has 33 bytes, expected 32") { Transaction.sign(key, ByteArray(33), 1, 0, 0) }
        assertRefused<IllegalArgumentException>("amount is 0, expected at least 1") { Transaction.sign(key, to, 0, 0, 0) }
        assertRefused<IllegalArgumentException>("amount is -1, expected at least 1") { Transaction.sign(key, to, -1, 0, 0) }
        assertRefused<IllegalArgumentException>("amount is ${Long.MIN_VALUE}, expected at least 1") { Transaction.sign(key, to, Long.MIN_VALUE, 0, 0) }
        assertRefused<IllegalArgumentException>("fee is -1, expected at least 0") { Transaction.sign(key, to, 1, -1, 0) }
        assertRefused<IllegalArgumentException>("nonce is -1, expected at least 0") { Transaction.sign(key, to, 1, 0, -1) }
        assertRefused<IllegalArgumentException>("payload has 1025 bytes, expected at most 1024") {
            Transaction.sign(key, to, 1, 0, 0, ByteArray(Ledger.MAX_PAYLOAD + 1))
        }
        // The first wrong argument decides, before any key is derived.
        assertRefused<IllegalArgumentException>("secretKey has 1 bytes, expected 32") { Transaction.sign(ByteArray(1), ByteArray(1), 0, -1, -1) }
    }

    @Test
    fun builderRefusesANegativeHeightAndAPreviousHashOfAnotherLength() {
        assertRefused<IllegalArgumentException>("height is -1, expected at least 0") { BlockBuilder(-1, ByteArray(32)) }
        assertRefused<IllegalArgumentException>("previousHash has 31 bytes, expected 32") { BlockBuilder(0, ByteArray(31)) }
        assertRefused<IllegalArgumentException>("previousHash has 33 bytes, expected 32") { BlockBuilder(0, ByteArray(33)) }
    }

    @Test
    fun addAllTakesAllInOrderOrNoneWhenAnElementIsNull() {
        val txs = transactions()
        val builder = BlockBuilder(1, ByteArray(32)).add(txs[0])
        @Suppress("UNCHECKED_CAST")
        val withNull = listOf(txs[1], null, txs[2]) as List<Transaction>
        assertRefused<NullPointerException>("transactions[1] is null") { builder.addAll(withNull) }
        assertEquals(1, builder.transactionCount)
        builder.addAll(txs.subList(1, 3)).add(txs[3])
        assertArrayEquals(built(txs.subList(0, 4), height = 1, previous = ByteArray(32)), builder.build())
    }

    @Test
    fun aBlockPastTheLargestArrayIsRefusedAndNothingIsAdded() {
        val largest = Transaction.sign(secretKey(1), publicKey(2), 1, 0, 0, ByteArray(Ledger.MAX_PAYLOAD))
        val perTx = 4 + largest.size
        val builder = BlockBuilder(1, ByteArray(32))
        // The same transaction over and over: the builder holds references, so this costs no memory.
        val fits = (BlockBuilder.MAX_BLOCK_SIZE - Ledger.HEADER_SIZE) / perTx
        builder.addAll(List(fits) { largest })
        val size = Ledger.HEADER_SIZE + fits.toLong() * perTx
        assertEquals(size, builder.encodedSize.toLong())
        assertRefused<IllegalStateException>(
            "the block would have ${size + perTx} bytes with ${fits + 1} transactions, more than MAX_BLOCK_SIZE (2147483639)",
        ) { builder.add(largest) }
        assertThrows(IllegalStateException::class.java) { builder.addEncoded(ByteArray(BlockBuilder.MAX_BLOCK_SIZE - size.toInt())) }
        assertEquals(fits, builder.transactionCount)
        assertEquals(size, builder.encodedSize.toLong())
        builder.addEncoded(ByteArray(BlockBuilder.MAX_BLOCK_SIZE - size.toInt() - 4))
        assertEquals(BlockBuilder.MAX_BLOCK_SIZE, builder.encodedSize)
    }

    @Test
    fun argumentsAreCopiedInAndAccessorsReturnCopies() {
        val key = secretKey(3)
        val to = publicKey(4)
        val payload = byteArrayOf(1, 2, 3)
        val tx = Transaction.sign(key, to, 5, 6, 7, payload)
        val before = tx.toByteArray()
        key[0] = 99
        to[0] = (to[0] + 1).toByte()
        payload[0] = 99
        for (copy in listOf(tx.sender, tx.recipient, tx.payload, tx.signature, tx.toByteArray())) copy.fill(0)
        assertArrayEquals(before, tx.toByteArray())

        val previous = ByteArray(32)
        val raw = tx.toByteArray()
        val builder = BlockBuilder(1, previous).addEncoded(raw)
        val block = builder.build()
        previous[0] = 1
        raw[0] = 2
        builder.previousHash.fill(3)
        assertArrayEquals(block, builder.build())
        assertArrayEquals(ByteArray(32), builder.previousHash)
    }

    @Test
    fun encodedTransactionsAreKeptAsTheyAreAndJudgedByTheValidator() {
        val good = Transaction.sign(secretKey(1), publicKey(2), 10, 1, 0)
        val badSignature = good.toByteArray().also { it[it.size - 1] = (it[it.size - 1] + 1).toByte() }
        val block = BlockBuilder(1, ByteArray(32)).add(good).addEncoded(badSignature).addEncoded(ByteArray(0)).addEncoded(good.toByteArray()).build()
        for (b in BACKENDS) {
            val r = onBackend(b) { Ledger.validateBlock(block) }
            assertEquals(null, r.error, "framing and root are right whatever the transactions hold, on $b")
            assertEquals(listOf(TxStatus.OK, TxStatus.BAD_SIGNATURE, TxStatus.MALFORMED, TxStatus.DUPLICATE_NONCE), r.statuses, "on $b")
            assertFalse(r.isValid)
        }
    }

    @Test
    fun buildCanBeCalledAgainAfterMoreTransactions() {
        val txs = transactions()
        val builder = BlockBuilder(9, ByteArray(32)).add(txs[0])
        val first = builder.build()
        assertArrayEquals(first, builder.build())
        val second = builder.add(txs[1]).build()
        assertArrayEquals(built(txs.subList(0, 2), height = 9, previous = ByteArray(32)), second)
        assertNotEquals(CryptoInputs.hex(first.copyOfRange(44, 76)), CryptoInputs.hex(second.copyOfRange(44, 76)))
        assertEquals(2, builder.transactionCount)
        assertEquals(9, builder.height)
    }

    @Test
    fun writeToPutsTheBlockAtThePositionAndAdvancesIt() {
        val builder = BlockBuilder(5, ByteArray(32) { 7 }).addAll(transactions().take(3))
        val expected = builder.build()
        for (buffer in listOf(ByteBuffer.allocate(expected.size + 20), ByteBuffer.allocateDirect(expected.size + 20))) {
            buffer.order(ByteOrder.BIG_ENDIAN).position(11).limit(expected.size + 15)
            builder.writeTo(buffer)
            assertEquals(11 + expected.size, buffer.position())
            assertEquals(expected.size + 15, buffer.limit())
            assertEquals(ByteOrder.BIG_ENDIAN, buffer.order(), "the buffer's order is the caller's")
            val written = ByteArray(expected.size)
            buffer.duplicate().position(11).get(written)
            assertArrayEquals(expected, written)
            assertEquals(0, buffer.get(10).toInt())
        }
    }

    @Test
    fun writeToABufferWithoutRoomOrReadOnlyWritesNothing() {
        val builder = BlockBuilder(5, ByteArray(32)).addAll(transactions().take(2))
        val small = ByteBuffer.allocate(builder.encodedSize + 2).position(3)
        assertRefused<IllegalArgumentException>(
            "buffer has ${builder.encodedSize - 1} bytes remaining (position 3, limit ${builder.encodedSize + 2}), the block needs ${builder.encodedSize}",
        ) { builder.writeTo(small) }
        assertEquals(3, small.position())
        assertTrue(small.array().all { it.toInt() == 0 })
        assertThrows(ReadOnlyBufferException::class.java) { builder.writeTo(ByteBuffer.allocate(builder.encodedSize).asReadOnlyBuffer()) }
    }

    @Test
    fun transactionsAreEqualByTheirBytesAndSayTheirFields() {
        val a = Transaction.sign(secretKey(1), publicKey(2), 250, 1, 3, "hi".toByteArray())
        val same = Transaction.sign(secretKey(1), publicKey(2), 250, 1, 3, "hi".toByteArray())
        val other = Transaction.sign(secretKey(1), publicKey(2), 250, 1, 4, "hi".toByteArray())
        assertEquals(a, same)
        assertEquals(a.hashCode(), same.hashCode())
        assertNotEquals(a, other)
        val text = a.toString()
        assertTrue(text.contains("amount=250, fee=1, nonce=3, payload=2 bytes"), text)
        assertTrue(text.startsWith("Transaction(sender=" + CryptoInputs.hex(publicKey(1)).take(8)), text)
    }
}
