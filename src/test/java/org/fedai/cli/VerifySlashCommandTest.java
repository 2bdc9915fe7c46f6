package org.fedai.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import org.fedai.domain.WorkAuthorization;
import org.fedai.nostr.Event;
import org.fedai.nostr.EventSigner;
import org.fedai.nostr.KeyPair;
import org.fedai.nostr.pool.RelayPool;
import org.fedai.nostr.relay.EmbeddedRelay;
import org.fedai.protocol.JobProgressCodecs;
import org.fedai.protocol.JobResult;
import org.fedai.protocol.JobStatus;
import org.fedai.protocol.PaymentCodecs;
import org.fedai.protocol.SlashClaim;
import org.fedai.protocol.SlashClaimCodec;
import org.fedai.protocol.WorkOrder;
import org.fedai.testing.RelayTest;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** {@code fedai verify-slash} fetching a non-delivery claim and its evidence from an embedded relay. */
@RelayTest
class VerifySlashCommandTest {

    private final KeyPair router = KeyPair.generate();
    private final KeyPair node = KeyPair.generate();
    private final KeyPair client = KeyPair.generate();
    private final String job = "ab".repeat(32);
    private final long t0 = Instant.now().getEpochSecond() - 3600;
    private final long deliverBy = t0 + 300;
    private EmbeddedRelay relay;
    private RelayPool pool;

    @BeforeEach
    void start() throws Exception {
        relay = EmbeddedRelay.inMemory().start();
        pool = new RelayPool();
        pool.addRelay(relay.url());
    }

    @AfterEach
    void stop() {
        pool.close();
        relay.close();
    }

    private Event publish(Event e) {
        assertThat(pool.publish(e, Duration.ofSeconds(10)).join().outcomes().values())
                .allMatch(o -> o.accepted());
        return e;
    }

    private Event accepted() {
        return status(JobStatus.State.ACCEPTED, t0 + 5);
    }

    private Event inputReceived() {
        return status(JobStatus.State.INPUT_RECEIVED, t0 + 8);
    }

    private Event status(JobStatus.State state, long at) {
        return publish(EventSigner.sign(JobProgressCodecs.encodeStatus(
                new JobStatus(job, client.publicKey(), router.publicKey(), state, ""), at), node));
    }

    private Event workOrder() {
        return publish(EventSigner.sign(PaymentCodecs.encodeWorkOrder(new WorkOrder(job, "cd".repeat(32),
                client.publicKey(), WorkAuthorization.PAID, List.of("ef".repeat(32)), deliverBy), router,
                node.publicKey(), t0 + 20), router));
    }

    private Event claim(List<String> evidence) {
        return publish(EventSigner.sign(SlashClaimCodec.encode(new SlashClaim(node.publicKey(),
                SlashClaim.Reason.NON_DELIVERY, evidence, job, "", "silent past deliver_by"), deliverBy + 60), router));
    }

    private CliRun verify(String claimId) {
        return CliRun.run("", "verify-slash", claimId, "--relay", relay.url(), "--timeout", "10");
    }

    @Test
    void aProvenNonDeliveryIsValid() {
        Event claim = claim(List.of(accepted().id(), inputReceived().id(), workOrder().id()));
        CliRun run = verify(claim.id());
        assertThat(run.exitCode()).as(run.err()).isZero();
        assertThat(run.out()).startsWith("valid non_delivery\n").contains("witness " + router.publicKey());
    }

    @Test
    void aResultTheNodePublishedInTimeRefutesItThoughTheClaimDoesNotNameIt() {
        Event claim = claim(List.of(accepted().id(), inputReceived().id(), workOrder().id()));
        JobResult r = new JobResult(job, "text", "done", 1, 1, JobResult.sha256("done"), 1, "text");
        Event result = publish(EventSigner.sign(JobProgressCodecs.encodeResult(r, node, client.publicKey(), deliverBy - 10),
                node));
        CliRun run = verify(claim.id());
        assertThat(run.exitCode()).isEqualTo(1);
        assertThat(run.out()).isEqualTo("invalid result_delivered: " + result.id() + "\n");
    }

    @Test
    void aNodeThatNeverSaidItHadTheInputIsNotProvenSilent() {
        Event claim = claim(List.of(accepted().id(), workOrder().id()));
        CliRun run = verify(claim.id());
        assertThat(run.exitCode()).isEqualTo(1);
        assertThat(run.out()).startsWith("invalid no_input_receipt: ");
    }

    @Test
    void evidenceTheRelayDoesNotHoldMakesItInvalid() {
        String absent = "99".repeat(32);
        Event claim = claim(List.of(accepted().id(), inputReceived().id(), workOrder().id(), absent));
        CliRun run = verify(claim.id());
        assertThat(run.exitCode()).isEqualTo(1);
        assertThat(run.out()).isEqualTo("invalid evidence_missing: " + absent + "\n");
    }

    @Test
    void anUnknownClaimOrAMalformedIdIsRefused() {
        CliRun unknown = verify("77".repeat(32));
        assertThat(unknown.exitCode()).isEqualTo(1);
        assertThat(unknown.out()).startsWith("invalid claim_not_found");
        CliRun malformed = verify("not-an-id");
        assertThat(malformed.exitCode()).isEqualTo(2);
        assertThat(malformed.err()).contains("CLAIM-ID must be 64 lower-case hex");
    }
}
