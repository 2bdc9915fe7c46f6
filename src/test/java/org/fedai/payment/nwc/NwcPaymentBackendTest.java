package org.fedai.payment.nwc;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.OptionalLong;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import org.fedai.nostr.Hex;
import org.fedai.nostr.KeyPair;
import org.fedai.nostr.Sha256;
import org.fedai.nostr.pool.RelayPool;
import org.fedai.nostr.pool.RelayPoolConfig;
import org.fedai.nostr.relay.EmbeddedRelay;
import org.fedai.nostr.relay.InMemoryEventStore;
import org.fedai.nostr.relay.RelayConfig;
import org.fedai.payment.BackendFailure;
import org.fedai.payment.Bolt11Codec;
import org.fedai.payment.Bolt11Invoice;
import org.fedai.payment.Bolt11Network;
import org.fedai.payment.HoldResult;
import org.fedai.payment.InvoiceRequest;
import org.fedai.payment.InvoiceResult;
import org.fedai.payment.JobBinding;
import org.fedai.payment.LookupResult;
import org.fedai.payment.PayResult;
import org.fedai.payment.PaymentExpectation;
import org.fedai.payment.PaymentProofVerifier;
import org.fedai.payment.ProofResult;
import org.fedai.payment.Settlement;
import org.fedai.store.InvoiceState;
import org.fedai.store.SqlitePaymentHashRegistry;
import org.fedai.testing.RelayTest;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code fedai wallet serve}'s core ({@link DevWalletServer}) and {@link NwcPaymentBackend} over a real
 * embedded relay on loopback: real signed and NIP-44 encrypted NIP-47 events, a real SQLite ledger, real
 * regtest BOLT #11 invoices. Account 0 plays a fedai node, account 1 a client, account 2 is spare.
 */
@RelayTest
class NwcPaymentBackendTest {

    private static final long FUNDS = 100_000;
    private static final Duration WAIT = Duration.ofSeconds(20);

    @TempDir
    Path dir;

    private final InMemoryEventStore store = new InMemoryEventStore();
    private EmbeddedRelay relay;
    private DevWalletServer server;
    private final List<AutoCloseable> open = new ArrayList<>();
    private final java.util.Map<Integer, List<NwcNotification>> inbox = new java.util.concurrent.ConcurrentHashMap<>();

    @BeforeEach
    void startRelay() throws Exception {
        relay = new EmbeddedRelay(RelayConfig.defaults(), store).start();
    }

    @AfterEach
    void stopAll() throws Exception {
        for (AutoCloseable c : open.reversed()) {
            c.close();
        }
        if (server != null) {
            server.close();
        }
        relay.close();
    }

    private void serve(DevWalletBackend.Faults faults) {
        server = DevWalletServer.start(new DevWalletServer.Config(List.of(relay.url()), dir.resolve("ledger.db"), 3,
                FUNDS, KeyPair.generate(), faults));
        assertThat(server.awaitAnnounced(WAIT)).isTrue();
    }

    private NwcPaymentBackend backend(int account, NwcClient.Timeouts timeouts) {
        RelayPool pool = new RelayPool(RelayPoolConfig.defaults().withReconnect(Duration.ofMillis(100),
                Duration.ofMillis(500)));
        open.add(pool);
        pool.addRelay(relay.url());
        NwcClient client = new NwcClient(server.uris().get(account), new PoolNwcTransport(pool), timeouts,
                Clock.systemUTC());
        open.add(client);
        client.onNotification(inbox.computeIfAbsent(account, a -> new CopyOnWriteArrayList<>())::add);
        return NwcPaymentBackend.connect(client);
    }

    private NwcPaymentBackend backend(int account) {
        return backend(account, NwcClient.Timeouts.DEFAULT);
    }

    private long balance(int account) {
        return server.balanceMsat(server.uris().get(account));
    }

    private static JobBinding job() {
        return new JobBinding(Hex.encode(Sha256.hash(KeyPair.generate().publicKey().getBytes())));
    }

