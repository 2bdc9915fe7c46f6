package org.fedai.roles.client;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import org.fedai.domain.JobId;
import org.fedai.domain.Msat;
import org.fedai.domain.PaymentTiming;
import org.fedai.domain.PublicKey;
import org.fedai.nostr.Event;
import org.fedai.nostr.EventSigner;
import org.fedai.nostr.Filter;
import org.fedai.nostr.Hex;
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
import org.fedai.protocol.Invoice;
import org.fedai.protocol.JobProgressCodecs;
import org.fedai.protocol.JobRequest;
import org.fedai.protocol.JobRequestCodec;
import org.fedai.protocol.JobResult;
import org.fedai.protocol.PaymentCodecs;
import org.fedai.protocol.PaymentProof;
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

/** The client against a router and a node played by the test with real events, relay and dev wallet. */
@RelayTest
class ClientRoleTest {

    private static final Duration WAIT = Duration.ofSeconds(20);
    private static final long PRICE = 2000;
    private static final long FEE = 120;

    private final KeyPair clientKeys = KeyPair.generate();
    private final KeyPair routerKeys = KeyPair.generate();
    private final KeyPair nodeKeys = KeyPair.generate();
    private EmbeddedRelay relay;
    private Path walletFile;
    private DevWalletNetwork wallets;
    private DevWallet clientWallet;
    private DevWallet routerWallet;
    private DevWallet nodeWallet;
    private RelayPool peers;
    private RelayPool clientPool;
    private ClientRole client;
    private final List<Event> toRouter = new CopyOnWriteArrayList<>();
    private final List<Event> toNode = new CopyOnWriteArrayList<>();

    @BeforeEach
    void setUp() throws Exception {
        relay = EmbeddedRelay.inMemory().start();
        walletFile = Files.createTempFile("fedai-client-wallets-", ".db");
        wallets = DevWalletNetwork.open(walletFile);
        clientWallet = wallets.wallet("client", secret());
        routerWallet = wallets.wallet("router", secret());
        nodeWallet = wallets.wallet("node", secret());
        wallets.deposit("client", 1_000_000);
        peers = pool();
        long now = now();
        publish(routerKeys, RouterAnnouncementCodec.encode(new RouterAnnouncement("r1", "test",
                new RouterAnnouncement.Fee(100, 10_000), terms(routerWallet), new RouterAnnouncement.Policy(1_000_000, 0,
                        60), new RouterAnnouncement.Probation(RouterAnnouncement.ProbationState.ACTIVE, 0), Map.of(),
                List.of(), now + 3600), now));
        publish(nodeKeys, CapabilityManifestCodec.encode(new CapabilityManifest("n1", "test",
                Set.of(CapabilityManifest.Role.INFERENCE),
                List.of(new CapabilityManifest.ModelOffer("all-minilm-l6-v2-q", "embedding", 0)),
                List.of(new CapabilityManifest.Price("all-minilm-l6-v2-q", "text", 1000, 0)),
                new CapabilityManifest.Limits(1, 0), terms(nodeWallet), Map.of(), Map.of(), List.of(), now + 3600), now));
        peers.subscribe(List.of(Filter.builder().kinds(4400, 4403).tag('p', routerKeys.publicKey()).build()),
                (e, r) -> toRouter.add(e));
        peers.subscribe(List.of(Filter.builder().kinds(4400).tag('p', nodeKeys.publicKey()).build()),
                (e, r) -> toNode.add(e));
        clientPool = pool();
        client = new ClientRole(ClientConfig.of(clientKeys, PublicKey.of(routerKeys.publicKey())), clientPool, clientWallet,
                ClientJournal.inMemory()).start();
    }

    @AfterEach
    void tearDown() throws Exception {
        client.close();
        clientPool.close();
        peers.close();
        wallets.close();
        relay.close();
        Files.deleteIfExists(walletFile);
    }

