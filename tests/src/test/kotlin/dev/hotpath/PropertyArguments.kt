package dev.hotpath

import dev.hotpath.jvm.Ed25519Reference
import java.nio.ByteBuffer
import java.nio.ByteOrder
import java.util.SplittableRandom

/**
 * Argument generators for [PropertyTest], one per public static entry point (keyed as
 * `Class.method(paramTypes)`), each a pure function of its random source so every backend gets
 * the same arguments: nulls, empty, one element, odd lengths, ranges out of bounds, NaN and
 * infinities, wrong key and signature lengths, null batch elements, heap / direct / read-only /
 * sliced buffers at odd positions in both byte orders, mutated blocks.
 */
object PropertyArguments {
    private val LENGTHS = intArrayOf(0, 1, 2, 3, 7, 8, 9, 31, 32, 33, 63, 64, 65, 1023, 1024, 1025, 4099)

    /** Entry points whose result is random by design: compared by size only. */
    val randomResults: Set<String> = setOf("Ed25519.generateSecretKey()")

    private fun SplittableRandom.chance(percent: Int) = nextInt(100) < percent

    private fun SplittableRandom.length(): Int = if (chance(5)) nextInt(70_000) else LENGTHS[nextInt(LENGTHS.size)]

    fun bytes(r: SplittableRandom, nulls: Boolean = true): ByteArray? =
        if (nulls && r.chance(5)) null else ByteArray(r.length()).also { r.nextBytes(it) }

    private fun sized(r: SplittableRandom, expected: Int): ByteArray? = when (r.nextInt(10)) {
        0 -> null
        1 -> ByteArray(expected - 1)
        2 -> ByteArray(expected + 1)
        3 -> ByteArray(0)
        else -> ByteArray(expected).also { r.nextBytes(it) }
    }

    private val SPECIAL_LONGS = longArrayOf(0, 1, -1, Long.MIN_VALUE, Long.MAX_VALUE, Int.MIN_VALUE.toLong(), Int.MAX_VALUE.toLong())
    private val SPECIAL_DOUBLES = doubleArrayOf(
        0.0, -0.0, 1.0, -1.0, Double.NaN, Double.POSITIVE_INFINITY, Double.NEGATIVE_INFINITY,
        Double.MAX_VALUE, -Double.MAX_VALUE, Double.MIN_VALUE, 1e308, 1e-308, 1e16, -1e16,
    )

    private fun long(r: SplittableRandom) = if (r.nextBoolean()) SPECIAL_LONGS[r.nextInt(SPECIAL_LONGS.size)] else r.nextLong()
    private fun double(r: SplittableRandom) =
        if (r.nextBoolean()) SPECIAL_DOUBLES[r.nextInt(SPECIAL_DOUBLES.size)] else (r.nextDouble() - 0.5) * Math.pow(10.0, r.nextInt(-20, 20).toDouble())

    private fun longs(r: SplittableRandom): LongArray? = if (r.chance(5)) null else LongArray(r.length()) { long(r) }

    private fun doubles(r: SplittableRandom): DoubleArray? {
        if (r.chance(5)) return null
        val finite = r.nextBoolean() // half the arrays without NaN/infinities, so sums are not all NaN
        return DoubleArray(r.length()) { var d = double(r); if (finite && !d.isFinite()) d = 1.5; d }
    }

    private fun index(r: SplittableRandom, size: Int): Int = when (r.nextInt(8)) {
        0 -> -1
        1 -> size + 1
        2 -> Int.MIN_VALUE
        3 -> Int.MAX_VALUE
        else -> if (size == 0) 0 else r.nextInt(size + 1)
    }

    private fun range(r: SplittableRandom, array: Any?, size: Int): Array<Any?> {
        val a = index(r, size)
        val b = index(r, size)
        return if (r.chance(85)) arrayOf(array, minOf(a, b), maxOf(a, b)) else arrayOf(array, a, b)
    }