    private static InvoiceResult.Created created(InvoiceResult result) {
        assertThat(result).isInstanceOf(InvoiceResult.Created.class);
        return (InvoiceResult.Created) result;
    }

    @Test
    void nodeInvoicesClientPaysThroughNwcAndTheProofVerifies() {
        serve(DevWalletBackend.Faults.NONE);
        NwcPaymentBackend node = backend(0);
        NwcPaymentBackend client = backend(1);
        List<Settlement> settled = new CopyOnWriteArrayList<>();
        node.subscribeSettlements(settled::add);
        assertThat(node.network()).isEqualTo(Bolt11Network.REGTEST);
        assertThat(node.nodeId()).isEqualTo(server.backend().nodeId(server.uris().get(0).clientKeys().publicKey()));

        JobBinding job = job();
        InvoiceResult.Created invoice = created(node.makeInvoice(InvoiceRequest.forJob(21_000, job, 600)));
        Bolt11Invoice decoded = Bolt11Codec.decode(invoice.bolt11());
        assertThat(decoded.payeeHex()).isEqualTo(node.nodeId());
        assertThat(decoded.descriptionHash()).hasValueSatisfying(h -> assertThat(h).isEqualTo(job.descriptionHash()));

        PayResult result = client.pay(invoice.bolt11(), OptionalLong.empty());
        assertThat(result).isInstanceOf(PayResult.Paid.class);
        PayResult.Paid paid = (PayResult.Paid) result;
        assertThat(Sha256.hash(paid.preimage())).isEqualTo(invoice.paymentHash());
        try (SqlitePaymentHashRegistry registry = SqlitePaymentHashRegistry.open(dir.resolve("spent.db"))) {
            ProofResult proof = new PaymentProofVerifier(registry, Duration.ofSeconds(30)).verify(
                    PaymentExpectation.forJob(node.nodeId(), 21_000, Bolt11Network.REGTEST, job), invoice.bolt11(),
                    paid.preimage(), System.currentTimeMillis() / 1000);
            assertThat(proof).isInstanceOf(ProofResult.Verified.class);
        }
        assertThat(balance(0)).isEqualTo(FUNDS + 21_000);
        assertThat(balance(1)).isEqualTo(FUNDS - 21_000);

        await().atMost(WAIT).until(() -> !settled.isEmpty());
        assertThat(settled.get(0).paymentHash()).isEqualTo(invoice.paymentHash());
        assertThat(settled.get(0).preimage()).isEqualTo(paid.preimage());
        LookupResult seen = node.lookup(invoice.paymentHash());
        assertThat(seen).isInstanceOfSatisfying(LookupResult.Found.class,
                f -> assertThat(f.state()).isEqualTo(InvoiceState.SETTLED));
    }

    @Test
    void payingTheSameInvoiceTwiceIsRefusedAndChargesOnce() {
        serve(DevWalletBackend.Faults.NONE);
        NwcPaymentBackend node = backend(0);
        InvoiceResult.Created invoice = created(node.makeInvoice(InvoiceRequest.forJob(5_000, job(), 600)));
        assertThat(backend(1).pay(invoice.bolt11(), OptionalLong.empty())).isInstanceOf(PayResult.Paid.class);

        // the same backend instance: it knows it sent this hash and only looks it up
        NwcPaymentBackend sameClient = backend(1);
        PayResult again = sameClient.pay(invoice.bolt11(), OptionalLong.empty());
        assertThat(again).isInstanceOfSatisfying(PayResult.Failed.class,
                f -> assertThat(f.reason()).isEqualTo(BackendFailure.ALREADY_PAID));
        // a third party: the wallet's ledger refuses the second payment
        PayResult third = backend(2).pay(invoice.bolt11(), OptionalLong.empty());
        assertThat(third).isInstanceOfSatisfying(PayResult.Failed.class,
                f -> assertThat(f.reason()).isEqualTo(BackendFailure.PAYMENT_FAILED));
        assertThat(balance(1)).isEqualTo(FUNDS - 5_000);
        assertThat(balance(2)).isEqualTo(FUNDS);
        assertThat(balance(0)).isEqualTo(FUNDS + 5_000);
    }

