package dev.hotpath.bench.service;

import dev.hotpath.BlockBuilder;
import dev.hotpath.Ed25519;
import dev.hotpath.Transaction;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.PrintWriter;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Random;
import java.util.TreeSet;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Predicate;
import java.util.function.Supplier;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The service under load: starts the example service ({@code dev.hotpath.examples.service.ServiceMain})
 * in a fresh JVM per backend and collector, measures its cold start to the first answered
 * request, then per endpoint estimates its capacity (closed loop) and sweeps constant request
 * rates around it with {@link OpenLoop}, recording throughput, latency percentiles and the GC
 * pauses of each step from the service's own GC log; peak RSS (VmHWM) per service process.
 * Every request goes to 127.0.0.1, each step sends a bounded number of them, and the run ends by
 * itself. Writes results.csv rows of family {@code service}:
 * <ul>
 * <li>kernel {@code <endpoint>@<collector>}, size = target rate (requests/s), units {@code rps},
 * {@code ms p50}, {@code ms p99}, {@code ms p99.9}, {@code ms max}, {@code errors}, {@code ms gc pauses};
 * <li>kernel {@code process@<collector>}, size 0, units {@code MiB rss peak}, {@code ms cold start}.
 * </ul>
 * <pre>
 * ServiceLoad --classpath CP --out FILE.csv --logs DIR [--java PATH] [--jdk 17] [--backends JVM,NATIVE]
 *             [--collectors G1,Parallel] [--endpoints block,signatures,hash,csv,vectors] [--step-seconds 4]
 *             [--probe-seconds 4] [--cache DIR]
 * </pre>
 */
public final class ServiceLoad {
    /** Fractions of the measured capacity each backend is driven at. */
    private static final double[] FRACTIONS = {0.1, 0.25, 0.5, 0.7, 0.85, 1.0, 1.2};
    private static final int MAX_IN_FLIGHT = 512;
    private static final double MAX_RATE = 20_000;
    /** Steps beyond the planned ones, each 1.4 times the last, while the service still keeps up. */
    private static final int MAX_EXTRA_STEPS = 4;
    /** The service's vector collection: 50,000 embeddings of 384 dimensions (73 MiB of floats). */
    private static final int VECTORS = 50_000;
    private static final int DIMENSION = 384;
    private static final int QUERIES_PER_REQUEST = 16;

    private ServiceLoad() {
    }

    /** An endpoint, its request bodies and what a correct answer contains. */
    private record Endpoint(String name, String path, List<byte[]> bodies, String expect) {
    }

