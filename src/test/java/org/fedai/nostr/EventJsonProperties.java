package org.fedai.nostr;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.constraints.IntRange;

class EventJsonProperties {

    private static final KeyPair KEYS = KeyPair.generate();

    @Provide
    Arbitrary<UnsignedEvent> unsignedEvents() {
        return Combinators.combine(
                Arbitraries.longs().between(0, 4_102_444_800L),
                Arbitraries.integers().between(0, 65535),
                NostrArbitraries.tags(NostrArbitraries.text()),
                NostrArbitraries.text())
                .as(UnsignedEvent::new);
    }

    @Property(tries = 300)
    void signedEventsSurviveTheWireAndStillVerify(@ForAll("unsignedEvents") UnsignedEvent unsigned)
            throws MalformedEventException {
        Event event = EventSigner.sign(unsigned, KEYS);
        String json = EventJson.toJson(event);

        Event parsed = EventJson.parse(json);

        assertThat(parsed).isEqualTo(event);
        assertThat(EventVerifier.check(parsed)).isEqualTo(EventCheck.VALID);
        assertThat(EventJson.toJson(parsed)).isEqualTo(json);
    }

    @Property(tries = 300)
    void anyEditOfTheWireFormEitherParsesOrFailsWithAReason(@ForAll("unsignedEvents") UnsignedEvent unsigned,
            @ForAll @IntRange(min = 0, max = 10_000) int position, @ForAll("edits") String insert,
            @ForAll @IntRange(min = 0, max = 3) int deleteCount) {
        String json = EventJson.toJson(EventSigner.sign(unsigned, KEYS));
        int at = position % (json.length() + 1);
        String edited = json.substring(0, at) + insert + json.substring(Math.min(json.length(), at + deleteCount));
        try {
            Event parsed = EventJson.parse(edited);
            assertThat(parsed).isNotNull();
        } catch (MalformedEventException expected) {
            assertThat(expected.getMessage()).isNotBlank();
        }
    }

    @Provide
    Arbitrary<String> edits() {
        return Arbitraries.oneOf(Arbitraries.of("", "{", "}", "[", "]", ",", ":", "\"", "\\", "-", "1e9", "null",
                "99999999999999999999999", "\u0000", "[[[[[[[[", "]]]]"), Arbitraries.strings().ofMaxLength(3));
    }

    @Property(tries = 200)
    void tamperingWithAnySignedFieldIsCaughtByTheVerifier(@ForAll("unsignedEvents") UnsignedEvent unsigned,
            @ForAll("tamper") String extra) {
        Event event = EventSigner.sign(unsigned, KEYS);
        Event tampered = new Event(event.id(), event.pubkey(), event.createdAt(), event.kind(), event.tags(),
                event.content() + extra, event.sig());
        assertThat(EventVerifier.check(tampered)).isEqualTo(EventCheck.ID_MISMATCH);
    }

    @Provide
    Arbitrary<String> tamper() {
        return NostrArbitraries.text().filter(s -> !s.isEmpty());
    }

}
