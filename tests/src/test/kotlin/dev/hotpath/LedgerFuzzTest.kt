package dev.hotpath

import dev.hotpath.LedgerBlocks.Tx
import dev.hotpath.LedgerBlocks.block
import dev.hotpath.LedgerBlocks.signedAnyway
import org.junit.jupiter.api.AfterEach
import org.junit.jupiter.api.Assertions.assertEquals
import org.junit.jupiter.api.Assertions.assertTrue
import org.junit.jupiter.api.BeforeAll
import org.junit.jupiter.api.Test
import java.util.SplittableRandom

/**
 * Random and mutated blocks through both backends, as a fuzzer would send them: each call gives
 * a report (never an exception, never a crash), the native and JVM reports are equal, and every
 * report is self-consistent. The mutations are those of rust/core/tests/ledger.rs: bit flips,
 * truncations, length fields set to huge values, counts off by one, inserted and deleted bytes.
 * Seeded by [NumericInputs] (the seed is in every failure message); bounded in rounds, and by a
 * time budget so a slow machine (or -Xcheck:jni) does not stretch it.
 */
class LedgerFuzzTest {
    companion object {
        @JvmStatic
        @BeforeAll
        fun nativeLibraryIsAvailable() = NumericInputs.requireNative()

        private const val ROUNDS = 1500
        private const val BUDGET_NANOS = 12_000_000_000L
    }

    @AfterEach
    fun restoreAutoBackend() {
        Hotpath.backend = Backend.AUTO
    }

    private fun validate(backend: Backend, bytes: ByteArray): BlockReport {
        Hotpath.backend = backend
        return Ledger.validateBlock(bytes)
    }

    private fun assertConsistent(r: BlockReport, size: Int, context: String) {
        val framingBroken = r.error == BlockError.BAD_MAGIC || r.error == BlockError.TRUNCATED || r.error == BlockError.TRAILING_BYTES
        assertEquals(framingBroken, r.merkleRoot == null, context)
        if (framingBroken) {
            assertTrue(r.statuses.isEmpty(), context)
            assertTrue(r.txCount >= 0, context)
        } else {
            assertEquals(r.txCount, r.statuses.size, context)
            assertTrue(r.txCount <= (size - 80) / 4, context)
            assertEquals(32, r.merkleRoot!!.size, context)
        }
        assertEquals(r.error == null && r.statuses.all { it == TxStatus.OK }, r.isValid, context)
    }

    private fun mutate(b: ByteArray, rnd: SplittableRandom): ByteArray {
        val n = maxOf(b.size, 1)
        return when (rnd.nextInt(9)) {
            0 -> b.copyOf().also { c -> repeat(1 + rnd.nextInt(4)) { if (c.isNotEmpty()) { val i = rnd.nextInt(c.size); c[i] = (c[i].toInt() xor (1 shl rnd.nextInt(8))).toByte() } } }
            1 -> b.copyOf(rnd.nextInt(n))
            2 -> b.copyOf().also { c ->
                val at = if (rnd.nextBoolean()) 76 else 80
                val huge = longArrayOf(0xffff_ffffL, 0x8000_0000L, 0x7fff_ffffL, b.size + 1L)[rnd.nextInt(4)]
                if (c.size >= at + 4) for (i in 0 until 4) c[at + i] = (huge ushr (8 * i)).toByte()
            }
            3 -> b.copyOf().also { c -> if (c.size > 76) c[76] = (c[76] + if (rnd.nextBoolean()) 1 else -1).toByte() }
            4 -> b + ByteArray(rnd.nextInt(10)).also { rnd.nextBytes(it) }
            5 -> if (b.isEmpty()) b else rnd.nextInt(b.size).let { i -> b.copyOfRange(0, i) + b.copyOfRange(i + 1, b.size) }
            6 -> rnd.nextInt(n).coerceAtMost(b.size).let { i -> b.copyOfRange(0, i) + byteArrayOf(rnd.nextInt(256).toByte()) + b.copyOfRange(i, b.size) }
            7 -> b.copyOf().also { c -> val i = rnd.nextInt(n); for (j in i until minOf(i + 40, c.size)) c[j] = rnd.nextInt(256).toByte() }
            else -> b.copyOf(rnd.nextInt(n)) + "HPB1".toByteArray()
        }
    }

    @Test
    fun randomAndMutatedBlocksGiveEqualConsistentReportsOnBothBackends() {
        val rnd = NumericInputs.random("ledger-fuzz")
        val bases = listOf(0, 1, 2, 3, 5).map { n ->
            block(List(n) { signedAnyway(Tx(sender = it % 3, nonce = it.toLong() % 4, payload = ByteArray(it * 3)), amount = (it % 3).toLong()) })
        }
        val start = System.nanoTime()
        var rounds = 0
        val errors = HashSet<BlockError?>()
        val statuses = HashSet<TxStatus>()
        while (rounds < ROUNDS && System.nanoTime() - start < BUDGET_NANOS) {
            val bytes = if (rounds % 5 == 4) {
                ByteArray(rnd.nextInt(300)).also { rnd.nextBytes(it) }.also { if (it.size >= 4 && rnd.nextBoolean()) "HPB1".toByteArray().copyInto(it) }
            } else {
                var b = bases[rounds % bases.size]
                repeat(1 + rnd.nextInt(3)) { b = mutate(b, rnd) }
                b
            }
            val context = "round $rounds, block ${LedgerBlocks.hexDump(bytes)}, ${NumericInputs.seedNote}"
            val native = validate(Backend.NATIVE, bytes)
            val jvm = validate(Backend.JVM, bytes)
            assertEquals(jvm, native, context)
            assertConsistent(native, bytes.size, context)
            errors += native.error
            statuses += native.statuses
            rounds++
        }
        assertTrue(rounds >= 100, "only $rounds rounds ran")
        // The mutations reach every framing error and the per-transaction checks.
        assertTrue(errors.containsAll(listOf(BlockError.BAD_MAGIC, BlockError.TRUNCATED, BlockError.TRAILING_BYTES, BlockError.MERKLE_MISMATCH)), "$errors")
        assertTrue(statuses.containsAll(listOf(TxStatus.OK, TxStatus.MALFORMED, TxStatus.BAD_SIGNATURE)), "$statuses")
    }
}
