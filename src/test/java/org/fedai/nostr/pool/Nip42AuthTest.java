package org.fedai.nostr.pool;

import static org.assertj.core.api.Assertions.assertThat;

import org.fedai.nostr.Event;
import org.fedai.nostr.EventVerifier;
import org.fedai.nostr.KeyPair;
import org.junit.jupiter.api.Test;

class Nip42AuthTest {

    @Test
    void authEventIsASignedKind22242NamingRelayAndChallenge() {
        KeyPair keys = KeyPair.generate();
        Event auth = Nip42Auth.authEvent("wss://relay.example.com", "chal-123", keys);

        assertThat(auth.kind()).isEqualTo(22242);
        assertThat(auth.pubkey()).isEqualTo(keys.publicKey());
        assertThat(auth.firstTagValue("relay")).contains("wss://relay.example.com");
        assertThat(auth.firstTagValue("challenge")).contains("chal-123");
        assertThat(auth.content()).isEmpty();
        assertThat(EventVerifier.isValid(auth)).isTrue();
    }

    @Test
    void authRequiredIsRecognisedOnlyAsAPrefix() {
        assertThat(Nip42Auth.isAuthRequired("auth-required: please")).isTrue();
        assertThat(Nip42Auth.isAuthRequired("auth-required:")).isTrue();
        assertThat(Nip42Auth.isAuthRequired("restricted: auth-required: no")).isFalse();
        assertThat(Nip42Auth.isAuthRequired("auth-required")).isFalse();
        assertThat(Nip42Auth.isAuthRequired("")).isFalse();
        assertThat(Nip42Auth.isAuthRequired(null)).isFalse();
    }
}
