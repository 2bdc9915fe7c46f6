package org.fedai.roles.fl;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.fedai.nostr.Event;
import org.fedai.nostr.EventSigner;
import org.fedai.nostr.KeyPair;
import org.fedai.nostr.UnsignedEvent;
import org.fedai.protocol.Decoded;
import org.fedai.protocol.Rejection;
import org.junit.jupiter.api.Test;

/** The federation's refusals are counted as the market's are: by the refused event's kind and the reason. */
class RejectionCountsTest {

    private static Event event(int kind) {
        return EventSigner.sign(new UnsignedEvent(1, kind, List.of(), ""), KeyPair.generate());
    }

    @Test
    void aRefusalCountsUnderItsEventsKindAndReasonAndSumsByReasonOverKinds() {
        RejectionCounts counts = new RejectionCounts();
        counts.count(event(4423), "duplicate", "second update");
        counts.count(event(4421), "duplicate", "second enrollment");
        Object refused = counts.accept(event(4423), Decoded.<String>rejected(Rejection.Reason.TOO_LARGE, "25 KiB"));
        assertThat(refused).isNull();
        counts.count("aborted", "group 1: too few");

        assertThat(counts.snapshot()).containsEntry("4423:duplicate", 1L).containsEntry("4421:duplicate", 1L)
                .containsEntry("4423:too_large", 1L).containsEntry("aborted", 1L);
        assertThat(counts.get("duplicate")).isEqualTo(2);
        assertThat(counts.toString()).contains("second enrollment");
    }
}