    @Test
    void insufficientBalanceIsReportedAndMovesNothing() {
        serve(DevWalletBackend.Faults.NONE);
        InvoiceResult.Created invoice = created(backend(0).makeInvoice(InvoiceRequest.forJob(FUNDS + 1, job(), 600)));
        PayResult result = backend(1).pay(invoice.bolt11(), OptionalLong.empty());
        assertThat(result).isInstanceOfSatisfying(PayResult.Failed.class,
                f -> assertThat(f.reason()).isEqualTo(BackendFailure.INSUFFICIENT_BALANCE));
        assertThat(balance(0)).isEqualTo(FUNDS);
        assertThat(balance(1)).isEqualTo(FUNDS);
    }

    @Test
    void holdInvoiceLocksFundsUntilTheNodeSettles() {
        serve(DevWalletBackend.Faults.NONE);
        NwcPaymentBackend node = backend(0);
        NwcPaymentBackend client = backend(1);
        byte[] preimage = Sha256.hash(KeyPair.generate().secretKeyHex().getBytes());
        byte[] hash = Sha256.hash(preimage);
        InvoiceResult.Created invoice = created(node.makeHoldInvoice(InvoiceRequest.forJob(7_000, job(), 600), hash));
        assertThat(node.settle(preimage)).isInstanceOfSatisfying(HoldResult.Failed.class,
                f -> assertThat(f.reason()).isEqualTo(BackendFailure.NOT_HELD));

        assertThat(client.pay(invoice.bolt11(), OptionalLong.empty())).isInstanceOf(PayResult.Pending.class);
        assertThat(balance(1)).isEqualTo(FUNDS - 7_000);
        assertThat(balance(0)).isEqualTo(FUNDS);
        assertThat(node.lookup(hash)).isInstanceOfSatisfying(LookupResult.Found.class,
                f -> assertThat(f.state()).isEqualTo(InvoiceState.HELD));

        assertThat(node.settle(preimage)).isInstanceOf(HoldResult.Done.class);
        assertThat(balance(0)).isEqualTo(FUNDS + 7_000);
        assertThat(client.lookup(hash)).isInstanceOfSatisfying(LookupResult.Found.class, f -> {
            assertThat(f.state()).isEqualTo(InvoiceState.SETTLED);
            assertThat(f.preimage()).hasValueSatisfying(p -> assertThat(p).isEqualTo(preimage));
        });
        assertThat(node.settle(preimage)).isInstanceOfSatisfying(HoldResult.Failed.class,
                f -> assertThat(f.reason()).isEqualTo(BackendFailure.ALREADY_FINAL));
    }

    @Test
    void theWalletNotifiesHoldAcceptedToThePayeeAndTheSettlementToBothSides() {
        serve(DevWalletBackend.Faults.NONE);
        NwcPaymentBackend node = backend(0);
        NwcPaymentBackend client = backend(1);
        byte[] preimage = Sha256.hash(KeyPair.generate().secretKeyHex().getBytes());
        byte[] hash = Sha256.hash(preimage);
        InvoiceResult.Created invoice = created(node.makeHoldInvoice(InvoiceRequest.forJob(2_000, job(), 600), hash));
        assertThat(client.pay(invoice.bolt11(), OptionalLong.empty())).isInstanceOf(PayResult.Pending.class);
        await().atMost(WAIT).until(() -> types(0).contains(NwcNotificationType.HOLD_INVOICE_ACCEPTED));

        assertThat(node.settle(preimage)).isInstanceOf(HoldResult.Done.class);
        await().atMost(WAIT).until(() -> types(0).contains(NwcNotificationType.PAYMENT_RECEIVED)
                && types(1).contains(NwcNotificationType.PAYMENT_SENT));
        NwcTransaction sent = inbox.get(1).stream().filter(n -> n.type() == NwcNotificationType.PAYMENT_SENT)
                .findFirst().orElseThrow().transaction();
        assertThat(sent.type()).isEqualTo(NwcTransaction.Type.OUTGOING);
        assertThat(sent.preimage()).isEqualTo(Hex.encode(preimage));
        assertThat(sent.amountMsat()).isEqualTo(2_000);
        assertThat(types(1)).doesNotContain(NwcNotificationType.PAYMENT_RECEIVED, NwcNotificationType.HOLD_INVOICE_ACCEPTED);
    }

