package org.fedai.roles.router;

import org.fedai.domain.Msat;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.util.List;
import java.util.Set;
import org.fedai.domain.JobId;
import org.fedai.domain.PaymentTiming;
import org.fedai.nostr.Event;
import org.fedai.nostr.EventSigner;
import org.fedai.nostr.KeyPair;
import org.fedai.payment.Bolt11Codec;
import org.fedai.protocol.JobRequest;
import org.fedai.protocol.JobStatus;
import org.fedai.protocol.PaymentProof;
import org.fedai.protocol.Quote;
import org.fedai.protocol.RouterAnnouncement.ProbationState;
import org.fedai.protocol.RouterAnnouncement;
import org.fedai.protocol.StakeBond;
import org.fedai.protocol.StakeBondCodec;
import org.fedai.testing.RelayTest;
import org.fedai.testing.market.ScriptedPeer;
import org.junit.jupiter.api.Test;

/**
 * A router on probation, for real on the embedded relay: it announces its terms, answers only its share of small
 * specs (each refusal counted), graduates once it has a metered job and a 31402 bond naming it, announces that at
 * once, then routes what it refused before; and a restart resumes it graduated.
 */
@RelayTest
class RouterProbationTest extends MarketFixtureTest {

    private static final ProbationTerms TERMS = new ProbationTerms(1, 500, 500_000, Msat.of(30_000), 1024);

    @Test
    void routesAShareOfSmallJobsUntilItGraduatesThenEverything() {
        market.probationTerms = TERMS;
        ScriptedPeer node = market.node("node-a", 1000, Set.of(PaymentTiming.BEFORE));
        ScriptedPeer client = market.client("client");
        RouterRole router = market.startRouter();
        market.awaitLive(node);

        RouterAnnouncement announced = market.announcement();
        assertThat(announced.probation()).isEqualTo(new RouterAnnouncement.Probation(ProbationState.PROBATION, 0, 1,
                0, 500, 500_000, 30_000, 1024, "cd".repeat(32)));
        assertThat(announced.policy().maxJobMsat()).as("capped while in probation").isEqualTo(30_000);
        assertThat(announced.benchmarks()).containsEntry("verify_per_s", 20_000.0);

        Event large = market.spec(client, 50_000, PaymentTiming.BEFORE, JobRequest.Constraints.none());
        market.awaitCount("4400:probation_job_too_large", 1);
        assertThat(market.quotes(client, large.id())).isZero();

        // specs until one falls outside the share and one inside it; only the inside one is quoted
        Probation probation = router.probation().orElseThrow();
        Event outside = null;
        Event inside = null;
        while (outside == null || inside == null) {
            Event spec = market.spec(client);
            if (probation.inShare(JobId.of(spec.id()))) {
                inside = inside == null ? spec : inside;
            } else {
                outside = outside == null ? spec : outside;
            }
        }
        market.awaitCount("4400:probation_share", 1);
        Quote quote = market.quote(client, inside.id(), 1);
        assertThat(market.quotes(client, outside.id())).isZero();

        // the in-share job runs to its metering record: one completed job, but no stake yet
        market.status(node, quote, JobStatus.State.ACCEPTED);
        PaymentProof.Paid paid = MarketFixture.pay(client, market.invoice(node, quote));
        market.proof(client, inside.id(), List.of(paid, MarketFixture.pay(client, quote.routerFeeInvoice())));
        market.workOrder(node, inside.id());
        Event record = market.meter(node, quote, 2000, List.of(Bolt11Codec.decode(paid.bolt11()).paymentHashHex()));
        market.receipt(client, record.id());
        assertThat(probation.state()).isEqualTo(ProbationState.PROBATION);

        // a sponsor bonds 600 units to the router: it graduates and says so without waiting for its next announcement
        long now = System.currentTimeMillis() / 1000;
        market.peers.publish(EventSigner.sign(StakeBondCodec.encode(new StakeBond("router-bond",
                market.routerKeys.publicKey(), 600, 30 * 86_400, now + 86_400), now), KeyPair.generate()),
                ScriptedPeer.WAIT).join();
        await().atMost(ScriptedPeer.WAIT).until(() -> market.announcement().probation().state()
                == ProbationState.ACTIVE);
        RouterAnnouncement graduated = market.announcement();
        assertThat(graduated.probation().completedJobs()).isEqualTo(1);
        assertThat(graduated.probation().stakeUnits()).isBetween(599L, 600L);
        assertThat(graduated.policy().maxJobMsat()).isEqualTo(market.config.policy().maxJobMsat());
        assertThat(graduated.probation().graduatedUnder(1, 500)).isTrue();
        assertThat(graduated.probation().graduatedUnder(50, 1000)).as("not under the documented standard").isFalse();

        Event nowLarge = market.spec(client, 50_000, PaymentTiming.BEFORE, JobRequest.Constraints.none());
        assertThat(market.quote(client, nowLarge.id(), 1).jobId()).isEqualTo(nowLarge.id());

        // a restart resumes graduated from the journal, before any relay hands the bond back
        market.stopRouter();
        RouterRole restarted = market.startRouter();
        assertThat(restarted.probation().orElseThrow().state()).isEqualTo(ProbationState.ACTIVE);
        assertThat(restarted.announcement().probation().completedJobs()).isEqualTo(1);
    }
}