    private static byte[] secret() {
        return KeyPair.generate().secretKey();
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

    private Event publish(KeyPair author, UnsignedEvent unsigned) throws Exception {
        Event e = EventSigner.sign(unsigned, author);
        assertThat(peers.publish(e, WAIT).get(20, TimeUnit.SECONDS).acceptedByAny()).isTrue();
        return e;
    }

    /** Plays the router's half up to the quote: returns the spec it received. */
    private JobRequest.Spec awaitSpec() {
        await().atMost(WAIT).until(() -> toRouter.stream().anyMatch(e -> e.kind() == 4400));
        Event e = toRouter.stream().filter(x -> x.kind() == 4400).findFirst().orElseThrow();
        return (JobRequest.Spec) JobRequestCodec.decode(e, routerKeys, now()).orElseThrow();
    }

    private String jobId() {
        return toRouter.stream().filter(x -> x.kind() == 4400).findFirst().orElseThrow().id();
    }

    private String invoice(DevWallet wallet, long amount, String job) {
        return ((InvoiceResult.Created) wallet.makeInvoice(InvoiceRequest.forJob(amount, new JobBinding(job), 600)))
                .bolt11();
    }

    private Quote quote(String job, JobRequest.Spec spec, long price) {
        return Quote.builder().jobId(job).parties(clientKeys.publicKey(), nodeKeys.publicKey())
                .work(spec.model(), spec.task(), spec.inputSha256(), spec.units())
                .price(price, FEE, invoice(routerWallet, FEE, job)).timing(PaymentTiming.BEFORE)
                .deadlines(now() + 15, spec.deliverBy(), now() + 120).build();
    }

    @Test
    void aJobIsQuotedPaidProvenAndItsResultCollected() throws Exception {
        List<String> steps = new CopyOnWriteArrayList<>();
        client.onProgress((job, step) -> steps.add(step));
        var outcome = client.submit(JobSubmission.embeddings(List.of("a cat", "a dog"), Msat.of(10_000)));
        JobRequest.Spec spec = awaitSpec();
        String job = jobId();
        publish(routerKeys, QuoteCodec.encode(quote(job, spec, PRICE), routerKeys, clientKeys.publicKey(), now()));

        await().atMost(WAIT).until(() -> !toNode.isEmpty());
        JobRequest.Input input = (JobRequest.Input) JobRequestCodec.decode(toNode.get(0), nodeKeys, now()).orElseThrow();
        assertThat(input.commitment()).isEqualTo(spec.inputSha256());
        assertThat(input.texts()).containsExactly("a cat", "a dog");

        publish(nodeKeys, PaymentCodecs.encodeInvoice(new Invoice(job, invoice(nodeWallet, PRICE, job), PRICE, 1, 1,
                now() + 600), nodeKeys, clientKeys.publicKey(), now()));
        await().atMost(WAIT).until(() -> toRouter.stream().anyMatch(e -> e.kind() == 4403));
        PaymentProof proof = PaymentCodecs.decodeProof(toRouter.stream().filter(e -> e.kind() == 4403).findFirst()
                .orElseThrow(), routerKeys, now()).orElseThrow();
        assertThat(proof.paid()).hasSize(2);
        for (PaymentProof.Paid p : proof.paid()) {
            byte[] hash = MessageDigest.getInstance("SHA-256").digest(Hex.decode(p.preimage()));
            assertThat(org.fedai.payment.Bolt11Codec.decode(p.bolt11()).paymentHash()).isEqualTo(hash);
        }
        assertThat(wallets.balance("client")).isEqualTo(1_000_000 - PRICE - FEE);

        String output = "[[0.1,0.2],[0.3,0.4]]";
        publish(nodeKeys, JobProgressCodecs.encodeResult(new JobResult(job, "vectors", output, 1, 1,
                JobResult.sha256(output), 2, "text"), nodeKeys, clientKeys.publicKey(), now()));
        JobOutcome done = outcome.get(20, TimeUnit.SECONDS);
        assertThat(done.succeeded()).isTrue();
        assertThat(done.output()).isEqualTo(output);
        assertThat(done.paid().value()).isEqualTo(PRICE + FEE);
        assertThat(done.node()).contains(PublicKey.of(nodeKeys.publicKey()));
        assertThat(steps).anyMatch(x -> x.startsWith("quoted: node " + nodeKeys.npub().substring(0, org.fedai.nostr.Nip19.SHORT_NPUB)))
                .anyMatch(x -> x.startsWith("invoice checked: " + PRICE))
                .anyMatch(x -> x.startsWith("paid " + (PRICE + FEE) + " msat"));
    }

    @Test
    void anInvoiceForMoreThanTheQuoteIsNotPaid() throws Exception {
        client.submit(JobSubmission.embeddings(List.of("x"), Msat.of(10_000)));
        JobRequest.Spec spec = awaitSpec();
        String job = jobId();
        publish(routerKeys, QuoteCodec.encode(quote(job, spec, PRICE), routerKeys, clientKeys.publicKey(), now()));
        publish(nodeKeys, PaymentCodecs.encodeInvoice(new Invoice(job, invoice(nodeWallet, PRICE * 10, job),
                PRICE * 10, 1, 1, now() + 600), nodeKeys, clientKeys.publicKey(), now()));
        await().atMost(WAIT).until(() -> client.rejections().containsKey("invoice_amount_differs_from_quote"));
        assertThat(wallets.balance("client")).isEqualTo(1_000_000);
    }

    @Test
    void anInvoiceSignedByAnUndeclaredKeyIsNotPaid() throws Exception {
        DevWallet stranger = wallets.wallet("stranger", secret());
        client.submit(JobSubmission.embeddings(List.of("x"), Msat.of(10_000)));
        JobRequest.Spec spec = awaitSpec();
        String job = jobId();
        publish(routerKeys, QuoteCodec.encode(quote(job, spec, PRICE), routerKeys, clientKeys.publicKey(), now()));
        publish(nodeKeys, PaymentCodecs.encodeInvoice(new Invoice(job, invoice(stranger, PRICE, job), PRICE, 1, 1,
                now() + 600), nodeKeys, clientKeys.publicKey(), now()));
        await().atMost(WAIT).until(() -> client.rejections().containsKey("invoice_payee_not_declared"));
        assertThat(wallets.balance("client")).isEqualTo(1_000_000);
    }

    @Test
    void quotesFromOtherRoutersOrOverTheMaximumAreRefused() throws Exception {
        client.submit(JobSubmission.embeddings(List.of("x"), Msat.of(1000)));
        JobRequest.Spec spec = awaitSpec();
        String job = jobId();
        KeyPair otherRouter = KeyPair.generate();
        publish(otherRouter, QuoteCodec.encode(quote(job, spec, 10), otherRouter, clientKeys.publicKey(), now()));
        publish(routerKeys, QuoteCodec.encode(quote(job, spec, PRICE), routerKeys, clientKeys.publicKey(), now()));
        await().atMost(WAIT).until(() -> client.rejections().containsKey("quote_from_another_router")
                && client.rejections().containsKey("quote_over_max_price"));
        assertThat(toNode).isEmpty();
    }

    @Test
    void aResultFromANodeThatWasNotQuotedIsIgnored() throws Exception {
        var outcome = client.submit(JobSubmission.embeddings(List.of("x"), Msat.of(10_000)));
        JobRequest.Spec spec = awaitSpec();
        String job = jobId();
        publish(routerKeys, QuoteCodec.encode(quote(job, spec, PRICE), routerKeys, clientKeys.publicKey(), now()));
        KeyPair impostor = KeyPair.generate();
        publish(impostor, JobProgressCodecs.encodeResult(new JobResult(job, "text", "fake", 1, 1,
                JobResult.sha256("fake"), 1, "text"), impostor, clientKeys.publicKey(), now()));
        await().atMost(WAIT).until(() -> client.rejections().containsKey("result_from_unquoted_node"));
        assertThat(outcome).isNotDone();
    }

    @Test
    void aClientRestartedAfterPayingProvesItsPaymentFromTheJournal() throws Exception {
        ClientJournal journal = ClientJournal.inMemory();
        String job = "ab".repeat(32);
        String bolt11 = invoice(nodeWallet, PRICE, job);
        var paid = (org.fedai.payment.PayResult.Paid) clientWallet.pay(bolt11, java.util.OptionalLong.empty());
        journal.recordState(JobId.of(job), PublicKey.of(routerKeys.publicKey()), "PAYING",
                PublicKey.of(nodeKeys.publicKey()), now());
        journal.recordPayment(new ClientJournal.Payment(JobId.of(job), bolt11, Hex.encode(paid.preimage()),
                Msat.of(PRICE)), now());

        try (RelayPool pool = pool(); ClientRole restarted = new ClientRole(
                ClientConfig.of(clientKeys, PublicKey.of(routerKeys.publicKey())), pool, clientWallet, journal).start()) {
            await().atMost(WAIT).until(() -> toRouter.stream().anyMatch(e -> e.kind() == 4403));
            PaymentProof proof = PaymentCodecs.decodeProof(toRouter.stream().filter(e -> e.kind() == 4403)
                    .findFirst().orElseThrow(), routerKeys, now()).orElseThrow();
            assertThat(proof.jobId()).isEqualTo(job);
            assertThat(proof.paid()).containsExactly(new PaymentProof.Paid(bolt11, Hex.encode(paid.preimage())));
        }
        assertThat(wallets.balance("client")).isEqualTo(1_000_000 - PRICE);
    }

    @Test
    void whenTheRouterAsksForProofOfWorkTheSpecCarriesIt() throws Exception {
        long now = now() + 1; // newer than the announcement made in setUp, so it replaces it
        publish(routerKeys, RouterAnnouncementCodec.encode(new RouterAnnouncement("r1", "test",
                new RouterAnnouncement.Fee(100, 10_000), terms(routerWallet), new RouterAnnouncement.Policy(1_000_000, 12,
                        60), new RouterAnnouncement.Probation(RouterAnnouncement.ProbationState.ACTIVE, 0), Map.of(),
                List.of(), now + 3600), now));
        try (RelayPool pool = pool(); ClientRole asked = new ClientRole(
                ClientConfig.of(clientKeys, PublicKey.of(routerKeys.publicKey())), pool, clientWallet, ClientJournal.inMemory())
                .start()) {
            asked.submit(JobSubmission.embeddings(List.of("x"), Msat.of(10_000)));
            awaitSpec();
            Event spec = toRouter.stream().filter(e -> e.kind() == 4400).findFirst().orElseThrow();
            assertThat(org.fedai.nostr.Nip13.check(spec, 12)).isEqualTo(org.fedai.nostr.Nip13.Check.OK);
        }
    }

    @Test
    void aClientRestartedBeforeTheInvoiceCameTakesTheJobUpAndFinishesIt() throws Exception {
        Path file = Files.createTempFile("fedai-client-journal-", ".db");
        try (ClientJournal journal = ClientJournal.open(file)) {
            String job;
            try (RelayPool pool = pool(); ClientRole first = new ClientRole(
                    ClientConfig.of(clientKeys, PublicKey.of(routerKeys.publicKey())), pool, clientWallet, journal).start()) {
                first.submit(JobSubmission.embeddings(List.of("a cat", "a dog"), Msat.of(10_000)));
                JobRequest.Spec spec = awaitSpec();
                job = jobId();
                publish(routerKeys, QuoteCodec.encode(quote(job, spec, PRICE), routerKeys, clientKeys.publicKey(),
                        now()));
                await().atMost(WAIT).until(() -> toNode.size() == 1);
            } // the first run ends with its job quoted and its input sent, nothing paid
            try (RelayPool pool = pool(); ClientRole second = new ClientRole(
                    ClientConfig.of(clientKeys, PublicKey.of(routerKeys.publicKey())), pool, clientWallet, journal).start()) {
                assertThat(second.resumed()).singleElement().satisfies(r -> {
                    assertThat(r.jobId()).isEqualTo(JobId.of(job));
                    assertThat(r.journaledState()).isEqualTo("QUOTED");
                });
                await().atMost(WAIT).until(() -> toNode.size() == 2); // the input again: the crash may have beaten it
                JobRequest.Input again = (JobRequest.Input) JobRequestCodec.decode(toNode.get(1), nodeKeys, now())
                        .orElseThrow();
                assertThat(again.texts()).containsExactly("a cat", "a dog");
                publish(nodeKeys, PaymentCodecs.encodeInvoice(new Invoice(job, invoice(nodeWallet, PRICE, job), PRICE,
                        1, 1, now() + 600), nodeKeys, clientKeys.publicKey(), now()));
                await().atMost(WAIT).until(() -> toRouter.stream().anyMatch(e -> e.kind() == 4403));
                String output = "[[0.1,0.2],[0.3,0.4]]";
                publish(nodeKeys, JobProgressCodecs.encodeResult(new JobResult(job, "vectors", output, 1, 1,
                        JobResult.sha256(output), 2, "text"), nodeKeys, clientKeys.publicKey(), now()));
                JobOutcome done = second.resumed().get(0).outcome().get(20, TimeUnit.SECONDS);
                assertThat(done.succeeded()).as(done.failure()).isTrue();
                assertThat(done.output()).isEqualTo(output);
                assertThat(done.paid().value()).isEqualTo(PRICE + FEE);
                assertThat(second.rejections()).doesNotContainKey("quote_after_payment");
            }
            assertThat(wallets.balance("client")).isEqualTo(1_000_000 - PRICE - FEE);
            assertThat(journal.openJobs()).isEmpty();
        } finally {
            Files.deleteIfExists(file);
        }
    }

    @Test
    void aQuoteThatCameWhileTheClientWasDownIsActedOnAfterTheRestart() throws Exception {
        Path file = Files.createTempFile("fedai-client-journal-", ".db");
        try (ClientJournal journal = ClientJournal.open(file)) {
            try (RelayPool pool = pool(); ClientRole first = new ClientRole(
                    ClientConfig.of(clientKeys, PublicKey.of(routerKeys.publicKey())), pool, clientWallet, journal).start()) {
                first.submit(JobSubmission.embeddings(List.of("a quote in the meantime"), Msat.of(10_000)));
                awaitSpec();
            }
            JobRequest.Spec spec = awaitSpec();
            publish(routerKeys, QuoteCodec.encode(quote(jobId(), spec, PRICE), routerKeys, clientKeys.publicKey(),
                    now()));
            try (RelayPool pool = pool(); ClientRole second = new ClientRole(
                    ClientConfig.of(clientKeys, PublicKey.of(routerKeys.publicKey())), pool, clientWallet, journal).start()) {
                assertThat(second.resumed()).extracting(ResumedJob::journaledState).containsExactly("SPEC_SENT");
                await().atMost(WAIT).until(() -> !toNode.isEmpty());
                JobRequest.Input input = (JobRequest.Input) JobRequestCodec.decode(toNode.get(0), nodeKeys, now())
                        .orElseThrow();
                assertThat(input.commitment()).isEqualTo(spec.inputSha256());
            }
        } finally {
            Files.deleteIfExists(file);
        }
    }

    @Test
    void aSpecJournaledButNeverSentIsSentOnRestartUnderItsOwnId() throws Exception {
        // the crash suite's kill at SPEC_SENT: journaled, then killed before any relay had the spec
        Path file = Files.createTempFile("fedai-client-journal-", ".db");
        try (ClientJournal journal = ClientJournal.open(file)) {
            JobSubmission submission = JobSubmission.embeddings(List.of("never sent"), Msat.of(10_000));
            long at = now();
            Event spec = EventSigner.sign(JobRequestCodec.encode(ClientJob.specOf(submission, at), clientKeys,
                    routerKeys.publicKey(), at), clientKeys);
            JobId id = JobId.of(spec.id());
            journal.claim(PublicKey.of(clientKeys.publicKey()));
            journal.recordSubmission(id, at, SubmissionJson.write(submission));
            journal.recordSpecEvent(id, org.fedai.nostr.EventJson.toJson(spec));
            journal.recordState(id, PublicKey.of(routerKeys.publicKey()), "SPEC_SENT", null, at);
            try (RelayPool pool = pool(); ClientRole restarted = new ClientRole(
                    ClientConfig.of(clientKeys, PublicKey.of(routerKeys.publicKey())), pool, clientWallet, journal).start()) {
                assertThat(restarted.resumed()).extracting(ResumedJob::jobId).containsExactly(id);
                awaitSpec();
                assertThat(jobId()).isEqualTo(spec.id());
            }
        } finally {
            Files.deleteIfExists(file);
        }
    }

    @Test
    void aNodesInvoiceThatComesBeforeItsQuoteIsKeptAndPaidOnceTheQuoteIsIn() throws Exception {
        // a restarted client hears what the relay holds newest first: the node's invoice before the router's quote
        Path file = Files.createTempFile("fedai-client-journal-", ".db");
        try (ClientJournal journal = ClientJournal.open(file)) {
            try (RelayPool pool = pool(); ClientRole first = new ClientRole(
                    ClientConfig.of(clientKeys, PublicKey.of(routerKeys.publicKey())), pool, clientWallet, journal).start()) {
                first.submit(JobSubmission.embeddings(List.of("quoted and invoiced while down"), Msat.of(10_000)));
                awaitSpec();
            }
            JobRequest.Spec spec = awaitSpec();
            String job = jobId();
            long t = now();
            publish(routerKeys, QuoteCodec.encode(quote(job, spec, PRICE), routerKeys, clientKeys.publicKey(), t - 2));
            publish(nodeKeys, PaymentCodecs.encodeInvoice(new Invoice(job, invoice(nodeWallet, PRICE, job), PRICE,
                    1, 1, t + 600), nodeKeys, clientKeys.publicKey(), t));
            try (RelayPool pool = pool(); ClientRole second = new ClientRole(
                    ClientConfig.of(clientKeys, PublicKey.of(routerKeys.publicKey())), pool, clientWallet, journal).start()) {
                await().atMost(WAIT).until(() -> toRouter.stream().anyMatch(e -> e.kind() == 4403));
                assertThat(wallets.balance("client")).isEqualTo(1_000_000 - PRICE - FEE);
                assertThat(second.rejections()).doesNotContainKey("invoice_from_unquoted_node");
            }
        } finally {
            Files.deleteIfExists(file);
        }
    }

    @Test
    void aJournalOfAnotherKeyIsRefused() throws Exception {
        try (ClientJournal journal = ClientJournal.inMemory(); RelayPool pool = pool()) {
            journal.claim(PublicKey.of(KeyPair.generate().publicKey()));
            ClientRole stranger = new ClientRole(ClientConfig.of(clientKeys, PublicKey.of(routerKeys.publicKey())), pool,
                    clientWallet, journal);
            org.assertj.core.api.Assertions.assertThatThrownBy(stranger::start)
                    .isInstanceOf(IllegalStateException.class).hasMessageContaining("belongs to client");
            stranger.close();
        }
    }
}
