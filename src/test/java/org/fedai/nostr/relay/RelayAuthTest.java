package org.fedai.nostr.relay;

import static org.assertj.core.api.Assertions.assertThat;
import static org.fedai.nostr.relay.TestEvents.signed;

import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import org.fedai.nostr.ClientMessage;
import org.fedai.nostr.Event;
import org.fedai.nostr.Filter;
import org.fedai.nostr.KeyPair;
import org.fedai.nostr.RelayMessage;
import org.fedai.testing.RelayTest;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** NIP-42 over the wire: challenge on connect, auth-required before, restricted for the unlisted, checks on the answer. */
@RelayTest
class RelayAuthTest {

    final MutableClock clock = new MutableClock(1_800_000_000L);
    final KeyPair alice = KeyPair.generate();
    final List<AutoCloseable> open = new ArrayList<>();
    EmbeddedRelay relay;

    RelayTestClient connect(Set<String> allowed) throws Exception {
        relay = new EmbeddedRelay(RelayConfig.defaults().withClock(clock).withAuthRequired(true, allowed),
                new InMemoryEventStore()).start();
        open.add(relay);
        RelayTestClient c = RelayTestClient.connect(relay.url());
        open.add(0, c::closeBlocking);
        return c;
    }

    @AfterEach
    void closeAll() throws Exception {
        for (AutoCloseable c : open) {
            c.close();
        }
    }

    static String challenge(RelayTestClient c) {
        return c.awaitFrom(0, RelayMessage.AuthChallenge.class, a -> true).challenge();
    }

    RelayMessage.Ok auth(RelayTestClient c, Event authEvent) {
        int mark = c.received.size();
        c.sendMessage(new ClientMessage.Auth(authEvent));
        return c.awaitFrom(mark, RelayMessage.Ok.class, ok -> ok.eventId().equals(authEvent.id()));
    }

    Event authEvent(KeyPair keys, String challenge, String relayUrl, long createdAt) {
        return signed(keys, 22242, createdAt, "", "relay", relayUrl, "challenge", challenge);
    }

    @Test
    void unauthenticatedEventAndReqAreRefusedThenAcceptedAfterAuth() throws Exception {
        RelayTestClient c = connect(Set.of());
        String challenge = challenge(c);
        assertThat(challenge).hasSize(32);

        Event note = signed(alice, 1, clock.now(), "hi");
        RelayMessage.Ok refused = c.publish(note);
        assertThat(refused.accepted()).isFalse();
        assertThat(refused.prefix()).isEqualTo("auth-required");
        assertThat(c.refusedQuery("s", Filter.builder().build()).message()).startsWith("auth-required: ");

        RelayMessage.Ok ok = auth(c, authEvent(alice, challenge, relay.url(), clock.now()));
        assertThat(ok.accepted()).isTrue();
        assertThat(c.publish(note).accepted()).isTrue();
        assertThat(c.query("s", Filter.builder().build())).containsExactly(note);
        assertThat(relay.stats().rejected(RejectReason.AUTH_REQUIRED)).isEqualTo(2);
    }

    @Test
    void eachBadAuthAnswerIsInvalid() throws Exception {
        RelayTestClient c = connect(Set.of());
        String challenge = challenge(c);
        String url = relay.url();
        long now = clock.now();

        assertThat(auth(c, authEvent(alice, "other", url, now)).message())
                .isEqualTo("invalid: challenge does not match");
        assertThat(auth(c, authEvent(alice, challenge, "ws://elsewhere.example:1", now)).message())
                .isEqualTo("invalid: relay tag does not name this relay");
        assertThat(auth(c, authEvent(alice, challenge, url, now - 601)).message())
                .isEqualTo("invalid: created_at is more than 10 minutes from now");
        assertThat(auth(c, signed(alice, 1, now, "", "relay", url, "challenge", challenge)).message())
                .isEqualTo("invalid: auth event must be kind 22242");
        Event good = authEvent(alice, challenge, url, now);
        Event forged = new Event(good.id(), good.pubkey(), good.createdAt(), good.kind(), good.tags(), good.content(),
                authEvent(KeyPair.generate(), challenge, url, now).sig());
        assertThat(auth(c, forged).message()).isEqualTo("invalid: signature does not verify");

        assertThat(c.publish(signed(alice, 1, now, "still refused")).prefix()).isEqualTo("auth-required");
        assertThat(relay.stats().rejected(RejectReason.BAD_AUTH)).isEqualTo(5);
        // A trailing slash and upper-case host name the same relay.
        assertThat(auth(c, authEvent(alice, challenge, url.toUpperCase().replace("WS://", "ws://") + "/", now))
                .accepted()).isTrue();
    }

    @Test
    void aConfiguredPublicUrlIsTheOneAuthMustName() throws Exception {
        relay = new EmbeddedRelay(RelayConfig.defaults().withClock(clock).withAuthRequired(true, Set.of())
                .withPublicUrl("wss://relay.example.org"), new InMemoryEventStore()).start();
        open.add(relay);
        RelayTestClient c = RelayTestClient.connect(relay.url());
        open.add(0, c::closeBlocking);
        String challenge = challenge(c);
        assertThat(auth(c, authEvent(alice, challenge, relay.url(), clock.now())).accepted()).isFalse();
        assertThat(auth(c, authEvent(alice, challenge, "wss://relay.example.org", clock.now())).accepted()).isTrue();
    }

    @Test
    void authenticatedButUnlistedPubkeyIsRestricted() throws Exception {
        KeyPair listed = KeyPair.generate();
        RelayTestClient c = connect(Set.of(listed.publicKey()));
        String challenge = challenge(c);
        assertThat(auth(c, authEvent(alice, challenge, relay.url(), clock.now())).accepted()).isTrue();
        RelayMessage.Ok ok = c.publish(signed(alice, 1, clock.now(), "hi"));
        assertThat(ok.accepted()).isFalse();
        assertThat(ok.prefix()).isEqualTo("restricted");
        assertThat(c.refusedQuery("s", Filter.builder().build()).message()).startsWith("restricted: ");
    }

    @Test
    void withoutAuthConfiguredNoChallengeIsSentAndAuthIsRefused() throws Exception {
        EmbeddedRelay plain = new EmbeddedRelay(RelayConfig.defaults().withClock(clock), new InMemoryEventStore())
                .start();
        open.add(plain);
        RelayTestClient c = RelayTestClient.connect(plain.url());
        open.add(0, c::closeBlocking);
        Event note = signed(alice, 1, clock.now(), "open relay");
        assertThat(c.publish(note).accepted()).isTrue();
        assertThat(c.received).noneMatch(m -> m instanceof RelayMessage.AuthChallenge);
        assertThat(auth(c, authEvent(alice, "x", plain.url(), clock.now())).accepted()).isFalse();
    }
}
