package dev.hotpath

import dev.hotpath.NumericInputs.onBackend
import dev.hotpath.jvm.Ed25519Reference
import org.bouncycastle.crypto.params.Ed25519PrivateKeyParameters
import org.bouncycastle.crypto.params.Ed25519PublicKeyParameters
import org.bouncycastle.crypto.signers.Ed25519Signer
import org.junit.jupiter.api.AfterEach
import org.junit.jupiter.api.Assertions.assertArrayEquals
import org.junit.jupiter.api.Assertions.assertEquals
import org.junit.jupiter.api.Assertions.assertFalse
import org.junit.jupiter.api.Assertions.assertThrows
import org.junit.jupiter.api.Assertions.assertTrue
import org.junit.jupiter.api.BeforeAll
import org.junit.jupiter.api.Test
import org.junit.jupiter.params.ParameterizedTest
import org.junit.jupiter.params.provider.MethodSource
import org.junit.jupiter.params.provider.ValueSource
import java.math.BigInteger
import java.util.SplittableRandom

/** The vectors under `tests/src/test/resources/vectors`, and seeded random signatures. */
object Ed25519Vectors {
    class Vector(val name: String, val secretKey: ByteArray, val publicKey: ByteArray, val message: ByteArray, val signature: ByteArray) {
        override fun toString(): String = name
    }

    class Case(val index: Int, val message: ByteArray, val publicKey: ByteArray, val signature: ByteArray) {
        override fun toString(): String = "speccheck case $index"
    }

    /** docs/ed25519.md: the answer to each of the 12 speccheck cases, by index. */
    val SPECCHECK_EXPECTED: BooleanArray =
        booleanArrayOf(false, false, false, true, true, true, false, false, false, false, false, false)

    /** The group order L. */
    val L: BigInteger = BigInteger.ONE.shiftLeft(252).add(BigInteger("27742317777372353535851937790883648493"))

    fun hex(s: String): ByteArray =
        if (s == "-") ByteArray(0) else ByteArray(s.length / 2) { s.substring(2 * it, 2 * it + 2).toInt(16).toByte() }

    private fun records(resource: String): List<List<String>> =
        Ed25519Vectors::class.java.getResourceAsStream(resource)!!.bufferedReader().readLines()
            .filter { it.isNotBlank() && !it.startsWith("#") }
            .map { it.trim().split(Regex("\\s+")) }

    val rfc8032: List<Vector> by lazy {
        records("/vectors/rfc8032-ed25519.txt").map { Vector(it[0], hex(it[1]), hex(it[2]), hex(it[3]), hex(it[4])) }
    }

    val speccheck: List<Case> by lazy {
        records("/vectors/speccheck-ed25519.txt").map { Case(it[0].toInt(), hex(it[1]), hex(it[2]), hex(it[3])) }
    }

    /** A valid (key, message, signature), signed natively. */
    class Signed(val secretKey: ByteArray, val publicKey: ByteArray, val message: ByteArray, val signature: ByteArray)

    fun signed(n: Int, rnd: SplittableRandom): List<Signed> {
        val previous = Hotpath.backend
        Hotpath.backend = Backend.NATIVE
        try {
            return List(n) {
                val secret = ByteArray(32).also { rnd.nextBytes(it) }
                val message = ByteArray(rnd.nextInt(200)).also { rnd.nextBytes(it) }
                Signed(secret, Ed25519.publicKey(secret), message, Ed25519.sign(secret, message))
            }
        } finally {
            Hotpath.backend = previous
        }
    }

    /** `signature` with `S` replaced by `S + L`: the same scalar mod L, but not below L. */
    fun withSPlusL(signature: ByteArray): ByteArray {
        val s = BigInteger(1, signature.copyOfRange(32, 64).reversedArray()).add(L)
        val big = s.toByteArray()
        val out = signature.copyOf()
        for (i in 0 until 32) out[32 + i] = if (i < big.size) big[big.size - 1 - i] else 0
        check(s.bitLength() <= 256)
        return out
    }
}

/**
 * Ed25519 through the public API on [Backend.NATIVE], [Backend.JVM] and [Backend.AUTO], and the
 * JVM twin directly: RFC 8032 vectors, the speccheck cases with the answers docs/ed25519.md
 * promises (alone and inside batches), cross-checks between the backends and against
 * BouncyCastle, and argument errors.
 */
