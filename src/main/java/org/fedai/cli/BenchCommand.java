package org.fedai.cli;

import java.io.PrintWriter;
import java.util.List;
import java.util.concurrent.Callable;
import org.fedai.nostr.relay.EmbeddedRelay;
import org.fedai.roles.client.JobOutcome;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** {@code fedai bench}: whole-system measurements (micro-benchmarks are JMH, in src/jmh). */
@Command(name = "bench", mixinStandardHelpOptions = true, subcommands = {BenchCommand.Market.class, NwcBench.class},
        description = "Whole-system benchmarks.")
public final class BenchCommand {

    @Command(name = "market", mixinStandardHelpOptions = true,
            description = {"Paid jobs, one at a time, client -> router -> node -> result over a relay, with the demo's",
                "roles in one process: per-job latency p50/p99 (quote, payment, proof, work order, runner and",
                "result included) after a warm-up."})
    static final class Market implements Callable<Integer> {

        @Spec
        CommandSpec spec;

        @Option(names = "--relay", paramLabel = "URL", description = "Use this relay instead of the embedded one.")
        String relayUrl;

        @Option(names = "--jobs", defaultValue = "50")
        int jobs;

        @Option(names = "--warmup", defaultValue = "10")
        int warmup;

        @Override
        public Integer call() throws Exception {
            PrintWriter out = spec.commandLine().getOut();
            EmbeddedRelay embedded = relayUrl == null ? EmbeddedRelay.inMemory().start() : null;
            String url = embedded == null ? relayUrl : embedded.url();
            try (MarketDemo market = new MarketDemo(new PrintWriter(PrintWriter.nullWriter()), url)) {
                market.start();
                market.run(warmup, false, false);
                long t0 = System.nanoTime();
                int lost = market.run(jobs, false, false);
                double seconds = (System.nanoTime() - t0) / 1e9;
                List<Long> ms = market.outcomes().stream().filter(JobOutcome::succeeded)
                        .map(o -> o.latency().toMillis()).sorted().toList();
                out.printf("market: %d paid jobs in %.1f s (%.1f jobs/s sequential), latency p50 %d ms, p99 %d ms,"
                        + " max %d ms, %d lost%n", ms.size(), seconds, ms.size() / seconds, percentile(ms, 0.50),
                        percentile(ms, 0.99), ms.isEmpty() ? 0 : ms.get(ms.size() - 1), lost);
                market.outcomes().stream().filter(o -> !o.succeeded()).forEach(o -> out.println("lost: "
                        + o.jobId() + " node " + o.node() + " quotes " + o.quotes() + ": " + o.failure()));
                out.flush();
                return lost == 0 ? 0 : 1;
            } finally {
                if (embedded != null) {
                    embedded.close();
                }
            }
        }

        private static long percentile(List<Long> sorted, double p) {
            return sorted.isEmpty() ? 0 : sorted.get(Math.min(sorted.size() - 1,
                    (int) Math.ceil(sorted.size() * p) - 1));
        }
    }
}
