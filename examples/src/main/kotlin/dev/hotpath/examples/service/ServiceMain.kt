@file:JvmName("ServiceMain")

package dev.hotpath.examples.service

import dev.hotpath.Hotpath
import kotlin.system.exitProcess

/**
 * Starts [HotpathService]: `ServiceMain [--host 127.0.0.1] [--port 8080] [--vectors 20000] [--dimension 384]` (port
 * 0: a free one; the vectors are the collection `/vectors/search` searches).
 * Prints one line, `hotpath-service listening on http://HOST:PORT backend=B native=true|false`
 * (native: whether kernels run in native code, which loads the library before the first request),
 * once it accepts requests; load tests and the integration test wait for it. Stops on SIGTERM
 * or Ctrl-C.
 */
public fun main(args: Array<String>) {
    var host = "127.0.0.1"
    var port = 8080
    var vectors = HotpathService.DEFAULT_VECTORS
    var dimension = HotpathService.DEFAULT_DIMENSION
    var i = 0
    while (i < args.size) {
        when (args[i]) {
            "--host" -> host = args.getOrNull(++i) ?: usage("--host needs a value")
            "--port" -> port = args.getOrNull(++i)?.toIntOrNull()?.takeIf { it in 0..65535 } ?: usage("--port needs a number from 0 to 65535")
            "--vectors" -> vectors = args.getOrNull(++i)?.toIntOrNull()?.takeIf { it >= 0 } ?: usage("--vectors needs a number >= 0")
            "--dimension" -> dimension = args.getOrNull(++i)?.toIntOrNull()?.takeIf { it >= 1 } ?: usage("--dimension needs a number >= 1")
            else -> usage("unknown argument ${args[i]}")
        }
        i++
    }
    val app = HotpathService.create(host, port, vectors, dimension).start()
    Runtime.getRuntime().addShutdownHook(Thread { app.stop() })
    val native = HotpathService.runsNatively()
    println("hotpath-service listening on http://$host:${app.port()} backend=${Hotpath.backend} native=$native")
    System.out.flush()
}

private fun usage(problem: String): Nothing {
    System.err.println("ServiceMain: $problem\nusage: ServiceMain [--host 127.0.0.1] [--port 8080] [--vectors 20000] [--dimension 384]")
    exitProcess(2)
}
