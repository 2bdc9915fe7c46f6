package org.fedai.payment.nwc;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import org.fedai.nostr.Event;
import org.fedai.nostr.EventSigner;
import org.fedai.nostr.Hex;
import org.fedai.nostr.KeyPair;
import org.fedai.nostr.Nip44;
import org.fedai.nostr.Sha256;
import org.fedai.nostr.UnsignedEvent;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Client and wallet service talking through the in-memory relay double: real signed events, real
 * NIP-44 encryption, an in-memory ledger behind the service.
 */
class NwcEndToEndTest {

    private static final List<String> RELAYS = List.of("ws://127.0.0.1:7777");
    private static final Duration WAIT = Duration.ofSeconds(10);

    private final InMemoryNwcTransport relay = new InMemoryNwcTransport();
    private final InMemoryWalletBackend ledger = new InMemoryWalletBackend();
    private final KeyPair serviceKeys = KeyPair.generate();
    private NwcWalletService service;
    private NwcClient alice;
    private NwcClient bob;
    private final List<NwcNotification> aliceInbox = new CopyOnWriteArrayList<>();
    private final List<NwcNotification> bobInbox = new CopyOnWriteArrayList<>();

    @BeforeEach
    void connect() {
        service = new NwcWalletService(relay, serviceKeys, List.of(), ledger, Clock.systemUTC(),
                NwcWalletService.Config.defaults()).start();
        alice = new NwcClient(service.issueConnection(RELAYS, null), relay);
        bob = new NwcClient(service.issueConnection(RELAYS, "bob@example.com"), relay);
        alice.onNotification(aliceInbox::add);
        bob.onNotification(bobInbox::add);
        ledger.fund(alice.clientPubkey(), 100_000);
    }

    @AfterEach
    void disconnect() {
        alice.close();
        bob.close();
        service.close();
        relay.close();
    }

    @Test
    void serviceAnnouncesItselfWithNip44AndEveryMethod() throws Exception {
        NwcInfo info = get(alice.fetchInfo(WAIT));
        assertThat(info.encryptions()).containsExactly(NwcEncryption.NIP44_V2);
        for (NwcMethod m : NwcMethod.values()) {
            assertThat(info.supports(m)).as(m.wire()).isTrue();
        }
        assertThat(info.capabilities()).contains("notifications");
        assertThat(info.notifications()).containsExactly("payment_received", "payment_sent", "hold_invoice_accepted");
    }

    @Test
    void payInvoiceMovesFundsProvesPaymentAndNotifiesBothSides() throws Exception {
        NwcTransaction invoice = get(bob.makeInvoice(21_000, "inference job", 600L));
        assertThat(invoice.type()).isEqualTo(NwcTransaction.Type.INCOMING);
        assertThat(invoice.amountMsat()).isEqualTo(21_000);

        NwcResult.Paid paid = get(alice.payInvoice(invoice.invoice(), null));
        assertThat(Hex.encode(Sha256.hash(Hex.decode(paid.preimage())))).isEqualTo(invoice.paymentHash());
        assertThat(get(alice.getBalance())).isEqualTo(79_000);
        assertThat(get(bob.getBalance())).isEqualTo(21_000);
        assertThat(get(bob.lookupInvoice(invoice.paymentHash())).state()).isEqualTo(NwcTransaction.State.SETTLED);

        await().atMost(WAIT).until(() -> !aliceInbox.isEmpty() && !bobInbox.isEmpty());
        assertThat(aliceInbox.get(0).type()).isEqualTo(NwcNotificationType.PAYMENT_SENT);
        assertThat(bobInbox.get(0).type()).isEqualTo(NwcNotificationType.PAYMENT_RECEIVED);
        assertThat(bobInbox.get(0).transaction().preimage()).isEqualTo(paid.preimage());
        assertThat(get(alice.listTransactions(new NwcRequest.ListTransactions(null, null, 10, 0, null, null))))
                .extracting(NwcTransaction::type).containsExactly(NwcTransaction.Type.OUTGOING);
        NwcResult.Info info = get(alice.getInfo());
        assertThat(info.network()).isEqualTo("regtest");
        assertThat(info.methods()).contains("pay_invoice", "make_hold_invoice");
    }

