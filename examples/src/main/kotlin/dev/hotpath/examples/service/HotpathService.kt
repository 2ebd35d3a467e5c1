package dev.hotpath.examples.service

import dev.hotpath.Backend
import dev.hotpath.Blake3
import dev.hotpath.BlockReport
import dev.hotpath.Column
import dev.hotpath.Csv
import dev.hotpath.CsvException
import dev.hotpath.DoubleColumn
import dev.hotpath.Ed25519
import dev.hotpath.Hotpath
import dev.hotpath.HotpathException
import dev.hotpath.Ledger
import dev.hotpath.LongColumn
import dev.hotpath.Numeric
import dev.hotpath.Sha256
import dev.hotpath.Table
import dev.hotpath.TxStatus
import dev.hotpath.Metric
import dev.hotpath.VectorIndex
import io.javalin.Javalin
import io.javalin.http.Context
import io.javalin.http.HttpStatus
import java.nio.ByteBuffer
import java.nio.ByteOrder

/**
 * A small HTTP service whose requests do hot-path work with hotpath, the way a team would
 * write one: Javalin on Jetty, blocking handlers on Jetty's thread pool (the kernels are
 * CPU-bound, so a request holds its thread while it computes), bodies as raw bytes, answers as
 * JSON. The backend is hotpath's (`hotpath.backend`), chosen at start.
 *
 * Endpoints (`docs/service.md` has the formats):
 * - `POST /blocks/validate`: a block in hotpath's block format; the validation report.
 * - `POST /signatures/verify`: a batch of Ed25519 (public key, signature, message) records; which fail.
 * - `POST /hash/{algorithm}`: any bytes; their BLAKE3 or SHA-256 digest.
 * - `POST /csv/aggregate`: a CSV file with a header; per column its type, nulls and aggregates.
 * - `POST /vectors/search?k=10`: query vectors (little-endian floats); each one's nearest in the collection.
 * - `GET /health`: the backend and whether native code is loaded.
 */
public object HotpathService {
    /** The largest request body accepted: a block of 50,000 transactions with 100-byte payloads fits. */
    public const val MAX_BODY_BYTES: Long = 64L * 1024 * 1024

    /** Bytes of a signature record before its message: key, signature, message length. */
    public const val SIGNATURE_RECORD_FIXED: Int = 32 + 64 + 4

    /** Vectors in the collection `POST /vectors/search` searches, unless told otherwise. */
    public const val DEFAULT_VECTORS: Int = 20_000

    /** Their dimension, a common sentence-embedding size. */
    public const val DEFAULT_DIMENSION: Int = 384

    /**
     * Creates the service (not started) listening on [host]:[port]; port 0 picks a free one,
     * which [Javalin.port] reports once started. Builds the vector collection first: [vectors]
     * seeded random vectors of [dimension] components (0 vectors: no `/vectors/search`).
     *
     * @throws IllegalArgumentException if [vectors] is negative or [dimension] out of range.
     */
    @JvmStatic
    @JvmOverloads
    public fun create(host: String, port: Int, vectors: Int = DEFAULT_VECTORS, dimension: Int = DEFAULT_DIMENSION): Javalin {
        require(vectors >= 0) { "vectors must be at least 0, got $vectors" }
        val index = if (vectors > 0) collection(vectors, dimension) else null
        return Javalin.create { config ->
            config.jetty.host = host
            config.jetty.port = port
            config.http.maxRequestSize = MAX_BODY_BYTES
            config.startup.showJavalinBanner = false
            config.routes.get("/health") { ctx -> health(ctx) }
            config.routes.post("/blocks/validate") { ctx -> validateBlock(ctx) }
            config.routes.post("/signatures/verify") { ctx -> verifySignatures(ctx) }
            config.routes.post("/hash/{algorithm}") { ctx -> hash(ctx) }
            config.routes.post("/csv/aggregate") { ctx -> aggregateCsv(ctx) }
            if (index != null) config.routes.post("/vectors/search") { ctx -> searchVectors(ctx, index) }
            config.routes.exception(BadRequest::class.java) { e, ctx -> error(ctx, HttpStatus.BAD_REQUEST, e.message) }
            config.routes.exception(CsvException::class.java) { e, ctx -> error(ctx, HttpStatus.BAD_REQUEST, e.message) }
            config.routes.exception(IllegalArgumentException::class.java) { e, ctx -> error(ctx, HttpStatus.BAD_REQUEST, e.message) }
            config.routes.exception(HotpathException::class.java) { e, ctx -> error(ctx, HttpStatus.INTERNAL_SERVER_ERROR, e.message) }
            config.events.serverStopped { index?.close() }
        }
    }

    /**
     * Whether kernels can run in native code: false on the JVM backend (without loading the
     * library), else whether it loaded, loading it now if it has not yet.
     */
    @JvmStatic
    public fun runsNatively(): Boolean = Hotpath.backend != Backend.JVM && Hotpath.isNativeAvailable()

    private fun health(ctx: Context) {
        json(ctx, Json().field("backend", Hotpath.backend.name).field("native", runsNatively()).field("version", Hotpath.version))
    }

