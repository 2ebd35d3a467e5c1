package dev.hotpath.internal

import dev.hotpath.HotpathException
import java.lang.reflect.Method
import java.nio.ByteBuffer
import java.nio.MappedByteBuffer

/**
 * How kernels may read a `ByteBuffer`: the one place that decides, for every family and both
 * backends, whether its memory can vanish during a call.
 *
 * Native code reads a direct buffer by address, and memory that goes away under that read is a
 * signal in the library (SIGBUS, SIGSEGV) that kills the JVM; the JDK's own accessors turn the
 * same fault into an exception. Two kinds of buffer can lose their memory while a call runs:
 * a file mapping (`FileChannel.map`: the file is truncated or rewritten by another process, as
 * log rotation with `copytruncate` does) and, on JDK 22 and newer, a buffer over a memory
 * segment whose `Arena` can be closed. Their remaining bytes are copied to the heap with the
 * JDK's bulk get, which reports the fault (`InternalError`) or the closed arena
 * (`IllegalStateException`); the kernel then reads the copy. That costs one copy of the
 * buffer's remaining bytes (heap memory equal to them) for those two kinds only: plain direct
 * buffers and heap buffers are still read in place.
 *
 * On JDK 11-21 a segment-backed buffer cannot be told from a plain direct one through public
 * API (`java.lang.foreign` is final from JDK 22); there, closing its arena during a call is
 * the caller's error, as it is for any native code given the address.
 */
internal object BufferAccess {
    /**
     * Runs [read] on [buffer] itself when it can be read in place, else on a heap buffer
     * holding a copy of its remaining bytes in the same byte order, position 0. [buffer]'s own
     * position, limit and mark are unchanged. [name] is the argument's name, for messages.
     *
     * The JDK raises a fault in its copy asynchronously, at some later poll of the copying
     * thread rather than in the copy itself, so the handler covers [read] too: a fault that
     * surfaces while the kernel runs on the copy is still reported as the buffer's.
     *
     * @throws HotpathException if the buffer's mapped file could not be read (truncated).
     * @throws IllegalStateException if the buffer's memory segment was released.
     */
    inline fun <T> reading(buffer: ByteBuffer, name: String, read: (ByteBuffer) -> T): T {
        val source = readable(buffer, name)
        try {
            return read(source)
        } catch (e: InternalError) {
            if (source === buffer) throw e
            throw faulted(buffer, name, e)
        }
    }

    /** The buffer [reading] hands its kernel; public for that inline function only. */
    fun readable(buffer: ByteBuffer, name: String): ByteBuffer {
        if (!buffer.isDirect) return buffer
        val vanishing = when (Kinds.of(buffer, name)) {
            Kind.FILE_MAPPING -> "a file mapping"
            Kind.CLOSEABLE_SEGMENT -> "a memory segment whose arena can be closed"
            Kind.PLAIN -> return buffer
        }
        return try {
            copyRemaining(buffer)
        } catch (e: InternalError) {
            throw faulted(buffer, name, e)
        } catch (e: IllegalStateException) {
            throw IllegalStateException("$name ($vanishing) was released during the call: ${e.message}", e)
        }
    }

    /** The exception for a fault while reading [buffer]'s memory; public for [reading] only. */
    fun faulted(buffer: ByteBuffer, name: String, e: InternalError): HotpathException =
        HotpathException(
            "$name (a file mapping, position ${buffer.position()}, limit ${buffer.limit()}) could not be read: " +
                "its memory faulted, so the mapped file was probably truncated or replaced by another process " +
                "(${e.message})",
            e,
        )

    /** The JDK's bulk copy of the remaining bytes (see [reading] on when its faults surface). */
    private fun copyRemaining(buffer: ByteBuffer): ByteBuffer {
        val copy = ByteArray(buffer.remaining())
        buffer.duplicate().get(copy)
        // A native call: the JDK delivers a pending fault when one returns, most of the time.
        Thread.yield()
        return ByteBuffer.wrap(copy).order(buffer.order())
    }

    private enum class Kind { PLAIN, FILE_MAPPING, CLOSEABLE_SEGMENT }

