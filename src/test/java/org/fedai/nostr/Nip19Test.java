package org.fedai.nostr;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import fr.acinq.bitcoin.Bech32;
import java.util.List;
import org.junit.jupiter.api.Test;

/** NIP-19 (https://github.com/nostr-protocol/nips/blob/master/19.md): the spec's examples, round trips, bad input. */
class Nip19Test {

    private static final String PUB = "7e7e9c42a91bfef19fa929e5fda1b72e0ebc1a4c1141673e2794234d86addf4e";
    private static final String NPUB = "npub10elfcs4fr0l0r8af98jlmgdh9c8tcxjvz9qkw038js35mp4dma8qzvjptg";
    private static final String SEC = "67dea2ed018072d675f5415ecfaed7d2597555e202d85b3d65ea4e58d2d92ffa";
    private static final String NSEC = "nsec1vl029mgpspedva04g90vltkh6fvh240zqtv9k0t9af8935ke9laqsnlfe5";
    private static final String NPROFILE = "nprofile1qqsrhuxx8l9ex335q7he0f09aej04zpazpl0ne2cgukyawd24mayt8gpp4mhxue69"
            + "uhhytnc9e3k7mgpz4mhxue69uhkg6nzv9ejuumpv34kytnrdaksjlyr9p";
    private static final String ID = "b9f5441e45ca39179320e0031cfb18e34078673dcc3d3e3a3b3a981760aa5696";

    @Test
    void specExamplesDecodeAndEncode() {
        assertThat(Nip19.decode(NPUB)).isEqualTo(new Nip19.Npub(PUB));
        assertThat(Nip19.encodeNpub(PUB)).isEqualTo(NPUB);
        assertThat(Hex.encode(Nip19.decodeNsec(NSEC))).isEqualTo(SEC);
        assertThat(Nip19.encodeNsec(Hex.decode(SEC))).isEqualTo(NSEC);

        Nip19.Nprofile profile = (Nip19.Nprofile) Nip19.decode(NPROFILE);
        assertThat(profile.pubkey()).isEqualTo("3bf0c63fcb93463407af97a5e5ee64fa883d107ef9e558472c4eb9aaaefa459d");
        assertThat(profile.relays()).containsExactly("wss://r.x.com", "wss://djbas.sadkb.com");
        assertThat(Nip19.encodeNprofile(profile.pubkey(), profile.relays())).isEqualTo(NPROFILE);
    }

    @Test
    void acceptsNostrUriPrefixAndUpperCase() {
        assertThat(Nip19.decode("nostr:" + NPUB)).isEqualTo(new Nip19.Npub(PUB));
        assertThat(Nip19.decode(NPUB.toUpperCase(java.util.Locale.ROOT))).isEqualTo(new Nip19.Npub(PUB));
    }

    @Test
    void everyEntityRoundTrips() {
        assertThat(Nip19.decode(Nip19.encodeNote(ID))).isEqualTo(new Nip19.Note(ID));
        assertThat(Nip19.decodeNpub(Nip19.encodeNpub(PUB))).isEqualTo(PUB);

        String nevent = Nip19.encodeNevent(ID, List.of("wss://a.example", "wss://b.example"), PUB, 30023);
        assertThat(Nip19.decode(nevent)).isEqualTo(
                new Nip19.Nevent(ID, List.of("wss://a.example", "wss://b.example"), PUB, 30023));
        assertThat(Nip19.decode(Nip19.encodeNevent(ID, List.of(), null, null)))
                .isEqualTo(new Nip19.Nevent(ID, List.of(), null, -1));

        String naddr = Nip19.encodeNaddr("fedai-node-1", PUB, 31400, List.of("wss://relay.example"));
        assertThat(Nip19.decode(naddr)).isEqualTo(
                new Nip19.Naddr("fedai-node-1", PUB, 31400, List.of("wss://relay.example")));
        assertThat(Nip19.decode(Nip19.encodeNaddr("", PUB, 0, List.of())))
                .isEqualTo(new Nip19.Naddr("", PUB, 0, List.of()));
    }