    public static void main(String[] args) throws Exception {
        Map<String, String> opt = new LinkedHashMap<>();
        for (int i = 0; i + 1 < args.length; i += 2) {
            if (!args[i].startsWith("--")) {
                throw new IllegalArgumentException("expected --option value, got " + args[i]);
            }
            opt.put(args[i].substring(2), args[i + 1]);
        }
        String classpath = required(opt, "classpath");
        Path out = Paths.get(required(opt, "out"));
        Path logs = Paths.get(required(opt, "logs"));
        String java = opt.getOrDefault("java", Paths.get(System.getProperty("java.home"), "bin", "java").toString());
        String jdk = opt.getOrDefault("jdk", Integer.toString(Runtime.version().feature()));
        List<String> backends = List.of(opt.getOrDefault("backends", "JVM,NATIVE").split(","));
        List<String> collectors = List.of(opt.getOrDefault("collectors", "G1,Parallel").split(","));
        List<String> wanted = List.of(opt.getOrDefault("endpoints", "block,signatures,hash,csv,vectors").split(","));
        double stepSeconds = Double.parseDouble(opt.getOrDefault("step-seconds", "4"));
        double probeSeconds = Double.parseDouble(opt.getOrDefault("probe-seconds", "4"));
        String cache = opt.getOrDefault("cache", logs.resolve("cache").toString());
        Files.createDirectories(logs);

        List<Endpoint> endpoints = new ArrayList<>();
        for (Endpoint e : endpoints()) {
            if (wanted.contains(e.name())) {
                endpoints.add(e);
            }
        }
        HttpClient client = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
                .connectTimeout(Duration.ofSeconds(10)).build();
        List<String> rows = new ArrayList<>();
        for (String gc : collectors) {
            // Rates each endpoint was driven at on earlier backends: later backends are measured there too.
            Map<String, TreeSet<Long>> earlierRates = new LinkedHashMap<>();
            for (String backend : backends) {
                String impl = backend.toLowerCase(Locale.ROOT);
                Path gcLog = logs.resolve("gc-" + impl + "-" + gc + ".log");
                Files.deleteIfExists(gcLog);
                List<String> command = new ArrayList<>(List.of(java, "--enable-native-access=ALL-UNNAMED",
                        "-XX:+Use" + gc + "GC", "-Xms512m", "-Xmx512m", "-Xlog:gc:file=" + gcLog,
                        "-Dhotpath.backend=" + backend, "-Dhotpath.cache.dir=" + cache,
                        "-Dorg.slf4j.simpleLogger.defaultLogLevel=warn",
                        "-cp", classpath, "dev.hotpath.examples.service.ServiceMain", "--port", "0",
                        "--vectors", Integer.toString(VECTORS), "--dimension", Integer.toString(DIMENSION)));
                log("starting the service: backend " + backend + ", " + gc + " GC");
                long launched = System.nanoTime();
                Process service = new ProcessBuilder(command)
                        .redirectError(logs.resolve("service-" + impl + "-" + gc + ".err").toFile()).start();
                try {
                    String base = awaitListening(service);
                    byte[] abc = "abc".getBytes(StandardCharsets.US_ASCII);
                    HttpResponse<String> first = client.send(post(base + "/hash/blake3", abc), HttpResponse.BodyHandlers.ofString());
                    double coldMs = (System.nanoTime() - launched) / 1e6;
                    if (first.statusCode() != 200) {
                        throw new IllegalStateException("first request answered " + first.statusCode() + ": " + first.body());
                    }
                    rows.add(row("process@" + gc, 0, impl, coldMs, "ms cold start", jdk));
                    for (Endpoint e : endpoints) {
                        Supplier<HttpRequest> requests = rotating(base + e.path(), e.bodies());
                        Predicate<HttpResponse<byte[]>> check = r -> r.statusCode() == 200
                                && new String(r.body(), StandardCharsets.UTF_8).contains(e.expect());
                        // Warm-up (JIT, connection pool), then the estimate the sweep is laid around.
                        OpenLoop.capacity(client, requests, check, 4, Math.max(1, probeSeconds / 2));
                        double capacity = OpenLoop.capacity(client, requests, check, 4, probeSeconds);
                        TreeSet<Long> rates = new TreeSet<>();
                        for (double f : FRACTIONS) {
                            rates.add(Math.max(1, Math.round(Math.min(MAX_RATE, f * capacity))));
                        }
                        for (long r : earlierRates.getOrDefault(e.name(), new TreeSet<>())) {
                            if (r <= 1.2 * capacity) {
                                rates.add(r);
                            }
                        }
                        log(String.format(Locale.ROOT, "%s %s %s: capacity %.0f/s, rates %s", backend, gc, e.name(), capacity, rates));
                        String kernel = e.name() + "@" + gc;
                        OpenLoop.Result last = null;
                        for (long rate : rates) {
                            last = step(client, requests, check, rate, stepSeconds, gcLog, kernel, impl, jdk, rows);
                        }
                        // A probe underestimates what an open loop can reach: go on until the service saturates.
                        long rate = rates.last();
                        for (int extra = 0; extra < MAX_EXTRA_STEPS && saturatedNot(last, rate) && rate * 1.4 <= MAX_RATE; extra++) {
                            rate = Math.round(rate * 1.4);
                            rates.add(rate);
                            last = step(client, requests, check, rate, stepSeconds, gcLog, kernel, impl, jdk, rows);
                        }
                        earlierRates.computeIfAbsent(e.name(), k -> new TreeSet<>()).addAll(rates);
                    }
                    double rssMiB = peakRssKiB(service.pid()) / 1024.0;
                    rows.add(row("process@" + gc, 0, impl, rssMiB, "MiB rss peak", jdk));
                    log(String.format(Locale.ROOT, "%s %s: cold start %.0f ms, peak RSS %.0f MiB", backend, gc, coldMs, rssMiB));
                } finally {
                    service.destroy();
                    if (!service.waitFor(20, TimeUnit.SECONDS)) {
                        service.destroyForcibly();
                    }
                }
            }
        }
        Files.createDirectories(out.toAbsolutePath().getParent());
        try (PrintWriter w = new PrintWriter(Files.newBufferedWriter(out, StandardCharsets.UTF_8))) {
            w.println("family,kernel,size,implementation,threads,score,error,unit,jdk");
            rows.forEach(w::println);
        }
        log("wrote " + rows.size() + " rows to " + out);
    }

