package org.fedai.nostr;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import org.junit.jupiter.api.Test;

class Nip40Test {

    private static Event withTags(List<List<String>> tags) {
        return EventSigner.sign(new UnsignedEvent(1_700_000_000L, 1, tags, "x"), KeyPair.generate());
    }

    @Test
    void emptyTagsMeanNoExpiration() {
        Event event = withTags(List.of());
        assertThat(Nip40.expiration(event)).isEmpty();
        assertThat(Nip40.isExpired(event, Long.MAX_VALUE)).isFalse();
    }

    @Test
    void otherTagsAreIgnored() {
        assertThat(Nip40.parse(List.of("e", "123"))).isEmpty();
        assertThat(Nip40.parse(List.of())).isEmpty();
    }

    @Test
    void tagRoundTripsAndExpiresAtItsSecond() {
        assertThat(Nip40.tag(1_700_000_600L)).containsExactly("expiration", "1700000600");
        Event event = withTags(List.of(List.of("t", "x"), Nip40.tag(1_700_000_600L)));
        assertThat(Nip40.expiration(event)).contains(1_700_000_600L);
        assertThat(Nip40.isExpired(event, 1_700_000_599L)).isFalse();
        assertThat(Nip40.isExpired(event, 1_700_000_600L)).isTrue();
        assertThat(Nip40.isExpired(event, 1_800_000_000L)).isTrue();
    }

    @Test
    void eachMalformedTagNamesItsError() {
        assertError(List.of("expiration"), Nip40.Error.MISSING_VALUE);
        assertError(List.of("expiration", ""), Nip40.Error.NOT_AN_INTEGER);
        assertError(List.of("expiration", "soon"), Nip40.Error.NOT_AN_INTEGER);
        assertError(List.of("expiration", "1.5"), Nip40.Error.NOT_AN_INTEGER);
        assertError(List.of("expiration", "+5"), Nip40.Error.NOT_AN_INTEGER);
        assertError(List.of("expiration", "99999999999999999999"), Nip40.Error.NOT_AN_INTEGER);
        assertError(List.of("expiration", "-5"), Nip40.Error.NEGATIVE);
        assertThatThrownBy(() -> Nip40.tag(-1)).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void malformedExpirationCountsAsExpired() {
        Event event = withTags(List.of(List.of("expiration", "tomorrow")));
        assertThat(Nip40.isExpired(event, 0)).isTrue();
    }

    private static void assertError(List<String> tag, Nip40.Error error) {
        assertThatThrownBy(() -> Nip40.parse(tag)).isInstanceOfSatisfying(Nip40.InvalidExpiration.class,
                e -> assertThat(e.error()).isEqualTo(error));
    }
}
