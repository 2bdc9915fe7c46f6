package org.fedai.cli.bench;

import java.io.IOException;
import java.io.PrintWriter;
import java.lang.management.ManagementFactory;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.EnumMap;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.function.Predicate;
import java.util.stream.Stream;
import org.fedai.cli.MarketDemo;
import org.fedai.nostr.EventKindClass;
import org.fedai.nostr.relay.EmbeddedRelay;
import org.fedai.nostr.relay.RelayConfig;
import org.fedai.nostr.relay.RelayRetention;
import org.fedai.nostr.relay.SqliteEventStore;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

/**
 * {@code fedai bench storage}: whether storage and heap stay flat over a long run of paid jobs. The demo's market
 * (router, three nodes, client, a dev wallet service over NWC) on an embedded relay with a SQLite file, every role
 * on its own SQLite file; every {@code --every} jobs the relay, router and nodes forget what is older than
 * {@code --retain-seconds} (as their hourly prune does with days), and a row shows each file's size and the heap
 * after a full collection. Flat columns mean retention keeps up; a column that climbs row after row is a leak.
 */
@Command(name = "storage", mixinStandardHelpOptions = true,
        description = {"Storage and heap per paid job over a long run: every --every jobs, the size of each role's",
            "SQLite files and the heap after a full GC, with retention shortened to --retain-seconds."})
public final class StorageBench implements Callable<Integer> {

    @Spec
    CommandSpec spec;

    @Option(names = "--jobs", defaultValue = "20000", description = "Paid jobs in all (default: ${DEFAULT-VALUE}).")
    int jobs;

    @Option(names = "--every", defaultValue = "1000", description = "Jobs between rows (default: ${DEFAULT-VALUE}).")
    int every;

    @Option(names = "--retain-seconds", defaultValue = "60",
            description = "How long the relay, router and nodes keep finished work (default: ${DEFAULT-VALUE}).")
    long retainSeconds;

    /** Enough for the most expensive job of the demo's mix (three texts at 1,500 msat and the fee), with margin. */
    private static final long FUNDS_PER_JOB_MSAT = 6_000;

    @Override
    public Integer call() throws Exception {
        if (jobs < 1 || every < 1 || retainSeconds < 1) {
            throw new ParameterException(spec.commandLine(), "--jobs, --every and --retain-seconds must be positive");
        }
        PrintWriter out = spec.commandLine().getOut();
        Duration keep = Duration.ofSeconds(retainSeconds);
        Path relayDir = Files.createTempDirectory("fedai-storage-relay-");
        Map<EventKindClass, Duration> byClass = new EnumMap<>(EventKindClass.class);
        byClass.put(EventKindClass.REGULAR, keep);
        RelayConfig config = RelayConfig.defaults().withPort(0).withRetention(new RelayRetention(byClass))
                .withSweepInterval(Duration.ofSeconds(10));
        int lost = 0;
        try (EmbeddedRelay relay = new EmbeddedRelay(config, SqliteEventStore.open(relayDir.resolve("relay.db")))
                .start();
             MarketDemo market = MarketDemo.overNwc(new PrintWriter(PrintWriter.nullWriter()), relay.url())) {
            market.start();
            market.fundClient(FUNDS_PER_JOB_MSAT * jobs);
            out.printf(Locale.ROOT, "storage: %d paid jobs, a row every %d, retention %d s; sizes in KB (file + WAL)%n",
                    jobs, every, retainSeconds);
            out.println("| jobs | relay | router | nodes | wallet | client | heap MB | jobs/s | lost |");
            out.println("|---|---|---|---|---|---|---|---|---|");
            out.flush();
            Path data = market.dataDir();
            for (int done = 0; done < jobs; ) {
                int batch = Math.min(every, jobs - done);
                long t0 = System.nanoTime();
                int batchLost = market.run(batch, false, false);
                double rate = batch / ((System.nanoTime() - t0) / 1e9);
                lost += batchLost;
                done += batch;
                market.pruneOlderThan(keep);
                relay.sweepExpired();
                out.printf(Locale.ROOT, "| %d | %d | %d | %d | %d | %d | %.1f | %.1f | %d |%n", done,
                        kb(relayDir, n -> true), kb(data, n -> n.startsWith("router")),
                        kb(data, n -> n.startsWith("node-")), kb(data, n -> n.startsWith("wallets")),
                        kb(data, n -> n.startsWith("client")), heapAfterGcMb(), rate, batchLost);
                out.flush();
            }
        } finally {
            deleteTree(relayDir);
        }
        return lost == 0 ? 0 : 1;
    }

    private static long kb(Path dir, Predicate<String> name) throws IOException {
        try (Stream<Path> files = Files.list(dir)) {
            return files.filter(f -> name.test(f.getFileName().toString())).mapToLong(f -> f.toFile().length())
                    .sum() / 1024;
        }
    }

    private static double heapAfterGcMb() {
        System.gc(); // a measurement, not a hint to the roles: the row wants live data, not garbage
        return ManagementFactory.getMemoryMXBean().getHeapMemoryUsage().getUsed() / 1e6;
    }

    private static void deleteTree(Path dir) throws IOException {
        try (Stream<Path> files = Files.list(dir)) {
            for (Path f : files.toList()) {
                Files.deleteIfExists(f);
            }
        }
        Files.deleteIfExists(dir);
    }
}
