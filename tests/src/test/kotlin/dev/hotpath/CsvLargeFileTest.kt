package dev.hotpath

import org.junit.jupiter.api.Assertions.assertEquals
import org.junit.jupiter.api.Assumptions.assumeTrue
import org.junit.jupiter.api.Test
import java.io.BufferedOutputStream
import java.nio.file.Files

/**
 * A 512 MiB file through [Csv.open] in a JVM capped at 128 MiB of heap (and so of direct
 * memory): the reader must stream it in bounded memory, batch after batch, and see every row.
 */
class CsvLargeFileTest {
    @Test
    fun aFileFourTimesTheHeapStreamsThroughOpen() {
        val dir = Files.createTempDirectory("hotpath-csv-large")
        val file = dir.resolve("large.csv")
        try {
            assumeTrue(Files.getFileStore(dir).usableSpace > (2L shl 30), "needs 2 GiB of free disk")
            var rows = 0L
            var sum = 0L
            BufferedOutputStream(Files.newOutputStream(file), 1 shl 20).use { out ->
                out.write("id,price,flag,name\n".toByteArray())
                val tail = ",12.75,true,\"name, with \"\"quotes\"\"\nand a line end\"\n".toByteArray()
                var written = 0L
                while (written < (512L shl 20)) {
                    val id = rows.toString().toByteArray()
                    out.write(id)
                    out.write(tail)
                    written += id.size + tail.size
                    sum += rows
                    rows++
                }
            }
            val result = JvmProcess.run(
                mainClass = "dev.hotpath.probe.CsvOpenProbe",
                jvmArgs = listOf("-Xmx128m"),
                properties = mapOf("hotpath.backend" to "native"),
                arguments = listOf(file.toString()),
            )
            assertEquals(0, result.exitCode, result.toString())
            assertEquals(rows.toString(), result["rows"], result.toString())
            assertEquals(sum.toString(), result["sum"], result.toString())
            assertEquals("LONG,DOUBLE,BOOLEAN,STRING", result["types"], result.toString())
        } finally {
            Files.deleteIfExists(file)
            Files.deleteIfExists(dir)
        }
    }
}
