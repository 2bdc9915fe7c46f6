package org.fedai.nostr;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.junit.jupiter.api.Test;

class Nip42Test {

    private static final KeyPair KEYS = KeyPair.generate();
    private static final String RELAY = "wss://relay.example.com/";
    private static final long NOW = 1_700_000_000L;

    @Test
    void clientEventCarriesKindRelayAndChallenge() {
        Event auth = Nip42.sign(RELAY, "challengestringhere", NOW, KEYS);
        assertThat(auth.kind()).isEqualTo(22242);
        assertThat(auth.firstTagValue("relay")).contains(RELAY);
        assertThat(auth.firstTagValue("challenge")).contains("challengestringhere");
        assertThat(auth.content()).isEmpty();
        assertThat(EventVerifier.check(auth)).isEqualTo(EventCheck.VALID);
    }

    @Test
    void relayAcceptsAFreshMatchingEvent() {
        Event auth = Nip42.sign(RELAY, "abc", NOW, KEYS);
        assertThat(Nip42.validate(auth, "abc", RELAY, NOW)).isEqualTo(Nip42.Check.VALID);
        assertThat(Nip42.validate(auth, "abc", "WSS://Relay.Example.com:443", NOW + 599)).isEqualTo(Nip42.Check.VALID);
        assertThat(Nip42.validate(auth, "abc", RELAY, NOW - 600)).isEqualTo(Nip42.Check.VALID);
    }

    @Test
    void eachFailureHasItsReason() {
        Event auth = Nip42.sign(RELAY, "abc", NOW, KEYS);
        assertThat(Nip42.validate(auth, "abd", RELAY, NOW)).isEqualTo(Nip42.Check.CHALLENGE_MISMATCH);
        assertThat(Nip42.validate(auth, "abc", "wss://other.example.com", NOW)).isEqualTo(Nip42.Check.RELAY_MISMATCH);
        assertThat(Nip42.validate(auth, "abc", "wss://relay.example.com/sub", NOW))
                .isEqualTo(Nip42.Check.RELAY_MISMATCH);
        assertThat(Nip42.validate(auth, "abc", RELAY, NOW + 601)).isEqualTo(Nip42.Check.STALE);
        assertThat(Nip42.validate(auth, "abc", RELAY, NOW - 601)).isEqualTo(Nip42.Check.STALE);

        Event wrongKind = EventSigner.sign(new UnsignedEvent(NOW, 1, auth.tags(), ""), KEYS);
        assertThat(Nip42.validate(wrongKind, "abc", RELAY, NOW)).isEqualTo(Nip42.Check.WRONG_KIND);

        Event noChallenge = EventSigner.sign(new UnsignedEvent(NOW, 22242, List.of(List.of("relay", RELAY)), ""),
                KEYS);
        assertThat(Nip42.validate(noChallenge, "abc", RELAY, NOW)).isEqualTo(Nip42.Check.MISSING_CHALLENGE);

        Event noRelay = EventSigner.sign(new UnsignedEvent(NOW, 22242, List.of(List.of("challenge", "abc")), ""),
                KEYS);
        assertThat(Nip42.validate(noRelay, "abc", RELAY, NOW)).isEqualTo(Nip42.Check.MISSING_RELAY);

        Event forged = new Event(auth.id(), KeyPair.generate().publicKey(), auth.createdAt(), auth.kind(), auth.tags(),
                auth.content(), auth.sig());
        assertThat(Nip42.validate(forged, "abc", RELAY, NOW)).isEqualTo(Nip42.Check.BAD_ID_OR_SIGNATURE);
        assertThat(Nip42.Check.BAD_ID_OR_SIGNATURE.reason()).startsWith("invalid:");
    }
}