    @Test
    void badChecksumIsRefused() {
        String broken = NPUB.substring(0, NPUB.length() - 1) + (NPUB.endsWith("g") ? "h" : "g");
        assertThatThrownBy(() -> Nip19.decode(broken)).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void wrongPrefixIsRefused() {
        assertThatThrownBy(() -> Nip19.decodeNpub(NSEC)).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("not an npub");
        assertThatThrownBy(() -> Nip19.decodeNsec(NPUB)).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("not an nsec");
        String unknown = Bech32.encodeBytes("nfoo", new byte[32], Bech32.Encoding.Bech32);
        assertThatThrownBy(() -> Nip19.decode(unknown)).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("unknown NIP-19 prefix");
    }

    @Test
    void bech32mIsRefused() {
        String m = Bech32.encodeBytes("npub", Hex.decode(PUB), Bech32.Encoding.Bech32m);
        assertThatThrownBy(() -> Nip19.decode(m)).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void wrongLengthIsRefused() {
        for (String hrp : List.of("npub", "nsec", "note")) {
            String shortOne = Bech32.encodeBytes(hrp, new byte[31], Bech32.Encoding.Bech32);
            String longOne = Bech32.encodeBytes(hrp, new byte[33], Bech32.Encoding.Bech32);
            assertThatThrownBy(() -> Nip19.decode(shortOne)).isInstanceOf(IllegalArgumentException.class)
                    .hasMessageContaining("32 bytes");
            assertThatThrownBy(() -> Nip19.decode(longOne)).isInstanceOf(IllegalArgumentException.class)
                    .hasMessageContaining("32 bytes");
        }
        assertThatThrownBy(() -> Nip19.encodeNpub("abcd")).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void truncatedOrInconsistentTlvIsRefused() {
        byte[] truncatedValue = {0, 32, 1, 2, 3};
        assertTlvRefused("nprofile", truncatedValue, "runs past");
        assertTlvRefused("nevent", new byte[] {0}, "truncated TLV");
        assertTlvRefused("nprofile", new byte[] {1, 3, 'w', 's', 's'}, "lacks its special TLV");
        byte[] shortKind = concat(tlv(0, new byte[32]), tlv(3, new byte[] {0, 1, 2}));
        assertTlvRefused("nevent", shortKind, "kind TLV must be 4 bytes");
        byte[] shortAuthor = concat(tlv(0, new byte[32]), tlv(2, new byte[31]));
        assertTlvRefused("nevent", shortAuthor, "author");
        assertTlvRefused("naddr", tlv(0, "d".getBytes(java.nio.charset.StandardCharsets.UTF_8)), "naddr needs");
        assertTlvRefused("nprofile", tlv(0, new byte[20]), "32 bytes");
    }

    @Test
    void unknownTlvTypesAreIgnored() {
        byte[] data = concat(tlv(0, Hex.decode(PUB)), tlv(9, new byte[] {1, 2, 3}));
        assertThat(Nip19.decode(Bech32.encodeBytes("nprofile", data, Bech32.Encoding.Bech32)))
                .isEqualTo(new Nip19.Nprofile(PUB, List.of()));
    }

    private static void assertTlvRefused(String hrp, byte[] data, String reason) {
        String encoded = Bech32.encodeBytes(hrp, data, Bech32.Encoding.Bech32);
        assertThatThrownBy(() -> Nip19.decode(encoded)).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining(reason);
    }

    private static byte[] tlv(int type, byte[] value) {
        byte[] out = new byte[2 + value.length];
        out[0] = (byte) type;
        out[1] = (byte) value.length;
        System.arraycopy(value, 0, out, 2, value.length);
        return out;
    }

    private static byte[] concat(byte[] a, byte[] b) {
        byte[] out = java.util.Arrays.copyOf(a, a.length + b.length);
        System.arraycopy(b, 0, out, a.length, b.length);
        return out;
    }
}
