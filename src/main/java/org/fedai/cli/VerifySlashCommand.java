package org.fedai.cli;

import java.io.PrintWriter;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.Callable;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.fedai.nostr.Event;
import org.fedai.nostr.Filter;
import org.fedai.nostr.Hex;
import org.fedai.nostr.pool.EventListener;
import org.fedai.nostr.pool.RelayPool;
import org.fedai.nostr.pool.Subscription;
import org.fedai.protocol.Decoded;
import org.fedai.protocol.FedaiKind;
import org.fedai.protocol.SlashClaim;
import org.fedai.protocol.SlashClaimCodec;
import org.fedai.roles.trust.SlashClaimVerifier;
import org.fedai.roles.trust.SlashVerdict;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

/** {@code fedai verify-slash}: fetch a 4409 claim and its evidence from relays and check it. */
@Command(name = "verify-slash", mixinStandardHelpOptions = true,
        description = {"Fetch a slash claim (kind 4409) and the events it names, plus any result the accused"
            + " published for the job, and check that the evidence proves the claimed reason"
            + " (event-kinds/4409-slash-claim.md).",
            "Prints 'valid <reason>' (then 'witness <pubkey>' for each key the proof also rests on) or"
                + " 'invalid <why>: <detail>'; exits 0 only when valid, 1 when invalid."})
public final class VerifySlashCommand implements Callable<Integer> {

    @Spec
    CommandSpec spec;

    @Parameters(index = "0", paramLabel = "CLAIM-ID", description = "The claim's event id (64 hex).")
    String claimId;

    @Option(names = "--relay", required = true, paramLabel = "URL", description = "Relay URL (repeatable).")
    List<String> relays;

    @Option(names = "--timeout", defaultValue = "10", paramLabel = "S",
            description = "Seconds to wait for each fetch to finish on every relay (default ${DEFAULT-VALUE}).")
    double timeoutSeconds;

    @Override
    public Integer call() throws Exception {
        PrintWriter out = spec.commandLine().getOut();
        if (!Hex.isLowerHex(claimId, 32)) {
            throw new ParameterException(spec.commandLine(), "CLAIM-ID must be 64 lower-case hex characters");
        }
        Duration timeout = CliOptions.seconds(spec.commandLine(), timeoutSeconds);
        Set<String> unique = new LinkedHashSet<>(relays);
        try (RelayPool pool = new RelayPool()) {
            CliOptions.addRelays(spec.commandLine(), pool, unique);
            Optional<Event> claim = fetch(pool, unique.size(), timeout, Filter.builder().ids(claimId).build())
                    .stream().filter(e -> e.id().equals(claimId)).findFirst();
            if (claim.isEmpty()) {
                out.println("invalid claim_not_found: " + claimId);
                out.flush();
                return 1;
            }
            List<Event> supplied = evidenceFor(pool, unique.size(), timeout, claim.get());
            SlashVerdict verdict = SlashClaimVerifier.verify(claim.get(), supplied, Instant.now().getEpochSecond());
            switch (verdict) {
                case SlashVerdict.Valid v -> {
                    out.println("valid " + v.claim().reason().code());
                    v.witnesses().forEach(w -> out.println("witness " + w));
                }
                case SlashVerdict.Invalid i -> out.println("invalid " + i.refusal().code() + ": " + i.detail());
            }
            out.flush();
            return verdict.valid() ? 0 : 1;
        }
    }

    /** The events a claim names, plus any result the accused published for its job (counter-evidence). */
    public static List<Event> evidenceFor(RelayPool pool, int relayCount, Duration timeout, Event claim)
            throws InterruptedException {
        if (!(SlashClaimCodec.decode(claim) instanceof Decoded.Accepted<SlashClaim> a)) {
            return List.of();
        }
        SlashClaim c = a.value();
        List<Filter> filters = new ArrayList<>();
        filters.add(Filter.builder().ids(c.evidence().toArray(String[]::new)).build());
        if (c.reason().jobBound()) {
            // counter-evidence: a result the accused did publish refutes a non-delivery claim
            filters.add(Filter.builder().kinds(FedaiKind.JOB_RESULT.number()).authors(c.accused())
                    .tag('e', c.job()).build());
        }
        return fetch(pool, relayCount, timeout, filters.toArray(Filter[]::new));
    }

    /** Stored events matching {@code filters}, until every relay has sent EOSE (or CLOSED) or the timeout. */
    public static List<Event> fetch(RelayPool pool, int relayCount, Duration timeout, Filter... filters)
            throws InterruptedException {
        List<Event> found = new CopyOnWriteArrayList<>();
        Set<String> finished = ConcurrentHashMap.newKeySet();
        CountDownLatch done = new CountDownLatch(relayCount);
        EventListener listener = new EventListener() {
            @Override
            public void onEvent(Event event, String relayUrl) {
                found.add(event);
            }

            @Override
            public void onEose(String relayUrl) {
                if (finished.add(relayUrl)) {
                    done.countDown();
                }
            }

            @Override
            public void onClosed(String relayUrl, String reason) {
                onEose(relayUrl);
            }
        };
        try (Subscription sub = pool.subscribe(List.of(filters), listener)) {
            done.await(timeout.toMillis(), TimeUnit.MILLISECONDS);
        }
        return List.copyOf(found);
    }
}
