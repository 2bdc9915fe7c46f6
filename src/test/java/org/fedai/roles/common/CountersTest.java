package org.fedai.roles.common;

import static org.assertj.core.api.Assertions.assertThat;

import org.fedai.protocol.FedaiKind;
import org.junit.jupiter.api.Test;

class CountersTest {

    @Test
    void aCountIsKeptByKindAndReasonAndReadBackByReasonOverEveryKind() {
        Counters counters = new Counters();
        counters.count(FedaiKind.QUOTE, "duplicate");
        counters.count(FedaiKind.WORK_ORDER, "duplicate");
        counters.count(5050, "replay"); // a NIP-90 kind, outside FedaiKind
        counters.increment("internal_error"); // about no event

        assertThat(counters.snapshot()).containsOnlyKeys("4401:duplicate", "4404:duplicate", "5050:replay",
                "internal_error");
        assertThat(counters.get(Counters.key(4404, "duplicate"))).isEqualTo(1);
        assertThat(counters.byReason("duplicate")).isEqualTo(2);
        assertThat(counters.byReason("internal_error")).isEqualTo(1);
        assertThat(counters.byReason("never")).isZero();
        assertThat(counters.byReasons()).containsEntry("duplicate", 2L).containsEntry("replay", 1L)
                .containsEntry("internal_error", 1L).hasSize(3);
    }

    @Test
    void aReasonWithAColonIsNotMistakenForAKind() {
        Counters counters = new Counters();
        counters.increment("wallet:down");
        assertThat(counters.byReasons()).containsOnlyKeys("wallet:down");
    }
}
