package org.fedai.nostr;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.util.List;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.constraints.IntRange;
import net.jqwik.api.constraints.Size;

class Nip19Properties {

    @Provide
    Arbitrary<String> hex32() {
        return Arbitraries.bytes().array(byte[].class).ofSize(32).map(Hex::encode);
    }

    @Provide
    Arbitrary<List<String>> relays() {
        return Arbitraries.strings().withCharRange('!', '~').ofMinLength(0).ofMaxLength(60)
                .map(s -> "wss://" + s).list().ofMaxSize(4);
    }

    @Provide
    Arbitrary<String> identifiers() {
        // any text whose UTF-8 fits one TLV value (255 bytes)
        return Arbitraries.strings().all().ofMaxLength(60)
                .filter(s -> s.equals(new String(s.getBytes(StandardCharsets.UTF_8), StandardCharsets.UTF_8)))
                .filter(s -> s.getBytes(StandardCharsets.UTF_8).length <= 255);
    }

    @Property
    void bareEntitiesRoundTrip(@ForAll("hex32") String hex) {
        assertThat(Nip19.decode(Nip19.encodeNpub(hex))).isEqualTo(new Nip19.Npub(hex));
        assertThat(Nip19.decode(Nip19.encodeNote(hex))).isEqualTo(new Nip19.Note(hex));
        assertThat(Hex.encode(Nip19.decodeNsec(Nip19.encodeNsec(Hex.decode(hex))))).isEqualTo(hex);
    }

    @Property
    void tlvEntitiesRoundTrip(@ForAll("hex32") String id, @ForAll("hex32") String author,
            @ForAll("relays") List<String> relays, @ForAll("identifiers") String identifier,
            @ForAll @IntRange(min = 0, max = 65535) int kind) {
        assertThat(Nip19.decode(Nip19.encodeNprofile(author, relays))).isEqualTo(new Nip19.Nprofile(author, relays));
        assertThat(Nip19.decode(Nip19.encodeNevent(id, relays, author, kind)))
                .isEqualTo(new Nip19.Nevent(id, relays, author, kind));
        assertThat(Nip19.decode(Nip19.encodeNaddr(identifier, author, kind, relays)))
                .isEqualTo(new Nip19.Naddr(identifier, author, kind, relays));
    }

    @Property
    void anySingleCharacterChangeIsDetected(@ForAll("hex32") String hex, @ForAll @IntRange(min = 5, max = 62) int at,
            @ForAll @Size(1) List<@IntRange(min = 0, max = 31) Integer> replacement) {
        String npub = Nip19.encodeNpub(hex);
        char swapped = "qpzry9x8gf2tvdw0s3jn54khce6mua7l".charAt(replacement.get(0));
        if (npub.charAt(at) == swapped) {
            return;
        }
        String broken = npub.substring(0, at) + swapped + npub.substring(at + 1);
        org.assertj.core.api.Assertions.assertThatThrownBy(() -> Nip19.decode(broken))
                .isInstanceOf(IllegalArgumentException.class);
    }
}
