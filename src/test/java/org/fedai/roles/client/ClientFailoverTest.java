package org.fedai.roles.client;

import org.fedai.domain.Msat;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import org.fedai.domain.PaymentTiming;
import org.fedai.domain.PublicKey;
import org.fedai.nostr.Event;
import org.fedai.nostr.EventSigner;
import org.fedai.nostr.Filter;
import org.fedai.nostr.KeyPair;
import org.fedai.nostr.UnsignedEvent;
import org.fedai.nostr.pool.RelayPool;
import org.fedai.nostr.relay.EmbeddedRelay;
import org.fedai.payment.DevWallet;
import org.fedai.payment.DevWalletNetwork;
import org.fedai.payment.InvoiceRequest;
import org.fedai.payment.InvoiceResult;
import org.fedai.payment.JobBinding;
import org.fedai.protocol.CapabilityManifest;
import org.fedai.protocol.CapabilityManifestCodec;
import org.fedai.protocol.JobRequest;
import org.fedai.protocol.JobRequestCodec;
import org.fedai.protocol.PaymentTerms;
import org.fedai.protocol.Quote;
import org.fedai.protocol.QuoteCodec;
import org.fedai.protocol.RouterAnnouncement;
import org.fedai.protocol.RouterAnnouncementCodec;
import org.fedai.store.ClientJournal;
import org.fedai.testing.RelayTest;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A client naming two routers, both played by the test: the first stays silent, so after the quote timeout a
 * fresh spec goes to the second; the first's late quote, a quote for another router's spec and a quote from a
 * router the client never named are each refused with their reason, and only the second's quote gets the input.
 */
@RelayTest
class ClientFailoverTest {

    private static final Duration WAIT = Duration.ofSeconds(20);

    @TempDir
    Path dir;

    private final KeyPair clientKeys = KeyPair.generate();
    private final KeyPair first = KeyPair.generate();
    private final KeyPair second = KeyPair.generate();
    private final KeyPair nodeKeys = KeyPair.generate();
    private EmbeddedRelay relay;
    private DevWalletNetwork wallets;
    private DevWallet routerWallet;
    private RelayPool peers;
    private RelayPool clientPool;
    private ClientRole client;
    private final List<Event> toRouters = new CopyOnWriteArrayList<>();
    private final List<Event> toNode = new CopyOnWriteArrayList<>();

    @BeforeEach
    void setUp() throws Exception {
        relay = EmbeddedRelay.inMemory().start();
        wallets = DevWalletNetwork.open(dir.resolve("wallets.db"));
        DevWallet clientWallet = wallets.wallet("client", KeyPair.generate().secretKey());
        routerWallet = wallets.wallet("router", KeyPair.generate().secretKey());
        DevWallet nodeWallet = wallets.wallet("node", KeyPair.generate().secretKey());
        wallets.deposit("client", 1_000_000);
        peers = pool();
        long now = now();
        for (KeyPair router : List.of(first, second)) {
            publish(router, RouterAnnouncementCodec.encode(new RouterAnnouncement("r", "test",
                    new RouterAnnouncement.Fee(100, 10_000), terms(routerWallet),
                    new RouterAnnouncement.Policy(1_000_000, 0, 60),
                    new RouterAnnouncement.Probation(RouterAnnouncement.ProbationState.PROBATION, 0), Map.of(),
                    List.of(), now + 3600), now));
        }
        publish(nodeKeys, CapabilityManifestCodec.encode(new CapabilityManifest("n1", "test",
                Set.of(CapabilityManifest.Role.INFERENCE),
                List.of(new CapabilityManifest.ModelOffer("all-minilm-l6-v2-q", "embedding", 0)),
                List.of(new CapabilityManifest.Price("all-minilm-l6-v2-q", "text", 1000, 0)),
                new CapabilityManifest.Limits(1, 0), terms(nodeWallet), Map.of(), Map.of(), List.of(), now + 3600),
                now));
        peers.subscribe(List.of(Filter.builder().kinds(4400).tag('p', first.publicKey(), second.publicKey())
                .build()), (e, r) -> toRouters.add(e));
        peers.subscribe(List.of(Filter.builder().kinds(4400).tag('p', nodeKeys.publicKey()).build()),
                (e, r) -> toNode.add(e));
        clientPool = pool();
        client = new ClientRole(ClientConfig.of(clientKeys, List.of(PublicKey.of(first.publicKey()), PublicKey.of(second.publicKey())))
                .withQuoteTimeout(Duration.ofSeconds(1)), clientPool, clientWallet, ClientJournal.inMemory()).start();
    }

    @AfterEach
    void tearDown() {
        client.close();
        clientPool.close();
        peers.close();
        wallets.close();
        relay.close();
    }