    /** [content] in a buffer of a random kind, at an odd position, with a random byte order. */
    fun buffer(r: SplittableRandom, content: ByteArray?): ByteBuffer? {
        if (content == null) return null
        val before = r.nextInt(0, 10)
        val after = r.nextInt(0, 4)
        val whole = ByteArray(before + content.size + after).also { r.nextBytes(it); content.copyInto(it, before) }
        var b: ByteBuffer = if (r.nextBoolean()) ByteBuffer.allocateDirect(whole.size).put(whole).clear() else ByteBuffer.wrap(whole)
        if (before >= 1 && r.nextBoolean()) {
            b = b.position(1).slice() // a slice: arrayOffset 1 for a heap buffer
            b.position(before - 1)
        } else {
            b.position(before)
        }
        b.limit(b.position() + content.size)
        if (r.nextBoolean()) b = b.asReadOnlyBuffer()
        return b.order(if (r.nextBoolean()) ByteOrder.BIG_ENDIAN else ByteOrder.LITTLE_ENDIAN)
    }

    private fun batch(r: SplittableRandom, elementSize: Int? = null): Array<ByteArray?>? {
        if (r.chance(4)) return null
        val n = if (r.chance(10)) 0 else r.nextInt(1, 20)
        return Array(n) { if (r.chance(3)) null else if (elementSize != null) sized(r, elementSize) else ByteArray(r.nextInt(0, 300)).also { r.nextBytes(it) } }
    }

    private val secrets = List(4) { LedgerBlocks.secretKey(it) }

    private fun signed(r: SplittableRandom): Triple<ByteArray?, ByteArray?, ByteArray?> {
        val k = r.nextInt(secrets.size)
        val message = bytes(r, nulls = false)!!
        var pk: ByteArray? = LedgerBlocks.publicKey(k)
        var sig: ByteArray? = Ed25519Reference.sign(secrets[k], message)
        var msg: ByteArray? = message
        when (r.nextInt(8)) {
            0 -> sig = sig!!.copyOf().also { it[r.nextInt(64)] = (it[r.nextInt(64)] + 1).toByte() }
            1 -> msg = if (message.isEmpty()) byteArrayOf(1) else message.copyOf(message.size - 1)
            2 -> pk = sized(r, 32)
            3 -> sig = sized(r, 64)
            4 -> msg = null
            5 -> pk = ByteArray(32).also { r.nextBytes(it) }
        }
        return Triple(pk, msg, sig)
    }

    private val baseBlocks by lazy {
        listOf(0, 1, 3).map { n -> LedgerBlocks.block(LedgerBlocks.validTxs(n)) }
    }

    private fun block(r: SplittableRandom): ByteArray? {
        if (r.chance(3)) return null
        val b = baseBlocks[r.nextInt(baseBlocks.size)].copyOf()
        return when (r.nextInt(6)) {
            0 -> b
            1 -> b.also { repeat(1 + r.nextInt(4)) { _ -> val i = r.nextInt(it.size); it[i] = (it[i].toInt() xor (1 shl r.nextInt(8))).toByte() } }
            2 -> b.copyOf(r.nextInt(b.size))
            3 -> b + byteArrayOf(r.nextInt(256).toByte())
            4 -> LedgerBlocks.withCount(b, longArrayOf(0xffff_ffffL, 0x7fff_ffffL, 1, 4)[r.nextInt(4)])
            else -> ByteArray(r.nextInt(200)).also { r.nextBytes(it) }
        }
    }

    private fun amount(r: SplittableRandom) = longArrayOf(0, 1, -1, 1000, Long.MAX_VALUE, Long.MIN_VALUE)[r.nextInt(6)]