    private List<NwcNotificationType> types(int account) {
        return inbox.getOrDefault(account, List.of()).stream().map(NwcNotification::type).toList();
    }

    @Test
    void aFailedRouteIsPaymentFailedAndMovesNothing() {
        serve(new DevWalletBackend.Faults(true, Duration.ZERO, false));
        InvoiceResult.Created invoice = created(backend(0).makeInvoice(InvoiceRequest.forJob(3_000, job(), 600)));
        PayResult result = backend(1).pay(invoice.bolt11(), OptionalLong.empty());
        assertThat(result).isInstanceOfSatisfying(PayResult.Failed.class,
                f -> assertThat(f.reason()).isEqualTo(BackendFailure.PAYMENT_FAILED));
        assertThat(balance(1)).isEqualTo(FUNDS);
    }

    @Test
    void anExpiredInvoiceIsRefused() {
        serve(new DevWalletBackend.Faults(false, Duration.ZERO, true));
        NwcPaymentBackend node = backend(0);
        InvoiceResult.Created invoice = created(node.makeInvoice(InvoiceRequest.forJob(3_000, job(), 600)));
        await().atMost(WAIT).until(() -> System.currentTimeMillis() / 1000 >= invoice.expiresAt());
        PayResult result = backend(1).pay(invoice.bolt11(), OptionalLong.empty());
        assertThat(result).isInstanceOfSatisfying(PayResult.Failed.class,
                f -> assertThat(f.reason()).isEqualTo(BackendFailure.EXPIRED));
        assertThat(node.lookup(invoice.paymentHash())).isInstanceOfSatisfying(LookupResult.Found.class,
                f -> assertThat(f.state()).isEqualTo(InvoiceState.EXPIRED));
        assertThat(balance(1)).isEqualTo(FUNDS);
    }

    @Test
    void aLateAnswerIsResolvedByLookupNotByPayingAgain() {
        // the request carries a NIP-40 expiration at the client's deadline: a few seconds, so a loaded machine
        // still delivers it in time; the wallet answers well after that deadline
        serve(new DevWalletBackend.Faults(false, Duration.ofSeconds(8), false));
        InvoiceResult.Created invoice = created(backend(0).makeInvoice(InvoiceRequest.forJob(4_000, job(), 600)));
        NwcPaymentBackend client = backend(1, new NwcClient.Timeouts(Duration.ofSeconds(4), Duration.ofSeconds(10)));

        PayResult result = client.pay(invoice.bolt11(), OptionalLong.empty());
        assertThat(result).isInstanceOfSatisfying(PayResult.Paid.class,
                p -> assertThat(Sha256.hash(p.preimage())).isEqualTo(invoice.paymentHash()));
        assertThat(client.pay(invoice.bolt11(), OptionalLong.empty())).isInstanceOfSatisfying(PayResult.Failed.class,
                f -> assertThat(f.reason()).isEqualTo(BackendFailure.ALREADY_PAID));
        assertThat(balance(1)).isEqualTo(FUNDS - 4_000);
        assertThat(balance(0)).isEqualTo(FUNDS + 4_000);
    }