    private fun validateBlock(ctx: Context) {
        val report = Ledger.validateBlock(ctx.bodyAsBytes())
        json(ctx, reportJson(report))
    }

    /** The report as the service answers it: counts per status, not one entry per transaction. */
    internal fun reportJson(report: BlockReport): Json {
        val counts = IntArray(TxStatus.values().size)
        val firstInvalid = ArrayList<Int>()
        report.statuses.forEachIndexed { i, s ->
            counts[s.ordinal]++
            if (s != TxStatus.OK && firstInvalid.size < MAX_LISTED) firstInvalid.add(i)
        }
        val statuses = Json()
        for (s in TxStatus.values()) if (counts[s.ordinal] > 0) statuses.field(s.name, counts[s.ordinal])
        return Json()
            .field("valid", report.isValid)
            .field("error", report.error?.name)
            .field("txCount", report.txCount)
            .field("merkleRoot", report.merkleRoot?.let { hex(it) })
            .raw("statuses", statuses.toString())
            .ints("firstInvalid", firstInvalid)
    }

    private fun verifySignatures(ctx: Context) {
        val body = ctx.bodyAsBytes()
        val records = parseSignatureRecords(body)
        val ok = Ed25519.verifyBatch(records.keys, records.messages, records.signatures)
        val invalid = ArrayList<Int>()
        var valid = 0
        for (i in ok.indices) if (ok[i]) valid++ else if (invalid.size < MAX_LISTED) invalid.add(i)
        json(ctx, Json().field("count", ok.size).field("valid", valid).ints("firstInvalid", invalid))
    }

    internal class SignatureRecords(val keys: Array<ByteArray>, val signatures: Array<ByteArray>, val messages: Array<ByteArray>)

    /**
     * Records of a 32-byte public key, a 64-byte signature, the message's length (4 bytes,
     * little-endian) and the message. Lengths are checked against the bytes that are there
     * before anything is allocated for them.
     */
    internal fun parseSignatureRecords(body: ByteArray): SignatureRecords {
        val b = ByteBuffer.wrap(body).order(ByteOrder.LITTLE_ENDIAN)
        val keys = ArrayList<ByteArray>()
        val sigs = ArrayList<ByteArray>()
        val msgs = ArrayList<ByteArray>()
        while (b.hasRemaining()) {
            val at = b.position()
            if (b.remaining() < SIGNATURE_RECORD_FIXED) {
                throw BadRequest("signature record ${keys.size} at byte $at: ${b.remaining()} bytes left, a record needs at least $SIGNATURE_RECORD_FIXED")
            }
            val key = ByteArray(32).also { b.get(it) }
            val sig = ByteArray(64).also { b.get(it) }
            val length = b.getInt()
            if (length < 0 || length > b.remaining()) {
                throw BadRequest("signature record ${keys.size} at byte $at: message length ${length.toUInt()} but ${b.remaining()} bytes left")
            }
            keys.add(key)
            sigs.add(sig)
            msgs.add(ByteArray(length).also { b.get(it) })
        }
        return SignatureRecords(keys.toTypedArray(), sigs.toTypedArray(), msgs.toTypedArray())
    }

    private fun aggregateCsv(ctx: Context) {
        val table = Csv.read(ctx.bodyAsBytes())
        json(ctx, csvJson(table))
    }

    /**
     * Per column: its name, type and null count; for LONG columns the sum (wrapping, as Java's
     * `+=`), min and max of the non-null values; for DOUBLE columns their sum, min, max and mean.
     */
    internal fun csvJson(table: Table): Json {
        val columns = ArrayList<String>(table.columnCount)
        for (c in 0 until table.columnCount) {
            val column = table.getColumn(c)
            val j = Json().field("name", table.columnNames[c]).field("type", column.type.name).field("nulls", column.nullCount)
            when (column) {
                is LongColumn -> {
                    val values = nonNull(column.toArray(), column)
                    if (values.isNotEmpty()) {
                        j.raw("sum", Numeric.sum(values).toString())
                            .raw("min", values.min().toString())
                            .raw("max", values.max().toString())
                    }
                }
                is DoubleColumn -> {
                    val values = nonNull(column.toArray(), column)
                    if (values.isNotEmpty()) {
                        val s = Numeric.stats(values)
                        j.number("sum", s.sum).number("min", s.min).number("max", s.max).number("mean", s.mean)
                    }
                }
                else -> {}
            }
            columns.add(j.toString())
        }
        return Json().field("rows", table.rowCount).raw("columns", columns.joinToString(",", "[", "]"))
    }

    private fun nonNull(values: LongArray, column: Column): LongArray =
        if (column.nullCount == 0) values else values.filterIndexed { i, _ -> !column.isNull(i) }.toLongArray()

    private fun nonNull(values: DoubleArray, column: Column): DoubleArray =
        if (column.nullCount == 0) values else values.filterIndexed { i, _ -> !column.isNull(i) }.toDoubleArray()