    @Test
    void insufficientBalanceIsTheWalletsErrorAndMovesNothing() throws Exception {
        NwcTransaction invoice = get(alice.makeInvoice(5_000, null, null));
        assertWalletError(bob.payInvoice(invoice.invoice(), null), NwcErrorCode.INSUFFICIENT_BALANCE);
        assertThat(get(bob.getBalance())).isZero();
        assertThat(ledger.payments()).isZero();
        assertThat(service.count(NwcWalletService.Counter.WALLET_ERROR)).isEqualTo(1);
    }

    @Test
    void aReplayedRequestIsAnsweredWithTheSameResponseAndPaysOnce() throws Exception {
        NwcTransaction invoice = get(bob.makeInvoice(10_000, null, null));
        CompletableFuture<NwcResult.Paid> payment = alice.payInvoice(invoice.invoice(), null);
        Event request = await().atMost(WAIT).until(() -> relay.published(Nip47.REQUEST_KIND).stream()
                .filter(e -> e.pubkey().equals(alice.clientPubkey())).reduce((a, b) -> b).orElse(null),
                e -> e != null);
        relay.deliver(request); // a second relay delivers it too, at once
        get(payment);
        relay.deliver(request); // a replay after the answer

        await().atMost(WAIT).until(() -> relay.responsesTo(request.id()).size() == 3);
        List<Event> answers = relay.responsesTo(request.id());
        // the very same signed event each time: not recomputed, so the backend was asked once
        assertThat(answers).extracting(Event::id).containsOnly(answers.get(0).id());
        assertThat(service.count(NwcWalletService.Counter.REPLAYED)).isEqualTo(2);
        assertThat(ledger.payments()).isEqualTo(1);
        assertThat(get(alice.getBalance())).isEqualTo(90_000);
        await().atMost(WAIT).until(() -> alice.count(NwcClient.Counter.DUPLICATE) == 2);
    }

    @Test
    void anUnauthorisedKeyGetsUnauthorized() {
        NwcUri stranger = NwcUri.issue(serviceKeys.publicKey(), RELAYS, null); // never authorised by the service
        try (NwcClient mallory = new NwcClient(stranger, relay)) {
            assertWalletError(mallory.getBalance(), NwcErrorCode.UNAUTHORIZED);
        }
        assertThat(service.count(NwcWalletService.Counter.UNAUTHORIZED)).isEqualTo(1);
        service.revoke(bob.clientPubkey());
        assertWalletError(bob.getBalance(), NwcErrorCode.UNAUTHORIZED);
    }

    @Test
    void anUnknownMethodIsNotImplementedAndAMalformedOneIsOther() throws Exception {
        KeyPair aliceKeys = KeyPair.generate();
        service.authorise(aliceKeys.publicKey());
        Event keysend = rawRequest(aliceKeys, "{\"method\":\"pay_keysend\",\"params\":{\"amount\":1}}", List.of());
        relay.deliver(keysend);
        NwcResponse notImplemented = awaitResponse(keysend, aliceKeys);
        assertThat(notImplemented.resultType()).isEqualTo("pay_keysend");
        assertThat(notImplemented.error().code()).isEqualTo(NwcErrorCode.NOT_IMPLEMENTED);

        Event malformed = rawRequest(aliceKeys, "{\"method\":\"pay_invoice\",\"params\":{\"amount\":5}}", List.of());
        relay.deliver(malformed);
        NwcResponse other = awaitResponse(malformed, aliceKeys);
        assertThat(other.resultType()).isEqualTo("pay_invoice");
        assertThat(other.error().code()).isEqualTo(NwcErrorCode.OTHER);
        assertThat(other.error().message()).contains("invoice is missing");
        assertThat(service.count(NwcWalletService.Counter.NOT_IMPLEMENTED)).isEqualTo(1);
        assertThat(service.count(NwcWalletService.Counter.MALFORMED)).isEqualTo(1);
    }

