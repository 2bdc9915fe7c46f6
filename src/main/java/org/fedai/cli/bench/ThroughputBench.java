package org.fedai.cli.bench;

import java.io.PrintWriter;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.fedai.protocol.JobRequest;
import org.fedai.roles.client.JobOutcome;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * {@code fedai bench throughput}: one router, many simulated nodes, several clients each keeping a few free jobs
 * in flight (a closed loop: a client sends its next job when one finishes), all over the embedded relay.
 */
@Command(name = "throughput", mixinStandardHelpOptions = true,
        description = {"Free jobs through one router to --nodes simulated nodes from --clients concurrent clients,",
            "each keeping --in-flight jobs open, over the embedded relay (rate limits lifted for the load) or --relay:",
            "jobs/s and latency percentiles after a warm-up."})
public final class ThroughputBench implements Callable<Integer> {

    @Spec
    CommandSpec spec;

    @picocli.CommandLine.Mixin
    RelayChoice relay = new RelayChoice();

    @Option(names = "--nodes", defaultValue = "100")
    int nodes;

    @Option(names = "--jobs", defaultValue = "5000")
    int jobs;

    @Option(names = "--clients", defaultValue = "8")
    int clients;

    @Option(names = "--in-flight", defaultValue = "8", description = "Open jobs per client (default ${DEFAULT-VALUE}).")
    int inFlight;

    @Option(names = "--warmup", defaultValue = "500")
    int warmup;

    @Option(names = "--adversarial", defaultValue = "0", description = {"Fraction of the nodes that accept, take"
        + " the work order and never deliver (default ${DEFAULT-VALUE}); the report then lists the router's",
        "slash claims against them, verified from the relay, and the work orders they got after."})
    double adversarial;

    @Option(names = "--deliver-within", defaultValue = "60", description = "Seconds each job allows the node"
            + " (deliver_by); a swallowed job is resent after this (default ${DEFAULT-VALUE}).")
    long deliverWithin;

    private AdversarialNodes adversaries;

    @Override
    public Integer call() throws Exception {
        relay.check(spec);
        PrintWriter out = spec.commandLine().getOut();
        long started = System.nanoTime();
        try (FreeMarket market = new FreeMarket(nodes, clients, AdversarialNodes.count(adversarial, nodes), relay.url,
                relay.delay())) {
            adversaries = new AdversarialNodes(market.adversaries());
            out.printf(Locale.ROOT, "throughput: market of 1 router, %d simulated nodes, %d clients up in %.1f s; %s%n",
                    nodes, clients, (System.nanoTime() - started) / 1e9, market.embedded().map(r -> String.format(
                            Locale.ROOT, "embedded relay, limit %.0f events/s per connection, %d ms a hop",
                            FreeMarket.LIMITS.eventsPerSecond(), relay.delayMs)).orElse("relay " + market.url()));
            run(market, warmup, 0, false);
            com.sun.management.OperatingSystemMXBean os = (com.sun.management.OperatingSystemMXBean)
                    java.lang.management.ManagementFactory.getOperatingSystemMXBean();
            long cpu0 = os.getProcessCpuTime();
            Run measured = run(market, jobs, warmup, true);
            double cpuMsPerJob = (os.getProcessCpuTime() - cpu0) / 1e6 / Math.max(1, measured.latencies.size());
            LatencySummary latency = LatencySummary.ofNanos(measured.latencies);
            out.printf(Locale.ROOT, "throughput: %d free jobs in %.2f s = %.0f jobs/s (%d clients x %d in flight,"
                    + " %d nodes), latency %s, %d lost%n", measured.latencies.size(), measured.seconds,
                    measured.latencies.size() / measured.seconds, clients, inFlight, nodes, latency.format(),
                    measured.lost.get());
            // every role and the relay share this process: its CPU per job bounds what the machine can reach
            out.printf(Locale.ROOT, "throughput: %.2f ms of CPU per job (relay, router, nodes and clients together);"
                    + " %d CPUs would allow about %.0f jobs/s at full use; load average %.1f during the run%n",
                    cpuMsPerJob, os.getAvailableProcessors(), os.getAvailableProcessors() * 1000 / cpuMsPerJob,
                    os.getSystemLoadAverage());
            Map<String, Long> refused = market.router().counters().snapshot();
            if (!refused.isEmpty()) {
                out.println("router refused: " + refused);
            }
            measured.failures.forEach(f -> out.println("throughput: lost " + f));
            boolean slashed = !adversaries.any() || adversaries.report(out, market.router(), market.readerPool());
            out.flush();
            return measured.lost.get() == 0 && slashed ? 0 : 1;
        }
    }

    private record Run(ConcurrentLinkedQueue<Long> latencies, AtomicLong lost, ConcurrentLinkedQueue<String> failures,
            double seconds) {
    }

    /** {@code n} jobs, {@code clients x inFlight} at a time; returns once every one has an outcome. */
    /**
     * {@code n} jobs, {@code clients x inFlight} at a time; returns once every one has an outcome. With {@code pin},
     * the first jobs go one to each adversary, so that every one of them owes a claim.
     */
    private Run run(FreeMarket market, int n, long firstSeq, boolean pin) throws InterruptedException {
        Run run = new Run(new ConcurrentLinkedQueue<>(), new AtomicLong(), new ConcurrentLinkedQueue<>(), 0);
        AtomicLong next = new AtomicLong();
        CountDownLatch done = new CountDownLatch(n);
        long t0 = System.nanoTime();
        for (int c = 0; c < market.clientCount(); c++) {
            for (int w = 0; w < inFlight; w++) {
                submitNext(market, c, n, firstSeq, pin, next, run, done);
            }
        }
        if (!done.await(10, TimeUnit.MINUTES)) {
            run.lost.addAndGet(done.getCount());
            run.failures.add(done.getCount() + " jobs with no outcome after 10 minutes");
        }
        return new Run(run.latencies, run.lost, run.failures, (System.nanoTime() - t0) / 1e9);
    }

    /** Sends job {@code seq}; a job an adversary swallowed goes again with that node denied (latency: the last). */
    private CompletableFuture<JobOutcome> attempt(FreeMarket market, int client, long seq,
            JobRequest.Constraints constraints) {
        return market.submit(client, seq, constraints, deliverWithin).thenCompose(o -> o.succeeded()
                ? CompletableFuture.completedFuture(o)
                : adversaries.retryOf(o, constraints).map(retry -> attempt(market, client, seq, retry))
                        .orElse(CompletableFuture.completedFuture(o)));
    }

    private void submitNext(FreeMarket market, int client, int n, long firstSeq, boolean pin, AtomicLong next,
            Run run, CountDownLatch done) {
        long seq = next.getAndIncrement();
        if (seq >= n) {
            return;
        }
        JobRequest.Constraints constraints = pin ? adversaries.constraintsFor(seq) : JobRequest.Constraints.none();
        attempt(market, client, firstSeq + seq, constraints)
                .whenComplete((JobOutcome o, Throwable error) -> {
                    if (error == null && o.succeeded()) {
                        run.latencies.add(o.latency().toNanos());
                    } else {
                        run.lost.incrementAndGet();
                        run.failures.add(error != null ? "job " + (firstSeq + seq) + ": " + error
                                : "job " + o.jobId() + " on node " + o.node() + ": " + o.failure());
                    }
                    done.countDown();
                    submitNext(market, client, n, firstSeq, pin, next, run, done);
                });
    }
}
