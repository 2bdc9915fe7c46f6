package org.fedai.nostr.relay;

import static org.assertj.core.api.Assertions.assertThat;
import static org.fedai.nostr.relay.TestEvents.signed;

import org.fedai.nostr.KeyPair;
import org.junit.jupiter.api.Test;

class AuthChallengeCheckTest {

    static final String URL = "ws://127.0.0.1:7447";
    static final long NOW = 1_800_000_000L;
    final KeyPair keys = KeyPair.generate();

    @Test
    void emptyEventIsRefused() {
        assertThat(AuthChallengeCheck.check(signed(keys, 22242, NOW, ""), "c", URL, NOW))
                .isEqualTo("challenge does not match");
    }

    @Test
    void validAnswerPasses() {
        assertThat(AuthChallengeCheck.check(signed(keys, 22242, NOW, "", "relay", URL, "challenge", "c"), "c", URL,
                NOW + 600)).isNull();
    }

    @Test
    void eachMalformedAnswerNamesItsProblem() {
        assertThat(AuthChallengeCheck.check(signed(keys, 1, NOW, "", "relay", URL, "challenge", "c"), "c", URL, NOW))
                .isEqualTo("auth event must be kind 22242");
        assertThat(AuthChallengeCheck.check(signed(keys, 22242, NOW, "", "challenge", "c"), "c", URL, NOW))
                .isEqualTo("relay tag does not name this relay");
        assertThat(AuthChallengeCheck.check(signed(keys, 22242, NOW + 601, "", "relay", URL, "challenge", "c"), "c",
                URL, NOW)).isEqualTo("created_at is more than 10 minutes from now");
    }

    @Test
    void relayUrlsCompareLoosely() {
        assertThat(AuthChallengeCheck.sameRelay("WS://127.0.0.1:7447/", URL)).isTrue();
        assertThat(AuthChallengeCheck.sameRelay("ws://127.0.0.1:7448", URL)).isFalse();
        assertThat(AuthChallengeCheck.sameRelay("wss://127.0.0.1:7447", URL)).isFalse();
    }
}
