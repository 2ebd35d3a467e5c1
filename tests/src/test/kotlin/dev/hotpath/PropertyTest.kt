package dev.hotpath

import org.junit.jupiter.api.AfterEach
import org.junit.jupiter.api.Assertions.assertEquals
import org.junit.jupiter.api.Assertions.assertTrue
import org.junit.jupiter.api.BeforeAll
import org.junit.jupiter.api.Test
import java.lang.reflect.InvocationTargetException
import java.lang.reflect.Method
import java.lang.reflect.Modifier
import java.nio.ByteBuffer
import java.util.SplittableRandom

/**
 * Every public static entry point called through reflection (so nulls reach parameters Kotlin
 * types forbid) with generated arguments, valid and not, on NATIVE, JVM and AUTO: the results
 * (and the arguments afterwards, which `scale` writes and buffers carry positions in) must be equal,
 * or the exceptions of the same class and message. Each backend gets its own arguments, generated
 * again from the case's seed. `-Dhotpath.property.seed=N` repeats a run.
 */
class PropertyTest {
    companion object {
        private const val CASES_PER_METHOD = 150

        val seed: Long = System.getProperty("hotpath.property.seed")?.trim()?.takeIf { it.isNotEmpty() }
            ?.let { java.lang.Long.decode(it) } ?: SplittableRandom().nextLong()

        val OBJECTS: List<Class<*>> = listOf(
            Numeric::class.java, Blake3::class.java, Sha256::class.java, Merkle::class.java,
            Ed25519::class.java, Ledger::class.java, Transaction::class.java,
        )

        @JvmStatic
        @BeforeAll
        fun nativeLibraryIsAvailable() {
            NumericInputs.requireNative()
            println("PropertyTest seed=$seed (replay with -Dhotpath.property.seed=$seed)")
        }

        fun publicStatics(): List<Method> = OBJECTS.flatMap { c ->
            c.declaredMethods.filter { Modifier.isPublic(it.modifiers) && Modifier.isStatic(it.modifiers) && !it.isSynthetic }
        }

        fun key(m: Method): String = m.declaringClass.simpleName + "." + m.name + m.parameterTypes.joinToString(",", "(", ")") { it.simpleName }
    }

    @AfterEach
    fun restoreAutoBackend() {
        Hotpath.backend = Backend.AUTO
    }

    @Test
    fun everyPublicEntryPointHasAGenerator() {
        val uncovered = publicStatics().map(::key).filter { it !in PropertyArguments.generators }.sorted()
        assertTrue(uncovered.isEmpty()) { "public entry points without a generator in PropertyArguments: $uncovered" }
        val stale = PropertyArguments.generators.keys - publicStatics().map(::key).toSet()
        assertTrue(stale.isEmpty()) { "generators for methods that no longer exist: $stale" }
    }

    @Test
    fun everyEntryPointAgreesAcrossBackendsOnGeneratedArguments() {
        var cases = 0
        var threw = 0
        for (m in publicStatics().sortedBy(::key)) {
            val gen = PropertyArguments.generators[key(m)] ?: continue
            for (i in 0 until CASES_PER_METHOD) {
                val caseSeed = SplittableRandom(seed * 31 + (key(m).hashCode().toLong() shl 20) + i).nextLong()
                val outcomes = listOf(Backend.NATIVE, Backend.JVM, Backend.AUTO).map { b ->
                    val args = gen(SplittableRandom(caseSeed))
                    Hotpath.backend = b
                    val outcome = try {
                        val result = m.invoke(null, *args)
                        val shown = if (key(m) in PropertyArguments.randomResults) "size=${(result as ByteArray).size}" else PropertyArguments.normalize(result)
                        Outcome.Value(shown + " args=" + args.map(PropertyArguments::normalize))
                    } catch (e: InvocationTargetException) {
                        val t = e.targetException
                        Outcome.Thrown(t.javaClass.name, t.message)
                    } finally {
                        Hotpath.backend = Backend.AUTO
                    }
                    b to outcome
                }
                val context = "${key(m)} case $i (case seed $caseSeed; run seed=$seed, replay with -Dhotpath.property.seed=$seed)"
                assertEquals(outcomes[0].second, outcomes[1].second, "NATIVE vs JVM: $context")
                assertEquals(outcomes[0].second, outcomes[2].second, "NATIVE vs AUTO: $context")
                if (outcomes[0].second is Outcome.Thrown) threw++
                cases++
            }
        }
        println("PropertyTest: $cases cases ($threw threw the same exception on every backend), seed=$seed")
        assertTrue(threw in 1 until cases) { "generators must make both valid and invalid calls: $threw of $cases threw" }
    }

    @Test
    fun aDeliberatelyDifferentAnswerIsCaught() {
        // The comparison itself could be vacuous (e.g. normalize mapping everything to one string):
        // two arguments that differ only in one bit of a double must not compare equal.
        val a = PropertyArguments.normalize(doubleArrayOf(0.0))
        val b = PropertyArguments.normalize(doubleArrayOf(-0.0))
        assertTrue(a != b) { "normalize hides a sign bit: $a" }
        val x = PropertyArguments.normalize(ByteBuffer.allocate(8).position(1))
        val y = PropertyArguments.normalize(ByteBuffer.allocate(8).position(2))
        assertTrue(x != y) { "normalize hides a buffer position: $x" }
    }

    sealed class Outcome {
        data class Value(val text: String) : Outcome()
        data class Thrown(val type: String, val message: String?) : Outcome()
    }
}
