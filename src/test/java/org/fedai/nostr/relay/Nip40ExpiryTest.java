package org.fedai.nostr.relay;

import static org.assertj.core.api.Assertions.assertThat;
import static org.fedai.nostr.relay.TestEvents.signed;

import org.fedai.nostr.KeyPair;
import org.junit.jupiter.api.Test;

class Nip40ExpiryTest {

    final KeyPair keys = KeyPair.generate();

    @Test
    void noTagNeverExpires() {
        assertThat(Nip40Expiry.expiration(signed(keys, 1, 10, ""))).isEmpty();
        assertThat(Nip40Expiry.isExpired(signed(keys, 1, 10, ""), Long.MAX_VALUE)).isFalse();
    }

    @Test
    void unknownTagsAreIgnored() {
        assertThat(Nip40Expiry.expiration(signed(keys, 1, 10, "", "exp", "5"))).isEmpty();
    }

    @Test
    void validTagExpiresFromItsSecondOn() {
        var event = signed(keys, 1, 10, "", "expiration", "100");
        assertThat(Nip40Expiry.expiration(event)).hasValue(100);
        assertThat(Nip40Expiry.isExpired(event, 99)).isFalse();
        assertThat(Nip40Expiry.isExpired(event, 100)).isTrue();
    }

    @Test
    void malformedValuesDoNotExpire() {
        assertThat(Nip40Expiry.expiration(signed(keys, 1, 10, "", "expiration", "soon"))).isEmpty();
        assertThat(Nip40Expiry.expiration(signed(keys, 1, 10, "", "expiration", "-5"))).isEmpty();
        assertThat(Nip40Expiry.expiration(signed(keys, 1, 10, "", "expiration", "1e9"))).isEmpty();
    }
}
