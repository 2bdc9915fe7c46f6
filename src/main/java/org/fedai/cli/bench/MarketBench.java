package org.fedai.cli.bench;

import java.io.PrintWriter;
import java.time.Duration;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.Callable;
import java.util.concurrent.TimeUnit;
import org.fedai.cli.MarketDemo;
import org.fedai.domain.PaymentTiming;
import org.fedai.nostr.relay.EmbeddedRelay;
import org.fedai.nostr.relay.InMemoryEventStore;
import org.fedai.nostr.relay.RelayConfig;
import org.fedai.roles.client.JobOutcome;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

/** {@code fedai bench market}: sequential jobs, client -> router -> node -> result, per-job latency. */
@Command(name = "market", mixinStandardHelpOptions = true,
        description = {"Jobs one at a time, client -> router -> node -> result over a relay, every role in one",
            "process: per-job latency p50/p99/max after a warm-up. Paid (default): the demo's market, two",
            "Lightning payments and a real MiniLM embedding per job. --free: free jobs on a simulated node",
            "(hash 'embeddings'), i.e. the protocol's own overhead. --breakdown with --delay-ms N runs the jobs",
            "twice, at 0 and at N ms a hop, and prints the critical path and its hops: (p50 at N - p50 at 0) / N."})
public final class MarketBench implements Callable<Integer> {

    private static final Set<PaymentTiming> TIMINGS = EnumSet.of(PaymentTiming.BEFORE, PaymentTiming.AFTER,
            PaymentTiming.HOLD, PaymentTiming.ATOMIC, PaymentTiming.PARTIAL);

    @Spec
    CommandSpec spec;

    @Mixin
    RelayChoice relay = new RelayChoice();

    @Option(names = "--free", description = "Free jobs on a simulated node: protocol overhead only.")
    boolean free;

    @Option(names = "--timing", paramLabel = "WHEN", description = {"Paid: every job two texts, paid on these terms:",
        "before, after, hold, atomic or partial (default: the demo's mix of jobs, paid before)."})
    String timing;

    @Option(names = "--nwc", description = {"Paid: every role reaches the dev wallet service over NWC on the market's",
        "relay, as deployed (default: in-process wallets, no wallet traffic on the relay)."})
    boolean nwc;

    @Option(names = "--new-clients", description = {"Paid: every job from a client new to the router, as a newcomer's",
        "first job is (no fee credit, so no run_on_payment)."})
    boolean newClients;

    @Option(names = "--breakdown", description = {"The median time of each step since the spec, seen from the relay",
        "(with --nwc the wallet's requests, answers and notifications too); with --delay-ms, the critical path."})
    boolean breakdown;

    @Option(names = "--jobs", defaultValue = "50")
    int jobs;

    @Option(names = "--warmup", defaultValue = "10")
    int warmup;

    /** The market under test: it runs jobs one at a time and names its parties to the spy. */
    private interface Market extends AutoCloseable {
        List<JobOutcome> run(int n) throws Exception;

        Optional<EmbeddedRelay> embedded();

        HopTimeline timeline();
    }

    private record Measured(List<JobOutcome> outcomes, double seconds) {
        List<Long> nanos() {
            return outcomes.stream().filter(JobOutcome::succeeded).map(o -> o.latency().toNanos()).toList();
        }
    }

    @Override
    public Integer call() throws Exception {
        relay.check(spec);
        PaymentTiming terms = terms();
        if (free && (terms != null || nwc || newClients)) {
            throw new ParameterException(spec.commandLine(), "--timing, --nwc and --new-clients are for paid jobs, not"
                    + " --free");
        }
        if (jobs < 1 || warmup < 0) {
            throw new ParameterException(spec.commandLine(), "--jobs must be positive, --warmup not negative");
        }
        PrintWriter out = spec.commandLine().getOut();
        boolean compare = breakdown && relay.delayMs > 0;
        int lost;
        try (Market market = free ? freeMarket() : paidMarket(terms)) {
            market.embedded().ifPresent(r -> r.setDeliveryDelay(compare ? Duration.ZERO : relay.delay()));
            market.run(warmup);
            try (HopTimeline timeline = breakdown ? market.timeline() : null) {
                Measured base = null;
                if (compare) {
                    base = measure(market);
                    report(out, conditions(terms, 0), base);
                    timeline.clear();
                    market.embedded().orElseThrow().setDeliveryDelay(relay.delay());
                }
                Measured measured = measure(market);
                lost = report(out, conditions(terms, relay.delayMs), measured);
                if (timeline != null) {
                    int parts = terms == PaymentTiming.PARTIAL ? 2 : 1;
                    timeline.awaitLastJob(parts, free ? 0 : parts, Duration.ofSeconds(10));
                }
                if (compare) {
                    Optional<CriticalPath.Path> path = CriticalPath.of(timeline.completeJobs(), relay.delay());
                    path.ifPresent(p -> out.println(p.format()));
                    out.println(hops(base, measured, path));
                    lost += (int) (base.outcomes().size() - base.nanos().size());
                } else if (timeline != null) {
                    out.println(timeline.format());
                }
            }
        }
        out.flush();
        return lost == 0 ? 0 : 1;
    }

