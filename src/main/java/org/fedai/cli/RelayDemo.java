package org.fedai.cli;

import java.io.PrintWriter;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.Callable;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.fedai.domain.PaymentTiming;
import org.fedai.nostr.Event;
import org.fedai.nostr.EventSigner;
import org.fedai.nostr.Filter;
import org.fedai.nostr.KeyPair;
import org.fedai.nostr.UnsignedEvent;
import org.fedai.nostr.pool.EventListener;
import org.fedai.nostr.pool.PublishResult;
import org.fedai.nostr.pool.RelayHealth;
import org.fedai.nostr.pool.RelayPool;
import org.fedai.nostr.relay.EmbeddedRelay;
import org.fedai.protocol.CapabilityManifest;
import org.fedai.protocol.CapabilityManifestCodec;
import org.fedai.protocol.Decoded;
import org.fedai.protocol.JobRequest;
import org.fedai.protocol.JobRequestCodec;
import org.fedai.protocol.PaymentTerms;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * {@code fedai demo relay}: the Nostr foundation end to end through a relay. A node publishes its
 * capability manifest and replaces it; a client seals a job spec to a router, which decrypts it; messages
 * make timed round trips; a forged event is refused. Exits 0 only when every step did what it should.
 */
@Command(name = "relay", mixinStandardHelpOptions = true,
        description = "Check a relay end to end: replacement, sealed events, round trips, forgery refused.")
final class RelayDemo implements Callable<Integer> {

    private static final Duration DEADLINE = Duration.ofSeconds(10);

    @Spec
    CommandSpec spec;

    @Option(names = "--relay", paramLabel = "URL", description = "Use this relay instead of the embedded one.")
    String relayUrl;

    @Option(names = "--round-trips", defaultValue = "50", description = "Messages to time (default ${DEFAULT-VALUE}).")
    int roundTrips;

    private PrintWriter out;
    private int failures;

    @Override
    public Integer call() throws Exception {
        out = spec.commandLine().getOut();
        EmbeddedRelay embedded = relayUrl == null ? EmbeddedRelay.inMemory().start() : null;
        String url = embedded == null ? relayUrl : embedded.url();
        out.println("relay       " + url + (embedded == null ? " (external)" : " (embedded, in memory)"));
        KeyPair node = KeyPair.generate();
        KeyPair client = KeyPair.generate();
        KeyPair router = KeyPair.generate();
        try (RelayPool nodePool = pool(url); RelayPool clientPool = pool(url); RelayPool routerPool = pool(url)) {
            if (!connected(clientPool)) {
                out.println("FAIL  relay " + url + " unreachable within " + DEADLINE.toSeconds() + " s");
                out.flush();
                return 1;
            }
            manifests(nodePool, clientPool, node);
            sealedJobSpec(clientPool, routerPool, client, router);
            roundTrips(clientPool, routerPool, client);
            forgery(clientPool, client);
            for (RelayHealth h : clientPool.health()) {
                out.println("health      " + h.summary());
            }
        } finally {
            if (embedded != null) {
                embedded.close();
            }
        }
        out.println(failures == 0 ? "demo: ok" : "demo: " + failures + " step(s) failed");
        out.flush();
        return failures == 0 ? 0 : 1;
    }

    private static RelayPool pool(String url) {
        RelayPool pool = new RelayPool();
        pool.addRelay(url);
        return pool;
    }

    private static boolean connected(RelayPool pool) throws InterruptedException {
        long until = System.nanoTime() + DEADLINE.toNanos();
        while (System.nanoTime() < until) {
            if (pool.health().stream().allMatch(RelayHealth::connected)) {
                return true;
            }
            Thread.sleep(20); // polling a connection state the pool does not signal
        }
        return false;
    }

    private static long now() {
        return Instant.now().getEpochSecond();
    }

    /** Addressable kind 31400: the relay keeps only the newest manifest per (node, d). */
    private void manifests(RelayPool nodePool, RelayPool reader, KeyPair node) throws Exception {
        long now = now();
        Event v1 = EventSigner.sign(CapabilityManifestCodec.encode(manifest(1000, now), now - 1), node);
        Event v2 = EventSigner.sign(CapabilityManifestCodec.encode(manifest(800, now), now), node);
        publishOk(nodePool, v1, "manifest v1");
        publishOk(nodePool, v2, "manifest v2");
        List<Event> stored = query(reader, Filter.builder().kinds(31400).authors(node.publicKey()).build());
        boolean replaced = stored.size() == 1 && stored.get(0).id().equals(v2.id());
        CapabilityManifest read = stored.isEmpty() ? null
                : CapabilityManifestCodec.decode(stored.get(0), now()).orElseThrow();
        check(replaced && read != null && read.prices().get(0).msatPerUnit() == 800,
                "manifest    31400 replaced in place: 1 stored, price " + (read == null ? "-" : read.prices().get(0)
                        .msatPerUnit()) + " msat/text");
    }

    private static CapabilityManifest manifest(long price, long now) {
        return new CapabilityManifest("demo-node", "fedai/demo", Set.of(CapabilityManifest.Role.INFERENCE),
                List.of(new CapabilityManifest.ModelOffer("all-minilm-l6-v2-q", "embedding", 32768)),
                List.of(new CapabilityManifest.Price("all-minilm-l6-v2-q", "text", price, 0)),
                new CapabilityManifest.Limits(4, 32768),
                new PaymentTerms(Set.of(PaymentTiming.BEFORE), "02" + "11".repeat(32), "regtest"),
                Map.of("cpu", "small"), Map.of(), List.of(), now + 3600);
    }