    @Test
    void anExpiredRequestIsIgnoredAndCounted() {
        KeyPair keys = KeyPair.generate();
        service.authorise(keys.publicKey());
        long past = java.time.Instant.now().getEpochSecond() - 5;
        Event expired = rawRequest(keys, "{\"method\":\"get_balance\",\"params\":{}}",
                List.of(List.of("expiration", Long.toString(past))));
        relay.deliver(expired);
        await().atMost(WAIT).until(() -> service.count(NwcWalletService.Counter.EXPIRED) == 1);
        Event fresh = rawRequest(keys, "{\"method\":\"get_balance\",\"params\":{}}", List.of());
        relay.deliver(fresh);
        awaitResponse(fresh, keys);
        assertThat(relay.responsesTo(expired.id())).isEmpty();
    }

    @Test
    void aSilentServiceTimesOutWithAClearError() {
        service.close(); // stops listening: requests go unanswered
        NwcClient impatient = new NwcClient(NwcUri.issue(serviceKeys.publicKey(), RELAYS, null), relay,
                new NwcClient.Timeouts(Duration.ofMillis(300), Duration.ofMillis(200)), Clock.systemUTC());
        CompletableFuture<Long> balance = impatient.getBalance();
        await().atMost(WAIT).until(balance::isDone);
        assertThatThrownBy(balance::get).cause().isInstanceOfSatisfying(NwcException.class, e -> {
            assertThat(e.code()).isEqualTo("TIMEOUT");
            assertThat(e.local()).contains(NwcException.Local.TIMEOUT);
            assertThat(e.getMessage()).contains("get_balance").contains("200 ms");
        });
        impatient.close();
    }

    @Test
    void responsesFromOtherKeysAreIgnoredAndCountedAndDuplicatesDropped() throws Exception {
        service.close();
        NwcUri uri = NwcUri.issue(serviceKeys.publicKey(), RELAYS, null);
        NwcClient client = new NwcClient(uri, relay);
        CompletableFuture<Long> balance = client.getBalance();
        Event request = await().atMost(WAIT).until(() -> relay.published(Nip47.REQUEST_KIND).stream()
                .filter(e -> e.pubkey().equals(client.clientPubkey())).findFirst().orElse(null), e -> e != null);
        NwcResponse lie = NwcResponse.success(NwcMethod.GET_BALANCE, new NwcResult.Balance(1_000_000_000));
        relay.deliver(Nip47.response(lie, KeyPair.generate(), client.clientPubkey(), request.id(), request.createdAt()));
        await().atMost(WAIT).until(() -> client.count(NwcClient.Counter.FOREIGN_AUTHOR) == 1);
        assertThat(balance).isNotDone();

        NwcResponse truth = NwcResponse.success(NwcMethod.GET_BALANCE, new NwcResult.Balance(42));
        Event genuine = Nip47.response(truth, serviceKeys, client.clientPubkey(), request.id(), request.createdAt());
        relay.deliver(genuine);
        relay.deliver(genuine);
        assertThat(get(balance)).isEqualTo(42);
        await().atMost(WAIT).until(() -> client.count(NwcClient.Counter.DUPLICATE) == 1);
        assertThat(client.count(NwcClient.Counter.RESPONSES)).isEqualTo(1);
        client.close();
    }