    @Test
    void relayLostBetweenRequestAndResponseTheClientRecoversByLookupAndPaysOnce() throws Exception {
        serve(new DevWalletBackend.Faults(false, Duration.ofSeconds(3), false));
        InvoiceResult.Created invoice = created(backend(0).makeInvoice(InvoiceRequest.forJob(6_000, job(), 600)));
        NwcPaymentBackend client = backend(1, new NwcClient.Timeouts(Duration.ofSeconds(5), Duration.ofSeconds(10)));

        CompletableFuture<PayResult> paying = CompletableFuture.supplyAsync(
                () -> client.pay(invoice.bolt11(), OptionalLong.empty()));
        // the wallet has paid and sits on its answer: now the relay goes away and comes back on the same port
        await().atMost(WAIT).until(() -> balance(1) == FUNDS - 6_000);
        int port = relay.port();
        relay.close();
        relay = new EmbeddedRelay(RelayConfig.defaults().withPort(port), store).start();

        PayResult result = paying.get(WAIT.toSeconds(), TimeUnit.SECONDS);
        assertThat(result).isInstanceOfSatisfying(PayResult.Paid.class,
                p -> assertThat(Sha256.hash(p.preimage())).isEqualTo(invoice.paymentHash()));
        assertThat(client.pay(invoice.bolt11(), OptionalLong.empty())).isInstanceOfSatisfying(PayResult.Failed.class,
                f -> assertThat(f.reason()).isEqualTo(BackendFailure.ALREADY_PAID));
        assertThat(balance(1)).isEqualTo(FUNDS - 6_000);
        assertThat(balance(0)).isEqualTo(FUNDS + 6_000);
    }

    @Test
    void aPaymentAskedOfAWalletThatIsDownIsAskedAgainOnceItIsBackAndPaidOnce() {
        // the wallet restart during pay_invoice: the request is lost with the wallet; asked again later, the
        // client finds no record (the first request expired unheard) and sends it again, and it is paid once
        KeyPair keys = KeyPair.generate();
        DevWalletServer.Config config = new DevWalletServer.Config(List.of(relay.url()), dir.resolve("ledger.db"), 2,
                FUNDS, keys, DevWalletBackend.Faults.NONE);
        server = DevWalletServer.start(config);
        assertThat(server.awaitAnnounced(WAIT)).isTrue();
        InvoiceResult.Created invoice = created(backend(0).makeInvoice(InvoiceRequest.forJob(5_000, job(), 600)));
        NwcPaymentBackend client = backend(1, new NwcClient.Timeouts(Duration.ofSeconds(2), Duration.ofSeconds(10)));
        server.close();

        assertThat(client.pay(invoice.bolt11(), OptionalLong.empty())).isInstanceOfSatisfying(PayResult.Failed.class,
                f -> assertThat(f.reason()).isEqualTo(BackendFailure.OUTCOME_UNKNOWN));

        server = DevWalletServer.start(config);
        assertThat(server.awaitAnnounced(WAIT)).isTrue();
        assertThat(client.pay(invoice.bolt11(), OptionalLong.empty())).isInstanceOfSatisfying(PayResult.Paid.class,
                p -> assertThat(Sha256.hash(p.preimage())).isEqualTo(invoice.paymentHash()));
        assertThat(client.pay(invoice.bolt11(), OptionalLong.empty())).isInstanceOfSatisfying(PayResult.Failed.class,
                f -> assertThat(f.reason()).isEqualTo(BackendFailure.ALREADY_PAID));
        assertThat(balance(1)).isEqualTo(FUNDS - 5_000);
        assertThat(balance(0)).isEqualTo(FUNDS + 5_000);
    }

    @Test
    void aRestartedServiceServesTheSameAccountsOverTheSameLedger() {
        KeyPair keys = KeyPair.generate();
        DevWalletServer.Config config = new DevWalletServer.Config(List.of(relay.url()), dir.resolve("ledger.db"), 2,
                FUNDS, keys, DevWalletBackend.Faults.NONE);
        List<NwcUri> first;
        try (DevWalletServer once = DevWalletServer.start(config)) {
            first = once.uris();
            once.backend().deposit(first.get(0).clientKeys().publicKey(), 1);
        }
        server = DevWalletServer.start(config);
        assertThat(server.uris()).isEqualTo(first);
        assertThat(balance(0)).isEqualTo(FUNDS + 1); // funded once, not again on restart
        assertThat(first.get(0).secret()).isNotEqualTo(first.get(1).secret());
    }
}
