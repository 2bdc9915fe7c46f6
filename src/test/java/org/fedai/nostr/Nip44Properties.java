package org.fedai.nostr;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.List;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.Tuple;

class Nip44Properties {

    private static final byte[] KEY = Nip44.conversationKey(KeyPair.generate().secretKey(),
            KeyPair.generate().publicKey());

    /** Unicode text of 1..65535 UTF-8 bytes: short, mid and near-maximum sizes, any scalar value. */
    @Provide
    Arbitrary<String> plaintexts() {
        Arbitrary<Integer> scalar = Arbitraries.frequencyOf(
                Tuple.of(4, Arbitraries.integers().between(0, 0x7F)),
                Tuple.of(3, Arbitraries.integers().between(0x80, 0xD7FF)),
                Tuple.of(1, Arbitraries.integers().between(0xE000, 0xFFFF)),
                Tuple.of(2, Arbitraries.integers().between(0x10000, 0x10FFFF)));
        Arbitrary<String> shortText = scalar.list().ofMinSize(1).ofMaxSize(300).map(Nip44Properties::fromCodePoints);
        Arbitrary<String> longText = scalar.list().ofMinSize(10_000).ofMaxSize(16_383)
                .map(Nip44Properties::fromCodePoints);
        return Arbitraries.frequencyOf(Tuple.of(9, shortText), Tuple.of(1, longText))
                .filter(s -> s.getBytes(StandardCharsets.UTF_8).length <= Nip44.MAX_PLAINTEXT_SIZE);
    }

    private static String fromCodePoints(List<Integer> codePoints) {
        StringBuilder sb = new StringBuilder();
        codePoints.forEach(sb::appendCodePoint);
        return sb.toString();
    }

    @Property(tries = 200)
    void decryptInvertsEncrypt(@ForAll("plaintexts") String plaintext) {
        String payload = Nip44.encrypt(plaintext, KEY);
        assertThat(Nip44.decrypt(payload, KEY)).isEqualTo(plaintext);

        int unpadded = plaintext.getBytes(StandardCharsets.UTF_8).length;
        int expectedBytes = 1 + 32 + 2 + Nip44.calcPaddedLength(unpadded) + 32;
        assertThat(Base64.getDecoder().decode(payload)).hasSize(expectedBytes);
    }

    @Property(tries = 50)
    void bothSidesDeriveTheSameConversationKey(@ForAll("keyPairs") KeyPair alice, @ForAll("keyPairs") KeyPair bob) {
        assertThat(Nip44.conversationKey(alice.secretKey(), bob.publicKey()))
                .isEqualTo(Nip44.conversationKey(bob.secretKey(), alice.publicKey()));
    }

    @Provide
    Arbitrary<KeyPair> keyPairs() {
        return Arbitraries.bytes().array(byte[].class).ofSize(32)
                .filter(Secp256k1Keys::isValidSecretKey)
                .map(KeyPair::fromSecretKey);
    }
}
