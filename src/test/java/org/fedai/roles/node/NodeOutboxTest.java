package org.fedai.roles.node;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Map;
import org.fedai.nostr.pool.PublishResult;
import org.fedai.nostr.pool.PublishResult.Outcome;
import org.junit.jupiter.api.Test;

/** When the outbox stops resending an event: only when no relay will ever take it. */
class NodeOutboxTest {

    private static PublishResult result(Outcome... outcomes) {
        Map<String, Outcome> map = new java.util.LinkedHashMap<>();
        for (int i = 0; i < outcomes.length; i++) {
            map.put("ws://relay" + i, outcomes[i]);
        }
        return new PublishResult("id", map);
    }

    @Test
    void givesUpOnlyWhenEveryRelayRefusesForAReasonARetryCannotChange() {
        assertThat(NodeOutbox.refusedForGood(result(new Outcome.Rejected("invalid", "too large"),
                new Outcome.Rejected("blocked", "not allowed")))).isTrue();
        assertThat(NodeOutbox.refusedForGood(result(new Outcome.Rejected("invalid", "too large"),
                new Outcome.TimedOut()))).isFalse();
        assertThat(NodeOutbox.refusedForGood(result(new Outcome.Rejected("rate-limited", "slow down")))).isFalse();
        assertThat(NodeOutbox.refusedForGood(result(new Outcome.Rejected("auth-required", "")))).isFalse();
        assertThat(NodeOutbox.refusedForGood(result(new Outcome.Rejected("error", "disk full")))).isFalse();
        assertThat(NodeOutbox.refusedForGood(result())).isFalse();
    }
}
