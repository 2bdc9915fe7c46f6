package org.fedai.payment.nwc;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import org.fedai.nostr.KeyPair;
import org.junit.jupiter.api.Test;

class NwcUriTest {

    // the example connection string from NIP-47
    private static final String SPEC_EXAMPLE = "nostr+walletconnect://b889ff5b1513b641e2a139f661a661364979c5beee91842f8f0ef42ab558e9d4"
            + "?relay=wss%3A%2F%2Frelay.damus.io&secret=71a8c14c1407c113601079c4302dab36460f0ccd0ad506f1f2dc73b5100e4f3c";
    private static final String PK = "b889ff5b1513b641e2a139f661a661364979c5beee91842f8f0ef42ab558e9d4";
    private static final String SECRET = "71a8c14c1407c113601079c4302dab36460f0ccd0ad506f1f2dc73b5100e4f3c";

    @Test
    void emptyAndForeignInputAreRefused() {
        assertError(null, NwcUri.Error.NOT_NWC_SCHEME);
        assertError("", NwcUri.Error.NOT_NWC_SCHEME);
        assertError("nostr:npub1xyz", NwcUri.Error.NOT_NWC_SCHEME);
        assertError("https://" + PK + "?relay=wss://r.example&secret=" + SECRET, NwcUri.Error.NOT_NWC_SCHEME);
    }

    @Test
    void specExampleParsesAndPercentDecodesTheRelay() {
        NwcUri uri = NwcUri.parse(SPEC_EXAMPLE);
        assertThat(uri.walletPubkey()).isEqualTo(PK);
        assertThat(uri.relays()).containsExactly("wss://relay.damus.io");
        assertThat(uri.secret()).isEqualTo(SECRET);
        assertThat(uri.lud16()).isNull();
        assertThat(uri.clientKeys().publicKey()).isEqualTo(KeyPair.parse(SECRET).publicKey());
        assertThat(uri.format()).isEqualTo(SPEC_EXAMPLE);
    }

    @Test
    void severalRelaysLud16AndTheLegacyFormRoundTrip() {
        String text = "nostr+walletconnect:" + PK.toUpperCase() + "?relay=wss%3A%2F%2Fa.example%2Fpath%3Fx%3D1"
                + "&relay=ws://127.0.0.1:7777&secret=" + SECRET.toUpperCase() + "&lud16=alice%40getalby.com&budget=ignored";
        NwcUri uri = NwcUri.parse(text);
        assertThat(uri.walletPubkey()).isEqualTo(PK);
        assertThat(uri.relays()).containsExactly("wss://a.example/path?x=1", "ws://127.0.0.1:7777");
        assertThat(uri.secret()).isEqualTo(SECRET);
        assertThat(uri.lud16()).isEqualTo("alice@getalby.com");
        assertThat(NwcUri.parse(uri.format())).isEqualTo(uri);
    }

    @Test
    void eachMalformedPartNamesItsError() {
        String base = "nostr+walletconnect://";
        assertError(base + "abc?relay=wss://r.example&secret=" + SECRET, NwcUri.Error.BAD_PUBKEY);
        assertError(base + "?relay=wss://r.example&secret=" + SECRET, NwcUri.Error.BAD_PUBKEY);
        assertError(base + PK.replace('b', 'g') + "?relay=wss://r.example&secret=" + SECRET, NwcUri.Error.BAD_PUBKEY);
        assertError(base + PK + "?secret=" + SECRET, NwcUri.Error.NO_RELAY);
        assertError(base + PK, NwcUri.Error.NO_RELAY);
        assertError(base + PK + "?relay=https%3A%2F%2Fr.example&secret=" + SECRET, NwcUri.Error.BAD_RELAY);
        assertError(base + PK + "?relay=&secret=" + SECRET, NwcUri.Error.BAD_RELAY);
        assertError(base + PK + "?relay=wss%3A%2F%2F&secret=" + SECRET, NwcUri.Error.BAD_RELAY);
        assertError(base + PK + "?relay=wss%3Z%2F%2Fr.example&secret=" + SECRET, NwcUri.Error.BAD_PERCENT_ENCODING);
        assertError(base + PK + "?relay=wss://r.example&secret=abc%", NwcUri.Error.BAD_PERCENT_ENCODING);
        assertError(base + PK + "?relay=wss://r.example", NwcUri.Error.MISSING_SECRET);
        assertError(base + PK + "?relay=wss://r.example&secret=" + SECRET + "&secret=" + SECRET,
                NwcUri.Error.DUPLICATE_SECRET);
        assertError(base + PK + "?relay=wss://r.example&secret=1234", NwcUri.Error.BAD_SECRET);
        assertError(base + PK + "?relay=wss://r.example&secret=" + "0".repeat(64), NwcUri.Error.BAD_SECRET);
        assertError(base + PK + "?relay=wss://r.example&secret=" + "f".repeat(64), NwcUri.Error.BAD_SECRET);
        assertError(base + PK + "?relay=wss://r.example&secret=" + SECRET + "&lud16=", NwcUri.Error.EMPTY_LUD16);
    }

    @Test
    void theSecretNeverAppearsInToStringOrErrors() {
        NwcUri uri = NwcUri.parse(SPEC_EXAMPLE);
        assertThat(uri.toString()).doesNotContain(SECRET).contains("redacted");
        assertThatThrownBy(() -> NwcUri.parse(SPEC_EXAMPLE.replace("relay=wss", "relay=http")))
                .hasMessageNotContaining(SECRET);
    }

    @Test
    void issuedConnectionsHaveFreshSecrets() {
        NwcUri a = NwcUri.issue(PK, List.of("wss://r.example"), null);
        NwcUri b = NwcUri.issue(PK, List.of("wss://r.example"), null);
        assertThat(a.secret()).isNotEqualTo(b.secret());
        assertThat(NwcUri.parse(a.format())).isEqualTo(a);
    }

    private static void assertError(String text, NwcUri.Error error) {
        assertThatThrownBy(() -> NwcUri.parse(text)).isInstanceOfSatisfying(NwcUri.InvalidNwcUri.class,
                e -> assertThat(e.error()).isEqualTo(error));
    }
}