    /** Whether the service kept up with {@code rate}: every answer correct, nearly all of them, P99 under a second. */
    private static boolean saturatedNot(OpenLoop.Result r, long rate) {
        return r != null && r.errors() == 0 && r.achievedRate() >= 0.95 * rate && r.percentileMs(99) < 1000;
    }

    /** One rate: drives it, adds its rows and logs a line. */
    private static OpenLoop.Result step(HttpClient client, Supplier<HttpRequest> requests, Predicate<HttpResponse<byte[]>> check,
                                        long rate, double seconds, Path gcLog, String kernel, String impl, String jdk,
                                        List<String> rows) throws IOException, InterruptedException {
        long gcFrom = Files.exists(gcLog) ? Files.size(gcLog) : 0;
        OpenLoop.Result r = OpenLoop.run(client, requests, check, rate, seconds, MAX_IN_FLIGHT);
        double[] pauses = pauses(gcLog, gcFrom);
        rows.add(row(kernel, rate, impl, r.achievedRate(), "rps", jdk));
        rows.add(row(kernel, rate, impl, r.percentileMs(50), "ms p50", jdk));
        rows.add(row(kernel, rate, impl, r.percentileMs(99), "ms p99", jdk));
        rows.add(row(kernel, rate, impl, r.percentileMs(99.9), "ms p99.9", jdk));
        rows.add(row(kernel, rate, impl, r.maxMs(), "ms max", jdk));
        rows.add(row(kernel, rate, impl, r.errors(), "errors", jdk));
        rows.add(row(kernel, rate, impl, pauses[0], "ms gc pauses", jdk));
        log(String.format(Locale.ROOT, "  %6d/s: achieved %8.1f/s  p50 %8.2f  p99 %8.2f  p99.9 %8.2f  max %8.2f ms"
                + "  errors %d  gc %d pauses %.1f ms", rate, r.achievedRate(), r.percentileMs(50),
                r.percentileMs(99), r.percentileMs(99.9), r.maxMs(), r.errors(), (long) pauses[1], pauses[0]));
        return r;
    }

    private static String required(Map<String, String> opt, String name) {
        String v = opt.get(name);
        if (v == null) {
            throw new IllegalArgumentException("--" + name + " is required");
        }
        return v;
    }

    private static String row(String kernel, long rate, String impl, double score, String unit, String jdk) {
        return String.join(",", "service", kernel, Long.toString(rate), impl, "0",
                String.format(Locale.ROOT, "%.6g", score), "", unit, jdk);
    }

    private static void log(String s) {
        System.out.println("[service] " + s);
        System.out.flush();
    }

    /** The service's base URL, from the line it prints once it accepts requests. */
    private static String awaitListening(Process service) throws IOException {
        BufferedReader out = new BufferedReader(new InputStreamReader(service.getInputStream(), StandardCharsets.UTF_8));
        Pattern listening = Pattern.compile("listening on (http://\\S+) ");
        String line;
        while ((line = out.readLine()) != null) {
            Matcher m = listening.matcher(line);
            if (m.find()) {
                // Drain the rest, so a chatty service never blocks on a full pipe.
                Thread drain = new Thread(() -> {
                    try {
                        while (out.readLine() != null) {
                            // discarded
                        }
                    } catch (IOException ignored) {
                        // the service exited
                    }
                }, "service-stdout");
                drain.setDaemon(true);
                drain.start();
                return m.group(1);
            }
        }
        throw new IllegalStateException("the service exited before listening (see its .err file)");
    }

    private static HttpRequest post(String url, byte[] body) {
        return HttpRequest.newBuilder(URI.create(url)).timeout(Duration.ofSeconds(30))
                .header("Content-Type", "application/octet-stream")
                .POST(HttpRequest.BodyPublishers.ofByteArray(body)).build();
    }

    /** Requests that cycle through the bodies, so no answer is the same bytes twice in a row. */
    private static Supplier<HttpRequest> rotating(String url, List<byte[]> bodies) {
        AtomicInteger next = new AtomicInteger();
        return () -> post(url, bodies.get(Math.floorMod(next.getAndIncrement(), bodies.size())));
    }

    /** G1's and Parallel's pause lines in {@code -Xlog:gc} end in {@code 1.234ms}. */
    private static final Pattern PAUSE = Pattern.compile("Pause.* ([0-9]+(?:\\.[0-9]+)?)ms\\s*$");

