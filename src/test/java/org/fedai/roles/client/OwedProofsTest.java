package org.fedai.roles.client;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.fedai.domain.PaymentTiming;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * What a closing client waits for (ClientRole#close): proofs owed for results already handed over, and proofs on
 * their way to the relays. Invariant: a client that hands a result over before its payment's answer does not close
 * before its proof is out.
 */
class OwedProofsTest {

    @TempDir
    Path dir;

    @Test
    void aProofIsOwedBeforeTheEffectsOfTheStepThatHandsTheResultOverAndUntilEverySendIsDone() throws Exception {
        try (ClientMachineWalk walk = new ClientMachineWalk(dir)) {
            walk.start(PaymentTiming.BEFORE, List.of("a"));
            ClientJob job = walk.job;
            OwedProofs owed = new OwedProofs();
            job.proofOwed = true; // the step that hands the result over, before its node's answer
            owed.beforeEffects(job);
            assertThat(owed.awaitNone(Duration.ZERO)).as("a client woken by that step's Complete waits").isFalse();
            owed.afterStep(job);

            job.proofOwed = false; // the step that sends it
            owed.beforeEffects(job);
            owed.sending(job.jobId);
            owed.afterStep(job);
            assertThat(owed.awaitNone(Duration.ZERO)).as("on its way").isFalse();
            owed.sending(job.jobId); // a second proof of the job: the fee's alone, then both
            owed.sent(job.jobId);
            assertThat(owed.awaitNone(Duration.ZERO)).as("one still on its way").isFalse();
            owed.sent(job.jobId);
            assertThat(owed.awaitNone(Duration.ZERO)).isTrue();
        }
    }
}
