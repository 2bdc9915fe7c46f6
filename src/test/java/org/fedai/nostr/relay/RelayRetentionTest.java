package org.fedai.nostr.relay;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.util.List;
import org.fedai.nostr.EventKindClass;
import org.junit.jupiter.api.Test;

/** {@code fedai relay --retain CLASS=DAYS}: the settings, and each malformed one refused with what is wrong. */
class RelayRetentionTest {

    @Test
    void settingsPerClassInDays() {
        RelayRetention r = RelayRetention.parse(List.of("regular=7", "Addressable=0.5"));
        assertThat(r.of(EventKindClass.REGULAR)).contains(Duration.ofDays(7));
        assertThat(r.of(EventKindClass.ADDRESSABLE)).contains(Duration.ofHours(12));
        assertThat(r.of(EventKindClass.REPLACEABLE)).isEmpty();
        assertThat(RelayRetention.parse(List.of())).isEqualTo(RelayRetention.FOREVER);
    }

    @Test
    void malformedSettingsAreRefusedWithTheReason() {
        assertThatThrownBy(() -> RelayRetention.parse(List.of("regular"))).hasMessageContaining("want CLASS=DAYS");
        assertThatThrownBy(() -> RelayRetention.parse(List.of("kinds=3"))).hasMessageContaining("want CLASS=DAYS");
        assertThatThrownBy(() -> RelayRetention.parse(List.of("regular=0"))).hasMessageContaining("above 0");
        assertThatThrownBy(() -> RelayRetention.parse(List.of("ephemeral=1"))).hasMessageContaining("never stored");
    }
}