    /** Total milliseconds and count of the pauses logged after byte {@code from} of the GC log. */
    static double[] pauses(Path gcLog, long from) throws IOException {
        double total = 0;
        long count = 0;
        if (!Files.exists(gcLog)) {
            return new double[] {0, 0};
        }
        byte[] all = Files.readAllBytes(gcLog);
        String text = new String(all, (int) Math.min(from, all.length), (int) Math.max(0, all.length - from), StandardCharsets.UTF_8);
        for (String line : text.split("\n")) {
            Matcher m = PAUSE.matcher(line);
            if (m.find()) {
                total += Double.parseDouble(m.group(1));
                count++;
            }
        }
        return new double[] {total, count};
    }

    /** VmHWM of a Linux process (its peak resident set), in KiB; NaN elsewhere. */
    static double peakRssKiB(long pid) {
        try {
            for (String line : Files.readAllLines(Paths.get("/proc/" + pid + "/status"))) {
                if (line.startsWith("VmHWM:")) {
                    return Double.parseDouble(line.replaceAll("[^0-9]", ""));
                }
            }
        } catch (IOException | NumberFormatException e) {
            // Not Linux, or the process is gone.
        }
        return Double.NaN;
    }

    /** The endpoints' bodies, seeded: blocks of 1,000 valid transactions, batches of 64 signatures, 256 KiB uploads, CSV files of 10,000 rows, batches of 16 queries against 50,000 vectors of 384 dimensions. */
    private static List<Endpoint> endpoints() {
        Random rnd = new Random(20261202);
        List<byte[]> blocks = new ArrayList<>();
        for (int b = 0; b < 4; b++) {
            byte[] secret = bytes(rnd, 32);
            BlockBuilder builder = new BlockBuilder(b, bytes(rnd, 32));
            for (int i = 0; i < 1000; i++) {
                builder.add(Transaction.sign(secret, bytes(rnd, 32), 1 + rnd.nextInt(1_000_000), 1, i, bytes(rnd, 32)));
            }
            blocks.add(builder.build());
        }
        List<byte[]> batches = new ArrayList<>();
        for (int b = 0; b < 4; b++) {
            ByteBuffer body = ByteBuffer.allocate(64 * (32 + 64 + 4 + 100)).order(ByteOrder.LITTLE_ENDIAN);
            for (int i = 0; i < 64; i++) {
                byte[] secret = bytes(rnd, 32);
                byte[] message = bytes(rnd, 100);
                body.put(Ed25519.publicKey(secret)).put(Ed25519.sign(secret, message)).putInt(message.length).put(message);
            }
            batches.add(body.array());
        }
        List<byte[]> uploads = new ArrayList<>();
        for (int b = 0; b < 4; b++) {
            uploads.add(bytes(rnd, 256 * 1024));
        }
        List<byte[]> tables = new ArrayList<>();
        for (int b = 0; b < 4; b++) {
            StringBuilder csv = new StringBuilder("id,account,amount,fee,memo,settled\n");
            for (int i = 0; i < 10_000; i++) {
                csv.append(i).append(',').append(rnd.nextInt(1_000_000)).append(',')
                        .append(String.format(Locale.ROOT, "%.2f", rnd.nextDouble() * 10_000)).append(',')
                        .append(rnd.nextInt(100)).append(",\"memo ").append(rnd.nextInt(1000)).append("\",")
                        .append(rnd.nextBoolean()).append('\n');
            }
            tables.add(csv.toString().getBytes(StandardCharsets.UTF_8));
        }
        List<byte[]> queries = new ArrayList<>();
        for (int b = 0; b < 4; b++) {
            ByteBuffer body = ByteBuffer.allocate(QUERIES_PER_REQUEST * DIMENSION * 4).order(ByteOrder.LITTLE_ENDIAN);
            for (int i = 0; i < QUERIES_PER_REQUEST * DIMENSION; i++) {
                body.putFloat(rnd.nextFloat() * 2 - 1);
            }
            queries.add(body.array());
        }
        return List.of(
                new Endpoint("vectors", "/vectors/search?k=10", queries, "\"queries\":" + QUERIES_PER_REQUEST),
                new Endpoint("csv", "/csv/aggregate", tables, "\"rows\":10000"),
                new Endpoint("block", "/blocks/validate", blocks, "\"valid\":true"),
                new Endpoint("signatures", "/signatures/verify", batches, "\"valid\":64"),
                new Endpoint("hash", "/hash/blake3", uploads, "\"digest\""));
    }

    private static byte[] bytes(Random rnd, int n) {
        byte[] b = new byte[n];
        rnd.nextBytes(b);
        return b;
    }
}
