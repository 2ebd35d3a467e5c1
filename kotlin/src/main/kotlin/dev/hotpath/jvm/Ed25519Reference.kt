package dev.hotpath.jvm

import dev.hotpath.Ed25519
import dev.hotpath.Ed25519Checks
import java.math.BigInteger
import java.security.GeneralSecurityException
import java.security.KeyFactory
import java.security.KeyPairGenerator
import java.security.MessageDigest
import java.security.NoSuchAlgorithmException
import java.security.PrivateKey
import java.security.PublicKey
import java.security.SecureRandom
import java.security.Signature
import java.security.spec.NamedParameterSpec
import java.security.spec.PKCS8EncodedKeySpec
import java.security.spec.X509EncodedKeySpec

/**
 * The JVM twin of [dev.hotpath.Ed25519]: the test oracle for the native backend and the backend
 * that [dev.hotpath.Backend.JVM] (and [dev.hotpath.Backend.AUTO] without native code) runs.
 *
 * Keys and signatures go through the JDK's own Ed25519 (`KeyFactory`, `KeyPairGenerator` and
 * `Signature` named "Ed25519", in the JDK since 15; raw keys are wrapped in their fixed X.509 and
 * PKCS #8 prefixes). The JDK verifies cofactorless and accepts small-order points, so
 * [verify] applies the rest of `docs/ed25519.md` itself, with [BigInteger] arithmetic on the
 * curve: it rejects `S >= L`, non-canonical encodings and the 8 small-order points before asking
 * the JDK, and when the JDK says no, it checks the cofactored equation itself (the two differ
 * only for keys or `R` with a torsion component). That extra check costs a few milliseconds, so
 * a `false` answer is slower than a `true` one here.
 *
 * All methods are thread-safe. On a JDK older than 15 they throw [UnsupportedOperationException].
 */
public object Ed25519Reference {
    private val P: BigInteger = BigInteger.ONE.shiftLeft(255).subtract(BigInteger.valueOf(19))
    private val L: BigInteger = BigInteger.ONE.shiftLeft(252).add(BigInteger("27742317777372353535851937790883648493"))
    private val D: BigInteger = BigInteger.valueOf(-121665).multiply(BigInteger.valueOf(121666).modInverse(P)).mod(P)
    private val D2: BigInteger = D.shiftLeft(1).mod(P)
    private val SQRT_M1: BigInteger = BigInteger.TWO.modPow(P.subtract(BigInteger.ONE).shiftRight(2), P)

    /** The base point: `y = 4/5`, `x` even. */
    private val BASE: Point = decode(
        BigInteger.valueOf(4).multiply(BigInteger.valueOf(5).modInverse(P)).mod(P).let(::littleEndian32),
    ) ?: error("the base point does not decode")

    private val X509_PREFIX = hex("302a300506032b6570032100")
    private val PKCS8_PREFIX = hex("302e020100300506032b657004220420")

    private val keyFactory = ThreadLocal.withInitial { jdk { KeyFactory.getInstance("Ed25519") } }
    private val signature = ThreadLocal.withInitial { jdk { Signature.getInstance("Ed25519") } }

    /**
     * The public key of [secretKey], derived by the JDK's key-pair generator from exactly these
     * 32 bytes.
     *
     * @throws IllegalArgumentException if [secretKey] does not have 32 bytes.
     * @throws UnsupportedOperationException on a JDK older than 15.
     */
    @JvmStatic
    public fun publicKey(secretKey: ByteArray): ByteArray {
        Ed25519Checks.size(secretKey, Ed25519.SECRET_KEY_SIZE, "secretKey")
        val generator = jdk { KeyPairGenerator.getInstance("Ed25519") }
        generator.initialize(NamedParameterSpec("Ed25519"), FixedRandom(secretKey))
        val encoded = generator.generateKeyPair().public.encoded
        return encoded.copyOfRange(encoded.size - Ed25519.PUBLIC_KEY_SIZE, encoded.size)
    }

    /**
     * The RFC 8032 signature of [message] under [secretKey], by the JDK.
     *
     * @throws IllegalArgumentException if [secretKey] does not have 32 bytes.
     * @throws UnsupportedOperationException on a JDK older than 15.
     */
    @JvmStatic
    public fun sign(secretKey: ByteArray, message: ByteArray): ByteArray {
        Ed25519Checks.size(secretKey, Ed25519.SECRET_KEY_SIZE, "secretKey")
        val key: PrivateKey = keyFactory.get().generatePrivate(PKCS8EncodedKeySpec(PKCS8_PREFIX + secretKey))
        val s = signature.get()
        s.initSign(key)
        s.update(message)
        return s.sign()
    }

