package org.fedai.payment.nwc;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.fedai.nostr.Event;
import org.fedai.nostr.EventSigner;
import org.fedai.nostr.KeyPair;
import org.fedai.nostr.Nip04;
import org.fedai.nostr.Nip44;
import org.fedai.nostr.UnsignedEvent;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The service's refusals, each answered or dropped as NIP-47 says, and counted. */
class NwcWalletServiceTest {

    private static final Duration WAIT = Duration.ofSeconds(10);
    private static final String BALANCE = "{\"method\":\"get_balance\",\"params\":{}}";

    private final InMemoryNwcTransport relay = new InMemoryNwcTransport();
    private final InMemoryWalletBackend ledger = new InMemoryWalletBackend();
    private final KeyPair serviceKeys = KeyPair.generate();
    private final KeyPair client = KeyPair.generate();
    private NwcWalletService service;

    @BeforeEach
    void start() {
        service = new NwcWalletService(relay, serviceKeys, List.of(client.publicKey()), ledger, Clock.systemUTC(),
                NwcWalletService.Config.defaults()).start();
    }

    @AfterEach
    void stop() {
        service.close();
        relay.close();
    }

    @Test
    void aNip04RequestIsReadButAnsweredUnsupportedEncryption() {
        String content = Nip04.encrypt(BALANCE, Nip04.sharedKey(client.secretKey(), serviceKeys.publicKey()));
        Event legacy = sign(List.of(List.of("p", serviceKeys.publicKey())), content, now());
        relay.deliver(legacy);
        NwcResponse response = awaitResponse(legacy);
        assertThat(response.resultType()).isEqualTo("get_balance");
        assertThat(response.error().code()).isEqualTo(NwcErrorCode.UNSUPPORTED_ENCRYPTION);
        assertThat(service.count(NwcWalletService.Counter.UNSUPPORTED_ENCRYPTION)).isEqualTo(1);
    }

    @Test
    void anUnknownSchemeIsAnsweredUnsupportedEncryption() {
        Event odd = sign(List.of(List.of("p", serviceKeys.publicKey()), List.of("encryption", "nip99")), "xyz", now());
        relay.deliver(odd);
        assertThat(awaitResponse(odd).error().code()).isEqualTo(NwcErrorCode.UNSUPPORTED_ENCRYPTION);
    }

    @Test
    void anUndecryptableRequestIsOtherWithItsReason() {
        Event garbage = sign(tags(), "AAAA", now());
        relay.deliver(garbage);
        NwcResponse response = awaitResponse(garbage);
        assertThat(response.error().code()).isEqualTo(NwcErrorCode.OTHER);
        assertThat(response.error().message()).contains("undecryptable");
        assertThat(service.count(NwcWalletService.Counter.MALFORMED)).isEqualTo(1);
    }

    @Test
    void badSignaturesAndFutureTimestampsAreDroppedUnanswered() {
        Event good = request(BALANCE, now());
        Event forged = new Event(good.id(), good.pubkey(), good.createdAt(), good.kind(), good.tags(), good.content(),
                "0".repeat(128));
        Event future = request(BALANCE, now() + 3600);
        relay.deliver(forged);
        relay.deliver(future);
        await().atMost(WAIT).until(() -> service.count(NwcWalletService.Counter.BAD_SIGNATURE) == 1
                && service.count(NwcWalletService.Counter.STALE) == 1);
        relay.deliver(good);
        awaitResponse(good);
        assertThat(relay.responsesTo(future.id())).isEmpty();
        assertThat(relay.published(Nip47.RESPONSE_KIND)).hasSize(1);
    }

    @Test
    void aBackendCrashIsAnsweredInternalWithoutItsDetails() {
        NwcWalletService crashing = new NwcWalletService(relay, serviceKeys, List.of(client.publicKey()),
                new InMemoryWalletBackend() {
                    @Override
                    public long balanceMsat(String account) {
                        throw new IllegalStateException("database password is hunter2");
                    }
                }, Clock.systemUTC(), NwcWalletService.Config.defaults());
        service.close();
        crashing.start();
        Event request = request(BALANCE, now());
        relay.deliver(request);
        NwcResponse response = awaitResponse(request);
        assertThat(response.error().code()).isEqualTo(NwcErrorCode.INTERNAL);
        assertThat(response.error().message()).doesNotContain("hunter2");
        assertThat(crashing.count(NwcWalletService.Counter.INTERNAL_ERROR)).isEqualTo(1);
        crashing.close();
    }

