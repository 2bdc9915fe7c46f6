package org.fedai.protocol.nip90;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.OptionalLong;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import org.fedai.nostr.Event;
import org.fedai.nostr.EventSigner;
import org.fedai.nostr.KeyPair;

/** Any request a customer can encode decodes to what it said, in the clear and under either encryption. */
class Nip90Properties {

    private static final KeyPair CUSTOMER = KeyPair.generate();
    private static final KeyPair GATEWAY = KeyPair.generate();

    @Provide
    Arbitrary<List<String>> texts() {
        return Arbitraries.strings().ofMinLength(1).ofMaxLength(200).list().ofMinSize(1).ofMaxSize(8);
    }

    @Provide
    Arbitrary<Map<String, String>> params() {
        return Arbitraries.maps(Arbitraries.strings().alpha().ofMinLength(1).ofMaxLength(12),
                Arbitraries.strings().ofMaxLength(40)).ofMaxSize(5).map(LinkedHashMap::new);
    }

    @Provide
    Arbitrary<Long> bids() {
        return Arbitraries.longs().between(0, Long.MAX_VALUE / 2);
    }

    @Property(tries = 60)
    void requestsRoundTrip(@ForAll("texts") List<String> texts, @ForAll("params") Map<String, String> params,
            @ForAll("bids") long bid, @ForAll Nip90Encryption scheme) {
        List<String> providers = scheme == Nip90Encryption.NONE ? List.of() : List.of(GATEWAY.publicKey());
        Event e = EventSigner.sign(Nip90RequestCodec.encode(5700, texts.stream().map(Nip90Input::text).toList(),
                params, "application/json", OptionalLong.of(bid), List.of(), providers, scheme, CUSTOMER, 1_800_000_000L),
                CUSTOMER);
        Nip90Request r = Nip90RequestCodec.decode(e, GATEWAY, 1_800_000_000L).orElseThrow();
        assertThat(r.inputs()).extracting(Nip90Input::data).containsExactlyElementsOf(texts);
        assertThat(r.params()).isEqualTo(params);
        assertThat(r.bidMsat()).hasValue(bid);
        assertThat(r.output()).isEqualTo("application/json");
        assertThat(r.encryption()).isEqualTo(scheme);
    }

    @Property(tries = 40)
    void resultsRoundTripUnderEveryScheme(@ForAll("texts") List<String> contents, @ForAll Nip90Encryption scheme) {
        List<String> providers = scheme == Nip90Encryption.NONE ? List.of() : List.of(GATEWAY.publicKey());
        Event req = EventSigner.sign(Nip90RequestCodec.encode(5050, List.of(Nip90Input.text("q")), Map.of(), "",
                OptionalLong.empty(), List.of(), providers, scheme, CUSTOMER, 1_800_000_000L), CUSTOMER);
        Nip90Request r = Nip90RequestCodec.decode(req, GATEWAY, 1_800_000_000L).orElseThrow();
        String content = String.join("\n", contents);
        Event result = EventSigner.sign(Nip90ResultCodec.encode(content, OptionalLong.of(1), "", r, GATEWAY,
                1_800_000_000L), GATEWAY);
        assertThat(Nip90ResultCodec.decode(result, CUSTOMER).orElseThrow().content()).isEqualTo(content);
    }
}
