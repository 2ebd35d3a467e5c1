package dev.hotpath

import org.junit.jupiter.api.AfterEach
import org.junit.jupiter.api.Assumptions.assumeTrue
import org.junit.jupiter.api.Test
import java.io.RandomAccessFile
import java.nio.ByteBuffer
import java.nio.ByteOrder
import java.nio.channels.FileChannel
import java.nio.file.Files
import java.nio.file.StandardOpenOption
import java.util.concurrent.CountDownLatch
import java.util.concurrent.Executors
import java.util.concurrent.TimeUnit
import kotlin.test.assertContains
import kotlin.test.assertEquals
import kotlin.test.assertFailsWith
import kotlin.test.assertTrue

/**
 * Buffers whose memory can vanish during a call: a file mapping whose file is truncated (log
 * rotation with `copytruncate`), and a buffer over a memory segment whose arena is closed. On
 * every family that reads a buffer and on both backends each is an exception, never a crash
 * (before `internal/BufferAccess.kt`, the truncated mapping killed the JVM with SIGBUS inside the
 * library, and the closed arena with SIGSEGV).
 */
class VanishingMemoryTest {
    private val dir = JvmProcess.workDir("vanishing")

    @AfterEach
    fun restoreBackend() {
        Hotpath.backend = Backend.AUTO
    }

    /** Every public entry point that takes a `ByteBuffer`, with a name for messages. */
    private val readers: List<Pair<String, (ByteBuffer) -> Any>> = listOf(
        "Blake3.hash" to { b -> Blake3.hash(b) },
        "Numeric.sumLongs" to { b -> Numeric.sumLongs(b) },
        "Numeric.sumDoubles" to { b -> Numeric.sumDoubles(b) },
        "Ledger.validateBlock" to { b -> Ledger.validateBlock(b) },
    )

    private fun mappedFile(size: Int): Pair<RandomAccessFile, ByteBuffer> {
        val file = Files.createTempFile(dir, "mapped", ".bin")
        Files.write(file, ByteArray(size) { (it * 31).toByte() })
        val raf = RandomAccessFile(file.toFile(), "rw")
        val mapped = raf.channel.map(FileChannel.MapMode.READ_ONLY, 0, size.toLong())
        return raf to mapped
    }

    /**
     * Runs [call] and returns what it threw. The JDK raises a fault in its copy asynchronously,
     * at a later poll of the thread: hotpath's handler catches it nearly always (then it is a
     * [HotpathException] naming the buffer), but the JDK does not promise when, so the JDK's own
     * `InternalError` is accepted too, drained here if it surfaces just after the call.
     */
    private fun thrownBy(call: () -> Any): Throwable {
        val thrown = try {
            call()
            null
        } catch (e: HotpathException) {
            e
        } catch (e: InternalError) {
            e
        }
        try {
            Thread.yield()
            Runtime.getRuntime().availableProcessors()
        } catch (late: InternalError) {
            return thrown ?: late
        }
        return thrown ?: throw AssertionError("no exception")
    }

    @Test
    fun aMappedFileTruncatedBeforeTheCallIsAnExceptionNotACrashOnEveryFamilyAndBackend() {
        var named = 0
        var cases = 0
        for (backend in listOf(Backend.NATIVE, Backend.JVM)) {
            Hotpath.backend = backend
            for ((name, read) in readers) {
                val (raf, mapped) = mappedFile(1 shl 20)
                raf.use { it.setLength(0) }
                val e = thrownBy { read(mapped) }
                cases++
                if (e is HotpathException) {
                    named++
                    assertContains(e.message.orEmpty(), "a file mapping", message = "$name on $backend")
                    assertContains(e.message.orEmpty(), "truncated", message = "$name on $backend")
                } else {
                    assertContains(e.message.orEmpty(), "unsafe memory access", message = "$name on $backend: $e")
                }
            }
        }
        assertTrue(named > 0, "no fault of $cases was reported as the buffer's")
        // And the library still works.
        Hotpath.backend = Backend.NATIVE
        assertEquals(6L, Numeric.sum(longArrayOf(1, 2, 3)))
    }

