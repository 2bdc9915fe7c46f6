package org.fedai.cli.bench;

import java.io.PrintWriter;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.TimeUnit;
import org.fedai.cli.MarketDemo;
import org.fedai.nostr.relay.EmbeddedRelay;
import org.fedai.roles.client.JobOutcome;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** {@code fedai bench market}: sequential jobs, client -> router -> node -> result, per-job latency. */
@Command(name = "market", mixinStandardHelpOptions = true,
        description = {"Jobs one at a time, client -> router -> node -> result over a relay, every role in one",
            "process: per-job latency p50/p99/max after a warm-up. Paid (default): the demo's market, two",
            "Lightning payments and a real MiniLM embedding per job. --free: free jobs on a simulated node",
            "(hash 'embeddings'), i.e. the protocol's own overhead."})
public final class MarketBench implements Callable<Integer> {

    @Spec
    CommandSpec spec;

    @Option(names = "--relay", paramLabel = "URL",
            description = "Paid only: use this relay instead of the embedded one.")
    String relayUrl;

    @Option(names = "--free", description = "Free jobs on a simulated node: protocol overhead only.")
    boolean free;

    @Option(names = "--breakdown", description = "With --free: the median time of each step, seen from the relay.")
    boolean breakdown;

    @Option(names = "--jobs", defaultValue = "50")
    int jobs;

    @Option(names = "--warmup", defaultValue = "10")
    int warmup;

    @Override
    public Integer call() throws Exception {
        PrintWriter out = spec.commandLine().getOut();
        int lost = free ? free(out) : paid(out);
        out.flush();
        return lost == 0 ? 0 : 1;
    }

    private int free(PrintWriter out) throws Exception {
        try (FreeMarket market = new FreeMarket(1, 1)) {
            sequential(market, warmup, 0);
            try (HopTimeline timeline = breakdown ? new HopTimeline(market.relay().url(),
                    market.router().publicKey().hex()) : null) {
                long t0 = System.nanoTime();
                List<JobOutcome> outcomes = sequential(market, jobs, warmup);
                int lost = report(out, "free", outcomes, (System.nanoTime() - t0) / 1e9);
                if (timeline != null) {
                    out.println(timeline.format());
                }
                return lost;
            }
        }
    }

    private static List<JobOutcome> sequential(FreeMarket market, int n, long firstSeq) throws Exception {
        List<JobOutcome> outcomes = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            outcomes.add(market.submit(0, firstSeq + i).get(90, TimeUnit.SECONDS));
        }
        return outcomes;
    }

    private int paid(PrintWriter out) throws Exception {
        EmbeddedRelay embedded = relayUrl == null ? EmbeddedRelay.inMemory().start() : null;
        String url = embedded == null ? relayUrl : embedded.url();
        try (MarketDemo market = new MarketDemo(new PrintWriter(PrintWriter.nullWriter()), url)) {
            market.start();
            market.run(warmup, false, false);
            long t0 = System.nanoTime();
            market.run(jobs, false, false);
            return report(out, "paid", market.outcomes(), (System.nanoTime() - t0) / 1e9);
        } finally {
            if (embedded != null) {
                embedded.close();
            }
        }
    }

    private static int report(PrintWriter out, String what, List<JobOutcome> outcomes, double seconds) {
        List<Long> nanos = outcomes.stream().filter(JobOutcome::succeeded).map(o -> o.latency().toNanos()).toList();
        int lost = outcomes.size() - nanos.size();
        out.printf(java.util.Locale.ROOT,
                "market: %d %s jobs in %.1f s (%.1f jobs/s sequential), latency %s, %d lost%n",
                nanos.size(), what, seconds, nanos.size() / seconds, LatencySummary.ofNanos(nanos).format(), lost);
        outcomes.stream().filter(o -> !o.succeeded()).forEach(o -> out.println("lost: " + o.jobId() + " node "
                + o.node() + " quotes " + o.quotes() + ": " + o.failure()));
        return lost;
    }
}