    /** Kind 4400, NIP-44 sealed to the router: only the router can read it. */
    private void sealedJobSpec(RelayPool clientPool, RelayPool routerPool, KeyPair client, KeyPair router)
            throws Exception {
        CountDownLatch got = new CountDownLatch(1);
        List<Decoded<JobRequest>> decoded = new ArrayList<>();
        var sub = routerPool.subscribe(List.of(Filter.builder().kinds(4400).tag('p', router.publicKey()).build()),
                (e, relay) -> {
                    decoded.add(JobRequestCodec.decode(e, router, now()));
                    got.countDown();
                });
        List<String> texts = List.of("a cat on a mat", "a dog in the fog");
        JobRequest.Spec jobSpec = new JobRequest.Spec("all-minilm-l6-v2-q", "embedding",
                new JobRequest.Input("", texts, Map.of(), 0).commitment(), 30, texts.size(), 5000,
                JobRequest.Constraints.none(), PaymentTiming.BEFORE, now() + 300, now() + 120);
        publishOk(clientPool, EventSigner.sign(JobRequestCodec.encode(jobSpec, client, router.publicKey(), now()),
                client), "job spec");
        boolean arrived = got.await(DEADLINE.toSeconds(), TimeUnit.SECONDS);
        sub.close();
        check(arrived && decoded.get(0).isAccepted() && decoded.get(0).orElseThrow().equals(jobSpec),
                "job spec    4400 sealed client -> router, decrypted by the router: " + (arrived
                        ? describe(decoded.get(0)) : "nothing arrived"));
    }

    private static String describe(Decoded<JobRequest> d) {
        return switch (d) {
            case Decoded.Accepted<JobRequest> a when a.value() instanceof JobRequest.Spec s ->
                    s.model() + ", " + s.units() + " texts, at most " + s.maxPriceMsat() + " msat";
            case Decoded.Accepted<JobRequest> a -> "unexpected " + a.value();
            case Decoded.Rejected<JobRequest> r -> "rejected " + r.rejection();
        };
    }

    private void roundTrips(RelayPool sender, RelayPool receiver, KeyPair author) throws Exception {
        Map<String, Long> sentAt = new ConcurrentHashMap<>();
        List<Long> micros = java.util.Collections.synchronizedList(new ArrayList<>());
        CountDownLatch all = new CountDownLatch(roundTrips);
        String marker = "demo-" + Long.toHexString(System.nanoTime());
        EventListener listener = (e, relay) -> {
            Long t0 = sentAt.get(e.id());
            if (t0 != null) {
                micros.add((System.nanoTime() - t0) / 1000);
                all.countDown();
            }
        };
        var sub = receiver.subscribe(List.of(Filter.builder().kinds(1).tag('t', marker).build()), listener);
        awaitSubscribed(receiver);
        for (int i = 0; i < roundTrips; i++) {
            Event e = EventSigner.sign(UnsignedEvent.of(1, "round trip " + i + " ⚡ \"quoted\" \\ \n",
                    List.of(List.of("t", marker))), author);
            sentAt.put(e.id(), System.nanoTime());
            sender.publish(e, DEADLINE);
        }
        boolean done = all.await(DEADLINE.toSeconds(), TimeUnit.SECONDS);
        sub.close();
        List<Long> sorted = new ArrayList<>(micros);
        sorted.sort(null);
        String latency = sorted.isEmpty() ? "-" : String.format("p50 %.2f ms, p99 %.2f ms",
                sorted.get(sorted.size() / 2) / 1000.0, sorted.get(Math.min(sorted.size() - 1,
                        (int) Math.ceil(sorted.size() * 0.99) - 1)) / 1000.0);
        check(done, "round trips " + sorted.size() + "/" + roundTrips + " delivered once each, " + latency);
    }

    /** A relay must refuse an event whose content no longer matches its id. */
    private void forgery(RelayPool pool, KeyPair author) throws Exception {
        Event real = EventSigner.sign(UnsignedEvent.of(1, "pay alice 1 sat", List.of()), author);
        Event forged = new Event(real.id(), real.pubkey(), real.createdAt(), real.kind(), real.tags(),
                "pay mallory 1000000 sat", real.sig());
        PublishResult result = pool.publish(forged, DEADLINE).get();
        PublishResult.Outcome outcome = result.outcomes().values().iterator().next();
        check(!outcome.accepted(), "forgery     tampered event refused by the relay: " + outcome.message());
    }

    private void publishOk(RelayPool pool, Event event, String what) throws Exception {
        PublishResult r = pool.publish(event, DEADLINE).get();
        if (!r.acceptedByAny()) {
            check(false, "publish     " + what + " refused: " + r.outcomes());
        }
    }

    private static List<Event> query(RelayPool pool, Filter filter) throws InterruptedException {
        List<Event> events = java.util.Collections.synchronizedList(new ArrayList<>());
        CountDownLatch eose = new CountDownLatch(1);
        var sub = pool.subscribe(List.of(filter), new EventListener() {
            @Override
            public void onEvent(Event event, String relayUrl) {
                events.add(event);
            }

            @Override
            public void onEose(String relayUrl) {
                eose.countDown();
            }
        });
        eose.await(DEADLINE.toSeconds(), TimeUnit.SECONDS);
        sub.close();
        return new ArrayList<>(events);
    }

    /** Waits for EOSE of a probe subscription, so the receiver's REQ reached the relay before we publish. */
    private static void awaitSubscribed(RelayPool pool) throws InterruptedException {
        query(pool, Filter.builder().kinds(1).limit(0).build());
    }

    private void check(boolean ok, String line) {
        out.println((ok ? "ok    " : "FAIL  ") + line);
        out.flush();
        if (!ok) {
            failures++;
        }
    }
}