    /**
     * What a direct buffer's memory is. Every direct buffer is a `MappedByteBuffer` to the type
     * system, so a file mapping is told by what the JDK knows of it: on JDK 22 and newer
     * `MemorySegment.ofBuffer(buffer).isMapped()` and the segment's scope (a plain direct
     * buffer's scope is of one kind that never closes; an arena's is of another), all public
     * API reached by reflection because the library is compiled for JDK 11; before that, the
     * buffer's file descriptor field, read with `sun.misc.Unsafe` (module `jdk.unsupported`,
     * open to every module), which is null unless the buffer maps a file.
     */
    private object Kinds {
        private class Foreign(
            val ofBuffer: Method,
            val isMapped: Method,
            val scope: Method,
            val isAlive: Method,
            val plainScope: Class<*>,
        )

        private class Descriptor(val unsafe: Any, val getObject: Method, val fdOffset: Long)

        private val foreign: Foreign? = if (Runtime.version().feature() < 22) null else reflect {
            val segment = Class.forName("java.lang.foreign.MemorySegment")
            val ofBuffer = segment.getMethod("ofBuffer", java.nio.Buffer::class.java)
            val scope = segment.getMethod("scope")
            val isAlive = Class.forName("java.lang.foreign.MemorySegment\$Scope").getMethod("isAlive")
            val plain = scope.invoke(ofBuffer.invoke(null, ByteBuffer.allocateDirect(1))).javaClass
            Foreign(ofBuffer, segment.getMethod("isMapped"), scope, isAlive, plain)
        }

        private val descriptor: Descriptor? = if (foreign != null) null else reflect {
            val unsafeClass = Class.forName("sun.misc.Unsafe")
            val field = unsafeClass.getDeclaredField("theUnsafe")
            field.isAccessible = true
            val unsafe = field.get(null)
            val fd = MappedByteBuffer::class.java.getDeclaredField("fd")
            val offset = unsafeClass.getMethod("objectFieldOffset", java.lang.reflect.Field::class.java).invoke(unsafe, fd) as Long
            Descriptor(unsafe, unsafeClass.getMethod("getObject", Any::class.java, java.lang.Long.TYPE), offset)
        }

        private inline fun <T> reflect(find: () -> T): T? =
            try {
                find()
            } catch (e: ReflectiveOperationException) {
                null
            } catch (e: LinkageError) {
                null
            } catch (e: RuntimeException) {
                // InaccessibleObjectException, SecurityException: the JDK will not tell.
                null
            }

        /**
         * The kind of [buffer], a direct buffer.
         *
         * @throws IllegalStateException if its memory segment is already closed.
         */
        fun of(buffer: ByteBuffer, name: String): Kind {
            foreign?.let { return ofSegment(it, buffer, name) }
            val d = descriptor ?: return Kind.PLAIN
            val fd = try {
                d.getObject.invoke(d.unsafe, buffer, d.fdOffset)
            } catch (e: ReflectiveOperationException) {
                null
            }
            return if (fd != null) Kind.FILE_MAPPING else Kind.PLAIN
        }

        private fun ofSegment(api: Foreign, buffer: ByteBuffer, name: String): Kind {
            val segment = try {
                api.ofBuffer.invoke(null, buffer)
            } catch (e: java.lang.reflect.InvocationTargetException) {
                if (e.cause is IllegalStateException) throw released(name, e.cause)
                return Kind.PLAIN
            } catch (e: ReflectiveOperationException) {
                return Kind.PLAIN
            }
            return try {
                val scope = api.scope.invoke(segment)
                when {
                    !(api.isAlive.invoke(scope) as Boolean) -> throw released(name, null)
                    api.isMapped.invoke(segment) as Boolean -> Kind.FILE_MAPPING
                    scope.javaClass != api.plainScope -> Kind.CLOSEABLE_SEGMENT
                    else -> Kind.PLAIN
                }
            } catch (e: ReflectiveOperationException) {
                Kind.PLAIN
            }
        }

        private fun released(name: String, cause: Throwable?): IllegalStateException =
            IllegalStateException("$name was released before the call: its memory segment's arena is closed", cause)
    }
}