    /**
     * Whether [signature] is valid for [message] under [publicKey] by the rule of
     * `docs/ed25519.md`: the same answer as the native backend for every input.
     *
     * @throws IllegalArgumentException if [publicKey] does not have 32 bytes or [signature] 64.
     * @throws UnsupportedOperationException on a JDK older than 15.
     */
    @JvmStatic
    public fun verify(publicKey: ByteArray, message: ByteArray, signature: ByteArray): Boolean {
        Ed25519Checks.size(publicKey, Ed25519.PUBLIC_KEY_SIZE, "publicKey")
        Ed25519Checks.size(signature, Ed25519.SIGNATURE_SIZE, "signature")
        val rBytes = signature.copyOfRange(0, 32)
        val s = fromLittleEndian(signature.copyOfRange(32, 64))
        if (s >= L) return false
        val a = strictPoint(publicKey) ?: return false
        val r = strictPoint(rBytes) ?: return false
        if (jdkVerify(publicKey, message, signature)) return true
        // The JDK checks [S]B = R + [k]A; the rule is [8][S]B = [8]R + [8][k]A, which also holds
        // when the two sides differ by a point of small order.
        val digest = MessageDigest.getInstance("SHA-512")
        digest.update(rBytes)
        digest.update(publicKey)
        digest.update(message)
        val k = fromLittleEndian(digest.digest()).mod(L)
        val difference = add(linearCombination(BASE, s, negate(a), k), negate(r))
        return isIdentity(timesEight(difference))
    }

    /**
     * [verify] of each item, one at a time.
     *
     * @throws NullPointerException if an element is null (the message names it).
     * @throws IllegalArgumentException if the arrays differ in length, or a key or signature has
     *   the wrong length (the message names the element).
     * @throws UnsupportedOperationException on a JDK older than 15.
     */
    @JvmStatic
    public fun verifyBatch(
        publicKeys: Array<out ByteArray?>,
        messages: Array<out ByteArray?>,
        signatures: Array<out ByteArray?>,
    ): BooleanArray {
        Ed25519Checks.batch(publicKeys, messages, signatures)
        return BooleanArray(publicKeys.size) { i -> verify(publicKeys[i]!!, messages[i]!!, signatures[i]!!) }
    }

    private fun jdkVerify(publicKey: ByteArray, message: ByteArray, signature: ByteArray): Boolean =
        try {
            val key: PublicKey = keyFactory.get().generatePublic(X509EncodedKeySpec(X509_PREFIX + publicKey))
            val s = this.signature.get()
            s.initVerify(key)
            s.update(message)
            s.verify(signature)
        } catch (e: GeneralSecurityException) {
            // Only for inputs the checks above already refuse; the cofactored check decides.
            false
        }

    private inline fun <T> jdk(get: () -> T): T =
        try {
            get()
        } catch (e: NoSuchAlgorithmException) {
            throw UnsupportedOperationException(
                "the JVM backend of Ed25519 needs JDK 15 or newer (this is ${System.getProperty("java.version")}); " +
                    "use the native backend",
                e,
            )
        }

    /** Hands the JDK's key-pair generator exactly the secret key as its "random" bytes. */
    private class FixedRandom(private val bytes: ByteArray) : SecureRandom() {
        override fun nextBytes(out: ByteArray) {
            check(out.size == bytes.size) { "the JDK asked for ${out.size} random bytes, not ${bytes.size}" }
            bytes.copyInto(out)
        }
    }

    // ------------------------------------------------------------------------------------------
    // Curve arithmetic: extended twisted Edwards coordinates (RFC 8032, section 5.1.4).
    // ------------------------------------------------------------------------------------------

    private class Point(val x: BigInteger, val y: BigInteger, val z: BigInteger, val t: BigInteger)

    private val IDENTITY = Point(BigInteger.ZERO, BigInteger.ONE, BigInteger.ONE, BigInteger.ZERO)

    /** The point [bytes] encodes, if canonical and not of small order; else null. */
    private fun strictPoint(bytes: ByteArray): Point? {
        val point = decode(bytes) ?: return null
        return if (isIdentity(timesEight(point))) null else point
    }

