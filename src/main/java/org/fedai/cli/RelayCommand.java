package org.fedai.cli;

import java.nio.file.Path;
import java.util.concurrent.Callable;
import org.fedai.nostr.relay.EmbeddedRelay;
import org.fedai.nostr.relay.EventStore;
import org.fedai.nostr.relay.InMemoryEventStore;
import org.fedai.nostr.relay.RelayConfig;
import org.fedai.nostr.relay.RelayRetention;
import org.fedai.nostr.relay.SqliteEventStore;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;
import picocli.CommandLine.Model.CommandSpec;

/** {@code fedai relay}: runs the embedded Nostr relay in the foreground until SIGINT/SIGTERM. */
@Command(name = "relay", mixinStandardHelpOptions = true,
        description = "Run fedai's embedded Nostr relay (NIP-01, 09, 40, 42) in the foreground.")
public final class RelayCommand implements Callable<Integer> {

    @Spec
    CommandSpec spec;

    @Option(names = "--host", defaultValue = RelayConfig.DEFAULT_HOST,
            description = "Address to bind (default: ${DEFAULT-VALUE}).")
    String host;

    @Option(names = "--port", defaultValue = "7447", description = "Port to bind; 0 picks one (default: ${DEFAULT-VALUE}).")
    int port;

    @Option(names = "--db", description = "SQLite file to keep events in; in memory when absent.")
    Path db;

    @Option(names = "--retain", paramLabel = "CLASS=DAYS", description = {"Keep stored events of a kind class at most",
            "this many days (repeatable: regular=7, replaceable=30, addressable=30); a class not named is kept until",
            "its NIP-40 expiration or replacement."})
    java.util.List<String> retain = new java.util.ArrayList<>();

    @Option(names = "--delay-ms", paramLabel = "MS", defaultValue = "0", description = {"Hold each live delivery",
            "back this long, as strfry's fan-out debounce does (~100 ms), so that a flow's latency shows how many",
            "relay hops it waits on; OK replies and stored events are never held (default: ${DEFAULT-VALUE})."})
    long delayMs;

    private final ShutdownSignal shutdown = new ShutdownSignal();

    @Override
    public Integer call() throws Exception {
        RelayRetention retention;
        try {
            retention = RelayRetention.parse(retain);
        } catch (IllegalArgumentException e) {
            throw new picocli.CommandLine.ParameterException(spec.commandLine(), "--retain " + e.getMessage());
        }
        if (delayMs < 0) {
            throw new picocli.CommandLine.ParameterException(spec.commandLine(),
                    "--delay-ms must not be negative, got " + delayMs);
        }
        EventStore store = db == null ? new InMemoryEventStore() : SqliteEventStore.open(db);
        EmbeddedRelay relay = new EmbeddedRelay(RelayConfig.defaults().withHost(host).withPort(port)
                .withRetention(retention).withDeliveryDelay(java.time.Duration.ofMillis(delayMs)), store);
        try {
            relay.start();
        } catch (Exception e) {
            relay.close();
            throw e;
        }
        try (ShutdownSignal signal = shutdown.install("fedai-relay-shutdown"); relay) {
            // The URL is the one line on stdout, so scripts can read it; everything else goes to stderr.
            spec.commandLine().getOut().println(relay.url());
            spec.commandLine().getOut().flush();
            signal.await();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        return 0;
    }

    /** Stops a running {@link #call()} as SIGTERM would (for tests and embedding). */
    void stop() {
        shutdown.requestStop();
    }
}
