package org.fedai.protocol;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.fedai.nostr.KeyPair;
import org.fedai.nostr.Nip44;
import org.fedai.nostr.Nip44Exception;
import org.junit.jupiter.api.Test;

/** The conversation-key cache gives exactly NIP-44's key, for either side, and never caches a bad peer. */
class SealedContentTest {

    @Test
    void cachedKeyIsTheNip44KeyInBothDirections() {
        KeyPair a = KeyPair.generate();
        KeyPair b = KeyPair.generate();
        byte[] expected = Nip44.conversationKey(a.secretKey(), b.publicKey());
        assertThat(SealedContent.conversationKey(a, b.publicKey())).isEqualTo(expected);
        assertThat(SealedContent.conversationKey(a, b.publicKey())).isEqualTo(expected);
        assertThat(SealedContent.conversationKey(b, a.publicKey())).isEqualTo(expected);
        assertThat(SealedContent.conversationKey(KeyPair.generate(), b.publicKey())).isNotEqualTo(expected);
    }

    @Test
    void anInvalidPeerKeyFailsEveryTime() {
        KeyPair a = KeyPair.generate();
        for (int i = 0; i < 2; i++) {
            assertThatThrownBy(() -> SealedContent.conversationKey(a, "zz")).isInstanceOf(Nip44Exception.class);
        }
    }
}