    @Test
    void holdInvoiceIsMadeAcceptedSettledOrCancelled() throws Exception {
        String preimage = Hex.encode(Sha256.hash("job 7 secret".getBytes()));
        String hash = Hex.encode(Sha256.hash(Hex.decode(preimage)));
        NwcTransaction hold = get(bob.makeHoldInvoice(new NwcRequest.MakeHoldInvoice(30_000, hash, "escrow", null, 600L, 144)));
        assertThat(hold.paymentHash()).isEqualTo(hash);
        assertThat(hold.state()).isEqualTo(NwcTransaction.State.PENDING);

        ledger.acceptHold(hash);
        await().atMost(WAIT).until(() -> bobInbox.stream().anyMatch(n -> n.type() == NwcNotificationType.HOLD_INVOICE_ACCEPTED));
        NwcNotification accepted = bobInbox.get(0);
        assertThat(accepted.settleDeadline()).isEqualTo(InMemoryWalletBackend.SETTLE_DEADLINE);
        assertThat(accepted.transaction().state()).isEqualTo(NwcTransaction.State.ACCEPTED);
        assertThat(get(bob.getBalance())).isZero();

        get(bob.settleHoldInvoice(preimage));
        assertThat(get(bob.getBalance())).isEqualTo(30_000);
        assertThat(get(bob.lookupInvoice(hash)).state()).isEqualTo(NwcTransaction.State.SETTLED);
        await().atMost(WAIT).until(() -> bobInbox.stream().anyMatch(n -> n.type() == NwcNotificationType.PAYMENT_RECEIVED));

        String otherHash = Hex.encode(Sha256.hash("another".getBytes()));
        get(bob.makeHoldInvoice(new NwcRequest.MakeHoldInvoice(7_000, otherHash, null, null, null, null)));
        ledger.acceptHold(otherHash);
        get(bob.cancelHoldInvoice(otherHash));
        assertThat(get(bob.lookupInvoice(otherHash)).state()).isEqualTo(NwcTransaction.State.FAILED);
        assertThat(get(bob.getBalance())).isEqualTo(30_000);
        assertWalletError(alice.cancelHoldInvoice(otherHash), NwcErrorCode.NOT_FOUND);
        assertWalletError(bob.settleHoldInvoice(preimage.replace('a', 'b').replace('c', 'd')), NwcErrorCode.NOT_FOUND);
    }

    @Test
    void aFailedPublishFailsTheCallAtOnce() {
        relay.failPublishWhen(e -> e.kind() == Nip47.REQUEST_KIND);
        assertThatThrownBy(() -> get(alice.getBalance())).isInstanceOfSatisfying(NwcException.class,
                e -> assertThat(e.code()).isEqualTo("PUBLISH_FAILED"));
    }

    private Event rawRequest(KeyPair client, String json, List<List<String>> extraTags) {
        List<List<String>> tags = new java.util.ArrayList<>(List.of(List.of("p", serviceKeys.publicKey()),
                List.of("encryption", "nip44_v2")));
        tags.addAll(extraTags);
        String content = Nip44.encrypt(json, Nip44.conversationKey(client.secretKey(), serviceKeys.publicKey()));
        return EventSigner.sign(new UnsignedEvent(java.time.Instant.now().getEpochSecond(), Nip47.REQUEST_KIND, tags,
                content), client);
    }

    private NwcResponse awaitResponse(Event request, KeyPair client) {
        await().atMost(WAIT).until(() -> !relay.responsesTo(request.id()).isEmpty());
        return Nip47.openResponse(relay.responsesTo(request.id()).get(0), client);
    }

    private static <T> T get(CompletableFuture<T> future) throws Exception {
        try {
            return future.get(WAIT.toSeconds(), TimeUnit.SECONDS);
        } catch (ExecutionException e) {
            throw e.getCause() instanceof Exception cause ? cause : e;
        }
    }

    private static void assertWalletError(CompletableFuture<?> call, NwcErrorCode code) {
        assertThatThrownBy(() -> get(call)).isInstanceOfSatisfying(NwcException.class, e -> {
            assertThat(e.walletCode()).contains(code);
            assertThat(e.code()).isEqualTo(code.name());
        });
    }
}