    @Test
    void settlementsOfRevokedAccountsAreNotNotified() {
        List<Event> seen = new CopyOnWriteArrayList<>();
        relay.subscribe(org.fedai.nostr.Filter.builder().kinds(Nip47.NOTIFICATION_KIND).build(), seen::add);
        String hash = "c".repeat(64);
        ledger.makeHoldInvoice(client.publicKey(), new NwcRequest.MakeHoldInvoice(1_000, hash, null, null, null, null));
        ledger.acceptHold(hash);
        await().atMost(WAIT).until(() -> seen.size() == 1);
        NwcNotification n = Nip47.openNotification(seen.get(0), client);
        assertThat(n.type()).isEqualTo(NwcNotificationType.HOLD_INVOICE_ACCEPTED);
        service.revoke(client.publicKey());
        ledger.cancelHoldInvoice(client.publicKey(), hash);
        String other = "d".repeat(64);
        ledger.makeHoldInvoice(client.publicKey(), new NwcRequest.MakeHoldInvoice(1_000, other, null, null, null, null));
        ledger.acceptHold(other);
        assertThat(service.count(NwcWalletService.Counter.NOTIFICATIONS_SENT)).isEqualTo(1);
    }

    @Test
    void aCopyIsReSentItsAnswerWithinMinutesThenRefusedUnansweredAndItsMemoryLapses() throws Exception {
        // invariant: the heap stays flat (issue: 135 MB after 20,000 jobs), and no request is carried out twice
        java.util.concurrent.atomic.AtomicLong millis = new java.util.concurrent.atomic.AtomicLong(
                System.currentTimeMillis());
        Clock clock = new Clock() {
            @Override
            public java.time.ZoneId getZone() {
                return java.time.ZoneOffset.UTC;
            }

            @Override
            public Clock withZone(java.time.ZoneId zone) {
                return this;
            }

            @Override
            public Instant instant() {
                return Instant.ofEpochMilli(millis.get());
            }
        };
        service.close();
        service = new NwcWalletService(relay, serviceKeys, List.of(client.publicKey()), ledger, clock,
                NwcWalletService.Config.defaults()).start();
        Event ask = request(BALANCE, millis.get() / 1000);
        relay.deliver(ask);
        awaitResponse(ask);

        relay.deliver(ask); // another relay's copy, seconds later: the same answer again, nothing done twice
        await().atMost(WAIT).until(() -> relay.responsesTo(ask.id()).size() == 2);
        assertThat(relay.responsesTo(ask.id()).get(1)).isEqualTo(relay.responsesTo(ask.id()).get(0));

        millis.addAndGet(Duration.ofMinutes(3).toMillis()); // past the resend window: refused, not answered
        relay.deliver(ask);
        await().atMost(WAIT).until(() -> service.count(NwcWalletService.Counter.REPLAYED) == 2);
        assertThat(service.keptResponses()).isZero();
        assertThat(service.rememberedIds()).isEqualTo(1);

        millis.addAndGet(Duration.ofMinutes(30).toMillis()); // past the replay window: stale, and forgotten
        relay.deliver(ask);
        await().atMost(WAIT).until(() -> service.count(NwcWalletService.Counter.STALE) == 1);
        assertThat(service.rememberedIds()).isZero();
        assertThat(relay.responsesTo(ask.id())).hasSize(2);
    }

    private Event request(String json, long createdAt) {
        return sign(tags(), Nip44.encrypt(json, Nip44.conversationKey(client.secretKey(), serviceKeys.publicKey())),
                createdAt);
    }

    private List<List<String>> tags() {
        return new ArrayList<>(List.of(List.of("p", serviceKeys.publicKey()), List.of("encryption", "nip44_v2")));
    }

    private Event sign(List<List<String>> tags, String content, long createdAt) {
        return EventSigner.sign(new UnsignedEvent(createdAt, Nip47.REQUEST_KIND, tags, content), client);
    }

    private NwcResponse awaitResponse(Event request) {
        await().atMost(WAIT).until(() -> !relay.responsesTo(request.id()).isEmpty());
        return Nip47.openResponse(relay.responsesTo(request.id()).get(0), client);
    }

    private static long now() {
        return Instant.now().getEpochSecond();
    }
}
