package org.fedai.nostr;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.InputStream;
import java.util.Base64;
import org.junit.jupiter.api.Test;

class Nip04Test {

    private static JsonNode vectors() throws Exception {
        try (InputStream in = Nip04Test.class.getResourceAsStream("/nip04.vectors.json")) {
            return Json.MAPPER.readTree(in);
        }
    }

    @Test
    void decryptsGoNostrCiphertexts() throws Exception {
        JsonNode v = vectors();
        KeyPair one = KeyPair.parse(v.get("sec1").asText());
        KeyPair two = KeyPair.parse(v.get("sec2").asText());
        byte[] key = Nip04.sharedKey(two.secretKey(), one.publicKey());
        int checked = 0;
        for (JsonNode row : v.get("decrypt_with_sec2_and_pub1")) {
            String expected = row.has("plaintext") ? row.get("plaintext").asText()
                    : row.get("plaintext_repeat").get("char").asText()
                            .repeat(row.get("plaintext_repeat").get("count").asInt());
            assertThat(Nip04.decrypt(row.get("ciphertext").asText(), key)).isEqualTo(expected);
            checked++;
        }
        assertThat(checked).isEqualTo(2);
    }

    @Test
    void bothSidesDeriveTheSameKeyAndRoundTrip() {
        KeyPair a = KeyPair.generate();
        KeyPair b = KeyPair.generate();
        byte[] ab = Nip04.sharedKey(a.secretKey(), b.publicKey());
        assertThat(Nip04.sharedKey(b.secretKey(), a.publicKey())).isEqualTo(ab);
        String payload = Nip04.encrypt("{\"result_type\":\"get_balance\"} ✓ ünïcode", ab);
        assertThat(Nip04.looksLikeNip04(payload)).isTrue();
        assertThat(Nip04.decrypt(payload, ab)).isEqualTo("{\"result_type\":\"get_balance\"} ✓ ünïcode");
    }

    @Test
    void fixedIvGivesTheSameCiphertextTwice() {
        byte[] key = Nip04.sharedKey(KeyPair.generate().secretKey(), KeyPair.generate().publicKey());
        byte[] iv = new byte[16];
        assertThat(Nip04.encrypt("x", key, iv)).isEqualTo(Nip04.encrypt("x", key, iv)).endsWith("?iv=AAAAAAAAAAAAAAAAAAAAAA==");
    }

    @Test
    void eachMalformedPayloadNamesItsError() {
        byte[] key = Nip04.sharedKey(KeyPair.generate().secretKey(), KeyPair.generate().publicKey());
        String good = Nip04.encrypt("hello", key);
        String ct = good.substring(0, good.indexOf("?iv="));
        assertError(() -> Nip04.decrypt("abc", key), Nip04.Error.MISSING_IV);
        assertError(() -> Nip04.decrypt(null, key), Nip04.Error.MISSING_IV);
        assertError(() -> Nip04.decrypt("!!!?iv=AAAAAAAAAAAAAAAAAAAAAA==", key), Nip04.Error.INVALID_BASE64);
        assertError(() -> Nip04.decrypt(ct + "?iv=AAAA", key), Nip04.Error.INVALID_IV);
        assertError(() -> Nip04.decrypt("?iv=AAAAAAAAAAAAAAAAAAAAAA==", key), Nip04.Error.INVALID_CIPHERTEXT_LENGTH);
        assertError(() -> Nip04.decrypt(Base64.getEncoder().encodeToString(new byte[15]) + "?iv=AAAAAAAAAAAAAAAAAAAAAA==",
                key), Nip04.Error.INVALID_CIPHERTEXT_LENGTH);
        assertError(() -> Nip04.encrypt("x", key, new byte[8]), Nip04.Error.INVALID_IV);
        assertError(() -> Nip04.sharedKey(new byte[32], KeyPair.generate().publicKey()), Nip04.Error.INVALID_SECRET_KEY);
        assertError(() -> Nip04.sharedKey(KeyPair.generate().secretKey(), "zz"), Nip04.Error.INVALID_PUBLIC_KEY);
    }

    @Test
    void wrongKeyIsRefusedOrGarbledNeverTrusted() {
        KeyPair a = KeyPair.generate();
        byte[] right = Nip04.sharedKey(a.secretKey(), KeyPair.generate().publicKey());
        byte[] wrong = Nip04.sharedKey(a.secretKey(), KeyPair.generate().publicKey());
        String payload = Nip04.encrypt("a secret that must not come back", right);
        // CBC without a MAC: a wrong key fails the padding check in ~255 of 256 cases, and otherwise yields garbage
        try {
            assertThat(Nip04.decrypt(payload, wrong)).isNotEqualTo("a secret that must not come back");
        } catch (Nip04.Nip04Exception e) {
            assertThat(e.error()).isIn(Nip04.Error.BAD_PADDING, Nip04.Error.INVALID_UTF8);
        }
    }

    private static void assertError(org.assertj.core.api.ThrowableAssert.ThrowingCallable call, Nip04.Error error) {
        assertThatThrownBy(call).isInstanceOfSatisfying(Nip04.Nip04Exception.class,
                e -> assertThat(e.error()).isEqualTo(error));
    }
}