    val generators: Map<String, (SplittableRandom) -> Array<Any?>> = mapOf(
        "Numeric.sum(long[])" to { r -> arrayOf(longs(r)) },
        "Numeric.sum(long[],int,int)" to { r -> longs(r).let { range(r, it, it?.size ?: 0) } },
        "Numeric.sum(double[])" to { r -> arrayOf(doubles(r)) },
        "Numeric.sum(double[],int,int)" to { r -> doubles(r).let { range(r, it, it?.size ?: 0) } },
        "Numeric.sumExact(double[])" to { r -> arrayOf(doubles(r)) },
        "Numeric.stats(double[])" to { r -> arrayOf(doubles(r)) },
        "Numeric.scale(long[],long)" to { r -> arrayOf(longs(r), long(r)) },
        "Numeric.scale(double[],double)" to { r -> arrayOf(doubles(r), double(r)) },
        "Numeric.sumLongs(ByteBuffer)" to { r -> arrayOf(buffer(r, bytes(r))) },
        "Numeric.sumDoubles(ByteBuffer)" to { r -> arrayOf(buffer(r, bytes(r))) },
        "Blake3.hash(byte[])" to { r -> arrayOf(bytes(r)) },
        "Blake3.hash(ByteBuffer)" to { r -> arrayOf(buffer(r, bytes(r))) },
        "Blake3.hash(byte[],int)" to { r -> arrayOf(bytes(r), intArrayOf(-1, Int.MIN_VALUE, 0, 1, 32, 33, 1025, 70_000)[r.nextInt(8)]) },
        "Blake3.keyedHash(byte[],byte[])" to { r -> arrayOf(sized(r, 32), bytes(r)) },
        "Blake3.keyedHash(byte[],byte[],int)" to { r -> arrayOf(sized(r, 32), bytes(r), intArrayOf(-1, 0, 1, 32, 65, 3000)[r.nextInt(6)]) },
        "Blake3.hashBatch(byte[][])" to { r -> arrayOf(batch(r)) },
        "Sha256.hash(byte[])" to { r -> arrayOf(bytes(r)) },
        "Sha256.hashBatch(byte[][])" to { r -> arrayOf(batch(r)) },
        "Merkle.root(byte[][])" to { r -> arrayOf(batch(r)) },
        "Ed25519.generateSecretKey()" to { _ -> arrayOf() },
        "Ed25519.publicKey(byte[])" to { r -> arrayOf(sized(r, 32)) },
        "Ed25519.sign(byte[],byte[])" to { r -> arrayOf(sized(r, 32), bytes(r)) },
        "Ed25519.verify(byte[],byte[],byte[])" to { r -> signed(r).let { arrayOf(it.first, it.second, it.third) } },
        "Ed25519.verifyBatch(byte[][],byte[][],byte[][])" to { r ->
            val n = r.nextInt(0, 12)
            val t = List(n) { signed(r) }
            val pks: Array<ByteArray?> = Array(n) { t[it].first }
            val msgs: Array<ByteArray?> = Array(n + if (r.chance(8)) 1 else 0) { t.getOrNull(it)?.second ?: ByteArray(0) }
            val sigs: Array<ByteArray?> = Array(n) { t[it].third }
            arrayOf(if (r.chance(4)) null else pks, msgs, sigs)
        },
        "Ledger.validateBlock(byte[])" to { r -> arrayOf(block(r)) },
        "Ledger.validateBlock(ByteBuffer)" to { r -> arrayOf(buffer(r, block(r))) },
        "Transaction.sign(byte[],byte[],long,long,long)" to { r -> arrayOf(sized(r, 32), sized(r, 32), amount(r), amount(r), amount(r)) },
        "Transaction.sign(byte[],byte[],long,long,long,byte[])" to { r ->
            arrayOf(sized(r, 32), sized(r, 32), amount(r), amount(r), amount(r), if (r.chance(5)) null else ByteArray(intArrayOf(0, 1, 1024, 1025)[r.nextInt(4)]))
        },
    )

    /** A value as comparable text: arrays by content, doubles by bits, buffers by state and content. */
    fun normalize(v: Any?): String = when (v) {
        null -> "null"
        // Known difference, reported: a NaN result's sign bit differs between backends (sum, stats),
        // so NaNs compare as NaN until that is fixed; every other double compares by bits.
        is Double -> if (v.isNaN()) "NaN" else "double:" + java.lang.Long.toHexString(v.toRawBits())
        is ByteArray -> "bytes:" + v.joinToString("") { "%02x".format(it) }
        is LongArray -> "longs:" + v.joinToString(",")
        is DoubleArray -> "doubles:" + v.joinToString(",") { java.lang.Long.toHexString(it.toRawBits()) }
        is BooleanArray -> "booleans:" + v.joinToString(",")
        is Array<*> -> "array:" + v.joinToString(",", "[", "]") { normalize(it) }
        is ByteBuffer -> "buffer(pos=${v.position()},lim=${v.limit()},order=${v.order()},ro=${v.isReadOnly})"
        is Transaction -> "tx:" + normalize(v.toByteArray())
        is BlockReport -> "report:$v root=${normalize(v.merkleRoot)} statuses=${v.statuses}"
        is Stats -> "stats:" + listOf(v.count.toDouble(), v.sum, v.sumOfSquaredDeviations, v.min, v.max)
            .joinToString(",") { normalize(it) }
        else -> v.javaClass.simpleName + ":" + v
    }
}