    @Test
    void aSilentRouterIsAbandonedForTheNextAndItsLateQuoteIsRefused() throws Exception {
        List<String> steps = new CopyOnWriteArrayList<>();
        client.onProgress((job, step) -> steps.add(step));
        client.submit(JobSubmission.embeddings(List.of("a cat"), Msat.of(10_000)));

        Event toFirst = awaitSpecTo(first);
        Event toSecond = awaitSpecTo(second); // the first said nothing within the quote timeout
        JobRequest.Spec spec = (JobRequest.Spec) JobRequestCodec.decode(toSecond, second, now()).orElseThrow();
        assertThat(toSecond.id()).isNotEqualTo(toFirst.id());
        assertThat(spec.inputSha256()).isEqualTo(((JobRequest.Spec) JobRequestCodec.decode(toFirst, first, now())
                .orElseThrow()).inputSha256());
        assertThat(steps).anyMatch(s -> s.contains("trying the next router"));

        publish(first, quote(first, toFirst.id(), spec)); // too late: that spec was abandoned
        publish(first, quote(first, toSecond.id(), spec)); // a quote for the spec the other router got
        KeyPair stranger = KeyPair.generate();
        publish(stranger, quote(stranger, toSecond.id(), spec)); // a router the client never named
        await().atMost(WAIT).until(() -> client.rejections().getOrDefault("quote_after_failover", 0L) == 1
                && client.rejections().getOrDefault("quote_from_another_router", 0L) == 2);
        assertThat(toNode).isEmpty();

        publish(second, quote(second, toSecond.id(), spec));
        await().atMost(WAIT).until(() -> toNode.size() == 1);
        JobRequest.Input input = (JobRequest.Input) JobRequestCodec.decode(toNode.get(0), nodeKeys, now())
                .orElseThrow();
        assertThat(input.jobId()).isEqualTo(toSecond.id());
    }

    @Test
    void aRouterThatRefusesIsLeftAtOnceForTheNext() throws Exception {
        ClientRole patient = new ClientRole(ClientConfig.of(clientKeys, List.of(PublicKey.of(first.publicKey()),
                PublicKey.of(second.publicKey()))).withQuoteTimeout(Duration.ofMinutes(5)), clientPool,
                wallets.wallet("patient-client", KeyPair.generate().secretKey()), ClientJournal.inMemory()).start();
        try {
            List<String> steps = new CopyOnWriteArrayList<>();
            patient.onProgress((job, step) -> steps.add(step));
            java.util.concurrent.CompletableFuture<JobOutcome> outcome =
                    patient.submit(JobSubmission.embeddings(List.of("a dog"), Msat.of(10_000)));
            Event toFirst = awaitSpecTo(first);
            // the first router's signed refusal moves the job on long before the five-minute quote timeout
            publish(first, org.fedai.protocol.JobProgressCodecs.encodeStatus(new org.fedai.protocol.JobStatus(
                    toFirst.id(), clientKeys.publicKey(), first.publicKey(),
                    org.fedai.protocol.JobStatus.State.ERROR, "", "no_capable_node"), now()));
            awaitSpecTo(second);
            assertThat(steps).anyMatch(s -> s.contains("refused: no_capable_node") && s.contains("next router"));
            assertThat(outcome).isNotDone();
        } finally {
            patient.close();
        }
    }

    private Event awaitSpecTo(KeyPair router) {
        await().atMost(WAIT).until(() -> toRouters.stream().anyMatch(e -> addressedTo(e, router)));
        return toRouters.stream().filter(e -> addressedTo(e, router)).findFirst().orElseThrow();
    }

    private static boolean addressedTo(Event e, KeyPair router) {
        return e.firstTagValue("p").map(router.publicKey()::equals).orElse(false);
    }

    private UnsignedEvent quote(KeyPair router, String job, JobRequest.Spec spec) {
        String feeInvoice = ((InvoiceResult.Created) routerWallet.makeInvoice(InvoiceRequest.forJob(120,
                new JobBinding(job), 600))).bolt11();
        Quote q = Quote.builder().jobId(job).parties(clientKeys.publicKey(), nodeKeys.publicKey())
                .work(spec.model(), spec.task(), spec.inputSha256(), spec.units()).price(1000, 120, feeInvoice)
                .timing(PaymentTiming.BEFORE).deadlines(now() + 15, spec.deliverBy(), now() + 120).build();
        return QuoteCodec.encode(q, router, clientKeys.publicKey(), now());
    }

    private static PaymentTerms terms(DevWallet wallet) {
        return new PaymentTerms(Set.of(PaymentTiming.BEFORE), wallet.nodeId(), "regtest");
    }

    private RelayPool pool() {
        RelayPool p = new RelayPool();
        p.addRelay(relay.url());
        return p;
    }

    private static long now() {
        return Instant.now().getEpochSecond();
    }

    private void publish(KeyPair author, UnsignedEvent unsigned) throws Exception {
        Event e = EventSigner.sign(unsigned, author);
        assertThat(peers.publish(e, WAIT).get(20, TimeUnit.SECONDS).acceptedByAny()).isTrue();
    }
}