    private PaymentTiming terms() {
        if (timing == null) {
            return null;
        }
        return PaymentTiming.ofCode(timing).filter(TIMINGS::contains).orElseThrow(() -> new ParameterException(
                spec.commandLine(), "--timing must be one of before, after, hold, atomic, partial; got " + timing));
    }

    private Measured measure(Market market) throws Exception {
        long t0 = System.nanoTime();
        List<JobOutcome> outcomes = market.run(jobs);
        return new Measured(outcomes, (System.nanoTime() - t0) / 1e9);
    }

    private String conditions(PaymentTiming terms, long delayMs) {
        List<String> c = new ArrayList<>();
        if (terms != null) {
            c.add(terms.code());
        }
        if (nwc) {
            c.add("wallets over NWC");
        }
        if (newClients) {
            c.add("a new client each job");
        }
        if (delayMs > 0 || (breakdown && relay.delayMs > 0)) {
            c.add(delayMs + " ms a hop");
        }
        return (free ? "free" : "paid") + " jobs" + (c.isEmpty() ? "" : " (" + String.join(", ", c) + ")");
    }

    /**
     * Hops on the critical path, as the delay shows them: what a hop's delay added to the median, in delays; unless
     * the path also waits on timers, whose waits do not scale with the delay.
     */
    private String hops(Measured base, Measured delayed, Optional<CriticalPath.Path> path) {
        double at0 = LatencySummary.ofNanos(base.nanos()).p50Ms();
        double atD = LatencySummary.ofNanos(delayed.nanos()).p50Ms();
        double hops = (atD - at0) / relay.delayMs;
        String how = String.format(Locale.ROOT, "(p50 %.1f ms at %d ms a hop - p50 %.1f ms at 0) / %d ms = %.2f", atD,
                relay.delayMs, at0, relay.delayMs, hops);
        if (path.isPresent() && path.get().waitsOnTimers()) {
            return String.format(Locale.ROOT, "critical path: not a whole number of hops: a step waited %.0f ms on a"
                    + " timer (a poll, a sweep) beside its hops; %s", path.get().longestWaitMs(), how);
        }
        return String.format(Locale.ROOT, "critical path: %d hops (%s)", Math.round(hops), how);
    }

    private static int report(PrintWriter out, String what, Measured m) {
        List<Long> nanos = m.nanos();
        int lost = m.outcomes().size() - nanos.size();
        out.printf(Locale.ROOT, "market: %d %s in %.1f s (%.1f jobs/s sequential), latency %s, %d lost%n",
                nanos.size(), what, m.seconds(), nanos.size() / m.seconds(), LatencySummary.ofNanos(nanos).format(),
                lost);
        m.outcomes().stream().filter(o -> !o.succeeded()).forEach(o -> out.println("lost: " + o.jobId() + " node "
                + o.node() + " quotes " + o.quotes() + ": " + o.failure()));
        return lost;
    }

    private Market freeMarket() throws Exception {
        FreeMarket market = new FreeMarket(1, 1, 0, relay.url, relay.delay());
        return new Market() {
            private long seq;

            @Override
            public List<JobOutcome> run(int n) throws Exception {
                List<JobOutcome> outcomes = new ArrayList<>();
                for (int i = 0; i < n; i++) {
                    outcomes.add(market.submit(0, seq++).get(90, TimeUnit.SECONDS));
                }
                return outcomes;
            }

            @Override
            public Optional<EmbeddedRelay> embedded() {
                return market.embedded();
            }

            @Override
            public HopTimeline timeline() {
                return new HopTimeline(market.url(), market.router().publicKey().hex(), market::roleOf,
                        e -> Optional.empty());
            }

            @Override
            public void close() throws Exception {
                market.close();
            }
        };
    }

    private Market paidMarket(PaymentTiming terms) throws Exception {
        EmbeddedRelay embedded = relay.url == null ? new EmbeddedRelay(RelayConfig.defaults()
                .withDeliveryDelay(relay.delay()), new InMemoryEventStore()).start() : null;
        String url = embedded == null ? relay.url : embedded.url();
        PrintWriter quiet = new PrintWriter(PrintWriter.nullWriter());
        MarketDemo market = null;
        try {
            market = nwc ? MarketDemo.overNwc(quiet, url) : new MarketDemo(quiet, url);
            if (newClients) {
                market.newClientPerJob();
            }
            market.start();
        } catch (Exception e) {
            if (market != null) {
                market.close();
            }
            if (embedded != null) {
                embedded.close();
            }
            throw e;
        }
        if (terms != null) {
            market.jobsPaid(terms);
        }
        return paid(market, embedded, url);
    }

    private static Market paid(MarketDemo market, EmbeddedRelay embedded, String url) {
        return new Market() {
            @Override
            public List<JobOutcome> run(int n) throws Exception {
                market.run(n, false, false);
                return market.outcomes();
            }

            @Override
            public Optional<EmbeddedRelay> embedded() {
                return Optional.ofNullable(embedded);
            }

            @Override
            public HopTimeline timeline() {
                return new HopTimeline(url, market.routerKey(), market::roleOf, market::walletMethod);
            }

            @Override
            public void close() throws Exception {
                try {
                    market.close();
                } finally {
                    if (embedded != null) {
                        embedded.close();
                    }
                }
            }
        };
    }
}