    @Test
    fun anIntactMappedFileGivesTheSameResultsAsAHeapBufferOnBothBackends() {
        for (backend in listOf(Backend.NATIVE, Backend.JVM)) {
            Hotpath.backend = backend
            val (raf, mapped) = mappedFile((1 shl 20) + 64)
            raf.use {
                mapped.position(8).limit(mapped.limit() - 8)
                val heap = ByteBuffer.allocate(mapped.remaining())
                heap.put(mapped.duplicate()).flip()
                for ((name, read) in readers) {
                    for (order in listOf(ByteOrder.BIG_ENDIAN, ByteOrder.LITTLE_ENDIAN)) {
                        mapped.order(order)
                        heap.order(order)
                        val a = read(mapped)
                        val b = read(heap)
                        if (a is ByteArray) assertTrue(a.contentEquals(b as ByteArray), "$name on $backend") else assertEquals(b, a, "$name on $backend")
                    }
                }
                assertEquals(8, mapped.position(), "the mapped buffer's position moved")
            }
        }
    }

    private fun readable(buffer: ByteBuffer): ByteBuffer {
        val access = Class.forName("dev.hotpath.internal.BufferAccess")
        val instance = access.getField("INSTANCE").get(null)
        return access.getMethod("readable", ByteBuffer::class.java, String::class.java).invoke(instance, buffer, "buffer") as ByteBuffer
    }

    @Test
    fun onlyBuffersWhoseMemoryCanVanishAreCopiedPlainDirectAndHeapBuffersAreReadInPlace() {
        val direct = ByteBuffer.allocateDirect(4096)
        assertTrue(readable(direct) === direct, "a plain direct buffer was copied")
        assertTrue(readable(direct.asReadOnlyBuffer().slice()).isDirect, "a read-only direct slice was copied")
        val heap = ByteBuffer.allocate(16)
        assertTrue(readable(heap) === heap, "a heap buffer was copied")
        val (raf, mapped) = mappedFile(4096)
        raf.use {
            val copy = readable(mapped)
            assertTrue(copy !== mapped && !copy.isDirect, "a file mapping was read in place")
        }
    }

    /** `java.lang.foreign`, by reflection: this module compiles for JDK 17. */
    private class Foreign {
        val arenaClass: Class<*> = Class.forName("java.lang.foreign.Arena")
        private val segmentClass: Class<*> = Class.forName("java.lang.foreign.MemorySegment")

        fun sharedArena(): AutoCloseable = arenaClass.getMethod("ofShared").invoke(null) as AutoCloseable

        fun buffer(arena: AutoCloseable, bytes: Long): ByteBuffer {
            val segment = arenaClass.getMethod("allocate", java.lang.Long.TYPE).invoke(arena, bytes)
            return segmentClass.getMethod("asByteBuffer").invoke(segment) as ByteBuffer
        }
    }

    private fun foreign(): Foreign {
        assumeTrue(Runtime.version().feature() >= 22, "java.lang.foreign is final from JDK 22 (run with -Pjdk25)")
        return Foreign()
    }

    @Test
    fun aBufferOfAClosedArenaIsAnIllegalStateExceptionOnEveryFamilyAndBackend() {
        val ffm = foreign()
        for (backend in listOf(Backend.NATIVE, Backend.JVM)) {
            Hotpath.backend = backend
            for ((name, read) in readers) {
                val arena = ffm.sharedArena()
                val buffer = ffm.buffer(arena, 1L shl 20)
                arena.close()
                val e = assertFailsWith<IllegalStateException>("$name on $backend") { read(buffer) }
                assertContains(e.message.orEmpty(), "arena", message = "$name on $backend")
            }
        }
    }

    @Test
    fun anArenaClosedDuringCallsGivesResultsOrIllegalStateExceptionsNeverACrash() {
        val ffm = foreign()
        Hotpath.backend = Backend.NATIVE
        val expected = Blake3.hash(ByteArray(8 shl 20))
        val pool = Executors.newFixedThreadPool(2)
        try {
            repeat(20) { round ->
                val arena = ffm.sharedArena()
                val buffer = ffm.buffer(arena, 8L shl 20)
                val started = CountDownLatch(1)
                val hashing = pool.submit<Int> {
                    started.countDown()
                    var outcomes = 0
                    while (true) {
                        try {
                            val h = Blake3.hash(buffer.duplicate())
                            assertTrue(h.contentEquals(expected), "round $round: a wrong hash")
                            outcomes++
                        } catch (e: IllegalStateException) {
                            return@submit outcomes
                        }
                    }
                    @Suppress("UNREACHABLE_CODE")
                    outcomes
                }
                // Closing while another thread reads is what a shared arena allows; the reader
                // must see an exception, or the whole right answer, never freed memory.
                started.await()
                Thread.sleep((round % 5).toLong())
                arena.close()
                hashing.get(60, TimeUnit.SECONDS)
            }
        } finally {
            pool.shutdownNow()
        }
    }
}
