package org.fedai.domain;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.CharRange;
import net.jqwik.api.constraints.LongRange;
import net.jqwik.api.constraints.StringLength;

/** The typed ids, keys and amounts take exactly what NIP-01 and BOLT11 write, and nothing else. */
class TypedValueProperties {

    @Property
    void sixtyFourLowercaseHexDigitsAreAnIdAKeyAndAJobAndRoundTrip(
            @ForAll @StringLength(64) @CharRange(from = '0', to = '9') @CharRange(from = 'a', to = 'f') String hex) {
        assertThat(JobId.of(hex).hex()).isEqualTo(hex);
        assertThat(PublicKey.of(hex).toString()).isEqualTo(hex);
        assertThat(EventId.of(hex)).isEqualTo(EventId.of(hex));
        assertThat(JobId.parse(hex)).contains(JobId.of(hex));
    }

    @Property
    void anythingElseIsRefused(@ForAll @StringLength(min = 0, max = 80) String text) {
        boolean hex64 = text.length() == 64 && text.chars().allMatch(c -> c >= '0' && c <= '9' || c >= 'a' && c <= 'f');
        if (!hex64) {
            assertThatThrownBy(() -> JobId.of(text)).isInstanceOf(IllegalArgumentException.class);
            assertThatThrownBy(() -> PublicKey.of(text)).isInstanceOf(IllegalArgumentException.class);
            assertThat(JobId.parse(text)).isEmpty();
        }
    }

    @Property
    void amountsAddExactlyAndAreNeverNegative(@ForAll @LongRange(min = 0, max = Long.MAX_VALUE / 2) long a,
            @ForAll @LongRange(min = 0, max = Long.MAX_VALUE / 2) long b) {
        assertThat(Msat.of(a).plus(Msat.of(b))).isEqualTo(Msat.of(a + b));
        assertThat(Msat.of(a).compareTo(Msat.of(b))).isEqualTo(Long.compare(a, b));
        assertThatThrownBy(() -> Msat.of(-1 - a)).isInstanceOf(IllegalArgumentException.class);
    }
}
