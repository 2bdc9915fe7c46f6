package org.fedai.fl;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Set;
import org.fedai.fl.Rejection.Reason;
import org.junit.jupiter.api.Test;

class UpdateInboxTest {

    private final UpdateInbox inbox = new UpdateInbox(7, Set.of("alice", "bob"), 3);

    private Reason refused(PlainUpdate u) {
        return inbox.offer(u).map(Rejection::reason).orElse(null);
    }

    @Test
    void acceptsAWellFormedUpdateOnce() {
        assertThat(inbox.offer(new PlainUpdate(7, "alice", new double[] {1, 2, 3}, 10))).isEmpty();
        assertThat(refused(new PlainUpdate(7, "alice", new double[] {1, 2, 3}, 10))).isEqualTo(Reason.DUPLICATE);
        assertThat(inbox.accepted()).hasSize(1);
    }

    @Test
    void refusesEachKindOfBadUpdateWithItsReasonAndCountsThem() {
        assertThat(refused(new PlainUpdate(7, "bob", new double[] {1, Double.NaN, 3}, 10))).isEqualTo(Reason.NOT_FINITE);
        assertThat(refused(new PlainUpdate(7, "bob", new double[] {1, Double.POSITIVE_INFINITY, 3}, 10))).isEqualTo(Reason.NOT_FINITE);
        assertThat(refused(new PlainUpdate(7, "bob", new double[] {1, 2}, 10))).isEqualTo(Reason.WRONG_LENGTH);
        assertThat(refused(new PlainUpdate(7, "bob", null, 10))).isEqualTo(Reason.WRONG_LENGTH);
        assertThat(refused(new PlainUpdate(7, "mallory", new double[] {1, 2, 3}, 10))).isEqualTo(Reason.NOT_ENROLLED);
        assertThat(refused(new PlainUpdate(6, "bob", new double[] {1, 2, 3}, 10))).isEqualTo(Reason.WRONG_ROUND);
        assertThat(refused(new PlainUpdate(8, "bob", new double[] {1, 2, 3}, 10))).isEqualTo(Reason.WRONG_ROUND);
        assertThat(refused(new PlainUpdate(7, "bob", new double[] {1, 2, 3}, 0))).isEqualTo(Reason.MALFORMED);
        assertThat(inbox.offer(new PlainUpdate(7, "bob", new double[] {1, 2, 3}, 10))).isEmpty(); // still open after all that
        assertThat(inbox.rejectionCounts()).containsEntry(Reason.NOT_FINITE, 2).containsEntry(Reason.WRONG_LENGTH, 2)
                .containsEntry(Reason.WRONG_ROUND, 2).containsEntry(Reason.NOT_ENROLLED, 1).containsEntry(Reason.MALFORMED, 1);
        assertThat(inbox.offer(new PlainUpdate(6, "bob", new double[] {1, 2, 3}, 10)).orElseThrow().detail())
                .contains("round 6").contains("round 7");
    }

    @Test
    void checkpointCommitsToItsParameters() {
        Checkpoint c = Checkpoint.of(3, new double[] {1.5, -2});
        assertThat(c.verifies()).isTrue();
        assertThat(c.sha256()).hasSize(64);
        assertThat(new Checkpoint(3, new double[] {1.5, -2.0000001}, c.sha256()).verifies()).isFalse();
    }
}
