package dev.hotpath.bench.service;

import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Predicate;
import java.util.function.Supplier;
import java.util.concurrent.locks.LockSupport;
import org.HdrHistogram.ConcurrentHistogram;
import org.HdrHistogram.Histogram;

/**
 * A constant-rate, open-loop load generator, corrected for coordinated omission as wrk2 is:
 * request {@code i} is due at {@code start + i / rate}, and its latency is measured from that
 * moment, not from when it was sent. A service that stalls therefore shows the stall in every
 * request that should have gone out meanwhile, instead of the generator quietly waiting with it.
 * Requests in flight are bounded; when the bound is reached the generator waits, and the wait
 * counts in the latency of the requests that wait.
 */
final class OpenLoop {
    /** Latencies are recorded in microseconds, up to an hour, with 3 significant digits. */
    static final long MAX_LATENCY_US = 3_600_000_000L;

    private OpenLoop() {
    }

    /**
     * One step of a sweep.
     *
     * @param targetRate requests per second asked for
     * @param achievedRate successful answers per second, from the first due time to the last answer
     * @param ok answers that passed the check
     * @param errors failures, timeouts and answers that did not pass the check
     * @param latencies microseconds from due time to answer, of every request (failed ones too)
     */
    record Result(double targetRate, double achievedRate, long ok, long errors, Histogram latencies) {
        double percentileMs(double p) {
            return latencies.getValueAtPercentile(p) / 1000.0;
        }

        double maxMs() {
            return latencies.getMaxValue() / 1000.0;
        }
    }

    /**
     * Sends {@code Math.round(rate * seconds)} requests at {@code rate} per second and waits for
     * their answers (at most {@code seconds + 60} s more; requests still unanswered then count as
     * errors with the latency they had reached).
     */
    static Result run(HttpClient client, Supplier<HttpRequest> requests, Predicate<HttpResponse<byte[]>> check,
                      double rate, double seconds, int maxInFlight) throws InterruptedException {
        int n = (int) Math.max(1, Math.round(rate * seconds));
        ConcurrentHistogram latencies = new ConcurrentHistogram(MAX_LATENCY_US, 3);
        Semaphore inFlight = new Semaphore(maxInFlight);
        AtomicLong ok = new AtomicLong();
        AtomicLong errors = new AtomicLong();
        AtomicLong lastAnswer = new AtomicLong();
        CountDownLatch done = new CountDownLatch(n);
        double intervalNs = 1e9 / rate;
        long start = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(20);
        for (int i = 0; i < n; i++) {
            long due = start + (long) (i * intervalNs);
            long wait;
            while ((wait = due - System.nanoTime()) > 0) {
                LockSupport.parkNanos(wait);
            }
            inFlight.acquire();
            HttpRequest request = requests.get();
            client.sendAsync(request, HttpResponse.BodyHandlers.ofByteArray()).whenComplete((response, failure) -> {
                long now = System.nanoTime();
                latencies.recordValue(Math.min(MAX_LATENCY_US, Math.max(1, (now - due) / 1000)));
                if (failure == null && check.test(response)) {
                    ok.incrementAndGet();
                } else {
                    errors.incrementAndGet();
                }
                lastAnswer.accumulateAndGet(now, Math::max);
                inFlight.release();
                done.countDown();
            });
        }
        if (!done.await((long) (seconds + 60), TimeUnit.SECONDS)) {
            long now = System.nanoTime();
            long missing = done.getCount();
            // Unanswered requests: each as late as the last one due.
            latencies.recordValueWithCount(Math.min(MAX_LATENCY_US, Math.max(1, (now - (start + (long) ((n - 1) * intervalNs))) / 1000)), missing);
            errors.addAndGet(missing);
            lastAnswer.accumulateAndGet(now, Math::max);
        }
        double elapsed = Math.max(1, lastAnswer.get() - start) / 1e9;
        return new Result(rate, ok.get() / elapsed, ok.get(), errors.get(), latencies.copy());
    }

    /**
     * A closed-loop estimate of the service's capacity: {@code concurrency} clients each send the
     * next request when the previous answer arrives, for {@code seconds}; answers per second.
     */
    static double capacity(HttpClient client, Supplier<HttpRequest> requests, Predicate<HttpResponse<byte[]>> check,
                           int concurrency, double seconds) throws InterruptedException {
        long end = System.nanoTime() + (long) (seconds * 1e9);
        AtomicLong ok = new AtomicLong();
        AtomicLong failed = new AtomicLong();
        Thread[] clients = new Thread[concurrency];
        long start = System.nanoTime();
        for (int c = 0; c < concurrency; c++) {
            clients[c] = new Thread(() -> {
                while (System.nanoTime() < end) {
                    try {
                        HttpResponse<byte[]> r = client.send(requests.get(), HttpResponse.BodyHandlers.ofByteArray());
                        (check.test(r) ? ok : failed).incrementAndGet();
                    } catch (InterruptedException e) {
                        Thread.currentThread().interrupt();
                        return;
                    } catch (Exception e) {
                        failed.incrementAndGet();
                    }
                }
            }, "capacity-probe-" + c);
            clients[c].start();
        }
        for (Thread t : clients) {
            t.join();
        }
        if (ok.get() == 0) {
            throw new IllegalStateException("no request succeeded in the capacity probe (" + failed.get() + " failed)");
        }
        return ok.get() / ((System.nanoTime() - start) / 1e9);
    }
}