class Ed25519Test {
    companion object {
        private val BACKENDS = listOf(Backend.NATIVE, Backend.JVM, Backend.AUTO)

        @JvmStatic
        @BeforeAll
        fun nativeLibraryIsAvailable() = NumericInputs.requireNative()

        @JvmStatic
        fun rfc8032(): List<Ed25519Vectors.Vector> = Ed25519Vectors.rfc8032

        @JvmStatic
        fun speccheck(): List<Ed25519Vectors.Case> = Ed25519Vectors.speccheck
    }

    @AfterEach
    fun restoreAutoBackend() {
        Hotpath.backend = Backend.AUTO
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("rfc8032")
    fun rfc8032VectorGivesItsPublicKeyAndSignatureAndVerifiesOnEveryBackend(v: Ed25519Vectors.Vector) {
        for (b in BACKENDS) {
            onBackend(b) {
                assertArrayEquals(v.publicKey, Ed25519.publicKey(v.secretKey), "publicKey on $b")
                assertArrayEquals(v.signature, Ed25519.sign(v.secretKey, v.message), "sign on $b")
                assertTrue(Ed25519.verify(v.publicKey, v.message, v.signature), "verify on $b")
                assertFalse(Ed25519.verify(v.publicKey, v.message + 0, v.signature), "longer message on $b")
            }
        }
        assertArrayEquals(v.publicKey, Ed25519Reference.publicKey(v.secretKey))
        assertArrayEquals(v.signature, Ed25519Reference.sign(v.secretKey, v.message))
        assertTrue(Ed25519Reference.verify(v.publicKey, v.message, v.signature))
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("speccheck")
    fun speccheckCaseGetsTheDocumentedAnswerOnEveryBackend(c: Ed25519Vectors.Case) {
        val expected = Ed25519Vectors.SPECCHECK_EXPECTED[c.index]
        for (b in BACKENDS) {
            onBackend(b) {
                assertEquals(expected, Ed25519.verify(c.publicKey, c.message, c.signature), "verify on $b")
                val batch = Ed25519.verifyBatch(arrayOf(c.publicKey), arrayOf(c.message), arrayOf(c.signature))
                assertArrayEquals(booleanArrayOf(expected), batch, "verifyBatch alone on $b")
            }
        }
        assertEquals(expected, Ed25519Reference.verify(c.publicKey, c.message, c.signature), "the twin")
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("speccheck")
    fun speccheckCaseInsideBatchesOfValidSignaturesInEveryPosition(c: Ed25519Vectors.Case) {
        val expected = Ed25519Vectors.SPECCHECK_EXPECTED[c.index]
        val valid = Ed25519Vectors.signed(129, SplittableRandom(c.index.toLong()))
        for (size in intArrayOf(2, 9, 65, 130)) {
            val positions = if (size <= 65) 0 until size else listOf(0, 1, 63, 64, 65, 127, 128, 129)
            for (position in positions) {
                val items = valid.take(size - 1).toMutableList()
                val keys = items.map { it.publicKey }.toMutableList().apply { add(position, c.publicKey) }
                val messages = items.map { it.message }.toMutableList().apply { add(position, c.message) }
                val signatures = items.map { it.signature }.toMutableList().apply { add(position, c.signature) }
                val want = BooleanArray(size) { it != position || expected }
                val backends = if (size == 9 && position % 4 == 0) BACKENDS else listOf(Backend.NATIVE)
                for (b in backends) {
                    val got = onBackend(b) { Ed25519.verifyBatch(keys.toTypedArray(), messages.toTypedArray(), signatures.toTypedArray()) }
                    assertArrayEquals(want, got, "$c in a batch of $size at $position on $b")
                }
            }
        }
    }

    @Test
    fun allTwelveSpeccheckCasesInOneBatchWithValidOnesAnswerAsAlone() {
        val valid = Ed25519Vectors.signed(40, SplittableRandom(12))
        val keys = valid.map { it.publicKey }.toMutableList()
        val messages = valid.map { it.message }.toMutableList()
        val signatures = valid.map { it.signature }.toMutableList()
        val want = MutableList(40) { true }
        for (c in Ed25519Vectors.speccheck) {
            val at = 3 * c.index + 1
            keys.add(at, c.publicKey)
            messages.add(at, c.message)
            signatures.add(at, c.signature)
            want.add(at, Ed25519Vectors.SPECCHECK_EXPECTED[c.index])
        }
        for (b in BACKENDS) {
            repeat(3) {
                val got = onBackend(b) { Ed25519.verifyBatch(keys.toTypedArray(), messages.toTypedArray(), signatures.toTypedArray()) }
                assertArrayEquals(want.toBooleanArray(), got, "on $b")
            }
        }
    }

    @Test
    fun verifyRejectsSNotBelowTheGroupOrder() {
        for (s in Ed25519Vectors.signed(5, SplittableRandom(3))) {
            val bad = Ed25519Vectors.withSPlusL(s.signature)
            for (b in BACKENDS) {
                onBackend(b) {
                    assertTrue(Ed25519.verify(s.publicKey, s.message, s.signature), "valid on $b")
                    assertFalse(Ed25519.verify(s.publicKey, s.message, bad), "S + L on $b")
                    assertArrayEquals(
                        booleanArrayOf(true, false),
                        Ed25519.verifyBatch(arrayOf(s.publicKey, s.publicKey), arrayOf(s.message, s.message), arrayOf(s.signature, bad)),
                        "batch on $b",
                    )
                }
            }
        }
    }

    @Test
    fun signedOnOneBackendVerifiesOnTheOtherAndBothSignTheSameBytes() {
        val rnd = SplittableRandom(NumericInputs.seedFor("ed25519-cross"))
        repeat(20) { i ->
            val secret = onBackend(Backend.JVM) { Ed25519.generateSecretKey() }
            val message = ByteArray(rnd.nextInt(3000)).also { rnd.nextBytes(it) }
            val (nativeKey, nativeSig) = onBackend(Backend.NATIVE) { Ed25519.publicKey(secret) to Ed25519.sign(secret, message) }
            val (jvmKey, jvmSig) = onBackend(Backend.JVM) { Ed25519.publicKey(secret) to Ed25519.sign(secret, message) }
            assertArrayEquals(nativeKey, jvmKey, "public keys differ, ${NumericInputs.seedNote}, item $i")
            assertArrayEquals(nativeSig, jvmSig, "signatures differ, ${NumericInputs.seedNote}, item $i")
            assertTrue(onBackend(Backend.JVM) { Ed25519.verify(nativeKey, message, nativeSig) })
            assertTrue(onBackend(Backend.NATIVE) { Ed25519.verify(jvmKey, message, jvmSig) })
        }
    }

    @Test
    fun bouncyCastleAgreesOnKeysSignaturesAndVerification() {
        val rnd = SplittableRandom(NumericInputs.seedFor("ed25519-bc"))
        repeat(30) { i ->
            val secret = ByteArray(32).also { rnd.nextBytes(it) }
            val message = ByteArray(rnd.nextInt(500)).also { rnd.nextBytes(it) }
            val bcPrivate = Ed25519PrivateKeyParameters(secret, 0)
            val bcPublic = bcPrivate.generatePublicKey()
            val bcSig = Ed25519Signer().run {
                init(true, bcPrivate)
                update(message, 0, message.size)
                generateSignature()
            }
            for (b in listOf(Backend.NATIVE, Backend.JVM)) {
                onBackend(b) {
                    val pk = Ed25519.publicKey(secret)
                    assertArrayEquals(bcPublic.encoded, pk, "public key on $b, item $i, ${NumericInputs.seedNote}")
                    val sig = Ed25519.sign(secret, message)
                    assertArrayEquals(bcSig, sig, "signature on $b, item $i")
                    assertTrue(Ed25519.verify(pk, message, bcSig), "verify BouncyCastle's signature on $b")
                }
            }
            val bcVerifies = Ed25519Signer().run {
                init(false, Ed25519PublicKeyParameters(bcPublic.encoded, 0))
                update(message, 0, message.size)
                verifySignature(onBackend(Backend.NATIVE) { Ed25519.sign(secret, message) })
            }
            assertTrue(bcVerifies, "BouncyCastle verifies hotpath's signature")
        }
    }

    @Test
    fun tamperedMessagesKeysAndSignaturesAreFalseOnEveryBackend() {
        val rnd = SplittableRandom(NumericInputs.seedFor("ed25519-tamper"))
        for (s in Ed25519Vectors.signed(8, rnd)) {
            val message = if (s.message.isEmpty()) byteArrayOf(1) else s.message.copyOf().also { it[rnd.nextInt(it.size)] = (it[0] + 1).toByte() }
            val sig = s.signature.copyOf().also { val i = rnd.nextInt(64); it[i] = (it[i].toInt() xor (1 shl rnd.nextInt(8))).toByte() }
            val key = s.publicKey.copyOf().also { val i = rnd.nextInt(32); it[i] = (it[i].toInt() xor (1 shl rnd.nextInt(8))).toByte() }
            for (b in BACKENDS) {
                onBackend(b) {
                    if (!message.contentEquals(s.message)) assertFalse(Ed25519.verify(s.publicKey, message, s.signature), "message on $b")
                    assertFalse(Ed25519.verify(s.publicKey, s.message, sig), "signature on $b")
                    assertFalse(Ed25519.verify(key, s.message, s.signature), "key on $b")
                }
            }
        }
    }

    @ParameterizedTest(name = "{0} items")
    @ValueSource(ints = [0, 1, 2, 63, 64, 65, 1000])
    fun verifyBatchEqualsPerItemVerifyWithFailuresSprinkledIn(n: Int) {
        val rnd = SplittableRandom(NumericInputs.seedFor("ed25519-batch", n))
        val items = Ed25519Vectors.signed(n, rnd)
        val keys = items.map { it.publicKey.copyOf() }.toTypedArray()
        val messages = items.map { it.message.copyOf() }.toTypedArray()
        val signatures = items.map { it.signature.copyOf() }.toTypedArray()
        for (i in 0 until n) {
            when (rnd.nextInt(12)) {
                0 -> signatures[i][rnd.nextInt(64)] = (signatures[i][0] + 1).toByte()
                1 -> messages[i] = messages[i] + 7
                2 -> keys[i][rnd.nextInt(32)] = (keys[i][1] + 1).toByte()
                3 -> signatures[i] = Ed25519Vectors.withSPlusL(signatures[i])
                4 -> keys[i] = items[(i + 1) % n].publicKey
            }
        }
        val perItem = onBackend(Backend.NATIVE) { BooleanArray(n) { Ed25519.verify(keys[it], messages[it], signatures[it]) } }
        if (n > 0) assertTrue(perItem.count { !it } in 1 until n || n < 10, "failures sprinkled in")
        for (b in BACKENDS) {
            val got = onBackend(b) { Ed25519.verifyBatch(keys, messages, signatures) }
            assertArrayEquals(perItem, got, "on $b, ${NumericInputs.seedNote}")
        }
        if (n <= 65) {
            val jvmPerItem = onBackend(Backend.JVM) { BooleanArray(n) { Ed25519.verify(keys[it], messages[it], signatures[it]) } }
            assertArrayEquals(perItem, jvmPerItem, "per-item verify on the JVM")
        }
    }

    @Test
    fun largeMessagesAreSignedAndVerifiedAlikeOnBothBackends() {
        val rnd = SplittableRandom(7)
        val secret = ByteArray(32).also { rnd.nextBytes(it) }
        for (size in intArrayOf((1 shl 20) - 1, 1 shl 20, (1 shl 20) + 1, 3 shl 20)) {
            val message = ByteArray(size).also { rnd.nextBytes(it) }
            val sig = onBackend(Backend.NATIVE) { Ed25519.sign(secret, message) }
            assertArrayEquals(sig, onBackend(Backend.JVM) { Ed25519.sign(secret, message) }, "size $size")
            val pk = Ed25519.publicKey(secret)
            assertTrue(onBackend(Backend.NATIVE) { Ed25519.verify(pk, message, sig) })
            assertArrayEquals(
                booleanArrayOf(true, true, false),
                onBackend(Backend.NATIVE) { Ed25519.verifyBatch(arrayOf(pk, pk, pk), arrayOf(message, message, message + 1), arrayOf(sig, sig, sig)) },
            )
        }
    }

    @Test
    fun generatedSecretKeysAreRandom32ByteKeys() {
        val keys = List(50) { Ed25519.generateSecretKey() }
        assertTrue(keys.all { it.size == 32 })
        assertEquals(50, keys.map { it.toList() }.toSet().size)
    }

    // ------------------------------------------------------------------------------------------
    // Argument errors: the same exception and message on every backend and from the twin.
    // ------------------------------------------------------------------------------------------

    private inline fun <reified E : Throwable> sameErrorEverywhere(fragment: String, noinline call: () -> Unit): String {
        val messages = BACKENDS.map { b ->
            val e = onBackend(b) { assertThrows(E::class.java) { call() } }
            assertTrue(e.message.orEmpty().contains(fragment)) { "on $b: '${e.message}' lacks '$fragment'" }
            e.message
        }
        assertEquals(1, messages.distinct().size) { "the backends word the error differently: $messages" }
        return messages[0]!!
    }

    @Test
    fun wrongKeyAndSignatureLengthsThrowIllegalArgumentNamingTheArgumentAndLength() {
        val ok = Ed25519Vectors.rfc8032[1]
        sameErrorEverywhere<IllegalArgumentException>("secretKey has 31 bytes, expected 32") { Ed25519.publicKey(ByteArray(31)) }
        sameErrorEverywhere<IllegalArgumentException>("secretKey has 33 bytes, expected 32") { Ed25519.sign(ByteArray(33), ok.message) }
        sameErrorEverywhere<IllegalArgumentException>("publicKey has 0 bytes, expected 32") {
            Ed25519.verify(ByteArray(0), ok.message, ok.signature)
        }
        sameErrorEverywhere<IllegalArgumentException>("signature has 63 bytes, expected 64") {
            Ed25519.verify(ok.publicKey, ok.message, ok.signature.copyOf(63))
        }
        sameErrorEverywhere<IllegalArgumentException>("signatures[1] has 65 bytes, expected 64") {
            Ed25519.verifyBatch(arrayOf(ok.publicKey, ok.publicKey), arrayOf(ok.message, ok.message), arrayOf(ok.signature, ok.signature + 0))
        }
        sameErrorEverywhere<IllegalArgumentException>("publicKeys[0] has 31 bytes, expected 32") {
            Ed25519.verifyBatch(arrayOf(ok.publicKey.copyOf(31)), arrayOf(ok.message), arrayOf(ok.signature))
        }
        assertThrows(IllegalArgumentException::class.java) { Ed25519Reference.sign(ByteArray(1), ok.message) }
    }

    @Test
    fun batchesOfDifferentLengthsThrowIllegalArgument() {
        val ok = Ed25519Vectors.rfc8032[0]
        val message = sameErrorEverywhere<IllegalArgumentException>("2, 1 and 2") {
            Ed25519.verifyBatch(arrayOf(ok.publicKey, ok.publicKey), arrayOf(ok.message), arrayOf(ok.signature, ok.signature))
        }
        assertTrue(message.contains("same length"), message)
        sameErrorEverywhere<IllegalArgumentException>("1, 1 and 0") {
            Ed25519.verifyBatch(arrayOf(ok.publicKey), arrayOf(ok.message), arrayOf())
        }
    }

    @Test
    fun nullElementsThrowNullPointerNamingTheIndex() {
        val ok = Ed25519Vectors.rfc8032[2]
        val keys = Array<ByteArray?>(9) { ok.publicKey }
        val messages = Array<ByteArray?>(9) { ok.message }
        val signatures = Array<ByteArray?>(9) { ok.signature }
        signatures[7] = null
        sameErrorEverywhere<NullPointerException>("signatures[7] is null") { Ed25519.verifyBatch(keys, messages, signatures) }
        messages[4] = null
        sameErrorEverywhere<NullPointerException>("messages[4] is null") { Ed25519.verifyBatch(keys, messages, signatures) }
        keys[0] = null
        sameErrorEverywhere<NullPointerException>("publicKeys[0] is null") { Ed25519.verifyBatch(keys, messages, signatures) }
        assertThrows(NullPointerException::class.java) { Ed25519Reference.verifyBatch(keys, messages, signatures) }
    }

    @Test
    fun theJdkAloneWouldAnswerDifferentlyOnTheSpeccheckCasesTheTwinCorrects() {
        // What docs/ed25519.md records about the JDK's own Ed25519 on cases 0-5; the twin's
        // extra checks are what make it answer like the native backend.
        val jdk = java.security.Signature.getInstance("Ed25519")
        val kf = java.security.KeyFactory.getInstance("Ed25519")
        val prefix = Ed25519Vectors.hex("302a300506032b6570032100")
        val jdkAnswers = Ed25519Vectors.speccheck.take(6).map { c ->
            jdk.initVerify(kf.generatePublic(java.security.spec.X509EncodedKeySpec(prefix + c.publicKey)))
            jdk.update(c.message)
            jdk.verify(c.signature)
        }
        assertEquals(listOf(true, true, true, true, false, false), jdkAnswers)
    }
}
