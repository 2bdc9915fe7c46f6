package org.fedai.nostr;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Runs the official NIP-44 v2 vectors (src/test/resources/nip44.vectors.json, from
 * https://github.com/paulmillr/nip44/blob/main/nip44.vectors.json) through {@link Nip44}.
 */
class Nip44Test {

    private static JsonNode v2;

    @BeforeAll
    static void loadVectors() throws IOException {
        try (InputStream in = Nip44Test.class.getResourceAsStream("/nip44.vectors.json")) {
            v2 = Json.MAPPER.readTree(in).get("v2");
        }
    }

    private static Stream<JsonNode> rows(String section, String name) {
        List<JsonNode> rows = new ArrayList<>();
        vectors().get(section).get(name).forEach(rows::add);
        return rows.stream();
    }

    private static JsonNode vectors() {
        if (v2 == null) {
            try {
                loadVectors();
            } catch (IOException e) {
                throw new IllegalStateException(e);
            }
        }
        return v2;
    }

    static Stream<Arguments> validConversationKeys() {
        return rows("valid", "get_conversation_key").map(Arguments::of);
    }

    @ParameterizedTest
    @MethodSource("validConversationKeys")
    void conversationKeyMatchesVector(JsonNode row) {
        byte[] key = Nip44.conversationKey(Hex.decode(row.get("sec1").asText()), row.get("pub2").asText());
        assertThat(Hex.encode(key)).isEqualTo(row.get("conversation_key").asText());
    }

    @Test
    void messageKeysMatchVectors() {
        JsonNode section = vectors().get("valid").get("get_message_keys");
        byte[] conversationKey = Hex.decode(section.get("conversation_key").asText());
        assertThat(section.get("keys").size()).isGreaterThan(0);
        for (JsonNode row : section.get("keys")) {
            Nip44.MessageKeys keys = Nip44.messageKeys(conversationKey, Hex.decode(row.get("nonce").asText()));
            assertThat(Hex.encode(keys.chachaKey())).isEqualTo(row.get("chacha_key").asText());
            assertThat(Hex.encode(keys.chachaNonce())).isEqualTo(row.get("chacha_nonce").asText());
            assertThat(Hex.encode(keys.hmacKey())).isEqualTo(row.get("hmac_key").asText());
        }
    }

    @Test
    void paddedLengthsMatchVectors() {
        JsonNode rows = vectors().get("valid").get("calc_padded_len");
        assertThat(rows.size()).isGreaterThan(0);
        for (JsonNode row : rows) {
            assertThat(Nip44.calcPaddedLength(row.get(0).asInt())).as("calc_padded_len(%s)", row.get(0))
                    .isEqualTo(row.get(1).asInt());
        }
    }

    static Stream<Arguments> encryptDecrypt() {
        return rows("valid", "encrypt_decrypt").map(Arguments::of);
    }

    @ParameterizedTest
    @MethodSource("encryptDecrypt")
    void encryptsToVectorPayloadAndDecryptsBack(JsonNode row) {
        byte[] sec1 = Hex.decode(row.get("sec1").asText());
        byte[] sec2 = Hex.decode(row.get("sec2").asText());
        String pub1 = Hex.encode(Secp256k1Keys.xOnlyPublicKey(sec1));
        String pub2 = Hex.encode(Secp256k1Keys.xOnlyPublicKey(sec2));
        byte[] key = Nip44.conversationKey(sec1, pub2);
        assertThat(Hex.encode(key)).isEqualTo(row.get("conversation_key").asText());
        assertThat(Nip44.conversationKey(sec2, pub1)).isEqualTo(key);

        String plaintext = row.get("plaintext").asText();
        String payload = Nip44.encrypt(plaintext, key, Hex.decode(row.get("nonce").asText()));
        assertThat(payload).isEqualTo(row.get("payload").asText());
        assertThat(Nip44.decrypt(payload, key)).isEqualTo(plaintext);
    }

    static Stream<Arguments> longMessages() {
        return rows("valid", "encrypt_decrypt_long_msg").map(Arguments::of);
    }

    @ParameterizedTest
    @MethodSource("longMessages")
    void longMessagesMatchTheirChecksums(JsonNode row) {
        byte[] key = Hex.decode(row.get("conversation_key").asText());
        String plaintext = row.get("pattern").asText().repeat(row.get("repeat").asInt());
        assertThat(Hex.encode(Sha256.hash(plaintext.getBytes(StandardCharsets.UTF_8))))
                .isEqualTo(row.get("plaintext_sha256").asText());

        String payload = Nip44.encrypt(plaintext, key, Hex.decode(row.get("nonce").asText()));
        assertThat(Hex.encode(Sha256.hash(payload.getBytes(StandardCharsets.UTF_8))))
                .isEqualTo(row.get("payload_sha256").asText());
        assertThat(Nip44.decrypt(payload, key)).isEqualTo(plaintext);
    }

    @Test
    void refusesPlaintextsOfInvalidLength() {
        byte[] key = new byte[32];
        key[31] = 1;
        for (JsonNode length : vectors().get("invalid").get("encrypt_msg_lengths")) {
            String plaintext = "a".repeat(length.asInt());
            Nip44Exception.Reason expected = length.asInt() == 0 ? Nip44Exception.Reason.MESSAGE_EMPTY
                    : Nip44Exception.Reason.MESSAGE_TOO_LONG;
            assertThatThrownBy(() -> Nip44.encrypt(plaintext, key))
                    .isInstanceOfSatisfying(Nip44Exception.class, e -> assertThat(e.reason()).isEqualTo(expected));
        }
    }

    static Stream<Arguments> invalidConversationKeys() {
        return rows("invalid", "get_conversation_key").map(row -> Arguments.of(row.get("note").asText(), row));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("invalidConversationKeys")
    void refusesInvalidKeys(String note, JsonNode row) {
        assertThatThrownBy(() -> Nip44.conversationKey(Hex.decode(row.get("sec1").asText()), row.get("pub2").asText()))
                .isInstanceOfSatisfying(Nip44Exception.class, e -> assertThat(e.reason()).isIn(
                        Nip44Exception.Reason.INVALID_SECRET_KEY, Nip44Exception.Reason.INVALID_PUBLIC_KEY));
    }

    static Stream<Arguments> invalidPayloads() {
        return rows("invalid", "decrypt").map(row -> Arguments.of(row.get("note").asText(), row));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("invalidPayloads")
    void refusesInvalidPayloadsWithTheRightReason(String note, JsonNode row) {
        byte[] key = Hex.decode(row.get("conversation_key").asText());
        Nip44Exception.Reason expected = expectedReason(note);
        assertThatThrownBy(() -> Nip44.decrypt(row.get("payload").asText(), key))
                .isInstanceOfSatisfying(Nip44Exception.class, e -> assertThat(e.reason()).isEqualTo(expected));
    }

    private static Nip44Exception.Reason expectedReason(String note) {
        if (note.startsWith("unknown encryption version")) {
            return Nip44Exception.Reason.UNKNOWN_VERSION;
        }
        if (note.equals("invalid base64")) {
            return Nip44Exception.Reason.INVALID_BASE64;
        }
        if (note.equals("invalid MAC")) {
            return Nip44Exception.Reason.INVALID_MAC;
        }
        if (note.equals("invalid padding")) {
            return Nip44Exception.Reason.INVALID_PADDING;
        }
        if (note.equals("invalid payload length: 0")) {
            return Nip44Exception.Reason.UNKNOWN_VERSION;
        }
        if (note.startsWith("invalid payload length")) {
            return Nip44Exception.Reason.INVALID_PAYLOAD_SIZE;
        }
        throw new IllegalArgumentException("vector note not mapped: " + note);
    }

    @Test
    void flippingAnyCiphertextByteBreaksTheMac() {
        byte[] key = Nip44.conversationKey(KeyPair.generate().secretKey(), KeyPair.generate().publicKey());
        String payload = Nip44.encrypt("attack at dawn", key);
        byte[] raw = java.util.Base64.getDecoder().decode(payload);
        for (int i = 1; i < raw.length; i++) {
            byte[] tampered = raw.clone();
            tampered[i] ^= 0x01;
            String forged = java.util.Base64.getEncoder().encodeToString(tampered);
            assertThatThrownBy(() -> Nip44.decrypt(forged, key))
                    .isInstanceOfSatisfying(Nip44Exception.class,
                            e -> assertThat(e.reason()).isEqualTo(Nip44Exception.Reason.INVALID_MAC));
        }
    }

    @Test
    void decryptingWithAnotherConversationKeyFailsOnTheMac() {
        byte[] key = Nip44.conversationKey(KeyPair.generate().secretKey(), KeyPair.generate().publicKey());
        byte[] other = Nip44.conversationKey(KeyPair.generate().secretKey(), KeyPair.generate().publicKey());
        String payload = Nip44.encrypt("hello", key);
        assertThatThrownBy(() -> Nip44.decrypt(payload, other))
                .isInstanceOfSatisfying(Nip44Exception.class,
                        e -> assertThat(e.reason()).isEqualTo(Nip44Exception.Reason.INVALID_MAC));
    }

    @Test
    void randomNoncesMakeEveryPayloadDifferent() {
        byte[] key = Nip44.conversationKey(KeyPair.generate().secretKey(), KeyPair.generate().publicKey());
        assertThat(Nip44.encrypt("same", key)).isNotEqualTo(Nip44.encrypt("same", key));
    }

    @Test
    void refusesMalformedKeyInputs() {
        byte[] secret = KeyPair.generate().secretKey();
        assertThatThrownBy(() -> Nip44.conversationKey(secret, "ABC"))
                .isInstanceOfSatisfying(Nip44Exception.class,
                        e -> assertThat(e.reason()).isEqualTo(Nip44Exception.Reason.INVALID_PUBLIC_KEY));
        assertThatThrownBy(() -> Nip44.decrypt("x".repeat(200), new byte[31]))
                .isInstanceOfSatisfying(Nip44Exception.class,
                        e -> assertThat(e.reason()).isEqualTo(Nip44Exception.Reason.INVALID_CONVERSATION_KEY));
        assertThatThrownBy(() -> Nip44.encrypt("a", new byte[32], new byte[12]))
                .isInstanceOfSatisfying(Nip44Exception.class,
                        e -> assertThat(e.reason()).isEqualTo(Nip44Exception.Reason.INVALID_NONCE));
    }
}