    /**
     * Decodes per RFC 8032, section 5.1.3, but refuses the non-canonical encodings: `y >= p`,
     * and `x = 0` with the sign bit set.
     */
    private fun decode(bytes: ByteArray): Point? {
        val sign = (bytes[31].toInt() shr 7) and 1
        val cleared = bytes.copyOf()
        cleared[31] = (cleared[31].toInt() and 0x7f).toByte()
        val y = fromLittleEndian(cleared)
        if (y >= P) return null
        val y2 = y.multiply(y).mod(P)
        val u = y2.subtract(BigInteger.ONE).mod(P)
        val v = D.multiply(y2).add(BigInteger.ONE).mod(P)
        val v3 = v.multiply(v).multiply(v).mod(P)
        var x = u.multiply(v3).multiply(u.multiply(v3).multiply(v3).multiply(v).mod(P).modPow(P.subtract(BigInteger.valueOf(5)).shiftRight(3), P)).mod(P)
        val vx2 = v.multiply(x).multiply(x).mod(P)
        x = when {
            vx2 == u -> x
            vx2 == u.negate().mod(P) -> x.multiply(SQRT_M1).mod(P)
            else -> return null
        }
        if (x.signum() == 0 && sign == 1) return null
        if (x.testBit(0) != (sign == 1)) x = P.subtract(x)
        return Point(x, y, BigInteger.ONE, x.multiply(y).mod(P))
    }

    private fun add(p: Point, q: Point): Point {
        val a = p.y.subtract(p.x).multiply(q.y.subtract(q.x)).mod(P)
        val b = p.y.add(p.x).multiply(q.y.add(q.x)).mod(P)
        val c = p.t.multiply(D2).multiply(q.t).mod(P)
        val d = p.z.shiftLeft(1).multiply(q.z).mod(P)
        val e = b.subtract(a)
        val f = d.subtract(c)
        val g = d.add(c)
        val h = b.add(a)
        return Point(e.multiply(f).mod(P), g.multiply(h).mod(P), f.multiply(g).mod(P), e.multiply(h).mod(P))
    }

    private fun negate(p: Point): Point = Point(p.x.negate().mod(P), p.y, p.z, p.t.negate().mod(P))

    /** RFC 8032's doubling formula: 4 squarings and 4 multiplications instead of 9 products. */
    private fun double(p: Point): Point {
        val a = p.x.multiply(p.x).mod(P)
        val b = p.y.multiply(p.y).mod(P)
        val c = p.z.multiply(p.z).shiftLeft(1).mod(P)
        val h = a.add(b)
        val xy = p.x.add(p.y)
        val e = h.subtract(xy.multiply(xy)).mod(P)
        val g = a.subtract(b)
        val f = c.add(g)
        return Point(e.multiply(f).mod(P), g.multiply(h).mod(P), f.multiply(g).mod(P), e.multiply(h).mod(P))
    }

    /** `[s1]p1 + [s2]p2` by one shared double-and-add pass (Straus-Shamir). */
    private fun linearCombination(p1: Point, s1: BigInteger, p2: Point, s2: BigInteger): Point {
        val both = add(p1, p2)
        var result = IDENTITY
        for (i in maxOf(s1.bitLength(), s2.bitLength()) - 1 downTo 0) {
            result = double(result)
            val b1 = s1.testBit(i)
            val b2 = s2.testBit(i)
            if (b1 && b2) {
                result = add(result, both)
            } else if (b1) {
                result = add(result, p1)
            } else if (b2) {
                result = add(result, p2)
            }
        }
        return result
    }

    private fun timesEight(p: Point): Point = double(double(double(p)))

    private fun isIdentity(p: Point): Boolean = p.x.signum() == 0 && p.y.subtract(p.z).mod(P).signum() == 0

    private fun fromLittleEndian(bytes: ByteArray): BigInteger = BigInteger(1, bytes.reversedArray())

    private fun littleEndian32(value: BigInteger): ByteArray {
        val big = value.toByteArray()
        val out = ByteArray(32)
        for (i in 0 until minOf(32, big.size)) out[i] = big[big.size - 1 - i]
        return out
    }

    private fun hex(s: String): ByteArray = ByteArray(s.length / 2) { s.substring(2 * it, 2 * it + 2).toInt(16).toByte() }
}
