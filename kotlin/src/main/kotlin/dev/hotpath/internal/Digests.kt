package dev.hotpath.internal

/**
 * The native batch hashes write their digests into one flat `byte[32 * n]` per call, and this
 * splits it into the caller's arrays. Creating the n result arrays here costs a plain Java
 * allocation each; creating them from Rust cost two JNI calls each (`NewByteArray`,
 * `SetObjectArrayElement`), about as much as hashing a 1 KiB input.
 */
internal object Digests {
    const val LENGTH: Int = 32

    /** Inputs per native call: bounds the flat array at 2 MiB whatever the batch's length. */
    const val CHUNK: Int = 1 shl 16

    /**
     * The digests of a batch of [count] inputs: [hashInto] `(from, to, out)` must fill `out`
     * (exactly `32 * (to - from)` bytes) with the digests of inputs `from until to`.
     */
    inline fun ofBatch(count: Int, hashInto: (Int, Int, ByteArray) -> Unit): Array<ByteArray> {
        val result = arrayOfNulls<ByteArray>(count)
        var from = 0
        while (from < count) {
            val to = minOf(count, from + CHUNK)
            val flat = ByteArray((to - from) * LENGTH)
            hashInto(from, to, flat)
            for (i in from until to) {
                val at = (i - from) * LENGTH
                result[i] = flat.copyOfRange(at, at + LENGTH)
            }
            from = to
        }
        @Suppress("UNCHECKED_CAST")
        return result as Array<ByteArray>
    }
}
