package dev.hotpath

import org.junit.jupiter.api.Test
import kotlin.test.assertEquals
import kotlin.test.assertTrue

/**
 * Every code that crosses the boundary has one table per side (`rust/jni/src/codes.rs`; the
 * `code`s of [BlockError] and [TxStatus] and `Ledger`'s report layout here), and the two agree:
 * a code added, renumbered or renamed on one side alone fails here.
 */
class CodeTablesTest {
    private val tables: Map<String, Map<String, String>> =
        NativeHooks.codeTables().lines().filter { it.isNotEmpty() }
            .map { it.split(' ', limit = 3) }
            .groupBy({ it[0] }, { it[1] to it[2] })
            .mapValues { (_, pairs) -> pairs.toMap() }

    @Test
    fun blockErrorCodesAreTheNativeOnes() {
        assertEquals(BlockError.values().associate { it.name to it.code.toString() }, tables["BlockError"])
    }

    @Test
    fun transactionStatusCodesAreTheNativeOnes() {
        assertEquals(TxStatus.values().associate { it.name to it.code.toString() }, tables["TxStatus"])
    }

    @Test
    fun reportLayoutIsTheNativeOne() {
        val layout = Class.forName("dev.hotpath.ReportLayout")
        val kotlin = listOf("ERROR_AT", "HAS_ROOT_AT", "ROOT_AT", "COUNT_AT", "STATUSES_AT", "NO_ERROR")
            .associateWith { layout.getField(it).getInt(null).toString() }
        assertEquals(kotlin, tables["Report"])
    }

    @Test
    fun everyExceptionTheBridgeThrowsIsAThrowableThisJarSees() {
        val exceptions = tables["Exception"].orEmpty()
        assertEquals(
            setOf("NullPointer", "IndexOutOfBounds", "IllegalArgument", "IllegalState", "OutOfMemory", "UnsupportedOperation", "NativeKernel"),
            exceptions.keys,
        )
        for ((kind, jniName) in exceptions) {
            val type = Class.forName(jniName.replace('/', '.'), false, Hotpath::class.java.classLoader)
            assertTrue(Throwable::class.java.isAssignableFrom(type), "$kind -> $jniName is not a Throwable")
            // ThrowNew needs a (String) constructor.
            type.getConstructor(String::class.java)
        }
        assertEquals(NativeKernelException::class.java.name.replace('.', '/'), exceptions["NativeKernel"])
    }

    // Csv family.

    @Test
    fun csvErrorKindsAndColumnTypesAreTheNativeOnes() {
        assertEquals(CsvException.Kind.values().associate { it.name to it.code.toString() }, tables["CsvErrorKind"])
        assertEquals(ColumnType.values().associate { it.name to it.code.toString() }, tables["ColumnType"])
    }

    @Test
    fun csvSettingsAndInfoLayoutsAreTheNativeOnes() {
        for ((table, holder) in listOf("CsvSettings" to "dev.hotpath.internal.CsvNative\$Settings", "CsvInfo" to "dev.hotpath.internal.CsvNative\$Info")) {
            val native = tables[table].orEmpty()
            val kotlin = native.keys.associateWith { Class.forName(holder).getField(it).getInt(null).toString() }
            assertEquals(kotlin, native, table)
            assertEquals(Class.forName(holder).declaredFields.count { java.lang.reflect.Modifier.isStatic(it.modifiers) && it.type == Int::class.javaPrimitiveType }, native.size, table)
        }
    }
}
