package org.fedai.cli;

import java.io.PrintWriter;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.Callable;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.fedai.nostr.Event;
import org.fedai.nostr.EventJson;
import org.fedai.nostr.Filter;
import org.fedai.nostr.MalformedEventException;
import org.fedai.nostr.pool.EventListener;
import org.fedai.nostr.pool.RelayHealth;
import org.fedai.nostr.pool.RelayPool;
import org.fedai.nostr.pool.Subscription;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

/** {@code fedai req}: stored events matching the filters, from every relay, each printed once. */
@Command(name = "req", mixinStandardHelpOptions = true,
        description = {"Print stored events matching the filters (one JSON per line) until every relay has sent"
            + " EOSE or the timeout passes. Events are verified and deduplicated across relays. Exits 1, naming"
            + " each one and why, when some relay did not answer."})
public final class ReqCommand implements Callable<Integer> {

    @Spec
    CommandSpec spec;

    @Option(names = "--relay", required = true, paramLabel = "URL", description = "Relay URL (repeatable).")
    List<String> relays;

    @Option(names = "--filter", required = true, paramLabel = "JSON",
            description = "NIP-01 filter object (repeatable: all go in one REQ).")
    List<String> filterJson;

    @Option(names = "--timeout", defaultValue = "10", paramLabel = "S",
            description = "Seconds to wait for EOSE from every relay (default ${DEFAULT-VALUE}).")
    double timeoutSeconds;

    @Option(names = "--stats", description = "Print relay health to stderr at the end.")
    boolean stats;

    @Override
    public Integer call() throws Exception {
        PrintWriter out = spec.commandLine().getOut();
        PrintWriter err = spec.commandLine().getErr();
        List<Filter> filters = new ArrayList<>();
        for (String json : filterJson) {
            try {
                filters.add(Filter.parse(json));
            } catch (MalformedEventException e) {
                throw new ParameterException(spec.commandLine(), "--filter " + json + ": " + e.getMessage());
            }
        }
        Duration timeout = CliOptions.seconds(spec.commandLine(), timeoutSeconds);
        Set<String> unique = new LinkedHashSet<>(relays);
        Set<String> finished = ConcurrentHashMap.newKeySet();
        CountDownLatch allDone = new CountDownLatch(unique.size());
        try (RelayPool pool = new RelayPool()) {
            CliOptions.addRelays(spec.commandLine(), pool, unique);
            EventListener listener = new EventListener() {
                @Override
                public void onEvent(Event event, String relayUrl) {
                    out.println(EventJson.toJson(event));
                }

                @Override
                public void onEose(String relayUrl) {
                    if (finished.add(relayUrl)) {
                        allDone.countDown();
                    }
                }

                @Override
                public void onClosed(String relayUrl, String reason) {
                    err.println(relayUrl + " closed the subscription: " + reason);
                    onEose(relayUrl);
                }
            };
            boolean complete;
            try (Subscription sub = pool.subscribe(filters, listener)) {
                complete = allDone.await(timeout.toMillis(), TimeUnit.MILLISECONDS);
            }
            out.flush();
            if (!complete) {
                // name each relay that did not answer, and why: a refused connection is not a slow relay
                for (RelayHealth h : pool.health()) {
                    if (!finished.contains(h.url())) {
                        err.println(spec.qualifiedName() + ": " + (h.connected() ? "relay " + h.url()
                                + ": no EOSE within " + timeoutSeconds + " s" : h.unreachable()));
                    }
                }
            }
            if (stats) {
                pool.health().forEach(h -> err.println(h.summary()));
            }
            err.flush();
            return complete ? 0 : 1;
        }
    }
}