    /**
     * The collection `POST /vectors/search` searches: [count] seeded random vectors of
     * [dimension] components in a COSINE index on hotpath's backend.
     */
    internal fun collection(count: Int, dimension: Int): VectorIndex {
        val index = VectorIndex.create(dimension, Metric.COSINE)
        val rnd = java.util.Random(VECTOR_SEED)
        var added = 0
        // In slices, so the generated floats never need more than a few MiB of heap at once.
        val slice = maxOf(1, (1 shl 20) / dimension)
        while (added < count) {
            val n = minOf(slice, count - added)
            index.addAll(vectorsFrom(rnd, n, dimension), n)
            added += n
        }
        return index
    }

    /** [n] vectors of the collection's distribution, laid end to end (components in [-1, 1)). */
    internal fun vectorsFrom(rnd: java.util.Random, n: Int, dimension: Int): FloatArray =
        FloatArray(n * dimension) { rnd.nextFloat() * 2 - 1 }

    internal const val VECTOR_SEED: Long = 20261202

    private fun searchVectors(ctx: Context, index: VectorIndex) {
        val k = ctx.queryParam("k")?.let { it.toIntOrNull() ?: throw BadRequest("k must be a whole number, got '$it'") } ?: 10
        val body = ctx.bodyAsBytes()
        val bytesPerQuery = 4 * index.dimension()
        if (body.isEmpty() || body.size % bytesPerQuery != 0) {
            throw BadRequest("the body must hold one or more queries of ${index.dimension()} little-endian floats ($bytesPerQuery bytes each), got ${body.size} bytes")
        }
        val count = body.size / bytesPerQuery
        val queries = FloatArray(count * index.dimension())
        ByteBuffer.wrap(body).order(ByteOrder.LITTLE_ENDIAN).asFloatBuffer().get(queries)
        val results = index.searchBatch(queries, count, k)
        val sb = StringBuilder("[")
        results.forEachIndexed { i, top ->
            if (i > 0) sb.append(',')
            sb.append("{\"ids\":").append(top.ids.joinToString(",", "[", "]"))
            sb.append(",\"scores\":").append(top.scores.joinToString(",", "[", "]")).append('}')
        }
        json(ctx, Json().field("queries", count).field("k", k).raw("results", sb.append(']').toString()))
    }

    private fun hash(ctx: Context) {
        val body = ctx.bodyAsBytes()
        val algorithm = ctx.pathParam("algorithm")
        val digest = when (algorithm) {
            "blake3" -> Blake3.hash(body)
            "sha256" -> Sha256.hash(body)
            else -> throw BadRequest("unknown algorithm '$algorithm': expected blake3 or sha256")
        }
        json(ctx, Json().field("algorithm", algorithm).field("bytes", body.size).field("digest", hex(digest)))
    }

    private fun error(ctx: Context, status: HttpStatus, message: String?) {
        ctx.status(status)
        json(ctx, Json().field("error", message ?: status.message))
    }

    private fun json(ctx: Context, body: Json) {
        ctx.contentType("application/json").result(body.toString())
    }

    private const val MAX_LISTED = 100

    private class BadRequest(message: String) : RuntimeException(message)

    internal fun hex(bytes: ByteArray): String {
        val sb = StringBuilder(bytes.size * 2)
        for (v in bytes) {
            val i = v.toInt() and 0xff
            sb.append(HEX[i ushr 4]).append(HEX[i and 15])
        }
        return sb.toString()
    }

    private const val HEX = "0123456789abcdef"
}

/**
 * A flat JSON object of the few value kinds the service answers with. Strings it writes are
 * enum names, hex, algorithm names and error messages, escaped per RFC 8259.
 */
internal class Json {
    private val sb = StringBuilder("{")

    private fun key(name: String): StringBuilder {
        if (sb.length > 1) sb.append(',')
        return quote(name).append(':')
    }

    fun field(name: String, value: String?): Json = apply { if (value == null) key(name).append("null") else { key(name); quote(value) } }

    fun field(name: String, value: Boolean): Json = apply { key(name).append(value) }

    fun field(name: String, value: Int): Json = apply { key(name).append(value) }

    /** A finite double as JSON's number (Java's shortest round-trip form); NaN and infinities as strings. */
    fun number(name: String, value: Double): Json = apply {
        if (value.isFinite()) key(name).append(value) else field(name, value.toString())
    }

    fun raw(name: String, json: String): Json = apply { key(name).append(json) }

    fun ints(name: String, values: List<Int>): Json = apply {
        key(name).append('[')
        values.forEachIndexed { i, v -> if (i > 0) sb.append(','); sb.append(v) }
        sb.append(']')
    }

    private fun quote(s: String): StringBuilder {
        sb.append('"')
        for (c in s) {
            when {
                c == '"' -> sb.append("\\\"")
                c == '\\' -> sb.append("\\\\")
                c < ' ' -> sb.append(String.format("\\u%04x", c.code))
                else -> sb.append(c)
            }
        }
        return sb.append('"')
    }

    override fun toString(): String = sb.toString() + "}"
}
