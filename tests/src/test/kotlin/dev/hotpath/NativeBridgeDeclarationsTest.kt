package dev.hotpath

import org.junit.jupiter.api.Test
import java.lang.reflect.Method
import java.lang.reflect.Modifier
import kotlin.test.assertEquals
import kotlin.test.assertTrue

/**
 * The Kotlin `external fun`s of the bridge class and the library's one declaration of each
 * (`rust/jni/src/registry.rs`) agree in name, parameter types and return type. The library
 * already refuses to load when it declares a method the class lacks or types differently
 * (`RegisterNatives` fails); this test closes the other direction, a Kotlin method the library
 * does not declare, which would only fail when first called.
 */
class NativeBridgeDeclarationsTest {
    private val bridge: Class<*> = Class.forName("dev.hotpath.internal.NativeBridge")

    private fun descriptor(type: Class<*>): String =
        when {
            type.isArray -> "[" + descriptor(type.componentType)
            type == java.lang.Integer.TYPE -> "I"
            type == java.lang.Long.TYPE -> "J"
            type == java.lang.Double.TYPE -> "D"
            type == java.lang.Boolean.TYPE -> "Z"
            type == java.lang.Byte.TYPE -> "B"
            type == java.lang.Void.TYPE -> "V"
            // Vectors family.
            type == java.lang.Float.TYPE -> "F"
            type.isPrimitive -> error("no descriptor for $type in this test")
            else -> "L" + type.name.replace('.', '/') + ";"
        }

    private fun descriptor(m: Method): String =
        m.parameterTypes.joinToString("", "(", ")") { descriptor(it) } + descriptor(m.returnType)

    private fun kotlinDeclarations(): Set<String> =
        bridge.declaredMethods
            .filter { Modifier.isNative(it.modifiers) }
            .map { "${it.name} ${descriptor(it)}" }
            .toSet()

    private fun nativeDeclarations(): List<String> = NativeHooks.declarations().lines().filter { it.isNotEmpty() }

    @Test
    fun everyExternalFunHasANativeDeclarationWithTheSameTypes() {
        val native = nativeDeclarations()
        val kotlin = kotlinDeclarations()
        assertEquals(emptySet(), kotlin - native.toSet(), "declared in NativeBridge.kt but not in rust/jni/src/registry.rs")
        assertEquals(emptySet(), native.toSet() - kotlin, "declared in rust/jni/src/registry.rs but not in NativeBridge.kt")
        assertEquals(native.size, native.toSet().size, "a method declared twice: $native")
    }

    @Test
    fun descriptorsCoverEveryKindOfArgumentTheBridgeTakes() {
        val native = nativeDeclarations()
        for (expected in listOf(
            "sumLongArray ([JIII)J",
            "sumDoublesDirect (Ljava/nio/ByteBuffer;IIZ)D",
            "blake3HashBatch ([[BII[B)V",
            "ed25519VerifyBatch ([[B[[B[[B)[Z",
            "version ()Ljava/lang/String;",
            "ledgerValidateBlock ([BII)[B",
        )) {
            assertTrue(expected in native, "$expected missing from $native")
        }
    }
}
