package org.fedai.cli;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Callable;
import org.fedai.nostr.Event;
import org.fedai.nostr.EventCheck;
import org.fedai.nostr.EventJson;
import org.fedai.nostr.MalformedEventException;
import org.fedai.nostr.pool.PublishResult;
import org.fedai.nostr.pool.RelayPool;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** {@code fedai publish}: signed events from stdin, one JSON object per line, to every relay given. */
@Command(name = "publish", mixinStandardHelpOptions = true,
        description = {"Publish signed events (JSON, one per line on stdin) to relays.",
            "Prints 'OK <event-id> <relay> true|false <message>' per relay; exits 0 only if every event was"
                + " accepted by at least one relay."})
public final class PublishCommand implements Callable<Integer> {

    @Spec
    CommandSpec spec;

    @Option(names = "--relay", required = true, paramLabel = "URL", description = "Relay URL (repeatable).")
    List<String> relays;

    @Option(names = "--timeout", defaultValue = "10", paramLabel = "S",
            description = "Seconds to wait for each event's OKs (default ${DEFAULT-VALUE}).")
    double timeoutSeconds;

    @Option(names = "--stats", description = "Print relay health to stderr at the end.")
    boolean stats;

    @Override
    public Integer call() throws Exception {
        PrintWriter out = spec.commandLine().getOut();
        PrintWriter err = spec.commandLine().getErr();
        Duration deadline = CliOptions.seconds(spec.commandLine(), timeoutSeconds);
        boolean allAccepted = true;
        try (RelayPool pool = new RelayPool()) {
            CliOptions.addRelays(spec.commandLine(), pool, relays);
            List<CompletableFuture<PublishResult>> futures = new ArrayList<>();
            BufferedReader in = new BufferedReader(new InputStreamReader(System.in, StandardCharsets.UTF_8));
            String line;
            int lineNumber = 0;
            while ((line = in.readLine()) != null) {
                lineNumber++;
                if (line.isBlank()) {
                    continue;
                }
                Event event;
                try {
                    event = EventJson.parse(line);
                } catch (MalformedEventException e) {
                    err.println("line " + lineNumber + ": " + e.getMessage());
                    allAccepted = false;
                    continue;
                }
                EventCheck check = org.fedai.nostr.EventVerifier.check(event);
                if (!check.valid()) {
                    err.println("line " + lineNumber + ": " + check.reason());
                    allAccepted = false;
                    continue;
                }
                futures.add(pool.publish(event, deadline));
            }
            for (CompletableFuture<PublishResult> future : futures) {
                PublishResult result = future.join();
                for (Map.Entry<String, PublishResult.Outcome> e : result.outcomes().entrySet()) {
                    out.println(("OK " + result.eventId() + " " + e.getKey() + " " + e.getValue().accepted() + " "
                            + e.getValue().message()).strip());
                }
                allAccepted &= result.acceptedByAny();
            }
            out.flush();
            pool.health().stream().filter(h -> !h.connected())
                    .forEach(h -> err.println(spec.qualifiedName() + ": " + h.unreachable()));
            if (stats) {
                pool.health().forEach(h -> err.println(h.summary()));
            }
        }
        err.flush();
        return allAccepted ? 0 : 1;
    }
}
