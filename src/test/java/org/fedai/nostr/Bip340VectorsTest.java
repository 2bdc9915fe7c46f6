package org.fedai.nostr;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Locale;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Every row of the BIP-340 vectors (src/test/resources/bip340-vectors.csv, from
 * https://github.com/bitcoin/bips/blob/master/bip-0340/test-vectors.csv) through {@link Secp256k1Keys}.
 */
class Bip340VectorsTest {

    record Row(String index, String secret, String pubkey, String aux, String message, String signature,
            boolean expected, String comment) {
    }

    static Stream<Arguments> rows() throws IOException {
        try (BufferedReader in = new BufferedReader(new InputStreamReader(
                Bip340VectorsTest.class.getResourceAsStream("/bip340-vectors.csv"), StandardCharsets.UTF_8))) {
            List<String> lines = in.lines().skip(1).filter(l -> !l.isBlank()).toList();
            assertThat(lines).hasSize(19);
            return lines.stream().map(line -> {
                String[] f = line.split(",", -1);
                Row row = new Row(f[0], lower(f[1]), lower(f[2]), lower(f[3]), lower(f[4]), lower(f[5]),
                        f[6].equals("TRUE"), f[7]);
                return Arguments.of(row.index() + " " + row.comment(), row);
            }).toList().stream();
        }
    }

    private static String lower(String hex) {
        return hex.toLowerCase(Locale.ROOT);
    }

    @ParameterizedTest(name = "vector {0}")
    @MethodSource("rows")
    void vector(String name, Row row) {
        byte[] message = Hex.decode(row.message());
        byte[] pubkey = Hex.decode(row.pubkey());
        byte[] signature = Hex.decode(row.signature());
        if (message.length != 32) {
            // Nostr only ever signs 32-byte event ids; the 2022 variable-length rows must be refused, not mis-signed.
            assertThat(Secp256k1Keys.verifySchnorr(signature, message, pubkey)).isFalse();
            if (!row.secret().isEmpty()) {
                assertThatThrownBy(() -> Secp256k1Keys.signSchnorr(message, Hex.decode(row.secret()),
                        Hex.decode(row.aux()))).isInstanceOf(IllegalArgumentException.class);
            }
            return;
        }
        if (!row.secret().isEmpty()) {
            byte[] secret = Hex.decode(row.secret());
            assertThat(Hex.encode(Secp256k1Keys.xOnlyPublicKey(secret))).isEqualTo(row.pubkey());
            byte[] produced = Secp256k1Keys.signSchnorr(message, secret, Hex.decode(row.aux()));
            assertThat(Hex.encode(produced)).isEqualTo(row.signature());
        }
        assertThat(Secp256k1Keys.verifySchnorr(signature, message, pubkey)).isEqualTo(row.expected());
    }
}
