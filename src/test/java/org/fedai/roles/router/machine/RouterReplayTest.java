package org.fedai.roles.router.machine;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import org.fedai.domain.PaymentTiming;
import org.fedai.protocol.JobStatus;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.TestFactory;

/**
 * The router's crash points at machine level. A router that dies after committing a transition (its writes and
 * outbox in one transaction) sees the same event again when it resubscribes: whatever the timing and wherever the
 * crash, handling it again must sign nothing new and move nothing (the outbox, not a second transition, publishes
 * what was lost). Invariants: "no invoice is paid twice" (no second fee invoice or order), "persisted before
 * published".
 */
class RouterReplayTest {

    private static final long PRICE = 2_000;
    private static final long FEE = 120;

    @TestFactory
    List<DynamicTest> everyInputHandledAgainAfterItsTransitionSignsAndWritesNothingNew() {
        List<DynamicTest> tests = new ArrayList<>();
        for (PaymentTiming timing : PaymentTiming.values()) {
            tests.add(DynamicTest.dynamicTest(timing.code(), () -> replayEveryStep(timing)));
        }
        return tests;
    }

    private static void replayEveryStep(PaymentTiming timing) {
        JobWalk walk = new JobWalk(timing, 2);
        long price = timing == PaymentTiming.FREE ? 0 : PRICE;
        walk.admit(walk.offer(walk.node, price, timing.feeFree() ? 0 : FEE));
        List<Runnable> steps = List.of(
                () -> walk.status(walk.node, JobStatus.State.ACCEPTED),
                () -> walk.status(walk.node, JobStatus.State.INPUT_RECEIVED),
                walk::proof,
                () -> walk.metering(price, price == 0 ? List.of() : List.of(JobWalk.HASH)));
        for (Runnable step : steps) {
            int before = walk.steps.size();
            step.run();
            RouterInput handled = walk.lastInput();
            RouterJob after = walk.job;
            // the crash: the same event comes back, the ledger as the transition left it
            Transition again = walk.feed(handled instanceof RouterInput.MeteringReceived m
                    ? new RouterInput.MeteringReceived(m.event(), m.record(), m.spec(), walk.countersigned(m))
                    : handled);
            assertThat(again.actionsOf(RouterAction.Publish.class)).as("%s: %s again", timing, name(handled)).isEmpty();
            assertThat(again.actionsOf(RouterAction.RecordWorkOrder.class)).isEmpty();
            assertThat(again.actionsOf(RouterAction.RecordQuote.class)).isEmpty();
            assertThat(again.actionsOf(RouterAction.AppendMetering.class)).isEmpty();
            assertThat(again.actionsOf(RouterAction.MakeFeeInvoice.class)).isEmpty();
            assertThat(walk.job.state()).as("%s: %s again", timing, name(handled)).isEqualTo(after.state());
            assertThat(walk.steps.size()).isGreaterThan(before);
        }
    }

    private static String name(RouterInput input) {
        return input.getClass().getSimpleName();
    }
}
