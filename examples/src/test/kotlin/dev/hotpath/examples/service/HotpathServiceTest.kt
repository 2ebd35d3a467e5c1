package dev.hotpath.examples.service

import dev.hotpath.BlockBuilder
import dev.hotpath.Ed25519
import dev.hotpath.Transaction
import org.junit.jupiter.api.AfterAll
import org.junit.jupiter.api.Assertions.assertEquals
import org.junit.jupiter.api.Assertions.assertTrue
import org.junit.jupiter.api.BeforeAll
import org.junit.jupiter.api.TestInstance
import org.junit.jupiter.params.ParameterizedTest
import org.junit.jupiter.params.provider.ValueSource
import java.io.BufferedReader
import java.io.InputStreamReader
import java.net.URI
import java.net.http.HttpClient
import java.net.http.HttpRequest
import java.net.http.HttpResponse
import java.nio.ByteBuffer
import java.nio.ByteOrder
import java.nio.file.Files
import java.nio.file.Paths
import java.time.Duration
import java.util.concurrent.TimeUnit
import kotlin.random.Random

/**
 * The service as a user starts it: `ServiceMain` in a fresh JVM per backend, on a free port,
 * with the packaged hotpath jar on its class path; every endpoint called over loopback and its
 * answer checked against values computed here (known-answer digests, blocks and batches whose
 * bad entries the test chose).
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class HotpathServiceTest {
    private class Service(val process: Process, val base: String)

    private val services = HashMap<String, Service>()
    private val client: HttpClient = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(10)).build()

    @BeforeAll
    fun start() {
        for (backend in listOf("NATIVE", "JVM")) services[backend] = launch(backend)
    }

    @AfterAll
    fun stop() {
        for (s in services.values) {
            s.process.destroy()
            if (!s.process.waitFor(20, TimeUnit.SECONDS)) s.process.destroyForcibly()
        }
    }

    private fun launch(backend: String): Service {
        val classpath = System.getProperty("hotpath.test.classes") + java.io.File.pathSeparator +
            Files.readString(Paths.get(System.getProperty("hotpath.test.serviceClasspath"))).trim()
        val process = ProcessBuilder(
            System.getProperty("hotpath.test.java"), "--enable-native-access=ALL-UNNAMED",
            "-Dhotpath.backend=$backend", "-Dhotpath.cache.dir=" + System.getProperty("hotpath.cache.dir"),
            "-Dorg.slf4j.simpleLogger.defaultLogLevel=warn",
            "-cp", classpath, "dev.hotpath.examples.service.ServiceMain", "--port", "0",
            "--vectors", VECTORS.toString(), "--dimension", DIMENSION.toString(),
        ).redirectError(ProcessBuilder.Redirect.INHERIT).start()
        try {
            val out = BufferedReader(InputStreamReader(process.inputStream))
            val line = out.readLine() ?: error("the $backend service exited (${process.waitFor()}) before listening")
            val match = Regex("listening on (http://\\S+) backend=(\\w+) native=(\\w+)").find(line) ?: error("unexpected first line: $line")
            assertEquals(backend, match.groupValues[2])
            assertEquals(backend == "NATIVE", match.groupValues[3].toBoolean(), line)
            return Service(process, match.groupValues[1])
        } catch (e: Throwable) {
            process.destroyForcibly()
            throw e
        }
    }

    private fun post(backend: String, path: String, body: ByteArray): HttpResponse<String> =
        client.send(
            HttpRequest.newBuilder(URI.create(services.getValue(backend).base + path)).timeout(Duration.ofSeconds(60))
                .POST(HttpRequest.BodyPublishers.ofByteArray(body)).build(),
            HttpResponse.BodyHandlers.ofString(),
        )

    private fun get(backend: String, path: String): HttpResponse<String> =
        client.send(HttpRequest.newBuilder(URI.create(services.getValue(backend).base + path)).GET().build(), HttpResponse.BodyHandlers.ofString())

    @ParameterizedTest
    @ValueSource(strings = ["NATIVE", "JVM"])
    fun `health names the backend`(backend: String) {
        val r = get(backend, "/health")
        assertEquals(200, r.statusCode())
        assertTrue(r.body().contains("\"backend\":\"$backend\""), r.body())
        assertTrue(r.body().contains("\"native\":${backend == "NATIVE"}"), r.body())
    }

    @ParameterizedTest
    @ValueSource(strings = ["NATIVE", "JVM"])
    fun `hash answers the known digests`(backend: String) {
        val abc = "abc".toByteArray()
        val b3 = post(backend, "/hash/blake3", abc)
        assertEquals(200, b3.statusCode(), b3.body())
        assertEquals("{\"algorithm\":\"blake3\",\"bytes\":3,\"digest\":\"6437b3ac38465133ffb63b75273a8db548c558465d79db03fd359c6cd5bd9d85\"}", b3.body())
        val sha = post(backend, "/hash/sha256", abc)
        assertEquals("{\"algorithm\":\"sha256\",\"bytes\":3,\"digest\":\"ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad\"}", sha.body())
        val big = Random(7).nextBytes(3_000_001)
        val both = listOf(post("NATIVE", "/hash/blake3", big).body(), post("JVM", "/hash/blake3", big).body())
        assertEquals(both[0], both[1])
        val unknown = post(backend, "/hash/md5", abc)
        assertEquals(400, unknown.statusCode())
        assertTrue(unknown.body().contains("unknown algorithm 'md5'"), unknown.body())
    }

    @ParameterizedTest
    @ValueSource(strings = ["NATIVE", "JVM"])
    fun `signatures report the forged ones`(backend: String) {
        val rnd = Random(11)
        val forged = setOf(3, 40, 99)
        val body = ByteBuffer.allocate(100 * (HotpathService.SIGNATURE_RECORD_FIXED + 64)).order(ByteOrder.LITTLE_ENDIAN)
        for (i in 0 until 100) {
            val secret = rnd.nextBytes(32)
            val message = rnd.nextBytes(i % 64)
            val signature = Ed25519.sign(secret, message)
            if (i in forged) signature[i % 64] = (signature[i % 64].toInt() xor 1).toByte()
            body.put(Ed25519.publicKey(secret)).put(signature).putInt(message.size).put(message)
        }
        val r = post(backend, "/signatures/verify", body.array().copyOf(body.position()))
        assertEquals(200, r.statusCode(), r.body())
        assertEquals("{\"count\":100,\"valid\":97,\"firstInvalid\":[3,40,99]}", r.body())

        val truncated = post(backend, "/signatures/verify", body.array().copyOf(150))
        assertEquals(400, truncated.statusCode())
        assertTrue(truncated.body().contains("signature record 1 at byte"), truncated.body())
    }

    @ParameterizedTest
    @ValueSource(strings = ["NATIVE", "JVM"])
    fun `blocks are validated and their bad transactions counted`(backend: String) {
        val rnd = Random(5)
        val builder = BlockBuilder(42, ByteArray(32) { it.toByte() })
        val secret = rnd.nextBytes(32)
        for (i in 0 until 1000) {
            builder.add(Transaction.sign(secret, rnd.nextBytes(32), 1L + i, 1, i.toLong(), rnd.nextBytes(i % 100)))
        }
        val block = builder.build()
        val ok = post(backend, "/blocks/validate", block)
        assertEquals(200, ok.statusCode(), ok.body())
        assertTrue(ok.body().startsWith("{\"valid\":true,\"error\":null,\"txCount\":1000,\"merkleRoot\":\"" + HotpathService.hex(builder.merkleRoot()) + "\""), ok.body())
        assertTrue(ok.body().endsWith("\"statuses\":{\"OK\":1000},\"firstInvalid\":[]}"), ok.body())

        // The last byte of the first transaction is in its signature.
        val first = Transaction.sign(secret, ByteArray(32), 1, 1, 0, ByteArray(0))
        val bad = block.copyOf()
        val at = 80 + 4 + first.size - 1
        bad[at] = (bad[at].toInt() xor 1).toByte()
        val r = post(backend, "/blocks/validate", bad)
        assertEquals(200, r.statusCode(), r.body())
        assertTrue(r.body().startsWith("{\"valid\":false,\"error\":\"MERKLE_MISMATCH\",\"txCount\":1000"), r.body())
        assertTrue(r.body().endsWith("\"statuses\":{\"OK\":999,\"BAD_SIGNATURE\":1},\"firstInvalid\":[0]}"), r.body())

        val garbage = post(backend, "/blocks/validate", "not a block".toByteArray())
        assertEquals(200, garbage.statusCode())
        assertTrue(garbage.body().startsWith("{\"valid\":false,\"error\":\"BAD_MAGIC\""), garbage.body())
    }

    @ParameterizedTest
    @ValueSource(strings = ["NATIVE", "JVM"])
    fun `csv columns are typed and aggregated`(backend: String) {
        val csv = StringBuilder("id,price,name,flag\n")
        var sum = 0L
        var priceSum = 0.0
        for (i in 1..5000) {
            csv.append(i).append(',').append(if (i % 10 == 0) "" else (i * 0.5).toString()).append(",n").append(i).append(",true\n")
            sum += i
            if (i % 10 != 0) priceSum += i * 0.5
        }
        val r = post(backend, "/csv/aggregate", csv.toString().toByteArray())
        assertEquals(200, r.statusCode(), r.body())
        assertTrue(r.body().startsWith("{\"rows\":5000,\"columns\":[{\"name\":\"id\",\"type\":\"LONG\",\"nulls\":0,\"sum\":$sum,\"min\":1,\"max\":5000}"), r.body())
        assertTrue(r.body().contains("{\"name\":\"price\",\"type\":\"DOUBLE\",\"nulls\":500,\"sum\":$priceSum,\"min\":0.5,\"max\":2499.5,"), r.body())
        assertTrue(r.body().contains("{\"name\":\"name\",\"type\":\"STRING\",\"nulls\":0}"), r.body())
        assertTrue(r.body().endsWith("{\"name\":\"flag\",\"type\":\"BOOLEAN\",\"nulls\":0}]}"), r.body())

        val bad = post(backend, "/csv/aggregate", "a,b\n1,2\n3\n".toByteArray())
        assertEquals(400, bad.statusCode(), bad.body())
        assertTrue(bad.body().contains("\"error\":"), bad.body())
    }

    @ParameterizedTest
    @ValueSource(strings = ["NATIVE", "JVM"])
    fun `vector search finds each stored vector first`(backend: String) {
        // The service's collection, regenerated: its vectors 0, 1, 2, ... in order.
        val stored = HotpathService.vectorsFrom(java.util.Random(HotpathService.VECTOR_SEED), 5, DIMENSION)
        val body = ByteBuffer.allocate(3 * 4 * DIMENSION).order(ByteOrder.LITTLE_ENDIAN)
        for (q in intArrayOf(4, 0, 2)) for (d in 0 until DIMENSION) body.putFloat(stored[q * DIMENSION + d] * 3f)
        val r = post(backend, "/vectors/search?k=3", body.array())
        assertEquals(200, r.statusCode(), r.body())
        val ids = Regex("\\{\"ids\":\\[(\\d+),\\d+,\\d+],\"scores\":\\[([0-9.E-]+),").findAll(r.body()).toList()
        assertEquals(listOf("4", "0", "2"), ids.map { it.groupValues[1] }, r.body())
        // COSINE: a scaled copy scores 1 against the stored vector.
        for (m in ids) assertEquals(1.0, m.groupValues[2].toDouble(), 1e-5, r.body())
        assertTrue(r.body().startsWith("{\"queries\":3,\"k\":3,"), r.body())

        val ragged = post(backend, "/vectors/search", ByteArray(4 * DIMENSION + 1))
        assertEquals(400, ragged.statusCode())
        assertTrue(ragged.body().contains("queries of $DIMENSION little-endian floats"), ragged.body())
    }

    private companion object {
        const val VECTORS = 2000
        const val DIMENSION = 16
    }
}
